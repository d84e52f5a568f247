"""Where a resource is written: the file and line of the first Turtle statement that has it as subject.

Validation results name their focus node by IRI; an editor needs ``graph/us.ttl:619``. rdflib's parser keeps
no source positions, so this reads the files' layout instead: our Turtle starts every subject at the beginning
of a line (graph/README.md), written as a prefixed name or an <IRI>, and continues its statement on indented
lines. Prefixes are the file's own ``@prefix`` / ``PREFIX`` lines, as the parser reads them.
"""
from __future__ import annotations

import re
from pathlib import Path

PREFIX_LINE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
SUBJECT = re.compile(r"^(?:<([^>\s]+)>|([A-Za-z][\w.-]*)?:((?:[\w\-%]|\.(?=[\w\-%]))*))(?=[\s;,]|$)")


class SubjectIndex:
    """IRI -> "path:line" of the first line where the IRI starts a statement, over the given files."""

    def __init__(self, places: dict[str, str]):
        self._places = places

    @classmethod
    def of_files(cls, files: list[Path], root: Path | None = None) -> "SubjectIndex":
        places: dict[str, str] = {}
        for path in files:
            shown = path.relative_to(root) if root is not None and path.is_relative_to(root) else path
            prefixes: dict[str, str] = {}
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if (m := PREFIX_LINE.match(line)) is not None:
                    prefixes[m[1] or ""] = m[2]
                    continue
                if (m := SUBJECT.match(line)) is None:
                    continue
                iri = m[1] if m[1] is not None else (
                    prefixes[m[2] or ""] + m[3] if (m[2] or "") in prefixes else None)
                if iri is not None:
                    places.setdefault(iri, f"{shown}:{number}")
        return cls(places)

    def __call__(self, term) -> str:
        """The place of an IRI term (rdflib or pyoxigraph), or "" for blank nodes, literals and unknown IRIs."""
        if term is None:
            return ""
        return self._places.get(getattr(term, "value", None) or str(term), "") if _is_iri(term) else ""


def _is_iri(term) -> bool:
    return type(term).__name__ in ("URIRef", "NamedNode")

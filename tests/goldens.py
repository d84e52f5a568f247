"""Golden results of the saved queries: reviewed data, kept in SPARQL 1.1 Query Results JSON (tests/golden/*.srj).

JSON keeps what CSV loses: term kinds (IRI, literal, blank node), datatypes and language tags. A golden is
compared with the query's answer as a multiset of rows, so ORDER BY ties and the engine's row order do not
matter; a GROUP_CONCAT cell is compared with its parts sorted (SPARQL leaves their order to the engine).

Goldens are never written by the tests. ``make goldens`` (``python -m tests.goldens``) rewrites them from the
current build in place and prints ``git diff --stat``; review the rows with ``git diff tests/golden`` against
the report and record what was checked in tests/golden/REVIEW.md before committing.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from aigov.canned import CannedQuery, Registry, run
from aigov.serializers import term_json

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
BASE = "https://w3id.org/aigov/"

# One case with a non-default value per parameterised query (the default case is always there):
# query name -> (parameter, value[, file-name slug]). Values are ones the report speaks about, so each case
# returns rows; file names stay ASCII.
CASES: dict[str, tuple[str, ...]] = {
    "compare-federal-state-activity": ("country", "jurisdiction/cn"),
    "instruments-influenced-by": ("instrument", "instrument/eu-gdpr"),
    "list-bodies-by-jurisdiction": ("jurisdiction", "jurisdiction/jp"),
    "list-instrument-principles": ("instrument", "instrument/jp-ai-promotion-act"),
    "list-instruments-by-topic": ("topic", "topic/deepfakes"),
    "list-instruments-in-force-on-date": ("date", "2024-08-01"),
    "list-jointly-issued-instruments": ("jurisdiction", "jurisdiction/jp"),
    "list-statement-sources": ("resource", "instrument/kr-ai-basic-act"),
    "search-labels": ("text", "促进法", "cujinfa"),
    "show-instrument-lifecycle": ("instrument", "instrument/kr-ai-basic-act"),
    "show-jurisdiction-timeline": ("jurisdiction", "jurisdiction/jp"),
    "trace-instrument-relations": ("instrument", "instrument/us-omb-m-24-10"),
}

CONCAT = re.compile(r"GROUP_CONCAT\s*\(\s*(?:DISTINCT\s+)?\?\w+\s*;\s*separator\s*=\s*(\"[^\"]*\"|'[^']*')\s*\)"
                    r"\s+AS\s+\?(\w+)", re.IGNORECASE)


def cases(registry: Registry) -> list[tuple[str, dict[str, str], Path]]:
    """(query name, arguments, golden file) for every golden there should be."""
    out = []
    for q in registry:
        out.append((q.name, {}, GOLDEN / f"{q.name}.srj"))
        if q.name in CASES:
            param, value, *named = CASES[q.name]
            slug = named[0] if named else re.sub(r"[^A-Za-z0-9-]+", "-", value.rsplit("/", 1)[-1])
            out.append((q.name, {param: value}, GOLDEN / f"{q.name}--{param}-{slug}.srj"))
    return out


def concatenated(query: CannedQuery) -> dict[str, str]:
    """The query's GROUP_CONCAT result variables and their separators."""
    return {var: sep[1:-1] for sep, var in CONCAT.findall(query.text)}


def canonical_row(binding: dict, separators: dict[str, str]) -> str:
    """One row as sorted-key JSON, with each GROUP_CONCAT cell's parts sorted."""
    row = {}
    for var, term in binding.items():
        if var in separators and term.get("type") == "literal" and separators[var]:
            term = {**term, "value": separators[var].join(sorted(term["value"].split(separators[var])))}
        row[var] = term
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def answer(store, query: CannedQuery, args: dict[str, str]) -> dict:
    """The query's answer as a SPARQL JSON document with canonical, sorted rows."""
    result = run(store, query, args, BASE)
    if result.kind == "boolean":
        return {"head": {}, "boolean": result.boolean}
    if result.kind != "bindings":
        raise ValueError(f"{query.name}: goldens hold SELECT and ASK answers; this query returns a graph")
    separators = concatenated(query)
    rows = sorted(canonical_row({v: term_json(t) for v, t in zip(result.variables, row) if t is not None}, separators)
                  for row in result.rows)
    return {"head": {"vars": list(result.variables)}, "results": {"bindings": [json.loads(r) for r in rows]}}


def dumps(doc: dict) -> str:
    """SPARQL JSON with one row per line, so a review diff shows rows."""
    if "boolean" in doc:
        return json.dumps(doc) + "\n"
    lines = [json.dumps(b, ensure_ascii=False, sort_keys=True) for b in doc["results"]["bindings"]]
    body = ",\n".join(lines)
    return ('{"head": ' + json.dumps(doc["head"], ensure_ascii=False) + ',\n "results": {"bindings": [\n'
            + body + ("\n" if lines else "") + "]}}\n")


def canonical(doc: dict, query: CannedQuery) -> list[str] | bool:
    """What is compared: the sorted canonical rows (or the boolean)."""
    if "boolean" in doc:
        return doc["boolean"]
    separators = concatenated(query)
    return sorted(canonical_row(b, separators) for b in doc["results"]["bindings"])


def regenerate(store, registry: Registry) -> list[Path]:
    """Write every golden from the store; remove goldens no case names any more. Returns the files written."""
    wanted = cases(registry)
    written = []
    for name, args, path in wanted:
        path.write_text(dumps(answer(store, registry.get(name), args)), encoding="utf-8")
        written.append(path)
    keep = {p for _, _, p in wanted}
    for stale in [*GOLDEN.glob("*.srj"), *GOLDEN.glob("*.csv")]:
        if stale not in keep:
            stale.unlink()
    return written


def main(argv: list[str] | None = None) -> int:
    import argparse
    import subprocess

    from aigov.pipeline.artefact import read_artefact
    from aigov.settings import load_settings
    from aigov.store.embedded import EmbeddedStore

    parser = argparse.ArgumentParser(prog="python -m tests.goldens", description=__doc__.split("\n\n")[0])
    parser.add_argument("--instance", default=None, help="build to read (default: the project's instance/)")
    args = parser.parse_args(argv)
    settings = load_settings({"root": str(ROOT), "instance": args.instance})
    store = EmbeddedStore.from_artefact(read_artefact(settings["instance"]), BASE)
    written = regenerate(store, Registry.load(ROOT / "queries"))
    print(f"wrote {len(written)} goldens to {GOLDEN.relative_to(ROOT)}/ from build {store.version}", file=sys.stderr)
    subprocess.run(["git", "add", "--intent-to-add", "--", str(GOLDEN)], cwd=ROOT, check=False)
    subprocess.run(["git", "--no-pager", "diff", "--stat", "--", str(GOLDEN)], cwd=ROOT, check=False)
    print("review the rows with `git diff tests/golden` against the report, record the review in "
          "tests/golden/REVIEW.md, then commit", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Plain-text tables for the terminal (`aigov query --format table`)."""
from __future__ import annotations

import unicodedata

import pyoxigraph as ox


def _text(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value + (f"@{term.language}" if term.language else "")
    return getattr(term, "value", str(term))


def _width(s: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


def text_table(result, max_cell: int = 60) -> str:
    if result.kind == "boolean":
        return "true" if result.boolean else "false"
    if result.kind == "graph":
        header, rows = ["subject", "predicate", "object"], [[_text(t.subject), _text(t.predicate), _text(t.object)]
                                                            for t in result.triples]
    else:
        header, rows = result.variables, [[_text(t) for t in row] for row in result.rows]
    rows = [[c if len(c) <= max_cell else c[: max_cell - 1] + "…" for c in row] for row in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(header, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)) for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''}{', truncated' if result.truncated else ''})")
    return "\n".join(lines)

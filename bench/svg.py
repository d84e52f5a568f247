"""The latency-vs-size chart, written as SVG by hand: no plotting library to install or pin for one figure.

Log-log axes (triples across, milliseconds up), one colour per query, solid for aigov (``EmbeddedStore.query``)
and dashed for raw pyoxigraph, a point per measured size. Self-contained: inline styles, no fonts to load.
"""
from __future__ import annotations

import math
from html import escape

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")


def _ticks(lo: float, hi: float) -> list[float]:
    """Powers of ten (and 2x, 5x when the range is short) covering [lo, hi]."""
    start, end = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    steps = (1, 2, 5) if end - start <= 3 else (1,)
    return [m * 10 ** e for e in range(start, end + 1) for m in steps if lo <= m * 10 ** e <= hi]


def _label(v: float, unit: str = "") -> str:
    if unit == "triples":
        return f"{v / 1e6:g}M" if v >= 1e6 else f"{v / 1e3:g}k" if v >= 1e3 else f"{v:g}"
    return f"{v:g}"


def chart(series: dict[str, list[tuple[float, float]]], title: str, width: int = 760, height: int = 440) -> str:
    """``series``: name -> [(triples, ms)]; a name ending in "(raw)" is drawn dashed."""
    points = [p for pts in series.values() for p in pts if p[1] and p[1] > 0]
    left, right, top, bottom = 70, 250, 40, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15">{escape(title)}</text>']
    if not points:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">no data</text></svg>')
        return "\n".join(out)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x_lo, x_hi = min(xs) / 1.5, max(xs) * 1.5
    y_lo, y_hi = min(ys) / 2, max(ys) * 2
    if x_hi / x_lo < 10:
        x_lo, x_hi = x_lo / 3, x_hi * 3

    def sx(v: float) -> float:
        return left + (math.log10(v) - math.log10(x_lo)) / (math.log10(x_hi) - math.log10(x_lo)) * plot_w

    def sy(v: float) -> float:
        return top + plot_h - (math.log10(v) - math.log10(y_lo)) / (math.log10(y_hi) - math.log10(y_lo)) * plot_h

    out.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#888"/>')
    for t in _ticks(x_lo, x_hi):
        x = sx(t)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="#eee"/>')
        out.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{_label(t, "triples")}</text>')
    for t in _ticks(y_lo, y_hi):
        y = sy(t)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_label(t)}</text>')
    out.append(f'<text x="{left + plot_w / 2}" y="{height - 18}" text-anchor="middle">triples (log scale)</text>')
    out.append(f'<text x="18" y="{top + plot_h / 2}" text-anchor="middle" '
               f'transform="rotate(-90 18 {top + plot_h / 2})">median latency, ms (log scale)</text>')
    bases = []
    for name in series:
        base = name.removesuffix(" (raw)").removesuffix(" (aigov)")
        if base not in bases:
            bases.append(base)
    for i, (name, pts) in enumerate(series.items()):
        pts = sorted(p for p in pts if p[1] and p[1] > 0)
        if not pts:
            continue
        colour = COLOURS[bases.index(name.removesuffix(" (raw)").removesuffix(" (aigov)")) % len(COLOURS)]
        dash = ' stroke-dasharray="6 4"' if name.endswith("(raw)") else ""
        path = " ".join(f"{'M' if j == 0 else 'L'}{sx(x):.1f},{sy(y):.1f}" for j, (x, y) in enumerate(pts))
        out.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for x, y in pts:
            out.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colour}">'
                       f'<title>{escape(name)}: {y:.3g} ms at {x:,.0f} triples</title></circle>')
        ly = top + 10 + i * 20
        lx = left + plot_w + 16
        out.append(f'<line x1="{lx}" y1="{ly}" x2="{lx + 28}" y2="{ly}" stroke="{colour}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{lx + 34}" y="{ly + 4}">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out)

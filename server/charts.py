"""Charts drawn on the server as SVG: no JavaScript, no CDN, readable offline and by screen readers.

``timeline_svg`` stacks counts per year and series (e.g. instruments per year and jurisdiction).
Every string that reaches the SVG is escaped.
"""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf", "#393b79", "#637939"]


def timeline_svg(counts: dict[tuple[int, str], int], series_order: list[str], title: str,
                 width: int = 760, height: int = 300) -> str:
    """A stacked bar chart of counts[(year, series)], one bar per year."""
    if not counts:
        return f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label={quoteattr(title)}></svg>'
    years = list(range(min(y for y, _ in counts), max(y for y, _ in counts) + 1))
    totals = {y: sum(n for (yy, _), n in counts.items() if yy == y) for y in years}
    top = max(totals.values()) or 1
    left, bottom, legend_w = 36, 28, 170
    plot_w, plot_h = width - left - legend_w - 10, height - bottom - 20
    bar_w = plot_w / len(years)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label={quoteattr(title)}><title>{escape(title)}</title>']
    for tick in range(0, top + 1, max(1, top // 5)):
        y = 10 + plot_h - tick / top * plot_h
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{tick}</text>')
    colours = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(series_order)}
    for i, year in enumerate(years):
        x = left + i * bar_w
        y = 10 + plot_h
        for series in series_order:
            n = counts.get((year, series), 0)
            if not n:
                continue
            h = n / top * plot_h
            y -= h
            parts.append(f'<rect class="bar" x="{x + 1:.1f}" y="{y:.1f}" width="{max(bar_w - 2, 1):.1f}" '
                         f'height="{h:.1f}" fill="{colours[series]}" data-year="{year}" data-series={quoteattr(series)} '
                         f'data-count="{n}"><title>{escape(f"{year} · {series}: {n}")}</title></rect>')
        if len(years) <= 20 or year % 2 == 0:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 10}" font-size="10" '
                         f'text-anchor="middle">{year}</text>')
    for i, series in enumerate(series_order):
        y = 14 + i * 16
        parts.append(f'<rect x="{width - legend_w + 4}" y="{y - 9}" width="10" height="10" fill="{colours[series]}"/>'
                     f'<text x="{width - legend_w + 18}" y="{y}" font-size="11">{escape(series)}</text>')
    parts.append("</svg>")
    return "".join(parts)

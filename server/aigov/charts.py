"""Charts drawn on the server as SVG: no JavaScript, no CDN, readable offline and by screen readers.

``timeline_svg`` stacks counts per year and series (e.g. instruments per year and jurisdiction).
Every string that reaches the SVG is escaped.
"""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf", "#393b79", "#637939"]


def timeline_svg(counts: dict[tuple[int, str], int], series_order: list[str], title: str,
                 width: int = 760, height: int = 300, link=None) -> str:
    """A stacked bar chart of counts[(year, series)], one bar per year. ``link(year, series)`` may give a URL
    each bar opens (the list of what it counts)."""
    if not counts:
        return f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label={quoteattr(title)}></svg>'
    years = list(range(min(y for y, _ in counts), max(y for y, _ in counts) + 1))
    totals = {y: sum(n for (yy, _), n in counts.items() if yy == y) for y in years}
    top = max(totals.values()) or 1
    left, bottom, legend_w = 36, 28, 170
    plot_w, plot_h = width - left - legend_w - 10, height - bottom - 20
    bar_w = plot_w / len(years)
    role = "group" if link else "img"  # an image's parts are not reachable; linked bars must be
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" viewBox="0 0 {width} {height}" '
             f'role="{role}" aria-label={quoteattr(title)}><title>{escape(title)}</title>']
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
            bar = (f'<rect class="bar" x="{x + 1:.1f}" y="{y:.1f}" width="{max(bar_w - 2, 1):.1f}" '
                   f'height="{h:.1f}" fill="{colours[series]}" data-year="{year}" data-series={quoteattr(series)} '
                   f'data-count="{n}"><title>{escape(f"{year} · {series}: {n}")}</title></rect>')
            url = link(year, series) if link else None
            parts.append(f'<a href={quoteattr(url)} aria-label={quoteattr(f"{year} · {series}: {n}")}>{bar}</a>'
                         if url else bar)
        if len(years) <= 20 or year % 2 == 0:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 10}" font-size="10" '
                         f'text-anchor="middle">{year}</text>')
    for i, series in enumerate(series_order):
        y = 14 + i * 16
        parts.append(f'<rect x="{width - legend_w + 4}" y="{y - 9}" width="10" height="10" fill="{colours[series]}"/>'
                     f'<text x="{width - legend_w + 18}" y="{y}" font-size="11">{escape(series)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_svg(items: list[tuple[str, float]], title: str, width: int = 760) -> str:
    """Horizontal bars, one per (label, value)."""
    items = items[:40]
    height = 24 + 18 * len(items)
    top = max((v for _, v in items), default=0) or 1
    label_w = 260
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bar" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label={quoteattr(title)}><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(items):
        y = 8 + i * 18
        w = value / top * (width - label_w - 60)
        short = label if len(label) <= 40 else label[:39] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 11}" font-size="11" text-anchor="end">{escape(short)}</text>'
                     f'<rect class="bar" x="{label_w}" y="{y}" width="{w:.1f}" height="14" fill="{PALETTE[0]}" '
                     f'data-label={quoteattr(label)} data-value="{value:g}"><title>{escape(f"{label}: {value:g}")}</title></rect>'
                     f'<text x="{label_w + w + 4:.1f}" y="{y + 11}" font-size="11">{value:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def network_svg(edges: list[tuple[str, str, str, str, str]], groups: dict[str, str], title: str,
                size: int = 760, href=None) -> str:
    """Nodes on a circle, grouped and coloured by jurisdiction; one arrow per (source, sourceLabel, target,
    targetLabel, relation) edge. A circle keeps every edge visible without a layout engine."""
    import math

    labels: dict[str, str] = {}
    for s, sl, t, tl, _ in edges:
        labels.setdefault(s, sl)
        labels.setdefault(t, tl)
    order = sorted(labels, key=lambda n: (groups.get(n, "~"), labels[n]))
    group_names = sorted({groups.get(n, "") for n in order})
    colours = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(group_names)}
    cx = cy = size / 2
    r = size / 2 - 170
    pos = {n: (cx + r * math.cos(2 * math.pi * i / max(len(order), 1)),
               cy + r * math.sin(2 * math.pi * i / max(len(order), 1))) for i, n in enumerate(order)}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart network" viewBox="0 0 {size} {size}" '
             f'role="{"group" if href else "img"}" '
             f'aria-label={quoteattr(title)}><title>{escape(title)}</title>'
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#888"/></marker></defs>']
    for s, _, t, _, relation in edges:
        (x1, y1), (x2, y2) = pos[s], pos[t]
        length = math.hypot(x2 - x1, y2 - y1) or 1
        x2, y2 = x2 - (x2 - x1) / length * 8, y2 - (y2 - y1) / length * 8  # stop short so the arrow shows
        parts.append(f'<line class="edge" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#888" '
                     f'marker-end="url(#arrow)" data-relation={quoteattr(relation)}><title>{escape(relation)}</title></line>')
    for n in order:
        x, y = pos[n]
        anchor = "start" if x >= cx else "end"
        dx = 8 if x >= cx else -8
        label = labels[n] if len(labels[n]) <= 34 else labels[n][:33] + "…"
        node = (f'<circle class="node" cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colours[groups.get(n, "")]}" '
                f'data-iri={quoteattr(n)}><title>{escape(labels[n])}</title></circle>'
                f'<text x="{x + dx:.1f}" y="{y + 4:.1f}" font-size="10" text-anchor="{anchor}">{escape(label)}</text>')
        url = href(n) if href else None
        parts.append(f'<a href={quoteattr(url)}>{node}</a>' if url else node)
    for i, g in enumerate(group_names):
        parts.append(f'<rect x="6" y="{6 + i * 15}" width="9" height="9" fill="{colours[g]}"/>'
                     f'<text x="19" y="{14 + i * 15}" font-size="10">{escape(g or "(none)")}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _value(term) -> str:
    return "" if term is None else getattr(term, "value", str(term))


def chart_for(kind: str | None, result, name_of=None, href=None) -> str | None:
    """The chart a saved query asks for, drawn from its own result rows; None when the rows do not fit it.
    ``name_of(iri)`` names legend entries (a jurisdiction rather than its code); ``href(iri)`` links nodes."""
    if kind is None or result.kind != "bindings" or not result.rows:
        return None
    cols = {v: i for i, v in enumerate(result.variables)}
    rows = result.rows
    if kind == "timeline":
        when = cols.get("date", cols.get("year"))
        series = cols.get("jurisdictionLabel", cols.get("jurisdiction"))
        if when is None:
            return None
        counts: dict[tuple[int, str], int] = {}
        for row in rows:
            year = _value(row[when])[:4]
            if not year.isdigit():
                continue
            name = _value(row[series]) if series is not None else "all"
            counts[(int(year), name)] = counts.get((int(year), name), 0) + 1
        totals: dict[str, int] = {}
        for (_, name), n in counts.items():
            totals[name] = totals.get(name, 0) + n
        order = sorted(totals, key=lambda k: -totals[k])
        return timeline_svg(counts, order, "Dated events per year") if counts else None
    if kind == "network":
        need = ("source", "target", "relation")
        if any(c not in cols for c in need):
            return None
        edges, groups = [], {}
        for row in rows:
            s, t = _value(row[cols["source"]]), _value(row[cols["target"]])
            if not s or not t:
                continue
            sl = _value(row[cols["sourceLabel"]]) if "sourceLabel" in cols else s
            tl = _value(row[cols["targetLabel"]]) if "targetLabel" in cols else t
            edges.append((s, sl, t, tl, _value(row[cols["relation"]]).rpartition("#")[2]))
            for node, column in ((s, "sourceJurisdiction"), (t, "targetJurisdiction")):
                if column in cols and row[cols[column]] is not None:
                    iri = _value(row[cols[column]])
                    groups[node] = (name_of(iri) if name_of else None) or iri.rpartition("/")[2]
        return network_svg(edges, groups, "Influence network", href=href) if edges else None
    if kind == "bar":
        items = []
        for row in rows:
            try:
                items.append((_value(row[0]), float(_value(row[-1]))))
            except ValueError:
                return None
        return bar_svg(items, "Counts") if items else None
    return None

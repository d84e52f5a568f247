"""Charts drawn on the server as SVG: no JavaScript, no CDN, readable offline and by screen readers.

``timeline_svg`` stacks counts per year and series (e.g. instruments per year and jurisdiction); ``network_svg``
draws relation edges between instruments, coloured by kind, likenesses dashed.
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


# Edge colours by relation kind, distinct from the node palette (jurisdictions); likenesses are dashed.
KIND_COLOURS = ["#555555", "#c0392b", "#2471a3", "#1e8449", "#b9770e", "#7d3c98", "#117a65", "#922b21"]


def network_svg(edges: list[tuple[str, str, str, str, str]], groups: dict[str, str], title: str,
                size: int = 760, likeness: set[str] = frozenset(), href=None) -> str:
    """Nodes on a circle, grouped and coloured by jurisdiction; one arrow per (source, sourceLabel, target,
    targetLabel, relation) edge, coloured by relation kind and dashed for the relations in ``likeness`` (a
    comparison, not an influence). Two legends name the node groups and the edge kinds. A circle keeps every
    edge visible without a layout engine."""
    import math

    labels: dict[str, str] = {}
    for s, sl, t, tl, _ in edges:
        labels.setdefault(s, sl)
        labels.setdefault(t, tl)
    order = sorted(labels, key=lambda n: (groups.get(n, "~"), labels[n]))
    group_names = sorted({groups.get(n, "") for n in order})
    colours = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(group_names)}
    kinds = sorted({e[4] for e in edges}, key=lambda k: (k in likeness, k))
    kind_colours = {k: KIND_COLOURS[i % len(KIND_COLOURS)] for i, k in enumerate(kinds)}
    cx = cy = size / 2
    r = size / 2 - 170
    pos = {n: (cx + r * math.cos(2 * math.pi * i / max(len(order), 1)),
               cy + r * math.sin(2 * math.pi * i / max(len(order), 1))) for i, n in enumerate(order)}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart network" viewBox="0 0 {size} {size}" '
             f'role="{"group" if href else "img"}" '
             f'aria-label={quoteattr(title)}><title>{escape(title)}</title><defs>']
    for i, k in enumerate(kinds):
        parts.append(f'<marker id="arrow-{i}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
                     f'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{kind_colours[k]}"/></marker>')
    parts.append("</defs>")
    for s, _, t, _, relation in edges:
        (x1, y1), (x2, y2) = pos[s], pos[t]
        length = math.hypot(x2 - x1, y2 - y1) or 1
        x2, y2 = x2 - (x2 - x1) / length * 8, y2 - (y2 - y1) / length * 8  # stop short so the arrow shows
        dash = ' stroke-dasharray="6 4"' if relation in likeness else ""
        parts.append(f'<line class="edge" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                     f'stroke="{kind_colours[relation]}"{dash} marker-end="url(#arrow-{kinds.index(relation)})" '
                     f'data-relation={quoteattr(relation)}><title>{escape(relation)}</title></line>')
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
    for i, k in enumerate(kinds):
        parts.append(_kind_legend(k, 6, size - 12 - (len(kinds) - 1 - i) * 15, kind_colours[k],
                                  "6 4" if k in likeness else None, 10))
    parts.append("</svg>")
    return "".join(parts)


def _kind_legend(kind: str, x: int, y: int, colour: str, dash: str | None, font_size: int) -> str:
    """One legend entry of the relation charts: a line drawn as that kind's edges are, then the kind's name."""
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<g class="legend-kind" data-relation={quoteattr(kind)}><line x1="{x}" x2="{x + 24}" y1="{y - 4}" '
            f'y2="{y - 4}" stroke="{colour}" stroke-width="2"{dashed}/>'
            f'<text x="{x + 30}" y="{y}" font-size="{font_size}">{escape(kind)}</text></g>')


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
        edges, groups, likeness = [], {}, set()
        for row in rows:
            s, t = _value(row[cols["source"]]), _value(row[cols["target"]])
            if not s or not t:
                continue
            sl = _value(row[cols["sourceLabel"]]) if "sourceLabel" in cols else s
            tl = _value(row[cols["targetLabel"]]) if "targetLabel" in cols else t
            kind = (_value(row[cols["relationLabel"]]) if "relationLabel" in cols else "") or \
                _value(row[cols["relation"]]).rpartition("#")[2]
            edges.append((s, sl, t, tl, kind))
            if _value(row[cols["relation"]]).endswith("#similarTo") or (
                    "link" in cols and _value(row[cols["link"]]) == "likeness"):
                likeness.add(kind)
            for node, column in ((s, "sourceJurisdiction"), (t, "targetJurisdiction")):
                if column in cols and row[cols[column]] is not None:
                    iri = _value(row[cols[column]])
                    groups[node] = (name_of(iri) if name_of else None) or iri.rpartition("/")[2]
        return network_svg(edges, groups, "Influence network", likeness=likeness, href=href) if edges else None
    if kind == "bar":
        items = []
        for row in rows:
            try:
                items.append((_value(row[0]), float(_value(row[-1]))))
            except ValueError:
                return None
        return bar_svg(items, "Counts") if items else None
    return None


def _fit(text: str, width_px: float, font_px: float = 11) -> str:
    """Cut ``text`` to about ``width_px`` at ``font_px``: CJK characters are about 1 em wide, others about 0.55."""
    used, out = 0.0, []
    for ch in text:
        used += font_px if ord(ch) > 0x2E80 else font_px * 0.55
        if used > width_px:
            return "".join(out[:-1]) + "…"
        out.append(ch)
    return text


def neighbourhood_svg(centre: str, relations: list[tuple[str, str, str, str, bool]], href, title: str,
                      width: int = 340, limit: int = 40) -> str:
    """One resource's one-hop neighbourhood as a small tree: the resource on top, one branch per relation
    (direction "out" or "in", relation label as read from the resource, other IRI, other label, likeness),
    grouped under a caption per relation kind, each kind in its own colour (likenesses dashed), and a legend
    that names the kinds; arrows point from the statement's subject to its target. 340 units wide: drawn at
    1:1 on a 390 px phone (the page's margins take the rest), so its 11 px text stays 11 px; ``href(iri)`` gives each
    neighbour's link (or None)."""
    kinds = sorted({r[1] for r in relations}, key=lambda k: (any(r[4] for r in relations if r[1] == k), k))
    colours = {k: KIND_COLOURS[i % len(KIND_COLOURS)] for i, k in enumerate(kinds)}
    dashed = {k for k in kinds if any(r[4] for r in relations if r[1] == k)}
    shown = relations[:limit]
    lines: list[tuple[str, tuple | str]] = []
    for k in kinds:
        lines.append(("caption", k))
        lines.extend(("edge", r) for r in shown if r[1] == k)
    if len(relations) > limit:
        lines.append(("more", f"+ {len(relations) - limit} more"))
    top, row, trunk_x = 44, 20, 16
    height = top + row * len(lines) + 16 * len(kinds) + 20
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart neighbourhood" viewBox="0 0 {width} {height}" '
             f'role="group" aria-label={quoteattr(title)}><title>{escape(title)}</title><defs>']
    for i, k in enumerate(kinds):
        parts.append(f'<marker id="nb-arrow-{i}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
                     f'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{colours[k]}"/></marker>')
    parts.append(f'</defs><rect x="4" y="4" width="{width - 8}" height="26" rx="4" fill="#f4f4f4" stroke="#333"/>'
                 f'<text class="centre" x="{width / 2}" y="22" font-size="12" font-weight="bold" text-anchor="middle">'
                 f'{escape(_fit(centre, width - 20, 12))}</text>')
    last_y = 30
    for i, (what, item) in enumerate(lines):
        y = top + i * row
        if what == "caption":
            parts.append(f'<text class="kind" x="{trunk_x + 8}" y="{y + 4}" font-size="11" font-style="italic" '
                         f'fill="{colours[item]}">{escape(_fit(item, width - trunk_x - 14))}</text>')
            continue
        if what == "more":
            parts.append(f'<text x="{trunk_x + 8}" y="{y + 4}" font-size="11">{escape(item)}</text>')
            continue
        direction, kind, other, other_label, _ = item
        last_y = y
        arrow = f'marker-end="url(#nb-arrow-{kinds.index(kind)})"' if direction == "out" else \
            f'marker-start="url(#nb-arrow-{kinds.index(kind)})"'
        dash = ' stroke-dasharray="4 3"' if kind in dashed else ""
        link = href(other)
        label = escape(_fit(other_label, width - trunk_x - 48))
        text = f'<text x="{trunk_x + 40}" y="{y + 4}" font-size="11">{label}</text>'
        parts.append(f'<g class="edge" data-relation={quoteattr(kind)} data-direction="{direction}" '
                     f'data-iri={quoteattr(other)}><title>{escape(f"{kind}: {other_label}")}</title>'
                     f'<line x1="{trunk_x + 2}" y1="{y}" x2="{trunk_x + 34}" y2="{y}" stroke="{colours[kind]}" '
                     f'stroke-width="2"{dash} {arrow}/>'
                     + (f'<a href={quoteattr(link)}>{text}</a>' if link else text) + "</g>")
    parts.append(f'<line x1="{trunk_x}" y1="30" x2="{trunk_x}" y2="{last_y}" stroke="#333"/>')
    legend_y = top + row * len(lines) + 6
    for i, k in enumerate(kinds):
        parts.append(_kind_legend(k, 8, legend_y + i * 16, colours[k], "4 3" if k in dashed else None, 11))
    parts.append("</svg>")
    return "".join(parts)

"""Results -> one Markdown file (and the SVG chart beside it), with the issue's targets checked as met or not.

Everything a reader needs to judge a number is in the file: the machine, the versions, the commit and whether
the tree had local changes, the durations, which queries each server could not answer, and how each target was
computed. Ratios are aigov divided by the other server (above 1: aigov is faster).
"""
from __future__ import annotations

import statistics
from pathlib import Path

from . import svg
from .runner import NO_CACHE, NO_EVALUATORS, Results

SERVERS = ("aigov", NO_EVALUATORS, NO_CACHE, "oxigraph", "rdflib-endpoint")


def _f(v, digits: int = 1, unit: str = "") -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.{digits}f}{unit}"
    return f"{v}{unit}"


def _ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "–"
    return f"{a / b:.2f}x"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out + [""]


def _paired(ratio: tuple[float, float, float, int] | None) -> str:
    if not ratio:
        return "–"
    med, lo, hi, n = ratio
    return f"{med:.2f}x" if n == 1 else f"{med:.2f}x ({lo:.2f}–{hi:.2f})"


class Targets:
    def __init__(self):
        self.rows: list[list[str]] = []

    def add(self, target: str, measured: str, met: bool | None, how: str) -> None:
        verdict = "not measured" if met is None else "**met**" if met else "**not met**"
        self.rows.append([target, measured, verdict, how])


def _throughput_target(t: Targets, r: Results, workload: str, label: str, floor: float) -> None:
    target = f"{label} at 8 clients ≥ {floor:.1f}x `oxigraph serve`"
    ratio = r.ratio("aigov", "oxigraph", workload, 8)
    if not ratio:
        t.add(target, f"(8 clients not run; top: {max(r.config.concurrency)})", None, "")
        return
    med, lo, hi, n = ratio
    t.add(target, f"{med:.2f}x (median of {n} round(s), range {lo:.2f}–{hi:.2f}; "
                  f"{r.throughput('aigov', workload, 8):.0f} vs {r.throughput('oxigraph', workload, 8):.0f} req/s)",
          med >= floor, "successful answers per second over the same mix and duration, each client cycling through "
                        "the mix (so repeating queries, as researchers do), aigov's run over oxigraph's right after "
                        "it, median over the rounds")


def targets(r: Results) -> Targets:
    t = Targets()
    top = max(r.config.concurrency)
    _throughput_target(t, r, "adhoc", "researcher ad-hoc mix", 1.0)
    _throughput_target(t, r, "canned", "canned mix", 1.0)
    rd = r.load("rdflib-endpoint", "canned/rdflib-subset", 8) or r.load("rdflib-endpoint", "canned", 8)
    a_sub = r.load("aigov", rd.workload, 8) if rd else None
    if rd and a_sub and rd.throughput:
        ratio = a_sub.throughput / rd.throughput
        n = len(r.rdflib_mixes.get("canned", []))
        t.add("throughput ≥ 20x rdflib-endpoint, canned mix, 8 clients",
              f"{ratio:.1f}x ({a_sub.throughput:.0f} vs {rd.throughput:.2f} req/s)", ratio >= 20,
              f"on the {n} canned queries rdflib-endpoint answers (of {len(r.mixes.get('canned', []))})")
    elif rd and a_sub:
        t.add("throughput ≥ 20x rdflib-endpoint, canned mix, 8 clients", "rdflib-endpoint completed no request",
              True, "")
    else:
        why = r.unavailable.get("rdflib-endpoint") or f"8 clients not run; top: {top}"
        t.add("throughput ≥ 20x rdflib-endpoint, canned mix, 8 clients", f"({why})", None, "")
    if r.overhead:
        diffs = sorted(q.difference_ms for q in r.overhead)
        med = statistics.median(diffs)
        within = sum(1 for d in diffs if d <= 2.0)
        t.add("canned-query p50 within 2 ms of in-process pyoxigraph",
              f"median difference {med:.2f} ms; {within} of {len(diffs)} queries within 2 ms; worst {diffs[-1]:.1f} ms",
              med <= 2.0, "per query: p50 over HTTP (1 client; repeats answered from the result cache) minus p50 "
                          "of `EmbeddedStore.query`; met when the median over the canned queries is ≤ 2 ms")
    else:
        t.add("canned-query p50 within 2 ms of in-process pyoxigraph", "(not run)", None, "")
    big = next((s for s in r.scale if s.target == 1_000_000 and not s.error), None)
    if big:
        tr = big.aigov["load_seconds"] / big.raw["load_seconds"]
        mr = big.aigov["peak_mib"] / big.raw["peak_mib"]
        t.add("1M-triple load ≤ 1.5x raw pyoxigraph, time", f"{tr:.2f}x ({big.aigov['load_seconds']:.1f} vs "
              f"{big.raw['load_seconds']:.1f} s)", tr <= 1.5, "fresh process each; aigov = read_artefact + from_artefact")
        t.add("1M-triple load ≤ 1.5x raw pyoxigraph, memory", f"{mr:.2f}x ({big.aigov['peak_mib']:.0f} vs "
              f"{big.raw['peak_mib']:.0f} MiB peak)", mr <= 1.5, "VmHWM of the whole process after loading")
        served = big.served
        if served and not served.error:
            t.add("1M triples: first ad-hoc answer ≤ 2 s after `/health` is ready",
                  f"{served.first_query_seconds:.2f} s (ready {served.ready_seconds:.1f} s after start)",
                  served.first_query_seconds <= 2.0, "`aigov serve` with its defaults on the synthetic artefact; "
                  "an influence-chain query sent the moment /health first answers 200")
            raw_pss = big.raw.get("pss_after_load_mib")
            if raw_pss:
                ratio = served.peak_pss_mib / raw_pss
                t.add("1M triples: total PSS of all aigov processes ≤ 2.5x raw pyoxigraph",
                      f"{ratio:.2f}x ({served.peak_pss_mib:.0f} MiB over {served.processes} processes vs "
                      f"{raw_pss:.0f} MiB)", ratio <= 2.5,
                      "peak over the run of the summed Pss of the server's process tree (sampled every 0.25 s, "
                      "after queries reached both workers' query children) over the Pss of a process holding "
                      "the same artefact in raw pyoxigraph, both in this run")
        else:
            t.add("1M triples: `aigov serve` first answer and memory", f"(failed: {served.error if served else 'not run'})",
                  None if not served else False, "")
    else:
        t.add("1M-triple targets (load, first answer, memory)", "(1M not run in this mode)", None, "")
    if r.ready:
        med = statistics.median(r.ready)
        t.add("`aigov serve` ready ≤ 2 s", f"median {med:.2f} s (runs: {', '.join(f'{x:.2f}' for x in r.ready)})",
              med <= 2.0, "process start to the first 200 on /health")
    else:
        t.add("`aigov serve` ready ≤ 2 s", "(not run)", None, "")
    if r.soak:
        from .soak import verdicts

        for target, measured, met in verdicts(r.soak):
            t.add(target, measured, met, f"{r.soak['clients']} clients ({r.soak['hostile_clients']} hostile) for "
                                         f"{r.soak['seconds']:g} s; see Soak")
    else:
        t.add("soak targets", "(soak not run)", None, "")
    return t


def render(r: Results, chart_name: str | None) -> str:
    c, m = r.config, r.machine
    out = [f"# aigov benchmark ({c.mode} run)", "",
           f"Measured {m.get('date')} in {r.seconds / 60:.1f} min with `python -m bench"
           + {"full": "", "quick": " --quick", "smoke": " --smoke"}[c.mode] + "` "
           f"(load runs {c.duration:g} s each, concurrency {', '.join(map(str, c.concurrency))}). "
           "The machine is shared and has two cores that the load generator shares with the server under test: "
           "compare the numbers within this file, not across runs.", ""]

    out += ["## Targets", ""]
    out += _table(["target", "measured", "verdict", "how"], targets(r).rows)

    out += ["## Machine", ""]
    out += _table(["", ""], [
        ["CPU", m.get("cpu")], ["cores (nproc)", m.get("nproc")], ["memory", f"{m.get('memory_gib')} GiB"],
        ["kernel", m.get("kernel")], ["Python", m.get("python")], ["load average at start", m.get("load_average")],
        ["commit", f"`{m.get('commit')}`" + (f", with local changes to {len(m['local_changes'])} tracked file(s): "
                                             + ", ".join(f"`{f}`" for f in m["local_changes"])
                                             if m.get("local_changes") else ", clean")],
        *[[name, v] for name, v in m.get("versions", {}).items()]])

    b = r.build
    out += ["## Data and servers", "",
            f"All three servers serve build `{b.get('version')}` (instance/current/kg.nq): {b.get('triples', 0):,} "
            "triples in the named graphs " + ", ".join(f"{k} {v:,}" for k, v in b.get("graphs", {}).items())
            + "; the default graph is their union on every server.", ""]
    rows = []
    for name in SERVERS:
        mem = r.memory.get(name)
        if name not in r.unavailable and mem is None:
            continue
        if name in r.unavailable:
            rows.append([name, "unavailable: " + r.unavailable[name], "–", "–", "–", "–"])
            continue
        how = {"aigov": "`python -m aigov serve --no-build` (defaults: 2 gunicorn gthread workers x 4 query children), POST /sparql",
               NO_EVALUATORS: "diagnostic only: the same with `AIGOV_EVALUATORS=0` (ad-hoc queries evaluated in the "
                              "worker, not in the killable evaluator processes)",
               NO_CACHE: "diagnostic only: the same with `AIGOV_RESULT_CACHE_BYTES=0` (every query evaluated, "
                         "repeats included)",
               "oxigraph": "`oxigraph serve --union-default-graph` in memory, POST /query",
               "rdflib-endpoint": "rdflib `Dataset(default_union=True)` + rdflib-endpoint under uvicorn, POST /sparql"}[name]
        note = r.server_notes.get(name)
        rows.append([name, how + (f"; {note}" if note else ""), _f(mem.peak_rss_mib if mem else None, 0),
                     _f(mem.hwm_mib if mem else None, 0), _f(mem.peak_pss_mib if mem else None, 0),
                     mem.processes if mem else "–"])
    out += _table(["server", "how", "peak RSS, MiB (sum over its processes, sampled)", "sum of VmHWM, MiB",
                   "peak PSS, MiB", "processes"], rows)
    out += ["RSS counts pages shared between gunicorn's forked workers once per process; PSS divides them among "
            "the sharers and is the fairer measure of what a multi-process server really holds. aigov runs with its "
            "defaults, per-client limits included: each load client connects from its own loopback address.", ""]

    out += ["## Query checks", "",
            "Every query sent once to every server (POST form, `Accept: application/sparql-results+json`, CONSTRUCT "
            "`text/turtle`). Status, time, and result rows (triples for CONSTRUCT). A query that fails on aigov "
            "or oxigraph is left out of the load mix; rdflib-endpoint runs the part of the mix it answers, "
            f"and a query it has not answered within {c.rdflib_check_timeout:g} s is left out of its mix.", ""]
    for workload, per_server in r.checks.items():
        names = [s for s in SERVERS if s in per_server]
        rows = []
        for q in (per_server[names[0]] if names else {}):
            cells, counts = [q], set()
            for s in names:
                ch = per_server[s][q]
                if ch.status == 200:
                    cells.append(f"200 · {ch.ms:,.1f} ms · {ch.results}")
                    counts.add(ch.results)
                else:
                    why = "timeout" if ch.status == 0 else ch.status
                    cells.append(f"**{why}** · {ch.ms:,.0f} ms · {(ch.error or '').strip()[:90]}".replace("|", "\\|"))
            cells.append("yes" if len(counts) <= 1 else "**no**")
            rows.append(cells)
        out += [f"### {workload}", ""]
        out += _table(["query", *names, "same rows"], rows)
    if r.problems:
        out += ["Problems: " + "; ".join(r.problems), ""]

    out += ["## Load", "",
            f"Closed loop: N client threads (one kept-alive `http.client` connection each) cycle through the mix "
            f"for {c.duration:g} s; req/s counts successful answers; latency percentiles are over them. The schedule "
            f"runs {c.rounds} round(s), the servers one after another within each; req/s below is the median over "
            "the rounds, and aigov/oxigraph the median of the per-round ratios (range in brackets), since the two "
            "runs of a round are adjacent in time and see the same noise from the rest of the machine.", ""]
    for workload, names in r.mixes.items():
        ox_checks = r.checks.get(workload, {}).get("oxigraph")
        if ox_checks and names:
            total = sum(ox_checks[n].ms for n in names)
            heavy = max(names, key=lambda n: ox_checks[n].ms)
            out.append(f"- {workload} mix: {len(names)} queries; the heaviest, `{heavy}`, takes "
                       f"{ox_checks[heavy].ms:,.0f} ms on oxigraph, {ox_checks[heavy].ms / total:.0%} of one pass "
                       "through the mix there, so it weighs heavily on every server's throughput.")
    out.append("")
    rows = []
    for workload in r.mixes:
        for conc in c.concurrency:
            rd = r.load("rdflib-endpoint", f"{workload}/rdflib-subset", conc) or r.load("rdflib-endpoint", workload, conc)
            a_sub = r.load("aigov", rd.workload, conc) if rd else None
            rows.append([workload, len(r.mixes[workload]), conc, _f(r.throughput("aigov", workload, conc)),
                         _f(r.throughput("oxigraph", workload, conc)),
                         _paired(r.ratio("aigov", "oxigraph", workload, conc)),
                         f"{_f(rd and rd.throughput, 2)} ({len(r.rdflib_mixes.get(workload, []))} q)" if rd else "–",
                         _f(a_sub and a_sub.throughput), _ratio(a_sub and a_sub.throughput, rd and rd.throughput),
                         _f(r.throughput(NO_EVALUATORS, workload, conc)),
                         _paired(r.ratio(NO_EVALUATORS, "oxigraph", workload, conc)),
                         _f(r.throughput(NO_CACHE, workload, conc)),
                         _paired(r.ratio(NO_CACHE, "oxigraph", workload, conc))])
    out += _table(["workload", "queries", "clients", "aigov req/s", "oxigraph req/s", "aigov/oxigraph",
                   "rdflib-endpoint req/s (its subset, 1 round)", "aigov req/s on that subset", "aigov/rdflib-endpoint",
                   "diagnostic: evaluators=0 req/s", "evaluators=0/oxigraph", "diagnostic: cache off req/s",
                   "cache off/oxigraph"], rows)
    rows = [[x.round + 1, x.server, x.workload, x.concurrency, x.ok, _f(x.seconds, 1), _f(x.throughput), _f(x.p(50), 1),
             _f(x.p(95), 1), _f(x.p(99), 1), ", ".join(f"{'timeout/conn' if k == 0 else k}: {v}"
                                                         for k, v in sorted(x.errors.items())) or "none"]
            for x in r.loads]
    out += _table(["round", "server", "workload", "clients", "answers", "seconds", "req/s", "p50 ms", "p95 ms",
                   "p99 ms", "errors"], rows)

    if r.overhead:
        out += ["## Per-request overhead of aigov (canned queries, real data)", "",
                f"One client, sequential, p50 of {c.overhead_repeats} after a warm-up request. *in-process* is "
                "`EmbeddedStore.query` in the benchmark's own process (no HTTP); *engine* is the bare "
                "`pyoxigraph.Store.query` with the answer consumed; *serialise* is `aigov.serializers.serialize` of "
                "the result; *rest* = HTTP − in-process − serialise: Flask, gunicorn, request hooks, logging, "
                "metrics and the network stack. aigov answers the repeats from its result cache (`X-Aigov-Cache: hit`), "
                "so its HTTP p50 is what a repeated query costs; the table after this one has an ASK evaluated "
                "every time.", ""]
        rows = [[q.query, q.rows, _f(q.http_ms, 2), _f(q.embedded_ms, 2), _f(q.engine_ms, 2), _f(q.serialize_ms, 2),
                 _f(q.framework_ms, 2), _f(q.difference_ms, 2), _f(q.http_no_evaluators_ms, 2)] for q in r.overhead]

        def med(attr):
            values = [getattr(q, attr) for q in r.overhead if getattr(q, attr) is not None]
            return _f(statistics.median(values), 2) if values else "–"

        rows.append(["**median**", "", *(med(a) for a in ("http_ms", "embedded_ms", "engine_ms", "serialize_ms",
                                                         "framework_ms", "difference_ms", "http_no_evaluators_ms"))])
        out += _table(["query", "rows", "HTTP p50 ms", "in-process ms", "engine ms", "serialise ms", "rest ms",
                       "HTTP − in-process ms", "diagnostic: HTTP p50 ms with evaluators=0"], rows)
    if r.fixed:
        out += ["Requests that do no query work (p50, one client):", ""]
        out += _table(["request", "p50 ms"], [[k, _f(v, 3)] for k, v in r.fixed.items()])
    if r.ready:
        out += [f"`aigov serve` ready time (process start to first 200 on /health, {len(r.ready)} cold start(s), "
                "default workers): " + ", ".join(f"{x:.2f} s" for x in r.ready) + ".", ""]

    out += ["## Scale (synthetic graphs)", "",
            "`bench/synthetic.py` (seed " f"{c.seed}) writes aigov-shaped graphs (jurisdictions within "
            "jurisdictions, bodies, instruments with zh/en labels, jurisdiction, issuers, status, topics, dated "
            "lifecycle events at mixed precision, inspiredBy/implements/amends chains in families), plus the "
            "repository's ontology and the inferences OWL 2 RL would add for these shapes, written as a real "
            "artefact with `write_artefact`. Each load runs in a fresh process; *peak* is the process's VmHWM after "
            "loading (interpreter and imports included: aigov's modules import rdflib), *Δ* the growth during the "
            "load.", ""]
    rows = []
    for s in r.scale:
        if s.error:
            rows.append([f"{s.target:,}", "**failed**: " + s.error.replace("|", "\\|")[:200]] + ["–"] * 8)
            continue
        ra, ag = s.raw, s.aigov
        rows.append([f"{s.triples:,}", f"{s.instruments:,}", _f(ra["load_seconds"], 2), _f(ag["load_seconds"], 2),
                     _ratio(ag["load_seconds"], ra["load_seconds"]), _f(ra["peak_mib"], 0), _f(ag["peak_mib"], 0),
                     _ratio(ag["peak_mib"], ra["peak_mib"]), _f(ra["load_peak_delta_mib"], 0),
                     _f(ag["load_peak_delta_mib"], 0)])
    out += _table(["triples", "instruments", "raw load s", "aigov load s", "time ratio", "raw peak MiB",
                   "aigov peak MiB", "memory ratio", "raw Δ MiB", "aigov Δ MiB"], rows)
    served = [s for s in r.scale if s.served]
    if served:
        out += ["`aigov serve` (default settings) started on each synthetic artefact: ready time, the first "
                "ad-hoc answer after it, `/health` p50 once settled, and the process tree's memory once every "
                "worker's query children have answered.", ""]
        rows = [[f"{s.triples:,}", _f(v.ready_seconds, 2), _f(v.first_query_seconds, 2), _f(v.health_ms, 2),
                 _f(v.peak_rss_mib, 0), _f(v.peak_pss_mib, 0), _f(s.raw.get("pss_after_load_mib"), 0),
                 _ratio(v.peak_pss_mib, s.raw.get("pss_after_load_mib")), v.processes, v.error or ""]
                for s in served for v in [s.served]]
        out += _table(["triples", "ready s", "first /sparql answer s", "/health p50 ms", "peak RSS MiB (sum)",
                       "peak PSS MiB", "raw pyoxigraph PSS MiB", "PSS ratio", "processes", "error"], rows)
    ok = [s for s in r.scale if not s.error]
    if ok:
        names = list(ok[0].raw.get("queries", {}))
        rows = []
        for q in names:
            for s in ok:
                rq, aq = s.raw["queries"].get(q, {}), s.aigov["queries"].get(q, {})
                rows.append([q, f"{s.triples:,}", rq.get("rows"), _f(rq.get("p50_ms"), 2), _f(aq.get("p50_ms"), 2),
                             _ratio(aq.get("p50_ms"), rq.get("p50_ms"))])
        out += [f"Representative queries on the loaded store, p50 of {c.query_repeats} (in process, no HTTP; "
                "raw = pyoxigraph with the answer consumed, aigov = `EmbeddedStore.query`):", ""]
        out += _table(["query", "triples", "rows", "raw p50 ms", "aigov p50 ms", "aigov/raw"], rows)
        if chart_name:
            out += [f"![query latency against graph size]({chart_name})", ""]
    st = r.build_steps
    if st:
        out += [f"### Build steps at {c.build_steps_size:,} triples only", "",
                f"The build's reasoning and validation on the {st.triples:,}-triple synthetic ontology + data "
                f"({st.data_triples:,} asserted data triples). owlrl (pure Python OWL 2 RL) is far too slow to "
                "run beyond this size (minutes from ~100k triples on), so the larger sizes are not timed: the "
                "build reasons over the report's own ~6k asserted triples only.", ""]
        out += _table(["step", "time", "output"], [
            ["`aigov.pipeline.reason.infer` (owlrl OWL 2 RL)", _f(st.reason_seconds, 1, " s"),
             f"{st.inferred_triples:,} inferred triples"],
            ["`aigov.pipeline.validate.validate_graph` (pySHACL + SPARQL checks, the repo's shapes)",
             _f(st.validate_seconds, 1, " s"),
             f"{st.shacl_results:,} results (synthetic data lacks provenance the shapes require: expected)"]])
        if st.error:
            out += [f"Build steps failed: {st.error}", ""]
    if r.soak:
        from .soak import markdown as soak_markdown

        out += ["## Soak", ""] + soak_markdown(r.soak)
    return "\n".join(out).rstrip() + "\n"


def chart_series(r: Results) -> dict[str, list[tuple[float, float]]]:
    series: dict[str, list[tuple[float, float]]] = {}
    for s in r.scale:
        if s.error:
            continue
        for mode in ("aigov", "raw"):
            for q, v in getattr(s, mode).get("queries", {}).items():
                series.setdefault(f"{q} ({mode})", []).append((s.triples, v["p50_ms"]))
    return series


def write(r: Results) -> tuple[Path, Path]:
    out, chart = r.config.out, r.config.chart
    out.parent.mkdir(parents=True, exist_ok=True)
    chart.write_text(svg.chart(chart_series(r), "Query latency against graph size (aigov solid, raw pyoxigraph dashed)"))
    try:
        chart_name = str(chart.relative_to(out.parent))
    except ValueError:
        chart_name = str(chart)
    out.write_text(render(r, chart_name))
    return out, chart

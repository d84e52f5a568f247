"""One load of one artefact in a fresh process: load time, peak memory, then query latency on the loaded store.

Run as ``python -m bench.probe --mode raw|aigov --instance DIR --queries FILE.json``; prints one JSON object.
A fresh process per load makes VmHWM (the kernel's record of the process's peak resident memory) mean exactly
"what this load needed", with nothing left over from an earlier, bigger load.

* ``raw``: ``pyoxigraph.Store().bulk_load`` of kg.nq, queried with ``use_default_graph_as_union``, every answer
  fully consumed: the engine alone.
* ``aigov``: what ``aigov serve`` does at start-up, ``read_artefact`` (which checks the sha256 in the manifest)
  then ``EmbeddedStore.from_artefact``, queried through ``EmbeddedStore.query`` (materialised ``QueryResult``,
  row limit as served).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def _kib(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _pss_kib() -> int:
    """This process's proportional set size (all of it is its own: nothing is shared with another process)."""
    with open("/proc/self/smaps_rollup") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("Pss:"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.probe")
    parser.add_argument("--mode", choices=("raw", "aigov"), required=True)
    parser.add_argument("--instance", type=Path, required=True)
    parser.add_argument("--queries", type=Path, help="JSON list of {name, text}")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    t = time.perf_counter()
    import pyoxigraph as ox

    if args.mode == "aigov":
        from aigov.pipeline.artefact import read_artefact
        from aigov.settings import load_settings
        from aigov.store.embedded import EmbeddedStore
    imported = time.perf_counter() - t
    rss_before = _kib("VmRSS")

    t = time.perf_counter()
    if args.mode == "raw":
        quads = next((args.instance / "current").resolve().glob("kg.nq"))
        store = ox.Store()
        store.bulk_load(path=str(quads), format=ox.RdfFormat.N_QUADS)

        def run(text: str) -> int:
            return sum(1 for _ in store.query(text, use_default_graph_as_union=True))
    else:
        settings = load_settings({})
        store = EmbeddedStore.from_artefact(read_artefact(args.instance), settings["base_iri"])
        max_rows = settings["max_rows"]

        def run(text: str) -> int:
            r = store.query(text, max_rows=max_rows)
            return len(r.rows) if r.kind == "bindings" else len(r.triples) if r.kind == "graph" else 1
    load_seconds = time.perf_counter() - t
    hwm_after_load = _kib("VmHWM")
    rss_after_load = _kib("VmRSS")
    pss_after_load = _pss_kib()

    queries = {}
    for q in json.loads(args.queries.read_text()) if args.queries else []:
        times, rows = [], None
        for _ in range(args.repeats):
            t = time.perf_counter()
            rows = run(q["text"])
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        queries[q["name"]] = {"p50_ms": times[len(times) // 2], "min_ms": times[0], "rows": rows}

    print(json.dumps({
        "mode": args.mode, "import_seconds": imported, "load_seconds": load_seconds,
        "rss_before_mib": rss_before / 1024, "rss_after_load_mib": rss_after_load / 1024,
        "peak_mib": hwm_after_load / 1024, "pss_after_load_mib": pss_after_load / 1024, "load_peak_delta_mib": (hwm_after_load - rss_before) / 1024,
        "queries": queries,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())

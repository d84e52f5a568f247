"""``python -m bench [--quick | --smoke] [--out FILE] [--no-rdflib]``: run the benchmark, write the report.

Exit 0 when the report was written (whatever the numbers say: targets are reported, not enforced), 2 when the
run itself could not be done (no build artefact, say).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import Config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Benchmark aigov's SPARQL endpoint.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="2 s load runs; sizes 10k and 100k only")
    mode.add_argument("--smoke", action="store_true",
                      help="does it run? ~2k triples, 0.5 s load runs, one client, a few queries (the test suite's)")
    parser.add_argument("--out", type=Path, help="Markdown report (default bench/RESULTS.md)")
    parser.add_argument("--svg", type=Path, help="chart (default latency-vs-size.svg beside the report)")
    parser.add_argument("--instance", type=Path, help="build artefact directory (default instance/)")
    parser.add_argument("--duration", type=float, help="seconds per load run (overrides the preset)")
    parser.add_argument("--no-rdflib", action="store_true", help="leave rdflib-endpoint out")
    args = parser.parse_args(argv)

    config = Config.preset("quick" if args.quick else "smoke" if args.smoke else "full",
                           out=args.out and args.out.resolve(), svg=args.svg and args.svg.resolve(),
                           instance=args.instance and args.instance.resolve(), duration=args.duration,
                           rdflib=False if args.no_rdflib else None)

    from aigov.errors import ArtefactError

    from . import report, runner

    try:
        results = runner.run(config)
    except ArtefactError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 2
    out, chart = report.write(results)
    runner.log(f"wrote {out} and {chart} ({results.seconds / 60:.1f} min)")
    for row in report.targets(results).rows:
        runner.log(f"target: {row[0]}: {row[1]} -> {row[2].strip('*')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

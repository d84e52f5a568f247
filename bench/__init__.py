"""aigov's benchmark: how the endpoint compares with the engine's own server and with the Python alternative.

``python -m bench [--quick|--smoke] [--out bench/RESULTS.md]`` starts three servers on the same build
(``aigov serve``, ``oxigraph serve`` in memory, rdflib-endpoint), checks every query on each, drives each with
client threads for a fixed time, measures the per-request overhead against in-process pyoxigraph, times the
start-up, then loads synthetic graphs of growing size, and writes one Markdown report and one SVG chart.

One module per job, so each can be read (and trusted) on its own:

=================  ===========================================================================
``config``         the run's sizes and durations (full, --quick, --smoke)
``runner``         the order of a run, and the one object carrying every measurement to the report
``procs``          free ports, readiness polling, process-tree peak memory from /proc
``servers``        starting and stopping the three servers on loopback
``rdflib_server``  the rdflib-endpoint process (a Python user's obvious choice)
``workloads``      the canned-query mix and the ad-hoc researcher queries, as plain SPARQL
``client``         one SPARQL-over-HTTP request on a persistent connection
``loadgen``        N client threads for a fixed duration: throughput, latency percentiles, errors
``overhead``       HTTP vs in-process pyoxigraph on the canned queries; ``aigov serve`` ready time
``synthetic``      a deterministic generator of aigov-shaped graphs, written as a real artefact
``probe``          one load (raw pyoxigraph or aigov) in a fresh process: time, peak RSS, query latency
``scale``          the scale run over sizes, and the build steps at 10k
``machine``        what the numbers were measured on
``report``         the Markdown report and the targets, met or not
``svg``            the latency-vs-size chart, written by hand
=================  ===========================================================================
"""

"""The rdflib-endpoint server: what a Python user would otherwise pick to serve this graph.

``python -m bench.rdflib_server --quads kg.nq --port P`` parses the artefact's N-Quads into an rdflib
``Dataset`` whose default graph is the union of the named graphs (``default_union=True``, as aigov and
``oxigraph serve --union-default-graph`` do), and serves it with rdflib-endpoint's ``SparqlEndpoint`` (FastAPI)
under uvicorn at ``/sparql``, with its defaults: one process, one event loop. Prints ``ready`` when listening.
"""
from __future__ import annotations

import argparse
import logging
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rdflib_server")
    parser.add_argument("--quads", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)

    import uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    dataset = Dataset(default_union=True)
    dataset.parse(args.quads, format="nquads")
    logging.getLogger("root").setLevel(logging.CRITICAL)  # rdflib-endpoint logs every failed query at ERROR
    app = SparqlEndpoint(graph=dataset, path="/sparql", title="aigov (rdflib-endpoint)", cors_enabled=False)
    print(f"rdflib-endpoint: {len(dataset)} quads on http://127.0.0.1:{args.port}/sparql", file=sys.stderr,
          flush=True)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

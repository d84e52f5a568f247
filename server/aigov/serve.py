"""`aigov serve`: the app under gunicorn, loaded once in the master and shared by the forked workers.

``preload_app`` means the artefact is read and the store filled once, before forking: workers share those
pages copy-on-write instead of each holding its own copy, and start-up costs one load however many workers.
"""
from __future__ import annotations

import logging
import os
import sys
import tempfile

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, app, options: dict):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def _restart_dead_zygote(arbiter, worker) -> None:
    """In the master, before each worker is forked: a zygote that has died is replaced first, so the new worker
    (and every later one) knows the live one."""
    zygote = arbiter.app.application.extensions["aigov"].zygote
    if zygote is not None and zygote.restart_if_ended():
        arbiter.log.warning("aigov: the query zygote had ended; started a new one (pid %s)", zygote.pid)


def _let_worker_retire(arbiter, worker) -> None:
    """In the new worker: when it finds the zygote gone it stops taking connections, finishes what it has, and
    exits; the master then forks its replacement (after restarting the zygote)."""
    def retire():
        worker.alive = False

    arbiter.app.application.extensions["aigov"].retire_worker = retire


def serve(settings: dict) -> None:
    # Prometheus multiprocess mode must be configured before prometheus_client is imported.
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="aigov-metrics-"))
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(message)s")
    from . import create_app

    app = create_app({k: settings[k] for k in ("root", "instance", "base_iri", "store", "query_timeout",
                                                "max_rows", "evaluators", "max_query_bytes", "rate_limit", "service_allow",
                                                "allow_update", "update_token", "host", "port",
                                                "public_url", "trusted_proxies", "client_concurrency",
                                                "evaluator_memory", "max_result_bytes", "client_budget",
                                                "result_cache_bytes", "workers")})
    options = {
        "bind": f"{settings['host']}:{settings['port']}",
        # updates live in one process's memory, so an update-enabled server runs one worker
        "workers": 1 if settings["allow_update"] else settings["workers"],
        "worker_class": "gthread",
        # queries hold at most 3 x `evaluators` threads (running, or waiting for a slot): the rest serve the rest
        "threads": 3 * app.extensions["aigov"].settings["evaluators"] + 2,
        "preload_app": True,
        "timeout": int(settings["query_timeout"]) + 30,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        # gunicorn's control socket is a thread in the master, which must stay single-threaded to fork zygotes
        "control_socket_disable": True,
        "pre_fork": _restart_dead_zygote,
        "post_fork": _let_worker_retire,
    }
    print(f"aigov: serving build {app.extensions['aigov'].store.version} on http://{options['bind']}/",
          file=sys.stderr, flush=True)
    _Gunicorn(app, options).run()

"""The tests' one way to make HTTP calls: a requests session with a default timeout.

A server that stops answering must fail the test that was waiting, not hang the suite; so no call in tests may
go without a timeout, and this session adds one to any call that does not name its own. pytest-timeout's
suite-wide limit (pyproject.toml) is the backstop for everything else (rdflib and SPARQLWrapper fetches,
subprocesses).
"""
from __future__ import annotations

from http.cookiejar import DefaultCookiePolicy

import requests

TIMEOUT = 60  # seconds; a generous bound for one request on a busy two-core CI machine


class TimeoutSession(requests.Session):
    """A requests session with a default timeout that keeps no cookies: one test's language choice (the site's
    aigov_lang cookie) must not leak into the requests of the next. A test about cookies sends its own."""

    def __init__(self):
        super().__init__()
        self.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(method, url, **kwargs)


http = TimeoutSession()

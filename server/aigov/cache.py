"""A small in-process LRU cache for rendered responses of saved queries and resource pages.

Keys start with the build's version, so a new build never serves an old body; the data is read-only between
builds, so nothing else can make an entry stale. Ad-hoc SPARQL is not cached (unbounded key space)."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable

MAX_ENTRIES = 512
MAX_BODY = 2 << 20  # bodies above 2 MiB are not kept


class ResponseCache:
    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_compute(self, key: tuple, compute: Callable[[], tuple]) -> tuple:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]
        value = compute()
        body = value[0]
        with self._lock:
            self.misses += 1
            if len(body) <= MAX_BODY:
                self._entries[key] = value
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value

"""Small in-process LRU caches: rendered responses of saved queries and resource pages (by entries), and ad-hoc
query answers (by bytes).

Keys start with the build's version (which an update also moves on), so a new build never serves an old body;
the data is read-only between builds, so nothing else can make an entry stale."""
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


class ResultCache:
    """Ad-hoc query answers, per worker, bounded by bytes (least recently used out first).

    Keyed by the build version, the normalised query text, the dataset parameters, the endpoint URL (the base of
    relative IRIs) and what the client asked for (Accept, format=), so a hit is the answer evaluation would give.
    A researcher re-running a query, or a notebook re-executing its cells, is answered without evaluating."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.max_entry = max_bytes // 8  # no single answer may push out most of the others
        self.size = 0
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, body: bytes, **meta) -> None:
        if not self.max_bytes or len(body) > self.max_entry:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= len(old[0])
            self._entries[key] = (body, meta)
            self.size += len(body)
            while self.size > self.max_bytes:
                evicted, _ = self._entries.popitem(last=False)[1]
                self.size -= len(evicted)


class Tee:
    """Pass a streamed body through, keeping a copy to cache once it has been sent whole (and was small enough)."""

    def __init__(self, chunks, limit: int, on_complete):
        self.chunks, self.limit, self.on_complete = chunks, limit, on_complete

    def __iter__(self):
        kept, size = [], 0
        for chunk in self.chunks:
            size += len(chunk)
            if kept is not None:
                if size <= self.limit:
                    kept.append(chunk)
                else:
                    kept = None
            yield chunk
        if kept is not None and getattr(self.chunks, "complete", True):
            self.on_complete(b"".join(kept))

    def close(self) -> None:
        close = getattr(self.chunks, "close", None)
        if close is not None:
            close()

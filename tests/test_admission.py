"""The admission rules of a worker's query slots (store/evaluator.py ``Admission``), on the real class with threads:
who starts, who waits, who is refused."""
from __future__ import annotations

import threading
import time

import pytest

from aigov.errors import Busy
from aigov.store.evaluator import Admission


class Holder(threading.Thread):
    """A query from ``client`` that takes a slot (waiting if it must) and holds it until released."""

    def __init__(self, admission: Admission, client: str):
        super().__init__(daemon=True)
        self.admission, self.client = admission, client
        self.started, self.release = threading.Event(), threading.Event()
        self.refused: Busy | None = None

    def run(self):
        try:
            with self.admission.slot(self.client, lambda: False, wait=10):
                self.started.set()
                self.release.wait(10)
        except Busy as e:
            self.refused = e

    def finish(self):
        self.release.set()
        self.join(10)


def _settle():
    time.sleep(0.3)  # longer than the admission's poll interval


def test_the_last_free_slot_is_kept_for_a_client_with_nothing_running():
    admission = Admission(slots=2, per_client=2)
    first = Holder(admission, "flood")
    first.start()
    assert first.started.wait(5)
    second = Holder(admission, "flood")
    second.start()
    _settle()
    assert not second.started.is_set(), "a busy client took the last slot"
    other = Holder(admission, "analyst")
    other.start()
    assert other.started.wait(5), "a client with nothing running was kept from the last slot"
    other.finish()
    first.finish()
    assert second.started.wait(5)  # once the flood has nothing running, the slot is its to take
    second.finish()


def test_a_full_queue_gives_the_heaviest_clients_newest_place_to_a_newcomer():
    admission = Admission(slots=1, per_client=3)  # one slot, two places in the queue
    running = Holder(admission, "flood")
    running.start()
    assert running.started.wait(5)
    older, newer = Holder(admission, "flood"), Holder(admission, "flood")
    older.start()
    _settle()
    newer.start()
    _settle()
    newcomer = Holder(admission, "analyst")
    newcomer.start()
    newer.join(5)
    assert newer.refused is not None and "gave its place" in newer.refused.message
    assert older.refused is None and newcomer.refused is None
    running.finish()
    assert newcomer.started.wait(5) or older.started.wait(5)
    for h in (older, newcomer):
        h.finish()
    assert older.refused is None and newcomer.refused is None and older.started.is_set() and newcomer.started.is_set()


def test_a_full_queue_refuses_a_newcomer_no_lighter_than_anyone_waiting():
    admission = Admission(slots=2, per_client=2)  # two slots, four places in the queue
    running = [Holder(admission, c) for c in ("c", "d")]
    for h in running:
        h.start()
        assert h.started.wait(5)
    waiting = [Holder(admission, c) for c in ("a", "b", "e", "f")]  # one query each in the queue
    for h in waiting:
        h.start()
    _settle()
    with pytest.raises(Busy, match="queue is full"):  # d has one running: no lighter than a, b, e or f
        with admission.slot("d", lambda: False, wait=1):
            pass
    assert all(h.refused is None for h in waiting)
    for h in running + waiting:
        h.finish()
    assert all(h.started.is_set() for h in waiting)


def test_a_client_past_its_concurrency_is_refused_at_once():
    admission = Admission(slots=4, per_client=2)
    holders = [Holder(admission, "flood") for _ in range(2)]
    for h in holders:
        h.start()
        assert h.started.wait(5)
    start = time.monotonic()
    with pytest.raises(Busy, match="already has 2 queries"):
        with admission.slot("flood", lambda: False, wait=5):
            pass
    assert time.monotonic() - start < 1
    for h in holders:
        h.finish()

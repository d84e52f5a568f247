"""Process plumbing: free loopback ports, waiting for readiness, and a process tree's peak memory.

Memory is read from /proc rather than from the servers' own metrics, so the three servers are measured the same
way. A server may be several processes (gunicorn's master and workers and their children), so the sampler sums
the whole tree: VmRSS sampled during the run (peak of the sum), VmHWM (each process's own peak, summed) and Pss
(shared pages divided among the processes that share them: forked workers share the store copy-on-write, which
RSS counts once per process).
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field

import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, process: subprocess.Popen, timeout: float = 60.0, params: dict | None = None,
               interval: float = 0.02) -> float:
    """Poll ``url`` until it answers 200; return the seconds it took. Raise if the process dies or time runs out."""
    start = time.monotonic()
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before answering {url}")
        try:
            if requests.get(url, params=params, timeout=1).status_code == 200:
                return time.monotonic() - start
        except requests.RequestException:
            pass
        if time.monotonic() - start > timeout:
            raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f} s")
        time.sleep(interval)


def stop(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """TERM the process (and, as a fallback, KILL its group: only processes this benchmark started)."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
        process.wait(timeout=timeout)


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it, found by scanning /proc/*/stat for parent ids."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children.get(p, ()))
    return tree


def status_kib(pid: int, *keys: str) -> dict[str, int]:
    """Fields of /proc/PID/status in KiB (missing process: empty)."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                name, _, value = line.partition(":")
                if name in keys:
                    out[name] = int(value.split()[0])
    except OSError:
        pass
    return out


def pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Memory:
    peak_rss_mib: float = 0.0  # max over samples of the tree's summed VmRSS
    hwm_mib: float = 0.0  # sum over the tree's processes of each one's VmHWM (its own peak)
    peak_pss_mib: float = 0.0  # max over samples of the tree's summed Pss
    processes: int = 0
    samples: int = 0


@dataclass
class MemorySampler:
    """Samples a process tree's memory in a background thread until ``stop()``; cheap enough to run during load."""

    pid: int
    interval: float = 0.25
    memory: Memory = field(default_factory=Memory)
    _hwm: dict = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> "MemorySampler":
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"mem-{self.pid}")
        self._thread.start()
        return self

    def sample(self) -> None:
        rss = pss = 0
        for p in descendants(self.pid):
            s = status_kib(p, "VmRSS", "VmHWM")
            if not s:
                continue
            rss += s.get("VmRSS", 0)
            self._hwm[p] = max(self._hwm.get(p, 0), s.get("VmHWM", 0))
            pss += pss_kib(p)
        m = self.memory
        m.peak_rss_mib = max(m.peak_rss_mib, rss / 1024)
        m.peak_pss_mib = max(m.peak_pss_mib, pss / 1024)
        m.hwm_mib = sum(self._hwm.values()) / 1024
        m.processes = max(m.processes, len(self._hwm))
        m.samples += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def stop(self) -> Memory:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
        self.sample()
        return self.memory

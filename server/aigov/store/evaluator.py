"""Ad-hoc queries in child processes forked from one loaded store: they share its memory and can be killed.

pyoxigraph has no timeout or cancel API and releases the GIL while it evaluates, so only a killed process really
stops a query. The pieces and how they talk::

    gunicorn master: create_app loads the store once, then forks ──► zygote (never starts a thread): forks and
      │ forks the gthread workers                                   │ keeps `workers x evaluators` query children,
      ▼                                                             ▼ replacing each one that ends
    worker thread ── connect to the Unix socket (0700 dir) ──────► query child (idle ones race to accept()):
                  ── send {query, options, Accept} ─────────────►   evaluates on the store it shares
                  ◄── its pid; a header; the body in chunks ─────    copy-on-write, negotiates, serializes

* The zygote is forked from the master right after the store is loaded, while the master still has one thread
  (checked: a fork copies only the calling thread, and a lock another thread held would stay locked forever). It
  only forks; each child starts with the loaded store and no threads, warms itself with one tiny query (a first
  query in a fresh fork costs ~15 ms of copy-on-write faults, the next ~0.5 ms), then answers one connection at a
  time. A child retires after MAX_QUERIES answers or once it holds RETIRE_MIB of copied memory (a query that
  scanned the store copies the pages it touched), so memory returns to the shared store. The zygote watches its
  children's pidfds and forks a replacement for each one that ends; SIGCHLD is ignored, so the kernel reaps them.
  Idle children wait in a blocking accept(), so the kernel wakes one of them per query. Everything ends with the
  lifeline pipe: when the master and the workers are gone, the zygote sees EOF and exits, and the kernel kills
  its children with it (PR_SET_PDEATHSIG).
* A child caps its address space at its size at birth plus ``evaluator_memory`` MiB (RLIMIT_AS): a query that
  grows without bound fails an allocation and dies instead of swapping the machine. During each query an alarm at
  ``query_timeout`` + 5 s ends the child even if the worker that should kill it is gone.
* The worker thread waits for the answer while watching its client's socket: past ``query_timeout``, or when the
  client hangs up, it kills the child through a pidfd (never a recycled pid) and answers 503; the zygote forks a
  fresh child. A child that dies without answering ran out of memory (or crashed): 503 naming the memory limit.
* The child serializes the body (bounded by ``max_result_bytes``, cut to fit and flagged, see ``aigov.answer``);
  the worker streams it to the client in chunks and never holds it whole. HTML comes back as the bounded result,
  which the worker renders.
* Admission, in each worker (``Admission``): at most ``evaluators`` queries running and twice as many waiting (at most
  ``query_timeout``, after which the time limit starts when a child takes the query); a client has at most
  ``client_concurrency`` running or waiting; a freed slot goes to the waiting query whose client has the fewest
  running, the last free slot only to a client with none, and a full queue makes room by displacing the heaviest
  client's newest waiting query. Beyond that a query is answered 503 + Retry-After at once.
  gunicorn gives each worker ``3 x evaluators + 2`` threads, so queries never hold every thread: pages, static
  files and /health keep answering.
"""
from __future__ import annotations

import math
import os
import resource
import select
import shutil
import signal
import socket
import tempfile
import threading
import time
from contextlib import contextmanager
from multiprocessing.connection import Connection

from .. import errors
from ..answer import Answer, encode
from ..errors import AigovError, BadRequest, Busy, EvaluatorsDown, MemoryLimit, QueryTimeout

POLL = 0.1
MAX_QUERIES = 1000  # queries one child answers before it retires
RETIRE_MIB = 64  # a child holding more private (copied) memory than this retires after its answer
WAIT = 5.0  # how long a worker waits for an idle child to pick up its connection
CHUNK = 1 << 20


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


class Zygote:
    """The forking server's handle, held by the master (and inherited by the workers): the children's socket
    address, the lifeline, and the zygote's pid. The master keeps the listening socket, so a zygote that dies
    (killed, or crashed) is replaced on the same address the next time gunicorn forks a worker."""

    def __init__(self, listener: socket.socket, store, size: int, timeout: float, memory_mib: int):
        self.listener, self.address = listener, listener.getsockname()
        self.lifeline_read, self.lifeline = os.pipe()
        self._args = (store, size, timeout, memory_mib)
        self.pid, self.pidfd = 0, -1

    @classmethod
    def start(cls, store, size: int, timeout: float, memory_mib: int) -> "Zygote | None":
        """Fork the zygote from this process, or None (queries then run in the worker) if it has other threads."""
        if _threads() != 1:
            return None
        directory = tempfile.mkdtemp(prefix="aigov-zygote-")  # 0700: only our own user can connect
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(os.path.join(directory, "sock"))
        listener.listen(128)
        zygote = cls(listener, store, size, timeout, memory_mib)
        zygote._fork()
        return zygote

    def _fork(self) -> None:
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                os.close(self.lifeline)
                _zygote(self.listener, self.lifeline_read, *self._args)
                shutil.rmtree(os.path.dirname(self.address), ignore_errors=True)  # everyone has gone
                status = 0
            finally:
                os._exit(status)
        self.pid, self.pidfd = pid, os.pidfd_open(pid)

    def restart_if_ended(self) -> bool:
        """In the master, before gunicorn forks a worker: fork a new zygote if the last one has ended. True when
        it did; False when it is alive, or when this process runs threads and must not fork one (logged)."""
        if not _ended(self.pidfd):
            return False
        if _threads() != 1:
            import logging

            logging.getLogger("aigov").error("aigov: the query zygote has ended and cannot be replaced from a "
                                             "process with threads; restart the server")
            return False
        os.close(self.pidfd)
        self._fork()
        return True


def _ended(pidfd: int) -> bool:
    """A pidfd is readable once its process has ended."""
    readable, _, _ = select.select([pidfd], [], [], 0)
    return bool(readable)


def _zygote(listener: socket.socket, lifeline: int, store, size: int, timeout: float, memory_mib: int) -> None:
    """Keep ``size`` children alive, each answering queries from the listener; replace each one that ends."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the children
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; we leave with the master
    children: set[int] = set()  # pidfds: readable once the child has ended
    me = os.getpid()
    while True:
        while len(children) < size:
            pid = os.fork()
            if pid == 0:
                try:
                    for sibling in children:
                        os.close(sibling)
                    _serve_queries(listener, me, store, timeout, memory_mib)
                finally:
                    os._exit(0)
            children.add(os.pidfd_open(pid))
        readable, _, _ = select.select([lifeline, *children], [], [])
        if lifeline in readable:  # EOF: the master and every worker are gone (the children die with us)
            return
        for pidfd in readable:  # killed past a limit, or retired: fork a fresh one from the clean store
            children.discard(pidfd)
            os.close(pidfd)
        time.sleep(0.01)  # a child that dies at once must not become a busy fork loop


def _serve_queries(listener: socket.socket, zygote: int, store, timeout: float, memory_mib: int) -> None:
    """A query child: warmed by one tiny query, which faults in the copy-on-write pages every query touches
    (measured: a first query in a fresh fork 14.6 ms, the next 0.5 ms), then one connection at a time until it
    has answered MAX_QUERIES or holds more than RETIRE_MIB of its own (copied) memory.

    Idle children wait in a blocking accept(), where the kernel wakes exactly one of them per connection (waiting
    in select() woke every idle child for each query). They cannot watch the lifeline there, so each asks the
    kernel to kill it when the zygote ends, and the zygote ends with the lifeline."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    _die_with(zygote)
    _limit_memory(memory_mib)
    encode(store.query('ASK { ?s ?p "warm-up" }'), None, None, 0)
    listener.setblocking(True)
    for _ in range(MAX_QUERIES):
        conn, _ = listener.accept()
        signal.alarm(math.ceil(timeout) + 5)  # SIGALRM's default action ends the process, whatever it is doing
        _child(Connection(conn.detach()), store, memory_mib)
        signal.alarm(0)
        if _private_mib() > RETIRE_MIB:
            return


def _die_with(parent: int) -> None:
    """PR_SET_PDEATHSIG: SIGKILL this process when its parent (the zygote) ends, however it ends."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the zygote ended (and we were adopted) before the request took effect
        os._exit(0)


def _private_mib() -> float:
    with open("/proc/self/statm") as f:
        _, resident, shared, *_ = (int(x) for x in f.read().split())
    return (resident - shared) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)


def _limit_memory(memory_mib: int) -> None:
    """Cap the address space at the current size (the store included) plus memory_mib: an allocation past it
    fails and the query dies, instead of the machine swapping."""
    if memory_mib > 0:
        with open("/proc/self/statm") as f:
            size = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (size + (memory_mib << 20), hard))


def _child(conn: Connection, store, memory_mib: int) -> None:
    """One query: pid out, request in, then ("result", header, QueryResult) (HTML), ("whole", header, body) or, for
    a body over CHUNK, ("body", header) + chunks + b""."""
    try:
        conn.send(os.getpid())
        request = conn.recv()
    except (EOFError, OSError):  # the worker went away before asking
        conn.close()
        return
    try:
        result = store.query(request["text"], **request["options"])
        answer = encode(result, request["accept"], request["format"], request["max_bytes"],
                        request.get("context_url"), request.get("truncation_link"))
        signal.alarm(0)  # evaluated: sending may take as long as the client reads (the worker kills us if it hangs up)
        header = {"kind": answer.kind, "media": answer.media, "truncated": answer.truncated,
                  "rows": answer.rows, "length": answer.length}
        if answer.result is not None:
            conn.send(("result", header, answer.result))
            return
        body = answer.body
        if len(body) <= CHUNK:  # most answers: one message, and the worker is done with us
            conn.send(("whole", header, body))
            return
        conn.send(("body", header))
        for start in range(0, len(body), CHUNK):
            conn.send_bytes(body[start:start + CHUNK])
        conn.send_bytes(b"")
    except AigovError as e:
        conn.send(("error", type(e).__name__, e.message))
    except MemoryError:
        conn.send(("error", "MemoryLimit", f"the query needed more than the {memory_mib} MiB memory limit"))
        raise SystemExit  # a heap that hit its limit is not trusted with another query
    except Exception as e:  # never let a bad query end without an answer
        conn.send(("error", "BadRequest", f"query evaluation failed: {type(e).__name__}: {e}"))
    finally:
        conn.close()


class Admission:
    """Per worker: at most ``slots`` evaluations at once and ``2 x slots`` waiting; each client at most
    ``per_client`` queries in the house (running or waiting). Three rules keep one client's flood from starving
    everyone else:

    * a freed slot goes to the waiting query whose client has the fewest running (then the oldest);
    * the last free slot only goes to a client with nothing running, so a few busy clients never hold them all;
    * when the queue is full, a newcomer displaces the newest waiting query of the client with most in the house,
      if that client has more than the newcomer; the displaced one is answered 503 (Busy) at once.
    """

    def __init__(self, slots: int, per_client: int):
        self.free, self.per_client, self.max_waiting = slots, per_client, 2 * slots
        self.running: dict[str, int] = {}
        self.waiting: list[tuple[int, str]] = []  # (ticket, client), in arrival order
        self.displaced: set[tuple[int, str]] = set()
        self._tickets = 0
        self._cond = threading.Condition()

    def _admitted(self, client: str) -> int:
        return self.running.get(client, 0) + sum(1 for _, c in self.waiting if c == client)

    def _next(self) -> tuple[int, str]:
        return min(self.waiting, key=lambda w: (self.running.get(w[1], 0), w[0]))

    def _can_start(self, client: str) -> bool:
        return self.free > (1 if self.running.get(client) else 0)

    def _make_room(self, client: str) -> None:
        """Displace the newest waiting query of the heaviest client, or raise Busy if nobody is heavier."""
        heaviest = max({c for _, c in self.waiting}, key=self._admitted)
        if self._admitted(heaviest) <= self._admitted(client):
            raise Busy("every query slot is busy and the queue is full; retry in a few seconds")
        victim = max(w for w in self.waiting if w[1] == heaviest)
        self.waiting.remove(victim)
        self.displaced.add(victim)

    @contextmanager
    def slot(self, client: str, cancelled, wait: float = 5.0):
        with self._cond:
            admitted = self._admitted(client)
            if admitted >= self.per_client:
                raise Busy(f"{client} already has {admitted} queries running or waiting here (the limit is "
                           f"{self.per_client}); wait for their answers before sending more")
            if self.waiting or not self._can_start(client):
                if len(self.waiting) >= self.max_waiting:
                    self._make_room(client)
                self._tickets += 1
                me = (self._tickets, client)
                self.waiting.append(me)
                try:
                    end = time.monotonic() + wait
                    while not (me not in self.displaced and self._can_start(client) and self._next() == me):
                        if me in self.displaced:
                            raise Busy(f"{client}'s query gave its place in the queue to another client's (it "
                                       "had the most queries here); retry in a few seconds")
                        if time.monotonic() > end or cancelled():
                            raise Busy("every query slot stayed busy; retry in a few seconds")
                        self._cond.wait(POLL)
                finally:
                    if me in self.displaced:
                        self.displaced.discard(me)
                    else:
                        self.waiting.remove(me)
                    self._cond.notify_all()
            self.free -= 1
            self.running[client] = self.running.get(client, 0) + 1
        try:
            yield
        finally:
            with self._cond:
                self.free += 1
                left = self.running.pop(client) - 1
                if left:
                    self.running[client] = left
                self._cond.notify_all()


class Evaluators:
    """A worker's way to the query children: one connection per query, picked up by an idle child."""

    def __init__(self, zygote: Zygote, settings: dict, lost=lambda: None):
        self.address = zygote.address
        self.timeout = settings["query_timeout"]
        self.memory_mib = settings["evaluator_memory"]
        self.admission = Admission(settings["evaluators"], settings["client_concurrency"])
        self.pid = os.getpid()
        self._zygote = zygote.pidfd  # inherited from the master at fork: names that zygote even once it has ended
        self._lost = lost

    def running(self) -> bool:
        """Whether the zygote this worker knows is alive. Once it is not, ``lost`` is told (under gunicorn, this
        worker asks to be replaced, and the master forks a new zygote before it forks the new worker)."""
        if not _ended(self._zygote):
            return True
        self._lost()
        return False

    def query(self, request: dict, client: str, cancelled=lambda: False, charge=lambda seconds: None) -> Answer:
        """The child's answer; ``charge`` is told how long the child held its slot, however it ended."""
        # a query may wait for a slot as long as it may run (a few wait; each holds a thread), then the time
        # limit counts from the moment a child has it
        with self.admission.slot(client, cancelled, self.timeout):
            conn, child = self._fork(request)
            forked = time.monotonic()
            deadline = forked + self.timeout
            try:
                while not conn.poll(POLL):
                    if time.monotonic() > deadline or cancelled():
                        _kill(child)
                        if cancelled():
                            raise BadRequest("the client closed the connection; the query was stopped")
                        raise QueryTimeout(f"the query ran longer than the {self.timeout:g} s limit and was stopped; "
                                           "narrow it (LIMIT, more specific patterns) or run it on a copy of the "
                                           "data (see /dumps)")
                message = conn.recv()
            except (EOFError, OSError):
                _kill(child)
                conn.close()
                raise MemoryLimit(f"the query was stopped: its evaluator died, most likely past the "
                                  f"{self.memory_mib} MiB memory limit; narrow the query (fewer or shorter "
                                  "values, LIMIT)") from None
            except BaseException:
                conn.close()
                raise
            finally:
                charge(time.monotonic() - forked)
        if message[0] != "body":  # the child has said all it will and goes back to waiting for a query
            conn.close()
            if child is not None:
                os.close(child)
        if message[0] == "error":
            _, name, text = message
            error = getattr(errors, name, BadRequest)
            raise (error if isinstance(error, type) and issubclass(error, AigovError) else BadRequest)(text)
        header = message[1]
        if message[0] == "result":
            return Answer(**header, result=message[2])
        if message[0] == "whole":
            return Answer(**header, body=message[2])
        return Answer(**header, chunks=_Stream(conn, child))

    def _fork(self, request: dict) -> tuple[Connection, int]:
        """Connect to the children's socket and send the request at once (it waits in the socket buffer); an idle
        child picks the connection up and sends its pid first. Return the connection and a pidfd for that child
        (None if it has already answered and retired: nothing is left to kill). A child's pid cannot be reused
        before it ends, and the pidfd, once open, never names another process."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(self.address)
        except OSError:
            sock.close()
            raise EvaluatorsDown("the query evaluators are not running; they are being restarted, retry in a few seconds") from None
        conn = Connection(sock.detach())
        conn.send(request)
        if not conn.poll(WAIT):
            conn.close()
            if not self.running():
                raise EvaluatorsDown("the query evaluators are not running; they are being restarted, retry in a few seconds")
            raise Busy("no query evaluator could be started; retry in a few seconds")
        pid = conn.recv()
        try:
            return conn, os.pidfd_open(pid)
        except ProcessLookupError:  # it answered and retired already: nothing left to kill
            return conn, None


def _kill(pidfd: int | None) -> None:
    """SIGKILL through a pidfd: a child that already exited is not confused with a new process given its pid."""
    if pidfd is None:
        return
    try:
        signal.pidfd_send_signal(pidfd, signal.SIGKILL)
    except ProcessLookupError:
        pass
    finally:
        os.close(pidfd)


class _Stream:
    """The body as the child sends it, chunk by chunk; closing early (client gone, HEAD) kills the child."""

    def __init__(self, conn: Connection, pidfd: int):
        self.conn, self.pidfd, self.done = conn, pidfd, False
        self.complete = False  # True once the child's end marker arrived: the body is whole

    def __iter__(self):
        try:
            while not self.done:
                chunk = self.conn.recv_bytes()
                if not chunk:
                    self.done = self.complete = True
                    break
                yield chunk
        except (EOFError, OSError):  # the child died mid-body: the client gets a short body, the cache nothing
            self.done = True
        finally:
            self.close()

    def close(self) -> None:
        if self.conn.closed:
            return
        if not self.done:
            _kill(self.pidfd)
        elif self.pidfd is not None:
            os.close(self.pidfd)
        self.pidfd = None
        self.conn.close()

"""The Keras oracles in a process of their own, on the other core.

Importing TensorFlow and running Keras's eager ops is most of a run's work. In the grader it
would share one interpreter lock with torch, the grading and the worker's replies; in a second
process it runs beside them. `python -m nngrade.remote` reads a plan's description (labs, seed,
hidden checks, functions, oracles) on stdin and builds the same `Plan`'s checks; the grader
sends each lab's inputs as it makes them (so this process never needs torch) while TensorFlow
loads here. Then it writes every Keras answer as soon as it has it, in grading order, half of
them computed by a copy of itself forked once TensorFlow is loaded (Linux, two cores or more).
Between two answers it serves calls of Keras functions of `reference/` (a custom comparison,
a stand-in, a known mistake), so the grader never imports TensorFlow itself.

The grader side (`OracleProcess`) is only a cache in front of the real oracles: an answer that
did not come (the process died or stalled, the oracle raised, the value is not plain data) is
computed in-process by the caller, exactly as without this module. Nothing from a student
reaches this process except the values a custom comparison passes, as plain data over
`nngrade.wire`.
"""
from __future__ import annotations

import contextlib
import importlib
import os
import queue
import subprocess
import sys
import threading
import time

import numpy as np

from nngrade import wire

MISSING = object()
QUIET_SECONDS = 120.0   # no message for this long: the process is taken for dead
ACTIVE = None           # the grader's running OracleProcess, for `call`


def is_keras(fn) -> bool:
    """A Keras oracle of `reference/` that the other process can look up by name."""
    return str(getattr(fn, "__module__", "")).startswith("reference.") and \
        str(getattr(fn, "__qualname__", "")).startswith("Keras.") and _resolve(_name(fn)) is fn


def _name(fn) -> str:
    return f"{fn.__module__}:{fn.__qualname__}"


def _resolve(name: str):
    module, _, qualname = name.partition(":")
    if not module.startswith("reference."):
        return None
    obj = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    return obj


def keras_ready() -> bool:
    """Keras answers are to be had without importing TensorFlow here: an oracle process runs, or
    this process has Keras loaded already. (Not in a `--oracles primary` run of a lab decided by
    PyTorch: there, PyTorch decides alone.)"""
    return ACTIVE is not None or "keras" in sys.modules


def call(fn, args=(), kwargs=None, lock=None):
    """`fn(*args, **kwargs)`, computed in the oracle process when one runs and `fn` is a Keras
    function of `reference/`; here otherwise, or when that process cannot answer (then under
    `lock`, since oracles are not thread-safe)."""
    kwargs = kwargs or {}
    remote = ACTIVE
    if remote is not None and is_keras(fn) and plain([list(args), kwargs]):
        value = remote.call(_name(fn), args, kwargs)
        if value is not MISSING:
            return value
    with lock or contextlib.nullcontext():
        return fn(*args, **kwargs)


def plain(x) -> bool:
    """Data that crosses the wire unchanged (no Opaque on the other side)."""
    if x is None or type(x) in (bool, int, float, str):
        return True
    if type(x) is np.ndarray or (isinstance(x, np.generic) and not isinstance(x, np.ndarray)):
        return x.dtype.kind in wire.ARRAY_KINDS
    if type(x) in (list, tuple):
        return all(plain(v) for v in x)
    if type(x) is dict:
        return all(type(k) is str and plain(v) for k, v in x.items())
    return False


class OracleProcess:
    """The grader's end: answers arrive in a background thread and wait in `answers`."""

    def __init__(self, spec: dict):
        from nngrade.client import ROOT, worker_env
        self.answers: dict[tuple, object] = {}
        self.replies: dict[int, object] = {}
        self.done = False
        self.dead = False
        self.frameworks = None       # what the other process had imported when it was done
        self.helper = None           # whether it forked a helper for half of the answers
        self.last_heard = time.monotonic()
        self._cond = threading.Condition()
        self._send_lock = threading.Lock()
        self._next_id = 0
        env = worker_env({"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"})
        self.proc = subprocess.Popen([sys.executable, "-m", "nngrade.remote"], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, start_new_session=os.name == "posix")
        self._send(spec)
        threading.Thread(target=self._read, daemon=True, name="oracle-process").start()

    def _send(self, msg) -> bool:
        try:
            with self._send_lock:
                wire.send(self.proc.stdin.fileno(), msg)
            return True
        except (OSError, ValueError):
            self._die()
            return False

    def _die(self):
        with self._cond:
            self.dead = True
            self._cond.notify_all()

    def _read(self):
        fd = self.proc.stdout.fileno()
        try:
            while True:
                msg = wire.recv(fd)
                with self._cond:
                    self.last_heard = time.monotonic()
                    if "answer" in msg:
                        ok = "value" in msg and plain(msg["value"])
                        self.answers[tuple(msg["answer"])] = msg["value"] if ok else MISSING
                    elif "reply" in msg:
                        ok = "value" in msg and plain(msg["value"])
                        self.replies[msg["reply"]] = msg["value"] if ok else MISSING
                    elif msg.get("done"):
                        self.done = True
                        self.frameworks = msg.get("frameworks")
                        self.helper = msg.get("helper")
                    self._cond.notify_all()
        except (wire.WireError, OSError, KeyError, TypeError):
            self._die()

    def _wait(self, ready):
        with self._cond:
            while not ready():
                if self.dead:
                    return False
                if time.monotonic() - self.last_heard > QUIET_SECONDS:
                    self.dead = True
                    self._kill()
                    return False
                self._cond.wait(1.0)
            return True

    def wait_done(self) -> bool:
        """Until every answer is in (False if the process died first)."""
        return self._wait(lambda: self.done)

    def answer(self, lab: str, check: int, case: int):
        """The Keras answer of a plan's check (by its place in the lab's list) on one case."""
        key = (lab, check, case)
        if not self._wait(lambda: key in self.answers or self.done):
            return MISSING
        return self.answers.get(key, MISSING)

    def send_cases(self, lab: str, cases: list):
        """A lab's inputs: for each check of the plan's list, its cases as (args, kwargs), or
        None for a check this process computes itself."""
        self._send({"cases": lab, "checks": [None if c is None else [[list(x.args), x.kwargs] for x in c]
                                              for c in cases]})

    def call(self, name: str, args, kwargs):
        with self._cond:
            self._next_id += 1
            rid = self._next_id
        if self.dead or not self._send({"call": name, "id": rid, "args": list(args), "kwargs": kwargs}):
            return MISSING
        if not self._wait(lambda: rid in self.replies):
            return MISSING
        with self._cond:
            return self.replies.pop(rid)

    def _kill(self):
        """The process and its forked helper (its own session: one process group)."""
        try:
            if os.name == "posix":
                os.killpg(self.proc.pid, 9)
            else:
                self.proc.kill()
        except OSError:
            pass

    def close(self):
        global ACTIVE
        if ACTIVE is self:
            ACTIVE = None
        # answers nobody asked for (a lab left blank needs none) are not waited for
        self._kill()
        self.proc.wait()
        try:
            with self._send_lock:
                self.proc.stdin.close()
        except OSError:
            pass


def start(spec: dict) -> OracleProcess:
    """The oracle process for a plan's `spec`. On Linux with two cores or more it forks a helper
    (macOS's system libraries are not safe to use in a child forked from a threaded process)."""
    global ACTIVE
    helper = sys.platform.startswith("linux") and (os.cpu_count() or 1) >= 2
    ACTIVE = OracleProcess(dict(spec, helper=helper))
    return ACTIVE


# -- the oracle process ---------------------------------------------------------------------
HELPER_QUIET_SECONDS = 15.0   # a forked helper that sends nothing for this long is stopped


class _Out:
    """The answers' channel, shared by this process's threads."""

    def __init__(self, fd: int):
        self.fd = fd
        self.lock = threading.Lock()

    def send(self, msg):
        with self.lock:
            wire.send(self.fd, msg)


class _Inbox:
    """What the grader sends, read by a thread: the cases of each lab, and calls."""

    def __init__(self):
        self.cases: dict[str, list] = {}
        self.calls: queue.Queue = queue.Queue()
        self.open = True
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            while True:
                msg = wire.recv(0)
                with self._cond:
                    if "cases" in msg:
                        self.cases[msg["cases"]] = msg["checks"]
                    else:
                        self.calls.put(msg)
                    self._cond.notify_all()
        except (wire.WireError, OSError, KeyError, TypeError):
            with self._cond:
                self.open = False
                self._cond.notify_all()

    def wait(self, out, ready, seconds=None):
        """Serve calls until `ready()`; False when the grader is gone (or `seconds` passed)."""
        deadline = None if seconds is None else time.monotonic() + seconds
        while True:
            self.serve(out)
            with self._cond:
                if ready():
                    return True
                if not self.open or (deadline is not None and time.monotonic() > deadline):
                    return False
                if self.calls.empty():
                    self._cond.wait(0.2)

    def serve(self, out):
        while True:
            try:
                req = self.calls.get_nowait()
            except queue.Empty:
                return
            try:
                fn = _resolve(str(req["call"]))
                if fn is None or not str(getattr(fn, "__qualname__", "")).startswith("Keras."):
                    raise LookupError(f"not a Keras oracle: {req['call']}")
                msg = {"reply": req["id"], "value": fn(*req["args"], **req["kwargs"])}
            except Exception as e:
                msg = {"reply": req["id"], "error": f"{type(e).__name__}: {e}"[:500]}
            out.send(msg)


def _answer(plan, cases, lab, j, send, between=None):
    check = plan.checks[lab][j]
    for i, (args, kwargs) in enumerate(cases[lab][j]):
        if between:
            between()
        try:
            msg = {"answer": [lab, j, i], "value": check.keras(*args, **kwargs)}
        except Exception as e:
            msg = {"answer": [lab, j, i], "error": f"{type(e).__name__}: {e}"[:500]}
        send(msg)


class _Helper:
    """A forked copy of this process, TensorFlow already imported (and no op run yet), that
    answers its share of the checks; this process relays what it sends. If it dies or stalls,
    what it did not answer is computed by the grader itself."""

    def __init__(self, plan, cases, share, out: _Out):
        r, w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:                # the helper: its share, then gone
            try:
                os.close(r)
                for lab, j in share:
                    _answer(plan, cases, lab, j, lambda msg: wire.send(w, msg))
            finally:
                os._exit(0)
        os.close(w)
        self.last_heard = time.monotonic()
        self.thread = threading.Thread(target=self._relay, args=(r, out), daemon=True)
        self.thread.start()

    def _relay(self, r, out):
        try:
            while True:
                out.send(wire.recv(r))
                self.last_heard = time.monotonic()
        except (wire.WireError, OSError):
            pass
        finally:
            os.close(r)

    def finish(self):
        while self.thread.is_alive():
            self.thread.join(1.0)
            if time.monotonic() - self.last_heard > HELPER_QUIET_SECONDS:
                os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)


def main():
    """Rebuild the grader's plan (its checks, not its inputs: the grader sends those, lab by lab,
    so that this process never needs torch), then answer every Keras oracle in grading order,
    half of them in a forked helper (both cores are busy only while Keras runs)."""
    out = _Out(os.dup(1))            # the answers' channel; TensorFlow's prints go to /dev/null
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    spec = wire.recv(0)
    inbox = _Inbox()
    from nngrade.engine import Plan
    from reference._frameworks import keras
    keras()                          # the import, while the grader makes the inputs
    plan = Plan(spec["labs"], spec["seed"], spec.get("hidden"), spec.get("functions"), spec.get("oracles", "both"))
    work = [(lab, j) for lab, checks in plan.checks.items() for j, c in enumerate(checks) if c.keras is not None]
    helper = None
    if spec.get("helper") and hasattr(os, "fork") and inbox.wait(
            out, lambda: all(lab in inbox.cases for lab in plan.checks), seconds=2.0):
        with inbox._cond:
            cases = dict(inbox.cases)
        work = [(lab, j) for lab, j in work if cases[lab][j] is not None]
        helper = _Helper(plan, cases, work[1::2], out)
        work = work[0::2]
    for lab, j in work:
        if not inbox.wait(out, lambda: lab in inbox.cases):
            os._exit(0)
        if inbox.cases[lab][j] is not None:
            _answer(plan, inbox.cases, lab, j, out.send, lambda: inbox.serve(out))
    if helper:
        helper.finish()
    out.send({"done": True, "frameworks": [m for m in ("torch", "tensorflow") if m in sys.modules],
              "helper": helper is not None})
    inbox.wait(out, lambda: False)
    os._exit(0)


if __name__ == "__main__":
    main()

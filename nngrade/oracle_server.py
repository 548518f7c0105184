"""The Keras oracles in a process of their own, on the other core: the server's side.

Importing TensorFlow and running Keras's eager ops is most of a run's work. In the grader it
would share one interpreter lock with torch, the grading and the worker's replies; here it runs
beside them. `python -m nngrade.oracle_server` reads a plan's `spec` on stdin, rebuilds the same
`Plan` (which draws the same inputs from the seed: NumPy only, so this process never needs
torch) and writes every Keras answer as soon as it has it, in grading order, keyed by the
check's name and the input's index; half of them are computed by a copy of itself forked once
TensorFlow is loaded (Linux, two cores or more). Between two answers it serves calls of Keras
functions of `reference/` by name (a custom comparison, a stand-in, a known mistake).

The grader's end is `nngrade.oracle_client`; nothing from a student reaches this process except
plain data a custom comparison passes, over `nngrade.wire`.
"""
from __future__ import annotations

import importlib
import os
import queue
import sys
import threading
import time
from functools import lru_cache

from nngrade import labs, wire

HELPER_QUIET_SECONDS = 15.0   # a forked helper that sends nothing for this long is stopped


@lru_cache(maxsize=None)
def _served() -> dict:
    """{"reference.losses:Keras.mse": the function}: every function of the `Keras` namespace of
    each lab's oracle module, `reference/<topic>.py`. The only functions this process runs."""
    out = {}
    for lab in labs.discover().values():
        module = importlib.import_module(f"reference.{labs.topic(lab)}")
        namespace = getattr(module, "Keras", None)
        for attr in (dir(namespace) if namespace is not None else ()):
            fn = getattr(namespace, attr)
            if not attr.startswith("_") and callable(fn):
                out[f"{module.__name__}:Keras.{attr}"] = fn
    return out


def served_name(fn) -> str | None:
    """The name this process knows a Keras oracle by, or None for anything else (which is then
    computed where it is asked for)."""
    return next((name for name, f in _served().items() if f is fn), None)


def resolve(name: str):
    """The Keras oracle a `served_name` names, or None."""
    return _served().get(name)


class _Out:
    """The answers' channel, shared by this process's threads."""

    def __init__(self, fd: int):
        self.fd = fd
        self.lock = threading.Lock()

    def send(self, msg):
        with self.lock:
            wire.send(self.fd, msg)


class _Calls:
    """The grader's calls, read by a thread and served between two answers."""

    def __init__(self):
        self.queue: queue.Queue = queue.Queue()
        self.open = True
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            while True:
                self.queue.put(wire.recv(0))
        except (wire.WireError, OSError):
            self.open = False
            self.queue.put(None)

    def serve(self, out, block=False):
        """Answer the calls waiting (with `block`, wait for one first); False once the grader is gone."""
        while True:
            try:
                req = self.queue.get(block=block, timeout=1.0 if block else None)
            except queue.Empty:
                return self.open
            if req is None:
                return False
            block = False
            try:
                fn = resolve(str(req["call"]))
                if fn is None:
                    raise LookupError(f"not a Keras oracle: {req['call']}")
                msg = {"reply": req["id"], "value": fn(*req["args"], **req["kwargs"])}
            except Exception as e:      # the grader computes it itself, and meets the error there
                msg = {"reply": req.get("id"), "error": f"{type(e).__name__}: {e}"[:500]}
            out.send(msg)


def _answer(plan, name, send, between=None):
    """Every Keras answer of the check `name`, one message per input."""
    check = plan.by_name[name]
    for i, case in enumerate(plan.cases(check)):
        if between:
            between()
        try:
            msg = {"answer": [name, i], "value": check.keras(*case.args, **case.kwargs)}
        except Exception as e:      # the grader computes it itself, and meets the error there
            msg = {"answer": [name, i], "error": f"{type(e).__name__}: {e}"[:500]}
        send(msg)


class _Helper:
    """A forked copy of this process, TensorFlow already imported (and no op run yet), that
    answers its share of the checks; this process relays what it sends. If it dies or stalls,
    what it did not answer is computed by the grader itself."""

    def __init__(self, plan, share, out: _Out):
        r, w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:                # the helper: its share, then gone
            try:
                os.close(r)
                for name in share:
                    _answer(plan, name, lambda msg: wire.send(w, msg))
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
    """Rebuild the grader's plan, then answer every Keras oracle in grading order, half of them
    in a forked helper (both cores are busy only while Keras runs), serving calls in between."""
    out = _Out(os.dup(1))            # the answers' channel; TensorFlow's prints go to /dev/null
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    spec = wire.recv(0)
    from nngrade.plan import Plan
    from reference._frameworks import keras
    plan = Plan.from_spec(spec)
    work = [c.name for c in plan.all_checks() if c.keras is not None]
    # the inputs are drawn while TensorFlow loads (and before a fork shares them)
    drawing = threading.Thread(target=lambda: [plan.cases(plan.by_name[name]) for name in work])
    drawing.start()
    keras()
    drawing.join()
    calls = _Calls()
    helper = None
    if spec.get("helper") and hasattr(os, "fork") and len(work) > 1:
        helper = _Helper(plan, work[1::2], out)
        work = work[0::2]
    for name in work:
        _answer(plan, name, out.send, lambda: calls.serve(out))
    if helper:
        helper.finish()
    out.send({"done": True, "frameworks": [m for m in ("torch", "tensorflow") if m in sys.modules],
              "helper": helper is not None})
    while calls.serve(out, block=True):
        pass
    os._exit(0)


if __name__ == "__main__":
    main()

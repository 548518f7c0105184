"""The oracles' answers of a run, computed once, and every other call of an oracle.

`Oracles(plan)` answers `expected(check, i, which)`: what PyTorch (`which="torch"`) or Keras
computes on the plan's input `i` of `check`, computed once and shared by every student. It is
passed to whatever needs an oracle while a student is graded (the comparison, `diagnose`'s
known mistakes, a check's custom comparison, a stand-in for another graded function), through
`call(fn, args, kwargs)`. Oracles are not thread-safe (Keras metric objects, cached models): every
computation here takes the one lock inside this object.

With `start()`, the Keras answers are computed by a second process (`nngrade.oracle_server`) on
the other core while this one imports torch and grades; a call of a Keras function of
`reference/` is sent there too, so that TensorFlow never loads here. If that process cannot
answer, the answer is computed here, as without it.
"""
from __future__ import annotations

import os
import sys
import threading
import time

import numpy as np

from nngrade import oracle_client, oracle_server
from nngrade.plan import Plan
from nngrade.registry import Check
from nngrade.wire import plain


class Oracles:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.lock = threading.RLock()
        self.process: oracle_client.OracleProcess | None = None
        self._answers: dict[tuple, object] = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self):
        """The Keras answers in a second process, unless no check needs Keras, this process has
        it loaded already, or this is not POSIX (on Windows they are computed here)."""
        if self.process is None and os.name == "posix" and "keras" not in sys.modules and any(
                c.keras is not None and not self._answered(c, "keras") for c in self.plan.all_checks()):
            self.process = oracle_client.OracleProcess(self.plan.spec)
        return self

    def close(self):
        if self.process is not None:
            self.process.close()
            self.process = None

    def _answered(self, check: Check, which: str) -> bool:
        shipped = self.plan.shipped
        if shipped is not None and shipped.has(check, which):
            return True
        return all((check.name, i, which) in self._answers for i in range(len(self.plan.cases(check))))

    def expected(self, check: Check, i: int, which: str):
        """The answer of the oracle `which` ("torch" or "keras") on the check's input `i`."""
        key = (check.name, i, which)
        if key in self._answers:
            return self._answers[key]
        shipped = self.plan.shipped
        if shipped is not None:          # computed ahead, where they still hold (nngrade.answers)
            value = shipped.get(check, i, which, len(self.plan.cases(check)))
            if value is not oracle_client.MISSING:
                return self._answers.setdefault(key, value)
        if which == "keras" and self.process is not None and check.name in self.plan.by_name:
            value = self.process.answer(check.name, i)       # waits without the lock
            if value is not oracle_client.MISSING:
                return self._answers.setdefault(key, value)
        with self.lock:      # the background thread may be computing the same answer
            if key not in self._answers:
                oracle = check.oracle(which)
                case = self.plan.cases(check)[i]
                self._answers[key] = None if oracle is None else oracle(*case.args, **case.kwargs)
            return self._answers[key]

    def call(self, fn, args=(), kwargs=None):
        """`fn(*args, **kwargs)` for an oracle, a known mistake or a stand-in: in the oracle process
        when it runs and `fn` is a Keras function of `reference/`, else here under the lock."""
        kwargs = kwargs or {}
        name = oracle_server.served_name(fn) if self.process is not None else None
        if name is not None and plain([list(args), kwargs]):
            value = self.process.call(name, args, kwargs)
            if value is not oracle_client.MISSING:
                return value
        with self.lock:
            return fn(*args, **kwargs)

    def uses(self, which: str) -> bool:
        """Whether this run asks the framework `which` (a `--oracles primary` run of a PyTorch-decided
        lab never asks Keras, and never loads TensorFlow)."""
        return self.plan.uses(which)

    def speed_reference(self, lab: str, function: str, oracle, make_case):
        """The large input of a function and the oracle's time on it, measured once per run."""
        key = ("speed", lab, function)
        with self.lock:
            if key not in self._answers:
                case = make_case(np.random.default_rng(self.plan.seed))
                stored = self.plan.shipped.speed(lab, function) if self.plan.shipped is not None else None
                if stored is not None:
                    self._answers[key] = (case, stored)
                    return self._answers[key]
                best = float("inf")
                for _ in range(2):   # the first call pays for warm-up, unless it is long anyway
                    start = time.perf_counter()
                    oracle(*case.args, **case.kwargs)
                    best = min(best, time.perf_counter() - start)
                    if best > 0.05:
                        break
                self._answers[key] = (case, best)
            return self._answers[key]

    def precompute(self, local_only=False):
        """Every answer of the plan: those computed here first, then (unless `local_only`) the
        ones the oracle process computes, collected."""
        remote = [] if self.process is None else ["keras"]
        for check in self.plan.all_checks():
            for which in (check.primary, *check.others):
                if check.oracle(which) is not None and which not in remote:
                    for i in range(len(self.plan.cases(check))):
                        self.expected(check, i, which)
        if not local_only:
            for check in self.plan.all_checks():
                if "keras" in remote and check.keras is not None:
                    for i in range(len(self.plan.cases(check))):
                        self.expected(check, i, "keras")

    def precompute_in_background(self):
        """The answers computed in a thread while the worker starts and runs the student's code;
        `expected` waits for (or computes) an answer not yet there."""
        def run():
            try:
                self.precompute(local_only=True)
            except Exception:   # the grading thread computes it again and reports the error
                pass
        threading.Thread(target=run, daemon=True, name="oracles").start()

"""Stage 3 (the grader's side of it): one submission's worker, the code loaded into it, and
calls of its functions, within the lab's time and restart budgets.

A `Student` keeps one worker process (`nngrade.client`) for all of a submission's labs, each in a
namespace of its own. After a timeout or a crash the worker is new: the namespace's code is run
again before the next call. While a function is graded, the other graded functions it calls by
name are answered by the grader (`nngrade.stand_ins`).
"""
from __future__ import annotations

import time

from nngrade import drivers
from nngrade.client import WorkerClient
from nngrade.config import Limits
from nngrade.registry import Check
from nngrade.stand_ins import refusal, substitutes


class Student:
    """One submission's worker and the code loaded into it, one namespace per lab."""

    def __init__(self, limits: Limits, wait=True):
        self.limits = limits
        self.wait = wait
        self.client = WorkerClient(limits)
        self.good: dict[str, list] = {}       # namespace -> units that ran without error
        self.generation: dict[str, int] = {}  # namespace -> the worker (restart count) it lives in
        self.hung: dict = {}                  # (namespace, function) -> why it is not called again
        self.lab_started, self.lab_restarts = time.monotonic(), 0

    def begin_lab(self):
        """The budgets (`Limits.lab_seconds`, `Limits.restarts`) count from here."""
        self.lab_started, self.lab_restarts = time.monotonic(), self.client.restarts

    def spent(self) -> dict | None:
        """A failed reply when this lab's time or restart budget is used up, else None."""
        seconds, restarts = time.monotonic() - self.lab_started, self.client.restarts - self.lab_restarts
        if seconds > self.limits.lab_seconds:
            why = (f"not run: this lab has used its time budget ({self.limits.lab_seconds:g} s), "
                   "spent on calls that ran until their time limit")
        elif restarts > self.limits.restarts:
            why = (f"not run: the worker was restarted more than {self.limits.restarts} times while grading this lab "
                   "(functions that end their process or hang); the rest of the lab is not graded")
        else:
            return None
        return {"ok": False, "error_type": "BudgetSpent", "error": why, "tb": ""}

    def __enter__(self):
        self.client.start(wait=self.wait)
        return self

    def __exit__(self, *exc):
        self.client.close()

    def _exec(self, space, unit):
        spent = self.spent()
        if spent:
            return spent
        return self.client.request({"op": "exec", "lab": space, "cell": unit.cell, "line": unit.line,
                                    "source": unit.source}, self.limits.exec_seconds)

    def load(self, space: str, units: list, cell=lambda i: f"cell {i + 1}") -> list[str]:
        """Run the statements (extract's units) one by one; a failing one is reported and skipped
        (`cell` names a unit's cell: `Extracted.cell`)."""
        messages, self.good[space] = [], []
        self.generation[space] = self.client.restarts
        for unit in units:
            self._ensure_loaded(space)          # a statement before this one may have hung
            reply = self._exec(space, unit)
            if reply["ok"]:
                self.good[space].append(unit)
                continue
            what = ", ".join(unit.defines) or unit.source.splitlines()[0][:60]
            messages.append(f"{cell(unit.cell)}, line {unit.line} ({what}): {reply['error_type']}: "
                            f"{reply.get('error', '')[:200]}; skipped")
        self._ensure_loaded(space)
        return messages

    def fresh_worker(self, space):
        """A new worker with the namespace's code loaded again (not counted as a restart)."""
        self.client.restart()
        self.lab_restarts += 1
        self._ensure_loaded(space)

    def _ensure_loaded(self, space):
        """After a timeout or a crash the worker is new: run the namespace's code again."""
        if not self.client.alive():
            self.client.restart()
        if self.generation.get(space) != self.client.restarts:
            for unit in self.good.get(space, []):
                self._exec(space, unit)
            self.generation[space] = self.client.restarts

    def call(self, space, check: Check, case, oracles, called: frozenset | None = frozenset()) -> dict:
        """Call the check's function in the namespace `space` (a lab's, or a mutant's own).
        `called`: the other graded functions it calls by name (`Extracted.stand_ins_called`);
        the grader answers a stand-in's request for those only (with `oracles`), whatever the
        worker sends."""
        spent = self.spent()
        if spent:
            spent["timeout"] = 0
            return spent
        self._ensure_loaded(space)
        stand_ins = substitutes(check.lab)
        req = {"op": "call", "lab": space, "fn": check.function, "driver": drivers.name_of(check.driver),
               "args": case.args, "kwargs": case.kwargs, "substitute": sorted(stand_ins),
               "contract": check.owns_contract}
        seconds = check.timeout or self.limits.call_seconds
        refused, count = [], [0]

        def oracle(name, args, kwargs):
            count[0] += 1
            why = refusal(check.function, name, called, count[0], self.limits.stand_in_calls)
            if why:
                refused.append(why)
                raise PermissionError(why)
            return oracles.call(stand_ins[name], args, kwargs)
        reply = self.client.request(req, seconds, oracle)
        if reply.get("error_type") == "WorkerDied" and not self.spent():
            # once more in a fresh worker: a death caused by something else (another process's
            # signal) must not cost points; a function that kills its worker does so again
            self._ensure_loaded(space)
            refused.clear()
            count[0] = 0
            reply = self.client.request(req, seconds, oracle)
        if refused:
            # whatever the function did with the refusal (caught it, returned a guess), the check fails
            reply = {"ok": False, "error_type": "StandInRefused", "error": refused[0], "tb": ""}
        reply["timeout"] = seconds
        return reply

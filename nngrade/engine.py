"""The grading engine: the ordered stages, for one submission.

    load (nngrade.load) -> extract (nngrade.extract) -> run in the worker (nngrade.client,
    nngrade.worker) -> compare with the oracles (nngrade.compare, nngrade.diagnose) ->
    report (nngrade.report)

A `Plan` holds what every student shares in a run: the seed, each check's inputs and the
oracles' answers, computed once. A `Student` is one worker process serving all of one
submission's labs.
"""
from __future__ import annotations

import hashlib
import threading
import time
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nngrade import feedback, load, remote
from nngrade.client import WorkerClient
from nngrade.compare import compare
from nngrade.config import Limits
from nngrade.diagnose import diagnose
from nngrade.extract import ALLOWED_TEXT, Extracted, extract
from nngrade.registry import Check, available_labs, load_checks


# Oracles are not thread-safe (Keras metric objects, cached models): every oracle call, from
# the background precompute, a stand-in's callback or a class's grading threads, takes this.
ORACLE_LOCK = threading.RLock()


@dataclass
class CheckResult:
    check: Check
    score: float
    output: str
    notes: list = field(default_factory=list)
    mistakes: list = field(default_factory=list)   # the likely mistakes named for a wrong value (diagnose)

    @property
    def passed(self) -> bool:
        return self.score >= self.check.points


@dataclass
class LabResult:
    lab: str
    results: list
    path: Path | None = None
    messages: list = field(default_factory=list)
    isolation: dict | None = None    # the sandbox layers that were on in the worker (sandbox.isolation)
    seconds: float = 0.0             # wall time of grading it (grade_submission)


class Plan:
    """The checks, inputs and oracle answers of one run, shared by every student."""

    def __init__(self, labs: list[str], seed: int, hidden_dir=None, functions=None, oracles="both"):
        """`functions`: grade only these; `oracles="primary"`: only the deciding oracle (a quick
        run; see `primary_only`). The oracle process rebuilds the same plan from these."""
        self.seed = seed
        self.labs = labs
        self.spec = {"labs": list(labs), "seed": seed,
                     "hidden": None if hidden_dir is None else str(Path(hidden_dir).resolve()),
                     "functions": sorted(functions) if functions else None, "oracles": oracles}
        self.checks = {lab: [c for c in load_checks(lab, hidden_dir) if not functions or c.function in functions]
                       for lab in labs}
        if oracles == "primary":
            self.primary_only()
        self._place = {id(c): (lab, j) for lab, checks in self.checks.items() for j, c in enumerate(checks)}
        self._cases: dict[int, list] = {}
        self._expected: dict[tuple, object] = {}
        self.oracle_seconds: dict[tuple, float] = {}
        self._lock = ORACLE_LOCK
        self.remote = None
        self._fed: set = set()           # labs whose inputs the oracle process has
        self._here: set = set()          # (lab, j): Keras answers this process computes anyway
        self._feed_lock = threading.Lock()

    def start_oracle_process(self):
        """Compute the Keras answers in a second process (nngrade.remote), on the other core,
        unless no check needs Keras or this process has it loaded already. POSIX only: on
        Windows the answers are computed here, as before."""
        import os
        import sys
        if os.name != "posix":
            return
        def answered(c):
            cases = self._cases.get(id(c))
            return cases is not None and all((id(c), i, "keras") in self._expected for i in range(len(cases)))
        if self.remote is None and "keras" not in sys.modules and any(
                c.keras is not None and not answered(c) for checks in self.checks.values() for c in checks):
            self.remote = remote.start(self.spec)

    def feed(self, lab: str):
        """Send a lab's inputs to the oracle process (once); a check whose inputs are not plain
        data keeps its Keras answers here."""
        if self.remote is None or lab in self._fed:
            return
        with self._feed_lock:
            if lab in self._fed:
                return
            out = []
            for j, check in enumerate(self.checks[lab]):
                cases = self.cases(check) if check.keras is not None else None
                if cases is not None and not remote.plain([[c.args, c.kwargs] for c in cases]):
                    self._here.add((lab, j))
                    cases = None
                out.append(cases)
            self.remote.send_cases(lab, out)
            self._fed.add(lab)

    def close(self):
        if self.remote is not None:
            self.remote.close()
            self.remote = None

    def cases(self, check: Check) -> list:
        key = id(check)
        if key not in self._cases:
            with self._lock:
                if key not in self._cases:
                    self._cases[key] = list(check.cases(check.rng(self.seed)))
        return self._cases[key]

    def expected(self, check: Check, i: int, which: str):
        key = (id(check), i, which)
        if key in self._expected:
            return self._expected[key]
        if which == "keras" and self.remote is not None and id(check) in self._place:
            lab, j = self._place[id(check)]
            self.feed(lab)
            if (lab, j) not in self._here:
                value = self.remote.answer(lab, j, i)   # waits without the lock
                if value is not remote.MISSING:
                    return self._expected.setdefault(key, value)
        with self._lock:      # the background thread may be computing the same answer
            if key not in self._expected:
                oracle = check.oracle(which)
                case = self.cases(check)[i]
                start = time.perf_counter()
                self._expected[key] = None if oracle is None else oracle(*case.args, **case.kwargs)
                self.oracle_seconds[key] = time.perf_counter() - start
            return self._expected[key]

    def speed_reference(self, lab, function, oracle, make_case):
        """The large input of a function and the oracle's time on it, measured once per run."""
        key = ("speed", lab, function)
        with self._lock:
            if key not in self._expected:
                case = make_case(np.random.default_rng(self.seed))
                best = float("inf")
                for _ in range(2):   # the first call pays for warm-up, unless it is long anyway
                    start = time.perf_counter()
                    oracle(*case.args, **case.kwargs)
                    best = min(best, time.perf_counter() - start)
                    if best > 0.05:
                        break
                self._expected[key] = (case, best)
            return self._expected[key]

    def precompute_in_background(self):
        """Compute the oracles' answers in a thread while the worker starts and runs the
        student's code; `expected` waits for (or computes) an answer not yet there."""
        def run():
            try:
                self.precompute(local_only=True)
            except Exception:   # the main thread computes it again and reports the error
                pass
        threading.Thread(target=run, daemon=True, name="oracles").start()

    def primary_only(self):
        """For quick student runs: only the deciding oracle. Where the frameworks agree the other
        one adds nothing (the oracle cross-check tests prove they agree); where they differ it
        only adds notes. The official grade runs both."""
        import dataclasses
        for lab, checks in self.checks.items():
            self.checks[lab] = [dataclasses.replace(c, **{c.secondary: None}) for c in checks]
            for c in self.checks[lab]:
                c.lab = lab

    def precompute(self, local_only=False):
        """Every oracle answer of the plan. With an oracle process, the Keras answers are its
        work: this computes the others first, then collects those (unless `local_only`)."""
        for lab in self.checks:
            self.feed(lab)
        passes = (True,) if local_only or self.remote is None else (True, False)
        for local in passes:
            for checks in self.checks.values():
                for check in checks:
                    for i in range(len(self.cases(check))):
                        for which in (check.primary, check.secondary):
                            there = self.remote is not None and which == "keras" and \
                                self._place.get(id(check)) not in self._here
                            if check.oracle(which) is not None and there != local:
                                self.expected(check, i, which)


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

    def load(self, space: str, units: list) -> list[str]:
        """Run the statements (extract's units) one by one; a failing one is reported and skipped."""
        messages, self.good[space] = [], []
        self.generation[space] = self.client.restarts
        for unit in units:
            self._ensure_loaded(space)          # a statement before this one may have hung
            reply = self._exec(space, unit)
            if reply["ok"]:
                self.good[space].append(unit)
                continue
            what = ", ".join(unit.defines) or unit.source.splitlines()[0][:60]
            messages.append(f"cell {unit.cell + 1}, line {unit.line} ({what}): {reply['error_type']}: "
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

    def call(self, space, check: Check, case, called: frozenset | None = frozenset()) -> dict:
        """Call the check's function in the namespace `space` (a lab's, or a mutant's own).
        `called`: the other graded functions it calls by name (`Extracted.stand_ins_called`);
        the grader answers a stand-in's request for those only, whatever the worker sends."""
        spent = self.spent()
        if spent:
            spent["timeout"] = 0
            return spent
        self._ensure_loaded(space)
        stand_ins = substitutes(check.lab)
        req = {"op": "call", "lab": space, "fn": check.function, "driver": check.driver,
               "args": case.args, "kwargs": case.kwargs, "return_args": check.driver == "call",
               "substitute": sorted(stand_ins)}
        seconds = check.timeout or self.limits.call_seconds
        refused, count = [], [0]

        def oracle(name, args, kwargs):
            count[0] += 1
            why = refusal(check.function, name, called, count[0], self.limits.stand_in_calls)
            if why:
                refused.append(why)
                raise PermissionError(why)
            return remote.call(stand_ins[name], args, kwargs, lock=ORACLE_LOCK)
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


def refusal(function: str, name, called, count: int, limit: int) -> str | None:
    """Why the grader does not answer a stand-in request for `name` while `function` is graded
    (None: it answers). Only requests a correct notebook makes are answered: one for a graded
    function that `function` calls by name, and not more of them than `limit` in one call."""
    if name == function:
        return (f"`{function}` asked the grader for its own expected answer; "
                "a graded function is always run as you wrote it")
    if called is None:
        return (f"`{function}` looks names up at run time (`globals()`, `eval`, ...), so the grader "
                f"cannot tell whether it calls `{name}`: call the other graded functions by name")
    if name not in called:
        return (f"`{function}` asked the grader for the answer of `{name}`, which it does not call by "
                "name; only the graded functions that it calls directly (as `name(...)`) are "
                "replaced by the grader's while it is graded")
    if count > limit:
        return (f"`{function}` called the other graded functions more than {limit:,} times in one "
                "call; call them on whole arrays, not element by element")
    return None


@lru_cache(maxsize=None)
def _oracles(lab: str) -> dict:
    """Each plain function of a lab (called once, `driver="call"`) with the oracle that can
    stand in for it: the PyTorch one where it agrees with the deciding one on every check that
    uses it (it runs here, while Keras may live in the oracle process, busy with answers)."""
    import importlib
    try:
        module = importlib.import_module(f"nngrade.checks.{lab}")
    except ModuleNotFoundError:
        return {}
    out = {}
    for c in module.CHECKS:
        if c.driver == "call" and c.function not in out:
            agrees = c.torch is not None and not any(
                o.differs for o in module.CHECKS if o.function == c.function and o.torch is c.torch)
            out[c.function] = c.torch if agrees else c.oracle()
    return out


@lru_cache(maxsize=None)
def substitutes(lab: str) -> dict:
    """The functions that, while one graded function of `lab` is graded, are replaced by an
    oracle: the lab's other graded functions (its `SUBSTITUTE` list), so that each is graded on
    its own, and the graded functions of the other labs that this lab's notebook defines (given
    code, or a student's copy of an earlier lab's function: a mistake there costs points in its
    own lab only)."""
    import importlib
    try:
        module = importlib.import_module(f"nngrade.checks.{lab}")
    except ModuleNotFoundError:
        return {}
    own = {c.function for c in module.CHECKS}
    names = set(getattr(module, "SUBSTITUTE", ()))
    out = {n: o for n, o in _oracles(lab).items() if n in names}
    for other in available_labs():
        if other != lab:
            out.update({n: o for n, o in _oracles(other).items() if n not in own and n not in out})
    return out


def _mutated(case, after) -> str | None:
    if after is None:
        return None
    args_after, kwargs_after = after
    pairs = list(zip(case.args, args_after)) + [(case.kwargs[k], kwargs_after.get(k)) for k in case.kwargs]
    for i, (before, now) in enumerate(pairs):
        if isinstance(before, np.ndarray) and (not isinstance(now, np.ndarray) or now.shape != before.shape
                                               or not np.array_equal(before, now, equal_nan=True)):
            return f"argument {i + 1}"
    return None


def run_check(student: Student, plan: Plan, check: Check, extracted: Extracted, space=None) -> CheckResult:
    head = f"{check.function}: {check.what}"
    used = extracted.uses_forbidden(check.function, substitutes(check.lab))
    if used:
        return CheckResult(check, 0.0, f"{head}\n  `{check.function}` uses `{used}`, which graded code may "
                           f"not use: graded code may import {ALLOWED_TEXT} only; the point of the lab is "
                           "to compute it yourself")
    called = extracted.stand_ins_called(check.function, substitutes(check.lab))
    notes = []
    for i, case in enumerate(plan.cases(check)):
        key = (space or check.lab, check.function)
        if key in student.hung:
            return CheckResult(check, 0.0, f"{head}\n  not run: `{check.function}` {student.hung[key]} "
                               "in an earlier check")
        reply = student.call(space or check.lab, check, case, called)
        if reply.get("error_type") == "Timeout":
            student.hung[key] = "ran past its time limit (an infinite loop?)"
        elif reply.get("error_type") == "WorkerDied":
            student.hung[key] = "ended its worker process"
        problem_text = None
        if not reply["ok"]:
            problem_text = feedback.failed_call(check.function, reply, reply["timeout"])
            if reply.get("error_type") in ("NotImplementedError", "NotDefined"):
                return CheckResult(check, 0.0, f"{head}\n  {problem_text}")
        elif reply.get("output_chars", 0) > student.limits.output_chars:
            problem_text = (f"`{check.function}` printed {reply['output_chars']:,} characters; the limit is "
                            f"{student.limits.output_chars:,}: remove the prints from graded functions")
        elif check.stable and reply.get("warnings"):
            problem_text = (f"`{check.function}` is not numerically stable on this input: NumPy warned "
                            f"{reply['warnings'][0]!r}")
        else:
            mutated = _mutated(case, reply.get("args_after"))
            if mutated:
                problem_text = (f"`{check.function}` modified its {mutated} in place; functions must leave "
                                "their inputs unchanged (callers still need them): work on a copy")
        if problem_text:
            return CheckResult(check, 0.0, f"{head}\n  {problem_text}\n  input: "
                               + feedback.describe_case(check.oracle(), case))
        got = reply["value"]
        # asked for only now: a function not written yet waits for no oracle
        expected = plan.expected(check, i, check.primary)
        for which in (check.primary, check.secondary):
            exp = expected if which == check.primary else plan.expected(check, i, which)
            if exp is None and which != check.primary:
                continue
            if check.compare is not None:
                with ORACLE_LOCK:     # custom comparisons may call the oracles
                    text = check.compare(got, exp, case)
                problem = None
            else:
                problem = compare(got, exp, check.rtol, check.atol, structure_only=check.structure_only)
                text = None
            if problem is None and text is None:
                continue
            if which != check.primary and check.differs:
                notes.append(f"{check.oracle_name(which)} differs here, and that costs nothing: "
                             f"{check.differs}")
                continue
            oracle_name = check.oracle_name(which)
            if problem is not None:
                lines = [head, f"  {problem.message}", "  input: " + feedback.describe_case(check.oracle(), case)]
                if problem.kind in ("value", "nonfinite", "shape"):
                    lines.append(f"  expected ({oracle_name}): {feedback.fmt(problem.expected)}")
                    lines.append(f"  got:{' ' * (len(oracle_name) + 9)}{feedback.fmt(problem.got)}")
                lines += [f"  {d}" for d in problem.details]
                with ORACLE_LOCK:     # known mistakes are computed with the oracles
                    guesses = diagnose(problem, case, check.likely)
                for guess in guesses:
                    lines.append(f"  likely mistake: {guess}")
            else:
                lines = [head, f"  {text}", "  input: " + feedback.describe_case(check.oracle(), case)]
            if which != check.primary:
                lines.append(f"  (your result matches {check.oracle_name(check.primary)} but not "
                             f"{oracle_name}; the two frameworks agree here)")
            return CheckResult(check, 0.0, "\n".join(lines), notes, guesses if problem is not None else [])
    return CheckResult(check, check.points, f"{head}: passed ({len(plan.cases(check))} inputs, "
                       f"rtol={check.rtol:g}, atol={check.atol:g})", notes)


def grade_lab(student: Student, plan: Plan, lab: str, nb: load.Notebook, functions=None,
              space=None) -> LabResult:
    """Grade one notebook; `functions` limits the checks, `space` names the worker namespace."""
    checks = [c for c in plan.checks[lab] if functions is None or c.function in functions]
    student.begin_lab()
    if nb.error:
        return LabResult(lab, [CheckResult(c, 0.0, f"{c.function}: {c.what}\n  {nb.error}") for c in checks],
                         nb.path, [nb.error])
    extracted = extract(nb.cells)
    units = extracted.needed_by({c.function for c in checks})
    messages = nb.notes + extracted.messages + student.load(space or lab, units)
    results = [run_check(student, plan, c, extracted, space) for c in checks if not c.hidden]
    if space is None:
        speed_notes(student, plan, lab, results, extracted)
    hidden = [c for c in checks if c.hidden]
    if hidden:
        # every visible result is final before a hidden input reaches the worker, and the hidden
        # checks run in a new one: nothing the worker learns from them can reach the feedback
        student.fresh_worker(space or lab)
        results += [run_check(student, plan, c, extracted, space) for c in hidden]
    return LabResult(lab, results, nb.path, messages, student.client.isolation)


def speed_notes(student: Student, plan: Plan, lab: str, results: list, extracted: Extracted):
    """Time each fully correct function on the lab's large input (its `SPEED` rows) against the
    deciding oracle; a function far slower gets a note on its last check. Never points."""
    import importlib
    module = importlib.import_module(f"nngrade.checks.{lab}")
    for function, make_case in getattr(module, "SPEED", {}).items():
        mine = [r for r in results if r.check.function == function]
        if not mine or not all(r.passed for r in mine):
            continue
        check = mine[0].check
        # timed against PyTorch where it has an oracle (here, even in a `--oracles primary` run
        # of a Keras-decided lab): Keras may only be loaded in the oracle process
        oracle = next((c.torch for c in module.CHECKS if c.function == function and c.torch), check.oracle())
        case, oracle_seconds = plan.speed_reference(lab, function, oracle, make_case)
        import dataclasses
        timed = dataclasses.replace(check, timeout=student.limits.speed_seconds)
        timed.lab = check.lab
        reply = student.call(lab, timed, case, extracted.stand_ins_called(function, substitutes(lab)))
        shape = next((a.shape for a in case.args if isinstance(a, np.ndarray)), None)
        where = f" on an input of shape {shape}" if shape else ""
        if reply.get("error_type") == "Timeout":
            mine[-1].notes.append(f"`{function}` did not finish within {timed.timeout:g} s{where} (the oracle "
                                  f"took {oracle_seconds * 1000:.1f} ms): a Python loop over elements? "
                                  "(speed costs no points)")
            continue
        seconds = reply.get("seconds", 0.0)
        if reply.get("ok") and seconds > 0.1 and seconds > student.limits.slow_factor * oracle_seconds:
            mine[-1].notes.append(f"`{function}` took {seconds:.2f} s{where}, {seconds / oracle_seconds:.0f} "
                                  f"times the oracle ({oracle_seconds * 1000:.1f} ms): a Python loop that "
                                  "NumPy could vectorise? (speed costs no points)")


def submission_hash(paths) -> str:
    h = hashlib.sha256()
    for p in sorted(str(p) for p in paths if p):
        h.update(Path(p).name.encode())
        try:
            h.update(load.read_bytes(Path(p)))
        except OSError as e:     # graded as unreadable later; the hash only has to be stable
            h.update(f"unreadable: {e}".encode())
    return h.hexdigest()


def grade_submission(submission: Path, plan: Plan, limits: Limits, labs=None) -> list[LabResult]:
    """Grade the plan's labs of one submission (`labs`: only these of them, as a resumed class run
    does for the labs whose checks or notebook changed)."""
    labs = plan.labs if labs is None else labs
    notebooks = load.find(Path(submission), labs)
    own_process = limits.oracle_process and plan.remote is None
    if own_process:
        plan.start_oracle_process()
    out = []
    try:
        with Student(limits, wait=False) as student:
            plan.precompute_in_background()
            for lab in labs:
                start = time.perf_counter()
                out.append(grade_lab(student, plan, lab, notebooks[lab]))
                out[-1].seconds = time.perf_counter() - start
    finally:
        if own_process:
            plan.close()
    return out

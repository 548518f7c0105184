"""The grading engine: the ordered stages, for one submission.

    load (nngrade.load) -> extract (nngrade.extract) -> run in the worker (nngrade.student,
    nngrade.client, nngrade.worker) -> compare with the oracles (nngrade.compare,
    nngrade.diagnose, with nngrade.oracles) -> report (nngrade.report)

What every student of a run shares is a `Plan` (checks and inputs, `nngrade.plan`) and its
`Oracles` (the answers, computed once). `run_check` grades one check: it calls the student's
function on each input (`call_case`), turns a failed call into its sentence (`call_problem`),
and compares what came back with each oracle (`judge`).
"""
from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nngrade import feedback, labs, load
from nngrade.compare import compare
from nngrade.config import Limits
from nngrade.diagnose import diagnose
from nngrade.extract import ALLOWED_TEXT, Extracted, extract
from nngrade.mistakes import UNSTABLE
from nngrade.oracles import Oracles
from nngrade.plan import Plan
from nngrade.registry import Case, Check
from nngrade.stand_ins import substitutes
from nngrade.student import Student

# How a check ended, for the report and the results JSON (never read off the feedback's words)
PASSED = "passed"
WRONG = "wrong"                  # a value, type or shape differs from the deciding oracle's
FAILED_CALL = "failed call"      # it raised, hung, printed too much, warned, or changed an argument
NOT_WRITTEN = "not written"      # it raises NotImplementedError (the stub)
NOT_DEFINED = "not defined"      # the notebook has no function of that name
NO_NOTEBOOK = "no notebook"      # the lab's notebook is missing or unreadable
FORBIDDEN = "forbidden"          # it uses a module graded code may not use
NOT_RUN = "not run"              # an earlier call hung or ended the worker, or the lab's budget ran out
SYNTAX_ERROR = "syntax error"    # the cell that defines it does not parse


@dataclass
class Failure:
    """What went wrong in a check, as data: the first failing input in full, and how many of the
    check's inputs fail. `feedback.render` turns it into the words a student reads."""
    message: str                      # what is wrong, one sentence
    case: Case | None = None          # the first input on which it went wrong
    oracle: str | None = None         # the framework whose answer it differs from
    expected: object = None           # shown where the values, the finiteness or the shape differ
    got: object = None
    details: list = field(default_factory=list)      # the errors against the tolerance
    diagnoses: list = field(default_factory=list)    # likely mistakes that explain it
    other_oracle: str | None = None   # it matches the deciding framework but not this one
    tested: set = field(default_factory=set)         # the check's own mistakes computed on its failing inputs
    failing: int = 1                  # of `inputs`, how many fail
    inputs: int = 0                   # the check's inputs, where all of them ran (else 0)


@dataclass
class CheckResult:
    check: Check
    score: float
    outcome: str = PASSED
    failure: Failure | None = None
    differs: list = field(default_factory=list)   # where another framework differs, costing nothing
    inputs: int = 0
    notes: list = field(default_factory=list)     # about the student's code that cost nothing (speed)

    @property
    def passed(self) -> bool:
        return self.score >= self.check.points

    @property
    def output(self) -> str:
        """The feedback of this check, as a student reads it."""
        return feedback.render(self)


@dataclass
class LabResult:
    lab: str
    results: list
    path: Path | None = None
    messages: list = field(default_factory=list)
    isolation: dict | None = None    # the sandbox layers that were on in the worker (sandbox.isolation)
    seconds: float = 0.0             # wall time of grading it (grade_submission)


def call_case(student: Student, check: Check, case, oracles: Oracles, called, space) -> dict:
    """The student's function on one input; a function that hung or ended its worker in an earlier
    call is not called again (the reply says why)."""
    key = (space, check.function)
    if key in student.hung:
        return {"ok": False, "error_type": "NotRun", "timeout": 0,
                "error": f"not run: `{check.function}` {student.hung[key]} in an earlier check"}
    reply = student.call(space, check, case, oracles, called)
    if reply.get("error_type") == "Timeout":
        student.hung[key] = "ran past its time limit (an infinite loop?)"
    elif reply.get("error_type") == "WorkerDied":
        student.hung[key] = "ended its worker process"
    return reply


def call_problem(check: Check, reply: dict, case, limits: Limits) -> tuple[str, str] | None:
    """(outcome, sentence) when the call itself went wrong, before any value is compared: it
    raised, ran too long, changed an argument in place (the drivers' guard), printed too much, or
    warned on an input the contract calls stable. None when there is a value to compare."""
    fn = check.function
    if not reply["ok"]:
        kind = reply.get("error_type")
        if kind in ("NotRun", "BudgetSpent"):
            return NOT_RUN, reply["error"]
        outcome = {"NotImplementedError": NOT_WRITTEN, "NotDefined": NOT_DEFINED}.get(kind, FAILED_CALL)
        return outcome, feedback.failed_call(fn, reply, reply["timeout"])
    if reply.get("output_chars", 0) > limits.output_chars:
        return FAILED_CALL, (f"`{fn}` printed {reply['output_chars']:,} characters; the limit is "
                             f"{limits.output_chars:,}: remove the prints from graded functions")
    if check.stable and reply.get("warnings"):
        return FAILED_CALL, (f"`{fn}` {UNSTABLE} on this input: NumPy warned "
                             f"{reply['warnings'][0]!r}")
    return None


def judge(check: Check, i: int, case, got, oracles: Oracles, differs: list, diagnose_it=True) -> Failure | None:
    """Compare the value with the deciding oracle, then with the others: the first disagreement
    that costs points, or None. A disagreement with another framework where the frameworks
    measurably differ (`Check.differs`) only adds a note."""
    for which in (check.primary, *check.others):
        expected = oracles.expected(check, i, which)   # asked for only now: an unwritten function waits for none
        if expected is None and which != check.primary:
            continue
        if check.compare is not None:
            with oracles.lock:     # a custom comparison may call the oracles
                text, problem = check.compare(got, expected, case, oracles), None
        else:
            text, problem = None, compare(got, expected, check.rtol, check.atol, structure_only=check.structure_only)
        if problem is None and text is None:
            continue
        if which != check.primary and check.differs:
            differs.append(f"{check.oracle_name(which)} differs here, and that costs nothing: {check.differs}")
            continue
        other = check.oracle_name(which) if which != check.primary else None
        if problem is None:
            return Failure(text, case, check.oracle_name(which), other_oracle=other)
        shown = problem.kind in ("value", "nonfinite", "shape")
        guesses, tested = [], set()
        if diagnose_it:
            with oracles.lock:     # known mistakes are computed with the oracles
                guesses = diagnose(problem, case, check.likely, oracles, check.rtol, check.atol, got, expected,
                                   tested)
        return Failure(problem.message, case, check.oracle_name(which), problem.expected if shown else None,
                       problem.got if shown else None, list(problem.details), guesses, other, tested)
    return None


def _shape_of(diagnosis: str) -> str:
    """A diagnosis with its numbers left out: "exactly N = 6 (the batch size) times too large" on one
    input and "... N = 15 ..." on another name the same mistake."""
    return re.sub(r"[0-9.e+-]+", "#", diagnosis)


def consistent(results: list) -> None:
    """One diagnosis per function: a likely mistake named on one check of a function and computed,
    but not found, on another of its failing checks is not the mistake; it is named nowhere."""
    by_function = {}
    for r in results:
        if r.failure:
            by_function.setdefault(r.check.function, []).append(r.failure)
    for failures in by_function.values():
        contradicted = {d for f in failures for d in f.tested if d not in f.diagnoses}
        for f in failures:
            f.diagnoses = [d for d in f.diagnoses if d not in contradicted]


def run_check(student: Student, plan: Plan, oracles: Oracles, check: Check, extracted: Extracted,
              space=None) -> CheckResult:
    """Every input of the check: the first failure in full, the other inputs counted; a likely
    mistake is named only when it explains the result on every input where the check fails."""
    space = space or check.lab
    cases = plan.cases(check)
    used = extracted.uses_forbidden(check.function, substitutes(check.lab))
    if used:
        return CheckResult(check, 0.0, FORBIDDEN, Failure(
            f"`{check.function}` uses `{used}`, which graded code may not use: graded code may import "
            f"{ALLOWED_TEXT} only; the point of the lab is to compute it yourself"), inputs=len(cases))
    broken = extracted.broken.get(check.function)
    if broken and check.function not in extracted.functions:
        return CheckResult(check, 0.0, SYNTAX_ERROR, Failure(
            f"`{check.function}` is in {broken}: fix it, run the cell and save the notebook"), inputs=len(cases))
    called = extracted.stand_ins_called(check.function, substitutes(check.lab))
    differs, first, failing, ran = [], None, 0, 0
    for i, case in enumerate(cases):
        ran += 1
        reply = call_case(student, check, case, oracles, called, space)
        problem = call_problem(check, reply, case, student.limits)
        if problem:
            outcome, text = problem
            if first is None:
                if outcome in (NOT_WRITTEN, NOT_DEFINED, NOT_RUN):
                    return CheckResult(check, 0.0, outcome, Failure(text), inputs=len(cases))
                first = (outcome, Failure(text, case))
            failing += 1
            if outcome != FAILED_CALL or reply.get("error_type") in ("Timeout", "WorkerDied", "BudgetSpent"):
                break          # the other inputs are not run: it would hang or crash again
            continue
        still = first is None or (first[0] == WRONG and first[1].diagnoses)
        wrong = judge(check, i, case, reply["value"], oracles, differs if first is None else [], diagnose_it=still)
        if wrong:
            failing += 1
            if first is None:
                first = (WRONG, wrong)
            elif still:      # a mistake is named only if it explains every input on which the check fails
                kept = {_shape_of(d) for d in wrong.diagnoses}
                first[1].diagnoses = [d for d in first[1].diagnoses if _shape_of(d) in kept]
                first[1].tested |= wrong.tested
    if first:
        outcome, failure = first
        # the others counted only where every input ran (a function that hung is not called again)
        failure.failing, failure.inputs = failing, len(cases) if ran == len(cases) else 0
        return CheckResult(check, 0.0, outcome, failure, list(dict.fromkeys(differs)), len(cases))
    return CheckResult(check, check.points, PASSED, None, list(dict.fromkeys(differs)), len(cases))


def grade_lab(student: Student, plan: Plan, oracles: Oracles, lab: str, nb: load.Notebook, functions=None,
              space=None) -> LabResult:
    """Grade one notebook; `functions` limits the checks, `space` names the worker namespace."""
    checks = [c for c in plan.checks[lab] if functions is None or c.function in functions]
    student.begin_lab()
    if nb.error:
        return LabResult(lab, [CheckResult(c, 0.0, NO_NOTEBOOK, Failure(nb.error)) for c in checks],
                         nb.path, [nb.error])
    extracted = extract(nb.cells)
    units = extracted.needed_by({c.function for c in checks})
    messages = nb.notes + extracted.messages + student.load(space or lab, units, extracted.cell)
    results = [run_check(student, plan, oracles, c, extracted, space) for c in checks if not c.hidden]
    consistent(results)
    if space is None:
        speed_notes(student, oracles, lab, results, extracted)
    hidden = [c for c in checks if c.hidden]
    if hidden:
        # every visible result is final before a hidden input reaches the worker, and the hidden
        # checks run in a new one: nothing the worker learns from them can reach the feedback
        student.fresh_worker(space or lab)
        results += [run_check(student, plan, oracles, c, extracted, space) for c in hidden]
    return LabResult(lab, results, nb.path, messages, student.client.isolation)


def speed_notes(student: Student, oracles: Oracles, lab: str, results: list, extracted: Extracted):
    """Time each fully correct function on the lab's large input (its `SPEED` rows) against the
    deciding oracle; a function far slower gets a note on its last check. Never points."""
    import dataclasses
    module = labs.checks_module(lab)
    for function, make_case in getattr(module, "SPEED", {}).items():
        mine = [r for r in results if r.check.function == function]
        if not mine or not all(r.passed for r in mine):
            continue
        check = mine[0].check
        # timed against PyTorch where it has an oracle (here, even in a `--oracles primary` run
        # of a Keras-decided lab): Keras may only be loaded in the oracle process
        oracle = next((c.torch for c in module.CHECKS if c.function == function and c.torch), check.oracle())
        case, oracle_seconds = oracles.speed_reference(lab, function, oracle, make_case)
        timed = dataclasses.replace(check, timeout=student.limits.speed_seconds)
        timed.lab = check.lab
        reply = student.call(lab, timed, case, oracles, extracted.stand_ins_called(function, substitutes(lab)))
        where = feedback.shapes(oracle, case)
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


def grade_submission(submission: Path, plan: Plan, oracles: Oracles, limits: Limits, labs=None) -> list[LabResult]:
    """The plan's labs (`labs`: only these of them, as a resumed class run grades the labs whose
    checks or notebook changed), from the notebooks found in `submission`, in one worker."""
    labs = plan.labs if labs is None else labs
    notebooks = load.find(Path(submission), labs)
    out = []
    with Student(limits, wait=False) as student:
        oracles.precompute_in_background()
        for lab in labs:
            start = time.perf_counter()
            out.append(grade_lab(student, plan, oracles, lab, notebooks[lab]))
            out[-1].seconds = time.perf_counter() - start
    return out

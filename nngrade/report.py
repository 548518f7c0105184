"""Stage 5: the terminal table, the Gradescope results JSON and the Markdown feedback."""
from __future__ import annotations

import json
import platform
import re
from collections import OrderedDict
from importlib import metadata

from nngrade.engine import LabResult
from nngrade.sandbox import describe
from nngrade.wire import printable


def versions() -> dict:
    out = {"python": platform.python_version()}
    for pkg in ("numpy", "torch", "tensorflow", "tensorflow-cpu", "keras"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return out


def by_function(lab: LabResult):
    funcs = OrderedDict()
    for r in lab.results:
        s, m, fails = funcs.get(r.check.function, (0.0, 0.0, []))
        funcs[r.check.function] = (s + r.score, m + r.check.points, fails + ([] if r.passed else [r]))
    return funcs


def visible_output(r, show_hidden=False) -> str:
    if r.check.hidden and not show_hidden:
        state = "passed" if r.passed else "failed"
        return (f"{r.check.function}: {r.check.what}: {state} ({r.score:g}/{r.check.points:g}); "
                "a hidden check: its inputs are not shown")
    return printable(r.output + "".join(f"\n  note: {n}" for n in r.notes))


def fenced(lines: list[str]) -> list[str]:
    """`lines` as a Markdown code block whose fence is longer than any run of backticks inside,
    so that text from student code cannot close it (and `<script>` in it stays text)."""
    body = "\n".join(lines)
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", body)), default=0))
    return [fence, body, fence]


def results_json(labs: list[LabResult], seed: int, seconds: float, extra=None, show_hidden=False) -> dict:
    tests = []
    for lab in labs:
        for r in lab.results:
            tests.append({"name": r.check.name, "score": round(r.score, 6), "max_score": r.check.points,
                          "status": "passed" if r.passed else "failed",
                          "output": visible_output(r, show_hidden), "visibility": "visible",
                          "extra_data": {"seed": [seed, r.check.seed_key()]}})
    score = sum(t["score"] for t in tests)
    max_score = sum(t["max_score"] for t in tests)
    messages = [f"{lab.lab}: {printable(m)}" for lab in labs for m in lab.messages]
    out = {"score": round(score, 6), "max_score": max_score, "execution_time": round(seconds, 3),
           "output": f"Graded {', '.join(l.lab for l in labs)} with seed {seed}: {score:g}/{max_score:g}"
                     + ("\n" + "\n".join(messages) if messages else ""),
           "tests": tests, "seed": seed, "versions": versions(), "isolation": isolation(labs)}
    out.update(extra or {})
    return out


def isolation(labs: list[LabResult]) -> dict | None:
    """The sandbox layers of the run's worker (the same worker grades every lab of a submission)."""
    return next((lab.isolation for lab in labs if lab.isolation), None)


def table(labs: list[LabResult], seed: int, again: str = "make grade SEED={seed}", sandbox=True) -> str:
    """The per-lab, per-function table and the total. `again` says how to grade the same inputs
    again (`check(seed=...)` in a notebook); `sandbox=False` leaves out the sandbox line."""
    lines = []
    for lab in labs:
        funcs = by_function(lab)
        s = sum(v[0] for v in funcs.values())
        m = sum(v[1] for v in funcs.values())
        where = f" ({lab.path})" if lab.path else ""
        lines.append(f"\n{lab.lab}{where}: {s:g}/{m:g}")
        for msg in lab.messages:
            lines.append(f"  ! {printable(msg)}")
        width = max([len(f) for f in funcs] + [8])
        for f, (fs, fm, fails) in funcs.items():
            mark = "ok " if fs >= fm else ("-- " if fs == 0 else "~  ")
            first = ""
            if fails:
                first = fails[0].output.splitlines()[1].strip() if "\n" in fails[0].output else ""
            lines.append(f"  {mark}{f:<{width}} {fs:>5g}/{fm:<3g} {printable(first[:90])}")
    total = sum(r.score for lab in labs for r in lab.results)
    total_max = sum(r.check.points for lab in labs for r in lab.results)
    pct = 100 * total / total_max if total_max else 0
    lines.append(f"\nTotal: {total:g}/{total_max:g} ({pct:.0f}%)   seed {seed} "
                 f"({again.format(seed=seed)} grades the same inputs again)")
    if sandbox:
        lines.append(describe(isolation(labs)))
    return "\n".join(lines)


def details(labs: list[LabResult], show_hidden=False) -> str:
    """What to fix (failed checks, one block each), then notes that cost nothing."""
    fixes, notes = [], []
    for lab in labs:
        fails = [r for r in lab.results if not r.passed]
        missing = sorted({r.check.function for r in fails
                          if "not implemented yet" in r.output or "is not defined" in r.output},
                         key=[r.check.function for r in lab.results].index)
        fixes += [f"[{lab.lab}] " + visible_output(r, show_hidden) for r in fails
                  if r.check.function not in missing]
        if missing:
            fixes.append(f"[{lab.lab}] not implemented yet: {', '.join(missing)}")
        for r in lab.results:
            if r.passed and r.notes and (show_hidden or not r.check.hidden):
                notes.append(printable(f"[{lab.lab}] {r.check.function}: {r.check.what}: "
                                       + "; ".join(dict.fromkeys(r.notes))))
    text = ""
    if fixes:
        text += "What to fix:\n\n" + "\n\n".join(fixes)
    if notes:
        text += ("\n\n" if text else "") + "Notes (these cost nothing):\n" + "\n".join(notes)
    return text


def markdown(labs: list[LabResult], seed: int, student: str = "") -> str:
    lines = [f"# Feedback{': ' + student if student else ''}", ""]
    for lab in labs:
        funcs = by_function(lab)
        s = sum(v[0] for v in funcs.values())
        m = sum(v[1] for v in funcs.values())
        lines += [f"## {lab.lab}: {s:g}/{m:g}", ""]
        if lab.messages:
            lines += fenced([printable(m) for m in lab.messages])
        lines += ["", "| function | points |", "| --- | --- |"]
        lines += [f"| `{f}` | {fs:g}/{fm:g} |" for f, (fs, fm, _) in funcs.items()]
        fails = [r for r in lab.results if not r.passed]
        if fails:
            lines += [""] + fenced([visible_output(r) for r in fails])
        lines.append("")
    lines.append(f"Seed: {seed}. {describe(isolation(labs))}")
    return "\n".join(lines)


def write_json(path, data):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)

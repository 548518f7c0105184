"""Stage 5: the terminal table, the Gradescope results JSON and the Markdown feedback.

Each is a rendering of the same data, the `CheckResult`s (their outcome and `Failure`), and none
reads another's words. The feedback is one block per function that lost points: its first
failing check in full (`feedback.render`), its other failing checks one line each, each likely
mistake once; a function not written yet, and a lab without a notebook, take one line.
"""
from __future__ import annotations

import json
import platform
import re
import textwrap
from collections import OrderedDict
from importlib import metadata

from nngrade.engine import NO_NOTEBOOK, NOT_DEFINED, NOT_WRITTEN, LabResult
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
            data = {"seed": [seed, r.check.seed_key()], "outcome": r.outcome}
            if r.failure and (show_hidden or not r.check.hidden):
                data.update(diagnoses=[printable(d) for d in r.failure.diagnoses],
                            failing_inputs=r.failure.failing, inputs=r.failure.inputs)
            tests.append({"name": r.check.name, "score": round(r.score, 6), "max_score": r.check.points,
                          "status": "passed" if r.passed else "failed",
                          "output": visible_output(r, show_hidden), "visibility": "visible",
                          "extra_data": data})
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
        lines.append(f"{lab.lab}{where}: {s:g}/{m:g}")
        for msg in lab.messages:
            lines.append(f"  ! {printable(msg)}")
        width = max([len(f) for f in funcs] + [8])
        for f, (fs, fm, fails) in funcs.items():
            mark = "ok " if fs >= fm else ("-- " if fs == 0 else "~  ")
            first = _headline(fails[0]) if fails else ""
            lines.append(f"  {mark}{f:<{width}} {fs:>5g}/{fm:<3g} {printable(first)}")
    total = sum(r.score for lab in labs for r in lab.results)
    total_max = sum(r.check.points for lab in labs for r in lab.results)
    pct = 100 * total / total_max if total_max else 0
    lines.append(f"\nTotal: {total:g}/{total_max:g} ({pct:.0f}%)   seed {seed} "
                 f"({again.format(seed=seed)} grades the same inputs again)")
    if sandbox:
        lines.append(describe(isolation(labs)))
    return "\n".join(lines)


def _headline(r, width=90) -> str:
    """A failed check's problem in a table cell: its first words, cut at a word."""
    if r.check.hidden:
        return "a hidden check failed"
    text = r.failure.message.splitlines()[0] if r.failure and r.failure.message else r.outcome
    return textwrap.shorten(text, width, placeholder=" ...")


def _plural(n, word):
    return f"{n:g} {word}{'' if n == 1 else 's'}"


def function_blocks(lab: LabResult, show_hidden=False) -> list[str]:
    """What to fix in one lab: a block per function that lost points (its first failing check in
    full, its other failing checks one line each, each likely mistake once); one line for the
    functions not written yet, one for those not defined, one for a lab without a notebook."""
    if lab.results and all(r.outcome == NO_NOTEBOOK for r in lab.results):
        return [f"[{lab.lab}] {printable(lab.messages[0]) if lab.messages else 'no notebook'}"]
    blocks, whole = [], {NOT_WRITTEN: [], NOT_DEFINED: []}
    for f, (fs, fm, fails) in by_function(lab).items():
        if not fails:
            continue
        mine = [r for r in lab.results if r.check.function == f]
        same = {r.outcome for r in mine}
        if len(same) == 1 and same & set(whole):      # the stub, or no definition, on every check
            whole[same.pop()].append(f)
            continue
        first, rest = fails[0], fails[1:]
        lines = [f"[{lab.lab}] {f}: {fs:g}/{fm:g}", "  " + visible_output(first, show_hidden).replace("\n", "\n  ")]
        named = set(first.failure.diagnoses if first.failure and not first.check.hidden else ())
        also = OrderedDict()       # the other failing checks, by what is wrong: one line each
        for r in rest:
            also.setdefault(_headline(r, 70), []).append(r)
            if r.failure and (show_hidden or not r.check.hidden):
                new = [d for d in r.failure.diagnoses if d not in named]
                also[_headline(r, 70)] += [printable(d) for d in new]
                named.update(new)
        for headline, items in also.items():
            checks = [r for r in items if not isinstance(r, str)]
            which = "; ".join(f"{r.check.what} ({_plural(r.check.points, 'point')})" for r in checks)
            lines.append(f"  also fails: {which}: {headline}")
            lines += [f"    likely mistake: {d}" for d in items if isinstance(d, str)]
        blocks.append("\n".join(lines))
    if whole[NOT_WRITTEN]:
        blocks.append(f"[{lab.lab}] not implemented yet: {', '.join(whole[NOT_WRITTEN])}")
    if whole[NOT_DEFINED]:
        blocks.append(f"[{lab.lab}] not defined in your notebook (define them with exactly these names): "
                      f"{', '.join(whole[NOT_DEFINED])}")
    return blocks


def framework_notes(lab: LabResult, show_hidden=False) -> list[str]:
    """Where the other framework differs (costing nothing): once per function."""
    out = {}
    for r in lab.results:
        if r.differs and (show_hidden or not r.check.hidden):
            out.setdefault(r.check.function, dict.fromkeys(r.differs))
    return [printable(f"[{lab.lab}] {f}: " + "; ".join(notes)) for f, notes in out.items()]


def details(labs: list[LabResult], show_hidden=False, verbose=False) -> str:
    """What to fix (a block per function), then, with `verbose`, where the frameworks differ."""
    fixes = [b for lab in labs for b in function_blocks(lab, show_hidden)]
    text = "What to fix:\n" + "\n\n".join(fixes) if fixes else ""
    notes = [n for lab in labs for n in framework_notes(lab, show_hidden)] if verbose else []
    if notes:
        text += ("\n\n" if text else "") + "Where PyTorch and Keras differ (this costs nothing):\n" + "\n".join(notes)
    return text


def markdown(labs: list[LabResult], seed: int, student: str = "") -> str:
    return feedback_page([markdown_lab(lab) for lab in labs], seed, student, isolation(labs))


def markdown_lab(lab: LabResult) -> str:
    """One lab's section of the feedback: its points per function and what failed."""
    funcs = by_function(lab)
    s = sum(v[0] for v in funcs.values())
    m = sum(v[1] for v in funcs.values())
    lines = [f"## {lab.lab}: {s:g}/{m:g}", ""]
    if lab.messages:
        lines += fenced([printable(m) for m in lab.messages])
    lines += ["", "| function | points |", "| --- | --- |"]
    lines += [f"| `{f}` | {fs:g}/{fm:g} |" for f, (fs, fm, _) in funcs.items()]
    blocks = function_blocks(lab)
    if blocks:
        lines += [""] + fenced(["\n\n".join(blocks)])
    return "\n".join(lines + [""])


def feedback_page(sections: list[str], seed: int, student: str, isolation_layers) -> str:
    """The feedback a student reads: a title, each lab's section (`markdown_lab`; a class run keeps
    them per lab, to reuse a lab that did not change), the seed and the sandbox layers."""
    lines = [f"# Feedback{': ' + student if student else ''}", "", *sections]
    return "\n".join(lines + [f"Seed: {seed}. {describe(isolation_layers)}"])


def write_json(path, data):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)

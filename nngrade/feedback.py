"""Sentences for a student at midnight: what failed, on which input, by how much, and why."""
from __future__ import annotations

import inspect

import numpy as np

from nngrade.wire import Opaque



def fmt(x, width=400) -> str:
    if isinstance(x, np.ndarray):
        body = np.array2string(x, precision=6, threshold=24, edgeitems=3, max_line_width=100,
                               suppress_small=False)
        text = f"{body} (shape {x.shape}, {x.dtype})" if x.ndim else f"{body} ({x.dtype})"
    elif isinstance(x, Opaque):
        text = f"{x.type_name} object: {x.repr_text}"
    elif isinstance(x, float):
        text = f"{x:.10g}"
    elif isinstance(x, (list, tuple)) and len(x) <= 12:
        inner = ", ".join(fmt(v, 120) for v in x)
        text = f"[{inner}]" if isinstance(x, list) else f"({inner}{',' if len(x) == 1 else ''})"
    elif isinstance(x, dict):
        text = "{" + ", ".join(f"{k!r}: {fmt(v, 120)}" for k, v in list(x.items())[:8]) + "}"
    else:
        text = repr(x)
    if len(text) > width:
        text = text[: width - 5] + " ...]"
    return text.replace("\n", "\n      ")


def describe_case(oracle, case) -> str:
    """`z = [...]`, naming each argument as the contract's signature does."""
    try:
        bound = inspect.signature(oracle).bind(*case.args, **case.kwargs).arguments
    except (TypeError, ValueError):
        bound = {f"arg{i}": a for i, a in enumerate(case.args)} | dict(case.kwargs)
    parts = [f"{k} = {fmt(v)}" for k, v in bound.items()]
    text = "\n    ".join(parts)
    return text + (f"\n    ({case.note})" if case.note else "")


def failed_call(function: str, reply: dict, seconds: float) -> str:
    kind, err = reply.get("error_type", ""), reply.get("error", "")
    if kind == "NotImplementedError":
        return f"`{function}` is not implemented yet (it raises NotImplementedError)"
    if kind == "NotDefined":
        return f"{err}: define it with exactly this name"
    if kind == "Timeout":
        return (f"`{function}` did not return within {seconds:g} s: probably an infinite loop "
                "(a while loop whose condition never changes?)")
    if kind == "WorkerDied":
        return f"`{function}` stopped the grader's worker: {err}"
    if kind == "ProtocolError":
        return (f"`{function}` wrote to the grader's pipe itself: {err}. Graded functions return "
                "their result; they do not talk to the grader")
    if kind in ("StandInRefused", "BudgetSpent", "ArgumentModified", "ReturnedInput"):
        return err     # the grader's own sentence
    if kind == "SystemExit":
        return f"`{function}` called sys.exit() / exit() ({err}); return a value instead"
    if kind == "MemoryError":
        return f"`{function}` ran out of memory (the limit is per student process)"
    if kind == "ImportError" and "NumPy only" in err:
        return f"`{function}` imports a module graded code may not use: {err}"
    if kind == "TypeError" and ("argument" in err):
        return f"`{function}` raised TypeError: {err} (check its signature against the lab's)"
    tb = reply.get("tb", "")
    return f"`{function}` raised {kind}: {err}" + (f"\n    where: {tb.splitlines()[-1]}" if tb else "")


def render(result) -> str:
    """One check's feedback from its result (`engine.CheckResult`): the check, what went wrong on
    the first failing input, that input, expected against got, the error against the tolerance,
    the likely mistake, and how many of the check's inputs fail."""
    check, f = result.check, result.failure
    head = f"{check.function}: {check.what}"
    if f is None:
        return f"{head}: passed ({result.inputs} inputs, rtol={check.rtol:g}, atol={check.atol:g})"
    lines = [head, f"  {f.message}"]
    if f.case is None:
        return "\n".join(lines)
    lines.append("  input: " + describe_case(check.oracle(), f.case))
    if f.expected is not None or f.got is not None:
        lines.append(f"  expected ({f.oracle}): {fmt(f.expected)}")
        lines.append(f"  got:{' ' * (len(f.oracle) + 9)}{fmt(f.got)}")
    lines += [f"  {d}" for d in f.details]
    if len(f.diagnoses) == 1:
        lines.append(f"  likely mistake: {f.diagnoses[0]}")
    elif f.diagnoses:      # each of them gives exactly these values: say so, do not pick one
        lines.append("  likely mistake, one of these (each gives your values on this input):")
        lines += [f"    - {d}" for d in f.diagnoses]
    if f.other_oracle:
        lines.append(f"  (your result matches {check.oracle_name(check.primary)} but not "
                     f"{f.other_oracle}; the two frameworks agree here)")
    if f.inputs > 1:
        lines.append(f"  {f.failing} of the check's {f.inputs} inputs fail" if f.failing > 1 else
                     f"  the check's other {f.inputs - 1} input{'s' if f.inputs > 2 else ''} pass")
    return "\n".join(lines)

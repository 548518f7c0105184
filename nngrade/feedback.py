"""Sentences for a student at midnight: what failed, on which input, by how much, and why."""
from __future__ import annotations

import inspect

import numpy as np

from nngrade.wire import Opaque


def fmt(x, width=400) -> str:
    if isinstance(x, np.ndarray):
        body = np.array2string(x, precision=6, threshold=24, edgeitems=3, max_line_width=100,
                               suppress_small=False)
        if x.ndim == 2 and x.size <= 24:      # a small matrix on one line, its rows side by side
            body = " ".join(line.strip() for line in body.splitlines())
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


SHOWN = 24       # an input array with more elements than this is summarised on one line


def summary(x) -> str | None:
    """One line for a large input (an array of more than SHOWN elements, or a list holding one, or
    a matrix, or a list): its shape, dtype and range; None for an input small enough to print."""
    if isinstance(x, np.ndarray) and x.size > SHOWN:
        span = ""
        if x.dtype.kind in "biuf" and x.size:
            with np.errstate(all="ignore"):
                span = f", values from {float(np.nanmin(x)):.4g} to {float(np.nanmax(x)):.4g}"
        return f"an array of shape {x.shape}, {x.dtype}{span}"
    if isinstance(x, (list, tuple)) and any(summary(v) or isinstance(v, (list, tuple))
                                            or (isinstance(v, np.ndarray) and v.ndim > 1) for v in x):
        kinds = ", ".join(f"{v.shape}" if isinstance(v, np.ndarray) else type(v).__name__ for v in x[:8])
        return f"a {type(x).__name__} of {len(x)}: {kinds}{' ...' if len(x) > 8 else ''}"
    return None


def describe_case(oracle, case) -> str:
    """`z = [...]`, naming each argument as the contract's signature does; a large argument on one
    line (its shape and range), so that the input fits the screen."""
    try:
        bound = inspect.signature(oracle).bind(*case.args, **case.kwargs).arguments
    except (TypeError, ValueError):
        bound = {f"arg{i}": a for i, a in enumerate(case.args)} | dict(case.kwargs)
    parts = [f"{k} = {summary(v) or fmt(v)}" for k, v in bound.items()]
    text = "\n    ".join(parts)
    return text + (f"\n    ({case.note})" if case.note else "")


def shapes(oracle, case) -> str:
    """" on X of shape (2,), ws of shape (300,)": the array arguments of a call, named as the
    contract's signature names them ("" when there are none)."""
    try:
        bound = inspect.signature(oracle).bind(*case.args, **case.kwargs).arguments
    except (TypeError, ValueError):
        bound = {f"argument {i + 1}": a for i, a in enumerate(case.args)}
    arrays = [f"{k} of shape {v.shape}" for k, v in bound.items() if isinstance(v, np.ndarray)]
    return (" on " + ", ".join(arrays)) if arrays else ""


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
    """One check's feedback from its result (`engine.CheckResult`): the check, what went wrong (and
    on how many of its inputs), the first failing input, expected against got, the error against
    the tolerance, and the likely mistake."""
    check, f = result.check, result.failure
    head = f"{check.function}: {check.what}"
    if f is None:
        return f"{head}: passed ({result.inputs} inputs, rtol={check.rtol:g}, atol={check.atol:g})"
    count = f" (on {f.failing} of the check's {f.inputs} inputs)" if f.inputs > 1 else ""
    lines = [head, f"  {f.message}{count}"]
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
    return "\n".join(lines)

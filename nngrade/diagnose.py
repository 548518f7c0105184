"""Name the likely mistake when a wrong result is a known transformation of the right one.

Generic shapes of error (a sign, a factor of 2 or 1/2, a factor of the batch size N or of
the number of elements, a transpose) are tried on every failed value; each check may add
its own known mistakes (`Likely` rows: the activation instead of its derivative, the
wrong axis, no clipping, ...), computed on the same input.

A mistake is named only when it is true (`explains`): computed on the student's input, it gives
the student's result within the check's own tolerance, and not the right one (a mistake that is
harmless on this input says nothing about it). A check's own mistakes come before the generic
shapes; when several explain the result equally, all of them are named as such.
"""
from __future__ import annotations

import numpy as np

from nngrade.compare import Problem
from nngrade.config import DEFAULT_ATOL, DEFAULT_RTOL
from nngrade.mistakes import (BATCH, ELEMENTS, EMPTY_AXIS, HALF, LAST_AXIS, RESHAPED, SIGN, TOO_LARGE, TOO_SMALL,
                              TRANSPOSE, TWICE)


def close(a, b, rtol=DEFAULT_RTOL, atol=DEFAULT_ATOL) -> bool:
    """Equal within |a - b| <= atol + rtol |b|, elementwise, in the same shape (NaN equals NaN)."""
    try:
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if a.shape != b.shape or a.size == 0:
        return False
    with np.errstate(all="ignore"):
        return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def explains(got, variant, expected, rtol=DEFAULT_RTOL, atol=DEFAULT_ATOL) -> bool:
    """A known mistake's result `variant` explains the student's `got`: they agree within the
    check's tolerance, and the right answer `expected` does not (else the mistake gives the right
    answer on this input, and says nothing about it)."""
    return variant is not None and close(got, variant, rtol, atol) and not close(expected, variant, rtol, atol)


def _sizes(args) -> list[tuple[float, str]]:
    """Batch-size-like factors of the first array argument."""
    for a in args:
        if isinstance(a, np.ndarray) and a.ndim >= 1 and a.size > 1:
            out = [(float(a.shape[0]), f"N = {a.shape[0]} {BATCH}")]
            if a.ndim > 1 and a.size != a.shape[0]:
                out.append((float(a.size), f"{a.size} {ELEMENTS}"))
                out.append((float(a.shape[-1]), f"{a.shape[-1]} {LAST_AXIS}"))
            return [o for o in out if o[0] > 1]
    return []


def _pick(x, where):
    """The part of a structured result that `where` ("result[1]['loss']") names."""
    if where == "result":
        return x
    import ast
    for key in where[len("result"):].strip("[]").split("]["):
        try:
            x = x[ast.literal_eval(key)]
        except Exception:
            return None
    return x


def diagnose(problem: Problem, case, likely=(), oracles=None, rtol=DEFAULT_RTOL, atol=DEFAULT_ATOL,
             result=None, answer=None, tested=None) -> list[str]:
    """The likely mistakes that explain a wrong value (with the check's tolerance `rtol`, `atol`):
    the check's own `likely` rows computed on the same input with `oracles` (directly, without),
    else the generic shapes. More than one means that each of them gives the student's values.
    `result` and `answer`: the whole result and the whole right answer, for `Likely.when` tests
    (the problem holds the part where they first differ). `tested`, a set, collects the messages of
    the rows that could be computed on this input (a row tested and not named is contradicted)."""
    got, expected = problem.got, problem.expected
    whole = (got if result is None else result, expected if answer is None else answer)
    if problem.kind == "shape":
        g = np.asarray(got)
        if g.ndim == 2 and g.T.shape == np.shape(expected) and close(g.T, expected, rtol, atol):
            return [f"your result is the {TRANSPOSE} of the expected one: check the order of a "
                    "matrix product (X @ W, not W @ X) or a missing .T"]
        if g.size == np.size(expected) and close(g.reshape(np.shape(expected)), expected, rtol, atol):
            return [f"{RESHAPED}: keep the input's shape (no flatten, squeeze or keepdims mix-up)"]
        if g.ndim == np.ndim(expected) and any(a == 0 < b for a, b in zip(g.shape, np.shape(expected))):
            return [f"{EMPTY_AXIS}: a slice x[p:-p] is empty when p = 0 (-0 is 0); "
                    "slice with x[p:x.shape[0] - p], or skip it when there is no padding"]
        return own_when(likely, *whole, case)
    if problem.kind != "value":
        return own_when(likely, *whole, case)
    own = own_when(likely, *whole, case)
    for row in likely:
        if row.value is None:
            continue
        try:
            value = oracles.call(row.value, case.args, case.kwargs) if oracles else row.value(*case.args, **case.kwargs)
            alt = _pick(value, problem.where)
        except Exception:     # a mistake that does not apply to this input (a shape it cannot take)
            continue
        if tested is not None and alt is not None:
            tested.add(row.message)
        if explains(got, alt, expected, rtol, atol) and row.message not in own:
            own.append(row.message)
    return own or _generic(got, expected, case, rtol, atol)


def own_when(likely, got, expected, case) -> list[str]:
    """The check's known mistakes that are recognised by a test of the result (`Likely.when`)
    rather than by a value to compare with (a shuffle by another generator has no value to match)."""
    found = []
    for row in likely:
        if row.when is None:
            continue
        try:
            if row.when(got, expected, *case.args, **case.kwargs):
                found.append(row.message)
        except Exception:      # a test that does not apply to this result
            continue
    return found


def _generic(got, expected, case, rtol, atol) -> list[str]:
    e = np.asarray(expected, dtype=np.float64) if np.size(expected) else None
    if e is None or not np.any(e != 0):
        return []
    found = []
    if explains(got, -e, e, rtol, atol):
        found.append(f"your result has the {SIGN}: is a minus sign missing or extra "
                     "(gradient descent subtracts, the derivative of -log is -1/p)?")
    factors = [(2.0, f"{TWICE}: an extra factor of 2?"),
               (0.5, f"exactly {HALF}: a missing factor of 2, or an extra 0.5?")]
    for n, what in _sizes(case.args):
        factors.append((n, f"exactly {what} {TOO_LARGE}: did you forget to divide by it "
                           "(average over the batch rather than sum)?"))
        factors.append((1.0 / n, f"exactly {what} {TOO_SMALL}: did you average where a sum "
                                 "is asked, or divide twice?"))
    found += [f"your result is {text}" for k, text in factors if explains(got, k * e, e, rtol, atol)]
    g = np.asarray(got) if isinstance(got, np.ndarray) else None
    if g is not None and g.ndim == 2 and g.shape[0] == g.shape[1] and explains(g.T, e, e.T, rtol, atol):
        found.append(f"your result is the {TRANSPOSE} of the expected one")
    return found

"""Name the likely mistake when a wrong result is a known transformation of the right one.

Generic shapes of error (a sign, a factor of 2 or 1/2, a factor of the batch size N or of
the number of elements, a transpose) are tried on every failed value; each check may add
its own known mistakes (`Likely` rows: the activation instead of its derivative, the
wrong axis, no clipping, ...), computed on the same input.
"""
from __future__ import annotations

import numpy as np

from nngrade.compare import Problem
from nngrade.mistakes import (BATCH, ELEMENTS, HALF, LAST_AXIS, RESHAPED, SIGN, TOO_LARGE, TOO_SMALL,
                              TRANSPOSE, TWICE)


def _close(a, b, rtol=1e-6, atol=1e-9) -> bool:
    try:
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if a.shape != b.shape or a.size == 0:
        return False
    with np.errstate(all="ignore"):
        return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


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


def diagnose(problem: Problem, case, likely=(), oracles=None) -> list[str]:
    """The likely mistakes that explain a wrong value: generic shapes of error, then the check's
    `likely` rows, computed on the same input with `oracles` (or directly, without)."""
    got, expected = problem.got, problem.expected
    found = []
    if problem.kind == "shape":
        g = np.asarray(got)
        if g.ndim == 2 and g.T.shape == np.shape(expected) and _close(g.T, expected):
            found.append(f"your result is the {TRANSPOSE} of the expected one: check the order of a "
                         "matrix product (X @ W, not W @ X) or a missing .T")
        elif g.size == np.size(expected) and _close(g.reshape(np.shape(expected)), expected):
            found.append(f"{RESHAPED}: keep the input's shape "
                         "(no flatten, squeeze or keepdims mix-up)")
        return found
    if problem.kind != "value":
        return found
    if _close(got, -np.asarray(expected, dtype=np.float64)) and np.any(np.asarray(expected) != 0):
        found.append(f"your result has the {SIGN}: is a minus sign missing or extra "
                     "(gradient descent subtracts, the derivative of -log is -1/p)?")
    factors = [(2.0, f"{TWICE}: an extra factor of 2?"),
               (0.5, f"exactly {HALF}: a missing factor of 2, or an extra 0.5?")]
    for n, what in _sizes(case.args):
        factors.append((n, f"exactly {what} {TOO_LARGE}: did you forget to divide by it "
                           "(average over the batch rather than sum)?"))
        factors.append((1.0 / n, f"exactly {what} {TOO_SMALL}: did you average where a sum "
                                 "is asked, or divide twice?"))
    for k, text in factors:
        if _close(got, k * np.asarray(expected, dtype=np.float64)) and np.any(np.asarray(expected) != 0):
            found.append("your result is " + text)
            break
    g = np.asarray(got) if isinstance(got, np.ndarray) else None
    if g is not None and g.ndim == 2 and g.shape[0] == g.shape[1] and not _close(g, expected) \
            and _close(g.T, expected):
        found.append(f"your result is the {TRANSPOSE} of the expected one")
    for row in likely:
        try:
            value = oracles.call(row.value, case.args, case.kwargs) if oracles else row.value(*case.args, **case.kwargs)
            alt = _pick(value, problem.where)
        except Exception:
            continue
        # a known mistake that gives the right answer on this input says nothing about it
        if alt is not None and _close(got, alt) and not _close(alt, expected, rtol=1e-9, atol=1e-12):
            found.append(row.message)
    return found

"""Stage 4: compare what the student returned with what an oracle expects.

Order: the type (an ndarray, or a float where the contract says so), the structure
(tuple length, dict keys), the shape, the dtype (types checks only), finiteness, then values with
|got - expected| <= atol + rtol * |expected|, elementwise. The first problem found is
returned as a `Problem`; `None` means the result is right.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nngrade.mistakes import A_LIST, BOOL, INTEGER, ONE_ELEMENT
from nngrade.wire import Opaque


@dataclass
class Problem:
    kind: str             # type | structure | shape | dtype | nonfinite | value
    where: str            # "result", "result[1]", "result['loss']"
    message: str
    got: object = None
    expected: object = None
    details: list = field(default_factory=list)


def describe_type(x) -> str:
    if isinstance(x, Opaque):
        return ("an ndarray subclass `%s`" if x.ndarray_subclass else "a `%s` object") % x.type_name
    if isinstance(x, np.ndarray):
        return f"an ndarray of {x.dtype} with shape {x.shape}"
    if isinstance(x, np.generic):
        return f"a NumPy {x.dtype} scalar"
    return f"a {type(x).__name__}"


def as_scalar(x):
    """The float() of a result that the contract accepts as a scalar, else None."""
    if isinstance(x, bool):
        return float(x)
    if isinstance(x, (int, float, np.integer, np.floating)):
        return float(x)
    if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "biuf":
        return float(x)
    if isinstance(x, Opaque) and not x.ndarray_subclass and x.as_float is not None:
        return x.as_float
    return None


def tolerance_excess(got, expected, rtol, atol):
    """Elementwise |got - expected| / (atol + rtol |expected|), with equal infs and NaNs at 0."""
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    with np.errstate(all="ignore"):
        diff = np.abs(got - expected)
        same = (got == expected) | (np.isnan(got) & np.isnan(expected))
        diff = np.where(same, 0.0, diff)
        diff = np.where(np.isnan(diff), np.inf, diff)
        return diff / (atol + rtol * np.abs(np.where(np.isfinite(expected), expected, 0.0)))


def value_problem(got, expected, rtol, atol, where) -> Problem | None:
    excess = tolerance_excess(got, expected, rtol, atol)
    if excess.size == 0 or np.max(excess) <= 1.0:
        return None
    g = np.asarray(got, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    idx = np.unravel_index(int(np.argmax(excess)), excess.shape) if excess.ndim else ()
    with np.errstate(all="ignore"):
        abs_err = np.abs(g - e)
        rel_err = abs_err / np.maximum(np.abs(e), 1e-300)
    at = f" at index {tuple(int(i) for i in idx)}" if idx else ""
    n_bad = int(np.sum(excess > 1.0))
    details = [
        f"max abs error {float(np.nanmax(abs_err)):.3g}{at}, max rel error {float(np.nanmax(rel_err)):.3g}"
        + (f", {n_bad} of {excess.size} elements" if excess.size > 1 else "")
        + f": {float(np.max(excess)):.3g} times over the tolerance |got - expected| <= {atol:g} + {rtol:g} * |expected|",
    ]
    return Problem("value", where, f"{where} has wrong values", got, expected, details)


NUMERIC = "biuf"


def _numeric_array(x):
    """A list or tuple of numbers as an array (for a value check), else x as it is."""
    try:
        a = np.asarray(x)
    except (TypeError, ValueError):
        return x
    return a if a.dtype.kind in NUMERIC else x


def compare(got, expected, rtol, atol, where="result", structure_only=False) -> Problem | None:
    """The first problem of `got` against `expected`, or None. Each check owns one property: with
    `structure_only` (a types check) the type, the structure, the shape and the dtype, and not the
    values; otherwise (a value check) the values, read from any numeric dtype, a list of numbers,
    an array of one element where a float is expected, or an array whose shape differs from the
    expected one by axes of length 1 only (a wrong type, dtype or shape costs its own check)."""
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)) or isinstance(got, Opaque):
            return Problem("type", where, f"{where} should be a {type(expected).__name__} of "
                           f"{len(expected)} items, got {describe_type(got)}", got, expected)
        if len(got) != len(expected):
            return Problem("structure", where, f"{where} should have {len(expected)} items, got {len(got)}",
                           got, expected)
        for i, (g, e) in enumerate(zip(got, expected)):
            p = compare(g, e, rtol, atol, f"{where}[{i}]", structure_only)
            if p:
                return p
        return None
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return Problem("type", where, f"{where} should be a dict, got {describe_type(got)}", got, expected)
        missing = [k for k in expected if k not in got]
        if missing:
            return Problem("structure", where, f"{where} is missing the key(s) {missing}", got, expected)
        for k, e in expected.items():
            p = compare(got[k], e, rtol, atol, f"{where}[{k!r}]", structure_only)
            if p:
                return p
        return None
    if expected is None:
        return None
    if isinstance(expected, (bool, np.bool_)) or (isinstance(expected, (int, np.integer))):
        ok = isinstance(got, (bool, int, np.integer, np.bool_))
        if not ok:
            return Problem("type", where, f"{where} should be an int, got {describe_type(got)}", got, expected)
        if not structure_only and int(got) != int(expected):
            return Problem("value", where, f"{where} should be {int(expected)}, got {int(got)}", got, expected)
        return None
    if isinstance(expected, (float, np.floating)):
        g = as_scalar(got)
        if g is None and not structure_only and isinstance(got, np.ndarray) and got.size == 1 \
                and got.dtype.kind in NUMERIC:
            g = float(got.reshape(-1)[0])      # the types check owns "a float, not an array"
        if g is None:
            hint = ""
            if isinstance(got, np.ndarray) and got.size == 1:
                hint = f" ({ONE_ELEMENT}: return float(x) or x.item())"
            return Problem("type", where, f"{where} should be a float, got {describe_type(got)}{hint}",
                           got, expected)
        if structure_only:
            return None
        if np.isfinite(expected) and not np.isfinite(g):
            return Problem("nonfinite", where, f"{where} is {g} where the oracle gives {float(expected):.6g}",
                           g, float(expected))
        return value_problem(g, float(expected), rtol, atol, where)
    if isinstance(expected, np.ndarray):
        if not structure_only and isinstance(got, (list, tuple)):
            got = _numeric_array(got)          # the types check owns "an ndarray, not a list"
        if not isinstance(got, np.ndarray):
            hint = ""
            if isinstance(got, (list, tuple)):
                hint = f" ({A_LIST}(...))"
            return Problem("type", where, f"{where} should be a numpy.ndarray, got {describe_type(got)}{hint}",
                           got, expected)
        if not structure_only and got.shape != expected.shape and got.size == expected.size \
                and np.squeeze(got).shape == np.squeeze(expected).shape:
            got = got.reshape(expected.shape)  # the types check owns "(1, N), not (N,)"
        if got.shape != expected.shape:
            return Problem("shape", where, f"{where} has shape {got.shape}, expected {expected.shape}",
                           got, expected)
        if expected.dtype.kind == "f":
            if structure_only and got.dtype != np.float64:
                why = {"f": " (float64 is the contract: avoid dtype=np.float32 and float32 constants)",
                       "i": f" ({INTEGER}: start from a float array)",
                       "u": f" ({INTEGER}: start from a float array)",
                       "b": f" ({BOOL}: convert with .astype(np.float64))"}.get(got.dtype.kind, "")
                return Problem("dtype", where, f"{where} has dtype {got.dtype}, expected float64{why}",
                               got, expected)
            if structure_only:
                return None
            if got.dtype.kind not in NUMERIC:
                return Problem("dtype", where, f"{where} has dtype {got.dtype}: its values cannot be compared",
                               got, expected)
            bad = np.isfinite(expected) & ~np.isfinite(got)
            if bad.any():
                i = tuple(int(v) for v in np.argwhere(bad)[0])
                return Problem("nonfinite", where, f"{where} has {got[i]} at index {i} where the oracle "
                               f"gives {expected[i]:.6g} ({int(bad.sum())} non-finite value(s))", got, expected)
            return value_problem(got, expected, rtol, atol, where)
        if got.dtype.kind not in ("biu" if structure_only else NUMERIC):
            return Problem("dtype", where, f"{where} has dtype {got.dtype}, expected an integer or bool array",
                           got, expected)
        if not structure_only and not np.array_equal(got.astype(np.int64), expected.astype(np.int64)):
            n = int(np.sum(got.astype(np.int64) != expected.astype(np.int64)))
            return Problem("value", where, f"{where} differs from the expected values in {n} of "
                           f"{expected.size} element(s)", got, expected)
        return None
    raise TypeError(f"oracle returned an unsupported type {type(expected).__name__}")


def seeded_draws_problem(draws, problem_of, drawn_with: str) -> str | None:
    """The three draws of a "draws from the rng it is given" check, made with fresh generators
    seeded (s, s, t): each one must pass `problem_of` (a draw -> problem text or None), the first
    two must be equal and the third different. `drawn_with` names the rng methods to use."""
    if not isinstance(draws, list) or len(draws) != 3:
        return "internal: expected three draws"
    for draw in draws:
        problem = problem_of(draw)
        if problem:
            return problem
    if not np.array_equal(draws[0], draws[1]):      # exact: the same seed must give the same bits
        return ("two calls, each with a fresh rng = np.random.default_rng(seed) and the same seed, gave "
                f"different draws: draw from the `rng` argument ({drawn_with}), not from np.random.* "
                "(a global generator the grader cannot seed)")
    if np.array_equal(draws[0], draws[2]):
        return "two different seeds gave the same draw: use the `rng` you are given, not a generator you seed yourself"
    return None

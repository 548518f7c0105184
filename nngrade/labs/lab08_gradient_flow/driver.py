"""Drivers for lab08_gradient_flow (worker side, NumPy only).

`drive_fresh` calls the function once, like `drive_call` (which guards the arguments, the
arrays inside a list such as `grads` or `params` included), and then enforces the part of the
contract that a value comparison cannot see: no returned array is one of the argument arrays
or a view of one (`clip_by_norm` returns a NEW array even when it does not
need to scale, so that a caller may change the result without changing the gradient).
"""
from __future__ import annotations

import numpy as np

from nngrade.drivers import CONTRACT, argument_names, guard, lookup, snapshot


def _arrays(x, where):
    """(where, array) for every ndarray inside x, in order."""
    if isinstance(x, np.ndarray):
        yield where, x
    elif isinstance(x, (list, tuple)):
        for i, v in enumerate(x):
            yield from _arrays(v, f"{where}[{i}]")
    elif isinstance(x, dict):
        for k, v in x.items():
            yield from _arrays(v, f"{where}[{k!r}]")


class ReturnedInput(Exception):
    """The function returned one of its argument arrays (or a view of one) as its result."""


def drive_fresh(ns, fn, *args, **kwargs):
    f = lookup(ns, fn)
    named = argument_names(f, args, kwargs)
    before = [snapshot(v) for _, v in named]
    result = f(*args, **kwargs)
    guard(fn, named, before)
    if not CONTRACT[0]:
        return result
    inputs = [a for name, value in named for a in _arrays(value, name)]
    for out_where, r in _arrays(result, "result"):
        for where, a in inputs:
            if np.shares_memory(r, a):
                raise ReturnedInput(f"`{fn}` returned {where} itself (or a view of it) as {out_where}: "
                                    "return a new array even when nothing changes (np.array(..., copy=True), "
                                    "or multiply by the scale, which makes a copy)")
    return result

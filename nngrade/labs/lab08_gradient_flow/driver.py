"""Drivers for lab08_gradient_flow (worker side, NumPy only).

`drive_fresh` calls the function once, like `drive_call`, and then enforces the part of the
contract that a value comparison cannot see: the arguments (including the arrays inside a
list such as `grads` or `params`) are unchanged, and no returned array is one of the
argument arrays or a view of one (`clip_by_norm` returns a NEW array even when it does not
need to scale, so that a caller may change the result without changing the gradient).
"""
from __future__ import annotations

import numpy as np

from nngrade.drivers import _copy, lookup

ARG_NAMES = {
    "layer_gradient_norms": ("X", "Y", "params", "hidden"),
    "clip_by_norm": ("g", "max_norm"),
    "clip_by_global_norm": ("grads", "max_norm"),
}


class InPlaceChange(Exception):
    """The function changed an argument, or returned an argument's memory."""


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


def drive_fresh(ns, fn, *args, **kwargs):
    names = ARG_NAMES.get(fn, ())
    labelled = [(names[i] if i < len(names) else f"argument {i + 1}", a) for i, a in enumerate(args)]
    labelled += list(kwargs.items())
    before = [(name, _copy(a)) for name, a in labelled]
    result = lookup(ns, fn)(*args, **kwargs)
    inputs = []
    for (name, now), (_, then) in zip(labelled, before):
        for (where, a), (_, b) in zip(_arrays(now, name), _arrays(then, name)):
            inputs.append((where, a))
            if a.shape != b.shape or not np.array_equal(a, b, equal_nan=True):
                raise InPlaceChange(f"`{fn}` changed {where} in place; functions must leave their "
                                    "arguments unchanged (the caller still needs them): compute new arrays")
    for out_where, r in _arrays(result, "result"):
        for where, a in inputs:
            if np.shares_memory(r, a):
                raise InPlaceChange(f"`{fn}` returned {where} itself (or a view of it) as {out_where}: "
                                    "return a new array even when nothing changes (np.array(..., copy=True), "
                                    "or multiply by the scale, which makes a copy)")
    return result

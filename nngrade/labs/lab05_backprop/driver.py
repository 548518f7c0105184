"""Worker-side drivers for lab05_backprop (NumPy only).

`params` is a list of `(W, b)` pairs, which the engine's own in-place check (top-level
array arguments only) does not look into, and the MLP functions return structures of
which only part is graded. These drivers call the student's function once, fail with a
plain sentence when an input array was changed in place or the result has the wrong
structure, and return just the graded part:
- `mlp_forward` -> `Y_hat` (the cache is the student's own);
- `mlp_loss_and_grads` -> `{"loss": loss, "dW1": ..., "db1": ..., "dW2": ...}`, layers
  numbered from 1 as in the notes, so that feedback names `result['dW2']`.
"""
from __future__ import annotations

import numpy as np

from nngrade.drivers import lookup


class ArgumentModified(Exception):
    """An input array was different after the call."""


def _snapshot(x):
    if isinstance(x, np.ndarray):
        return np.array(x, copy=True)
    if isinstance(x, (list, tuple)):
        return type(x)(_snapshot(v) for v in x)
    return x


def _changed(before, after, where):
    """The first place (as text) where `after` differs from `before`, or None."""
    if isinstance(before, np.ndarray):
        if not isinstance(after, np.ndarray) or after.shape != before.shape \
                or not np.array_equal(before, after, equal_nan=True):
            return where
        return None
    if isinstance(before, (list, tuple)):
        if not isinstance(after, (list, tuple)) or len(after) != len(before):
            return where
        for i, (b, a) in enumerate(zip(before, after)):
            found = _changed(b, a, f"{where}[{i}]")
            if found:
                return found
    return None


def _layer_name(where):
    """'params[1][0]' -> 'params[1][0] (W of layer 2)'."""
    if where.startswith("params[") and where.count("[") == 2:
        layer, part = where[len("params["):].rstrip("]").split("][")
        return f"{where} ({'W' if part == '0' else 'b'} of layer {int(layer) + 1})"
    return where


def _call_unmodified(ns, fn, names, args, kwargs):
    before = _snapshot(args)
    result = lookup(ns, fn)(*args, **kwargs)
    for name, b, a in zip(names, before, args):
        where = _changed(b, a, name)
        if where:
            raise ArgumentModified(
                f"it changed {_layer_name(where)} in place; the caller's arrays must stay as they "
                "were: compute new arrays (W + ..., not W += ...) or work on copies")
    return result


def _kind(x) -> str:
    if isinstance(x, np.ndarray):
        return f"an ndarray of shape {x.shape}"
    return f"a {type(x).__name__}"


def drive_mlp_forward(ns, fn, X, params, *args, **kwargs):
    result = _call_unmodified(ns, fn, ["X", "params"], [X, params] + list(args), kwargs)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise TypeError(f"`{fn}` must return a pair (Y_hat, cache); it returned {_kind(result)}"
                        + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""))
    return result[0]


def drive_mlp_loss_and_grads(ns, fn, X, Y, params, *args, **kwargs):
    result = _call_unmodified(ns, fn, ["X", "Y", "params"], [X, Y, params] + list(args), kwargs)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise TypeError(f"`{fn}` must return a pair (loss, grads); it returned {_kind(result)}"
                        + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""))
    loss, grads = result
    if not isinstance(grads, (tuple, list)) or len(grads) != len(params):
        raise TypeError(f"`{fn}` must return grads as a list of {len(params)} pairs (dW, db), one per "
                        f"layer in the order of params; it returned {_kind(grads)}"
                        + (f" of length {len(grads)}" if isinstance(grads, (tuple, list)) else ""))
    out = {"loss": loss}
    for i, pair in enumerate(grads):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"`{fn}`: grads[{i}] must be a pair (dW, db) for layer {i + 1}; "
                            f"it is {_kind(pair)}")
        out[f"dW{i + 1}"], out[f"db{i + 1}"] = pair
    return out

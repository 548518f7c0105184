"""Worker-side drivers for lab05_backprop (NumPy only).

The MLP functions return structures of which only part is graded. These drivers call the
student's function once (`drivers.call_unchanged`: the in-place guard, which names a layer's
array as `params[1][0] (W of layer 2)`), fail with a plain sentence when the result has the wrong
structure, and return just the graded part:
- `mlp_forward` -> `Y_hat` (the cache is the student's own);
- `mlp_loss_and_grads` -> `{"loss": loss, "dW1": ..., "db1": ..., "dW2": ...}`, layers
  numbered from 1 as in the notes, so that feedback names `result['dW2']`.
"""
from __future__ import annotations

import numpy as np

from nngrade.drivers import call_unchanged


def _layer_name(where):
    """'params[1][0]' -> 'params[1][0] (W of layer 2)'."""
    if where.startswith("params[") and where.count("[") == 2:
        layer, part = where[len("params["):].rstrip("]").split("][")
        return f"{where} ({'W' if part == '0' else 'b'} of layer {int(layer) + 1})"
    return where


def _kind(x) -> str:
    if isinstance(x, np.ndarray):
        return f"an ndarray of shape {x.shape}"
    return f"a {type(x).__name__}"


def drive_mlp_forward(ns, fn, X, params, *args, **kwargs):
    result = call_unchanged(ns, fn, (X, params, *args), kwargs, ["X", "params"], _layer_name)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise TypeError(f"`{fn}` must return a pair (Y_hat, cache); it returned {_kind(result)}"
                        + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""))
    return result[0]


def drive_mlp_loss_and_grads(ns, fn, X, Y, params, *args, **kwargs):
    result = call_unchanged(ns, fn, (X, Y, params, *args), kwargs, ["X", "Y", "params"], _layer_name)
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

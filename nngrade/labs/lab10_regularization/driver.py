"""Worker-side drivers for lab10_regularization (NumPy only).

- `dropout_mask` draws from the rng it is given: `drive_mask` builds
  `rng = np.random.default_rng(seed)` in the worker, `drive_mask_seeds` one fresh rng per seed.
- The normalisations' forward passes return a tuple whose last item is the cache: the value
  checks grade the output (`drive_output`), the running statistics (`drive_running`), everything
  but the cache (`drive_forward`) or the cache alone (`drive_cache`), each one property, so that
  one mistake costs the points of the check that names it. Every call leaves its arguments
  unchanged (`call_unchanged`) and a result of the wrong structure gets a sentence.
"""
from __future__ import annotations

import numpy as np

from nngrade.drivers import call_unchanged, lookup

RETURNS = {"batchnorm_forward": "(out, new_running_mean, new_running_var, cache)",
           "layernorm_forward": "(out, cache)"}


def drive_mask(ns, fn, seed, shape, p):
    """`fn(shape, p, rng)` with `rng = np.random.default_rng(seed)`."""
    return lookup(ns, fn)(shape, p, np.random.default_rng(seed))


def drive_mask_seeds(ns, fn, seeds, shape, p):
    """One draw per seed, each with a fresh `np.random.default_rng(seed)`."""
    f = lookup(ns, fn)
    return [f(shape, p, np.random.default_rng(s)) for s in seeds]


def _result(ns, fn, args, kwargs) -> tuple:
    result = call_unchanged(ns, fn, args, kwargs)
    n = RETURNS[fn].count(",") + 1
    if not isinstance(result, (tuple, list)) or len(result) != n:
        got = f"a {type(result).__name__}" + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else "")
        raise TypeError(f"`{fn}` must return a tuple {RETURNS[fn]}; it returned {got}")
    return tuple(result)


def drive_output(ns, fn, *args, **kwargs):
    """The normalised output, the first item."""
    return _result(ns, fn, args, kwargs)[0]


def drive_running(ns, fn, *args, **kwargs):
    """(new_running_mean, new_running_var) of batchnorm_forward."""
    return _result(ns, fn, args, kwargs)[1:3]


def drive_forward(ns, fn, *args, **kwargs):
    """Everything but the cache."""
    return _result(ns, fn, args, kwargs)[:-1]


def drive_cache(ns, fn, *args, **kwargs):
    """The cache, the last item: (X, gamma, eps)."""
    return _result(ns, fn, args, kwargs)[-1]

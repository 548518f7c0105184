"""Worker-side drivers of lab06_training (NumPy only: this module runs next to student code).

- `init`, `init_seeds`: build `rng = np.random.default_rng(seed)` here and call the
  initialiser with it (a Generator cannot travel over the wire).
- `optimizer`: build the student's optimizer on the parameter arrays, call `step` once per
  list of gradients, and snapshot the parameters after each step.
- `minibatches`: call `iterate_minibatches`, check that it is a generator, collect the batches.
- `train_history`, `train_weights`: run the student's `train` with the grader's own plain SGD
  (`GraderSGD`), so that `train` is graded on its own, whatever the student's `SGD` does.
"""
from __future__ import annotations

import inspect

import numpy as np

from nngrade.drivers import CONTRACT, MAX_ITEMS, guard, lookup, snapshot


# --- initialisers -------------------------------------------------------------------------

def drive_init(ns, fn, seed, *args):
    """`fn(*args, rng)` with `rng = np.random.default_rng(seed)`."""
    return lookup(ns, fn)(*args, np.random.default_rng(seed))


def drive_init_seeds(ns, fn, seeds, *args):
    """One draw per seed, each with a fresh `np.random.default_rng(seed)`."""
    f = lookup(ns, fn)
    return [f(*args, np.random.default_rng(s)) for s in seeds]


# --- optimizers ---------------------------------------------------------------------------

def drive_optimizer(ns, cls, params, grads, **hyper):
    """`opt = cls(params, **hyper)`, then `opt.step(g)` for each `g` in `grads`; returns a copy
    of the parameter list after each step (the arrays must be updated in place)."""
    opt = lookup(ns, cls)(params, **hyper)
    out = []
    for i, g in enumerate(grads):
        before = snapshot(g)
        opt.step(g)
        guard(f"{cls}.step", [(f"the gradient arrays (step {i + 1})", g)], [before])
        out.append(snapshot(params))
    return out


# --- mini-batches -------------------------------------------------------------------------

def drive_minibatches(ns, fn, X, y, batch_size, seed=None):
    """`iterate_minibatches(X, y, batch_size)` or, with a seed, `(..., rng)` with
    `rng = np.random.default_rng(seed)`; the list of `(X_batch, y_batch)` it yields."""
    before = snapshot([X, y])
    f = lookup(ns, fn)
    gen = f(X, y, batch_size) if seed is None else f(X, y, batch_size, np.random.default_rng(seed))
    if not inspect.isgenerator(gen) and (CONTRACT[0] or not hasattr(gen, "__iter__")):
        raise TypeError(f"`{fn}` returned a {type(gen).__name__}, not a generator: write it with "
                        "`yield`, one (X_batch, y_batch) at a time")
    out = []
    for item in gen:
        if len(out) >= MAX_ITEMS:
            raise RuntimeError(f"`{fn}` yielded more than {MAX_ITEMS} batches")
        out.append(tuple(item) if isinstance(item, list) else item)
    guard(fn, [("X", X), ("y", y)], before)
    return out


# --- train --------------------------------------------------------------------------------

class GraderSGD:
    """The grader's own optimizer for `train` (the contract's interface): plain SGD with
    optional heavy-ball momentum, as `torch.optim.SGD`, updating the arrays in place."""

    def __init__(self, params, lr, momentum=0.0):
        self.params, self.lr, self.momentum = params, lr, momentum
        self.velocity = {}      # parameter index -> its momentum buffer, after the first step

    def step(self, grads):
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError(f"optimizer.step got {len(grads)} gradients for {len(self.params)} parameter "
                             "arrays: pass one gradient per array of params, in the same order")
        for i, (p, g) in enumerate(zip(self.params, grads)):
            g = np.asarray(g)
            if g.shape != p.shape:
                raise ValueError(f"optimizer.step: gradient {i} has shape {g.shape} but params[{i}] has "
                                 f"shape {p.shape}: the gradients must come in the order of params "
                                 "[dW1, db1, dW2, db2, ...]")
            if self.momentum:
                v = self.velocity.get(i)
                self.velocity[i] = g.copy() if v is None else self.momentum * v + g
                g = self.velocity[i]
            p -= self.lr * g


def _train(ns, fn, X, y, params, batch_size, epochs, X_val, y_val, lr, momentum):
    data = [("X", X), ("y", y), ("X_val", X_val), ("y_val", y_val)]
    before = [snapshot(v) for _, v in data]
    opt = GraderSGD(params, lr, momentum)
    kwargs = {} if X_val is None else {"X_val": X_val, "y_val": y_val}
    history = lookup(ns, fn)(X, y, params, opt, batch_size, epochs, **kwargs)
    guard(fn, data, before)
    return history, params


def _plain_history(history):
    """Lists of Python floats: a NumPy array or NumPy scalars per epoch are accepted too."""
    if not isinstance(history, dict):
        return history
    out = {}
    for k, v in history.items():
        if isinstance(v, np.ndarray) and v.ndim == 1:
            v = v.tolist()
        if isinstance(v, (list, tuple)):
            v = [float(x) if isinstance(x, (np.floating, np.integer)) else x for x in v]
        out[k] = v
    return out


def drive_train_history(ns, fn, X, y, params, batch_size, epochs, X_val=None, y_val=None, lr=0.5,
                        momentum=0.0):
    """`train(X, y, params, GraderSGD(params, lr, momentum), batch_size, epochs[, X_val, y_val])`;
    returns the history."""
    history, _ = _train(ns, fn, X, y, params, batch_size, epochs, X_val, y_val, lr, momentum)
    return _plain_history(history)


def drive_train_weights(ns, fn, X, y, params, batch_size, epochs, X_val=None, y_val=None, lr=0.5,
                        momentum=0.0):
    """The same run; returns the parameter arrays afterwards."""
    _, params = _train(ns, fn, X, y, params, batch_size, epochs, X_val, y_val, lr, momentum)
    return snapshot(params)

"""Worker-side driver for lab01_neurons (NumPy only).

`perceptron_fit` restarts from zeros on every call, so `perceptron_fit(X, y, lr, epochs=k)`
is the state of the rule after k epochs (or after the first epoch without a mistake, if
that comes sooner). Calling it for k = 1, 2, ..., max_epochs observes the weights after
every epoch without the student's function having to report them.
"""
from __future__ import annotations

import numpy as np

from nngrade.drivers import lookup, snapshot


def drive_fit_by_epoch(ns, fn, X, y, lr, max_epochs):
    """[fn(X, y, lr=lr, epochs=k) for k = 1..max_epochs], each call on fresh copies."""
    fit = lookup(ns, fn)
    out = []
    for k in range(1, int(max_epochs) + 1):
        out.append(snapshot(fit(np.array(X, copy=True), np.array(y, copy=True), lr=lr, epochs=k)))
    return out

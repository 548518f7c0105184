"""Oracles for lab01_neurons: threshold units, boolean gates, the perceptron rule, XOR, the
sigmoid neuron. Float64 NumPy in and out; integer outputs are int64 arrays.

A unit is a linear layer followed by an activation, in both frameworks, with the weights
set by hand: PyTorch `torch.nn.Linear` (its `weight` is `w` laid out (out, in), the
transpose of the contract's (in, out)) followed by `torch.heaviside(z, 1)` (a step that
fires at z = 0) or `torch.sigmoid`; Keras a `keras.layers.Dense` whose kernel is `w` as
(in, out), followed by `keras.ops.greater_equal(z, 0)` or the Dense layer's own sigmoid.

The perceptron rule is replayed in both frameworks from the same zeros:
- PyTorch: the rule is SGD with batch size 1 on the perceptron criterion
  `-(y - yhat) * z` with `yhat` held fixed, whose gradient in w is `-(y - yhat) x`; one
  `torch.optim.SGD(lr)` step per row is `w += lr (y - yhat) x`, the rule itself.
- Keras: a Dense layer predicts each row, then its kernel and bias are moved with
  `assign_add` by the rule as written.

`gate_params` and `xor_network` are graded on the truth table: their oracles return the
gate's truth table (by the frameworks' logical ops), and the grader's own forward pass
(`perceptron_forward`, `xor_forward`) runs on the weights the student returns.

`Mistakes` holds known wrong versions of the rule for the feedback (a step firing at z > 0,
the bias updated without lr, a whole epoch predicted with the weights of its start): the
PyTorch replay with one thing changed (a heaviside value, an SGD parameter group, when the
predictions are made), never a hand-written rule.
"""
from __future__ import annotations

from enum import Enum
from functools import lru_cache

import numpy as np

from reference._frameworks import keras, numpy, optim_step, tensor, torch

TRUTH_INPUTS = {
    1: np.array([[0.0], [1.0]]),
    2: np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]),
}
GATE_INPUTS = {"and": 2, "or": 2, "nand": 2, "nor": 2, "not": 1}


# ---------------------------------------------------------------- PyTorch building blocks

def _torch_linear(w, b):
    """torch.nn.Linear(n, k) holding W (n, k) and b (k,): its weight is W.T."""
    t = torch()
    W = np.asarray(w, dtype=np.float64)
    W = W[:, None] if W.ndim == 1 else W
    layer = t.nn.Linear(W.shape[0], W.shape[1], dtype=t.float64)
    with t.no_grad():
        layer.weight.copy_(tensor(W.T))
        layer.bias.copy_(tensor(np.reshape(np.asarray(b, dtype=np.float64), (W.shape[1],))))
    return layer


def _torch_step(z):
    t = torch()
    return t.heaviside(z, t.ones((), dtype=z.dtype))


def _torch_unit(X, w, b, activation):
    with torch().no_grad():
        z = _torch_linear(w, b)(tensor(X))
        return numpy(activation(z))


# ------------------------------------------------------------------ Keras building blocks

def _keras_dense(w, b, activation=None):
    """keras.layers.Dense(k) holding the kernel W (n, k) and the bias b (k,)."""
    K = keras()
    W = np.asarray(w, dtype=np.float64)
    W = W[:, None] if W.ndim == 1 else W
    layer = K.layers.Dense(W.shape[1], activation=activation)
    layer.build((None, W.shape[0]))
    layer.set_weights([W, np.reshape(np.asarray(b, dtype=np.float64), (W.shape[1],))])
    return layer


def _keras_step(z):
    ops = keras().ops
    return ops.cast(ops.greater_equal(z, 0.0), "float64")


def _keras_unit(X, w, b, activation=None):
    return np.array(_keras_dense(w, b, activation)(np.asarray(X, dtype=np.float64)), dtype=np.float64)


def _ints(a) -> np.ndarray:
    return np.rint(np.asarray(a, dtype=np.float64)).astype(np.int64)


# --------------------------------------------------------------------- the perceptron rule

# Known wrong versions of the rule (the checks' `likely` rows), replayed by the same PyTorch
# loop with one thing changed: "fires_above_zero" predicts with heaviside(z, 0) (a row with
# z = 0 gives 0), "bias_without_lr" gives the bias its own SGD parameter group with lr = 1,
# "epoch_predictions" predicts every row of an epoch with the weights of the epoch's start.
class Replay(Enum):
    """Known mistakes of the perceptron rule, replayed by the PyTorch loop with one change."""
    FIRES_ABOVE_ZERO = "fires_above_zero"
    BIAS_WITHOUT_LR = "bias_without_lr"
    EPOCH_PREDICTIONS = "epoch_predictions"


@lru_cache(maxsize=64)
def _torch_replay(xb, shape, yb, lr, epochs, variant=None):
    if variant is not None and not isinstance(variant, Replay):
        raise TypeError(f"variant must be a Replay member, not {variant!r}")
    t = torch()
    X = np.frombuffer(xb, dtype=np.float64).reshape(shape)
    y = np.frombuffer(yb, dtype=np.float64)
    layer = _torch_linear(np.zeros(shape[1]), 0.0)
    if variant is Replay.BIAS_WITHOUT_LR:
        opt = t.optim.SGD([{"params": [layer.weight]}, {"params": [layer.bias], "lr": 1.0}], lr=lr)
    else:
        opt = t.optim.SGD(layer.parameters(), lr=lr)
    step = (lambda z: t.heaviside(z, t.zeros((), dtype=z.dtype))) if variant is Replay.FIRES_ABOVE_ZERO else _torch_step
    Xt, yt = tensor(X), tensor(y)
    snapshots = []
    for _ in range(epochs):
        mistakes = 0
        if variant is Replay.EPOCH_PREDICTIONS:
            with t.no_grad():
                epoch_yhat = step(layer(Xt)[:, 0])
        for i in range(shape[0]):
            z = layer(Xt[i:i + 1])[0, 0]
            yhat = epoch_yhat[i] if variant is Replay.EPOCH_PREDICTIONS else step(z.detach())
            err = yt[i] - yhat
            mistakes += int(err.item() != 0)
            opt.zero_grad()
            (-(err * z)).backward()          # the perceptron criterion; its SGD step is the rule
            optim_step(opt)
        snapshots.append((numpy(layer.weight)[0], float(layer.bias.item())))
        if mistakes == 0:
            break
    return tuple(snapshots)


@lru_cache(maxsize=64)
def _keras_replay(xb, shape, yb, lr, epochs):
    ops = keras().ops
    X = np.frombuffer(xb, dtype=np.float64).reshape(shape)
    y = np.frombuffer(yb, dtype=np.float64)
    layer = _keras_dense(np.zeros(shape[1]), 0.0)
    snapshots = []
    for _ in range(epochs):
        mistakes = 0
        for i in range(shape[0]):
            x = X[i:i + 1]
            err = y[i] - _keras_step(layer(x))[0, 0]
            mistakes += int(float(err) != 0)
            layer.kernel.assign_add(lr * err * ops.transpose(x))
            layer.bias.assign_add(ops.reshape(lr * err, (1,)))
        snapshots.append((np.array(layer.kernel.numpy()[:, 0], dtype=np.float64),
                          float(layer.bias.numpy()[0])))
        if mistakes == 0:
            break
    return tuple(snapshots)


def _replay(which, X, y, lr, epochs, variant=None):
    X = np.ascontiguousarray(X, dtype=np.float64)
    y = np.ascontiguousarray(y, dtype=np.float64).reshape(-1)
    if which == "torch":
        return _torch_replay(X.tobytes(), X.shape, y.tobytes(), float(lr), int(epochs), variant)
    return _keras_replay(X.tobytes(), X.shape, y.tobytes(), float(lr), int(epochs))


def _fit_final(which, X, y, lr=1.0, epochs=100, variant=None):
    snaps = _replay(which, X, y, lr, epochs, variant)
    if not snaps:
        return np.zeros(np.shape(X)[1]), 0.0
    w, b = snaps[-1]
    return np.array(w), b


def _fit_by_epoch(which, X, y, lr, max_epochs, variant=None):
    """[(w, b) after k epochs for k = 1..max_epochs]: after the first epoch without a mistake
    the rule stops, so every later k gives the same weights."""
    snaps = _replay(which, X, y, lr, max_epochs, variant)
    return [(np.array(snaps[min(k, len(snaps)) - 1][0]), snaps[min(k, len(snaps)) - 1][1])
            for k in range(1, max_epochs + 1)]


# ----------------------------------------------------------------------------- the oracles

class Torch:
    @staticmethod
    def mp_neuron(X, theta):
        X = np.asarray(X, dtype=np.float64)
        return _ints(_torch_unit(X, np.ones(X.shape[1]), -float(theta), _torch_step)[:, 0])

    @staticmethod
    def perceptron(X, w, b):
        return _ints(_torch_unit(X, w, b, _torch_step)[:, 0])

    @staticmethod
    def gate_params(name):
        """The gate's truth table (the grader's forward pass decides, see `perceptron_forward`)."""
        t = torch()
        x = tensor(TRUTH_INPUTS[GATE_INPUTS[name]]).bool()
        out = {"and": lambda: t.logical_and(x[:, 0], x[:, 1]),
               "or": lambda: t.logical_or(x[:, 0], x[:, 1]),
               "nand": lambda: t.logical_not(t.logical_and(x[:, 0], x[:, 1])),
               "nor": lambda: t.logical_not(t.logical_or(x[:, 0], x[:, 1])),
               "not": lambda: t.logical_not(x[:, 0])}[name]()
        return out.numpy().astype(np.int64)

    @staticmethod
    def perceptron_forward(X, w, b):
        return Torch.perceptron(X, w, b)

    perceptron_fit = staticmethod(lambda X, y, lr=1.0, epochs=100: _fit_final("torch", X, y, lr, epochs))
    perceptron_fit_by_epoch = staticmethod(lambda X, y, lr, max_epochs:
                                           _fit_by_epoch("torch", X, y, lr, max_epochs))

    @staticmethod
    def xor_network():
        t = torch()
        x = tensor(TRUTH_INPUTS[2]).bool()
        return t.logical_xor(x[:, 0], x[:, 1]).numpy().astype(np.int64)

    @staticmethod
    def xor_forward(X, W1, b1, W2, b2):
        """The 2-2-1 network of step units, as torch.nn.Sequential(Linear, step, Linear, step)."""
        t = torch()

        class Step(t.nn.Module):
            def forward(self, z):
                return _torch_step(z)

        net = t.nn.Sequential(_torch_linear(W1, b1), Step(), _torch_linear(W2, b2), Step())
        with t.no_grad():
            return _ints(numpy(net(tensor(X)))[:, 0])

    @staticmethod
    def sigmoid_neuron(X, w, b):
        return _torch_unit(X, w, b, torch().sigmoid)[:, 0]


class Keras:
    @staticmethod
    def mp_neuron(X, theta):
        X = np.asarray(X, dtype=np.float64)
        return _ints(_keras_step(_keras_dense(np.ones(X.shape[1]), -float(theta))(X)).numpy()[:, 0])

    @staticmethod
    def perceptron(X, w, b):
        return _ints(_keras_step(_keras_dense(w, b)(np.asarray(X, dtype=np.float64))).numpy()[:, 0])

    @staticmethod
    def gate_params(name):
        ops = keras().ops
        x = ops.cast(TRUTH_INPUTS[GATE_INPUTS[name]], "bool")
        out = {"and": lambda: ops.logical_and(x[:, 0], x[:, 1]),
               "or": lambda: ops.logical_or(x[:, 0], x[:, 1]),
               "nand": lambda: ops.logical_not(ops.logical_and(x[:, 0], x[:, 1])),
               "nor": lambda: ops.logical_not(ops.logical_or(x[:, 0], x[:, 1])),
               "not": lambda: ops.logical_not(x[:, 0])}[name]()
        return np.asarray(out).astype(np.int64)

    @staticmethod
    def perceptron_forward(X, w, b):
        return Keras.perceptron(X, w, b)

    perceptron_fit = staticmethod(lambda X, y, lr=1.0, epochs=100: _fit_final("keras", X, y, lr, epochs))
    perceptron_fit_by_epoch = staticmethod(lambda X, y, lr, max_epochs:
                                           _fit_by_epoch("keras", X, y, lr, max_epochs))

    @staticmethod
    def xor_network():
        ops = keras().ops
        x = ops.cast(TRUTH_INPUTS[2], "bool")
        return np.asarray(ops.logical_xor(x[:, 0], x[:, 1])).astype(np.int64)

    @staticmethod
    def xor_forward(X, W1, b1, W2, b2):
        """keras.Sequential of two Dense layers with a step activation (fires at z >= 0)."""
        K = keras()
        net = K.Sequential([K.Input((2,)), _keras_dense(W1, b1, _keras_step), _keras_dense(W2, b2, _keras_step)])
        return _ints(np.asarray(net(np.asarray(X, dtype=np.float64)))[:, 0])

    @staticmethod
    def sigmoid_neuron(X, w, b):
        return _keras_unit(X, w, b, "sigmoid")[:, 0]


# ---------------------------------------------------------------- helpers of the checks

def net_input(X, w, b):
    """z = the pre-activation of a layer holding w (n,) or (n, k) and b, by torch.nn.Linear:
    (N,) for a single unit, (N, k) for a layer (the checks look for rows with z = 0)."""
    with torch().no_grad():
        z = numpy(_torch_linear(w, b)(tensor(X)))
    return z[:, 0] if np.ndim(w) == 1 else z


def step_layer(X, W, b):
    """A layer of step units, heaviside(z, 1) for every unit: (N, k) float64 of 0 and 1."""
    return _torch_unit(X, W, b, _torch_step)


def epochs_run(X, y, cap):
    """How many epochs the rule (lr = 1, PyTorch replay) runs on (X, y) before its first
    epoch without a mistake, or cap + 1 when that does not happen within cap epochs."""
    return min(len(_replay("torch", X, y, 1.0, cap + 1)), cap + 1)


class Mistakes:
    """Known wrong versions of `perceptron_fit` for the checks' `likely` rows, replayed by the
    PyTorch oracle's own loop with one change (see Replay above); same signatures as the
    oracles, plus the variant."""

    @staticmethod
    def perceptron_fit(X, y, lr=1.0, epochs=100, variant=None):
        return _fit_final("torch", X, y, lr, epochs, variant)

    @staticmethod
    def perceptron_fit_by_epoch(X, y, lr, max_epochs, variant=None):
        return _fit_by_epoch("torch", X, y, lr, max_epochs, variant)


# -- docs/conventions.md -----------------------------------------------------------------------
def _conventions():
    from nngrade.conventions import Piece
    from reference._frameworks import keras, keras_value, torch, torch_value
    z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    w, b = np.array([20.0, 20.0]), -30.0
    t = torch()
    return [
        Piece("step unit at z = 0", "torch.heaviside(z, values)", "keras.ops.greater_equal(z, 0)",
              "torch asks for the value at 0 (no default); a comparison in Keras",
              lambda: (torch_value(lambda v: t.heaviside(v, t.zeros((), dtype=v.dtype)), z),
                       keras_value(lambda v: keras().ops.cast(keras().ops.greater_equal(v, 0.0), "float64"), z)),
              lambda: (torch_value(lambda v: t.heaviside(v, t.ones((), dtype=v.dtype)), z),
                       keras_value(lambda v: keras().ops.cast(keras().ops.greater_equal(v, 0.0), "float64"), z)),
              "values=1 in torch.heaviside is the notes' z >= 0; neither framework differentiates it"),
        Piece("sigmoid neuron (the notes' AND)", "torch.sigmoid(F.linear(X, w[None], b))",
              "keras.layers.Dense(1, activation='sigmoid') with set_weights",
              "Linear.weight is (out, in); a Dense kernel is (in, out)",
              lambda: (Torch.sigmoid_neuron(X, w, b), Keras.sigmoid_neuron(X, w, b)),
              lambda: (Torch.sigmoid_neuron(X, w, b), Keras.sigmoid_neuron(X, w, b)),
              "pass the kernel as w[:, None] to Dense and w[None, :] to Linear"),
    ]


from nngrade.conventions import LazyPieces  # noqa: E402

CONVENTIONS = LazyPieces(_conventions)

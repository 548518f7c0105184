"""Oracles for lab04_gradient_descent: one sigmoid neuron f(x) = sigmoid(w x + b) fitted to
points (x_i, y_i) by full-batch gradient descent on L(w, b) = 1/2 sum_i (f(x_i) - y_i)^2.

PyTorch: `torch.sigmoid` on float64 tensors, autograd for `grad_w` and `grad_b`, and
`torch.optim.SGD(lr=eta)` on the two parameters for the trajectory.
Keras: the neuron is a `Dense(1, activation="sigmoid")` layer whose kernel is [[w]] and bias
[b]; L is 0.5 x `MeanSquaredError(reduction="sum")`; derivatives by `tf.GradientTape`; the
trajectory by `keras.optimizers.SGD(learning_rate=eta)` applied in a compiled loop.
Keras stores the learning rate in float32: eta = 1.0, 0.5, 0.25, 2.0 are exact, 0.1 is not
(the checks use dyadic rates). `error_surface` maps the error over the grid (torch.func.vmap,
keras.ops.vectorized_map). `Mistakes` replays known wrong versions of the descent with
torch.optim, for the feedback.
"""
from __future__ import annotations

from enum import Enum
from functools import lru_cache

import numpy as np

from reference._frameworks import keras, numpy, optim_step, tensor, tf, torch


def _scalar_or_array(x, out):
    return float(out.reshape(())) if np.ndim(x) == 0 else np.asarray(out, dtype=np.float64).reshape(np.shape(x))


# ------------------------------------------------------------------------------- PyTorch

def _torch_f(w, b, x):
    return torch().sigmoid(w * x + b)


def _torch_error(w, b, X, Y):
    return 0.5 * ((_torch_f(w, b, X) - Y) ** 2).sum()


def _torch_point_grad(w, b, x, y, which):
    wt, bt = tensor(float(w), grad=True), tensor(float(b), grad=True)
    loss = 0.5 * (_torch_f(wt, bt, tensor(float(x))) - tensor(float(y))) ** 2
    (g,) = torch().autograd.grad(loss, wt if which == "w" else bt)
    return float(g.item())


class Torch:
    @staticmethod
    def f(w, b, x):
        with torch().no_grad():
            return _scalar_or_array(x, numpy(_torch_f(tensor(float(w)), tensor(float(b)), tensor(x))))

    @staticmethod
    def error(w, b, X, Y):
        with torch().no_grad():
            return float(_torch_error(tensor(float(w)), tensor(float(b)), tensor(X), tensor(Y)).item())

    grad_w = staticmethod(lambda w, b, x, y: _torch_point_grad(w, b, x, y, "w"))
    grad_b = staticmethod(lambda w, b, x, y: _torch_point_grad(w, b, x, y, "b"))

    @staticmethod
    def gradient_descent(X, Y, w0=-2.0, b0=-2.0, eta=1.0, epochs=1000):
        return _torch_descent(X, Y, w0, b0, eta, epochs)

    @staticmethod
    def error_surface(X, Y, ws, bs):
        """The error at every grid point: `error` mapped over the (w, b) grid by torch.func.vmap."""
        t = torch()
        from torch.func import vmap
        Xt, Yt = tensor(X), tensor(Y)
        with t.no_grad():
            W, B = t.meshgrid(tensor(ws), tensor(bs), indexing="xy")      # both (len(bs), len(ws))
            return numpy(vmap(vmap(lambda w, b: _torch_error(w, b, Xt, Yt)))(W, B))


# Known wrong versions of the descent, for the checks' `likely` rows: the same torch.optim loop
# with one thing changed. "b_after_w": two optimizers, b's gradient taken after w's step;
# "mean": the step on the mean of the points' errors (its gradient is the sum's / N);
# "ascent": SGD(maximize=True).
class Descent(Enum):
    """Known wrong trajectories of gradient descent, by torch.optim with one change."""
    B_AFTER_W = "b_after_w"
    MEAN = "mean"
    ASCENT = "ascent"


def _torch_descent(X, Y, w0, b0, eta, epochs, variant=None):
    if variant is not None and not isinstance(variant, Descent):
        raise TypeError(f"variant must be a Descent member, not {variant!r}")
    t = torch()
    w, b = tensor(float(w0), grad=True), tensor(float(b0), grad=True)
    if variant is Descent.B_AFTER_W:
        opts = [t.optim.SGD([w], lr=float(eta)), t.optim.SGD([b], lr=float(eta))]
    else:
        opts = [t.optim.SGD([w, b], lr=float(eta), maximize=variant is Descent.ASCENT)]
    Xt, Yt = tensor(X), tensor(Y)
    rows = np.empty((int(epochs) + 1, 3))
    for epoch in range(int(epochs) + 1):
        opts[0].zero_grad()
        loss = _torch_error(w, b, Xt, Yt)
        rows[epoch] = (w.item(), b.item(), loss.item())
        if epoch < epochs:
            (loss / len(Xt) if variant is Descent.MEAN else loss).backward()
            optim_step(opts[0])
            if variant is Descent.B_AFTER_W:           # b's gradient at the new w
                opts[1].zero_grad()
                _torch_error(w, b, Xt, Yt).backward()
                optim_step(opts[1])
    return rows


class Mistakes:
    """Known wrong trajectories of `gradient_descent` (see Descent), by torch.optim."""

    @staticmethod
    def gradient_descent(X, Y, w0=-2.0, b0=-2.0, eta=1.0, epochs=1000, variant=None):
        return _torch_descent(X, Y, w0, b0, eta, epochs, variant)


# --------------------------------------------------------------------------------- Keras

def _keras_neuron(w, b):
    K = keras()
    layer = K.layers.Dense(1, activation="sigmoid")
    layer.build((None, 1))
    layer.set_weights([np.array([[float(w)]]), np.array([float(b)])])
    return layer


def _column(x):
    return np.asarray(x, dtype=np.float64).reshape(-1, 1)


def _keras_error(layer, X, Y):
    return 0.5 * keras().losses.MeanSquaredError(reduction="sum")(_column(Y), layer(_column(X)))


def _keras_point_grad(w, b, x, y, which):
    _tf = tf()
    layer = _keras_neuron(w, b)
    with _tf.GradientTape() as tape:
        loss = _keras_error(layer, x, y)
    var = layer.kernel if which == "w" else layer.bias
    return float(np.asarray(tape.gradient(loss, var)).reshape(()))


class _KerasDescent:
    """One Dense neuron, one keras.optimizers.SGD and one compiled loop, reused by every call
    (the weights and the learning rate are assigned before each run)."""

    def __init__(self):
        K, _tf = keras(), tf()
        self.layer = _keras_neuron(0.0, 0.0)
        self.opt = K.optimizers.SGD(learning_rate=1.0)
        self.opt.build(self.layer.trainable_variables)
        loss_fn = K.losses.MeanSquaredError(reduction="sum")
        layer, opt = self.layer, self.opt
        spec = _tf.TensorSpec([None, 1], _tf.float64)

        @_tf.function(input_signature=[spec, spec, _tf.TensorSpec([], _tf.int32)])
        def run(X, Y, epochs):
            rows = _tf.TensorArray(_tf.float64, size=epochs + 1)
            for epoch in _tf.range(epochs + 1):
                with _tf.GradientTape() as tape:
                    loss = 0.5 * loss_fn(Y, layer(X))
                rows = rows.write(epoch, _tf.stack([layer.kernel[0, 0], layer.bias[0], loss]))
                if epoch < epochs:
                    grads = tape.gradient(loss, layer.trainable_variables)
                    opt.apply_gradients(zip(grads, layer.trainable_variables))
            return rows.stack()

        self.run = run

    def __call__(self, X, Y, w0, b0, eta, epochs):
        self.layer.set_weights([np.array([[float(w0)]]), np.array([float(b0)])])
        self.opt.learning_rate = float(eta)
        out = self.run(_column(X), _column(Y), np.int32(epochs))
        return np.array(out.numpy(), dtype=np.float64)


@lru_cache(maxsize=None)
def _keras_descent():
    return _KerasDescent()


@lru_cache(maxsize=None)
def _keras_surface():
    """One traced function for every grid (vectorized_map traces; a fixed signature traces once)."""
    K, _tf = keras(), tf()
    ops, loss = K.ops, K.losses.MeanSquaredError(reduction="sum")
    vec = _tf.TensorSpec([None], _tf.float64)

    @_tf.function(input_signature=[vec, vec, vec, vec])
    def surface(X, Y, ws, bs):
        Xc, Yc = ops.reshape(X, (-1, 1)), ops.reshape(Y, (-1, 1))
        W, B = ops.meshgrid(ws, bs, indexing="xy")
        points = ops.stack([ops.reshape(W, (-1,)), ops.reshape(B, (-1,))], axis=1)
        errors = ops.vectorized_map(lambda wb: 0.5 * loss(Yc, K.activations.sigmoid(wb[0] * Xc + wb[1])), points)
        return ops.reshape(errors, ops.shape(W))

    return surface


class Keras:
    @staticmethod
    def f(w, b, x):
        return _scalar_or_array(x, np.asarray(_keras_neuron(w, b)(_column(x))))

    @staticmethod
    def error(w, b, X, Y):
        return float(np.asarray(_keras_error(_keras_neuron(w, b), X, Y)))

    grad_w = staticmethod(lambda w, b, x, y: _keras_point_grad(w, b, x, y, "w"))
    grad_b = staticmethod(lambda w, b, x, y: _keras_point_grad(w, b, x, y, "b"))

    @staticmethod
    def gradient_descent(X, Y, w0=-2.0, b0=-2.0, eta=1.0, epochs=1000):
        return _keras_descent()(X, Y, w0, b0, eta, epochs)

    @staticmethod
    def error_surface(X, Y, ws, bs):
        """The error (sigmoid, then 0.5 x MeanSquaredError(reduction="sum") on columns) at
        every grid point, mapped over the grid by keras.ops.vectorized_map."""
        f64 = lambda a: np.asarray(a, dtype=np.float64).reshape(-1)  # noqa: E731
        return np.array(_keras_surface()(f64(X), f64(Y), f64(ws), f64(bs)).numpy(), dtype=np.float64)


# -- docs/conventions.md -----------------------------------------------------------------------
def _conventions():
    from nngrade.conventions import Piece
    X, Y = np.array([0.5, 2.5]), np.array([0.2, 0.9])
    return [
        Piece("SGD learning rate", "torch.optim.SGD(params, lr=...)", "keras.optimizers.SGD(learning_rate=0.01)",
              "torch: lr is required in older versions, 0.001 in 2.x; Keras: 0.01",
              lambda: (Torch.gradient_descent(X, Y, eta=0.001, epochs=50),
                       Keras.gradient_descent(X, Y, eta=0.01, epochs=50)),
              lambda: (Torch.gradient_descent(X, Y, eta=1.0, epochs=50),
                       Keras.gradient_descent(X, Y, eta=1.0, epochs=50)),
              "pass the learning rate on both sides (1.0 here, the notes' eta; dyadic values are exact in Keras)"),
        Piece("the notes' 1000 epochs", "torch.optim.SGD, loss.backward()", "keras.optimizers.SGD, GradientTape",
              "eta = 1 from w = b = -2", lambda: (Torch.gradient_descent(X, Y), Keras.gradient_descent(X, Y)),
              lambda: (Torch.gradient_descent(X, Y), Keras.gradient_descent(X, Y)), "already equal"),
    ]


from nngrade.conventions import LazyPieces  # noqa: E402

CONVENTIONS = LazyPieces(_conventions)

"""Oracles for lab08_gradient_flow: per-layer gradient norms and gradient clipping.

`layer_gradient_norms(X, Y, params, hidden)`: the network of lab05 (`Z = A @ W + b`, `W` of
shape (D_in, D_out), a hidden activation in {sigmoid, tanh, relu} after every layer but the
last, a linear output) under the mean squared error over all N*K elements. PyTorch builds
it from `torch.nn.Linear` modules (whose weight is `W.T`) and differentiates with autograd;
Keras builds it from `Dense` layers given the same weights with `set_weights` and
differentiates `keras.losses.MeanSquaredError` with `tf.GradientTape`. Either returns the
Frobenius norm of each layer's weight gradient, input layer first (transposing a matrix
does not change its Frobenius norm).

Clipping. The contract defines `clip_by_norm` and `clip_by_global_norm` as TensorFlow's
`tf.clip_by_norm` and `tf.clip_by_global_norm`: `g * max_norm / max(norm, max_norm)`.
Those two calls compute exactly that formula, so TensorFlow is the deciding oracle for
both functions (`primary="keras"` in the checks). PyTorch has one built-in,
`torch.nn.utils.clip_grad_norm_`, which scales by `max_norm / (norm + 1e-6)` (then caps
the factor at 1): on a gradient of norm 2 clipped to 1 that is 5e-7 relative, on small
norms much more. The `Torch` oracle here IS that built-in, so the difference is shown in
the feedback (the checks mark it with `differs`), never graded. The global norm it
returns is the norm before clipping, the same number as TensorFlow's.
"""
from __future__ import annotations

import numpy as np

from reference._frameworks import keras, keras_dense_stack, numpy, tensor, tf, torch

HIDDEN = ("sigmoid", "tanh", "relu")


def _check_hidden(hidden):
    if hidden not in HIDDEN:
        raise ValueError(f"hidden must be one of {HIDDEN}, got {hidden!r}")


# ---------------------------------------------------------------- PyTorch

def _activation_module(hidden, backward=None):
    """The activation as a module; `backward` (Mistakes) replaces the factor its backward pass
    multiplies by: "activation" (g(z) itself), "none" (1), "relu_ge" (relu' with 1 at z = 0)."""
    nn = torch().nn
    act = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU}[hidden]()
    if backward is None:
        return act

    class WrongBackward(nn.Module):
        def forward(self, z):
            a = act(z)
            if backward == "activation":
                slope = a
            elif backward == "none":
                slope = torch().ones_like(z)
            else:                       # "relu_ge": autograd's relu', and 1 where z = 0
                zz = z.detach().requires_grad_(True)
                (slope,) = torch().autograd.grad(act(zz).sum(), zz)
                slope = torch().where(z == 0, torch().ones_like(z), slope)
            # the values of g(z), with d/dz = slope
            return a.detach() + slope.detach() * (z - z.detach())

    return WrongBackward()


def _torch_network(params, hidden, backward=None):
    """torch.nn.Sequential of Linear layers holding the given weights (weight = W.T)."""
    nn = torch().nn
    act = lambda: _activation_module(hidden, backward)  # noqa: E731
    layers, linears = [], []
    for i, (W, b) in enumerate(params):
        W = np.asarray(W, dtype=np.float64)
        lin = nn.Linear(W.shape[0], W.shape[1], dtype=torch().float64)
        with torch().no_grad():
            lin.weight.copy_(tensor(W.T))
            lin.bias.copy_(tensor(b))
        layers.append(lin)
        linears.append(lin)
        if i < len(params) - 1:
            layers.append(act())
    return nn.Sequential(*layers), linears


def torch_layer_gradient_norms(X, Y, params, hidden="sigmoid"):
    return _torch_norms(X, Y, params, hidden)


def _torch_norms(X, Y, params, hidden, backward=None, of="weight"):
    _check_hidden(hidden)
    model, linears = _torch_network(params, hidden, backward)
    loss = torch().nn.functional.mse_loss(model(tensor(X)), tensor(Y))   # mean over N*K
    grads = torch().autograd.grad(loss, [getattr(lin, of) for lin in linears])
    return np.array([float(torch().linalg.matrix_norm(g) if g.ndim == 2 else torch().linalg.vector_norm(g))
                     for g in grads], dtype=np.float64)


def torch_clip_by_norm(g, max_norm):
    """clip_grad_norm_ on a single tensor: scales by min(1, max_norm / (norm + 1e-6))."""
    p = tensor(np.zeros_like(np.asarray(g, dtype=np.float64)), grad=True)
    p.grad = tensor(g)
    torch().nn.utils.clip_grad_norm_([p], max_norm)
    return numpy(p.grad)


def torch_clip_by_global_norm(grads, max_norm):
    ps = []
    for g in grads:
        p = tensor(np.zeros_like(np.asarray(g, dtype=np.float64)), grad=True)
        p.grad = tensor(g)
        ps.append(p)
    total = torch().nn.utils.clip_grad_norm_(ps, max_norm)
    return [numpy(p.grad) for p in ps], float(total)


class Torch:
    layer_gradient_norms = staticmethod(torch_layer_gradient_norms)
    clip_by_norm = staticmethod(torch_clip_by_norm)
    clip_by_global_norm = staticmethod(torch_clip_by_global_norm)


# ---------------------------------------------------------------- Keras / TensorFlow

def keras_layer_gradient_norms(X, Y, params, hidden="sigmoid"):
    _check_hidden(hidden)
    _tf = tf()
    model = keras_dense_stack(params, [hidden] * (len(params) - 1) + [None])
    kernels = [layer.kernel for layer in model.layers]
    with _tf.GradientTape() as tape:
        loss = keras().losses.MeanSquaredError()(_tf.constant(np.asarray(Y, dtype=np.float64)),
                                                 model(_tf.constant(np.asarray(X, dtype=np.float64))))
    grads = tape.gradient(loss, kernels)
    return np.array([float(_tf.norm(g)) for g in grads], dtype=np.float64)


def keras_clip_by_norm(g, max_norm):
    _tf = tf()
    return np.array(_tf.clip_by_norm(_tf.constant(np.asarray(g, dtype=np.float64)), max_norm).numpy(),
                    dtype=np.float64)


def keras_clip_by_global_norm(grads, max_norm):
    _tf = tf()
    clipped, norm = _tf.clip_by_global_norm([_tf.constant(np.asarray(g, dtype=np.float64)) for g in grads],
                                            max_norm)
    return [np.array(c.numpy(), dtype=np.float64) for c in clipped], float(norm)


class Keras:
    layer_gradient_norms = staticmethod(keras_layer_gradient_norms)
    clip_by_norm = staticmethod(keras_clip_by_norm)
    clip_by_global_norm = staticmethod(keras_clip_by_global_norm)


# ---------------------------------------------------------------- known mistakes

class Mistakes:
    """Known wrong results for the checks' `likely` rows, by the frameworks: autograd through
    a hidden activation whose backward pass multiplies by the wrong factor, the norms of the
    bias gradients, and TensorFlow's clipping fed another norm (`use_norm`) or a gradient
    scaled by a power of two (exact) so that it always gets rescaled."""

    @staticmethod
    def layer_gradient_norms(X, Y, params, hidden="sigmoid", backward=None, of="weight"):
        """backward: "activation", "none" or "relu_ge" (see _activation_module); of: "weight" or
        "bias" (the norms of the bias gradients)."""
        return _torch_norms(X, Y, params, hidden, backward, of)

    @staticmethod
    def global_norm(grads):
        """tf.linalg.global_norm: sqrt of the sum of every squared element of every array."""
        _tf = tf()
        return float(_tf.linalg.global_norm([_tf.constant(np.asarray(g, dtype=np.float64)) for g in grads]))

    @staticmethod
    def clip_by_global_norm_using(grads, max_norm, use_norm):
        """tf.clip_by_global_norm with the norm given (use_norm): every array times
        max_norm / max(use_norm, max_norm)."""
        _tf = tf()
        clipped, _ = _tf.clip_by_global_norm([_tf.constant(np.asarray(g, dtype=np.float64)) for g in grads],
                                             max_norm, use_norm=_tf.constant(float(use_norm), dtype=_tf.float64))
        return [np.array(c.numpy(), dtype=np.float64) for c in clipped]

    @staticmethod
    def rescale_to_norm(grads, max_norm):
        """Every array times max_norm / global_norm, also when the norm is below max_norm:
        tf.clip_by_global_norm of the gradients times 2^60 (exact), whose norm is far above."""
        return Mistakes.clip_by_global_norm_using([np.asarray(g, dtype=np.float64) * 2.0 ** 60 for g in grads],
                                                  max_norm, Mistakes.global_norm(grads) * 2.0 ** 60)


# -- docs/conventions.md: the frameworks side by side on fixed inputs -------------------------
def _cv_torch_clip_exact(grads, max_norm):
    """clip_grad_norm_ without its + 1e-6: scale by min(1, max_norm / norm), as tf does."""
    gs = [tensor(g) for g in grads]
    total = torch().linalg.vector_norm(torch().stack([torch().linalg.vector_norm(g) for g in gs]))
    scale = torch().clamp(max_norm / total, max=1.0)
    return [numpy(g * scale) for g in gs], float(total)


def _cv_clip(grads, max_norm, exact):
    def run():
        gs = grads()
        t = _cv_torch_clip_exact(gs, max_norm) if exact else torch_clip_by_global_norm(gs, max_norm)
        return t, keras_clip_by_global_norm(gs, max_norm)
    return run


def _cv_grads():
    rng = np.random.default_rng(0)
    return [rng.normal(size=(4, 3)), rng.normal(size=3)]


def _cv_grads_at_norm():
    return [np.array([[3.0, 0.0], [0.0, 0.0]]), np.array([4.0])]      # global norm exactly 5


def _conventions():
    from nngrade.conventions import Piece
    return [
        Piece("global norm clipping", "torch.nn.utils.clip_grad_norm_(params, max_norm)",
              "tf.clip_by_global_norm(grads, max_norm)",
              "torch scales by max_norm / (norm + 1e-6), tf by max_norm / norm; both return the norm "
              "before clipping. Gradients of norm about 3.7, max_norm 1",
              _cv_clip(_cv_grads, 1.0, exact=False), _cv_clip(_cv_grads, 1.0, exact=True),
              "write the clip in torch without the 1e-6: g * min(1, max_norm / norm)"),
        Piece("norm equal to max_norm", "torch.nn.utils.clip_grad_norm_(params, 5.0)",
              "tf.clip_by_global_norm(grads, 5.0)",
              "a gradient of norm exactly 5: tf leaves it unchanged, torch still scales it by 5 / (5 + 1e-6)",
              _cv_clip(_cv_grads_at_norm, 5.0, exact=False), _cv_clip(_cv_grads_at_norm, 5.0, exact=True),
              "as above; the difference is 1e-6 / norm relative, at any norm above max_norm too"),
    ]


from nngrade.conventions import LazyPieces  # noqa: E402

CONVENTIONS = LazyPieces(_conventions)

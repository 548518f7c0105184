"""Oracles for lab03_losses: every loss and its gradient with respect to the prediction.

Every loss is a Python float: the mean over the batch (over all elements for the
elementwise losses: mse, mae, huber, the two binary cross-entropies, poisson, msle, hinge;
over the rows, after summing over the classes on the last axis, for the categorical
losses and KL). Every `<name>_grad(y_true, y_pred)` is d loss / d y_pred, with y_pred's
shape, float64.

PyTorch: `torch.nn.functional` where a built-in computes the contract's formula, the
formula itself in torch ops where none does (clipped cross-entropies: `F.binary_cross_entropy`
clamps each log at -100 instead of clipping p, which is not the contract), and autograd for
every gradient. `torch.clamp` passes the gradient for lo <= x <= hi and stops it outside,
which is the contract's `clip`.

Keras: the function forms of `keras.losses` (they keep float64), averaged over what is left
with `keras.ops.mean`, `tf.GradientTape` for gradients; a non-default `eps` is set with
`keras.config.set_epsilon` for the duration of the call. Keras differs by design in a few
places (CCE renormalises the rows, sparse CCE renormalises after clipping, hinge passes
the gradient at the kink); the checks say where.
"""
from __future__ import annotations

import inspect
from contextlib import contextmanager

import numpy as np

from reference._frameworks import keras, numpy, tensor, tf, torch

EPS = 1e-7


# ---------------------------------------------------------------- PyTorch
def _F():
    return torch().nn.functional


def _torch_losses():
    t, F = torch(), _F()

    def bce(y, p, eps=EPS):
        pc = t.clamp(p, eps, 1.0 - eps)
        return -(y * t.log(pc) + (1.0 - y) * t.log(1.0 - pc)).mean()

    def cce(y, p, eps=EPS):
        pc = t.clamp(p, eps, 1.0 - eps)
        return -(y * t.log(pc)).sum(dim=-1).mean()

    def kl(y, p, eps=EPS):
        # F.kl_div takes the LOG of the prediction as its first argument (and the target
        # second); 'batchmean' sums over the classes and divides by the batch size.
        return F.kl_div(t.log(t.clamp(p, eps, 1.0)), t.clamp(y, eps, 1.0), reduction="batchmean")

    def msle(y, p, eps=EPS):
        return ((t.log(t.clamp(p, min=eps) + 1.0) - t.log(t.clamp(y, min=eps) + 1.0)) ** 2).mean()

    return {
        "mse": lambda y, p: F.mse_loss(p, y),
        "mae": lambda y, p: F.l1_loss(p, y),
        "huber": lambda y, p, delta=1.0: F.huber_loss(p, y, delta=delta),
        "binary_crossentropy": bce,
        "binary_crossentropy_from_logits": lambda y, z: F.binary_cross_entropy_with_logits(z, y),
        "categorical_crossentropy": cce,
        "softmax_crossentropy_from_logits": lambda y, z: F.cross_entropy(z, y),
        "kl_divergence": kl,
        "poisson": lambda y, p, eps=EPS: F.poisson_nll_loss(p, y, log_input=False, full=False, eps=eps),
        "msle": msle,
        # relu, not clamp(min=0): relu'(0) = 0 is the contract's "0 at the kink"
        "hinge": lambda y, s: F.relu(1.0 - y * s).mean(),
    }


def _torch_sparse(idx, p, eps=EPS):
    pc = torch().clamp(p, eps, 1.0 - eps)
    return _F().nll_loss(torch().log(pc), idx)


def _torch_value(name, y_true, y_pred, **kw):
    if name == "sparse_categorical_crossentropy":
        y, fn = torch().tensor(np.asarray(y_true, dtype=np.int64)), _torch_sparse
    else:
        y, fn = tensor(y_true), _torch_losses()[name]
    with torch().no_grad():
        return float(fn(y, tensor(y_pred), **kw))


def _torch_grad(name, y_true, y_pred, **kw):
    if name == "sparse_categorical_crossentropy":
        y, fn = torch().tensor(np.asarray(y_true, dtype=np.int64)), _torch_sparse
    else:
        y, fn = tensor(y_true), _torch_losses()[name]
    p = tensor(y_pred, grad=True)
    (g,) = torch().autograd.grad(fn(y, p, **kw), p)
    return numpy(g)


# ---------------------------------------------------------------- Keras
@contextmanager
def _keras_epsilon(eps):
    cfg = keras().config
    old = cfg.epsilon()
    cfg.set_epsilon(eps)
    try:
        yield
    finally:
        cfg.set_epsilon(old)


def _keras_losses():
    L, ops = keras().losses, keras().ops
    return {
        "mse": lambda y, p: L.mean_squared_error(y, p),
        "mae": lambda y, p: L.mean_absolute_error(y, p),
        "huber": lambda y, p, delta=1.0: L.huber(y, p, delta=delta),
        "binary_crossentropy": lambda y, p: L.binary_crossentropy(y, p),
        "binary_crossentropy_from_logits": lambda y, z: L.binary_crossentropy(y, z, from_logits=True),
        "categorical_crossentropy": lambda y, p: L.categorical_crossentropy(y, p),
        "sparse_categorical_crossentropy": lambda y, p: L.sparse_categorical_crossentropy(y, p),
        "softmax_crossentropy_from_logits": lambda y, z: L.categorical_crossentropy(y, z, from_logits=True),
        "kl_divergence": lambda y, p: L.kl_divergence(y, p),
        "poisson": lambda y, p: L.poisson(y, p),
        "msle": lambda y, p: L.mean_squared_logarithmic_error(y, p),
        "hinge": lambda y, s: L.hinge(y, s),
    }


def _keras_call(name, y_true, y_pred, grad, **kw):
    _tf, ops = tf(), keras().ops
    eps = kw.pop("eps", EPS)
    fn = _keras_losses()[name]
    y_dtype = _tf.int64 if name == "sparse_categorical_crossentropy" else _tf.float64
    y = _tf.constant(np.asarray(y_true), dtype=y_dtype)
    p = _tf.constant(np.asarray(y_pred, dtype=np.float64))
    with _keras_epsilon(eps):
        with _tf.GradientTape() as tape:
            tape.watch(p)
            loss = ops.mean(fn(y, p, **kw))
        if not grad:
            return float(loss.numpy())
        g = tape.gradient(loss, p, unconnected_gradients="zero")
    return np.array(g.numpy(), dtype=np.float64)


# ---------------------------------------------------------------- the namespaces
NAMES = ["mse", "mae", "huber", "binary_crossentropy", "binary_crossentropy_from_logits",
         "categorical_crossentropy", "sparse_categorical_crossentropy", "softmax_crossentropy_from_logits",
         "kl_divergence", "poisson", "msle", "hinge"]


# The contract's signatures: the prediction's name and the extra arguments with defaults.
SIGNATURES = {
    "mse": ("y_pred", {}), "mae": ("y_pred", {}), "huber": ("y_pred", {"delta": 1.0}),
    "binary_crossentropy": ("y_pred", {"eps": EPS}), "binary_crossentropy_from_logits": ("logits", {}),
    "categorical_crossentropy": ("y_pred", {"eps": EPS}),
    "sparse_categorical_crossentropy": ("y_pred", {"eps": EPS}),
    "softmax_crossentropy_from_logits": ("logits", {}), "kl_divergence": ("y_pred", {"eps": EPS}),
    "poisson": ("y_pred", {"eps": EPS}), "msle": ("y_pred", {"eps": EPS}), "hinge": ("scores", {}),
}


def _pair(name, value, grad):
    """The loss and its gradient, with the contract's signature (for the feedback's argument names)."""
    pred, extra = SIGNATURES[name]
    P = inspect.Parameter
    sig = inspect.Signature([P("y_true", P.POSITIONAL_OR_KEYWORD), P(pred, P.POSITIONAL_OR_KEYWORD)]
                            + [P(k, P.POSITIONAL_OR_KEYWORD, default=v) for k, v in extra.items()])

    def bind(args, kwargs):
        b = sig.bind(*args, **kwargs)
        b.apply_defaults()
        a = dict(b.arguments)
        return a.pop("y_true"), a.pop(pred), a

    def loss(*args, **kwargs):
        y, p, kw = bind(args, kwargs)
        return value(name, y, p, **kw)

    def loss_grad(*args, **kwargs):
        y, p, kw = bind(args, kwargs)
        return grad(name, y, p, **kw)

    for f, n in ((loss, name), (loss_grad, name + "_grad")):
        f.__name__ = f.__qualname__ = n
        f.__signature__ = sig
    return staticmethod(loss), staticmethod(loss_grad)


class Torch:
    pass


class Keras:
    pass


for _name in NAMES:
    _v, _g = _pair(_name, _torch_value, _torch_grad)
    setattr(Torch, _name, _v)
    setattr(Torch, _name + "_grad", _g)
    _v, _g = _pair(_name, lambda n, y, p, **kw: _keras_call(n, y, p, False, **kw),
                   lambda n, y, p, **kw: _keras_call(n, y, p, True, **kw))
    setattr(Keras, _name, _v)
    setattr(Keras, _name + "_grad", _g)

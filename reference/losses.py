"""Oracles for lab03_losses: every loss and its gradient with respect to the prediction.

Every loss is a Python float: the mean over the batch (over all elements for the
elementwise losses: mse, mae, huber, the two binary cross-entropies, poisson, msle, hinge;
over the rows, after summing over the classes on the last axis, for the categorical
losses and KL). Every `<name>_grad(y_true, y_pred)` is d loss / d y_pred, with y_pred's
shape, float64.

PyTorch: `torch.nn.functional` where a built-in computes the contract's formula (the binary
cross-entropy is `F.binary_cross_entropy` on `clip(p, eps, 1 - eps)`: its own clamp of
each log at -100 never acts on clipped p), the formula itself in torch ops where none does
(categorical cross-entropy on probabilities without renormalising, msle, hinge), and autograd
for every gradient. `clip` (reference/_frameworks.py) is the contract's: torch.clamp's values,
the gradient passing for lo <= x <= hi and stopped outside. torch.clamp alone is not enough:
from torch 2.15 its gradient at x == lo or hi is 0.

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

from reference._frameworks import clip, keras, numpy, tensor, tf, torch

EPS = 1e-7


# ---------------------------------------------------------------- PyTorch
def _F():
    return torch().nn.functional


def _torch_losses(clamp=None):
    """The losses in torch; `clamp` replaces the contract's clip (Mistakes: a clip that passes
    the gradient everywhere)."""
    t, F = torch(), _F()
    clamp = clamp or clip

    def bce(y, p, eps=EPS):
        # F.binary_cross_entropy clamps each log at -100, which never acts on p in [eps, 1 - eps]
        return F.binary_cross_entropy(clamp(p, eps, 1.0 - eps), y)

    def cce(y, p, eps=EPS):
        pc = clamp(p, eps, 1.0 - eps)
        return -(y * t.log(pc)).sum(dim=-1).mean()

    def kl(y, p, eps=EPS):
        # F.kl_div takes the LOG of the prediction as its first argument (and the target
        # second); 'batchmean' sums over the classes and divides by the batch size.
        return F.kl_div(t.log(clamp(p, eps, 1.0)), clamp(y, eps, 1.0), reduction="batchmean")

    def msle(y, p, eps=EPS):
        return ((t.log(clamp(p, eps) + 1.0) - t.log(clamp(y, eps) + 1.0)) ** 2).mean()

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


def _torch_sparse(idx, p, eps=EPS, clamp=None):
    pc = (clamp or clip)(p, eps, 1.0 - eps)
    return _F().nll_loss(torch().log(pc), idx)


def _torch_fn(name, y_true, clamp=None):
    """(the target as a tensor, the loss function)."""
    if name == "sparse_categorical_crossentropy":
        return (torch().tensor(np.asarray(y_true, dtype=np.int64)),
                lambda y, p, **kw: _torch_sparse(y, p, clamp=clamp, **kw))
    return tensor(y_true), _torch_losses(clamp)[name]


def _torch_value(name, y_true, y_pred, **kw):
    y, fn = _torch_fn(name, y_true)
    with torch().no_grad():
        return float(fn(y, tensor(y_pred), **kw))


def _torch_grad(name, y_true, y_pred, clamp=None, **kw):
    y, fn = _torch_fn(name, y_true, clamp)
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
    L = keras().losses
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


# ---------------------------------------------------------------- known mistakes
def _clamp_passing_gradient(x, min=None, max=None):
    """torch.clamp's values with the gradient of the identity (straight through)."""
    return x + (torch().clamp(x, min, max) - x).detach()


class Mistakes:
    """Known wrong results for the checks' `likely` rows that are not a transformation of an
    oracle's output, computed by the frameworks: autograd of the oracle's own loss with a
    clip that passes the gradient everywhere, and torch built-ins that compute something
    the contract does not ask for (F.binary_cross_entropy's log clamped at -100, F.kl_div on
    an unclipped target, F.huber_loss per element)."""

    @staticmethod
    def grad_through_clip(name, y_true, y_pred, **kw):
        """d loss / d y_pred when the clip (or max(., eps)) is differentiated as if it were
        not there: the oracle's loss, autograd, with a straight-through clamp."""
        return _torch_grad(name, y_true, y_pred, clamp=_clamp_passing_gradient, **kw)

    @staticmethod
    def torch_binary_cross_entropy(y_true, y_pred):
        """PyTorch's F.binary_cross_entropy: each log clamped at -100, p not clipped."""
        with torch().no_grad():
            return float(_F().binary_cross_entropy(tensor(y_pred), tensor(y_true)))

    @staticmethod
    def huber_elements(y_true, y_pred, delta=1.0):
        """The Huber loss of every element (F.huber_loss, reduction='none')."""
        with torch().no_grad():
            return numpy(_F().huber_loss(tensor(y_pred), tensor(y_true), reduction="none", delta=delta))

    @staticmethod
    def kl_div_unclipped_target(y_true, y_pred, eps=EPS):
        """F.kl_div with p clipped to [eps, 1] but y_true as given (its 0 log 0 terms are 0)."""
        t = torch()
        with t.no_grad():
            return float(_F().kl_div(t.log(t.clamp(tensor(y_pred), eps, 1.0)), tensor(y_true),
                                     reduction="batchmean"))

    @staticmethod
    def kl_swapped_grad(y_true, y_pred, eps=EPS):
        """d/dp of KL(p || y) = sum p_c log(p_c / y_c) / N (the arguments swapped), both clipped
        to [eps, 1] by a clip that passes the gradient: autograd of F.kl_div in its target."""
        t = torch()
        p = tensor(y_pred, grad=True)
        loss = _F().kl_div(t.log(_clamp_passing_gradient(tensor(y_true), eps, 1.0)),
                           _clamp_passing_gradient(p, eps, 1.0), reduction="batchmean")
        (g,) = t.autograd.grad(loss, p)
        return numpy(g)


# ---------------------------------------------------------------- docs/conventions.md
# One `Piece` per framework loss the lab relies on (rendered by `nngrade.conventions`).
# Every measurement is on fixed inputs (literal arrays or np.random.default_rng(0)), N = 16
# rows of K = 5, and compares the batch loss each framework returns by default (torch
# reduction='mean'; Keras's function form averaged with keras.ops.mean, which is what its
# Loss classes' default 'sum_over_batch_size' does), except where a piece says otherwise.
def _cv_data(kind):
    rng = np.random.default_rng(0)
    n, k = 16, 5
    if kind == "regression":
        y = rng.normal(0, 2, size=(n, k))
        return y, y + rng.normal(0, 1.5, size=(n, k))
    if kind == "bce_edges":              # a column: each row is one element; p at and near the edges
        p = np.array([0.0, 0.0, 1.0, 1.0, 1e-12, 1e-12, 1 - 1e-9, 1e-7, 0.3, 0.5, 0.9, 0.999])
        y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0])
        return y[:, None], p[:, None]
    if kind == "logits":                 # soft labels, logits with the stability edges +-40, +-800
        y, z = rng.random((n, k)).round(2), rng.normal(0, 4, size=(n, k))
        z[0, :4] = [40.0, -40.0, 800.0, -800.0]
        return y, z
    if kind in ("classes", "sparse"):    # normalised rows; row 0 puts exactly 0 on its true class
        labels = rng.integers(0, k, size=n)
        p = rng.dirichlet(np.ones(k), size=n)
        p[0] = 0.25
        p[0, labels[0]] = 0.0 if kind == "classes" else 1e-9   # sparse: torch's unclipped log stays finite
        p[0] /= p[0].sum()
        p[1] = [1e-12, 0.5, 0.25, 0.125, 0.125 - 1e-12]
        labels[1] = 0
        return labels, p
    if kind == "class_logits":
        labels = rng.integers(0, k, size=n)
        z = rng.normal(0, 3, size=(n, k))
        z[0] = [800.0, -800.0, 0.0, 40.0, -30.0]   # not summing to 0: Keras's default divides by the row sum
        return labels, z
    if kind == "kl":                     # target rows with exact zeros
        y, q = rng.dirichlet(np.ones(k), size=n), rng.dirichlet(np.ones(k), size=n)
        y[0], y[1] = [0.5, 0.5, 0.0, 0.0, 0.0], [0.0, 0.25, 0.25, 0.25, 0.25]
        return y, q
    if kind == "poisson":                # counts; predicted rates including 0 and 1e-9
        y, p = rng.poisson(2.0, size=(n, k)).astype(float), np.exp(rng.normal(size=(n, k)))
        p[0, :3] = [0.0, 1e-9, 1e-7]
        return y, p
    if kind == "msle":                   # positive targets; predictions including 0 and a negative
        y, p = np.exp(rng.normal(size=(n, k))), np.exp(rng.normal(size=(n, k)))
        p[0, :2] = [0.0, -0.5]
        y[1, 0] = 0.0
        return y, p
    if kind == "hinge":                  # 0/1 labels, scores
        return (rng.random((n, k)) < 0.5).astype(float), rng.normal(0, 1.5, size=(n, k))
    raise KeyError(kind)


def _cv_t(fn, *arrays):
    """fn on float64 torch tensors (int64 for integer arrays), as float64 NumPy, no autograd."""
    t = torch()
    args = [t.tensor(a) if np.asarray(a).dtype.kind in "iu" else tensor(a) for a in arrays]
    with t.no_grad():
        return numpy(fn(*args))


def _cv_k(fn, *arrays):
    """fn on float64 (int64 for integer arrays) TF constants, as float64 NumPy."""
    _tf = tf()
    args = [_tf.constant(a) if np.asarray(a).dtype.kind in "iu" else _tf.constant(np.asarray(a, dtype=np.float64))
            for a in arrays]
    return np.array(fn(*args).numpy(), dtype=np.float64)


def _cv_kmean(loss):
    """A Keras loss function, reduced over the batch as its Loss class does by default."""
    return lambda *a: keras().ops.mean(loss(*a))


def _cv_tgrad(fn, y, p):
    t = torch()
    yt = t.tensor(y) if np.asarray(y).dtype.kind in "iu" else tensor(y)
    pt = tensor(p, grad=True)
    (g,) = t.autograd.grad(fn(yt, pt), pt)
    return numpy(g)


def _cv_kgrad(fn, y, p):
    _tf = tf()
    yt, pt = _tf.constant(np.asarray(y, dtype=np.float64)), _tf.constant(np.asarray(p, dtype=np.float64))
    with _tf.GradientTape() as tape:
        tape.watch(pt)
        loss = fn(yt, pt)
    return np.array(tape.gradient(loss, pt).numpy(), dtype=np.float64)


def _cv_both(kind, torch_fn, keras_fn, torch_y=None, keras_y=None):
    """(torch value, keras value) on the fixed inputs `kind`; the labels can be reshaped per side."""
    def run():
        y, p = _cv_data(kind)
        ty = y if torch_y is None else torch_y(y)
        ky = y if keras_y is None else keras_y(y)
        return _cv_t(torch_fn, ty, p), _cv_k(keras_fn, ky, p)
    return run


def _cv_onehot(labels):
    return np.eye(5)[labels]


def _conventions():
    from nngrade.conventions import Piece
    t, F, L = torch, _F, lambda: keras().losses

    def clip(p, eps=EPS):
        return t().clamp(p, eps, 1.0 - eps)

    def bce_clipped(y, p):
        pc = clip(p)
        return -(y * t().log(pc) + (1.0 - y) * t().log(1.0 - pc))

    def cce_renormalised(labels, p):
        return F().nll_loss(t().log(clip(p / p.sum(dim=-1, keepdim=True))), labels)

    def sparse_keras_order(labels, p):
        pc = clip(p)
        return F().nll_loss(t().log(pc / pc.sum(dim=-1, keepdim=True)), labels)

    def msle_keras(y, p):
        lp, ly = t().log(t().clamp(p, min=EPS) + 1.0), t().log(t().clamp(y, min=EPS) + 1.0)
        return ((lp - ly) ** 2).mean()

    def kl_mean(p, q):                   # torch's default reduction, without its warning about it
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return F().kl_div(t().log(q), p)

    mse = _cv_both("regression", lambda y, p: F().mse_loss(p, y),
                   _cv_kmean(lambda y, p: L().mean_squared_error(y, p)))
    mae = _cv_both("regression", lambda y, p: F().l1_loss(p, y),
                   _cv_kmean(lambda y, p: L().mean_absolute_error(y, p)))
    column = lambda v: v[:, 0]  # noqa: E731  torch's reduction='none' keeps the column; Keras means it away
    return [
        Piece("MSE", "F.mse_loss(p, y)", "keras.losses.mean_squared_error(y, p)",
              "torch: mean over all N*K; keras: mean over the last axis, then over the batch; "
              "(input, target) vs (y_true, y_pred)",
              mse, mse,
              "already equal (rows of equal length: the mean of the row means is the mean); "
              "F.mse_loss broadcasts (N,1) against (N,) silently"),
        Piece("MAE", "F.l1_loss(p, y)", "keras.losses.mean_absolute_error(y, p)", "as MSE",
              mae, mae,
              "already equal"),
        Piece("Huber", "F.huber_loss(p, y, delta)", "keras.losses.huber(y, p, delta)",
              "delta 1.0 both; both 0.5 e^2 inside, delta (abs(e) - 0.5 delta) outside",
              _cv_both("regression", lambda y, p: F().huber_loss(p, y), _cv_kmean(lambda y, p: L().huber(y, p))),
              _cv_both("regression", lambda y, p: F().huber_loss(p, y, delta=0.5),
                       _cv_kmean(lambda y, p: L().huber(y, p, delta=0.5))),
              "already equal; pass the same delta (Keras keeps it in float64)"),
        Piece("smooth L1 vs Huber", "F.smooth_l1_loss(p, y, beta)", "keras.losses.huber(y, p, delta)",
              "beta = delta = 1 by default, where the two coincide; measured at beta = delta = 2",
              _cv_both("regression", lambda y, p: F().smooth_l1_loss(p, y, beta=2.0),
                       _cv_kmean(lambda y, p: L().huber(y, p, delta=2.0))),
              _cv_both("regression", lambda y, p: 2.0 * F().smooth_l1_loss(p, y, beta=2.0),
                       _cv_kmean(lambda y, p: L().huber(y, p, delta=2.0))),
              "smooth_l1_loss = huber / beta: multiply by beta, or use F.huber_loss"),
        Piece("BCE on probabilities", "F.binary_cross_entropy(p, y)", "keras.losses.binary_crossentropy(y, p)",
              "torch clamps each log at -100; keras clips p to [1e-7, 1 - 1e-7] first. Compared per element "
              "(a column; torch reduction='none') with p = 0, 1e-12, 1 - 1e-9, 1: at p = 0, y = 1 torch 100, "
              "keras 16.118; the gradient there: torch -1e12, keras 0",
              _cv_both("bce_edges", lambda y, p: column(F().binary_cross_entropy(p, y, reduction="none")),
                       lambda y, p: L().binary_crossentropy(y, p)),
              _cv_both("bce_edges", lambda y, p: column(bce_clipped(y, p)), lambda y, p: L().binary_crossentropy(y, p)),
              "write the clip in torch: torch.clamp(p, 1e-7, 1 - 1e-7), then both logs (Keras keeps its "
              "epsilon in float64: no dyadic value needed)"),
        Piece("BCE from logits", "F.binary_cross_entropy_with_logits(z, y)",
              "keras.losses.binary_crossentropy(y, z, from_logits=True)",
              "keras from_logits=False: logits are taken as probabilities (clipped); torch's function takes logits. "
              "Soft labels, logits up to +-800",
              _cv_both("logits", lambda y, z: F().binary_cross_entropy_with_logits(z, y),
                       _cv_kmean(lambda y, z: L().binary_crossentropy(y, z))),
              _cv_both("logits", lambda y, z: F().binary_cross_entropy_with_logits(z, y),
                       _cv_kmean(lambda y, z: L().binary_crossentropy(y, z, from_logits=True))),
              "from_logits=True; both are stable at +-800"),
        Piece("CCE on probabilities", "F.nll_loss(torch.log(torch.clamp(p, 1e-7, 1 - 1e-7)), labels)",
              "keras.losses.categorical_crossentropy(y, p)",
              "torch's F.cross_entropy takes logits (it would softmax p again); keras from_logits=False divides "
              "each row by its sum, then clips to [1e-7, 1 - 1e-7]. Defaults: F.cross_entropy(p, labels)",
              _cv_both("classes", lambda i, p: F().cross_entropy(p, i),
                       _cv_kmean(lambda y, p: L().categorical_crossentropy(y, p)), keras_y=_cv_onehot),
              _cv_both("classes", lambda i, p: F().nll_loss(t().log(clip(p)), i),
                       _cv_kmean(lambda y, p: L().categorical_crossentropy(y, p)), keras_y=_cv_onehot),
              "nll_loss of the clamped log on rows that sum to 1 (one row holds an exact 0 on its class); "
              "on other rows divide by the row sum first"),
        Piece("CCE on probabilities, gradient", "autograd of the row above", "GradientTape of the row above",
              "keras's renormalisation is in the graph: every component of its dL/dp is 1/(N * row sum) larger, "
              "here 1/16 (a row whose true class is clipped gets 0 on both sides)",
              lambda: (lambda i, p: (_cv_tgrad(lambda a, b: F().nll_loss(t().log(clip(b)), a), i, p),
                                     _cv_kgrad(_cv_kmean(lambda y, b: L().categorical_crossentropy(y, b)),
                                               _cv_onehot(i), p)))(*_cv_data("classes")),
              lambda: (lambda i, p: (_cv_tgrad(cce_renormalised, i, p),
                                     _cv_kgrad(_cv_kmean(lambda y, b: L().categorical_crossentropy(y, b)),
                                               _cv_onehot(i), p)))(*_cv_data("classes")),
              "renormalise inside torch's graph (p / p.sum(-1, keepdim=True)); the shift is along (1, ..., 1), "
              "which a step that keeps rows on the simplex ignores"),
        Piece("sparse CCE", "F.nll_loss(torch.log(p), labels)", "keras.losses.sparse_categorical_crossentropy(labels, p)",
              "torch: int64 labels (N,), no clipping; keras: labels (N,) or (N,1), int or float (given here as "
              "float (N,1)); it clips p to [1e-7, 1 - 1e-7], THEN renormalises",
              _cv_both("sparse", lambda i, p: F().nll_loss(t().log(p), i),
                       _cv_kmean(lambda y, p: L().sparse_categorical_crossentropy(y, p)),
                       keras_y=lambda i: i[:, None].astype(float)),
              _cv_both("sparse", sparse_keras_order, _cv_kmean(lambda y, p: L().sparse_categorical_crossentropy(y, p)),
                       keras_y=lambda i: i[:, None].astype(float)),
              "clamp, then divide by the row sum, then log (categorical CE does the reverse: renormalise, clip); "
              "the contract's clamp without renormalising is ~1e-7 off per clipped entry, / N"),
        Piece("softmax CE from logits", "F.cross_entropy(z, labels)",
              "keras.losses.categorical_crossentropy(y, z, from_logits=True)",
              "keras from_logits=False (logits taken as probabilities, renormalised and clipped); torch takes logits; "
              "logits up to +-800",
              _cv_both("class_logits", lambda i, z: F().cross_entropy(z, i),
                       _cv_kmean(lambda y, z: L().categorical_crossentropy(y, z)), keras_y=_cv_onehot),
              _cv_both("class_logits", lambda i, z: F().cross_entropy(z, i),
                       _cv_kmean(lambda y, z: L().categorical_crossentropy(y, z, from_logits=True)), keras_y=_cv_onehot),
              "from_logits=True; both are stable at +-800"),
        Piece("KL divergence", "F.kl_div(torch.log(q), p, reduction='batchmean')", "keras.losses.kl_divergence(p, q)",
              "torch: input is LOG q, target second, reduction='mean' divides by N*K; keras sums the classes, "
              "means the batch, clips both to [1e-7, 1]. Targets hold exact zeros",
              _cv_both("kl", kl_mean, _cv_kmean(lambda p, q: L().kl_divergence(p, q))),
              _cv_both("kl", lambda p, q: F().kl_div(t().log(t().clamp(q, EPS, 1.0)), t().clamp(p, EPS, 1.0),
                                                     reduction="batchmean"),
                       _cv_kmean(lambda p, q: L().kl_divergence(p, q))),
              "reduction='batchmean', and clamp both to [1e-7, 1] as Keras does (each target 0 becomes a "
              "1e-7 log(1e-7 / q) term, about -1.6e-6, if only q is clamped)"),
        Piece("Poisson", "F.poisson_nll_loss(p, y, log_input=False, eps=1e-7, full=False)", "keras.losses.poisson(y, p)",
              "torch log_input=True (input is the log rate) and eps=1e-8; keras p - y log(p + 1e-7). Rates include 0",
              _cv_both("poisson", lambda y, p: F().poisson_nll_loss(p, y), _cv_kmean(lambda y, p: L().poisson(y, p))),
              _cv_both("poisson", lambda y, p: F().poisson_nll_loss(p, y, log_input=False, eps=EPS, full=False),
                       _cv_kmean(lambda y, p: L().poisson(y, p))),
              "log_input=False, eps=1e-7"),
        Piece("MSLE", "no built-in: ((log(clamp(p, min=1e-7) + 1) - log(clamp(y, min=1e-7) + 1))**2).mean()",
              "keras.losses.mean_squared_logarithmic_error(y, p)",
              "keras replaces values below 1e-7 by 1e-7 before log(x + 1); defaults: the naive "
              "F.mse_loss(torch.log1p(p), torch.log1p(y)). Predictions include 0 and -0.5",
              _cv_both("msle", lambda y, p: F().mse_loss(t().log1p(p), t().log1p(y)),
                       _cv_kmean(lambda y, p: L().mean_squared_logarithmic_error(y, p))),
              _cv_both("msle", msle_keras, _cv_kmean(lambda y, p: L().mean_squared_logarithmic_error(y, p))),
              "clamp at 1e-7 on both sides, as Keras does"),
        Piece("hinge", "no built-in: F.relu(1 - y * s).mean()", "keras.losses.hinge(y, s)",
              "keras maps 0/1 labels to -1/1 when every label is 0 or 1; the hand-written torch formula does not "
              "(F.hinge_embedding_loss is a different loss). Labels 0/1",
              _cv_both("hinge", lambda y, s: F().relu(1.0 - y * s).mean(), _cv_kmean(lambda y, s: L().hinge(y, s))),
              _cv_both("hinge", lambda y, s: F().relu(1.0 - (2.0 * y - 1.0) * s).mean(),
                       _cv_kmean(lambda y, s: L().hinge(y, s))),
              "map the labels in torch: 2 y - 1"),
        Piece("reduction='sum'", "F.mse_loss(p, y, reduction='sum')", "keras.losses.MeanSquaredError(reduction='sum')(y, p)",
              "torch sums all N*K squared errors; keras sums the N per-sample means: torch's sum / K "
              "('mean' and 'sum_over_batch_size' agree)",
              _cv_both("regression", lambda y, p: F().mse_loss(p, y, reduction="sum"),
                       lambda y, p: L().MeanSquaredError(reduction="sum")(y, p)),
              _cv_both("regression", lambda y, p: F().mse_loss(p, y, reduction="none").mean(dim=-1).sum(),
                       lambda y, p: L().MeanSquaredError(reduction="sum")(y, p)),
              "torch: reduction='none', mean over the last axis, then sum"),
    ]


from nngrade.conventions import LazyPieces  # noqa: E402

CONVENTIONS = LazyPieces(_conventions)


def _clamp_stops_gradient_at_its_bounds() -> bool:
    """True when torch.clamp(x, lo, hi) gives x == lo and x == hi a gradient of 0."""
    t = torch()
    x = tensor([EPS, 0.5, 1.0 - EPS], grad=True)
    (g,) = t.autograd.grad(t.clamp(x, EPS, 1.0 - EPS).sum(), x)
    return bool(g[0] == 0 and g[2] == 0)


def _changes():
    from nngrade.conventions import Change
    return [Change("gradient of torch.clamp(x, lo, hi) at x == lo or x == hi", "torch", "2.15",
                   "1, as inside", "0, as outside",
                   "the contract's clip passes it (1): the oracles clip with reference._frameworks.clip, "
                   "torch.clamp's values with the gradient written out, on every torch in the range",
                   _clamp_stops_gradient_at_its_bounds)]


CHANGES = LazyPieces(_changes)

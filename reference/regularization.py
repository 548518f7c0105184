"""Oracles for lab10_regularization: float64 NumPy in and out, each framework imported on first use.

- Dropout, `p` the drop probability (`torch.nn.Dropout(p)`, Keras's `rate`). With a given 0/1
  mask, PyTorch's inverted dropout is `X * mask / (1 - p)` (the mask `F.dropout` draws, applied by
  autograd); Keras's is `tf.nn.dropout`'s `where(mask, X * (1 / (1 - rate)), 0)`. The mask's
  distribution is read off each framework's own draw: each entry is kept with probability 1 - p.
- Batch normalisation over the batch axis of X (N, D): `torch.nn.functional.batch_norm` with
  autograd, and `keras.layers.BatchNormalization(momentum=1 - momentum, epsilon=eps)` given the
  same gamma, beta and running statistics (`GradientTape` for the backward pass).
- Layer normalisation over the last axis: `torch.nn.functional.layer_norm` and
  `keras.layers.LayerNormalization(axis=-1, epsilon=eps)`.
- Early stopping: `keras.callbacks.EarlyStopping(restore_best_weights=True)` driven epoch by epoch
  on a one-weight model; and the rule it documents, in plain Python (the `Torch` slot: PyTorch
  has no early stopping).

The cache of the forward passes is `(X, gamma, eps)`: the backward passes recompute the
statistics from it (the contract, `nngrade/labs/lab10_regularization/__init__.py`).
"""
from __future__ import annotations

import operator

import numpy as np

from reference._frameworks import keras, numpy, tensor, tf, torch


def _bernoulli_spec(shape, p) -> dict:
    return {"family": "bernoulli", "shape": tuple(int(s) for s in shape), "keep": 1.0 - float(p)}


def _self_check(mask: np.ndarray, spec: dict, who: str) -> dict:
    """The framework's own mask must be a 0/1 array kept at the spec's rate (5.3 standard errors):
    a spec that stopped describing the framework fails here, not in a student's grade."""
    q, n = spec["keep"], mask.size
    se = np.sqrt(max(q * (1 - q), 1e-300) / n)
    if mask.shape != spec["shape"] or not np.all((mask == 0) | (mask == 1)) or abs(mask.mean() - q) > 5.3 * se + 1e-12:
        raise AssertionError(f"{who}'s own mask does not match the spec {spec}")
    return spec


class Torch:
    # --- dropout ----------------------------------------------------------------------------
    @staticmethod
    def dropout_mask(seed, shape, p):
        """The distribution of the mask (the check's driver passes `rng = default_rng(seed)`)."""
        t = torch()
        out = t.nn.functional.dropout(t.ones(tuple(shape), dtype=t.float64), p=float(p), training=True)
        return _self_check(numpy(out != 0), _bernoulli_spec(shape, p), "torch.nn.functional.dropout")

    @staticmethod
    def dropout_mask_seeds(seeds, shape, p):
        return Torch.dropout_mask(seeds[0], shape, p)

    @staticmethod
    def dropout_forward(X, p, mask):
        # F.dropout with its mask fixed: the mask times the input, scaled by 1 / (1 - p); p = 1 drops all
        scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
        with torch().no_grad():
            return numpy(tensor(X) * tensor(mask) * scale)

    @staticmethod
    def dropout_backward(dOut, mask, p):
        scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
        X = tensor(np.zeros_like(np.asarray(dOut, dtype=np.float64)), grad=True)
        (dX,) = torch().autograd.grad(X * tensor(mask) * scale, X, grad_outputs=tensor(dOut))
        return numpy(dX)

    # --- batch normalisation ----------------------------------------------------------------
    @staticmethod
    def batchnorm_forward(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5, training=True):
        """F.batch_norm updates the running statistics in place: it gets copies."""
        rm, rv = tensor(running_mean), tensor(running_var)
        with torch().no_grad():
            out = torch().nn.functional.batch_norm(tensor(X), rm, rv, tensor(gamma), tensor(beta),
                                                   training=bool(training), momentum=momentum, eps=eps)
        return numpy(out), numpy(rm), numpy(rv), _cache(X, gamma, eps)

    @staticmethod
    def batchnorm_backward(dOut, cache):
        X, gamma, eps = cache
        x, g, b = tensor(X, grad=True), tensor(gamma, grad=True), tensor(np.zeros_like(gamma), grad=True)
        out = torch().nn.functional.batch_norm(x, None, None, g, b, training=True, eps=eps)
        return tuple(numpy(d) for d in torch().autograd.grad(out, (x, g, b), grad_outputs=tensor(dOut)))

    # --- layer normalisation ----------------------------------------------------------------
    @staticmethod
    def layernorm_forward(X, gamma, beta, eps=1e-5):
        with torch().no_grad():
            out = torch().nn.functional.layer_norm(tensor(X), (np.shape(gamma)[-1],), tensor(gamma),
                                                   tensor(beta), eps=eps)
        return numpy(out), _cache(X, gamma, eps)

    @staticmethod
    def layernorm_backward(dOut, cache):
        X, gamma, eps = cache
        x, g, b = tensor(X, grad=True), tensor(gamma, grad=True), tensor(np.zeros_like(gamma), grad=True)
        out = torch().nn.functional.layer_norm(x, (np.shape(gamma)[-1],), g, b, eps=eps)
        return tuple(numpy(d) for d in torch().autograd.grad(out, (x, g, b), grad_outputs=tensor(dOut)))

    # --- early stopping: the documented rule, in plain Python ---------------------------------
    @staticmethod
    def early_stopping(val_losses, patience, min_delta=0.0):
        """Keras's EarlyStopping(monitor="val_loss", mode="min") as its source documents it: an epoch
        improves when loss + |min_delta| < best (strictly; the first epoch always does); `wait`
        counts the epochs since the last improvement, and training stops after an epoch > 0 that
        does not improve once wait >= patience."""
        return _early_stopping_rule(val_losses, patience, min_delta, operator.lt)


def _early_stopping_rule(val_losses, patience, min_delta, improves):
    """(the epoch training stops after, the best epoch); an epoch improves when
    improves(loss + |min_delta|, best). The losses are compared as float64 torch scalars, as the
    other PyTorch oracles compute: the rule ships with the grader, and graded code may not import
    torch, so the grader hands out no answer (tests/student/test_no_answers_shipped.py)."""
    losses = tensor(np.asarray(val_losses, dtype=np.float64))
    delta = abs(float(min_delta))
    best, best_epoch, wait = None, 0, 0
    for epoch in range(len(losses)):
        loss = losses[epoch]
        wait += 1
        if best is None or bool(improves(loss + delta, best)):
            best, best_epoch, wait = loss, epoch, 0
            continue
        if wait >= patience and epoch > 0:
            return epoch, best_epoch
    return len(losses) - 1, best_epoch


def _cache(X, gamma, eps):
    return (np.array(X, dtype=np.float64), np.array(gamma, dtype=np.float64), float(eps))


# ----------------------------------------------------------------------------------------------
# Keras
# ----------------------------------------------------------------------------------------------

_LAYERS: dict = {}


def _layer(kind, d, **config):
    """A built Keras layer per kind, width and settings (weights are assigned before each call)."""
    key = (kind, d, tuple(sorted(config.items())))
    if key not in _LAYERS:
        layer = getattr(keras().layers, kind)(**config)
        layer.build((None, d))
        _LAYERS[key] = layer
    return _LAYERS[key]


def _bn(gamma, beta, running_mean, running_var, momentum, eps):
    layer = _layer("BatchNormalization", len(gamma), momentum=1.0 - momentum, epsilon=eps)
    layer.set_weights([np.asarray(w, dtype=np.float64) for w in (gamma, beta, running_mean, running_var)])
    return layer


def _ln(gamma, beta, eps):
    layer = _layer("LayerNormalization", len(gamma), axis=-1, epsilon=eps)
    layer.set_weights([np.asarray(gamma, dtype=np.float64), np.asarray(beta, dtype=np.float64)])
    return layer


def _keras_grads(layer, X, dOut, **call):
    """(dX, dgamma, dbeta) of sum(dOut * layer(X)) by tf.GradientTape."""
    _tf = tf()
    x = _tf.constant(np.asarray(X, dtype=np.float64))
    with _tf.GradientTape() as tape:
        tape.watch(x)
        out = layer(x, **call)
    dx, dg, db = tape.gradient(out, [x, layer.gamma, layer.beta], output_gradients=_tf.constant(dOut))
    return tuple(np.array(d.numpy(), dtype=np.float64) for d in (dx, dg, db))


class Keras:
    @staticmethod
    def dropout_mask(seed, shape, p):
        K = keras()
        layer = K.layers.Dropout(rate=float(p), seed=int(seed)) if p < 1 else None
        if layer is None:       # Keras refuses rate = 1; Dropout would drop everything
            return _bernoulli_spec(shape, p)
        out = np.asarray(layer(np.ones(tuple(shape)), training=True))
        return _self_check((out != 0).astype(np.float64), _bernoulli_spec(shape, p), "keras.layers.Dropout")

    @staticmethod
    def dropout_mask_seeds(seeds, shape, p):
        return Keras.dropout_mask(seeds[0], shape, p)

    @staticmethod
    def dropout_forward(X, p, mask):
        _tf = tf()
        x = _tf.constant(np.asarray(X, dtype=np.float64))
        return np.array(_tf.where(_tf.constant(np.asarray(mask) != 0), x * (1.0 / (1.0 - p)) if p < 1 else x,
                                  _tf.zeros_like(x)).numpy(), dtype=np.float64)

    @staticmethod
    def dropout_backward(dOut, mask, p):
        _tf = tf()
        x = _tf.constant(np.zeros_like(np.asarray(dOut, dtype=np.float64)))
        with _tf.GradientTape() as tape:
            tape.watch(x)
            out = _tf.where(_tf.constant(np.asarray(mask) != 0), x * (1.0 / (1.0 - p)) if p < 1 else x,
                            _tf.zeros_like(x))
        return np.array(tape.gradient(out, x, output_gradients=_tf.constant(dOut)).numpy(), dtype=np.float64)

    @staticmethod
    def batchnorm_forward(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5, training=True):
        layer = _bn(gamma, beta, running_mean, running_var, momentum, eps)
        out = np.array(layer(np.asarray(X, dtype=np.float64), training=bool(training)), dtype=np.float64)
        return (out, np.array(layer.moving_mean.numpy()), np.array(layer.moving_variance.numpy()),
                _cache(X, gamma, eps))

    @staticmethod
    def batchnorm_backward(dOut, cache):
        X, gamma, eps = cache
        d = np.shape(gamma)[0]
        layer = _bn(gamma, np.zeros(d), np.zeros(d), np.ones(d), 0.1, eps)
        return _keras_grads(layer, X, dOut, training=True)

    @staticmethod
    def layernorm_forward(X, gamma, beta, eps=1e-5):
        return np.array(_ln(gamma, beta, eps)(np.asarray(X, dtype=np.float64)), dtype=np.float64), \
            _cache(X, gamma, eps)

    @staticmethod
    def layernorm_backward(dOut, cache):
        X, gamma, eps = cache
        return _keras_grads(_ln(gamma, np.zeros_like(gamma), eps), X, dOut)

    @staticmethod
    def early_stopping(val_losses, patience, min_delta=0.0):
        """keras.callbacks.EarlyStopping(monitor="val_loss", mode="min", restore_best_weights=True)
        driven as fit drives it: on_train_begin, on_epoch_end(epoch, {"val_loss": loss}) until it
        sets stop_training; the epoch it stopped at (the last one when it never does) and its
        best_epoch, the epoch whose weights it restores."""
        K = keras()
        model = _one_weight_model()
        model.stop_training = False
        cb = K.callbacks.EarlyStopping(monitor="val_loss", mode="min", patience=int(patience),
                                       min_delta=float(min_delta), restore_best_weights=True)
        cb.set_model(model)
        cb.on_train_begin()
        stop = len(val_losses) - 1
        for epoch, loss in enumerate(val_losses):
            cb.on_epoch_end(epoch, {"val_loss": float(loss)})
            if model.stop_training:
                stop = epoch
                break
        return stop, int(cb.best_epoch)


_MODEL: list = []


def _one_weight_model():
    if not _MODEL:
        K = keras()
        _MODEL.append(K.Sequential([K.Input((1,)), K.layers.Dense(1, use_bias=False)]))
    return _MODEL[0]


# ----------------------------------------------------------------------------------------------
# Known mistakes, computed by the frameworks with one thing changed (the checks' `Likely` rows)
# ----------------------------------------------------------------------------------------------

class Mistakes:
    @staticmethod
    def batchnorm_unbiased_output(X, gamma, beta, eps):
        """Normalised with the batch's unbiased variance: torch's eval-mode batch_norm given the
        batch mean and x.var(0) (N - 1) as its statistics."""
        x = tensor(X)
        with torch().no_grad():
            return numpy(torch().nn.functional.batch_norm(x, x.mean(0), x.var(0), tensor(gamma), tensor(beta),
                                                          training=False, eps=eps))

    @staticmethod
    def batchnorm_biased_running_var(X, running_var, momentum):
        """The running variance updated with the biased batch variance (N), as Keras does."""
        x = tensor(X)
        with torch().no_grad():
            return numpy((1 - momentum) * tensor(running_var) + momentum * x.var(0, unbiased=False))

    @staticmethod
    def batchnorm_constant_stats_backward(dOut, cache):
        """dX as if the batch mean and variance were constants: autograd through eval-mode
        batch_norm given the (detached) batch statistics."""
        X, gamma, eps = cache
        t = torch()
        x, g = tensor(X, grad=True), tensor(gamma, grad=True)
        b = tensor(np.zeros_like(gamma), grad=True)
        out = t.nn.functional.batch_norm(x, x.detach().mean(0), x.detach().var(0, unbiased=False), g, b,
                                         training=False, eps=eps)
        return tuple(numpy(d) for d in t.autograd.grad(out, (x, g, b), grad_outputs=tensor(dOut)))

    @staticmethod
    def layernorm_constant_stats_backward(dOut, cache):
        """(dX, dgamma, dbeta) as if each row's mean and variance were constants: autograd through
        the layer-norm formula with the statistics detached."""
        X, gamma, eps = cache
        t = torch()
        x, g = tensor(X, grad=True), tensor(gamma, grad=True)
        b = tensor(np.zeros_like(gamma), grad=True)
        mean = x.detach().mean(-1, keepdim=True)
        var = x.detach().var(-1, unbiased=False, keepdim=True)
        out = (x - mean) / t.sqrt(var + eps) * g + b
        return tuple(numpy(d) for d in t.autograd.grad(out, (x, g, b), grad_outputs=tensor(dOut)))

    @staticmethod
    def layernorm_over_batch(X, gamma, beta, eps=1e-5):
        """Normalised over axis 0 (the batch) instead of the last: F.layer_norm of X with axis 0
        moved last, then gamma and beta over the last axis."""
        t = torch()
        with t.no_grad():
            x = tensor(X).movedim(0, -1)
            y = t.nn.functional.layer_norm(x, (x.shape[-1],), eps=eps).movedim(-1, 0)
            return numpy(y * tensor(gamma) + tensor(beta))

    @staticmethod
    def early_stopping_non_strict(val_losses, patience, min_delta=0.0):
        """The documented rule with an improvement that may equal best - min_delta (<=)."""
        return _early_stopping_rule(val_losses, patience, min_delta, operator.le)


# ----------------------------------------------------------------------------------------------
# The conventions page (docs/conventions.md): measured live by `make conventions`
# ----------------------------------------------------------------------------------------------

def _keras_bn(X, momentum, epsilon):
    """Keras's BatchNormalization (these settings) on a fresh state (gamma 1, beta 0, moving mean 0,
    moving variance 1), one training step: (output, moving mean, moving variance)."""
    d = np.shape(X)[1]
    layer = _layer("BatchNormalization", d, momentum=momentum, epsilon=epsilon)
    layer.set_weights([np.ones(d), np.zeros(d), np.zeros(d), np.ones(d)])
    out = np.array(layer(X, training=True), dtype=np.float64)
    return out, np.array(layer.moving_mean.numpy()), np.array(layer.moving_variance.numpy())


def _torch_bn(X, momentum, eps):
    d = np.shape(X)[1]
    return Torch.batchnorm_forward(X, np.ones(d), np.zeros(d), np.zeros(d), np.ones(d), momentum, eps, True)[:3]


def _cv_X():
    return np.random.default_rng(0).normal(1.0, 2.0, size=(8, 3))


def _cv_bn(part, matched):
    """(torch, keras) of one part of a training step: torch's defaults (momentum 0.1, eps 1e-5)
    against Keras's defaults (0.99, 1e-3), or against Keras with momentum 1 - 0.1, epsilon 1e-5."""
    keras_settings = (0.9, 1e-5) if matched else (0.99, 1e-3)
    return lambda: (_torch_bn(_cv_X(), 0.1, 1e-5)[part], _keras_bn(_cv_X(), *keras_settings)[part])


def _cv_ln(eps):
    d = _cv_X().shape[1]
    return lambda: (Torch.layernorm_forward(_cv_X(), np.ones(d), np.zeros(d), 1e-5)[0],
                    Keras.layernorm_forward(_cv_X(), np.ones(d), np.zeros(d), eps)[0])


def _conventions():
    from nngrade.conventions import Piece
    bn_call = "keras.layers.BatchNormalization(momentum, epsilon)"
    defaults = "torch momentum 0.1 (weight of the new batch), eps 1e-5; keras momentum 0.99 (weight of the old), epsilon 1e-3"
    return [
        Piece("batch norm output (training)", "F.batch_norm(x, rm, rv, training=True, momentum, eps)", bn_call,
              defaults, _cv_bn(0, False), _cv_bn(0, True), "epsilon=eps in Keras"),
        Piece("batch norm running mean", "F.batch_norm(..., running_mean)", bn_call + ".moving_mean", defaults,
              _cv_bn(1, False), _cv_bn(1, True), "momentum=1 - m in Keras for torch's m"),
        Piece("batch norm running variance", "F.batch_norm(..., running_var)", bn_call + ".moving_variance",
              defaults + "; torch averages the unbiased batch variance (N - 1), keras the biased one (N)",
              _cv_bn(2, False), _cv_bn(2, True),
              "cannot be matched by settings: Keras's batch share is (N - 1) / N of torch's (N = 8 here)"),
        Piece("layer norm", "F.layer_norm(x, (D,), eps)", "keras.layers.LayerNormalization(axis=-1, epsilon)",
              "eps: torch 1e-5, keras 1e-3", _cv_ln(1e-3), _cv_ln(1e-5), "epsilon=eps in Keras"),
    ]


from nngrade.conventions import LazyPieces  # noqa: E402

CONVENTIONS = LazyPieces(_conventions)

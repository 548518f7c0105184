"""Import torch and Keras on first use, once per process, and configure them for float64.

Keras is set to float64 end to end (`set_floatx` and `set_dtype_policy`) before any layer
is built; torch works on float64 tensors made from the NumPy inputs.
"""
from __future__ import annotations

import os
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=None)
def torch():
    import torch as _torch
    _torch.set_num_threads(1)
    _no_dynamo_in_optimizers(_torch)
    return _torch


def _no_dynamo_in_optimizers(t):
    """`torch.optim` imports `torch._dynamo` (1.2 s, more than torch itself costs here) the first
    time an optimizer is built or stepped, only to mark its methods "not to be compiled"; nothing
    here compiles. Mark them ahead (the marker `torch._compile._disable_dynamo` looks for); the
    step itself goes through `optim_step`. If torch changes this, the import simply comes back."""
    import torch._compile
    import torch.optim
    probe = torch._compile._disable_dynamo(lambda: None)
    for cls in vars(t.optim).values():
        if isinstance(cls, type) and issubclass(cls, t.optim.Optimizer):
            for f in vars(cls).values():
                if getattr(f, "__code__", None) is probe.__code__ and hasattr(f, "__wrapped__"):
                    setattr(f.__wrapped__, "__dynamo_disable", f.__wrapped__)


def optim_step(opt):
    """`opt.step()`: the optimizer's own update, without the wrappers around it (profiling hooks,
    and a `torch._dynamo` import to mark graph breaks); like them, without autograd."""
    import inspect
    with torch().no_grad():
        inspect.unwrap(type(opt).step)(opt)


@lru_cache(maxsize=None)
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras as _keras
    _keras.config.set_floatx("float64")
    _keras.config.set_dtype_policy("float64")
    return _keras


@lru_cache(maxsize=None)
def tf():
    keras()
    import tensorflow as _tf
    return _tf


def tensor(x, grad=False):
    """A float64 torch tensor from NumPy data (a copy), optionally requiring gradients."""
    t = torch().tensor(np.asarray(x, dtype=np.float64))
    return t.requires_grad_(True) if grad else t


def clip(x, lo=None, hi=None):
    """The contract's clip in torch: torch.clamp's values, and a gradient that passes for
    lo <= x <= hi and stops outside. torch.clamp's own gradient at x == lo or x == hi is 1 up
    to torch 2.14 and 0 from 2.15 (docs/conventions.md, "Across the supported range"), so the
    oracles do not leave the bounds to it."""
    t = torch()
    inside = t.ones_like(x, dtype=t.bool)
    if lo is not None:
        inside = inside & (x >= lo)
    if hi is not None:
        inside = inside & (x <= hi)
    return t.where(inside, x, t.clamp(x, lo, hi).detach())


def numpy(t) -> np.ndarray:
    return np.array(t.detach().cpu().numpy(), dtype=np.float64)


def torch_vjp(fn, x, grad_out=None):
    """The gradient of sum(grad_out * fn(x)) in x, by torch autograd (grad_out defaults to ones)."""
    xt = tensor(x, grad=True)
    y = fn(xt)
    g = torch().ones_like(y) if grad_out is None else tensor(grad_out)
    (dx,) = torch().autograd.grad(y, xt, grad_outputs=g, allow_unused=True)
    return np.zeros_like(np.asarray(x, dtype=np.float64)) if dx is None else numpy(dx)


def keras_vjp(fn, x, grad_out=None):
    """The same with tf.GradientTape; an unconnected gradient is zero."""
    _tf = tf()
    xt = _tf.constant(np.asarray(x, dtype=np.float64))
    with _tf.GradientTape() as tape:
        tape.watch(xt)
        y = fn(xt)
    g = _tf.ones_like(y) if grad_out is None else _tf.constant(np.asarray(grad_out, dtype=np.float64))
    dx = tape.gradient(y, xt, output_gradients=g, unconnected_gradients="zero")
    return np.array(dx.numpy(), dtype=np.float64)


def keras_value(fn, x) -> np.ndarray:
    _tf = tf()
    return np.array(fn(_tf.constant(np.asarray(x, dtype=np.float64))).numpy(), dtype=np.float64)


def torch_value(fn, x) -> np.ndarray:
    with torch().no_grad():
        return numpy(fn(tensor(x)))


class DenseStack:
    """Dense layers called in turn: what `keras.Sequential([Input, Dense, ...])` computes, without
    building a functional graph for every architecture (about 25 ms each, and the checks'
    architectures are random). `trainable_weights` is kernel, bias of each layer, in order."""

    def __init__(self, layers):
        self.layers = layers

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    @property
    def trainable_weights(self):
        return [w for layer in self.layers for w in (layer.kernel, layer.bias)]


_DENSE: dict = {}


def keras_dense_stack(params, activations) -> DenseStack:
    """Layer i a `keras.layers.Dense` with activations[i], holding params[i] = (W (in, out), b).
    A layer is reused by its place, shape and activation: it only gets the new weights."""
    K = keras()
    layers = []
    for i, ((W, b), activation) in enumerate(zip(params, activations)):
        W = np.asarray(W, dtype=np.float64)
        key = (i, W.shape, activation)
        if key not in _DENSE:
            # zeros: the weights are assigned next, so no random draw for the initial ones
            _DENSE[key] = K.layers.Dense(W.shape[1], activation=activation, kernel_initializer="zeros")
            _DENSE[key].build((None, W.shape[0]))
        layer = _DENSE[key]
        layer.kernel.assign(W)
        layer.bias.assign(np.reshape(np.asarray(b, dtype=np.float64), (W.shape[1],)))
        layers.append(layer)
    return DenseStack(layers)

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
    return _torch


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

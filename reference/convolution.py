"""Oracles for lab09_convolution: channels-last 2-D convolution and max pooling, forward and
backward, with integer stride and zero padding.

Layouts: the lab is channels last, as Keras: `X` (N, H, W, C), kernels `W` (kh, kw, C_in,
C_out) ("HWIO"), `b` (C_out,). PyTorch is channels first: the oracle permutes `X` to NCHW
with `permute(0, 3, 1, 2)`, the kernel to OIHW with `permute(3, 2, 0, 1)`, calls
`F.conv2d(x, w, b, stride, padding)` / `F.max_pool2d(x, pool, stride)`, and permutes the
result back with `permute(0, 2, 3, 1)`; every gradient comes from autograd, seeded with the
incoming gradient `dOut` (so the gradients are those of sum(dOut * forward)).

Keras has only 'valid' and 'same' padding, so the oracle pads the input with zeros itself
(`tf.pad`, inside the tape, so that the gradient arrives in X's unpadded shape) and runs a
`Conv2D(C_out, (kh, kw), strides=stride, padding="valid")` layer given the same weights with
`set_weights`, or a `MaxPooling2D(pool, stride, padding="valid")` layer; gradients come from
`tf.GradientTape` with `output_gradients=dOut`. Each Keras layer is built once per
configuration and reused (a Keras call costs milliseconds; building a layer costs more).

Ties in max pooling: both frameworks send a window's gradient to its FIRST maximum in
row-major order (measured on thousands of tied windows, overlapping windows included, and in
the lab's tests), which is the contract; so both oracles decide, no construction needed.
"""
from __future__ import annotations

import numpy as np

from reference._frameworks import keras, numpy, tensor, tf, torch


# ---------------------------------------------------------------- PyTorch

def _nchw(x):
    return x.permute(0, 3, 1, 2).contiguous()


def _nhwc(x):
    return x.permute(0, 2, 3, 1)


def _oihw(w):
    # contiguous(): with C_out = 1, autograd through a permuted kernel fails in torch 2.13's CPU
    # conv2d backward ("slow_conv2d: grad_weight must be contiguous")
    return w.permute(3, 2, 0, 1).contiguous()


def torch_conv2d_forward(X, W, b, stride=1, padding=0):
    with torch().no_grad():
        y = torch().nn.functional.conv2d(_nchw(tensor(X)), _oihw(tensor(W)), tensor(b),
                                         stride=stride, padding=padding)
        return numpy(_nhwc(y))


def torch_conv2d_backward(dOut, X, W, stride=1, padding=0):
    x, w = tensor(X, grad=True), tensor(W, grad=True)
    b = tensor(np.zeros(np.shape(W)[3]), grad=True)
    y = _nhwc(torch().nn.functional.conv2d(_nchw(x), _oihw(w), b, stride=stride, padding=padding))
    dx, dw, db = torch().autograd.grad(y, (x, w, b), grad_outputs=tensor(dOut))
    return numpy(dx), numpy(dw), numpy(db)


def torch_maxpool2d_forward(X, pool=2, stride=2):
    with torch().no_grad():
        return numpy(_nhwc(torch().nn.functional.max_pool2d(_nchw(tensor(X)), pool, stride)))


def torch_maxpool2d_backward(dOut, X, pool=2, stride=2):
    x = tensor(X, grad=True)
    y = _nhwc(torch().nn.functional.max_pool2d(_nchw(x), pool, stride))
    (dx,) = torch().autograd.grad(y, x, grad_outputs=tensor(dOut))
    return numpy(dx)


class Torch:
    conv2d_forward = staticmethod(torch_conv2d_forward)
    conv2d_backward = staticmethod(torch_conv2d_backward)
    maxpool2d_forward = staticmethod(torch_maxpool2d_forward)
    maxpool2d_backward = staticmethod(torch_maxpool2d_backward)


# ---------------------------------------------------------------- Keras

_LAYERS: dict = {}


def _conv_layer(W, stride):
    kh, kw, c_in, c_out = np.shape(W)
    key = ("conv", kh, kw, c_in, c_out, stride)
    if key not in _LAYERS:
        layer = keras().layers.Conv2D(c_out, (kh, kw), strides=stride, padding="valid")
        layer.build((None, None, None, c_in))
        _LAYERS[key] = layer
    return _LAYERS[key]


def _pool_layer(pool, stride):
    key = ("pool", pool, stride)
    if key not in _LAYERS:
        _LAYERS[key] = keras().layers.MaxPooling2D(pool_size=pool, strides=stride, padding="valid")
    return _LAYERS[key]


def _pad(x, padding):
    return tf().pad(x, [[0, 0], [padding, padding], [padding, padding], [0, 0]]) if padding else x


def _const(a):
    return tf().constant(np.asarray(a, dtype=np.float64))


def keras_conv2d_forward(X, W, b, stride=1, padding=0):
    layer = _conv_layer(W, stride)
    layer.set_weights([np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)])
    return np.array(layer(_pad(_const(X), padding)).numpy(), dtype=np.float64)


def keras_conv2d_backward(dOut, X, W, stride=1, padding=0):
    layer = _conv_layer(W, stride)
    layer.set_weights([np.asarray(W, dtype=np.float64), np.zeros(np.shape(W)[3])])
    x = _const(X)
    with tf().GradientTape() as tape:
        tape.watch(x)
        y = layer(_pad(x, padding))
    dx, dw, db = tape.gradient(y, [x, layer.kernel, layer.bias], output_gradients=_const(dOut))
    return tuple(np.array(t.numpy(), dtype=np.float64) for t in (dx, dw, db))


def keras_maxpool2d_forward(X, pool=2, stride=2):
    return np.array(_pool_layer(pool, stride)(_const(X)).numpy(), dtype=np.float64)


def keras_maxpool2d_backward(dOut, X, pool=2, stride=2):
    x = _const(X)
    with tf().GradientTape() as tape:
        tape.watch(x)
        y = _pool_layer(pool, stride)(x)
    return np.array(tape.gradient(y, x, output_gradients=_const(dOut)).numpy(), dtype=np.float64)


class Keras:
    conv2d_forward = staticmethod(keras_conv2d_forward)
    conv2d_backward = staticmethod(keras_conv2d_backward)
    maxpool2d_forward = staticmethod(keras_maxpool2d_forward)
    maxpool2d_backward = staticmethod(keras_maxpool2d_backward)

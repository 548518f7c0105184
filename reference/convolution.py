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

`Mistakes` computes known wrong results for the feedback with the frameworks (see there).
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


# ---------------------------------------------------------------- known mistakes

def _pool_out(n, pool, stride):
    return (n - pool) // stride + 1


def _windows(x, pool, stride):
    """The pooling windows of an NCHW tensor, (N, C, pool * pool, L), each in row-major order,
    by F.unfold (whose backward, fold, sums what overlapping windows send back)."""
    N, C = x.shape[:2]
    return torch().nn.functional.unfold(x, pool, stride=stride).reshape(N, C, pool * pool, -1)


class Mistakes:
    """Known wrong results for the checks' `likely` rows, by the frameworks: F.avg_pool2d;
    autograd through F.unfold windows whose backward treats ties otherwise (torch.amax shares
    a tie's gradient evenly; a mask of every maximum gives each its full share); the oracle on
    the input rotated by 180 degrees (its first maximum is the original's last); and
    F.max_pool2d's own argmax indices with the last window that picks a position winning."""

    @staticmethod
    def avgpool2d_forward(X, pool=2, stride=2):
        with torch().no_grad():
            return numpy(_nhwc(torch().nn.functional.avg_pool2d(_nchw(tensor(X)), pool, stride)))

    @staticmethod
    def maxpool2d_backward_ties(dOut, X, pool=2, stride=2, rule="all"):
        """rule "all": every maximum of a window gets the window's gradient; "split": they
        share it equally (torch.amax's backward)."""
        T = torch()
        x = tensor(X, grad=True)
        N, H, W, C = np.shape(X)
        win = _windows(_nchw(x), pool, stride)
        if rule == "split":
            y = win.amax(dim=2)
        else:
            top = (win == win.amax(dim=2, keepdim=True)).detach()
            y = (win * top).sum(dim=2)          # d/dx = 1 at every maximum (its value is not the max)
        y = _nhwc(y.reshape(N, C, _pool_out(H, pool, stride), _pool_out(W, pool, stride)))
        (dx,) = T.autograd.grad(y, x, grad_outputs=tensor(dOut))
        return numpy(dx)

    @staticmethod
    def maxpool2d_backward_last_max(dOut, X, pool=2, stride=2):
        """The gradient to each window's LAST maximum in row-major order: the oracle on the
        covered part of X rotated by 180 degrees (window (i, j) becomes (Ho-1-i, Wo-1-j) and its
        row-major order reverses), rotated back."""
        X, dOut = np.asarray(X, dtype=np.float64), np.asarray(dOut, dtype=np.float64)
        N, H, W, C = X.shape
        hc = (_pool_out(H, pool, stride) - 1) * stride + pool
        wc = (_pool_out(W, pool, stride) - 1) * stride + pool
        rotated = Torch.maxpool2d_backward(dOut[:, ::-1, ::-1].copy(), X[:, :hc, :wc][:, ::-1, ::-1].copy(), pool, stride)
        dX = np.zeros_like(X)
        dX[:, :hc, :wc] = rotated[:, ::-1, ::-1]
        return dX

    @staticmethod
    def maxpool2d_backward_overwrite(dOut, X, pool=2, stride=2):
        """Each input gets the gradient of the LAST window (row-major over the output) whose
        first maximum it is, not the sum over those windows: F.max_pool2d's argmax indices,
        the last window per position by scatter_reduce(amax), then a gather."""
        T = torch()
        N, H, W, C = np.shape(X)
        with T.no_grad():
            _, idx = T.nn.functional.max_pool2d(_nchw(tensor(X)), pool, stride, return_indices=True)
            idx = idx.reshape(N, C, -1)
            order = T.arange(idx.shape[-1]).expand(N, C, -1)
            last = T.full((N, C, H * W), -1, dtype=T.int64).scatter_reduce(2, idx, order, reduce="amax")
            d = _nchw(tensor(dOut)).reshape(N, C, -1)
            dx = T.where(last >= 0, T.gather(d, 2, last.clamp(min=0)), T.zeros((), dtype=d.dtype))
            return numpy(_nhwc(dx.reshape(N, C, H, W)))


# -- docs/conventions.md: the frameworks side by side on fixed inputs -------------------------
def _cv_conv_data(size=6):
    rng = np.random.default_rng(0)
    return rng.normal(size=(2, size, size, 3)), rng.normal(size=(3, 3, 3, 4)), rng.normal(size=4)


def _cv_keras_conv(X, W, b, stride, padding):
    layer = keras().layers.Conv2D(np.shape(W)[3], np.shape(W)[:2], strides=stride, padding=padding)
    layer.build((None, None, None, np.shape(W)[2]))
    layer.set_weights([np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)])
    return np.array(layer(_const(X)).numpy(), dtype=np.float64)


def _cv_layout(permute_back):
    def run():
        X, W, b = _cv_conv_data(7)
        with torch().no_grad():
            y = torch().nn.functional.conv2d(_nchw(tensor(X)), _oihw(tensor(W)), tensor(b))
        return numpy(_nhwc(y)) if permute_back else numpy(y), _cv_keras_conv(X, W, b, 1, "valid")
    return run


def _cv_same_stride2(pad_bottom_right):
    def run():
        X, W, b = _cv_conv_data(6)
        F = torch().nn.functional
        with torch().no_grad():
            x = _nchw(tensor(X))
            if pad_bottom_right:
                y = F.conv2d(F.pad(x, (0, 1, 0, 1)), _oihw(tensor(W)), tensor(b), stride=2)
            else:
                y = F.conv2d(x, _oihw(tensor(W)), tensor(b), stride=2, padding=1)
        return numpy(_nhwc(y)), _cv_keras_conv(X, W, b, 2, "same")
    return run


def _cv_pool(pool, stride):
    def run():
        rng = np.random.default_rng(0)
        X = rng.integers(0, 3, size=(2, 6, 6, 3)).astype(np.float64)     # many ties in each window
        dOut_shape = keras_maxpool2d_forward(X, pool, stride).shape
        dOut = rng.normal(size=dOut_shape)
        return ((torch_maxpool2d_forward(X, pool, stride), torch_maxpool2d_backward(dOut, X, pool, stride)),
                (keras_maxpool2d_forward(X, pool, stride), keras_maxpool2d_backward(dOut, X, pool, stride)))
    return run


def _conventions():
    from nngrade.conventions import Piece
    return [
        Piece("Conv2D layout", "F.conv2d(x.permute(0, 3, 1, 2), w.permute(3, 2, 0, 1), b)",
              "keras.layers.Conv2D(c_out, (kh, kw))",
              "torch NCHW inputs and (out, in, kh, kw) kernels; keras NHWC and (kh, kw, in, out); "
              "padding 0 / 'valid' both. Defaults: torch's NCHW output compared as it comes",
              _cv_layout(False), _cv_layout(True),
              "permute the input and kernel in, the output back (permute(0, 2, 3, 1)): equal to round-off"),
        Piece("'same' padding, stride 2", "F.conv2d(x, w, stride=2, padding=1)",
              "keras.layers.Conv2D(c_out, 3, strides=2, padding='same')",
              "torch refuses padding='same' with stride > 1; the usual padding=1 pads both sides, keras pads "
              "the odd extra row and column at the bottom and right only (6 x 6 input, 3 x 3 kernel)",
              _cv_same_stride2(False), _cv_same_stride2(True),
              "F.pad(x, (0, 1, 0, 1)) then padding=0 (in general: total = max((out - 1) s + k - n, 0), "
              "the floor of half on top and left)"),
        Piece("MaxPool 2 x 2 with ties", "F.max_pool2d(x, 2)", "keras.layers.MaxPooling2D()",
              "pool 2, stride = pool, no padding on both; compared: the forward and the gradient, on "
              "integer inputs with ties in most windows",
              _cv_pool(2, 2), _cv_pool(2, 2),
              "already equal: both route a window's gradient to one maximum, the same one"),
        Piece("MaxPool 3 x 3 stride 2 with ties", "F.max_pool2d(x, 3, stride=2)",
              "keras.layers.MaxPooling2D(3, strides=2)",
              "overlapping windows: an input may be the maximum of several windows and collect their gradients",
              _cv_pool(3, 2), _cv_pool(3, 2),
              "already equal"),
    ]


from nngrade.conventions import LazyPieces  # noqa: E402

CONVENTIONS = LazyPieces(_conventions)

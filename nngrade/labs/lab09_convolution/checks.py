"""lab09_convolution: channels-last conv2d and max pooling, forward and backward.

PyTorch decides (`F.conv2d` / `F.max_pool2d` and autograd, layouts permuted); Keras
(`Conv2D` / `MaxPooling2D` layers with the same weights, explicit zero padding,
`tf.GradientTape`) agrees to round-off on every check, ties in max pooling included (both
send a window's gradient to its first maximum in row-major order, as the contract says).

Per function: types and shapes (1), the default arguments (2), strides and paddings on
random non-square inputs and kernels (2, pooling: 1), edge cases (1); pooling adds
all-negative inputs, overlapping windows and ties. Inputs are drawn from the run's seed.

Tolerances: the frameworks agree with each other and with a NumPy solution to ~1e-14, so
the checks ask for 1e-10 relative (convolution; 1e-12 for pooling, which only moves
numbers around): tight enough that gradients by central differences of the student's own
forward pass (errors ~1e-9) do not pass for a backward pass.
"""
from __future__ import annotations

import numpy as np

from nngrade import battery
from nngrade.registry import Case, Likely
from reference.convolution import Keras, Mistakes, Torch


def _out(n, k, s, p):
    return (n + 2 * p - k) // s + 1


# ---------------------------------------------------------------- inputs

def _conv_case(rng, N, H, W, C_in, kh, kw, C_out, stride=None, padding=None, backward=False, note=""):
    X = rng.normal(size=(N, H, W, C_in))
    K = rng.normal(0.0, 1.0, size=(kh, kw, C_in, C_out))
    kwargs = {}
    if stride is not None:
        kwargs["stride"] = stride
    if padding is not None:
        kwargs["padding"] = padding
    s, p = stride or 1, padding or 0
    if backward:
        dOut = rng.normal(size=(N, _out(H, kh, s, p), _out(W, kw, s, p), C_out))
        return Case((dOut, X, K), kwargs, note)
    return Case((X, K, rng.normal(size=C_out)), kwargs, note)


def _random_conv(rng, backward, count, strided=True):
    """Random non-square shapes, kernels, strides and paddings; the first one leaves rows over."""
    out = []
    while len(out) < count:
        N, C_in, C_out = int(rng.integers(1, 3)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
        H, W = int(rng.integers(4, 9)), int(rng.integers(4, 9))
        kh, kw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        s, p = (int(rng.integers(1, 4)), int(rng.integers(0, 3))) if strided else (None, None)
        if kh > H + 2 * (p or 0) or kw > W + 2 * (p or 0):
            continue
        if strided and not out and ((H + 2 * p - kh) % s == 0 or s == 1):
            continue    # make the first strided case one whose last rows are never covered
        note = ""
        if strided and (H + 2 * p - kh) % s:
            note = "the stride leaves the last row(s) of the padded input out of every window"
        out.append(_conv_case(rng, N, H, W, C_in, kh, kw, C_out, s, p, backward, note))
    return out


def _conv_shapes(rng, backward):
    return _random_conv(rng, backward, 3)


def _conv_defaults(rng, backward):
    return [_conv_case(rng, 1, 4, 5, 1, 2, 2, 2, backward=backward, note="stride and padding left at 1 and 0"),
            _conv_case(rng, 2, 6, 5, 3, 3, 2, 4, backward=backward, note="a non-square 3x2 kernel"),
            _conv_case(rng, 2, 7, 7, 2, 3, 3, 3, 1, 0, backward=backward, note="stride=1, padding=0 passed")]


def _conv_strided(rng, backward):
    return ([_conv_case(rng, 1, 5, 5, 1, 3, 3, 2, 1, 1, backward, "padding=1 keeps 5x5 ('same' for a 3x3 kernel)"),
             _conv_case(rng, 2, 7, 6, 2, 3, 2, 2, 2, 1, backward, "stride 2, padding 1")]
            + _random_conv(rng, backward, 4))


def _conv_edges(rng, backward):
    return [_conv_case(rng, 2, 4, 3, 3, 1, 1, 2, backward=backward, note="a 1x1 kernel: a dense layer per pixel"),
            _conv_case(rng, 1, 3, 4, 2, 5, 6, 2, 1, 1, backward, "the kernel covers the whole padded input: "
                                                                  "output 1x1"),
            _conv_case(rng, 3, 5, 5, 1, 2, 3, 1, 3, 2, backward, "one channel in and out, stride 3, padding 2")]


def _pool_case(rng, N, H, W, C, pool=None, stride=None, backward=False, values=None, note=""):
    X = rng.normal(size=(N, H, W, C)) if values is None else values
    kwargs = {}
    if pool is not None:
        kwargs["pool"] = pool
    if stride is not None:
        kwargs["stride"] = stride
    q, s = pool or 2, stride or 2
    if backward:
        dOut = rng.normal(size=(N, _out(H, q, s, 0), _out(W, q, s, 0), C))
        return Case((dOut, X), kwargs, note)
    return Case((X,), kwargs, note)


def _pool_shapes(rng, backward):
    return [_pool_case(rng, 1, 4, 4, 1, backward=backward), _pool_case(rng, 2, 5, 7, 3, backward=backward),
            _pool_case(rng, 2, 6, 5, 2, 3, 1, backward=backward)]


def _pool_defaults(rng, backward):
    return [_pool_case(rng, 1, 4, 4, 1, backward=backward, note="pool=2, stride=2 by default"),
            _pool_case(rng, 2, 6, 8, 3, backward=backward),
            _pool_case(rng, 2, 7, 5, 2, 2, 2, backward, note="odd sizes: the last row and column are in no window")]


def _pool_other(rng, backward):
    return [_pool_case(rng, 1, 5, 5, 1, 3, 2, backward, note="pool 3, stride 2: windows overlap by one row"),
            _pool_case(rng, 2, 6, 7, 2, 3, 3, backward),
            _pool_case(rng, 1, 7, 8, 2, 2, 3, backward, note="stride 3 > pool 2: some rows are in no window"),
            _pool_case(rng, 2, 5, 6, 3, 4, 1, backward, note="pool 4, stride 1")]


def _pool_negative(rng, backward):
    return [_pool_case(rng, 1, 4, 4, 2, backward=backward, values=-np.abs(rng.normal(size=(1, 4, 4, 2))) - 1.0,
                       note="every input negative: the maximum is below 0"),
            _pool_case(rng, 2, 5, 5, 1, 3, 2, backward, values=-np.abs(rng.normal(size=(2, 5, 5, 1))) - 0.5,
                       note="every input negative, overlapping windows")]


def _pool_overlap(rng, backward=True):
    return [_pool_case(rng, 1, 4, 4, 1, 3, 1, True, note="pool 3, stride 1: an input in several windows "
                                                           "collects the gradient of each window it wins"),
            _pool_case(rng, 2, 6, 5, 2, 3, 2, True, note="pool 3, stride 2"),
            _pool_case(rng, 1, 5, 6, 3, 2, 1, True, note="pool 2, stride 1")]


def _pool_ties(rng, backward=True):
    cases = []
    for N, H, W, C, q, s in [(1, 4, 4, 1, 2, 2), (1, 4, 4, 1, 3, 1), (2, 6, 5, 2, 2, 2), (2, 7, 6, 3, 3, 2),
                             (1, 6, 6, 2, 2, 1)]:
        X = rng.integers(0, 3, size=(N, H, W, C)).astype(np.float64)
        cases.append(_pool_case(rng, N, H, W, C, q, s, True, values=X,
                                note="values in {0, 1, 2}: many windows have tied maxima"))
    cases[0] = _pool_case(rng, 1, 4, 4, 1, 2, 2, True, values=np.ones((1, 4, 4, 1)),
                          note="all ones: every window is a tie, its first element (top left) wins")
    return cases


# ---------------------------------------------------------------- known mistakes
# From the oracles (a flipped kernel, a rescaled db) or reference.convolution.Mistakes.

def _flip(W):
    return np.ascontiguousarray(np.asarray(W)[::-1, ::-1])


def _true_conv_forward(X, W, b, stride=1, padding=0):
    return Torch.conv2d_forward(X, _flip(W), b, stride, padding)


def _true_conv_backward(dOut, X, W, stride=1, padding=0):
    dX, dW, db = Torch.conv2d_backward(dOut, X, _flip(W), stride, padding)
    return dX, _flip(dW), db


def _db_mean(dOut, X, W, stride=1, padding=0):
    dX, dW, db = Torch.conv2d_backward(dOut, X, W, stride, padding)
    return dX, dW, db / (dOut.shape[0] * dOut.shape[1] * dOut.shape[2])


CONV_FORWARD_LIKELY = (
    Likely("your result is a true convolution (the kernel flipped by 180 degrees): the frameworks and "
           "this lab compute the cross-correlation, sum X[i*s + a, j*s + b] * W[a, b], no flip",
           _true_conv_forward),
    Likely("the bias is missing: add b[o] to every output position of channel o",
           lambda X, W, b, stride=1, padding=0: Torch.conv2d_forward(X, W, np.zeros_like(b), stride, padding)),
)
CONV_BACKWARD_LIKELY = (
    Likely("db is a mean: the bias is added at every position of every image, so its gradient is the SUM "
           "of dOut over the batch and both spatial axes", _db_mean),
    Likely("these are the gradients of a true convolution (kernel flipped): the forward pass is a "
           "cross-correlation, and so the backward pass must differentiate that", _true_conv_backward),
)
POOL_FORWARD_LIKELY = (
    Likely("you averaged each window (average pooling): max pooling keeps each window's maximum",
           Mistakes.avgpool2d_forward),
)
POOL_BACKWARD_LIKELY = (
    Likely("on a tie you sent the gradient to every maximum of the window: only the first maximum in "
           "row-major order gets it",
           lambda dOut, X, pool=2, stride=2: Mistakes.maxpool2d_backward_ties(dOut, X, pool, stride, "all")),
    Likely("on a tie you sent the gradient to the last maximum of the window: the first one, in row-major "
           "order, gets it (np.argmax returns the first)", Mistakes.maxpool2d_backward_last_max),
    Likely("on a tie you split the gradient between the maxima: the first maximum in row-major order "
           "gets all of it",
           lambda dOut, X, pool=2, stride=2: Mistakes.maxpool2d_backward_ties(dOut, X, pool, stride, "split")),
    Likely("where windows overlap, an input that wins several windows must collect the gradient of "
           "each (+=): yours keeps only the last one (=)", Mistakes.maxpool2d_backward_overwrite),
)


# ---------------------------------------------------------------- rows

def _conv_checks(fn, backward):
    shapes = "(dX of X's unpadded shape, dW, db)" if backward else "(N, H_out, W_out, C_out)"
    return battery.checks(
        fn, types=lambda rng: _conv_shapes(rng, backward), types_what=f"types and shapes {shapes}",
        typical=lambda rng: _conv_defaults(rng, backward), typical_what="stride 1, no padding (the defaults)",
        edges=[("strides and zero padding, non-square inputs and kernels", lambda rng: _conv_strided(rng, backward),
                {"points": 2}),
               ("edge shapes: 1x1 kernel, 1x1 output, one channel", lambda rng: _conv_edges(rng, backward))],
        torch=getattr(Torch, fn), keras=getattr(Keras, fn),
        likely=CONV_BACKWARD_LIKELY if backward else CONV_FORWARD_LIKELY, rtol=1e-10, atol=1e-12)


def _pool_checks(fn, backward):
    edges = [("other pool sizes and strides, non-square inputs", lambda rng: _pool_other(rng, backward)),
             ("every input negative", lambda rng: _pool_negative(rng, backward))]
    if backward:
        edges += [("overlapping windows accumulate", _pool_overlap),
                  ("ties: the first maximum in row-major order", _pool_ties)]
    return battery.checks(
        fn, types=lambda rng: _pool_shapes(rng, backward), typical=lambda rng: _pool_defaults(rng, backward),
        typical_what="pool 2, stride 2 (the defaults)", edges=edges, torch=getattr(Torch, fn),
        keras=getattr(Keras, fn), likely=POOL_BACKWARD_LIKELY if backward else POOL_FORWARD_LIKELY,
        rtol=1e-12, atol=1e-14)


CHECKS = (_conv_checks("conv2d_forward", False) + _conv_checks("conv2d_backward", True)
          + _pool_checks("maxpool2d_forward", False) + _pool_checks("maxpool2d_backward", True))

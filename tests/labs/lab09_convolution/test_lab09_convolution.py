"""lab09_convolution: the PyTorch and Keras oracles against each other and against the
formula written as plain loops over random shapes, strides and paddings; the layout
conversion; the tie rule of max pooling measured in both frameworks; the hand-made Sobel
filter on a load_digits digit against scipy; and what the grader says for the classic
mistakes (flipped kernel, mean bias gradient, ties)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from conftest import SEED, grade_cells, solution_cells
from reference.convolution import Keras, Torch

LAB = "lab09_convolution"


def conv_loops(X, W, b, stride=1, padding=0):
    """The contract's formula, word for word."""
    Xp = np.pad(X, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    kh, kw, _, C_out = W.shape
    Ho, Wo = (Xp.shape[1] - kh) // stride + 1, (Xp.shape[2] - kw) // stride + 1
    out = np.zeros((X.shape[0], Ho, Wo, C_out))
    for n, i, j, o in np.ndindex(out.shape):
        out[n, i, j, o] = np.sum(Xp[n, i * stride:i * stride + kh, j * stride:j * stride + kw, :] * W[..., o]) + b[o]
    return out


def pool_backward_first_max(dOut, X, pool, stride):
    """The contract's routing rule: np.argmax of the flattened window is its first maximum in
    row-major order; overlapping windows accumulate."""
    dX = np.zeros_like(X)
    for n, i, j, c in np.ndindex(dOut.shape):
        win = X[n, i * stride:i * stride + pool, j * stride:j * stride + pool, c]
        a, e = divmod(int(np.argmax(win)), pool)
        dX[n, i * stride + a, j * stride + e, c] += dOut[n, i, j, c]
    return dX


@st.composite
def conv_setups(draw):
    N, C_in, C_out = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    H, W = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride, padding = draw(st.integers(1, 3)), draw(st.integers(0, 2))
    assume(kh <= H + 2 * padding and kw <= W + 2 * padding)
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    X, K, b = rng.normal(size=(N, H, W, C_in)), rng.normal(size=(kh, kw, C_in, C_out)), rng.normal(size=C_out)
    Ho, Wo = (H + 2 * padding - kh) // stride + 1, (W + 2 * padding - kw) // stride + 1
    return X, K, b, stride, padding, rng.normal(size=(N, Ho, Wo, C_out))


# ---------------------------------------------------------------- convolution
@settings(max_examples=25, deadline=None)
@given(setup=conv_setups())
def test_torch_keras_and_the_loop_formula_agree_forward(setup):
    X, K, b, s, p, _ = setup
    expected = conv_loops(X, K, b, s, p)
    np.testing.assert_allclose(Torch.conv2d_forward(X, K, b, s, p), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(Keras.conv2d_forward(X, K, b, s, p), expected, rtol=1e-12, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(setup=conv_setups())
def test_torch_and_keras_gradients_agree_and_match_the_forward_pass(setup):
    X, K, b, s, p, dOut = setup
    t, k = Torch.conv2d_backward(dOut, X, K, s, p), Keras.conv2d_backward(dOut, X, K, s, p)
    assert [a.shape for a in t] == [X.shape, K.shape, b.shape]
    for a, c in zip(t, k):
        np.testing.assert_allclose(c, a, rtol=1e-12, atol=1e-12)
    # the forward pass is linear in X and in W: <dOut, conv(X)> = <dX, X> (bias off) and the same in W
    zero = np.zeros_like(b)
    inner = np.sum(dOut * conv_loops(X, K, zero, s, p))
    assert np.sum(t[0] * X) == pytest.approx(inner, rel=1e-10, abs=1e-10)
    assert np.sum(t[1] * K) == pytest.approx(inner, rel=1e-10, abs=1e-10)
    np.testing.assert_allclose(t[2], dOut.sum(axis=(0, 1, 2)), rtol=1e-12, atol=1e-12)


def test_kernel_layout_hwio_to_oihw_is_permute_3_2_0_1_and_back_is_2_3_1_0():
    import torch
    rng = np.random.default_rng([SEED, 91])
    X, K, b = rng.normal(size=(1, 5, 6, 3)), rng.normal(size=(3, 2, 3, 4)), rng.normal(size=4)
    xt, kt = torch.tensor(X).permute(0, 3, 1, 2), torch.tensor(K)
    y = torch.nn.functional.conv2d(xt, kt.permute(3, 2, 0, 1), torch.tensor(b)).permute(0, 2, 3, 1).numpy()
    np.testing.assert_allclose(y, conv_loops(X, K, b), rtol=1e-12, atol=1e-12)
    # permute(2, 3, 1, 0) is the way back, OIHW -> HWIO (torch's weight to a Keras kernel)
    assert torch.equal(kt.permute(3, 2, 0, 1).permute(2, 3, 1, 0), kt)


def test_a_single_output_channel_works_through_autograd():
    """torch 2.13's CPU conv2d backward rejects a permuted, non-contiguous kernel when C_out = 1;
    the oracle makes it contiguous."""
    rng = np.random.default_rng([SEED, 92])
    X, K = rng.normal(size=(1, 5, 4, 2)), rng.normal(size=(2, 2, 2, 1))
    dOut = rng.normal(size=(1, 2, 2, 1))
    dX, dW, db = Torch.conv2d_backward(dOut, X, K, stride=2, padding=0)
    np.testing.assert_allclose(dW, Keras.conv2d_backward(dOut, X, K, 2, 0)[1], rtol=1e-12)


def test_frameworks_compute_cross_correlation_and_the_flip_gives_scipy_convolution():
    from scipy.signal import convolve2d, correlate2d
    rng = np.random.default_rng([SEED, 93])
    img, k = rng.normal(size=(6, 7)), rng.normal(size=(3, 2))
    ours = Torch.conv2d_forward(img[None, :, :, None], k[:, :, None, None], np.zeros(1))[0, :, :, 0]
    np.testing.assert_allclose(ours, correlate2d(img, k, mode="valid"), rtol=1e-12, atol=1e-12)
    flipped = Torch.conv2d_forward(img[None, :, :, None], k[::-1, ::-1, None, None].copy(), np.zeros(1))[0, :, :, 0]
    np.testing.assert_allclose(flipped, convolve2d(img, k, mode="valid"), rtol=1e-12, atol=1e-12)


def test_sobel_on_a_digit_matches_scipy_ndimage():
    """The notebook's demo: a Sobel kernel with padding=1 on an 8x8 load_digits image is
    scipy.ndimage.sobel with zero borders (axis 1: left-right edges, axis 0: top-bottom)."""
    from scipy import ndimage
    from sklearn.datasets import load_digits
    image = load_digits().images[0] / 16.0
    sobel_x = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    kernel = np.stack([sobel_x, sobel_x.T], axis=-1)[:, :, None, :]
    maps = Torch.conv2d_forward(image[None, :, :, None], kernel, np.zeros(2), padding=1)[0]
    np.testing.assert_allclose(maps[:, :, 0], ndimage.sobel(image, axis=1, mode="constant"), atol=1e-12)
    np.testing.assert_allclose(maps[:, :, 1], ndimage.sobel(image, axis=0, mode="constant"), atol=1e-12)


# ---------------------------------------------------------------- max pooling
@st.composite
def pool_setups(draw, ties):
    pool, stride = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    N, C = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    H, W = draw(st.integers(pool, 8)), draw(st.integers(pool, 8))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    X = rng.integers(-1, 2, size=(N, H, W, C)).astype(float) if ties else rng.normal(size=(N, H, W, C))
    Ho, Wo = (H - pool) // stride + 1, (W - pool) // stride + 1
    return X, pool, stride, rng.normal(size=(N, Ho, Wo, C))


@settings(max_examples=25, deadline=None)
@given(setup=pool_setups(ties=True))
def test_both_frameworks_route_ties_to_the_first_maximum_in_row_major_order(setup):
    """The contract's rule, measured: values in {-1, 0, 1} tie in most windows, and windows
    overlap whenever stride < pool. No construction is needed: both frameworks follow it."""
    X, pool, stride, dOut = setup
    expected = pool_backward_first_max(dOut, X, pool, stride)
    np.testing.assert_allclose(Torch.maxpool2d_backward(dOut, X, pool, stride), expected, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(Keras.maxpool2d_backward(dOut, X, pool, stride), expected, rtol=1e-14, atol=1e-15)


@settings(max_examples=25, deadline=None)
@given(setup=pool_setups(ties=False))
def test_pooling_forward_agrees_with_the_window_maxima(setup):
    X, pool, stride, dOut = setup
    expected = np.zeros(dOut.shape)
    for n, i, j, c in np.ndindex(dOut.shape):
        expected[n, i, j, c] = X[n, i * stride:i * stride + pool, j * stride:j * stride + pool, c].max()
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    np.testing.assert_array_equal(Torch.maxpool2d_forward(X, pool, stride), expected)
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    np.testing.assert_array_equal(Keras.maxpool2d_forward(X, pool, stride), expected)


def test_all_ones_with_overlapping_windows_gives_the_measured_map():
    """The raw measurement of framework-conventions (pool 3, stride 1 on a 4x4 of ones)."""
    g = Torch.maxpool2d_backward(np.ones((1, 2, 2, 1)), np.ones((1, 4, 4, 1)), 3, 1)[0, :, :, 0]
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    np.testing.assert_array_equal(g, [[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])


# ---------------------------------------------------------------- what the grader says
def test_flipped_kernel_is_named_on_both_passes():
    fwd = '''
def conv2d_forward(X, W, b, stride=1, padding=0):
    W = W[::-1, ::-1]
    Xp = np.pad(X, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    kh, kw, _, C_out = W.shape
    Ho, Wo = (Xp.shape[1] - kh) // stride + 1, (Xp.shape[2] - kw) // stride + 1
    out = np.zeros((X.shape[0], Ho, Wo, C_out)) + b
    for a in range(kh):
        for c in range(kw):
            out += Xp[:, a:a + stride * (Ho - 1) + 1:stride, c:c + stride * (Wo - 1) + 1:stride, :] @ W[a, c]
    return out
'''
    scores, _ = grade_cells(LAB, solution_cells(LAB) + [fwd], functions={"conv2d_forward"})
    score, total, outputs = scores["conv2d_forward"]
    assert score < total and any("true convolution" in o for o in outputs)


def test_mean_bias_gradient_is_named():
    src = '''
_solution_backward = conv2d_backward
def conv2d_backward(dOut, X, W, stride=1, padding=0):
    dX, dW, db = _solution_backward(dOut, X, W, stride, padding)
    return dX, dW, dOut.mean(axis=(0, 1, 2))
'''
    scores, _ = grade_cells(LAB, solution_cells(LAB) + [src], functions={"conv2d_backward"})
    score, total, outputs = scores["conv2d_backward"]
    assert score < total and any("db is a mean" in o for o in outputs)


def test_tie_rules_lose_only_the_tie_check():
    src = '''
def maxpool2d_backward(dOut, X, pool=2, stride=2):
    N, Ho, Wo, C = dOut.shape
    dX = np.zeros_like(X)
    for n, i, j, c in np.ndindex(dOut.shape):
        win = X[n, i * stride:i * stride + pool, j * stride:j * stride + pool, c]
        a, e = np.argwhere(win == win.max())[-1]
        dX[n, i * stride + a, j * stride + e, c] += dOut[n, i, j, c]
    return dX
'''
    _, res = grade_cells(LAB, solution_cells(LAB) + [src], functions={"maxpool2d_backward"})
    failed = [r for r in res.results if not r.passed]
    assert [r.check.what for r in failed] == ["ties: the first maximum in row-major order"]
    assert "last maximum" in failed[0].output

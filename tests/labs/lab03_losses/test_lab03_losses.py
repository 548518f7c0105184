"""lab03_losses: the solution against both oracles over many shapes, the framework
differences the checks rely on (measured again here, so an upgrade that changes one shows
up), the clipping edge, and what the grader tells a student for the classic mistakes."""
from __future__ import annotations

import contextlib
import io
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from conftest import grade_cells, solution_cells
from nngrade.labs.lab03_losses.checks import NOT_CLIPPED
from reference.losses import EPS, NAMES, Keras, Torch

LAB = "lab03_losses"
ELEMENTWISE = ["mse", "mae", "huber", "binary_crossentropy", "binary_crossentropy_from_logits",
               "poisson", "msle", "hinge"]
CLASSWISE = ["categorical_crossentropy", "sparse_categorical_crossentropy",
             "softmax_crossentropy_from_logits", "kl_divergence"]


@pytest.fixture(scope="module")
def sol():
    """The solution notebook's functions, run in this process (plots off, prints swallowed)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    ns: dict = {}
    show, plt.show = plt.show, lambda *a, **k: None
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            for cell in solution_cells(LAB):
                exec(cell, ns)
    finally:
        plt.show = show
        plt.close("all")
    return ns


def inputs(name, rng, shape):
    """Plausible (y_true, prediction) for the loss `name`; `shape` is (N, K) for the classwise ones."""
    if name in ("mse", "mae", "huber"):
        y = rng.normal(0, 2, size=shape)
        return y, y + rng.normal(0, 1.5, size=shape)
    if name == "binary_crossentropy":
        return (rng.random(shape) < 0.5).astype(float), rng.uniform(0.01, 0.99, size=shape)
    if name == "binary_crossentropy_from_logits":
        return rng.random(shape).round(2), rng.normal(0, 4, size=shape)
    if name == "poisson":
        return rng.poisson(2.0, size=shape).astype(float), np.exp(rng.normal(size=shape))
    if name == "msle":
        return np.exp(rng.normal(size=shape)), np.exp(rng.normal(size=shape))
    if name == "hinge":
        return np.where(rng.random(shape) < 0.5, -1.0, 1.0), rng.normal(0, 1.5, size=shape)
    n, k = shape
    labels = rng.integers(0, k, size=n)
    if name == "categorical_crossentropy":
        return np.eye(k)[labels], rng.dirichlet(np.ones(k), size=n)
    if name == "sparse_categorical_crossentropy":
        return labels, rng.dirichlet(np.ones(k), size=n)
    if name == "softmax_crossentropy_from_logits":
        return np.eye(k)[labels], rng.normal(0, 3, size=(n, k))
    return rng.dirichlet(np.ones(k), size=n), rng.dirichlet(np.ones(k), size=n)


elementwise_shapes = st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple)
class_shapes = st.tuples(st.integers(1, 6), st.integers(2, 5))


def close(a, b, rtol=1e-10, atol=1e-13):
    return np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=rtol, atol=atol)


# ---------------------------------------------------------------- agreement over many shapes
@pytest.mark.parametrize("name", ELEMENTWISE)
@settings(max_examples=25, deadline=None)
@given(shape=elementwise_shapes, seed=st.integers(0, 2 ** 32 - 1))
def test_elementwise_losses_agree_with_torch_and_keras_on_any_shape(sol, name, shape, seed):
    y, p = inputs(name, np.random.default_rng(seed), shape)
    mine, torch_v, keras_v = sol[name](y, p), getattr(Torch, name)(y, p), getattr(Keras, name)(y, p)
    assert isinstance(torch_v, float) and close(mine, torch_v) and close(torch_v, keras_v)
    g = sol[name + "_grad"](y, p)
    assert g.shape == np.shape(p) and g.dtype == np.float64
    assert close(g, getattr(Torch, name + "_grad")(y, p)) and close(g, getattr(Keras, name + "_grad")(y, p))


@pytest.mark.parametrize("name", CLASSWISE)
@settings(max_examples=25, deadline=None)
@given(shape=class_shapes, seed=st.integers(0, 2 ** 32 - 1))
def test_classwise_losses_agree_with_torch_and_keras_values(sol, name, shape, seed):
    y, p = inputs(name, np.random.default_rng(seed), shape)
    assert close(sol[name](y, p), getattr(Torch, name)(y, p))
    assert close(getattr(Torch, name)(y, p), getattr(Keras, name)(y, p))
    g, gt = sol[name + "_grad"](y, p), getattr(Torch, name + "_grad")(y, p)
    assert g.shape == p.shape and close(g, gt)
    if name in ("softmax_crossentropy_from_logits", "kl_divergence"):
        assert close(gt, getattr(Keras, name + "_grad")(y, p))
    else:
        # Keras renormalises the rows: every component of its gradient is shifted by exactly 1/N
        assert close(getattr(Keras, name + "_grad")(y, p) - gt, np.full(p.shape, 1.0 / shape[0]), rtol=1e-8)


@pytest.mark.parametrize("name", NAMES)
def test_oracle_gradients_are_the_derivatives_of_the_oracle_losses(name):
    """Central differences of the PyTorch oracle's loss, away from clips and kinks."""
    rng = np.random.default_rng(7)
    y, p = inputs(name, rng, (3, 4))
    if name == "binary_crossentropy":
        p = np.clip(p, 0.05, 0.95)
    h, num = 1e-6, np.zeros_like(p)
    for idx in np.ndindex(p.shape):
        d = np.zeros_like(p)
        d[idx] = h
        num[idx] = (getattr(Torch, name)(y, p + d) - getattr(Torch, name)(y, p - d)) / (2 * h)
    assert np.allclose(getattr(Torch, name + "_grad")(y, p), num, atol=1e-7)


# ---------------------------------------------------------------- the clipping edge
def test_bce_at_p_0_and_1_is_finite_and_equal_to_keras_while_torch_builtin_clamps_at_100(sol):
    import torch
    y, p = np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.0, 1.0, 1.0, 0.0])
    # two clipped misses (p_c = eps, and 1 - p_c = 1 - (1 - eps), which is not eps in float64), two clipped hits
    expected = (-math.log(EPS) - math.log(1 - (1 - EPS)) - 2 * math.log(1 - EPS)) / 4
    with np.errstate(divide="raise", over="raise", invalid="raise"):
        mine = sol["binary_crossentropy"](y, p)
        g = sol["binary_crossentropy_grad"](y, p)
    assert abs(mine - expected) < 1e-12 and abs(Keras.binary_crossentropy(y, p) - expected) < 1e-12
    assert np.all(g == 0) and np.all(Keras.binary_crossentropy_grad(y, p) == 0)
    builtin = torch.nn.functional.binary_cross_entropy(torch.tensor(p), torch.tensor(y)).item()
    assert builtin == pytest.approx(50.0)                             # (100 + 0 + 0 + 100) / 4


def test_gradient_passes_at_eps_exactly_and_stops_beyond(sol):
    y, p = np.ones(4), np.array([EPS, 1 - EPS, EPS / 2, 1.0])
    g = sol["binary_crossentropy_grad"](y, p)
    assert g[0] == pytest.approx(-1 / EPS / 4) and g[1] == pytest.approx(-1 / (1 - EPS) / 4)
    assert g[2] == 0 and g[3] == 0
    assert close(Torch.binary_crossentropy_grad(y, p), g) and close(Keras.binary_crossentropy_grad(y, p), g)


def test_the_oracles_clip_passes_the_gradient_at_its_bounds_on_every_torch():
    """The contract's clip, whatever torch.clamp does at the bounds on the installed release
    (1 up to 2.14, 0 from 2.15): 1 at lo and hi and between, 0 beyond, clamp's values."""
    import torch
    from reference._frameworks import clip
    x = torch.tensor([0.1, 0.2, 0.5, 0.9, 0.95], dtype=torch.float64, requires_grad=True)
    y = clip(x, 0.2, 0.9)
    (g,) = torch.autograd.grad(y.sum(), x)
    assert g.tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]  # exact: a selection of 0 and 1
    assert torch.equal(y, torch.clamp(x, 0.2, 0.9))
    (g,) = torch.autograd.grad(clip(x, 0.5).sum(), x)
    assert g.tolist() == [0.0, 0.0, 1.0, 1.0, 1.0]  # exact: a selection of 0 and 1


def test_kl_with_zero_targets_follows_keras_not_torch_kl_div(sol):
    import torch
    y, p = np.array([[1.0, 0.0, 0.0]]), np.array([[0.5, 0.25, 0.25]])
    mine = sol["kl_divergence"](y, p)
    assert close(mine, Keras.kl_divergence(y, p))
    torch_kl = torch.nn.functional.kl_div(torch.log(torch.tensor(p)), torch.tensor(y), reduction="batchmean").item()
    assert torch_kl == pytest.approx(math.log(2)) and 1e-7 < torch_kl - mine < 1e-5     # 0 log 0 vs eps log(eps/p)


def test_from_logits_forms_are_exact_at_huge_logits(sol):
    z, y = np.array([[1000.0, -1000.0]]), np.array([[0.0, 1.0]])
    with np.errstate(divide="raise", over="raise", invalid="raise"):
        assert sol["binary_crossentropy_from_logits"](y, z) == pytest.approx(1000.0)
        assert sol["softmax_crossentropy_from_logits"](y, z) == pytest.approx(2000.0)
    assert Torch.softmax_crossentropy_from_logits(y, z) == pytest.approx(2000.0)


# ---------------------------------------------------------------- measured framework differences
def test_keras_msle_eps_is_float32_so_p_equal_to_eps_gets_no_gradient_there():
    assert float(np.float32(1e-7)) > 1e-7
    y, p = np.array([1.0, 1.0]), np.array([EPS, 0.5])
    assert Keras.msle_grad(y, p)[0] == 0 and Torch.msle_grad(y, p)[0] < 0


def test_keras_hinge_passes_the_gradient_at_the_kink_torch_does_not():
    y, s = np.array([1.0, -1.0]), np.array([1.0, -1.0])
    assert np.all(Torch.hinge_grad(y, s) == 0)
    assert close(Keras.hinge_grad(y, s), -y / 2)


def test_keras_sparse_cce_renormalises_after_clipping():
    y, p = np.array([0]), np.array([[0.5, 0.5, 0.0]])
    eps = 0.0625
    contract = -math.log(0.5)
    keras_v = -math.log(0.5 / (0.5 + 0.5 + eps))
    assert Torch.sparse_categorical_crossentropy(y, p, eps=eps) == pytest.approx(contract, abs=1e-14)
    assert Keras.sparse_categorical_crossentropy(y, p, eps=eps) == pytest.approx(keras_v, abs=1e-14)


# ---------------------------------------------------------------- what a student is told
def _replace(cells, source):
    return cells + [source]


def test_torch_style_bce_loses_the_edge_points_with_the_reason():
    src = '''
def binary_crossentropy(y_true, y_pred, eps=1e-7):
    with np.errstate(divide="ignore"):
        a, b = np.maximum(np.log(y_pred), -100.0), np.maximum(np.log(1 - y_pred), -100.0)
    return float(-np.mean(y_true * a + (1 - y_true) * b))
'''
    scores, _ = grade_cells(LAB, _replace(solution_cells(LAB), src), functions={"binary_crossentropy"})
    score, total, outputs = scores["binary_crossentropy"]
    assert 0 < score < total
    assert any(NOT_CLIPPED in o for o in outputs)


def test_the_notes_huber_formula_is_named():
    src = '''
def huber(y_true, y_pred, delta=1.0):
    e = y_pred - y_true
    return float(np.mean(np.where(np.abs(e) <= delta, e ** 2, delta * (np.abs(e) - 0.5 * delta))))
'''
    scores, _ = grade_cells(LAB, _replace(solution_cells(LAB), src), functions={"huber"})
    score, total, outputs = scores["huber"]
    assert score < total and any("notes' quadratic part" in o for o in outputs)


def test_a_numpy_float64_earns_full_points():
    src = '''
def mse(y_true, y_pred):
    return np.mean((np.asarray(y_pred) - y_true) ** 2)          # a NumPy float64, not a Python float
'''
    scores, _ = grade_cells(LAB, _replace(solution_cells(LAB), src), functions={"mse"})
    score, total, outputs = scores["mse"]
    assert score == total, outputs


def test_a_zero_d_array_earns_full_points():
    src = '''
def mae(y_true, y_pred):
    return np.array(np.mean(np.abs(np.asarray(y_pred) - y_true)))   # a 0-d array: float() accepts it
'''
    scores, _ = grade_cells(LAB, _replace(solution_cells(LAB), src), functions={"mae"})
    score, total, outputs = scores["mae"]
    assert score == total, outputs


def test_keras_style_cce_earns_the_value_points_but_not_the_unnormalised_rows():
    src = '''
def categorical_crossentropy(y_true, y_pred, eps=1e-7):
    p = y_pred / y_pred.sum(axis=-1, keepdims=True)
    return float(-np.mean(np.sum(y_true * np.log(np.clip(p, eps, 1 - eps)), axis=-1)))
'''
    _, res = grade_cells(LAB, _replace(solution_cells(LAB), src), functions={"categorical_crossentropy"})
    failed = {r.check.what for r in res.results if not r.passed}
    assert failed == {"rows that do not sum to 1 are used as given"}
    assert any("renormalised the rows" in r.output for r in res.results if not r.passed)

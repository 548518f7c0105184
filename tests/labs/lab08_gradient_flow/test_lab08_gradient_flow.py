"""lab08_gradient_flow: the oracles against each other and against central differences over
many architectures, sigmoid's 0.25 ceiling measured with PyTorch, the clipping contract
measured on TensorFlow and PyTorch (the 1e-6 that makes `differs` necessary), and what the
grader tells a student for in-place changes and per-tensor clipping."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from conftest import SEED, grade_cells, solution_cells
from reference.gradient_flow import Keras, Torch

LAB = "lab08_gradient_flow"


def network(rng, sizes, n, gain=1.5):
    X, Y = rng.normal(size=(n, sizes[0])), rng.normal(size=(n, sizes[-1]))
    params = [(rng.normal(0, gain / np.sqrt(a), size=(a, b)), rng.normal(0, 0.5, size=b))
              for a, b in zip(sizes[:-1], sizes[1:])]
    return X, Y, params


def mse(X, Y, params, hidden):
    act = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}[hidden]
    A = X
    for i, (W, b) in enumerate(params):
        A = A @ W + b
        if i < len(params) - 1:
            A = act(A)
    return np.mean((A - Y) ** 2)


def central_difference_norms(X, Y, params, hidden, h=1e-6):
    norms = []
    for W, _ in params:
        G = np.zeros_like(W)
        for idx in np.ndindex(W.shape):
            old = W[idx]
            W[idx] = old + h
            up = mse(X, Y, params, hidden)
            W[idx] = old - h
            down = mse(X, Y, params, hidden)
            W[idx] = old
            G[idx] = (up - down) / (2 * h)
        norms.append(np.linalg.norm(G))
    return np.array(norms)


architectures = st.lists(st.integers(1, 5), min_size=2, max_size=6)


# ---------------------------------------------------------------- layer_gradient_norms
@settings(max_examples=25, deadline=None)
@given(sizes=architectures, n=st.integers(1, 6), hidden=st.sampled_from(["sigmoid", "tanh", "relu"]),
       seed=st.integers(0, 2 ** 32 - 1))
def test_torch_and_keras_norms_agree_on_any_architecture(sizes, n, hidden, seed):
    X, Y, params = network(np.random.default_rng(seed), sizes, n)
    t, k = Torch.layer_gradient_norms(X, Y, params, hidden), Keras.layer_gradient_norms(X, Y, params, hidden)
    assert t.shape == (len(sizes) - 1,) and t.dtype == np.float64
    np.testing.assert_allclose(k, t, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu"])
def test_oracle_norms_are_the_norms_of_the_central_difference_gradients(hidden):
    X, Y, params = network(np.random.default_rng([SEED, 8]), [3, 4, 4, 2], 5)
    np.testing.assert_allclose(Torch.layer_gradient_norms(X, Y, params, hidden),
                               central_difference_norms(X, Y, params, hidden), rtol=1e-6)


def test_the_loss_is_the_mean_over_all_elements_not_over_the_batch():
    """Doubling K by duplicating every output column leaves the loss, and the norms of the
    hidden layers, unchanged only for the mean over N*K."""
    X, Y, params = network(np.random.default_rng([SEED, 9]), [3, 4, 2], 4)
    W2, b2 = params[1]
    doubled = [params[0], (np.hstack([W2, W2]), np.concatenate([b2, b2]))]
    np.testing.assert_allclose(Torch.layer_gradient_norms(X, np.hstack([Y, Y]), doubled)[0],
                               Torch.layer_gradient_norms(X, Y, params)[0], rtol=1e-12)


def test_sigmoid_chain_stays_under_the_quarter_per_layer_ceiling():
    """The notes' chain of single sigmoid units with weights 1: |dL/dw_l| = o_{l-1} |delta_l|
    <= 0.25^(L-l) |delta_L|, because sigma' <= 0.25 and 0 < o < 1."""
    L = 10
    chain = [(np.ones((1, 1)), np.zeros(1)) for _ in range(L)]
    x, y = np.array([[1.0]]), np.array([[0.0]])
    o = 1.0
    for _ in range(L - 1):
        o = 1 / (1 + np.exp(-o))
    delta_L = 2 * abs(o - 0.0)          # the output is linear: y_hat = o_{L-1} * 1 + 0
    norms = Torch.layer_gradient_norms(x, y, chain, "sigmoid")
    ceiling = delta_L * 0.25 ** np.arange(L - 1, -1, -1.0)
    assert np.all(norms <= ceiling)
    assert norms[0] / norms[-1] < 0.25 ** (L - 1)
    tanh = Torch.layer_gradient_norms(x, y, chain, "tanh")
    assert tanh[0] / tanh[-1] > 1e3 * norms[0] / norms[-1]


def test_relu_at_exactly_zero_has_derivative_zero_in_both_frameworks():
    X, Y, params = network(np.random.default_rng([SEED, 10]), [3, 4, 2], 5)
    params[0][0][:, :] = 0.0
    params[0][1][:] = 0.0              # every hidden pre-activation is exactly 0
    t, k = Torch.layer_gradient_norms(X, Y, params, "relu"), Keras.layer_gradient_norms(X, Y, params, "relu")
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    assert t[0] == 0.0 and k[0] == 0.0 and t[1] == 0.0


# ---------------------------------------------------------------- clipping: the frameworks
@settings(max_examples=25, deadline=None)
@given(shapes=st.lists(st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple), min_size=1, max_size=4),
       scale=st.sampled_from([1e-3, 0.1, 1.0, 30.0]), ratio=st.floats(0.05, 3.0), seed=st.integers(0, 2 ** 32 - 1))
def test_tensorflow_computes_the_contract_formula_exactly(shapes, scale, ratio, seed):
    rng = np.random.default_rng(seed)
    grads = [rng.normal(0, scale, size=s) for s in shapes]
    norm = np.sqrt(sum(np.sum(g * g) for g in grads))
    max_norm = float(norm * ratio)
    clipped, got_norm = Keras.clip_by_global_norm(grads, max_norm)
    assert got_norm == pytest.approx(norm, rel=1e-14)
    for c, g in zip(clipped, grads):
        np.testing.assert_allclose(c, g * max_norm / max(norm, max_norm), rtol=1e-14, atol=0)
        np.testing.assert_allclose(Keras.clip_by_norm(g, max_norm),
                                   g * max_norm / max(np.linalg.norm(g), max_norm), rtol=1e-14, atol=0)


def test_torch_clip_grad_norm_adds_1e_6_to_the_norm():
    """The difference the checks mark with `differs`: measurable at their tolerance (1e-12)."""
    rng = np.random.default_rng([SEED, 11])
    grads = [rng.normal(0, 0.01, size=(3, 4)), rng.normal(0, 0.01, size=4)]
    norm = np.sqrt(sum(np.sum(g * g) for g in grads))
    clipped, total = Torch.clip_by_global_norm(grads, norm / 2)
    assert total == pytest.approx(norm, rel=1e-14)
    for c, g in zip(clipped, grads):
        np.testing.assert_allclose(c, g * (norm / 2) / (norm + 1e-6), rtol=1e-14)
        assert np.max(np.abs(c / (g * 0.5) - 1)) > 1e-6       # vs the contract's exact half
    # below max_norm the factor is capped at 1: no difference there
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    np.testing.assert_array_equal(Torch.clip_by_norm(grads[0], 10.0), grads[0])
    # at exactly max_norm torch still scales by max_norm / (max_norm + 1e-6)
    g = np.array([3.0, 4.0])
    assert Torch.clip_by_norm(g, 5.0)[0] < 3.0
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    assert Keras.clip_by_norm(g, 5.0)[0] == 3.0


def test_zero_gradients_stay_zero_in_both_frameworks():
    z = [np.zeros((2, 3)), np.zeros(3)]
    for clipped, norm in (Torch.clip_by_global_norm(z, 1.0), Keras.clip_by_global_norm(z, 1.0)):
        # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
        assert norm == 0.0 and all(np.array_equal(c, np.zeros_like(c)) for c in clipped)


# ---------------------------------------------------------------- what the grader says
def _replace(cells, source):
    return cells + [source]


def test_returning_g_itself_loses_only_the_types_check():
    """Returning a new array is the call's contract: the types check owns it (`Check.owns_contract`),
    and the value checks compare the values returned."""
    src = '''
def clip_by_norm(g, max_norm):
    norm = np.sqrt(np.sum(g * g))
    return g if norm <= max_norm else g * (max_norm / norm)
'''
    _, res = grade_cells(LAB, _replace(solution_cells(LAB), src), functions={"clip_by_norm"})
    failed = [r for r in res.results if not r.passed]
    assert [r.check.what for r in failed] == ["types and shapes (a new float64 array shaped as g)"]
    assert "returned g itself" in failed[0].output


def test_in_place_scaling_of_grads_is_named_and_costs_the_types_check():
    src = '''
def clip_by_global_norm(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    for g in grads:
        g *= max_norm / max(norm, max_norm)
    return [g.copy() for g in grads], norm
'''
    _, res = grade_cells(LAB, _replace(solution_cells(LAB), src), functions={"clip_by_global_norm"})
    failed = [r for r in res.results if not r.passed]
    assert [r.check.what for r in failed] == ["types and structure (a list of new arrays, a float)"]
    assert "modified grads[0] in place" in failed[0].output


def test_per_tensor_clipping_is_diagnosed():
    src = '''
def clip_by_global_norm(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    return [g * (max_norm / max(np.linalg.norm(g), max_norm)) for g in grads], norm
'''
    scores, res = grade_cells(LAB, _replace(solution_cells(LAB), src), functions={"clip_by_global_norm"})
    score, total, outputs = scores["clip_by_global_norm"]
    assert score < total
    per_tensor = [r for r in res.results if r.check.what == "global, not per-array clipping"][0]
    assert not per_tensor.passed and "per-tensor clipping" in per_tensor.output


def test_torch_style_epsilon_is_named_and_torch_is_only_a_note_for_the_solution():
    src = '''
def clip_by_norm(g, max_norm):
    norm = np.sqrt(np.sum(g * g))
    return g * min(1.0, max_norm / (norm + 1e-6))
'''
    scores, res = grade_cells(LAB, _replace(solution_cells(LAB), src), functions={"clip_by_norm"})
    assert scores["clip_by_norm"][0] < scores["clip_by_norm"][1]
    assert any("you added 1e-6" in o for o in scores["clip_by_norm"][2])
    _, res = grade_cells(LAB, solution_cells(LAB), functions={"clip_by_norm"})
    assert all(r.passed for r in res.results)
    assert any("clip_grad_norm_" in n for r in res.results for n in r.differs)

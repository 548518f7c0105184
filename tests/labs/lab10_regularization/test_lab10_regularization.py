"""lab10_regularization: the oracles against finite differences and against each other, the
measured PyTorch/Keras differences the lab teaches, the mask's distribution test, and the
feedback on a forward pass that returns the wrong structure.

Expected values come from PyTorch, Keras or central differences at test time, never from the
solution. The mutants (tests/labs/lab10_regularization/mutants.py) are run by tests/test_mutants.py.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import grade_cells, solution_cells
from nngrade.labs.lab10_regularization.checks import mask_problem
from reference.regularization import Keras, Mistakes, Torch
from reference._frameworks import keras, torch

LAB = "lab10_regularization"


def central_difference(f, X, dOut, h=1e-6):
    """The gradient of sum(dOut * f(X)) in X, by central differences."""
    g = np.zeros_like(X)
    for i in np.ndindex(X.shape):
        E = np.zeros_like(X)
        E[i] = h
        g[i] = (np.sum(dOut * f(X + E)) - np.sum(dOut * f(X - E))) / (2 * h)
    return g


@pytest.mark.parametrize("shape", [(5, 3), (2, 3, 4)])
def test_normalisation_backward_oracles_are_the_derivative_of_the_forward_oracles(shape):
    """Autograd through F.batch_norm (training) and F.layer_norm equals central differences of the
    forward oracles, for X, gamma and beta; Keras's GradientTape gives the same."""
    rng = np.random.default_rng(1)
    X, dOut = rng.normal(1.0, 2.0, size=shape), rng.normal(size=shape)
    d = shape[-1]
    gamma, beta, eps = rng.normal(1, 0.5, size=d), rng.normal(size=d), 1e-3
    pairs = [(lambda X, g, b: Torch.layernorm_forward(X, g, b, eps)[0], Torch.layernorm_backward,
              Keras.layernorm_backward)]
    if len(shape) == 2:
        pairs.append((lambda X, g, b: Torch.batchnorm_forward(X, g, b, np.zeros(d), np.ones(d), 0.1, eps)[0],
                      Torch.batchnorm_backward, Keras.batchnorm_backward))
    for forward, backward, keras_backward in pairs:
        dX, dg, db = backward(dOut, (X, gamma, eps))
        assert np.allclose(dX, central_difference(lambda x: forward(x, gamma, beta), X, dOut), rtol=1e-6, atol=1e-7)
        assert np.allclose(dg, central_difference(lambda g: forward(X, g, beta), gamma, dOut), rtol=1e-6, atol=1e-7)
        assert np.allclose(db, central_difference(lambda b: forward(X, gamma, b), beta, dOut), rtol=1e-6, atol=1e-7)
        for a, b in zip(keras_backward(dOut, (X, gamma, eps)), (dX, dg, db)):
            assert np.allclose(a, b, rtol=1e-9, atol=1e-11)


def test_dropout_oracles_are_torchs_dropout_with_its_own_mask():
    """F.dropout draws a mask and scales by 1 / (1 - p): the oracles, given that mask, return
    F.dropout's output and the gradient autograd takes through it."""
    t = torch()
    t.manual_seed(0)
    x = t.tensor(np.random.default_rng(2).normal(size=(6, 7)), requires_grad=True)
    p = 0.3
    y = t.nn.functional.dropout(x, p=p, training=True)
    mask = (y != 0).double().numpy()
    dOut = np.random.default_rng(3).normal(size=(6, 7))
    (dx,) = t.autograd.grad(y, x, grad_outputs=t.tensor(dOut))
    X = x.detach().numpy()
    for oracle in (Torch, Keras):
        assert np.allclose(oracle.dropout_forward(X, p, mask), y.detach().numpy(), rtol=1e-15, atol=0)
        assert np.allclose(oracle.dropout_backward(dOut, mask, p), dx.numpy(), rtol=1e-15, atol=0)


def test_keras_batch_norm_matches_torch_but_for_its_biased_running_variance():
    """The conventions the lab teaches, measured: with momentum 1 - m and epsilon = eps, Keras's
    output and moving mean are torch's; its moving variance takes the batch's biased variance, so
    its batch share is (N - 1) / N of torch's, which the `biased running variance` mistake
    computes with torch alone."""
    rng = np.random.default_rng(4)
    n, d, m, eps = 5, 3, 0.1, 1e-5
    X, gamma, beta = rng.normal(2, 3, size=(n, d)), rng.normal(size=d), rng.normal(size=d)
    rm, rv = rng.normal(size=d), rng.uniform(0.5, 2, size=d)
    t_out, t_rm, t_rv, _ = Torch.batchnorm_forward(X, gamma, beta, rm, rv, m, eps, True)
    k_out, k_rm, k_rv, _ = Keras.batchnorm_forward(X, gamma, beta, rm, rv, m, eps, True)
    assert np.allclose(k_out, t_out, rtol=1e-12, atol=1e-13) and np.allclose(k_rm, t_rm, rtol=1e-12, atol=1e-13)
    assert np.allclose(k_rv - (1 - m) * rv, (n - 1) / n * (t_rv - (1 - m) * rv), rtol=1e-12)
    assert np.allclose(Mistakes.batchnorm_biased_running_var(X, rv, m), k_rv, rtol=1e-12)
    # eval mode: the running statistics normalise and are returned unchanged, on both sides
    for out in (Torch.batchnorm_forward(X, gamma, beta, rm, rv, m, eps, False),
                Keras.batchnorm_forward(X, gamma, beta, rm, rv, m, eps, False)):
        assert np.allclose(out[0], gamma * (X - rm) / np.sqrt(rv + eps) + beta, rtol=1e-12)
        # exact: unchanged statistics are copies, not computed
        assert np.array_equal(out[1], rm) and np.array_equal(out[2], rv)


def test_keras_layer_defaults_are_the_ones_the_lab_states():
    """The notebook's table: Keras's BatchNormalization defaults to momentum 0.99 and epsilon 1e-3,
    LayerNormalization to epsilon 1e-3; torch's batch_norm to momentum 0.1 and eps 1e-5."""
    import inspect
    K = keras()
    # exact: the frameworks' default arguments, compared with the literals the notebook states
    assert (K.layers.BatchNormalization().momentum, K.layers.BatchNormalization().epsilon) == (0.99, 1e-3)
    assert K.layers.LayerNormalization().epsilon == 1e-3  # exact: a default argument
    params = inspect.signature(torch().nn.functional.batch_norm).parameters
    # exact: default arguments
    assert (params["momentum"].default, params["eps"].default) == (0.1, 1e-5)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=14), st.integers(0, 4), st.sampled_from([0, 1, 3]))
def test_the_documented_rule_is_what_keras_early_stopping_decides(losses, patience, delta):
    """The plain-Python rule (the second oracle) and Keras's callback agree on every curve, ties
    and min_delta included (multiples of 1/8: exact in any float type)."""
    losses = [v / 8 for v in losses]
    assert Torch.early_stopping(losses, patience, delta / 8) == Keras.early_stopping(losses, patience, delta / 8)


def test_early_stopping_facts_the_notebook_states():
    """Keras's callback: patience 0 stops like patience 1; an equal loss is no improvement; with
    min_delta the best epoch is the last improvement, not the smallest loss; never stopping
    returns the last epoch."""
    k = Keras.early_stopping
    curve = [1.0, 1.25, 0.5, 0.5, 0.75, 0.625, 1.0]
    assert k(curve, 0) == k(curve, 1) == (1, 0)
    assert k([0.75, 0.75, 0.75, 0.5], 2) == (2, 0)
    assert k([1.0, 0.9375, 0.875, 0.5], 2, 0.125) == (2, 0)
    assert k([1.0, 0.75, 0.5], 1) == (2, 2)


def _torch_masks(shape, p, seed):
    t = torch()
    t.manual_seed(seed)
    return (t.nn.functional.dropout(t.ones(shape, dtype=t.float64), p=p, training=True) != 0).double().numpy()


@pytest.mark.parametrize("p", [0.2, 0.7])
def test_the_mask_test_accepts_torchs_masks_and_rejects_the_usual_wrong_ones(p):
    """torch's own dropout masks pass (20 seeds); p taken as the keep probability, a mask repeated
    along the batch, a scaled mask, one drawn for half the entries only, and a 2% shift of the keep
    rate fail, each with its sentence."""
    shape, spec = (400, 250), {"family": "bernoulli", "shape": (400, 250), "keep": 1 - p}
    for seed in range(20):
        assert mask_problem(_torch_masks(shape, p, seed), spec) is None
    right = _torch_masks(shape, p, 99)
    assert "p is the DROP probability" in mask_problem(_torch_masks(shape, 1 - p, 1), spec)
    assert "every row of the mask is the same" in mask_problem(np.broadcast_to(right[:1], shape).copy(), spec)
    assert "belongs to dropout_forward" in mask_problem(right / (1 - p), spec)
    pairs = right.copy()
    pairs[1::2] = pairs[0::2]       # rows 2k and 2k + 1 equal: neighbours dependent, the rate right
    assert "neighbours along the first axis" in mask_problem(pairs, spec)
    shifted = _torch_masks(shape, p - 0.02, 2)
    assert "the fraction of entries kept" in mask_problem(shifted, spec)


def test_a_forward_pass_without_the_cache_is_told_what_to_return():
    wrong = ("def batchnorm_forward(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5, training=True):\n"
             "    mean, var = X.mean(axis=0), X.var(axis=0)\n"
             "    return gamma * (X - mean) / np.sqrt(var + eps) + beta, running_mean, running_var\n")
    graded, _ = grade_cells(LAB, solution_cells(LAB) + [wrong], functions={"batchnorm_forward"})
    score, top, outputs = graded["batchnorm_forward"]
    assert score == 0 and "must return a tuple (out, new_running_mean, new_running_var, cache)" in "\n".join(outputs)

"""lab01_neurons: truth tables, the perceptron rule replayed in PyTorch and Keras, XOR.

Expected values come from boolean logic, from the notes (OR with w0 = -1, w1 = w2 = 1.1; AND
as g(-30 + 20 x1 + 20 x2)), from a hand trace of the rule, or from the oracles at test time.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nngrade.labs.lab01_neurons import checks
from reference.neurons import TRUTH_INPUTS, Keras, Torch
from conftest import grade_cells, solution_cells, solution_namespace  # tests/conftest.py

LAB = "lab01_neurons"
TABLES = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "nand": [1, 1, 1, 0], "nor": [1, 0, 0, 0], "not": [1, 0]}
X2 = TRUTH_INPUTS[2]


@pytest.fixture(scope="module")
def sol():
    """The solution notebook's definitions, run in this process."""
    return solution_namespace(LAB)


@pytest.mark.parametrize("gate", sorted(TABLES))
def test_gate_oracles_are_the_truth_tables(gate):
    assert Torch.gate_params(gate).tolist() == TABLES[gate]
    assert Keras.gate_params(gate).tolist() == TABLES[gate]


@pytest.mark.parametrize("gate", sorted(TABLES))
def test_solution_gates_through_both_frameworks(sol, gate):
    w, b = sol["gate_params"](gate)
    X = TRUTH_INPUTS[len(TABLES[gate]) // 2]
    assert Torch.perceptron_forward(X, w, b).tolist() == TABLES[gate]
    assert Keras.perceptron_forward(X, w, b).tolist() == TABLES[gate]


def test_notes_or_solution_and_the_boundary():
    # the notes' OR: w0 = -1, w1 = w2 = 1.1; and a unit with z = 0 exactly fires
    assert Torch.perceptron(X2, np.array([1.1, 1.1]), -1.0).tolist() == [0, 1, 1, 1]
    assert Keras.perceptron(X2, np.array([1.1, 1.1]), -1.0).tolist() == [0, 1, 1, 1]
    assert Torch.perceptron(X2, np.array([1.0, 1.0]), -2.0).tolist() == [0, 0, 0, 1]
    assert Keras.perceptron(X2, np.array([1.0, 1.0]), -2.0).tolist() == [0, 0, 0, 1]


def test_mp_neuron_gates():
    assert Torch.mp_neuron(X2.astype(int), 2).tolist() == TABLES["and"]
    assert Keras.mp_neuron(X2.astype(int), 1).tolist() == TABLES["or"]
    assert Torch.mp_neuron(X2.astype(int), 0).tolist() == [1, 1, 1, 1]
    assert Keras.mp_neuron(X2.astype(int), 3).tolist() == [0, 0, 0, 0]


def test_notes_sigmoid_and_or_weights():
    g = lambda z: 1.0 / (1.0 + math.exp(-z))
    expected_and = [g(-30), g(-10), g(-10), g(10)]
    expected_or = [g(-10), g(10), g(10), g(30)]
    for oracle in (Torch, Keras):
        np.testing.assert_allclose(oracle.sigmoid_neuron(X2, np.array([20.0, 20.0]), -30.0), expected_and, rtol=1e-12)
        np.testing.assert_allclose(oracle.sigmoid_neuron(X2, np.array([20.0, 20.0]), -10.0), expected_or, rtol=1e-12)


# the rule on AND from zeros with lr = 1, traced by hand: (w1, w2, b) after each epoch; the
# sixth epoch has no mistake, so the rule stops there
AND_TRACE = [((1, 1), 0), ((2, 1), -1), ((2, 1), -2), ((2, 2), -2), ((2, 1), -3), ((2, 1), -3), ((2, 1), -3)]


@pytest.mark.parametrize("oracle", [Torch, Keras], ids=["torch", "keras"])
def test_rule_on_and_matches_the_hand_trace(oracle):
    got = oracle.perceptron_fit_by_epoch(X2, np.array(TABLES["and"]), 1.0, len(AND_TRACE))
    assert [(w.tolist(), b) for w, b in got] == [(list(map(float, w)), float(b)) for w, b in AND_TRACE]
    w, b = oracle.perceptron_fit(X2, np.array(TABLES["and"]))
    assert (w.tolist(), b) == ([2.0, 1.0], -3.0)  # exact: perceptron updates of small integers


def test_rule_on_xor_never_converges():
    y = np.array([0, 1, 1, 0])
    for oracle in (Torch, Keras):
        snaps = oracle.perceptron_fit_by_epoch(X2, y, 1.0, 12)
        assert all(np.any(Torch.perceptron(X2, w, b) != y) for w, b in snaps)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2 ** 31 - 1), n=st.integers(4, 12), d=st.integers(1, 3),
       lr=st.sampled_from([1.0, 0.5, 0.25, 2.0]))
def test_rule_torch_keras_and_solution_agree_after_every_epoch(sol, seed, n, d, lr):
    rng = np.random.default_rng(seed)
    X, y, k = checks._separable(rng, n, d, min_epochs=1, max_epochs=10)
    t = Torch.perceptron_fit_by_epoch(X, y, lr, k + 1)
    ks = Keras.perceptron_fit_by_epoch(X, y, lr, k + 1)
    for epoch, ((wt, bt), (wk, bk)) in enumerate(zip(t, ks), 1):
        ws, bs = sol["perceptron_fit"](X, y, lr=lr, epochs=epoch)
        # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
        assert np.array_equal(wt, wk) and bt == bk
        # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
        assert np.array_equal(wt, ws) and bt == bs
    w, b = t[-1]
    assert Torch.perceptron(X, w, b).tolist() == y.tolist()      # the convergence theorem


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2 ** 31 - 1), n=st.integers(1, 20), d=st.integers(1, 6))
def test_units_torch_keras_agree(seed, n, d):
    rng = np.random.default_rng(seed)
    Xb = rng.integers(0, 2, size=(n, d))
    theta = int(rng.integers(0, d + 2))
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    assert np.array_equal(Torch.mp_neuron(Xb, theta), Keras.mp_neuron(Xb, theta))
    Xi = rng.integers(-3, 4, size=(n, d)).astype(float)       # exact: ties at z = 0 agree too
    w, b = rng.integers(-2, 3, size=d) / 2.0, float(rng.integers(-2, 3))
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    assert np.array_equal(Torch.perceptron(Xi, w, b), Keras.perceptron(Xi, w, b))
    Xr = rng.normal(0, 3, size=(n, d))
    np.testing.assert_allclose(Torch.sigmoid_neuron(Xr, w, b), Keras.sigmoid_neuron(Xr, w, b), rtol=1e-13, atol=1e-300)


def test_xor_by_or_nand_and():
    # XOR = AND(OR, NAND): hidden units OR and NAND, output AND
    W1, b1 = np.array([[1.0, -1.0], [1.0, -1.0]]), np.array([-0.5, 1.5])
    W2, b2 = np.array([[1.0], [1.0]]), np.array([-1.5])
    assert Torch.xor_forward(X2, W1, b1, W2, b2).tolist() == [0, 1, 1, 0]
    assert Keras.xor_forward(X2, W1, b1, W2, b2).tolist() == [0, 1, 1, 0]
    assert Torch.xor_network().tolist() == Keras.xor_network().tolist() == [0, 1, 1, 0]


def test_weights_graded_in_the_grader_by_forward_pass():
    """Integer weights and the notes' OR earn everything; a gate on the boundary loses its
    point with the z = 0 diagnosis; a network whose output sits on z = 0 loses XOR."""
    cells = ["import numpy as np",
             "def gate_params(name):\n"
             "    t = {'and': (np.array([1, 1]), -1.5), 'or': (np.array([1.1, 1.1]), -1.0),\n"
             "         'nand': (np.array([-2, -2]), 3), 'nor': (np.array([-1.0, -1.0]), 0.5),\n"
             "         'not': (np.array([-1.0]), 1.0)}\n"
             "    return t[name]\n",
             "def xor_network():\n"
             "    return (np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([-0.5, -1.5]),\n"
             "            np.array([[1.0], [-1.0]]), np.array([0.0]))\n"]
    scores, _ = grade_cells(LAB, cells, functions={"gate_params", "xor_network"})
    score, max_score, outputs = scores["gate_params"]
    assert (score, max_score) == (5.0, 6.0)  # exact: points
    text = "\n".join(outputs)
    assert "gate_params: not" in text and "a step unit fires at z = 0" in text
    score, max_score, outputs = scores["xor_network"]
    assert (score, max_score) == (1.0, 3.0)  # exact: points
    assert "XOR is [0, 1, 1, 0]" in "\n".join(outputs)

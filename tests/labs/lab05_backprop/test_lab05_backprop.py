"""lab05_backprop: the notes' worked table, the solution against torch and Keras on random
networks, the gradient checker on the solution's own MLP, and the drivers' messages.

Expected values come from the course notes (typed in below) or from PyTorch / Keras at test
time, never from the solution.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nngrade.drivers import TEST_FUNCTIONS
from reference.backprop import Keras, Torch
from reference._frameworks import optim_step, tensor, torch
from conftest import grade_cells, plan_for, solution_cells, solution_namespace  # tests/conftest.py

LAB = "lab05_backprop"

# The notes' one-step example (000_*.txt, "Back Propagation Algorithm: Simple MLP Example"),
# units 1-3 input, 4-5 hidden, 6 output; x = (1, 0, 1), target 1, learning rate 0.9.
NOTES_START = {"w14": 0.2, "w15": -0.3, "w24": 0.4, "w25": 0.1, "w34": -0.5, "w35": 0.2,
               "w46": -0.3, "w56": -0.2, "theta4": -0.4, "theta5": 0.2, "theta6": 0.1}
NOTES_OUTPUTS = {"O4": 0.332, "O5": 0.525, "O6": 0.474}
NOTES_ERRORS = {"Err6": 0.1311, "Err5": -0.0065, "Err4": -0.0087}
NOTES_NEW = {"w46": -0.261, "w56": -0.138, "w14": 0.192, "w15": -0.306, "w24": 0.4, "w25": 0.1,
             "w34": -0.508, "w35": 0.194, "theta6": 0.218, "theta5": 0.194, "theta4": -0.408}


def _notes_arrays():
    s = NOTES_START
    W1 = np.array([[s["w14"], s["w15"]], [s["w24"], s["w25"]], [s["w34"], s["w35"]]])
    return (np.array([1.0, 0.0, 1.0]), np.array([1.0]), W1, np.array([s["theta4"], s["theta5"]]),
            np.array([[s["w46"]], [s["w56"]]]), np.array([s["theta6"]]), 0.9)


def _named(W1, b1, W2, b2):
    return {"w14": W1[0, 0], "w15": W1[0, 1], "w24": W1[1, 0], "w25": W1[1, 1], "w34": W1[2, 0],
            "w35": W1[2, 1], "w46": W2[0, 0], "w56": W2[1, 0], "theta4": b1[0], "theta5": b1[1],
            "theta6": b2[0]}


@pytest.fixture(scope="module")
def sol():
    """The solution notebook's definitions, run in this process."""
    return solution_namespace(LAB)


def _torch_sgd_step(x, t, W1, b1, W2, b2, lr):
    """One torch.optim.SGD step on 0.5 * sum (t - o)^2, written here independently of reference/."""
    T = torch()
    l1, l2 = T.nn.Linear(*W1.shape, dtype=T.float64), T.nn.Linear(*W2.shape, dtype=T.float64)
    with T.no_grad():
        l1.weight.copy_(tensor(W1.T)), l1.bias.copy_(tensor(b1))
        l2.weight.copy_(tensor(W2.T)), l2.bias.copy_(tensor(b2))
    opt = T.optim.SGD(list(l1.parameters()) + list(l2.parameters()), lr=lr)
    o = T.sigmoid(l2(T.sigmoid(l1(tensor(x)))))
    (0.5 * ((tensor(t) - o) ** 2).sum()).backward()
    optim_step(opt)    # opt.step() itself would import torch._dynamo: see test_labs.py
    return [p.detach().numpy().T.copy() if p.ndim == 2 else p.detach().numpy().copy()
            for p in (l1.weight, l1.bias, l2.weight, l2.bias)]


# --- the notes' table ----------------------------------------------------------------------

def test_textbook_forward_pass_matches_the_notes():
    x, _, W1, b1, W2, b2, _ = _notes_arrays()
    T = torch()
    o_hidden = T.sigmoid(tensor(x) @ tensor(W1) + tensor(b1))
    o_out = T.sigmoid(o_hidden @ tensor(W2) + tensor(b2))
    got = {"O4": float(o_hidden[0]), "O5": float(o_hidden[1]), "O6": float(o_out[0])}
    for name, printed in NOTES_OUTPUTS.items():
        assert got[name] == pytest.approx(printed, abs=5e-4), name


@pytest.mark.parametrize("who", ["torch", "keras", "solution"])
def test_textbook_table_is_reproduced(who, sol):
    args = _notes_arrays()
    fn = {"torch": Torch.sigmoid_net_update, "keras": Keras.sigmoid_net_update,
          "solution": sol["sigmoid_net_update"]}[who]
    new = _named(*fn(*args))
    for name, printed in NOTES_NEW.items():
        assert new[name] == pytest.approx(printed, abs=5e-4), f"{who}: {name}"
    # the error terms, read back from the biases: Err_j = (theta_j new - theta_j) / lr
    errors = {"Err6": (new["theta6"] - NOTES_START["theta6"]) / 0.9,
              "Err5": (new["theta5"] - NOTES_START["theta5"]) / 0.9,
              "Err4": (new["theta4"] - NOTES_START["theta4"]) / 0.9}
    for name, printed in NOTES_ERRORS.items():
        assert errors[name] == pytest.approx(printed, abs=1e-4), f"{who}: {name}"
    assert errors["Err6"] == pytest.approx(0.13117, abs=5e-6)   # the contract's unrounded value


def test_textbook_step_is_one_torch_sgd_step(sol):
    args = _notes_arrays()
    for mine, ref in zip(sol["sigmoid_net_update"](*args), _torch_sgd_step(*args)):
        np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-15)


# --- sigmoid_net_update on random networks -------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(d=st.integers(1, 6), h=st.integers(1, 6), k=st.integers(1, 4),
       lr=st.sampled_from([0.05, 0.5, 0.9, 1.0, 3.0]), seed=st.integers(0, 2 ** 32 - 1))
def test_sigmoid_net_update_equals_torch_sgd_and_keras(sol, d, h, k, lr, seed):
    rng = np.random.default_rng(seed)
    args = (rng.normal(size=d), rng.uniform(0, 1, size=k), rng.normal(size=(d, h)), rng.normal(size=h),
            rng.normal(size=(h, k)), rng.normal(size=k), lr)
    before = [np.copy(a) for a in args[:6]]
    mine = sol["sigmoid_net_update"](*args)
    for a, b in zip(args[:6], before):
        # exact: an input left alone is the same bits
        assert np.array_equal(a, b), "an input was modified"
    for new, old in zip(mine, args[2:6]):
        assert not np.shares_memory(new, old), "returned an input array instead of a new one"
    for m, t_, k_ in zip(mine, _torch_sgd_step(*args), Keras.sigmoid_net_update(*args)):
        np.testing.assert_allclose(m, t_, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(k_, t_, rtol=1e-12, atol=1e-14)


# --- dense layers and the MLP against torch and Keras ----------------------------------------

def _mlp(rng, sizes, scale=1.0):
    return [(rng.normal(0, scale / np.sqrt(a), size=(a, b)), rng.normal(0, 0.5, size=b))
            for a, b in zip(sizes[:-1], sizes[1:])]


def _allclose_nested(a, b, rtol=1e-10, atol=1e-12):
    if isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _allclose_nested(x, y, rtol, atol)
    elif a is not None and b is not None:
        np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=rtol, atol=atol)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 7), d=st.integers(1, 6), m=st.integers(1, 6), seed=st.integers(0, 2 ** 32 - 1))
def test_dense_layer_matches_torch_and_keras(sol, n, d, m, seed):
    rng = np.random.default_rng(seed)
    X, W, b, dZ = rng.normal(size=(n, d)), rng.normal(size=(d, m)), rng.normal(size=m), rng.normal(size=(n, m))
    z = Torch.dense_forward(X, W, b)
    _allclose_nested(Keras.dense_forward(X, W, b), z)
    _allclose_nested(sol["dense_forward"](X, W, b), z)
    grads = Torch.dense_backward(dZ, X, W)
    _allclose_nested(Keras.dense_backward(dZ, X, W), grads)
    _allclose_nested(sol["dense_backward"](dZ, X, W), grads)


@settings(max_examples=25, deadline=None)
@given(sizes=st.lists(st.integers(1, 6), min_size=2, max_size=5), n=st.integers(1, 6),
       hidden=st.sampled_from(["sigmoid", "tanh", "relu"]), output=st.sampled_from(["linear", "sigmoid", "softmax"]),
       seed=st.integers(0, 2 ** 32 - 1))
def test_mlp_forward_matches_torch_and_keras(sol, sizes, n, hidden, output, seed):
    rng = np.random.default_rng(seed)
    if output == "softmax":
        sizes = sizes[:-1] + [max(2, sizes[-1])]
    params, X = _mlp(rng, sizes, 1.5), rng.normal(size=(n, sizes[0]))
    expected = Torch.mlp_forward(X, params, hidden, output)[0]
    _allclose_nested(Keras.mlp_forward(X, params, hidden, output)[0], expected)
    y_hat, _ = sol["mlp_forward"](X, params, hidden, output)
    _allclose_nested(y_hat, expected)


def _targets(rng, loss, n, k):
    if loss == "mse":
        return rng.normal(size=(n, k))
    if loss == "bce":
        return rng.integers(0, 2, size=(n, 1)).astype(float)
    return np.eye(k)[rng.integers(0, k, size=n)]


@settings(max_examples=25, deadline=None)
@given(widths=st.lists(st.integers(1, 6), min_size=1, max_size=4), n=st.integers(1, 6), k=st.integers(2, 4),
       hidden=st.sampled_from(["sigmoid", "tanh", "relu"]), loss=st.sampled_from(["mse", "bce", "softmax_ce"]),
       seed=st.integers(0, 2 ** 32 - 1))
def test_mlp_loss_and_grads_match_torch_and_keras(sol, widths, n, k, hidden, loss, seed):
    rng = np.random.default_rng(seed)
    k = 1 if loss == "bce" else k
    sizes = widths + [k]
    params, X, Y = _mlp(rng, sizes, 1.5), rng.normal(size=(n, sizes[0])), _targets(rng, loss, n, k)
    t_loss, t_grads = Torch.mlp_loss_and_grads(X, Y, params, hidden, loss)
    k_loss, k_grads = Keras.mlp_loss_and_grads(X, Y, params, hidden, loss)
    assert k_loss == pytest.approx(t_loss, rel=1e-12, abs=1e-14)
    _allclose_nested(k_grads, t_grads)
    s_loss, s_grads = sol["mlp_loss_and_grads"](X, Y, params, hidden, loss)
    assert isinstance(s_loss, float)
    assert s_loss == pytest.approx(t_loss, rel=1e-12, abs=1e-14)
    _allclose_nested(s_grads, t_grads)


def test_large_logits_are_stable(sol):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(4, 3))
    for loss, k in (("bce", 1), ("softmax_ce", 3)):
        params = [(rng.normal(size=(3, 4)), rng.normal(size=4)), (rng.normal(size=(4, k)) * 400, rng.normal(size=k))]
        Y = _targets(rng, loss, 4, k)
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            value, grads = sol["mlp_loss_and_grads"](X, Y, params, "sigmoid", loss)
        t_loss, t_grads = Torch.mlp_loss_and_grads(X, Y, params, "sigmoid", loss)
        assert value == pytest.approx(t_loss, rel=1e-12)
        _allclose_nested(grads, t_grads)


# --- gradient checking -----------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(TEST_FUNCTIONS))
def test_numerical_gradient_is_close_to_autograd_and_leaves_x(sol, name):
    rng = np.random.default_rng(7)
    for shape in [(1,), (5,), (2, 3), (2, 2, 2)]:
        x = rng.normal(size=shape)
        before = x.copy()
        got = sol["numerical_gradient"](TEST_FUNCTIONS[name], x)
        # exact: an input left alone is the same bits
        assert np.array_equal(x, before)
        exact, _ = Torch.numerical_gradient(name, x)
        np.testing.assert_allclose(got, exact, rtol=1e-8, atol=1e-9)
        np.testing.assert_allclose(Keras.numerical_gradient(name, x)[0], exact, rtol=1e-12, atol=1e-14)


def test_central_difference_oracle_and_the_step_h(sol):
    """With a large h the central difference differs from the derivative by a known amount:
    for cubic_mix exactly -h^2 (its third derivative along every axis is -6)."""
    x = np.array([0.3, -1.2, 0.8])
    for h in (0.25, 0.5):
        exact, _ = Torch.numerical_gradient("cubic_mix", x)
        central, _ = Torch.central_difference("cubic_mix", x, h)
        np.testing.assert_allclose(central, exact - h ** 2, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(Keras.central_difference("cubic_mix", x, h)[0], central, rtol=1e-12)
        np.testing.assert_allclose(sol["numerical_gradient"](TEST_FUNCTIONS["cubic_mix"], x, h=h), central, rtol=1e-12)


def test_relative_error_values(sol):
    rel = sol["relative_error"]
    for a, b, expected in [([1.0, 2.0], [1.1, 2.0], 0.1 / 2.1), ([0.0, 0.0], [0.0, 0.0], 0.0),
                           ([0.0], [1e-12], 1e-4), ([1.0, -2.0], [-1.0, 2.0], 1.0)]:
        a, b = np.array(a), np.array(b)
        assert rel(a, b) == pytest.approx(expected, rel=1e-12, abs=1e-300)
        assert Torch.relative_error(a, b) == pytest.approx(expected, rel=1e-12, abs=1e-300)
        assert Keras.relative_error(a, b) == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_gradient_check_of_the_solution_mlp_and_the_relu_kink(sol):
    """What the notebook teaches: a right gradient checks at ~1e-7 or better, a missing
    activation derivative at ~1e-1, and ReLU's kink within h spoils a right gradient."""
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    params = [(rng.normal(size=(3, 5)), rng.normal(size=5)), (rng.normal(size=(5, 2)), rng.normal(size=2))]
    check = sol["gradient_check"]
    for hidden in ("sigmoid", "tanh"):
        assert check(X, Y, params, hidden, "mse") < 1e-7
    assert sol["show_three_checks"]  # the notebook's demo exists
    W1, b1 = params[0]
    b1 = b1.copy()
    b1[0] = 3e-6 - X[0] @ W1[:, 0]           # a pre-activation inside the step h = 1e-5
    kinked = [(W1, b1), params[1]]
    assert check(X, Y, kinked, "relu", "mse") > 1e-3
    # and torch agrees that the analytic gradient itself is right there
    _, grads = sol["mlp_loss_and_grads"](X, Y, kinked, "relu", "mse")
    _allclose_nested(grads, Torch.mlp_loss_and_grads(X, Y, kinked, "relu", "mse")[1])
    bug = sol["buggy_grads"](X, Y, params)
    right = Torch.mlp_loss_and_grads(X, Y, params, "sigmoid", "mse")[1]
    assert sol["relative_error"](bug[0][1], right[0][1]) > 1e-2


# --- the grader's drivers and messages -------------------------------------------------------

def test_in_place_changes_and_wrong_structures_are_named():
    cells = solution_cells(LAB) + [
        "def mlp_forward(X, params, hidden='sigmoid', output='linear'):\n"
        "    A = X\n"
        "    for l, (W, b) in enumerate(params):\n"
        "        W *= 1.0000001\n"
        "        A = A @ W + b\n"
        "        A = ACTIVATIONS[hidden][0](A) if l < len(params) - 1 else OUTPUTS[output](A)\n"
        "    return A, None\n",
        "def mlp_loss_and_grads(X, Y, params, hidden='sigmoid', loss='mse'):\n"
        "    value, grads = 0.0, []\n"
        "    return value, grads\n",
        "def numerical_gradient(f, x, h=1e-5):\n"
        "    g = np.zeros_like(x)\n"
        "    for i in np.ndindex(x.shape):\n"
        "        x[i] += h\n"
        "        up = f(x)\n"
        "        x[i] -= 2 * h\n"
        "        g[i] = (up - f(x)) / (2 * h)\n"
        "        x[i] += h\n"
        "    return g\n",
    ]
    scores, res = grade_cells(LAB, cells, functions={"mlp_forward", "mlp_loss_and_grads", "numerical_gradient"})
    in_place = [r for r in res.results if r.check.function == "mlp_forward" and "in place" in r.output]
    assert [r.check.what for r in in_place] == [next(c.what for c in plan_for(LAB).checks[LAB]
                                                     if c.function == "mlp_forward" and c.structure_only)]
    assert "modified params[0][0] (W of layer 1) in place" in in_place[0].output and not in_place[0].passed
    score, _, texts = scores["mlp_loss_and_grads"]
    assert score == 0
    assert "must return grads as a list of" in "\n".join(texts)
    # x += h, -= 2h, += h restores x up to rounding: accepted, with full points
    score, max_score, texts = scores["numerical_gradient"]
    assert score == max_score, texts


def test_a_wrong_dense_layer_costs_only_its_own_points():
    """The MLP may call dense_forward / dense_backward: while it is graded, the grader's dense
    layer stands in for the student's (SUBSTITUTE), so a transposed dense layer costs once."""
    cells = solution_cells(LAB) + [
        "def dense_forward(X, W, b):\n    return X @ W.T + b\n",
        "def dense_backward(dZ, X, W):\n    return dZ @ W, X.T @ dZ, dZ.mean(axis=0)\n",
        "def mlp_forward(X, params, hidden='sigmoid', output='linear'):\n"
        "    A = X\n"
        "    for l, (W, b) in enumerate(params):\n"
        "        Z = dense_forward(A, W, b)\n"
        "        A = ACTIVATIONS[hidden][0](Z) if l < len(params) - 1 else OUTPUTS[output](Z)\n"
        "    return A, None\n",
        "def mlp_loss_and_grads(X, Y, params, hidden='sigmoid', loss='mse'):\n"
        "    A, inputs, pre = X, [], []\n"
        "    for l, (W, b) in enumerate(params):\n"
        "        inputs.append(A)\n"
        "        pre.append(dense_forward(A, W, b))\n"
        "        A = ACTIVATIONS[hidden][0](pre[-1]) if l < len(params) - 1 else pre[-1]\n"
        "    N = X.shape[0]\n"
        "    if loss == 'mse':\n"
        "        value, dZ = np.mean((A - Y) ** 2), 2 * (A - Y) / Y.size\n"
        "    elif loss == 'bce':\n"
        "        value, dZ = binary_crossentropy_from_logits(Y, A), (sigmoid(A) - Y) / N\n"
        "    else:\n"
        "        value, dZ = softmax_crossentropy_from_logits(Y, A), (softmax(A) - Y) / N\n"
        "    grads = [None] * len(params)\n"
        "    for l in reversed(range(len(params))):\n"
        "        dA, dW, db = dense_backward(dZ, inputs[l], params[l][0])\n"
        "        grads[l] = (dW, db)\n"
        "        if l > 0:\n"
        "            dZ = dA * ACTIVATIONS[hidden][1](pre[l - 1])\n"
        "    return value, grads\n",
    ]
    scores, _ = grade_cells(LAB, cells, functions={"dense_forward", "dense_backward", "mlp_forward",
                                                   "mlp_loss_and_grads"})
    assert scores["dense_forward"][0] < scores["dense_forward"][1]
    assert scores["dense_backward"][0] < scores["dense_backward"][1]
    for fn in ("mlp_forward", "mlp_loss_and_grads"):
        score, max_score, texts = scores[fn]
        assert score == max_score, "\n".join(texts)

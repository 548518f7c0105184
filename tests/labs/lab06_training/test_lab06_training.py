"""lab06_training: the distribution test, the optimizers, mini-batches and training equality.

Expected values come from PyTorch and Keras at test time (never from the solution), or from
closed forms (the moments of the distributions, hand-worked optimizer steps).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nngrade.labs.lab06_training.checks import CHECKS, OPT_LIKELY, TRAIN_LIKELY
from nngrade.labs.lab06_training.driver import GraderSGD
from reference import _distributions as D, training as R
from reference._frameworks import keras, torch
from conftest import SEED, grade_cells, solution_cells  # tests/conftest.py

LAB = "lab06_training"
TRAIN_TOL = 1e-12          # measured: about 1e-15 between the three implementations


def max_gap(a, b) -> float:
    return max(float(np.max(np.abs(np.asarray(x) - np.asarray(y)))) for x, y in zip(a, b))


# ----------------------------------------------------------------------------------------
# An independent NumPy implementation (instructor tests only: it is not shipped in a release),
# with the known mistakes as switches: the right version must equal PyTorch and Keras, and each
# mistake must equal the `likely` row that the checks compute with the frameworks.
# ----------------------------------------------------------------------------------------

def _run(update, params, grads):
    ps = [np.array(p, dtype=np.float64) for p in params]
    state: dict = {}
    out = []
    for t, step in enumerate(grads, 1):
        for i, (p, g) in enumerate(zip(ps, step)):
            p[...] = update(i, t, p.copy(), np.asarray(g, dtype=np.float64), state)
        out.append([p.copy() for p in ps])
    return out


def np_sgd(params, grads, lr, momentum=0.0, nesterov=False, weight_decay=0.0, mistake=None):
    def update(i, t, p, g, st):
        if mistake == "decoupled":
            p = p - lr * weight_decay * p
        elif mistake != "no_decay":
            g = g + weight_decay * p
        if momentum:
            if mistake == "damped":
                st[i] = momentum * st.get(i, 0.0) + (1 - momentum) * g
            else:
                st[i] = g.copy() if i not in st else momentum * st[i] + g
            if nesterov and mistake == "nesterov_lookahead_only":
                g = momentum * st[i]
            else:
                g = g + momentum * st[i] if nesterov and mistake != "nesterov_plain" else st[i]
        return p - lr * g
    return _run(update, params, grads)


def np_adagrad(params, grads, lr=0.01, eps=1e-10, mistake=None):
    def update(i, t, p, g, st):
        st[i] = st.get(i, 0.1 if mistake == "acc0" else 0.0) + g * g
        with np.errstate(all="ignore"):
            if mistake == "eps_inside":
                return p - lr * g / np.sqrt(st[i] + eps)
            if mistake == "no_sqrt":
                return p - lr * g / (st[i] + eps)
            return p - lr * g / (np.sqrt(st[i]) + eps)
    return _run(update, params, grads)


def np_rmsprop(params, grads, lr=0.01, alpha=0.99, eps=1e-8, mistake=None):
    def update(i, t, p, g, st):
        a = 1 - alpha if mistake == "swapped" else alpha
        st[i] = a * st.get(i, 0.0) + (1 - a) * g * g
        with np.errstate(all="ignore"):
            if mistake == "eps_inside":
                return p - lr * g / np.sqrt(st[i] + eps)
            return p - lr * g / (np.sqrt(st[i]) + eps)
    return _run(update, params, grads)


def np_adam(params, grads, lr=0.001, betas=(0.9, 0.999), eps=1e-8, mistake=None):
    b1, b2 = betas

    def update(i, t, p, g, st):
        m, v = st.get(i, (0.0, 0.0))
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        st[i] = (m, v)
        tt = 1 if mistake == "t_fixed" else t
        with np.errstate(all="ignore"):
            if mistake == "no_bias_correction":
                return p - lr * m / (np.sqrt(v) + eps)
            m_hat, v_hat = m / (1 - b1 ** tt), v / (1 - b2 ** tt)
            if mistake == "eps_inside":
                return p - lr * m_hat / np.sqrt(v_hat + eps)
            if mistake == "keras_eps":
                return p - lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t) * m / (np.sqrt(v) + eps)
            return p - lr * m_hat / (np.sqrt(v_hat) + eps)
    return _run(update, params, grads)


def np_train(X, y, params, batch_size, epochs, X_val=None, y_val=None, lr=0.5, momentum=0.0, mistake=None):
    """A NumPy train with the grader's SGD; `mistake` reproduces a known wrong version."""
    ps = [np.array(p, dtype=np.float64) for p in params]
    bufs = [None] * len(ps)

    def forward(x):
        acts = [x]
        for i in range(0, len(ps) - 2, 2):
            acts.append(1.0 / (1.0 + np.exp(-(acts[-1] @ ps[i] + ps[i + 1]))))
        return acts, acts[-1] @ ps[-2] + ps[-1]

    def metrics(logits, t):
        z = logits - logits.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(t)), t].mean()), float(np.mean(logits.argmax(axis=1) == t)), np.exp(logp)

    hist = {"loss": [], "accuracy": []}
    if X_val is not None:
        hist.update(val_loss=[], val_accuracy=[])
    n = len(X)
    for _ in range(epochs):
        if X_val is not None and mistake == "val_before":
            vl, va, _ = metrics(forward(X_val)[1], y_val)
            hist["val_loss"].append(vl)
            hist["val_accuracy"].append(va)
        tot_l = tot_a = 0.0
        batch_losses = []
        for s in range(0, n, batch_size):
            xb, yb = X[s:s + batch_size], y[s:s + batch_size]
            acts, logits = forward(xb)
            loss, acc, P = metrics(logits, yb)
            tot_l += loss * len(yb)
            tot_a += acc * len(yb)
            batch_losses.append(loss)
            dz = P.copy()
            dz[np.arange(len(yb)), yb] -= 1.0
            dz /= {"no_mean": 1.0, "full_n": n}.get(mistake, len(yb))
            grads = []
            for layer in range(len(ps) // 2 - 1, -1, -1):
                W = ps[2 * layer]
                grads = [acts[layer].T @ dz, dz.sum(axis=0)] + grads
                if layer:
                    dz = (dz @ W.T) * acts[layer] * (1 - acts[layer])
            for i, (p, g) in enumerate(zip(ps, grads)):
                if momentum:
                    bufs[i] = g.copy() if bufs[i] is None else momentum * bufs[i] + g
                    g = bufs[i]
                p -= lr * g
            if mistake == "loss_after_update":
                after, acc_after, _ = metrics(forward(xb)[1], yb)
                tot_l += (after - loss) * len(yb)
                tot_a += (acc_after - acc) * len(yb)
        if mistake == "batch_mean":
            hist["loss"].append(float(np.mean(batch_losses)))
        elif mistake == "end_of_epoch":
            l, a, _ = metrics(forward(X)[1], y)
            hist["loss"].append(l)
            tot_a = a * n
        else:
            hist["loss"].append(tot_l / n)
        hist["accuracy"].append(tot_a / n)
        if X_val is not None and mistake != "val_before":
            vl, va, _ = metrics(forward(X_val)[1], y_val)
            hist["val_loss"].append(vl)
            hist["val_accuracy"].append(va)
    return hist, ps



# ----------------------------------------------------------------------------------------
# The distribution test: calibrated on correct draws, powerful against wrong scales
# ----------------------------------------------------------------------------------------

SHAPE = (250, 400)          # 10^5 values, the size of the grader's draws
SPECS = {
    "uniform": D.uniform_spec(SHAPE, -0.3, 0.3),
    "normal": D.normal_spec(SHAPE, 0.08),
    "truncated": D.truncated_normal_spec(SHAPE, 0.09),
}


def _draw(spec, rng, scale=1.0):
    shape = spec["shape"]
    if spec["family"] == "uniform":
        return rng.uniform(spec["low"] * scale, spec["high"] * scale, size=shape)
    if spec["family"] == "normal":
        return rng.normal(0.0, spec["std"] * scale, size=shape)
    s = spec["scale_std"] * scale          # N(0, s^2) cut at +-2s, by rejection
    w = rng.normal(0.0, s, size=shape)
    while (bad := np.abs(w) > 2 * s).any():
        w[bad] = rng.normal(0.0, s, size=int(bad.sum()))
    return w


@pytest.mark.parametrize("family", list(SPECS))
def test_correct_draws_pass(family):
    # each statistic is tested at a level of about 1e-7: 40 correct draws all pass
    spec, rng = SPECS[family], np.random.default_rng(11)
    failures = [D.distribution_problem(_draw(spec, rng), spec) for _ in range(40)]
    assert [f for f in failures if f] == []


@pytest.mark.parametrize("family", list(SPECS))
@pytest.mark.parametrize("scale", [0.98, 1.02, math.sqrt(2.0), 0.5])
def test_a_wrong_scale_fails(family, scale):
    spec, rng = SPECS[family], np.random.default_rng(12)
    assert all(D.distribution_problem(_draw(spec, rng, scale), spec) for _ in range(10))


def test_wrong_family_with_the_right_variance_fails():
    rng = np.random.default_rng(13)
    normal = SPECS["normal"]
    a = normal["std"] * math.sqrt(3.0)
    uniform_draw = rng.uniform(-a, a, size=normal["shape"])
    assert "Kolmogorov" in D.distribution_problem(uniform_draw, normal)
    shifted = rng.uniform(-0.3, 0.3, size=SHAPE) + 0.005
    assert D.distribution_problem(shifted, SPECS["uniform"])


def test_specs_describe_the_frameworks_own_draws():
    T = torch()
    for seed in range(3):
        g = T.Generator().manual_seed(seed)
        w = T.nn.init.kaiming_normal_(T.empty(120, 400, dtype=T.float64), nonlinearity="relu", generator=g)
        assert D.distribution_problem(w.numpy().T, R.Torch.he_normal(0, 400, 120)) is None
        w = T.nn.init.xavier_uniform_(T.empty(120, 400, dtype=T.float64), generator=g)
        assert D.distribution_problem(w.numpy().T, R.Torch.xavier_uniform(0, 400, 120)) is None
    # Keras's HeNormal is truncated: it passes its own spec and fails PyTorch's
    k = np.asarray(keras().initializers.HeNormal(seed=4)((400, 120), dtype="float64"))
    assert D.distribution_problem(k, R.Keras.he_normal(0, 400, 120)) is None
    assert "Kolmogorov" in D.distribution_problem(k, R.Torch.he_normal(0, 400, 120))


def test_spec_values_from_the_definitions():
    assert R.Torch.xavier_uniform(0, 300, 100)["high"] == pytest.approx(math.sqrt(6 / 400), rel=1e-15)
    assert R.Keras.xavier_uniform(0, 300, 100)["high"] == pytest.approx(math.sqrt(6 / 400), rel=1e-15)
    assert R.Torch.he_normal(0, 300, 100)["std"] == pytest.approx(math.sqrt(2 / 300), rel=1e-15)
    keras_he = R.Keras.he_normal(0, 300, 100)
    assert keras_he["std"] == pytest.approx(math.sqrt(2 / 300), rel=1e-9)       # variance kept
    assert keras_he["high"] == pytest.approx(2 * math.sqrt(2 / 300) / 0.87962566103423978, rel=1e-12)


# ----------------------------------------------------------------------------------------
# Optimizers: Keras agrees exactly where the formulas can be made identical
# ----------------------------------------------------------------------------------------

DYADIC = st.sampled_from([0.5, 0.25, 0.125, 0.0625])
SHAPES = st.lists(st.tuples(st.integers(1, 4), st.integers(1, 3)), min_size=1, max_size=3)


def _problem(seed, shapes, k):
    rng = np.random.default_rng(seed)
    params = [rng.normal(size=s) for s in shapes]
    grads = [[rng.normal(size=s) for s in shapes] for _ in range(k)]
    return params, grads


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10 ** 6), shapes=SHAPES, k=st.integers(1, 5), lr=DYADIC,
       which=st.sampled_from(["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]))
def test_keras_equals_torch_with_eps_0_and_dyadic_hyperparameters(seed, shapes, k, lr, which):
    params, grads = _problem(seed, shapes, k)
    hyper, name = {
        "sgd": ({"lr": lr}, "SGD"),
        "momentum": ({"lr": lr, "momentum": 0.875}, "SGD"),
        "nesterov": ({"lr": lr, "momentum": 0.75, "nesterov": True}, "SGD"),
        "adagrad": ({"lr": lr, "eps": 0.0}, "Adagrad"),
        "rmsprop": ({"lr": lr, "alpha": 0.875, "eps": 0.0}, "RMSprop"),
        "adam": ({"lr": lr, "betas": (0.875, 0.998046875), "eps": 0.0}, "Adam"),
    }[which]
    t = getattr(R.Torch, name)(params, grads, **hyper)
    kk = getattr(R.Keras, name)(params, grads, **hyper)
    for a, b in zip(t, kk):
        assert max_gap(a, b) <= 1e-15 * (1 + max(np.abs(x).max() for x in a))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10 ** 6), shapes=SHAPES, k=st.integers(1, 5), lr=DYADIC,
       momentum=st.sampled_from([0.0, 0.5, 0.875]), nesterov=st.booleans(), wd=st.sampled_from([0.0, 0.25]))
def test_numpy_reference_sgd_equals_torch(seed, shapes, k, lr, momentum, nesterov, wd):
    """The NumPy SGD above and the grader's GraderSGD are torch's."""
    params, grads = _problem(seed, shapes, k)
    nesterov = nesterov and momentum > 0
    t = R.Torch.SGD(params, grads, lr=lr, momentum=momentum, nesterov=nesterov, weight_decay=wd)
    mine = np_sgd(params, grads, lr=lr, momentum=momentum, nesterov=nesterov, weight_decay=wd)
    for a, b in zip(t, mine):
        assert max_gap(a, b) <= 1e-14
    if not nesterov and not wd:
        ps = [p.copy() for p in params]
        opt = GraderSGD(ps, lr, momentum)
        for step, expected in zip(grads, t):
            opt.step(step)
            assert max_gap(ps, expected) <= 1e-14


@pytest.mark.parametrize("name, fn, hyper", [
    ("Adagrad", np_adagrad, {}), ("Adagrad", np_adagrad, {"lr": 0.1, "eps": 0.25}),
    ("RMSprop", np_rmsprop, {}), ("RMSprop", np_rmsprop, {"alpha": 0.5, "eps": 0.25}),
    ("Adam", np_adam, {}), ("Adam", np_adam, {"lr": 0.01, "betas": (0.5, 0.75), "eps": 0.25}),
])
def test_numpy_reference_adaptive_equals_torch(name, fn, hyper):
    params, grads = _problem(5, [(3, 2), (2,)], 6)
    assert all(max_gap(a, b) <= 1e-14 for a, b in zip(getattr(R.Torch, name)(params, grads, **hyper),
                                                       fn(params, grads, **hyper)))


OPT_MISTAKES = {   # the checks' likely rows, in order after NOT_IN_PLACE, and the NumPy mistake each must equal
    "SGD": (np_sgd, ["nesterov_plain", "decoupled", "no_decay", "damped"]),
    "Adagrad": (np_adagrad, ["eps_inside", "acc0", "no_sqrt"]),
    "RMSprop": (np_rmsprop, ["eps_inside", "swapped"]),
    "Adam": (np_adam, ["no_bias_correction", "t_fixed", "eps_inside", "keras_eps"]),
}
OPT_HYPER = {
    "SGD": [{"lr": 0.25}, {"lr": 0.125, "momentum": 0.875}, {"lr": 0.5, "momentum": 0.75, "nesterov": True},
            {"lr": 0.25, "weight_decay": 0.25}, {"lr": 0.125, "momentum": 0.875, "weight_decay": 0.25},
            {"lr": 0.125, "momentum": 0.75, "nesterov": True, "weight_decay": 0.5}],
    "Adagrad": [{}, {"lr": 0.0625, "eps": 0.25}, {"lr": 0.125, "eps": 0.0}],
    "RMSprop": [{}, {"lr": 0.0625, "eps": 0.25}, {"lr": 0.125, "alpha": 0.875, "eps": 0.0}],
    "Adam": [{}, {"lr": 0.0625, "eps": 0.25}, {"lr": 0.125, "betas": (0.875, 0.998046875), "eps": 0.0}],
}


@pytest.mark.parametrize("name", list(OPT_MISTAKES))
def test_optimizer_likely_rows_equal_the_numpy_mistakes(name):
    fn, mistakes = OPT_MISTAKES[name]
    rows = OPT_LIKELY[name][1:]
    assert len(rows) == len(mistakes)
    params, grads = _problem(3, [(3, 2), (2,)], 5)
    for hyper in OPT_HYPER[name]:
        for row, mistake in zip(rows, mistakes):
            mine = fn(params, grads, **hyper, mistake=mistake)
            theirs = row.value(params, grads, **hyper)
            for a, b in zip(mine, theirs):
                for x, y in zip(a, b):
                    assert np.allclose(x, y, rtol=1e-7, atol=1e-12, equal_nan=True), (name, mistake, hyper)


def test_keras_formulas_differ_where_the_conventions_say():
    params, grads = _problem(7, [(3, 2), (2,)], 5)
    t = R.Torch.SGD(params, grads, lr=0.125, momentum=0.875, weight_decay=0.25)[-1]
    decoupled = R.Keras.SGD(params, grads, lr=0.125, momentum=0.875, weight_decay=0.25)[-1]
    assert max_gap(t, decoupled) > 1e-3                       # Keras's weight_decay is decoupled
    K = keras()
    coupled = R._keras_optimize(K.optimizers.SGD(0.125, momentum=0.875), params, grads, coupled_weight_decay=0.25)
    assert max_gap(t, coupled[-1]) <= 1e-15                   # wd * p added to the gradient: torch's
    # Adagrad: Keras's default accumulator (0.1) and eps inside the square root
    t = R.Torch.Adagrad(params, grads)[-1]
    assert max_gap(t, R._keras_optimize(K.optimizers.Adagrad(0.01), params, grads)[-1]) > 1e-4
    assert max_gap(t, R.Torch.Adagrad(params, grads, eps=0.0)[-1]) < 1e-9
    big = R.Torch.Adagrad(params, grads, eps=0.25)[-1]
    assert max_gap(big, R.Keras.Adagrad(params, grads, eps=0.25)[-1]) > 1e-3
    # RMSprop: Keras's default rho is 0.9, torch's alpha 0.99
    t = R.Torch.RMSprop(params, grads)[-1]
    assert max_gap(t, R._keras_optimize(K.optimizers.RMSprop(0.01), params, grads)[-1]) > 1e-3
    # Adam: eps placement, 1e-8 apart after 5 steps with equal eps, exact with eps = 0 (tested above)
    gap = max_gap(R.Torch.Adam(params, grads)[-1], R.Keras.Adam(params, grads)[-1])
    assert 1e-10 < gap < 1e-6


def test_hand_worked_optimizer_steps():
    one = [np.array([1.0])]
    g = [[np.array([1.0])]] * 3
    assert R.Torch.SGD(one, g[:2], lr=0.1, momentum=0.9)[-1][0][0] == pytest.approx(0.71, abs=1e-15)
    assert R.Torch.SGD(one, g[:2], lr=0.1, momentum=0.9, nesterov=True)[-1][0][0] == pytest.approx(0.539, abs=1e-15)
    assert R.Torch.Adam(one, g, lr=0.1)[-1][0][0] == pytest.approx(0.7, abs=1e-7)


# ----------------------------------------------------------------------------------------
# L2 penalty and mini-batches
# ----------------------------------------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10 ** 6), shapes=SHAPES, k=st.integers(0, 10))
def test_l2_torch_equals_keras(seed, shapes, k):
    weights, _ = _problem(seed, shapes, 0)
    lam = 2.0 ** -k
    assert R.Torch.l2_penalty(weights, lam) == pytest.approx(R.Keras.l2_penalty(weights, lam), rel=1e-14)
    assert R.Torch.l2_penalty(weights, lam) == pytest.approx(lam / 2 * sum(np.sum(w * w) for w in weights), rel=1e-14)
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    assert max_gap(R.Torch.l2_penalty_grad(weights, lam), R.Keras.l2_penalty_grad(weights, lam)) == 0.0


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 30), b=st.integers(1, 12), seed=st.one_of(st.none(), st.integers(0, 10 ** 6)))
def test_minibatch_orders_agree(n, b, seed):
    rng = np.random.default_rng(n)
    X, y = rng.normal(size=(n, 2)), rng.integers(0, 3, n)
    t = R.Torch.iterate_minibatches(X, y, b, seed)
    assert len(t) == -(-n // b) and all(len(yb) == min(b, n - i * b) for i, (_, yb) in enumerate(t))
    k = R.Keras.iterate_minibatches(X, y, b, seed)
    # exact: the same stored values, or integers, reordered: no arithmetic
    assert all(np.array_equal(a[0], c[0]) and np.array_equal(a[1], c[1]) for a, c in zip(t, k))
    order = np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)
    # exact: the same stored values, or integers, reordered: no arithmetic
    assert np.array_equal(np.concatenate([yb for _, yb in t]), y[order])
    if seed is not None:          # rng.shuffle of arange(N) is the same order (a valid alternative)
        idx = np.arange(n)
        np.random.default_rng(seed).shuffle(idx)
        # exact: the same stored values, or integers, reordered: no arithmetic
        assert np.array_equal(idx, order)


# ----------------------------------------------------------------------------------------
# train: NumPy, PyTorch and Keras produce the same history and weights
# ----------------------------------------------------------------------------------------

def _train_case(seed):
    check = next(c for c in CHECKS if c.function == "train" and "final weights" in c.what)
    return check.cases(check.rng(seed))


def test_training_equality_numpy_torch_keras():
    for case in _train_case(SEED):        # the grading plan's inputs: its Keras fits are reused
        hist_k, w_k = R._keras_train_run(*case.args, *[case.kwargs.get(k) for k in
                                                       ("X_val", "y_val", "lr", "momentum")])
        hist_t = R.Torch.train(*case.args, **case.kwargs)
        w_t = R.Torch.train_weights(*case.args, **case.kwargs)
        hist_n, w_n = np_train(*case.args, **case.kwargs)
        assert set(hist_k) == set(hist_t) == set(hist_n)
        for key in hist_k:
            assert len(hist_k[key]) == case.args[4]
            assert max_gap([hist_k[key]], [hist_t[key]]) <= TRAIN_TOL, key
            assert max_gap([hist_k[key]], [hist_n[key]]) <= TRAIN_TOL, key
        assert max_gap(w_t, w_k) <= TRAIN_TOL
        assert max_gap(w_t, w_n) <= TRAIN_TOL


def test_train_likely_rows_equal_the_numpy_mistakes():
    mistakes = ["no_mean", "full_n", "val_before", "loss_after_update", "batch_mean", "end_of_epoch"]
    for case in _train_case(SEED)[:2]:
        for row, mistake in zip(TRAIN_LIKELY[0], mistakes):
            mine, theirs = np_train(*case.args, **case.kwargs, mistake=mistake)[0], row.value(*case.args, **case.kwargs)
            assert set(mine) == set(theirs)
            assert all(max_gap([mine[k]], [theirs[k]]) <= TRAIN_TOL for k in mine), mistake
        for row, mistake in zip(TRAIN_LIKELY[1], ["no_mean", "full_n"]):
            assert max_gap(np_train(*case.args, **case.kwargs, mistake=mistake)[1],
                           row.value(*case.args, **case.kwargs)) <= TRAIN_TOL, mistake


def test_zero_initialisation_keeps_hidden_units_identical():
    case = _train_case(4)[1]
    X, y, params, b, epochs = case.args
    zeros = [np.zeros_like(p) for p in params]
    _, w = np_train(X, y, zeros, b, 3, lr=0.5)
    # The hidden units get the same inputs and the same gradients; only the order in which the
    # BLAS kernel of this CPU sums them can differ between columns, a few ulps per step. So the
    # columns agree to 1e-12 of their size, while broken symmetry (a random start) would differ
    # by the size of the weights themselves.
    W1 = w[0]
    spread = np.abs(W1 - W1[:, :1]).max()
    assert np.abs(W1).max() > 1e-3 and spread <= 1e-12 * np.abs(W1).max(), spread
    _, w_t = R._torch_train_run(X, y, zeros, b, 3, None, None, 0.5, 0.0)
    assert np.abs(w_t[0] - w_t[0][:, :1]).max() <= 1e-12 * np.abs(w_t[0]).max()   # the same in PyTorch


# ----------------------------------------------------------------------------------------
# Grading behaviour
# ----------------------------------------------------------------------------------------

def test_keras_style_he_normal_loses_only_the_distribution_points():
    truncated = '''
def he_normal(fan_in, fan_out, rng):
    s = np.sqrt(2.0 / fan_in) / 0.87962566103423978
    w = rng.normal(0.0, s, size=(fan_in, fan_out))
    while (np.abs(w) > 2 * s).any():
        bad = np.abs(w) > 2 * s
        w[bad] = rng.normal(0.0, s, size=int(bad.sum()))
    return w
'''
    out, res = grade_cells(LAB, solution_cells(LAB) + [truncated], functions={"he_normal"})
    score, total, texts = out["he_normal"]
    assert (score, total) == (2, 4)
    assert any("Kolmogorov" in t for t in texts)


def test_history_measured_after_the_update_keeps_the_weight_points():
    after = '''
def train(X, y, params, optimizer, batch_size, epochs, X_val=None, y_val=None):
    hist = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    for _ in range(epochs):
        tot_l = tot_a = 0.0
        for s in range(0, len(X), batch_size):
            xb, yb = X[s:s + batch_size], y[s:s + batch_size]
            acts, logits = forward(xb, params)
            dz = np.exp(log_softmax(logits))
            dz[np.arange(len(yb)), yb] -= 1
            dz /= len(yb)
            grads = []
            for layer in range(len(params) // 2 - 1, -1, -1):
                grads = [acts[layer].T @ dz, dz.sum(axis=0)] + grads
                dz = (dz @ params[2 * layer].T) * acts[layer] * (1 - acts[layer])
            optimizer.step(grads)
            l, a = evaluate(xb, yb, params)
            tot_l += l * len(yb)
            tot_a += a * len(yb)
        hist["loss"].append(tot_l / len(X))
        hist["accuracy"].append(tot_a / len(X))
        if X_val is not None:
            l, a = evaluate(X_val, y_val, params)
            hist["val_loss"].append(l)
            hist["val_accuracy"].append(a)
    return hist
'''
    out, res = grade_cells(LAB, solution_cells(LAB) + [after], functions={"train"})
    by_what = {r.check.what: r for r in res.results}
    weights = next(r for w, r in by_what.items() if "final weights" in w)
    assert weights.passed
    assert not any(r.passed for w, r in by_what.items() if "equals Keras" in w)
    assert any("before the update" in r.output for r in res.results)


def test_the_digits_are_scikit_learns_without_importing_it():
    from sklearn.datasets import load_digits
    from nngrade.labs.lab06_training.checks import _digits
    X, y = _digits()
    X_ref, y_ref = load_digits(return_X_y=True)
    # exact: the same stored values, or integers, reordered: no arithmetic
    assert X.dtype == np.float64 and np.array_equal(X, X_ref / 16.0)
    # exact: the same stored values, or integers, reordered: no arithmetic
    assert y.dtype == np.int64 and np.array_equal(y, y_ref)

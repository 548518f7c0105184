"""lab07_metrics: the oracles agree with each other, the solution agrees with Keras over many
inputs and batch sequences, Keras's conventions the lab relies on are pinned, and the
inputs keep the contract's distance from the thresholds.

Expected values come from Keras or scikit-learn at test time (never from the solution), or
from hand counts written out next to them.
"""
from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nngrade.labs.lab07_metrics.checks import CHECKS, GAP, LAB_THRESHOLDS, scores
from reference.metrics import Keras, Torch, sklearn_roc_auc
from conftest import grade_cells, solution_cells, solution_namespace  # tests/conftest.py

os.environ.setdefault("MPLBACKEND", "Agg")

LAB = "lab07_metrics"
FUNCTIONS = ["accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
             "top_k_categorical_accuracy", "confusion_counts", "precision", "recall", "auc",
             "precision_at_recall", "sensitivity_at_specificity", "specificity_at_sensitivity",
             "root_mean_squared_error", "mean_absolute_percentage_error", "mean_squared_logarithmic_error"]
CLASSES = ["Mean", "BinaryAccuracy", "Precision", "Recall", "AUC"]
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
THRESHOLD_FNS = ["binary_accuracy", "confusion_counts", "precision", "recall"]
AT_FNS = {"precision_at_recall": 0.75, "sensitivity_at_specificity": 0.5, "specificity_at_sensitivity": 0.875}


@pytest.fixture(scope="module")
def solution():
    """The solution notebook's definitions, run in this process."""
    return solution_namespace(LAB)


@st.composite
def binary_data(draw, min_size=1, max_size=40):
    """0/1 labels and scores at least 1e-4 from every threshold j/199, 0.5, 0.25, 0.75."""
    n = draw(st.integers(min_size, max_size))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    p = scores(rng, n, (LAB_THRESHOLDS, 4, 10, 2))
    y = (rng.uniform(size=n) < draw(st.sampled_from([0.0, 0.1, 0.5, 0.9, 1.0]))).astype(np.float64)
    return y, p


def close(a, b, rtol=1e-9, atol=1e-12):
    return np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=rtol, atol=atol)


# ---------------------------------------------------------------------------------------
# (a) the contract's graded pieces all have checks, and the points add up

def test_every_graded_piece_has_typed_valued_and_edge_checks():
    by_fn: dict = {}
    for c in CHECKS:
        by_fn.setdefault(c.function, []).append(c)
    assert sorted(by_fn) == sorted(FUNCTIONS + CLASSES)
    for fn, checks in by_fn.items():
        assert any(c.structure_only for c in checks), fn
        assert sum(not c.structure_only for c in checks) >= 2, fn
        assert all(c.primary == "keras" for c in checks), fn
    assert sum(c.points for c in CHECKS) == 100


def test_scores_keep_their_distance_from_every_threshold():
    rng = np.random.default_rng(0)
    for n_thr in (3, 5, 11, 50, 200):
        p = scores(rng, 2000, (n_thr - 1, LAB_THRESHOLDS), (0.5, 0.25, 0.75))
        marks = np.concatenate([np.arange(n_thr) / (n_thr - 1), np.arange(200) / 199, [0.25, 0.5, 0.75]])
        assert np.all((p >= 0) & (p <= 1))
        assert np.min(np.abs(p[:, None] - marks[None, :])) >= GAP * 0.999


# ---------------------------------------------------------------------------------------
# (b) the two oracles agree wherever no `differs` is declared

def test_oracles_agree_on_the_checks_with_their_own_comparison():
    """The generic cross-check skips checks with `compare=` (the streaming classes and the
    confusion counts): compare their Keras and second-opinion answers here, case by case."""
    from conftest import oracles_for
    oracles = oracles_for(LAB)
    plan = oracles.plan
    checked = 0
    for check in plan.checks[LAB]:
        if check.compare is None:
            continue
        for i, case in enumerate(plan.cases(check)):
            k, t = oracles.expected(check, i, "keras"), oracles.expected(check, i, "torch")
            assert check.compare(t, k, case, oracles) is None, f"{check.name}, case {i}: Keras {k} vs {t}"
            checked += 1
    assert checked >= 20

@pytest.mark.parametrize("fn", THRESHOLD_FNS + ["auc"] + list(AT_FNS))
@SETTINGS
@given(data=binary_data())
def test_keras_and_second_opinion_agree_on_binary_metrics(fn, data):
    y, p = data
    args = (y, p, AT_FNS[fn]) if fn in AT_FNS else (y, p)
    k, t = getattr(Keras, fn)(*args), getattr(Torch, fn)(*args)
    assert close(k, t), f"{fn}: Keras {k} vs second opinion {t}"


@SETTINGS
@given(n=st.integers(1, 12), k=st.integers(1, 7), seed=st.integers(0, 2 ** 32 - 1))
def test_keras_and_torch_agree_on_top_k_with_ties(n, k, seed):
    rng = np.random.default_rng(seed)
    y = np.eye(6)[rng.integers(0, 6, n)]
    p = rng.integers(0, 4, (n, 6)) / 4.0          # many ties; exact in float32
    assert close(Keras.top_k_categorical_accuracy(y, p, k=k), Torch.top_k_categorical_accuracy(y, p, k=k))


# ---------------------------------------------------------------------------------------
# (c) the solution equals Keras on random inputs and random batch sequences

@pytest.mark.parametrize("fn", THRESHOLD_FNS + ["auc"] + list(AT_FNS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=binary_data(), threshold=st.sampled_from([0.25, 0.5, 0.75]), n_thr=st.sampled_from([3, 11, 200]))
def test_solution_matches_keras_on_binary_metrics(solution, fn, data, threshold, n_thr):
    y, p = data
    if fn in AT_FNS:
        args, kw = (y, p, AT_FNS[fn]), {"num_thresholds": n_thr}
    elif fn == "auc":
        args, kw = (y, p), {"num_thresholds": n_thr}
    else:
        args, kw = (y, p), {"threshold": threshold}
    got, want = solution[fn](*args, **kw), getattr(Keras, fn)(*args, **kw)
    assert close(got, want), f"{fn}{kw}: solution {got} vs Keras {want}"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["BinaryAccuracy", "Precision", "Recall", "AUC", "Mean"]),
       sizes=st.lists(st.integers(1, 15), min_size=1, max_size=4), seed=st.integers(0, 2 ** 32 - 1),
       reset_after=st.integers(0, 4))
def test_solution_streaming_classes_replay_like_keras(solution, kind, sizes, seed, reset_after):
    rng = np.random.default_rng(seed)
    calls = [("result", (), {})]
    for i, n in enumerate(sizes):
        if kind == "Mean":
            calls.append(("update_state", (rng.normal(size=n),), {}))
        else:
            p = scores(rng, n, (LAB_THRESHOLDS,))
            calls.append(("update_state", ((rng.uniform(size=n) < 0.5).astype(np.float64), p), {}))
        calls.append(("result", (), {}))
        if i == reset_after:
            calls += [("reset_state", (), {}), ("result", (), {})]
    obj = solution[kind]()
    got = [getattr(obj, m)(*a, **kw) for m, a, kw in calls]
    want = getattr(Keras, kind)([], {}, calls)
    for m, g, w in zip([c[0] for c in calls], got, want):
        if m == "result":
            assert close(g, w), f"{kind}: {got} vs Keras {want}"


def test_solution_regression_and_accuracy_metrics_match_keras_on_2d_inputs(solution):
    rng = np.random.default_rng(3)
    y, p = rng.uniform(-3, 3, (7, 4)), rng.uniform(-3, 3, (7, 4))
    y[0, 0] = 0.0                                   # MAPE's floor
    for fn in ("root_mean_squared_error", "mean_absolute_percentage_error", "mean_squared_logarithmic_error"):
        assert close(solution[fn](y, p), getattr(Keras, fn)(y, p)), fn
    labels = rng.integers(0, 3, (6, 5))
    guess = np.where(rng.uniform(size=(6, 5)) < 0.5, labels, 0)
    assert close(solution["accuracy"](labels, guess), Keras.accuracy(labels, guess))


# ---------------------------------------------------------------------------------------
# (d) Keras's conventions the lab teaches, pinned

def test_keras_thresholds_are_strict_and_zero_over_zero_is_zero():
    y, p = np.array([1.0, 0.0, 1.0]), np.array([0.5, 0.5, 0.9])
    assert Keras.confusion_counts(y, p) == (1, 1, 0, 1)   # tp: 0.9; tn: the 0 at 0.5; fn: the 1 at 0.5
    assert Keras.binary_accuracy(y, p) == pytest.approx(2 / 3)
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    assert Keras.precision(np.array([1.0, 1.0]), np.array([0.1, 0.5])) == 0.0
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    assert Keras.recall(np.zeros(3), np.array([0.9, 0.7, 0.1])) == 0.0
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    assert Keras.auc(np.ones(3), np.array([0.2, 0.7, 0.9])) == 0.0


def test_keras_auc_with_three_thresholds_by_hand():
    # thresholds -1e-7, 0.5, 1 + 1e-7: TPR = [1, 0.5, 0], FPR = [1, 0, 0] -> 0.5 * 0.75 ... = 0.75
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    assert Keras.auc(np.array([0, 0, 1, 1.0]), np.array([0.0, 0.5, 0.3, 0.9]), num_thresholds=3) == 0.75


def test_keras_top_k_counts_ties_and_sklearn_does_not():
    from sklearn.metrics import top_k_accuracy_score
    pred = np.array([[0.5, 0.75, 0.5, 0.5, 0.25], [0.25, 0.5, 0.75, 1.0, 0.25], [0.5] * 5])
    y = np.array([0, 0, 4])
    assert Keras.top_k_categorical_accuracy(np.eye(5)[y], pred, k=2) == pytest.approx(2 / 3)
    assert top_k_accuracy_score(y, pred, k=2, labels=range(5)) == pytest.approx(1 / 3)


def test_keras_top_k_raises_on_float64_predictions():
    from reference._frameworks import keras
    metric = keras().metrics.TopKCategoricalAccuracy(k=1)
    with pytest.raises(Exception, match="float"):
        metric.update_state(np.eye(3)[[0]], np.array([[0.5, 0.25, 0.25]]))


def test_keras_rounds_metric_constants_to_float32():
    """Why the checks use dyadic constraints and thresholds: Keras compares with float32 values."""
    y = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0.0])
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.2, 0.65, 0.3, 0.1, 0.05, 0.75])
    # a recall of exactly 4/5 reaches precision 4/6; Keras finds it infeasible against float32(0.8)
    assert Torch.precision_at_recall(y, p, 0.8) == pytest.approx(4 / 6)
    assert Keras.precision_at_recall(y, p, 0.8) == pytest.approx(5 / 8)
    # with a dyadic constraint the two agree exactly
    assert Keras.precision_at_recall(y, p, 0.75) == Torch.precision_at_recall(y, p, 0.75)
    # BinaryAccuracy's threshold: 0.3 + 1e-9 is above 0.3 but below float32(0.3)
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    assert Keras.binary_accuracy(np.array([1.0]), np.array([0.3 + 1e-9]), threshold=0.3) == 0.0
    # Precision's thresholds stay float64
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    assert Keras.recall(np.array([1.0]), np.array([0.3 + 1e-9]), threshold=0.3) == 1.0


def test_keras_auc_versus_exact_auc():
    rng = np.random.default_rng(11)
    y = rng.integers(0, 2, 300)
    spread = np.clip(0.5 + 0.2 * (y - 0.5) + 0.2 * rng.normal(size=300), 0, 1)
    crowded = 0.6 + 0.01 * (spread - spread.min()) / np.ptp(spread)
    assert sklearn_roc_auc(y, spread) == pytest.approx(sklearn_roc_auc(y, crowded))   # same ranking
    assert abs(Keras.auc(y, spread) - sklearn_roc_auc(y, spread)) < 3e-3
    assert abs(Keras.auc(y, crowded) - sklearn_roc_auc(y, crowded)) > 0.02


def test_streaming_precision_is_not_the_mean_of_batch_precisions():
    b1 = (np.array([1, 0, 1.0]), np.array([0.9, 0.8, 0.2]))                        # tp 1, fp 1
    b2 = (np.array([0, 0, 0, 1, 1, 1, 0.0]), np.array([0.1, 0.6, 0.7, 0.8, 0.9, 0.95, 0.3]))  # tp 3, fp 2
    calls = [("update_state", b1, {}), ("update_state", b2, {}), ("result", (), {})]
    streaming = Keras.Precision([], {}, calls)[-1]
    assert streaming == pytest.approx(4 / 7)
    assert streaming != pytest.approx((Keras.precision(*b1) + Keras.precision(*b2)) / 2)


# ---------------------------------------------------------------------------------------
# (e) grading: a batch-averaging Precision is told why

def test_batch_averaging_precision_gets_the_streaming_diagnosis():
    wrong = '''
class Precision:
    def __init__(self, thresholds=0.5):
        self.thresholds, self.values = thresholds, []

    def update_state(self, y_true, y_pred):
        self.values.append(precision(y_true, y_pred, self.thresholds))

    def result(self):
        return float(np.mean(self.values)) if self.values else 0.0

    def reset_state(self):
        self.values = []
'''
    out, _ = grade_cells(LAB, solution_cells(LAB) + [wrong], functions={"Precision", "precision"})
    score, max_score, texts = out["Precision"]
    assert score < max_score
    assert "mean of the per-batch precisions" in "\n".join(texts)
    assert out["precision"][0] == out["precision"][1]

"""lab07_metrics: Keras's metrics in NumPy, stateless functions and streaming classes.

Keras decides every check (the contract: each function equals the Keras metric class's
`result()` after one `update_state` with the whole input, in float64). The second opinion
is the same definition in torch ops, or scikit-learn where it has the metric and matches
(confusion matrix, precision, recall); on the typical AUC inputs it is scikit-learn's exact
ROC AUC, which differs from Keras's thresholded area and is shown, not graded.

Per function: types (1 point), typical values (2), the edge the contract names (values
exactly at the threshold, 0/0, ties, one class only: 1 each), extra arguments (1).
Streaming classes run in the worker with the generic `object` driver: construct, then a
list of update_state / result / reset_state calls; the oracle replays the same calls on
the Keras object. Scores stay at least 1e-4 from every threshold except in the checks
aimed at the threshold, which use exactly representable values (0.5, 0.25).
"""
from __future__ import annotations

import numpy as np

from nngrade.compare import compare, describe_type
from nngrade.diagnose import explains
from nngrade.config import DEFAULT_ATOL, DEFAULT_RTOL
from nngrade.feedback import fmt
from nngrade.drivers import drive_object
from nngrade.registry import Case, Check, Likely
from reference._frameworks import torch
from reference.metrics import (Keras, Torch, auc_thresholds, auc_from_counts, constraint_thresholds,
                               divide_no_nan, sklearn_roc_auc, torch_counts)

LAB_THRESHOLDS = 199   # the inner thresholds j / 199 of num_thresholds=200
GAP = 1e-4


# ---------------------------------------------------------------------------------------
# Inputs

def scores(rng, n, grids=(LAB_THRESHOLDS,), avoid=(0.5,)):
    """n probabilities in [0, 1], at least GAP away from every j / g (g in grids) and from `avoid`."""
    p = rng.uniform(0.0, 1.0, size=n)
    marks = np.unique(np.concatenate([np.arange(g + 1) / g for g in grids] + [np.asarray(avoid, float)]))
    for _ in range(3):
        near = np.min(np.abs(p[:, None] - marks[None, :]), axis=1) < GAP
        p = np.where(near, np.where(p > 0.5, p - 3 * GAP, p + 3 * GAP), p)
    return p


def labels(rng, n, p=None, dtype=np.int64):
    """0/1 labels, both classes present, loosely correlated with the scores p."""
    while True:
        y = (rng.uniform(size=n) < (0.5 if p is None else 0.2 + 0.6 * p)).astype(dtype)
        if 0 < y.sum() < n:
            return y


def binary_cases(rng, sizes=(6, 15, 40), threshold=None, grids=(LAB_THRESHOLDS,)):
    out = []
    for i, n in enumerate(sizes):
        avoid = (0.5,) if threshold is None else (0.5, threshold)
        p = scores(rng, n, grids, avoid)
        y = labels(rng, n, p, np.float64 if i == 1 else np.int64)
        kw = {} if threshold is None else {"threshold": threshold}
        out.append(Case((y, p), kw))
    return out


def at_threshold(rng, threshold=0.5, extra=None):
    """Scores exactly at the threshold, for both labels, among others."""
    y = np.array([0, 1, 0, 1, 1, 0], dtype=np.int64)
    p = np.array([threshold, threshold, 0.125, 0.875, 0.0, 1.0])
    kw = {} if extra is None else extra
    note = f"scores exactly at the threshold {threshold}: positive only where p > threshold"
    n = 9
    q = scores(rng, n, avoid=(threshold,))
    q[:3] = threshold
    return [Case((y, p), dict(kw), note), Case((labels(rng, n, q), q), dict(kw), note)]


def multiclass(rng, n, k, ties=False):
    """One-hot targets and float32-representable scores (multiples of 1/64; few values with ties)."""
    y = rng.integers(0, k, size=n)
    if ties:
        pred = rng.integers(0, 4, size=(n, k)) / 4.0
    else:
        pred = np.stack([rng.permutation(64)[:k] for _ in range(n)]) / 64.0
    return np.eye(k)[y], pred, y


# ---------------------------------------------------------------------------------------
# Models of known mistakes (for `likely`), in torch ops: the package ships no NumPy version of
# a graded function, right or nearly right, that graded code could copy

def _t(x):
    return torch().as_tensor(np.asarray(x, dtype=np.float64))


def _mean(x) -> float:
    return float(x.double().mean())


def _counts(y_true, y_pred, thresholds, ge=False):
    """(tp, tn, fp, fn) per threshold, as NumPy arrays; positive where p > t (p >= t with `ge`)."""
    return tuple(c.numpy() for c in torch_counts(y_true, y_pred, thresholds, ge=ge))


def _auc(y, p, num_thresholds=200, thr=None, ge=False):
    return auc_from_counts(*torch_counts(y, p, auc_thresholds(num_thresholds) if thr is None else thr, ge=ge))


def _at(kind, y, p, value, num_thresholds=200, strict=False, thr=None):
    tp, tn, fp, fn = torch_counts(y, p, constraint_thresholds(num_thresholds) if thr is None else thr)
    rec, prec, spec = divide_no_nan(tp, tp + fn), divide_no_nan(tp, tp + fp), divide_no_nan(tn, tn + fp)
    constrained, dependent = {"par": (rec, prec), "sas": (spec, rec), "sps": (rec, spec)}[kind]
    ok = constrained > value if strict else constrained >= value
    return float(torch().where(ok, dependent, torch().zeros_like(dependent)).max().clamp(min=0))


def _ratio_of(a, b) -> float:
    return a / b if b else 0.0


def _batch_value(kind, kw, args):
    if kind == "Mean":
        v = np.asarray(args[0], dtype=np.float64)
        return float(v.mean()) if v.ndim else float(v)
    y, p = args
    if kind == "AUC":
        return _auc(y, p, kw.get("num_thresholds", 200))
    tp, tn, fp, fn = (float(c[0]) for c in _counts(y, p, kw.get("thresholds", kw.get("threshold", 0.5))))
    return {"BinaryAccuracy": _ratio_of(tp + tn, tp + tn + fp + fn), "Precision": _ratio_of(tp, tp + fp),
            "Recall": _ratio_of(tp, tp + fn)}[kind]


def _batch_means(kind):
    """A streaming metric that averages the per-batch results (the classic mistake)."""
    def model(ctor_args, ctor_kwargs, calls):
        seen, out = [], []
        for method, args, _ in calls:
            if method == "update_state":
                seen.append(_batch_value(kind, ctor_kwargs, args))
            elif method == "reset_state":
                seen = []
            out.append(float(np.mean(seen)) if method == "result" and seen else 0.0 if method == "result" else None)
        return out
    return model


def _no_reset(kind):
    """The right accumulation, but reset_state leaves the accumulators as they were."""
    def model(ctor_args, ctor_kwargs, calls):
        kept = [c for c in calls if c[0] != "reset_state"]
        values = iter(getattr(Torch, kind)(ctor_args, ctor_kwargs, kept))
        return [next(values) if c[0] != "reset_state" else None for c in calls]
    return model


def _compare_stream(likely):
    """Each result() of a call sequence compared in turn, named by its place in the sequence;
    the known mistakes are matched on the whole sequence of results up to the failing one."""
    def check(got, expected, case, oracles):
        calls = case.args[2]
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            return f"expected one value per call ({len(expected)}), got {describe_type(got)}"
        batches = []
        for i, ((method, args, _), g, e) in enumerate(zip(calls, got, expected)):
            if method == "update_state":
                batches.append(str(np.size(args[0])) if np.ndim(args[0]) else "1 (a number)")
                continue
            if method == "reset_state":
                batches = ["reset_state()"]
                continue
            problem = compare(g, e, DEFAULT_RTOL, DEFAULT_ATOL)
            if problem is None:
                continue
            sizes = [b for b in batches if b != "reset_state()"]
            seen = ("reset_state() and " if batches[:1] == ["reset_state()"] else "") + (
                f"update_state with batches of {', '.join(sizes)} sample(s)" if sizes else "no update_state")
            what = "wrong value" if problem.kind == "value" else problem.message.replace("result", "result()", 1)
            lines = [f"call {i + 1} of {len(calls)}, the result() after {seen}: {what}"]
            if problem.kind in ("value", "nonfinite"):
                lines += [f"expected (Keras): {fmt(e)}", f"got:              {fmt(g)}"]
            for row in likely:
                try:
                    alt = oracles.call(row.value, case.args, case.kwargs)
                except Exception:
                    continue
                mine = [a for (m, _, _), a in zip(calls[:i + 1], alt) if m == "result"]
                theirs = [x for (m, _, _), x in zip(calls[:i + 1], got) if m == "result"]
                right = [x for (m, _, _), x in zip(calls[:i + 1], expected) if m == "result"]
                if explains(theirs, mine, right, DEFAULT_RTOL, DEFAULT_ATOL):
                    lines.append(f"likely mistake: {row.message}")
            return "\n  ".join(lines)
        return None
    return check


def _stream_likely(kind, what):
    return (Likely(f"your result() is the mean of the per-batch {what}: a streaming metric accumulates "
                   "its counts (or total and count) over every batch and divides once in result()",
                   _batch_means(kind)),
            Likely("reset_state() did not zero the accumulators: after it, result() must start again "
                   "as for a new object", _no_reset(kind)))


# ---------------------------------------------------------------------------------------
# Stateless functions

GE = "at p == threshold the prediction is negative: Keras uses p > threshold (strict), not >="


def _acc_cases(rng):
    out = []
    for n, shape in ((5, None), (12, None), (8, 3)):
        size = (n,) if shape is None else (n, shape)
        y = rng.integers(0, 3, size=size)
        pred = np.where(rng.uniform(size=size) < 0.6, y, rng.integers(0, 3, size=size))
        out.append(Case((y, pred.astype(np.float64) if shape else pred)))
    return out


def _acc_edge(rng):
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    return [Case((y, np.array([0.9999, 0.0001, 1.0, 0.98, 0.0])), {},
                 "probabilities near the labels: Accuracy checks exact equality"),
            Case((np.array([2, 0, 1]), np.array([2, 0, 1])), {}, "all equal"),
            Case((np.array([3]), np.array([1])), {}, "one sample, wrong")]


def _cat_cases(rng, sparse=False, ties=False):
    out = []
    for n, k in ((4, 3), (12, 5), (30, 10)):
        onehot, pred, idx = multiclass(rng, n, k, ties)
        out.append(Case((idx if sparse else onehot, pred), {},
                        "tied maxima: the first maximum wins, as np.argmax" if ties else ""))
    return out


def _cat_tie_rows(sparse=False):
    pred = np.array([[0.4, 0.4, 0.2], [0.3, 0.3, 0.4], [0.5, 0.5, 0.0], [0.25, 0.5, 0.5]])
    idx = np.array([0, 1, 1, 2])
    return Case((idx if sparse else np.eye(3)[idx], pred), {},
                "rows with tied maxima: the first maximum is the prediction")


def _topk_cases(rng, ties=False, k=None):
    out = []
    for n in (6, 20):
        onehot, pred, _ = multiclass(rng, n, 10, ties)
        out.append(Case((onehot, pred), {} if k is None else {"k": k},
                        "tied scores: a hit when the true class's score >= the k-th largest" if ties else ""))
    return out


def _topk_tie_rows():
    # true class 0 tied with others at the k-th largest score (k = 2): a hit in Keras
    pred = np.array([[0.5, 0.75, 0.5, 0.5, 0.25],
                     [0.25, 0.5, 0.75, 1.0, 0.25],
                     [0.5, 0.5, 0.5, 0.5, 0.5]])
    return Case((np.eye(5)[[0, 0, 4]], pred), {"k": 2},
                "ties straddle the k-th place: Keras counts every tied class as in the top k")


def _topk_strict(y_true, y_pred, k=5):
    order = torch().argsort(-_t(y_pred), dim=-1, stable=True)[..., :k]
    return _mean((order == _t(y_true).argmax(-1)[..., None]).any(-1))


def _binary_edge(rng):
    return [Case((np.array([0, 0, 0, 1]), np.array([0.1, 0.2, 0.0, 0.3])), {},
                 "no score above the threshold: nothing predicted positive"),
            Case((np.array([0, 0, 0]), np.array([0.1, 0.7, 0.3])), {}, "no positive label"),
            Case((np.array([1, 1, 1]), np.array([0.9, 0.6, 1.0])), {}, "only positive labels")]


def _confusion_likely():
    def sk_order(y, p, threshold=0.5):
        tp, tn, fp, fn = (int(c[0]) for c in _counts(y, p, threshold))
        return tn, fp, fn, tp
    return (Likely(GE, lambda y, p, threshold=0.5: tuple(int(c[0]) for c in _counts(y, p, threshold, True))),
            Likely("the order is (tp, tn, fp, fn); scikit-learn's confusion_matrix(...).ravel() gives "
                   "(tn, fp, fn, tp)", sk_order))


def _compare_counts(got, expected, case, oracles):
    """The four counts compared as one tuple, so that a known mistake is named from all four."""
    if not isinstance(got, (tuple, list)) or len(got) != 4:
        return f"the result should be a tuple of 4 ints (tp, tn, fp, fn), got {describe_type(got)}"
    try:
        counts = tuple(int(v) for v in got)
    except (TypeError, ValueError):
        return f"the result should hold 4 ints (tp, tn, fp, fn), got {fmt(got)}"
    if counts == tuple(expected):
        return None
    lines = [f"wrong counts: expected (tp, tn, fp, fn) = {tuple(expected)}, got {counts}"]
    for row in _confusion_likely():
        if tuple(oracles.call(row.value, case.args, case.kwargs)) == counts:
            lines.append(f"likely mistake: {row.message}")
    return "\n  ".join(lines)


def _pr_likely(name):
    other = "recall" if name == "precision" else "precision"
    ge = lambda y, p, threshold=0.5, name=name: _ratio(name, y, p, threshold, True)
    swap = lambda y, p, threshold=0.5, other=other: _ratio(other, y, p, threshold)
    return (Likely(GE, ge), Likely(f"you computed {other}, not {name}: "
                                   + ("precision = tp / (tp + fp)" if name == "precision"
                                      else "recall = tp / (tp + fn)"), swap))


def _ratio(name, y, p, threshold, ge=False):
    tp, tn, fp, fn = (float(c[0]) for c in _counts(y, p, threshold, ge))
    return _ratio_of(tp, tp + fp) if name == "precision" else _ratio_of(tp, tp + fn)


def _auc_cases(rng, n_thr=200, sizes=(8, 30, 60), crowd=False):
    out = []
    g = n_thr - 1
    for i, n in enumerate(sizes):
        if crowd and i == len(sizes) - 1:
            p = 0.6 + 0.008 * rng.uniform(size=n)       # crowded into two buckets
            p = scores_like(p, g)
            note = "scores crowded into a narrow band: the thresholded area is coarse there"
        else:
            p = scores(rng, n, (g,))
            note = ""
        out.append(Case((labels(rng, n, p, np.float64 if i == 1 else np.int64), p),
                        {} if n_thr == 200 else {"num_thresholds": n_thr}, note))
    return out


def scores_like(p, g):
    marks = np.arange(g + 1) / g
    near = np.min(np.abs(p[:, None] - marks[None, :]), axis=1) < GAP
    return np.where(near, p + 3 * GAP, p)


def _auc_edge(rng):
    return [Case((np.array([0, 1, 0, 1]), np.array([0.0, 1.0, 0.0, 1.0])), {},
                 "scores of exactly 0 and 1: the end thresholds are -1e-7 and 1 + 1e-7"),
            Case((np.array([1, 1, 1]), np.array([0.2, 0.7, 0.9])), {}, "one class only: the AUC is 0"),
            Case((np.array([0, 0, 1, 1]), np.array([0.1, 0.3, 0.6, 0.8])), {}, "perfectly separated"),
            Case((np.array([1, 0, 1, 1, 0, 0]), np.array([0.5, 0.4, 0.6, 0.5, 0.3, 0.75])), {"num_thresholds": 5},
                 "scores exactly at thresholds (0.5, 0.75 with num_thresholds=5): positive only where p > t")]


def _exact_auc(y, p, num_thresholds=200):
    return sklearn_roc_auc(y, p)


AT = {  # function -> (kind, constraint name, constraint values)
    "precision_at_recall": ("par", "recall", (0.5, 0.75, 0.875)),
    "sensitivity_at_specificity": ("sas", "specificity", (0.5, 0.75, 0.25)),
    "specificity_at_sensitivity": ("sps", "sensitivity", (0.75, 0.5, 0.875)),
}


def _at_cases(fn, rng, n_thr=None):
    kind, cname, values = AT[fn]
    out = []
    g = (n_thr or 200) - 1
    for n, v in zip((8, 25, 60), values):
        p = scores(rng, n, (g,))
        kw = {} if n_thr is None else {"num_thresholds": n_thr}
        out.append(Case((labels(rng, n, p), p, v), kw))
    return out


def _at_tie(fn):
    """4 positives and 4 negatives: rates of exactly 0.5 and 0.75 occur, and >= includes them."""
    kind, cname, _ = AT[fn]
    y = np.array([0, 1, 0, 1, 1, 1, 0, 0])
    p = np.array([0.113, 0.373, 0.363, 0.883, 0.123, 0.333, 0.073, 0.253])
    return [Case((y, p, 0.5), {}, f"the {cname} is exactly 0.5 at some thresholds: the constraint is >= value"),
            Case((y, p, 0.75), {"num_thresholds": 11}, f"the {cname} is exactly 0.75 at some thresholds")]


def _at_edge(fn):
    kind, cname, _ = AT[fn]
    return [Case((np.array([0, 0, 0, 0]), np.array([0.1, 0.4, 0.6, 0.8]), 0.5), {},
                 "no positive label: every recall/sensitivity is 0"),
            Case((np.array([1, 1, 1]), np.array([0.1, 0.4, 0.8]), 0.5), {},
                 "no negative label: every specificity is 0"),
            Case((np.array([0, 1, 0, 1]), np.array([0.0, 1.0, 0.25, 0.75]), 1.0), {},
                 "scores of exactly 0 and 1 and a constraint of 1.0"),
            Case((np.array([1, 0, 0, 1, 0]), np.array([0.003, 0.0, 0.0, 0.8, 0.3]), 0.5 if kind == "sas" else 1.0),
                 {}, "scores of exactly 0 (not above the first threshold, 0) next to a score of 0.003")]


def _at_likely(fn):
    kind, cname, _ = AT[fn]
    strict = lambda y, p, v, num_thresholds=200, kind=kind: _at(kind, y, p, v, num_thresholds, strict=True)
    swapped = {"par": None, "sas": "sps", "sps": "sas"}[kind]
    rows = [Likely(f"the constraint is {cname} >= value (inclusive); you used >", strict)]
    if swapped:
        rows.append(Likely("you swapped the roles: the constraint is on " + cname + ", the maximum is taken "
                           "of the other rate",
                           lambda y, p, v, num_thresholds=200, s=swapped: _at(s, y, p, v, num_thresholds)))
    rows.append(Likely("your thresholds include -1e-7 and 1 + 1e-7 (AUC's): these metrics use exactly "
                       "[0, 1/(n-1), ..., 1]",
                       lambda y, p, v, num_thresholds=200, kind=kind:
                       _at(kind, y, p, v, num_thresholds, thr=auc_thresholds(num_thresholds))))
    return tuple(rows)


def _reg_cases(rng, positive=False):
    out = []
    for shape in ((5,), (12,), (6, 3)):
        y = rng.uniform(0.5, 4.0, size=shape) * (1 if positive else rng.choice([-1, 1], size=shape))
        p = y + rng.normal(0, 0.6, size=shape)
        if positive:
            p = np.abs(p)
        out.append(Case((y, p)))
    return out


def _rmse_edge(rng):
    y = rng.normal(size=6)
    return [Case((y, y.copy()), {}, "perfect predictions: 0"),
            Case((np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 60.0]])),
                 {}, "2-D: the root of the mean over all elements (not a mean of per-column RMSEs)")]


def _mape_edge(rng):
    return [Case((np.array([0.0, 1.0, -2.0, 4.0, 3e-7]), np.array([0.5, 1.5, -1.0, 4.0, 1e-6])), {},
                 "y_true = 0 and 3e-7: the denominator is max(|y|, 1e-7)"),
            Case((np.array([-3.0, -0.5, 2.0]), np.array([-1.0, 0.5, 2.5])), {},
                 "negative targets: |y_true| in the denominator")]


def _msle_edge(rng):
    return [Case((np.array([0.0, 1.0, 2.0, 0.5]), np.array([-0.5, 1.5, -0.25, 0.0])), {},
                 "negative predictions are clipped at 1e-7 before log(1 + x)"),
            Case((np.array([-1.5, 3.0, 1.0]), np.array([2.0, 3.0, -2.0])), {},
                 "values below -1 are clipped too (log(1 + x) is undefined there)")]


def _rmse_cols(y, p):
    d = _t(y) - _t(p)
    return float((d ** 2).mean().sqrt()) if d.ndim == 1 else _mean((d ** 2).mean(0).sqrt())


def _msle_noclip(y, p):
    return _mean((torch().log1p(_t(p)) - torch().log1p(_t(y))) ** 2)


def _mape_plain(y, p):
    return _mean(((_t(y) - _t(p)) / _t(y).abs().clamp(min=1e-7)).abs())


def _stateless() -> list[Check]:
    K, T = Keras, Torch
    common = lambda fn, **kw: dict(keras=getattr(K, fn), torch=getattr(T, fn), primary="keras", **kw)
    c = []
    # accuracy
    lk = dict(likely=(Likely("accuracy is exact equality of labels: Keras's Accuracy does not threshold "
                             "probabilities (that is binary_accuracy)",
                             lambda y, p: _mean(_t(y) == (_t(p) > 0.5).double())),
                      Likely("accuracy is exact equality: rounding y_pred first is binary_accuracy's job",
                             lambda y, p: _mean(_t(y) == torch().round(_t(p))))))
    c += [Check("accuracy", "types (a float)", 1, lambda rng: _acc_cases(rng)[:2], structure_only=True,
                **common("accuracy")),
          Check("accuracy", "typical values (1-D and 2-D labels)", 2, _acc_cases, **common("accuracy", **lk)),
          Check("accuracy", "exact equality, one sample", 1, _acc_edge, **common("accuracy", **lk))]
    # binary_accuracy
    ba = dict(likely=(Likely(GE, lambda y, p, threshold=0.5: _mean(_t(y) == (_t(p) >= threshold).double())),
                      Likely("the threshold argument is ignored: predict positive where p > threshold",
                             lambda y, p, threshold=0.5: _mean(_t(y) == (_t(p) > 0.5).double())),
                      Likely("this is the error rate, 1 - accuracy: count the samples where the prediction "
                             "equals the label", lambda y, p, threshold=0.5: _mean(_t(y) != (_t(p) > threshold).double()))))
    c += [Check("binary_accuracy", "types (a float)", 1, lambda rng: binary_cases(rng, (5, 9)), structure_only=True,
                **common("binary_accuracy")),
          Check("binary_accuracy", "typical values", 2, binary_cases, **common("binary_accuracy", **ba)),
          Check("binary_accuracy", "scores exactly at the threshold (0.5)", 1, at_threshold,
                **common("binary_accuracy", **ba)),
          Check("binary_accuracy", "extra argument threshold=0.25 and 0.75", 1,
                lambda rng: binary_cases(rng, (8,), 0.25) + binary_cases(rng, (20,), 0.75)
                + at_threshold(rng, 0.25, {"threshold": 0.25})[:1], **common("binary_accuracy", **ba))]
    # categorical / sparse categorical
    last = lambda p: _t(p).shape[-1] - 1 - torch().flip(_t(p), [-1]).argmax(-1)
    for fn, sparse in (("categorical_accuracy", False), ("sparse_categorical_accuracy", True)):
        truth = (lambda y: _t(y)) if sparse else (lambda y: _t(y).argmax(-1))
        lk = dict(likely=(Likely("on tied scores the prediction is the FIRST maximum (np.argmax)",
                                 lambda y, p, truth=truth: _mean(truth(y) == last(p))),))
        c += [Check(fn, "types (a float)", 1, lambda rng, s=sparse: _cat_cases(rng, s)[:2], structure_only=True,
                    **common(fn)),
              Check(fn, "typical values", 2, lambda rng, s=sparse: _cat_cases(rng, s), **common(fn, **lk)),
              Check(fn, "ties: the first maximum wins", 1,
                    lambda rng, s=sparse: [_cat_tie_rows(s)] + _cat_cases(rng, s, ties=True)[1:],
                    **common(fn, **lk))]
    # top-k
    def _target_and_sorted(y, p):
        p = _t(p)
        target = torch().take_along_dim(p, _t(y).argmax(-1)[..., None], -1)[..., 0]
        return target, torch().sort(p, dim=-1, descending=True).values
    tk = dict(likely=(Likely("ties count as hits in Keras: a hit where the true class's score is >= the k-th "
                             "largest score (a stable argsort ranks tied classes apart)", _topk_strict),
                      Likely("a hit is score >= the k-th largest score (ties count), not >",
                             lambda y, p, k=5: _mean(_target_and_sorted(y, p)[0]
                                                     > _target_and_sorted(y, p)[1][..., k - 1])),
                      Likely("off by one: the k-th largest score is at index k - 1 of the scores sorted "
                             "in decreasing order",
                             lambda y, p, k=5: _mean(_target_and_sorted(y, p)[0]
                                                     >= _target_and_sorted(y, p)[1][..., k]))))
    c += [Check("top_k_categorical_accuracy", "types (a float)", 1, lambda rng: _topk_cases(rng)[:1],
                structure_only=True, **common("top_k_categorical_accuracy")),
          Check("top_k_categorical_accuracy", "typical values (k=5, 10 classes)", 2, _topk_cases,
                **common("top_k_categorical_accuracy", **tk)),
          Check("top_k_categorical_accuracy", "ties at the k-th place count as hits", 1,
                lambda rng: [_topk_tie_rows()] + _topk_cases(rng, ties=True),
                **common("top_k_categorical_accuracy", **tk)),
          Check("top_k_categorical_accuracy", "extra argument k=1 and k=3", 1,
                lambda rng: _topk_cases(rng, k=1)[:1] + _topk_cases(rng, k=3)[1:],
                **common("top_k_categorical_accuracy", **tk))]
    # confusion counts, precision, recall
    cc = dict(compare=_compare_counts)
    c += [Check("confusion_counts", "types (a tuple of 4 ints)", 1, lambda rng: binary_cases(rng, (6,)),
                structure_only=True, **common("confusion_counts")),
          Check("confusion_counts", "typical values", 2, binary_cases, **common("confusion_counts", **cc)),
          Check("confusion_counts", "scores exactly at the threshold (0.5)", 1, at_threshold,
                **common("confusion_counts", **cc)),
          Check("confusion_counts", "one class only, nothing predicted positive", 1, _binary_edge,
                **common("confusion_counts", **cc)),
          Check("confusion_counts", "extra argument threshold=0.25 and 0.75", 1,
                lambda rng: binary_cases(rng, (10,), 0.25) + binary_cases(rng, (25,), 0.75),
                **common("confusion_counts", **cc))]
    for fn in ("precision", "recall"):
        lk = dict(likely=_pr_likely(fn))
        empty = ("no predicted positive and no positive label: 0/0 is 0 (no warning)")
        c += [Check(fn, "types (a float)", 1, lambda rng: binary_cases(rng, (6,)), structure_only=True, **common(fn)),
              Check(fn, "typical values", 2, binary_cases, **common(fn, **lk)),
              Check(fn, "scores exactly at the threshold (0.5)", 1, at_threshold, **common(fn, **lk)),
              Check(fn, empty, 1, _binary_edge, stable=True, **common(fn, **lk)),
              Check(fn, "extra argument threshold=0.25 and 0.75", 1,
                    lambda rng: binary_cases(rng, (10,), 0.25) + binary_cases(rng, (25,), 0.75),
                    **common(fn, **lk))]
    # AUC
    al = dict(likely=(Likely("this is the exact ROC AUC (every score a threshold, as scikit-learn's "
                             "roc_auc_score); Keras's uses num_thresholds fixed thresholds "
                             "[-1e-7, 1/(n-1), ..., 1 + 1e-7]", _exact_auc),
                      Likely("your thresholds are [0, ..., 1]: Keras's first and last are -1e-7 and 1 + 1e-7, "
                             "so scores of exactly 0 and 1 count",
                             lambda y, p, num_thresholds=200: _auc(y, p, num_thresholds,
                                                                   constraint_thresholds(num_thresholds))),
                      Likely(GE, lambda y, p, num_thresholds=200: _auc(y, p, num_thresholds, ge=True)),
                      Likely("the num_thresholds argument is ignored: the thresholds are -1e-7, 1/(n-1), ..., "
                             "1 + 1e-7 with n = num_thresholds", lambda y, p, num_thresholds=200: _auc(y, p, 200))))
    exact = ("the second opinion here is scikit-learn's roc_auc_score, the exact area (every distinct score "
             "a threshold); Keras's AUC uses num_thresholds fixed thresholds and differs by ~1e-3")
    c += [Check("auc", "types (a float)", 1, lambda rng: _auc_cases(rng, sizes=(6,)), structure_only=True,
                **common("auc")),
          Check("auc", "typical values (vs scikit-learn's exact AUC: shown)", 2,
                lambda rng: _auc_cases(rng, crowd=True), keras=Keras.auc, sklearn=_exact_auc, primary="keras",
                differs=exact, likely=al["likely"]),
          Check("auc", "scores of 0 and 1, one class only, scores at a threshold", 1, _auc_edge, **common("auc", **al)),
          Check("auc", "extra argument num_thresholds=5 and 50", 1,
                lambda rng: _auc_cases(rng, 5, (12,)) + _auc_cases(rng, 50, (40,)), **common("auc", **al))]
    # at-constraint metrics
    for fn in AT:
        lk = dict(likely=_at_likely(fn))
        c += [Check(fn, "types (a float)", 1, lambda rng, fn=fn: _at_cases(fn, rng)[:1], structure_only=True,
                    **common(fn)),
              Check(fn, "typical values", 2, lambda rng, fn=fn: _at_cases(fn, rng), **common(fn, **lk)),
              Check(fn, "the constraint met exactly (>=)", 1, lambda rng, fn=fn: _at_tie(fn), **common(fn, **lk)),
              Check(fn, "one class only, scores of 0 and 1", 1, lambda rng, fn=fn: _at_edge(fn), stable=True,
                    **common(fn, **lk)),
              Check(fn, "extra argument num_thresholds=3 and 11", 1,
                    lambda rng, fn=fn: _at_cases(fn, rng, 3)[:2] + _at_cases(fn, rng, 11),
                    **common(fn, **lk))]
    # regression metrics
    rl = dict(likely=(Likely("this is the mean squared error: take the square root", 
                             lambda y, p: _mean((_t(y) - _t(p)) ** 2)),
                      Likely("a mean of per-column RMSEs (scikit-learn's multioutput default): Keras takes the "
                             "root of the mean over all elements", _rmse_cols)))
    c += [Check("root_mean_squared_error", "types (a float)", 1, lambda rng: _reg_cases(rng)[:2],
                structure_only=True, **common("root_mean_squared_error")),
          Check("root_mean_squared_error", "typical values (1-D and 2-D)", 2, _reg_cases,
                **common("root_mean_squared_error", **rl)),
          Check("root_mean_squared_error", "perfect predictions, 2-D", 1, _rmse_edge,
                **common("root_mean_squared_error", **rl))]
    ml = dict(likely=(Likely("a fraction, not a percentage: Keras multiplies by 100", _mape_plain),
                      Likely("the denominator is max(|y_true|, 1e-7): the absolute value of the target",
                             lambda y, p: 100 * _mean((_t(y) - _t(p)).abs() / _t(y).clamp(min=1e-7)))))
    c += [Check("mean_absolute_percentage_error", "types (a float)", 1, lambda rng: _reg_cases(rng)[:2],
                structure_only=True, **common("mean_absolute_percentage_error")),
          Check("mean_absolute_percentage_error", "typical values (1-D and 2-D)", 2, _reg_cases,
                **common("mean_absolute_percentage_error", **ml)),
          Check("mean_absolute_percentage_error", "zero and negative targets (no warning)", 1, _mape_edge,
                stable=True, **common("mean_absolute_percentage_error", **ml))]
    sl = dict(likely=(Likely("clip both arguments at 1e-7 before log(1 + x), as Keras", _msle_noclip),
                      Likely("log(1 + x), not log(x)",
                             lambda y, p: _mean((_t(p).clamp(min=1e-7).log() - _t(y).clamp(min=1e-7).log()) ** 2))))
    c += [Check("mean_squared_logarithmic_error", "types (a float)", 1, lambda rng: _reg_cases(rng, True)[:2],
                structure_only=True, **common("mean_squared_logarithmic_error")),
          Check("mean_squared_logarithmic_error", "typical values (1-D and 2-D)", 2,
                lambda rng: _reg_cases(rng, True), **common("mean_squared_logarithmic_error", **sl)),
          Check("mean_squared_logarithmic_error", "negative values are clipped (no warning)", 1, _msle_edge,
                stable=True, **common("mean_squared_logarithmic_error", **sl))]
    return c


# ---------------------------------------------------------------------------------------
# Streaming classes

def U(*args):
    return ("update_state", tuple(args), {})


R = ("result", (), {})
RESET = ("reset_state", (), {})


def _batches(rng, kind, sizes, kw=None):
    """update_state / result pairs over batches of the given sizes."""
    kw = kw or {}
    calls = []
    for i, n in enumerate(sizes):
        if kind == "Mean":
            calls.append(U(rng.normal(1.0, 2.0, size=n) if n > 0 else float(rng.normal())))
        else:
            grids = (kw.get("num_thresholds", 200) - 1, LAB_THRESHOLDS)
            avoid = (0.5, kw.get("threshold", kw.get("thresholds", 0.5)))
            p = scores(rng, n, grids, avoid)
            calls.append(U(labels(rng, n, p, np.float64), p))
        calls.append(R)
    return calls


def _stream_cases(kind, which):
    def make(rng):
        if which == "types":
            return [Case(([], {}, _batches(rng, kind, (4,))), {}, "one batch, then result()")]
        if which == "batches":
            return [Case(([], {}, _batches(rng, kind, (3, 7, 12))), {}, "batches of 3, 7 and 12"),
                    Case(([], {}, _batches(rng, kind, (10, 2, 25, 5))), {}, "batches of 10, 2, 25 and 5")]
        if which == "reset":
            mixed = (U(np.array([1.0, -2.0, 4.0])) if kind == "Mean" else
                     U(np.array([1.0, 1.0, 0.0, 0.0]), np.array([0.875, 0.125, 0.625, 0.375])))  # tp, fn, fp, tn
            calls = _batches(rng, kind, (6, 9))[::2] + [mixed, R, RESET, R] + _batches(rng, kind, (5, 11))
            return [Case(([], {}, [R] + calls), {},
                         "result() before any update, three batches, reset_state(), result(), two more batches")]
        raise ValueError(which)
    return make


def _mean_scalars(rng):
    calls = [U(2.5), R, U(rng.normal(size=4)), R, U(-1.0), U(0.25), R, U(rng.normal(size=(3,))), R]
    return [Case(([], {}, calls), {}, "python floats count as one value each, arrays as their length")]


def _stream_extra(kind, kw_list):
    def make(rng):
        out = []
        for kw in kw_list:
            calls = _batches(rng, kind, (5, 14), kw)
            if kind in ("BinaryAccuracy", "Precision", "Recall"):
                t = kw.get("threshold", kw.get("thresholds"))
                calls += [U(np.array([1.0, 1.0, 0.0, 0.0, 1.0]), np.array([t, t, t, 1.0, 0.0])), R]
            out.append(Case(([], dict(kw), calls), {}, ", ".join(f"{k}={v}" for k, v in kw.items())
                            + ("; the last batch has scores exactly at the threshold" if kind != "AUC" else "")))
        return out
    return make


def _streaming() -> list[Check]:
    c = []
    spec = {"Mean": "means", "BinaryAccuracy": "accuracies", "Precision": "precisions", "Recall": "recalls",
            "AUC": "AUCs"}
    extra = {"BinaryAccuracy": [{"threshold": 0.25}, {"threshold": 0.5}],
             "Precision": [{"thresholds": 0.25}, {"thresholds": 0.75}],
             "Recall": [{"thresholds": 0.25}, {"thresholds": 0.75}],
             "AUC": [{"num_thresholds": 5}, {"num_thresholds": 50}]}
    for kind, what in spec.items():
        types = dict(keras=getattr(Keras, kind), torch=getattr(Torch, kind), primary="keras", driver=drive_object)
        common = dict(types, compare=_compare_stream(_stream_likely(kind, what)))
        c += [Check(kind, "types (result() is a float)", 1, _stream_cases(kind, "types"), structure_only=True,
                    **types),
              Check(kind, "several batches of different sizes", 2, _stream_cases(kind, "batches"), **common),
              Check(kind, "reset_state, and result() before any update (0, no warning)", 1,
                    _stream_cases(kind, "reset"), stable=True, **common)]
        if kind == "Mean":
            c.append(Check(kind, "scalar values and arrays mixed", 1, _mean_scalars, **common))
        else:
            label = " and ".join(", ".join(f"{k}={v}" for k, v in kw.items()) for kw in extra[kind])
            c.append(Check(kind, f"constructor argument {label}", 1, _stream_extra(kind, extra[kind]), **common))
    return c


CHECKS = _stateless() + _streaming()

# Each function is graded on its own: while one is graded, these stand in for the others
# (a wrong confusion_counts costs confusion_counts its points, not precision, recall and the
# streaming Precision and Recall that call it too).
SUBSTITUTE = ["binary_accuracy", "confusion_counts", "precision", "recall", "auc"]


def _large_binary(rng, n=50_000):
    p = scores(rng, n)
    return Case((labels(rng, n, p), p))


# One large input per function, timed against Keras for a note on speed (never points).
SPEED = {
    "confusion_counts": _large_binary,
    "precision": _large_binary,
    "auc": _large_binary,
    "top_k_categorical_accuracy": lambda rng: Case(multiclass(rng, 20_000, 10)[:2]),
}

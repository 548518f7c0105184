"""Oracles for lab07_metrics: Keras's metrics, float64 in and out.

Keras decides (the contract: every function equals the Keras metric class's `result()`
after one `update_state` with the whole input, Keras in float64). The second opinion is a
computation of the same definition with torch ops, or scikit-learn where it has the metric
and matches Keras exactly (confusion matrix, precision, recall); `sklearn_roc_auc` is the
exact ROC AUC, which differs from Keras's thresholded one and is shown, not graded.

Keras metric objects cost ~10-25 ms to build (their variables) and ~2-10 ms per use, so
each oracle keeps one object per class and constructor arguments and calls `reset_state`
before every use. TopKCategoricalAccuracy raises on float64 predictions (TF's `in_top_k`
takes float32 only): its oracle casts to float32, and the graded inputs are float32 values.

Streaming oracles take the `object` driver's arguments `(ctor_args, ctor_kwargs, calls)`,
`calls` a list of `(method, args, kwargs)` with methods `update_state`, `result` and
`reset_state`, and return one entry per call: the float `result()`, None for the others.
"""
from __future__ import annotations

import numpy as np

from reference._frameworks import keras, torch

EPSILON = 1e-7          # keras.backend.epsilon()

_METRICS: dict = {}


def _fresh(name, *args, **kwargs):
    """A zeroed Keras metric object `keras.metrics.<name>(*args, **kwargs)`, reused across calls."""
    key = (name, args, tuple(sorted(kwargs.items())))
    if key not in _METRICS:
        _METRICS[key] = getattr(keras().metrics, name)(*args, **kwargs)
    metric = _METRICS[key]
    metric.reset_state()
    return metric


_ANSWERS: dict = {}


def _key(x):
    x = np.asarray(x)
    return x.dtype.str, x.shape, x.tobytes()


def _keras_once(name, y_true, y_pred, *args, **kwargs) -> float:
    """`result()` after one `update_state(y_true, y_pred)`, remembered by value: while other
    functions are graded these oracles stand in for the student's, often on the same inputs."""
    key = (name, _key(y_true), _key(y_pred), args, tuple(sorted(kwargs.items())))
    if key not in _ANSWERS:
        if len(_ANSWERS) > 20_000:
            _ANSWERS.clear()
        metric = _fresh(name, *args, **kwargs)
        metric.update_state(np.asarray(y_true), np.asarray(y_pred))
        _ANSWERS[key] = float(metric.result())
    return _ANSWERS[key]


def _f64(x):
    return np.asarray(x, dtype=np.float64)


class Keras:
    @staticmethod
    def accuracy(y_true, y_pred):
        return _keras_once("Accuracy", _f64(y_true), _f64(y_pred))

    @staticmethod
    def binary_accuracy(y_true, y_pred, threshold=0.5):
        return _keras_once("BinaryAccuracy", _f64(y_true), _f64(y_pred), threshold=threshold)

    @staticmethod
    def categorical_accuracy(y_true, y_pred):
        return _keras_once("CategoricalAccuracy", _f64(y_true), _f64(y_pred))

    @staticmethod
    def sparse_categorical_accuracy(y_true, y_pred):
        return _keras_once("SparseCategoricalAccuracy", np.asarray(y_true), _f64(y_pred))

    @staticmethod
    def top_k_categorical_accuracy(y_true, y_pred, k=5):
        y32 = np.asarray(y_pred, dtype=np.float32)
        if not np.array_equal(y32.astype(np.float64), _f64(y_pred)):
            raise ValueError("top_k inputs must be exactly representable in float32")
        return _keras_once("TopKCategoricalAccuracy", np.asarray(y_true, dtype=np.float32), y32, k=k)

    @staticmethod
    def confusion_counts(y_true, y_pred, threshold=0.5):
        return tuple(int(round(_keras_once(name, _f64(y_true), _f64(y_pred), thresholds=threshold)))
                     for name in ("TruePositives", "TrueNegatives", "FalsePositives", "FalseNegatives"))

    @staticmethod
    def precision(y_true, y_pred, threshold=0.5):
        return _keras_once("Precision", _f64(y_true), _f64(y_pred), thresholds=threshold)

    @staticmethod
    def recall(y_true, y_pred, threshold=0.5):
        return _keras_once("Recall", _f64(y_true), _f64(y_pred), thresholds=threshold)

    @staticmethod
    def auc(y_true, y_pred, num_thresholds=200):
        return _keras_once("AUC", _f64(y_true), _f64(y_pred), num_thresholds=num_thresholds)

    @staticmethod
    def precision_at_recall(y_true, y_pred, recall, num_thresholds=200):
        return _keras_once("PrecisionAtRecall", _f64(y_true), _f64(y_pred), recall,
                           num_thresholds=num_thresholds)

    @staticmethod
    def sensitivity_at_specificity(y_true, y_pred, specificity, num_thresholds=200):
        return _keras_once("SensitivityAtSpecificity", _f64(y_true), _f64(y_pred), specificity,
                           num_thresholds=num_thresholds)

    @staticmethod
    def specificity_at_sensitivity(y_true, y_pred, sensitivity, num_thresholds=200):
        return _keras_once("SpecificityAtSensitivity", _f64(y_true), _f64(y_pred), sensitivity,
                           num_thresholds=num_thresholds)

    @staticmethod
    def root_mean_squared_error(y_true, y_pred):
        return _keras_once("RootMeanSquaredError", _f64(y_true), _f64(y_pred))

    @staticmethod
    def mean_absolute_percentage_error(y_true, y_pred):
        return _keras_once("MeanAbsolutePercentageError", _f64(y_true), _f64(y_pred))

    @staticmethod
    def mean_squared_logarithmic_error(y_true, y_pred):
        return _keras_once("MeanSquaredLogarithmicError", _f64(y_true), _f64(y_pred))

    # Streaming classes: the same calls replayed on the Keras metric object.
    @staticmethod
    def _replay(name, ctor_args, ctor_kwargs, calls):
        metric = _fresh(name, *ctor_args, **ctor_kwargs)
        out = []
        for method, args, kwargs in calls:
            if method == "update_state":
                metric.update_state(*[a if np.isscalar(a) else _f64(a) for a in args], **kwargs)
                out.append(None)
            elif method == "result":
                out.append(float(metric.result()))
            elif method == "reset_state":
                metric.reset_state()
                out.append(None)
            else:
                raise ValueError(f"unknown method {method!r}")
        return out

    @staticmethod
    def Mean(ctor_args, ctor_kwargs, calls):
        return Keras._replay("Mean", ctor_args, ctor_kwargs, calls)

    @staticmethod
    def BinaryAccuracy(ctor_args, ctor_kwargs, calls):
        return Keras._replay("BinaryAccuracy", ctor_args, ctor_kwargs, calls)

    @staticmethod
    def Precision(ctor_args, ctor_kwargs, calls):
        return Keras._replay("Precision", ctor_args, ctor_kwargs, calls)

    @staticmethod
    def Recall(ctor_args, ctor_kwargs, calls):
        return Keras._replay("Recall", ctor_args, ctor_kwargs, calls)

    @staticmethod
    def AUC(ctor_args, ctor_kwargs, calls):
        return Keras._replay("AUC", ctor_args, ctor_kwargs, calls)


# ---------------------------------------------------------------------------------------
# The second opinion: the same definitions with torch ops (sklearn where it matches).

def _t(x):
    return torch().as_tensor(np.asarray(x, dtype=np.float64))


def divide_no_nan(a, b):
    """a / b with 0/0 (and x/0) = 0, as Keras's divide_no_nan."""
    t = torch()
    return t.where(b == 0, t.zeros_like(a), a / t.where(b == 0, t.ones_like(b), b))


def torch_counts(y_true, y_pred, thresholds, ge=False):
    """(tp, tn, fp, fn) at each threshold, positive where p > threshold (p >= threshold with `ge`,
    a mistake the diagnoses model); float64 tensors."""
    t = torch()
    y = _t(y_true).reshape(-1) != 0
    p = _t(y_pred).reshape(-1)
    thr = _t(np.atleast_1d(thresholds))
    pos = p[None, :] >= thr[:, None] if ge else p[None, :] > thr[:, None]
    tp = (pos & y).sum(1).double()
    fp = (pos & ~y).sum(1).double()
    fn = t.tensor(float(y.sum())) - tp
    tn = t.tensor(float((~y).sum())) - fp
    return tp, tn, fp, fn


def auc_thresholds(num_thresholds):
    inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return np.array([0.0 - EPSILON] + inner + [1.0 + EPSILON])


def constraint_thresholds(num_thresholds):
    if num_thresholds == 1:
        return np.array([0.5])
    inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return np.array([0.0] + inner + [1.0])


def auc_from_counts(tp, tn, fp, fn):
    tpr, fpr = divide_no_nan(tp, tp + fn), divide_no_nan(fp, fp + tn)
    return float(((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2).sum())


def _best_under(constrained, dependent, value):
    t = torch()
    return float(t.where(constrained >= value, dependent, t.zeros_like(dependent)).max().clamp(min=0))


def sklearn_roc_auc(y_true, y_pred, num_thresholds=200):
    """The exact ROC AUC (every score a threshold): not Keras's definition."""
    from sklearn.metrics import roc_auc_score
    y = np.asarray(y_true).ravel()
    if y.min() == y.max():
        return 0.0
    return float(roc_auc_score(y, np.asarray(y_pred, dtype=np.float64).ravel()))


class _TorchStream:
    """Accumulators for the streaming classes, with torch ops."""

    def __init__(self, kind, **kw):
        self.kind, self.kw = kind, kw
        self.reset_state()

    def reset_state(self):
        t = torch()
        if self.kind == "Mean":
            self.total, self.count = t.tensor(0.0, dtype=t.float64), t.tensor(0.0, dtype=t.float64)
        else:
            n = len(self._thresholds())
            self.counts = [t.zeros(n, dtype=t.float64) for _ in range(4)]

    def _thresholds(self):
        if self.kind == "AUC":
            return auc_thresholds(self.kw.get("num_thresholds", 200))
        if self.kind == "BinaryAccuracy":
            return [self.kw.get("threshold", 0.5)]
        return [self.kw.get("thresholds", 0.5)]

    def update_state(self, *args):
        if self.kind == "Mean":
            v = _t(args[0])
            if v.ndim > 1:      # Keras: the mean of each sample's values, then over samples
                v = v.reshape(v.shape[0], -1).mean(1)
            self.total = self.total + (v.sum() if v.ndim else v)
            self.count = self.count + (v.shape[0] if v.ndim else 1)
            return
        new = torch_counts(args[0], args[1], self._thresholds())
        self.counts = [c + n for c, n in zip(self.counts, new)]

    def result(self):
        if self.kind == "Mean":
            return float(divide_no_nan(self.total, self.count))
        tp, tn, fp, fn = self.counts
        if self.kind == "BinaryAccuracy":
            return float(divide_no_nan(tp + tn, tp + tn + fp + fn)[0])
        if self.kind == "Precision":
            return float(divide_no_nan(tp, tp + fp)[0])
        if self.kind == "Recall":
            return float(divide_no_nan(tp, tp + fn)[0])
        return auc_from_counts(tp, tn, fp, fn)


def _torch_replay(kind, ctor_args, ctor_kwargs, calls):
    if ctor_args:
        raise ValueError("the checks pass constructor arguments by keyword")
    obj = _TorchStream(kind, **ctor_kwargs)
    out = []
    for method, args, kwargs in calls:
        value = getattr(obj, method)(*args, **kwargs)
        out.append(value if method == "result" else None)
    return out


class Torch:
    @staticmethod
    def accuracy(y_true, y_pred):
        return float((_t(y_true) == _t(y_pred)).double().mean())

    @staticmethod
    def binary_accuracy(y_true, y_pred, threshold=0.5):
        return float(((_t(y_pred) > threshold).double() == _t(y_true)).double().mean())

    @staticmethod
    def categorical_accuracy(y_true, y_pred):
        t = torch()
        return float((t.argmax(_t(y_true), -1) == t.argmax(_t(y_pred), -1)).double().mean())

    @staticmethod
    def sparse_categorical_accuracy(y_true, y_pred):
        t = torch()
        return float((t.argmax(_t(y_pred), -1) == _t(y_true).long()).double().mean())

    @staticmethod
    def top_k_categorical_accuracy(y_true, y_pred, k=5):
        t = torch()
        p = _t(y_pred)
        target = p.gather(-1, t.argmax(_t(y_true), -1, keepdim=True)).squeeze(-1)
        kth = t.topk(p, min(k, p.shape[-1]), dim=-1).values[..., -1]
        return float((target >= kth).double().mean())

    @staticmethod
    def confusion_counts(y_true, y_pred, threshold=0.5):
        from sklearn.metrics import confusion_matrix
        y = (np.asarray(y_true).ravel() != 0).astype(int)
        hard = (np.asarray(y_pred, dtype=np.float64).ravel() > threshold).astype(int)
        tn, fp, fn, tp = confusion_matrix(y, hard, labels=[0, 1]).ravel()
        return int(tp), int(tn), int(fp), int(fn)

    @staticmethod
    def precision(y_true, y_pred, threshold=0.5):
        from sklearn.metrics import precision_score
        y = (np.asarray(y_true).ravel() != 0).astype(int)
        hard = (np.asarray(y_pred, dtype=np.float64).ravel() > threshold).astype(int)
        return float(precision_score(y, hard, labels=[0, 1], zero_division=0))

    @staticmethod
    def recall(y_true, y_pred, threshold=0.5):
        from sklearn.metrics import recall_score
        y = (np.asarray(y_true).ravel() != 0).astype(int)
        hard = (np.asarray(y_pred, dtype=np.float64).ravel() > threshold).astype(int)
        return float(recall_score(y, hard, labels=[0, 1], zero_division=0))

    @staticmethod
    def auc(y_true, y_pred, num_thresholds=200):
        return auc_from_counts(*torch_counts(y_true, y_pred, auc_thresholds(num_thresholds)))

    @staticmethod
    def precision_at_recall(y_true, y_pred, recall, num_thresholds=200):
        tp, tn, fp, fn = torch_counts(y_true, y_pred, constraint_thresholds(num_thresholds))
        return _best_under(divide_no_nan(tp, tp + fn), divide_no_nan(tp, tp + fp), recall)

    @staticmethod
    def sensitivity_at_specificity(y_true, y_pred, specificity, num_thresholds=200):
        tp, tn, fp, fn = torch_counts(y_true, y_pred, constraint_thresholds(num_thresholds))
        return _best_under(divide_no_nan(tn, tn + fp), divide_no_nan(tp, tp + fn), specificity)

    @staticmethod
    def specificity_at_sensitivity(y_true, y_pred, sensitivity, num_thresholds=200):
        tp, tn, fp, fn = torch_counts(y_true, y_pred, constraint_thresholds(num_thresholds))
        return _best_under(divide_no_nan(tp, tp + fn), divide_no_nan(tn, tn + fp), sensitivity)

    @staticmethod
    def root_mean_squared_error(y_true, y_pred):
        F = torch().nn.functional
        return float(torch().sqrt(F.mse_loss(_t(y_pred), _t(y_true))))

    @staticmethod
    def mean_absolute_percentage_error(y_true, y_pred):
        t = torch()
        y, p = _t(y_true), _t(y_pred)
        return float(100.0 * ((y - p).abs() / t.clamp(y.abs(), min=EPSILON)).mean())

    @staticmethod
    def mean_squared_logarithmic_error(y_true, y_pred):
        t = torch()
        y, p = _t(y_true), _t(y_pred)
        return float(((t.log1p(t.clamp(p, min=EPSILON)) - t.log1p(t.clamp(y, min=EPSILON))) ** 2).mean())

    @staticmethod
    def Mean(ctor_args, ctor_kwargs, calls):
        return _torch_replay("Mean", ctor_args, ctor_kwargs, calls)

    @staticmethod
    def BinaryAccuracy(ctor_args, ctor_kwargs, calls):
        return _torch_replay("BinaryAccuracy", ctor_args, ctor_kwargs, calls)

    @staticmethod
    def Precision(ctor_args, ctor_kwargs, calls):
        return _torch_replay("Precision", ctor_args, ctor_kwargs, calls)

    @staticmethod
    def Recall(ctor_args, ctor_kwargs, calls):
        return _torch_replay("Recall", ctor_args, ctor_kwargs, calls)

    @staticmethod
    def AUC(ctor_args, ctor_kwargs, calls):
        return _torch_replay("AUC", ctor_args, ctor_kwargs, calls)


# -- docs/conventions.md: the libraries side by side on fixed inputs ---------------------------
# PyTorch has no metrics module: the "PyTorch" column is scikit-learn's metric under its own
# defaults, and the same definition in torch ops under matched settings.

def _binary_inputs():
    y = np.array([1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1], dtype=np.float64)
    p = np.array([0.5, 0.5, 0.9, 0.3, 0.7, 0.1, 0.625, 0.45, 0.8, 0.2, 0.55, 0.35])
    return y, p


def _crowded_inputs():
    rng = np.random.default_rng(0)
    y = np.tile([0.0, 1.0], 60)
    p = 0.6 + 0.01 * (np.clip(0.5 + 0.2 * (y - 0.5) + 0.2 * rng.normal(size=120), 0, 1))
    return y, p


_TIE_ROWS = (np.array([0, 0, 4]), np.array([[0.5, 0.75, 0.5, 0.5, 0.25], [0.25, 0.5, 0.75, 1.0, 0.25], [0.5] * 5]))
_REGRESSION = (np.array([[1.0, 2.0], [3.0, 0.0], [5.0, 6.0]]), np.array([[1.5, 2.0], [3.0, 0.5], [5.0, 16.0]]))
_AT_RECALL = (np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0.0]),
              np.array([0.9, 0.8, 0.7, 0.6, 0.2, 0.65, 0.3, 0.1, 0.05, 0.75]))


def _conventions():
    from nngrade.conventions import Piece
    from sklearn import metrics as skm
    y, p = _binary_inputs()
    yc, pc = _crowded_inputs()
    ti, tp_ = _TIE_ROWS
    yr, pr = _REGRESSION
    ya, pa = _AT_RECALL
    return [
        Piece("precision at the threshold", "precision_score(y, p >= 0.5) / torch (p > 0.5)",
              "keras.metrics.Precision(thresholds=0.5)",
              "Keras: positive where p > t; the habit p >= 0.5 also counts p = 0.5",
              lambda: (float(skm.precision_score(y, p >= 0.5)), Keras.precision(y, p)),
              lambda: (Torch.precision(y, p), Keras.precision(y, p)), "strict p > threshold on both sides"),
        Piece("top-k accuracy with ties", "top_k_accuracy_score(y, p, k=2) / torch.topk",
              "keras.metrics.TopKCategoricalAccuracy(k=2)",
              "Keras counts classes tied at the k-th place as hits; sklearn ranks them apart; "
              "Keras needs float32 predictions",
              lambda: (float(skm.top_k_accuracy_score(ti, tp_, k=2, labels=range(5))),
                       Keras.top_k_categorical_accuracy(np.eye(5)[ti], tp_, k=2)),
              lambda: (Torch.top_k_categorical_accuracy(np.eye(5)[ti], tp_, k=2),
                       Keras.top_k_categorical_accuracy(np.eye(5)[ti], tp_, k=2)),
              "a hit where the true score >= the k-th largest score"),
        Piece("ROC AUC, scores crowded in [0.6, 0.61]", "roc_auc_score(y, p) / torch counts",
              "keras.metrics.AUC(num_thresholds=200)",
              "sklearn: exact (every score a threshold); Keras: 200 fixed thresholds, trapezoids",
              lambda: (sklearn_roc_auc(yc, pc), Keras.auc(yc, pc)),
              lambda: (Torch.auc(yc, pc), Keras.auc(yc, pc)),
              "the same thresholds [-1e-7, 1/199, ..., 1 + 1e-7] (more thresholds shrink the gap)"),
        Piece("RMSE of a 2-D target", "root_mean_squared_error(y, p) / torch.sqrt(F.mse_loss)",
              "keras.metrics.RootMeanSquaredError()",
              "sklearn: mean of per-column RMSEs; Keras: root of the mean over all elements",
              lambda: (float(skm.root_mean_squared_error(yr, pr)), Keras.root_mean_squared_error(yr, pr)),
              lambda: (Torch.root_mean_squared_error(yr, pr), Keras.root_mean_squared_error(yr, pr)),
              "one root of the overall mean"),
        Piece("MAPE with a zero target", "mean_absolute_percentage_error(y, p) / torch formula",
              "keras.metrics.MeanAbsolutePercentageError()",
              "sklearn: a fraction, floor 2.2e-16; Keras: x100, floor 1e-7",
              lambda: (float(skm.mean_absolute_percentage_error(yr, pr)), Keras.mean_absolute_percentage_error(yr, pr)),
              lambda: (Torch.mean_absolute_percentage_error(yr, pr), Keras.mean_absolute_percentage_error(yr, pr)),
              "100 * mean(|y - p| / max(|y|, 1e-7))"),
        Piece("PrecisionAtRecall constraint", "torch, float64 constraint",
              "keras.metrics.PrecisionAtRecall(recall)",
              "Keras compares the recall with float32(recall): 0.8 is 0.800000011920929",
              lambda: (Torch.precision_at_recall(ya, pa, 0.8), Keras.precision_at_recall(ya, pa, 0.8)),
              lambda: (Torch.precision_at_recall(ya, pa, 0.75), Keras.precision_at_recall(ya, pa, 0.75)),
              "a constraint float32 represents exactly (0.5, 0.75, 0.875)"),
    ]


from nngrade.conventions import LazyPieces  # noqa: E402

CONVENTIONS = LazyPieces(_conventions)

"""Wrong and alternative implementations for lab07_metrics (see nngrade/mutants.py).

Each source replaces the solution's definition of one function or class; the helpers of the
solution notebook (safe_divide, counts_at_thresholds, auc_thresholds, constraint_thresholds,
roc_auc_from_counts, EPSILON) stay available.
"""
from nngrade.mutants import Alternative, Mutant

STRICT = "Keras uses p > threshold (strict)"
BATCH_MEAN = "mean of the per-batch"
NO_RESET = "reset_state() did not zero"

MUTANTS = [
    # ---------------------------------------------------------------- accuracy
    Mutant("accuracy", "thresholds y_pred at 0.5", """
def accuracy(y_true, y_pred):
    return float(np.mean(np.asarray(y_true) == (np.asarray(y_pred) > 0.5)))
""", expect="exact equality"),
    Mutant("accuracy", "rounds y_pred first", """
def accuracy(y_true, y_pred):
    return float(np.mean(np.asarray(y_true) == np.round(y_pred)))
""", expect="rounding y_pred"),
    Mutant("accuracy", "sum instead of mean", """
def accuracy(y_true, y_pred):
    return float(np.sum(np.asarray(y_true) == np.asarray(y_pred)))
""", expect="times too large"),
    Mutant("accuracy", "mean over axis 0 (an array for 2-D labels)", """
def accuracy(y_true, y_pred):
    return np.mean(np.asarray(y_true) == np.asarray(y_pred), axis=0)
"""),
    # ---------------------------------------------------------------- binary_accuracy
    Mutant("binary_accuracy", ">= instead of >", """
def binary_accuracy(y_true, y_pred, threshold=0.5):
    return float(np.mean(np.asarray(y_true) == (np.asarray(y_pred) >= threshold)))
""", expect=STRICT),
    Mutant("binary_accuracy", "threshold argument ignored", """
def binary_accuracy(y_true, y_pred, threshold=0.5):
    return float(np.mean(np.asarray(y_true) == (np.asarray(y_pred) > 0.5)))
""", expect="threshold argument is ignored"),
    Mutant("binary_accuracy", "np.round instead of the threshold", """
def binary_accuracy(y_true, y_pred, threshold=0.5):
    return float(np.mean(np.asarray(y_true) == np.round(y_pred)))
""", expect="threshold argument is ignored"),
    Mutant("binary_accuracy", "the error rate", """
def binary_accuracy(y_true, y_pred, threshold=0.5):
    return float(np.mean(np.asarray(y_true) != (np.asarray(y_pred) > threshold)))
"""),
    # ---------------------------------------------------------------- categorical_accuracy
    Mutant("categorical_accuracy", "last maximum on ties", """
def categorical_accuracy(y_true, y_pred):
    y_pred = np.asarray(y_pred)
    last = y_pred.shape[-1] - 1 - np.argmax(y_pred[..., ::-1], axis=-1)
    return float(np.mean(np.argmax(y_true, axis=-1) == last))
""", expect="FIRST maximum"),
    Mutant("categorical_accuracy", "every tied maximum counts as a hit", """
def categorical_accuracy(y_true, y_pred):
    y_pred = np.asarray(y_pred)
    is_max = y_pred == y_pred.max(axis=-1, keepdims=True)
    return float(np.sum(np.asarray(y_true) * is_max) / len(y_pred))
"""),
    Mutant("categorical_accuracy", "argmax over the batch axis", """
def categorical_accuracy(y_true, y_pred):
    return float(np.mean(np.argmax(y_true, axis=0) == np.argmax(y_pred, axis=0)))
"""),
    Mutant("categorical_accuracy", "elementwise equality of one-hot and rounded scores", """
def categorical_accuracy(y_true, y_pred):
    return float(np.mean(np.asarray(y_true) == np.round(y_pred)))
"""),
    # ---------------------------------------------------------------- sparse_categorical_accuracy
    Mutant("sparse_categorical_accuracy", "last maximum on ties", """
def sparse_categorical_accuracy(y_true, y_pred):
    y_pred = np.asarray(y_pred)
    last = y_pred.shape[-1] - 1 - np.argmax(y_pred[..., ::-1], axis=-1)
    return float(np.mean(np.asarray(y_true) == last))
""", expect="FIRST maximum"),
    Mutant("sparse_categorical_accuracy", "compares the label with the top score", """
def sparse_categorical_accuracy(y_true, y_pred):
    return float(np.mean(np.asarray(y_true) == np.max(y_pred, axis=-1)))
"""),
    Mutant("sparse_categorical_accuracy", "argmax over the batch axis", """
def sparse_categorical_accuracy(y_true, y_pred):
    return float(np.mean(np.asarray(y_true) == np.argmax(y_pred, axis=0)[:len(y_true)]))
"""),
    Mutant("sparse_categorical_accuracy", "treats y_true as one-hot", """
def sparse_categorical_accuracy(y_true, y_pred):
    return float(np.mean(np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1)))
"""),
    # ---------------------------------------------------------------- top_k_categorical_accuracy
    Mutant("top_k_categorical_accuracy", "ranks by argsort (ties broken)", """
def top_k_categorical_accuracy(y_true, y_pred, k=5):
    order = np.argsort(-np.asarray(y_pred), axis=-1, kind="stable")[..., :k]
    return float(np.mean(np.any(order == np.argmax(y_true, axis=-1)[..., None], axis=-1)))
""", expect="ties count as hits"),
    Mutant("top_k_categorical_accuracy", "> the k-th largest instead of >=", """
def top_k_categorical_accuracy(y_true, y_pred, k=5):
    y_pred = np.asarray(y_pred, dtype=np.float64)
    target = np.take_along_axis(y_pred, np.argmax(y_true, -1)[..., None], -1)[..., 0]
    return float(np.mean(target > -np.sort(-y_pred, axis=-1)[..., k - 1]))
""", expect="not >"),
    Mutant("top_k_categorical_accuracy", "off by one: index k", """
def top_k_categorical_accuracy(y_true, y_pred, k=5):
    y_pred = np.asarray(y_pred, dtype=np.float64)
    target = np.take_along_axis(y_pred, np.argmax(y_true, -1)[..., None], -1)[..., 0]
    return float(np.mean(target >= -np.sort(-y_pred, axis=-1)[..., k]))
""", expect="off by one"),
    Mutant("top_k_categorical_accuracy", "sorted ascending: the k smallest", """
def top_k_categorical_accuracy(y_true, y_pred, k=5):
    y_pred = np.asarray(y_pred, dtype=np.float64)
    target = np.take_along_axis(y_pred, np.argmax(y_true, -1)[..., None], -1)[..., 0]
    return float(np.mean(target <= np.sort(y_pred, axis=-1)[..., k - 1]))
"""),
    # ---------------------------------------------------------------- confusion_counts
    Mutant("confusion_counts", ">= instead of >", """
def confusion_counts(y_true, y_pred, threshold=0.5):
    a = np.asarray(y_true).ravel() != 0
    p = np.asarray(y_pred).ravel() >= threshold
    return int(np.sum(p & a)), int(np.sum(~p & ~a)), int(np.sum(p & ~a)), int(np.sum(~p & a))
""", expect=STRICT),
    Mutant("confusion_counts", "scikit-learn's order (tn, fp, fn, tp)", """
def confusion_counts(y_true, y_pred, threshold=0.5):
    a = np.asarray(y_true).ravel() != 0
    p = np.asarray(y_pred).ravel() > threshold
    return int(np.sum(~p & ~a)), int(np.sum(p & ~a)), int(np.sum(~p & a)), int(np.sum(p & a))
""", expect="the order is (tp, tn, fp, fn)"),
    Mutant("confusion_counts", "float counts", """
def confusion_counts(y_true, y_pred, threshold=0.5):
    y = np.asarray(y_true, dtype=float)
    p = (np.asarray(y_pred) > threshold).astype(float)
    return np.sum(p * y), np.sum((1 - p) * (1 - y)), np.sum(p * (1 - y)), np.sum((1 - p) * y)
""", expect="should be an int"),
    Mutant("confusion_counts", "fp and fn swapped", """
def confusion_counts(y_true, y_pred, threshold=0.5):
    a = np.asarray(y_true).ravel() != 0
    p = np.asarray(y_pred).ravel() > threshold
    return int(np.sum(p & a)), int(np.sum(~p & ~a)), int(np.sum(~p & a)), int(np.sum(p & ~a))
"""),
    # ---------------------------------------------------------------- precision
    Mutant("precision", ">= instead of >", """
def precision(y_true, y_pred, threshold=0.5):
    a = np.asarray(y_true) != 0
    p = np.asarray(y_pred) >= threshold
    return float(safe_divide(np.sum(p & a), np.sum(p)))
""", expect=STRICT),
    Mutant("precision", "computes recall", """
def precision(y_true, y_pred, threshold=0.5):
    a = np.asarray(y_true) != 0
    p = np.asarray(y_pred) > threshold
    return float(safe_divide(np.sum(p & a), np.sum(a)))
""", expect="you computed recall"),
    Mutant("precision", "0/0 gives NaN with a warning", """
def precision(y_true, y_pred, threshold=0.5):
    a = np.asarray(y_true) != 0
    p = np.asarray(y_pred) > threshold
    return float(np.sum(p & a) / np.sum(p))
""", expect="not numerically stable"),
    Mutant("precision", "0/0 gives 1", """
def precision(y_true, y_pred, threshold=0.5):
    a = np.asarray(y_true) != 0
    p = np.asarray(y_pred) > threshold
    return float(np.sum(p & a) / np.sum(p)) if np.sum(p) else 1.0
"""),
    # ---------------------------------------------------------------- recall
    Mutant("recall", ">= instead of >", """
def recall(y_true, y_pred, threshold=0.5):
    a = np.asarray(y_true) != 0
    p = np.asarray(y_pred) >= threshold
    return float(safe_divide(np.sum(p & a), np.sum(a)))
""", expect=STRICT),
    Mutant("recall", "computes precision", """
def recall(y_true, y_pred, threshold=0.5):
    a = np.asarray(y_true) != 0
    p = np.asarray(y_pred) > threshold
    return float(safe_divide(np.sum(p & a), np.sum(p)))
""", expect="you computed precision"),
    Mutant("recall", "0/0 in Python raises", """
def recall(y_true, y_pred, threshold=0.5):
    a = np.asarray(y_true) != 0
    p = np.asarray(y_pred) > threshold
    return int(np.sum(p & a)) / int(np.sum(a))
""", expect="ZeroDivisionError"),
    Mutant("recall", "threshold ignored", """
def recall(y_true, y_pred, threshold=0.5):
    a = np.asarray(y_true) != 0
    p = np.asarray(y_pred) > 0.5
    return float(safe_divide(np.sum(p & a), np.sum(a)))
"""),
    # ---------------------------------------------------------------- auc
    Mutant("auc", "the exact AUC (every score a threshold)", """
def auc(y_true, y_pred, num_thresholds=200):
    y = np.asarray(y_true) != 0
    p = np.asarray(y_pred, dtype=np.float64)
    pos, neg = p[y], p[~y]
    if len(pos) == 0 or len(neg) == 0:
        return 0.0
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))
""", expect="exact ROC AUC"),
    Mutant("auc", "thresholds np.linspace(0, 1, n), no epsilon", """
def auc(y_true, y_pred, num_thresholds=200):
    return roc_auc_from_counts(*counts_at_thresholds(y_true, y_pred, np.linspace(0, 1, num_thresholds)))
""", expect="-1e-7 and 1 + 1e-7"),
    Mutant("auc", ">= at the thresholds", """
def auc(y_true, y_pred, num_thresholds=200):
    a = np.asarray(y_true).ravel() != 0
    pos = np.asarray(y_pred).ravel()[None, :] >= auc_thresholds(num_thresholds)[:, None]
    tp, fp = np.sum(pos & a, 1), np.sum(pos & ~a, 1)
    return roc_auc_from_counts(tp, np.sum(~a) - fp, fp, np.sum(a) - tp)
""", expect=STRICT),
    Mutant("auc", "trapezoids summed in the wrong direction", """
def auc(y_true, y_pred, num_thresholds=200):
    tp, tn, fp, fn = counts_at_thresholds(y_true, y_pred, auc_thresholds(num_thresholds))
    tpr, fpr = safe_divide(tp, tp + fn), safe_divide(fp, fp + tn)
    return float(np.sum((fpr[1:] - fpr[:-1]) * (tpr[:-1] + tpr[1:]) / 2))
""", expect="opposite sign"),
    Mutant("auc", "left rectangles instead of trapezoids", """
def auc(y_true, y_pred, num_thresholds=200):
    tp, tn, fp, fn = counts_at_thresholds(y_true, y_pred, auc_thresholds(num_thresholds))
    tpr, fpr = safe_divide(tp, tp + fn), safe_divide(fp, fp + tn)
    return float(np.sum((fpr[:-1] - fpr[1:]) * tpr[1:]))
"""),
    Mutant("auc", "num_thresholds ignored", """
def auc(y_true, y_pred, num_thresholds=200):
    return roc_auc_from_counts(*counts_at_thresholds(y_true, y_pred, auc_thresholds(200)))
"""),
    # ---------------------------------------------------------------- precision_at_recall
    Mutant("precision_at_recall", "recall > value instead of >=", """
def precision_at_recall(y_true, y_pred, recall, num_thresholds=200):
    tp, tn, fp, fn = counts_at_thresholds(y_true, y_pred, constraint_thresholds(num_thresholds))
    r, p = safe_divide(tp, tp + fn), safe_divide(tp, tp + fp)
    return float(np.max(np.where(r > recall, p, 0.0), initial=0.0))
""", expect="(inclusive)"),
    Mutant("precision_at_recall", "AUC's thresholds (with +-1e-7)", """
def precision_at_recall(y_true, y_pred, recall, num_thresholds=200):
    tp, tn, fp, fn = counts_at_thresholds(y_true, y_pred, auc_thresholds(num_thresholds))
    r, p = safe_divide(tp, tp + fn), safe_divide(tp, tp + fp)
    return float(np.max(np.where(r >= recall, p, 0.0), initial=0.0))
""", expect="AUC's"),
    Mutant("precision_at_recall", "the precision at the lowest feasible threshold", """
def precision_at_recall(y_true, y_pred, recall, num_thresholds=200):
    tp, tn, fp, fn = counts_at_thresholds(y_true, y_pred, constraint_thresholds(num_thresholds))
    r, p = safe_divide(tp, tp + fn), safe_divide(tp, tp + fp)
    ok = np.nonzero(r >= recall)[0]
    return float(p[ok[0]]) if len(ok) else 0.0
"""),
    Mutant("precision_at_recall", "recall at precision (roles swapped)", """
def precision_at_recall(y_true, y_pred, recall, num_thresholds=200):
    tp, tn, fp, fn = counts_at_thresholds(y_true, y_pred, constraint_thresholds(num_thresholds))
    r, p = safe_divide(tp, tp + fn), safe_divide(tp, tp + fp)
    return float(np.max(np.where(p >= recall, r, 0.0), initial=0.0))
"""),
    # ---------------------------------------------------------------- sensitivity_at_specificity
    Mutant("sensitivity_at_specificity", "specificity > value instead of >=", """
def sensitivity_at_specificity(y_true, y_pred, specificity, num_thresholds=200):
    tp, tn, fp, fn = counts_at_thresholds(y_true, y_pred, constraint_thresholds(num_thresholds))
    spec, sens = safe_divide(tn, tn + fp), safe_divide(tp, tp + fn)
    return float(np.max(np.where(spec > specificity, sens, 0.0), initial=0.0))
""", expect="(inclusive)"),
    Mutant("sensitivity_at_specificity", "roles swapped", """
def sensitivity_at_specificity(y_true, y_pred, specificity, num_thresholds=200):
    tp, tn, fp, fn = counts_at_thresholds(y_true, y_pred, constraint_thresholds(num_thresholds))
    spec, sens = safe_divide(tn, tn + fp), safe_divide(tp, tp + fn)
    return float(np.max(np.where(sens >= specificity, spec, 0.0), initial=0.0))
""", expect="swapped the roles"),
    Mutant("sensitivity_at_specificity", "the false positive rate as the constraint", """
def sensitivity_at_specificity(y_true, y_pred, specificity, num_thresholds=200):
    tp, tn, fp, fn = counts_at_thresholds(y_true, y_pred, constraint_thresholds(num_thresholds))
    fpr, sens = safe_divide(fp, tn + fp), safe_divide(tp, tp + fn)
    return float(np.max(np.where(fpr >= specificity, sens, 0.0), initial=0.0))
"""),
    Mutant("sensitivity_at_specificity", "AUC's thresholds (with +-1e-7)", """
def sensitivity_at_specificity(y_true, y_pred, specificity, num_thresholds=200):
    tp, tn, fp, fn = counts_at_thresholds(y_true, y_pred, auc_thresholds(num_thresholds))
    spec, sens = safe_divide(tn, tn + fp), safe_divide(tp, tp + fn)
    return float(np.max(np.where(spec >= specificity, sens, 0.0), initial=0.0))
""", expect="AUC's"),
    # ---------------------------------------------------------------- specificity_at_sensitivity
    Mutant("specificity_at_sensitivity", "sensitivity > value instead of >=", """
def specificity_at_sensitivity(y_true, y_pred, sensitivity, num_thresholds=200):
    tp, tn, fp, fn = counts_at_thresholds(y_true, y_pred, constraint_thresholds(num_thresholds))
    sens, spec = safe_divide(tp, tp + fn), safe_divide(tn, tn + fp)
    return float(np.max(np.where(sens > sensitivity, spec, 0.0), initial=0.0))
""", expect="(inclusive)"),
    Mutant("specificity_at_sensitivity", "roles swapped", """
def specificity_at_sensitivity(y_true, y_pred, sensitivity, num_thresholds=200):
    tp, tn, fp, fn = counts_at_thresholds(y_true, y_pred, constraint_thresholds(num_thresholds))
    sens, spec = safe_divide(tp, tp + fn), safe_divide(tn, tn + fp)
    return float(np.max(np.where(spec >= sensitivity, sens, 0.0), initial=0.0))
""", expect="swapped the roles"),
    Mutant("specificity_at_sensitivity", "specificity as tn / (tn + fn)", """
def specificity_at_sensitivity(y_true, y_pred, sensitivity, num_thresholds=200):
    tp, tn, fp, fn = counts_at_thresholds(y_true, y_pred, constraint_thresholds(num_thresholds))
    sens, spec = safe_divide(tp, tp + fn), safe_divide(tn, tn + fn)
    return float(np.max(np.where(sens >= sensitivity, spec, 0.0), initial=0.0))
"""),
    Mutant("specificity_at_sensitivity", "num_thresholds ignored", """
def specificity_at_sensitivity(y_true, y_pred, sensitivity, num_thresholds=200):
    tp, tn, fp, fn = counts_at_thresholds(y_true, y_pred, constraint_thresholds(200))
    sens, spec = safe_divide(tp, tp + fn), safe_divide(tn, tn + fp)
    return float(np.max(np.where(sens >= sensitivity, spec, 0.0), initial=0.0))
"""),
    # ---------------------------------------------------------------- root_mean_squared_error
    Mutant("root_mean_squared_error", "no square root (MSE)", """
def root_mean_squared_error(y_true, y_pred):
    return float(np.mean((np.asarray(y_pred) - y_true) ** 2))
""", expect="mean squared error"),
    Mutant("root_mean_squared_error", "mean of per-column RMSEs", """
def root_mean_squared_error(y_true, y_pred):
    err = (np.asarray(y_pred, dtype=float) - y_true) ** 2
    return float(np.mean(np.sqrt(np.mean(err, axis=0))))
""", expect="per-column"),
    Mutant("root_mean_squared_error", "mean of per-sample RMSEs", """
def root_mean_squared_error(y_true, y_pred):
    err = (np.asarray(y_pred, dtype=float) - y_true) ** 2
    return float(np.mean(np.sqrt(np.mean(err, axis=-1)))) if err.ndim > 1 else float(np.sqrt(np.mean(err)))
"""),
    Mutant("root_mean_squared_error", "mean absolute error", """
def root_mean_squared_error(y_true, y_pred):
    return float(np.mean(np.abs(np.asarray(y_pred) - y_true)))
"""),
    # ---------------------------------------------------------------- mean_absolute_percentage_error
    Mutant("mean_absolute_percentage_error", "a fraction, not a percentage", """
def mean_absolute_percentage_error(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=float)
    return float(np.mean(np.abs(y_true - y_pred) / np.maximum(np.abs(y_true), EPSILON)))
""", expect="not a percentage"),
    Mutant("mean_absolute_percentage_error", "denominator max(y, eps) without abs", """
def mean_absolute_percentage_error(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=float)
    return float(100 * np.mean(np.abs(y_true - y_pred) / np.maximum(y_true, EPSILON)))
""", expect="absolute value of the target"),
    Mutant("mean_absolute_percentage_error", "|y| + eps instead of max(|y|, eps)", """
def mean_absolute_percentage_error(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=float)
    return float(100 * np.mean(np.abs(y_true - y_pred) / (np.abs(y_true) + EPSILON)))
"""),
    Mutant("mean_absolute_percentage_error", "divides by the prediction", """
def mean_absolute_percentage_error(y_true, y_pred):
    y_pred = np.asarray(y_pred, dtype=float)
    return float(100 * np.mean(np.abs(y_true - y_pred) / np.maximum(np.abs(y_pred), EPSILON)))
"""),
    # ---------------------------------------------------------------- mean_squared_logarithmic_error
    Mutant("mean_squared_logarithmic_error", "no clipping", """
def mean_squared_logarithmic_error(y_true, y_pred):
    return float(np.mean((np.log1p(y_pred) - np.log1p(y_true)) ** 2))
""", expect="clip both arguments"),
    Mutant("mean_squared_logarithmic_error", "log instead of log1p", """
def mean_squared_logarithmic_error(y_true, y_pred):
    a = np.log(np.maximum(y_pred, EPSILON))
    b = np.log(np.maximum(y_true, EPSILON))
    return float(np.mean((a - b) ** 2))
""", expect="log(1 + x)"),
    Mutant("mean_squared_logarithmic_error", "clips at 0 instead of 1e-7", """
def mean_squared_logarithmic_error(y_true, y_pred):
    a = np.log1p(np.maximum(y_pred, 0.0))
    b = np.log1p(np.maximum(y_true, 0.0))
    return float(np.mean((a - b) ** 2))
"""),
    Mutant("mean_squared_logarithmic_error", "root of the mean (RMSLE)", """
def mean_squared_logarithmic_error(y_true, y_pred):
    a = np.log1p(np.maximum(y_pred, EPSILON))
    b = np.log1p(np.maximum(y_true, EPSILON))
    return float(np.sqrt(np.mean((a - b) ** 2)))
"""),
    # ---------------------------------------------------------------- Mean
    Mutant("Mean", "averages the per-batch means", """
class Mean:
    def __init__(self):
        self.reset_state()

    def update_state(self, values):
        self.means.append(float(np.mean(values)))

    def result(self):
        return float(np.mean(self.means)) if self.means else 0.0

    def reset_state(self):
        self.means = []
""", expect=BATCH_MEAN),
    Mutant("Mean", "counts batches, not values", """
class Mean:
    def __init__(self):
        self.reset_state()

    def update_state(self, values):
        self.total += float(np.sum(values))
        self.count += 1

    def result(self):
        return float(safe_divide(self.total, self.count))

    def reset_state(self):
        self.total, self.count = 0.0, 0
"""),
    Mutant("Mean", "0/0 raises before any update", """
class Mean:
    def __init__(self):
        self.reset_state()

    def update_state(self, values):
        values = np.asarray(values, dtype=float)
        self.total += float(values.sum())
        self.count += values.size

    def result(self):
        return self.total / self.count

    def reset_state(self):
        self.total, self.count = 0.0, 0
""", expect="ZeroDivisionError"),
    Mutant("Mean", "reset_state forgets the count", """
class Mean:
    def __init__(self):
        self.total, self.count = 0.0, 0

    def update_state(self, values):
        values = np.asarray(values, dtype=float)
        self.total += float(values.sum())
        self.count += values.size

    def result(self):
        return float(safe_divide(self.total, self.count))

    def reset_state(self):
        self.total = 0.0
"""),
    # ---------------------------------------------------------------- BinaryAccuracy
    Mutant("BinaryAccuracy", "averages the per-batch accuracies", """
class BinaryAccuracy:
    def __init__(self, threshold=0.5):
        self.threshold = threshold
        self.reset_state()

    def update_state(self, y_true, y_pred):
        self.values.append(binary_accuracy(y_true, y_pred, self.threshold))

    def result(self):
        return float(np.mean(self.values)) if self.values else 0.0

    def reset_state(self):
        self.values = []
""", expect=BATCH_MEAN),
    Mutant("BinaryAccuracy", "reset_state does nothing", """
class BinaryAccuracy:
    def __init__(self, threshold=0.5):
        self.threshold = threshold
        self.correct, self.count = 0, 0

    def update_state(self, y_true, y_pred):
        hits = np.asarray(y_true) == (np.asarray(y_pred) > self.threshold)
        self.correct += int(hits.sum())
        self.count += hits.size

    def result(self):
        return float(safe_divide(self.correct, self.count))

    def reset_state(self):
        pass
""", expect=NO_RESET),
    Mutant("BinaryAccuracy", ">= instead of >", """
class BinaryAccuracy:
    def __init__(self, threshold=0.5):
        self.threshold = threshold
        self.reset_state()

    def update_state(self, y_true, y_pred):
        hits = np.asarray(y_true) == (np.asarray(y_pred) >= self.threshold)
        self.correct += int(hits.sum())
        self.count += hits.size

    def result(self):
        return float(safe_divide(self.correct, self.count))

    def reset_state(self):
        self.correct, self.count = 0, 0
"""),
    Mutant("BinaryAccuracy", "threshold ignored", """
class BinaryAccuracy:
    def __init__(self, threshold=0.5):
        self.reset_state()

    def update_state(self, y_true, y_pred):
        hits = np.asarray(y_true) == (np.asarray(y_pred) > 0.5)
        self.correct += int(hits.sum())
        self.count += hits.size

    def result(self):
        return float(safe_divide(self.correct, self.count))

    def reset_state(self):
        self.correct, self.count = 0, 0
"""),
    # ---------------------------------------------------------------- Precision
    Mutant("Precision", "averages the per-batch precisions", """
class Precision:
    def __init__(self, thresholds=0.5):
        self.thresholds = thresholds
        self.reset_state()

    def update_state(self, y_true, y_pred):
        self.values.append(precision(y_true, y_pred, self.thresholds))

    def result(self):
        return float(np.mean(self.values)) if self.values else 0.0

    def reset_state(self):
        self.values = []
""", expect=BATCH_MEAN),
    Mutant("Precision", "reset_state does nothing", """
class Precision:
    def __init__(self, thresholds=0.5):
        self.thresholds = thresholds
        self.tp, self.fp = 0, 0

    def update_state(self, y_true, y_pred):
        tp, tn, fp, fn = confusion_counts(y_true, y_pred, self.thresholds)
        self.tp += tp
        self.fp += fp

    def result(self):
        return float(safe_divide(self.tp, self.tp + self.fp))

    def reset_state(self):
        pass
""", expect=NO_RESET),
    Mutant("Precision", "0/0 raises before any update", """
class Precision:
    def __init__(self, thresholds=0.5):
        self.thresholds = thresholds
        self.reset_state()

    def update_state(self, y_true, y_pred):
        tp, tn, fp, fn = confusion_counts(y_true, y_pred, self.thresholds)
        self.tp += tp
        self.fp += fp

    def result(self):
        return self.tp / (self.tp + self.fp)

    def reset_state(self):
        self.tp, self.fp = 0, 0
""", expect="ZeroDivisionError"),
    Mutant("Precision", "keeps only the last batch", """
class Precision:
    def __init__(self, thresholds=0.5):
        self.thresholds = thresholds
        self.reset_state()

    def update_state(self, y_true, y_pred):
        tp, tn, fp, fn = confusion_counts(y_true, y_pred, self.thresholds)
        self.tp, self.fp = tp, fp

    def result(self):
        return float(safe_divide(self.tp, self.tp + self.fp))

    def reset_state(self):
        self.tp, self.fp = 0, 0
"""),
    Mutant("Precision", ">= instead of >", """
class Precision:
    def __init__(self, thresholds=0.5):
        self.thresholds = thresholds
        self.reset_state()

    def update_state(self, y_true, y_pred):
        a = np.asarray(y_true) != 0
        p = np.asarray(y_pred) >= self.thresholds
        self.tp += int(np.sum(p & a))
        self.fp += int(np.sum(p & ~a))

    def result(self):
        return float(safe_divide(self.tp, self.tp + self.fp))

    def reset_state(self):
        self.tp, self.fp = 0, 0
"""),
    # ---------------------------------------------------------------- Recall
    Mutant("Recall", "averages the per-batch recalls", """
class Recall:
    def __init__(self, thresholds=0.5):
        self.thresholds = thresholds
        self.reset_state()

    def update_state(self, y_true, y_pred):
        self.values.append(recall(y_true, y_pred, self.thresholds))

    def result(self):
        return float(np.mean(self.values)) if self.values else 0.0

    def reset_state(self):
        self.values = []
""", expect=BATCH_MEAN),
    Mutant("Recall", "reset_state zeroes tp only", """
class Recall:
    def __init__(self, thresholds=0.5):
        self.thresholds = thresholds
        self.tp, self.fn = 0, 0

    def update_state(self, y_true, y_pred):
        tp, tn, fp, fn = confusion_counts(y_true, y_pred, self.thresholds)
        self.tp += tp
        self.fn += fn

    def result(self):
        return float(safe_divide(self.tp, self.tp + self.fn))

    def reset_state(self):
        self.tp = 0
"""),
    Mutant("Recall", "accumulates fp instead of fn", """
class Recall:
    def __init__(self, thresholds=0.5):
        self.thresholds = thresholds
        self.reset_state()

    def update_state(self, y_true, y_pred):
        tp, tn, fp, fn = confusion_counts(y_true, y_pred, self.thresholds)
        self.tp += tp
        self.fn += fp

    def result(self):
        return float(safe_divide(self.tp, self.tp + self.fn))

    def reset_state(self):
        self.tp, self.fn = 0, 0
"""),
    Mutant("Recall", "threshold ignored", """
class Recall:
    def __init__(self, thresholds=0.5):
        self.reset_state()

    def update_state(self, y_true, y_pred):
        tp, tn, fp, fn = confusion_counts(y_true, y_pred, 0.5)
        self.tp += tp
        self.fn += fn

    def result(self):
        return float(safe_divide(self.tp, self.tp + self.fn))

    def reset_state(self):
        self.tp, self.fn = 0, 0
"""),
    # ---------------------------------------------------------------- AUC
    Mutant("AUC", "averages the per-batch AUCs", """
class AUC:
    def __init__(self, num_thresholds=200):
        self.num_thresholds = num_thresholds
        self.reset_state()

    def update_state(self, y_true, y_pred):
        self.values.append(auc(y_true, y_pred, self.num_thresholds))

    def result(self):
        return float(np.mean(self.values)) if self.values else 0.0

    def reset_state(self):
        self.values = []
""", expect=BATCH_MEAN),
    Mutant("AUC", "reset_state does nothing", """
class AUC:
    def __init__(self, num_thresholds=200):
        self.thresholds = auc_thresholds(num_thresholds)
        self.counts = [np.zeros(num_thresholds) for _ in range(4)]

    def update_state(self, y_true, y_pred):
        new = counts_at_thresholds(y_true, y_pred, self.thresholds)
        self.counts = [c + n for c, n in zip(self.counts, new)]

    def result(self):
        return roc_auc_from_counts(*self.counts)

    def reset_state(self):
        pass
""", expect=NO_RESET),
    Mutant("AUC", "keeps only the last batch", """
class AUC:
    def __init__(self, num_thresholds=200):
        self.thresholds = auc_thresholds(num_thresholds)
        self.reset_state()

    def update_state(self, y_true, y_pred):
        self.counts = list(counts_at_thresholds(y_true, y_pred, self.thresholds))

    def result(self):
        return roc_auc_from_counts(*self.counts)

    def reset_state(self):
        self.counts = [np.zeros(len(self.thresholds)) for _ in range(4)]
"""),
    Mutant("AUC", "num_thresholds ignored", """
class AUC:
    def __init__(self, num_thresholds=200):
        self.thresholds = auc_thresholds(200)
        self.reset_state()

    def update_state(self, y_true, y_pred):
        new = counts_at_thresholds(y_true, y_pred, self.thresholds)
        self.counts = [c + n for c, n in zip(self.counts, new)]

    def result(self):
        return roc_auc_from_counts(*self.counts)

    def reset_state(self):
        self.counts = [np.zeros(len(self.thresholds)) for _ in range(4)]
"""),
]

ALTERNATIVES = [
    Alternative("accuracy", "count_nonzero / size", """
def accuracy(y_true, y_pred):
    same = np.asarray(y_true) == np.asarray(y_pred)
    return np.count_nonzero(same) / same.size
"""),
    Alternative("binary_accuracy", "np.where to 0/1 labels, a Python loop", """
def binary_accuracy(y_true, y_pred, threshold=0.5):
    labels = np.where(np.asarray(y_pred) > threshold, 1, 0)
    hits = sum(1 for a, b in zip(np.ravel(y_true), labels.ravel()) if a == b)
    return hits / labels.size
"""),
    Alternative("categorical_accuracy", "a loop over rows with list.index(max)", """
def categorical_accuracy(y_true, y_pred):
    hits = 0
    for t, p in zip(np.asarray(y_true).tolist(), np.asarray(y_pred).tolist()):
        hits += t.index(max(t)) == p.index(max(p))
    return hits / len(y_pred)
"""),
    Alternative("sparse_categorical_accuracy", "argmax on axis 1, np.mean of the comparison", """
def sparse_categorical_accuracy(y_true, y_pred):
    return np.mean(np.argmax(y_pred, axis=1) == np.asarray(y_true, dtype=np.int64))
"""),
    Alternative("top_k_categorical_accuracy", "fewer than k classes score strictly higher", """
def top_k_categorical_accuracy(y_true, y_pred, k=5):
    y_pred = np.asarray(y_pred, dtype=np.float64)
    target = y_pred[np.arange(len(y_pred)), np.argmax(y_true, axis=1)]
    higher = np.sum(y_pred > target[:, None], axis=1)
    return float(np.mean(higher < k))
"""),
    Alternative("confusion_counts", "a Python loop", """
def confusion_counts(y_true, y_pred, threshold=0.5):
    tp = tn = fp = fn = 0
    for t, p in zip(np.ravel(y_true), np.ravel(y_pred)):
        if p > threshold:
            tp, fp = (tp + 1, fp) if t else (tp, fp + 1)
        else:
            fn, tn = (fn + 1, tn) if t else (fn, tn + 1)
    return tp, tn, fp, fn
"""),
    Alternative("precision", "an explicit zero test", """
def precision(y_true, y_pred, threshold=0.5):
    predicted = np.asarray(y_pred) > threshold
    n_pred = int(predicted.sum())
    if n_pred == 0:
        return 0.0
    return float(np.sum(predicted & (np.asarray(y_true) == 1)) / n_pred)
"""),
    Alternative("recall", "an explicit zero test", """
def recall(y_true, y_pred, threshold=0.5):
    actual = np.asarray(y_true) == 1
    if not actual.any():
        return 0.0
    return float(np.mean(np.asarray(y_pred)[actual] > threshold))
"""),
    Alternative("auc", "a loop over thresholds and np.trapezoid", """
def auc(y_true, y_pred, num_thresholds=200):
    y = np.asarray(y_true) != 0
    p = np.asarray(y_pred, dtype=np.float64)
    tpr, fpr = [], []
    for t in auc_thresholds(num_thresholds):
        pos = p > t
        tpr.append(np.sum(pos & y) / y.sum() if y.sum() else 0.0)
        fpr.append(np.sum(pos & ~y) / (~y).sum() if (~y).sum() else 0.0)
    return float(np.trapezoid(tpr[::-1], fpr[::-1]))
"""),
    Alternative("precision_at_recall", "a loop over thresholds", """
def precision_at_recall(y_true, y_pred, recall, num_thresholds=200):
    y = np.asarray(y_true) != 0
    best = 0.0
    for t in constraint_thresholds(num_thresholds):
        pos = np.asarray(y_pred) > t
        tp = np.sum(pos & y)
        r = tp / y.sum() if y.sum() else 0.0
        p = tp / pos.sum() if pos.sum() else 0.0
        if r >= recall:
            best = max(best, p)
    return float(best)
"""),
    Alternative("sensitivity_at_specificity", "a loop over thresholds", """
def sensitivity_at_specificity(y_true, y_pred, specificity, num_thresholds=200):
    y = np.asarray(y_true) != 0
    best = 0.0
    for t in constraint_thresholds(num_thresholds):
        pos = np.asarray(y_pred) > t
        sens = np.sum(pos & y) / y.sum() if y.sum() else 0.0
        spec = np.sum(~pos & ~y) / (~y).sum() if (~y).sum() else 0.0
        if spec >= specificity:
            best = max(best, sens)
    return float(best)
"""),
    Alternative("specificity_at_sensitivity", "masked max with a default", """
def specificity_at_sensitivity(y_true, y_pred, sensitivity, num_thresholds=200):
    tp, tn, fp, fn = counts_at_thresholds(y_true, y_pred, constraint_thresholds(num_thresholds))
    sens, spec = safe_divide(tp, tp + fn), safe_divide(tn, tn + fp)
    ok = spec[sens >= sensitivity]
    return float(ok.max()) if ok.size else 0.0
"""),
    Alternative("root_mean_squared_error", "a norm", """
def root_mean_squared_error(y_true, y_pred):
    d = np.asarray(y_pred, dtype=np.float64) - np.asarray(y_true, dtype=np.float64)
    return float(np.linalg.norm(d.ravel()) / np.sqrt(d.size))
"""),
    Alternative("mean_absolute_percentage_error", "np.clip for the floor", """
def mean_absolute_percentage_error(y_true, y_pred):
    y = np.asarray(y_true, dtype=np.float64)
    return float(np.mean(np.abs(y - y_pred) / np.clip(np.abs(y), 1e-7, None)) * 100)
"""),
    Alternative("mean_squared_logarithmic_error", "np.log(1 + clip)", """
def mean_squared_logarithmic_error(y_true, y_pred):
    a = np.log(1.0 + np.clip(y_pred, 1e-7, None))
    b = np.log(1.0 + np.clip(y_true, 1e-7, None))
    return float(np.mean(np.square(a - b)))
"""),
    Alternative("Mean", "sum and size (scalars count one)", """
class Mean:
    def __init__(self):
        self.reset_state()

    def update_state(self, values):
        values = np.asarray(values, dtype=np.float64)
        self.total += values.sum()
        self.count += values.size

    def result(self):
        return self.total / self.count if self.count else 0.0

    def reset_state(self):
        self.total = 0.0
        self.count = 0
"""),
    Alternative("BinaryAccuracy", "keeps every batch, computes at result()", """
class BinaryAccuracy:
    def __init__(self, threshold=0.5):
        self.threshold = threshold
        self.reset_state()

    def update_state(self, y_true, y_pred):
        self.y.append(np.ravel(y_true))
        self.p.append(np.ravel(y_pred))

    def result(self):
        if not self.y:
            return 0.0
        return binary_accuracy(np.concatenate(self.y), np.concatenate(self.p), self.threshold)

    def reset_state(self):
        self.y, self.p = [], []
"""),
    Alternative("Precision", "keeps every batch, computes at result()", """
class Precision:
    def __init__(self, thresholds=0.5):
        self.thresholds = thresholds
        self.reset_state()

    def update_state(self, y_true, y_pred):
        self.y.append(np.ravel(y_true))
        self.p.append(np.ravel(y_pred))

    def result(self):
        if not self.y:
            return 0.0
        return precision(np.concatenate(self.y), np.concatenate(self.p), self.thresholds)

    def reset_state(self):
        self.y, self.p = [], []
"""),
    Alternative("Recall", "a dict of counts", """
class Recall:
    def __init__(self, thresholds=0.5):
        self.thresholds = thresholds
        self.reset_state()

    def update_state(self, y_true, y_pred):
        tp, tn, fp, fn = confusion_counts(y_true, y_pred, self.thresholds)
        self.c["tp"] += tp
        self.c["fn"] += fn

    def result(self):
        total = self.c["tp"] + self.c["fn"]
        return self.c["tp"] / total if total else 0.0

    def reset_state(self):
        self.c = {"tp": 0, "fn": 0}
"""),
    Alternative("AUC", "keeps every batch, computes at result()", """
class AUC:
    def __init__(self, num_thresholds=200):
        self.num_thresholds = num_thresholds
        self.reset_state()

    def update_state(self, y_true, y_pred):
        self.y.append(np.ravel(y_true))
        self.p.append(np.ravel(y_pred))

    def result(self):
        if not self.y:
            return 0.0
        return auc(np.concatenate(self.y), np.concatenate(self.p), self.num_thresholds)

    def reset_state(self):
        self.y, self.p = [], []
"""),
]

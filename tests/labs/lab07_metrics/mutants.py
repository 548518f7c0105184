"""Wrong and alternative implementations for lab07_metrics (see nngrade/mutants.py).

A mutant is a patch of the solution's own definition (`replace(old, new)`), or a complete
definition where the mistake is a different way of writing it: counting directly where the
solution calls `confusion_counts` or `counts_at_thresholds` (a graded function the grader then
answers itself), a trapezoid rule of its own where the solution calls `roc_auc_from_counts`,
a list of per-batch values where the solution keeps counts. A complete definition may use the
helpers of the solution notebook (safe_divide, counts_at_thresholds, auc_thresholds,
constraint_thresholds, roc_auc_from_counts, EPSILON).
"""
from nngrade import mistakes as M
from nngrade.labs.lab07_metrics.checks import GE
from nngrade.mutants import Alternative, Mutant, replace

BATCH_MEAN = "mean of the per-batch"
NO_RESET = "reset_state() did not zero"

MUTANTS = [
    # ---------------------------------------------------------------- accuracy
    Mutant("accuracy", "thresholds y_pred at 0.5",
           replace("np.asarray(y_pred))", "(np.asarray(y_pred) > 0.5))"), expect="does not threshold probabilities"),
    Mutant("accuracy", "rounds y_pred first",
           replace("np.asarray(y_pred))", "np.round(y_pred))"), expect="rounding y_pred"),
    Mutant("accuracy", "sum instead of mean", replace("np.mean(", "np.sum("), expect=M.TOO_LARGE),
    Mutant("accuracy", "mean over axis 0 (an array for 2-D labels)",
           replace("return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))",
                   "return np.mean(np.asarray(y_true) == np.asarray(y_pred), axis=0)")),
    # ---------------------------------------------------------------- binary_accuracy
    Mutant("binary_accuracy", ">= instead of >", replace("> threshold", ">= threshold"), expect=GE),
    Mutant("binary_accuracy", "threshold argument ignored", replace("> threshold", "> 0.5"),
           expect="threshold argument is ignored"),
    Mutant("binary_accuracy", "np.round instead of the threshold",
           replace("np.asarray(y_pred) > threshold", "np.round(y_pred)"), expect="threshold argument is ignored"),
    Mutant("binary_accuracy", "the error rate", replace("==", "!=")),
    # ---------------------------------------------------------------- categorical_accuracy
    Mutant("categorical_accuracy", "last maximum on ties",
           replace("np.argmax(y_pred, axis=-1)",
                   "(np.shape(y_pred)[-1] - 1 - np.argmax(np.asarray(y_pred)[..., ::-1], axis=-1))"),
           expect="FIRST maximum"),
    Mutant("categorical_accuracy", "every tied maximum counts as a hit",
           replace("np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1)",
                   "np.sum(np.asarray(y_true) * (np.asarray(y_pred) == np.max(y_pred, axis=-1, keepdims=True)), axis=-1)")),
    Mutant("categorical_accuracy", "argmax over the batch axis", replace("axis=-1", "axis=0", count=2)),
    Mutant("categorical_accuracy", "elementwise equality of one-hot and rounded scores",
           replace("np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1)", "np.asarray(y_true) == np.round(y_pred)")),
    # ---------------------------------------------------------------- sparse_categorical_accuracy
    Mutant("sparse_categorical_accuracy", "last maximum on ties",
           replace("np.argmax(y_pred, axis=-1)",
                   "(np.shape(y_pred)[-1] - 1 - np.argmax(np.asarray(y_pred)[..., ::-1], axis=-1))"),
           expect="FIRST maximum"),
    Mutant("sparse_categorical_accuracy", "compares the label with the top score",
           replace("np.argmax(y_pred", "np.max(y_pred")),
    Mutant("sparse_categorical_accuracy", "argmax over the batch axis",
           replace("np.argmax(y_pred, axis=-1)", "np.argmax(y_pred, axis=0)[:len(y_true)]")),
    Mutant("sparse_categorical_accuracy", "treats y_true as one-hot",
           replace("np.asarray(y_true)", "np.argmax(y_true, axis=-1)")),
    # ---------------------------------------------------------------- top_k_categorical_accuracy
    Mutant("top_k_categorical_accuracy", "ranks by argsort (ties broken)",
           replace("    return float(np.mean(true_score >= kth_largest))",
                   "    top_k = np.argsort(-y_pred, axis=-1, kind=\"stable\")[..., :k]\n"
                   "    return float(np.mean(np.any(top_k == true_class[..., None], axis=-1)))"),
           expect="ties count as hits"),
    Mutant("top_k_categorical_accuracy", "> the k-th largest instead of >=",
           replace("true_score >= kth_largest", "true_score > kth_largest"), expect="not >"),
    Mutant("top_k_categorical_accuracy", "off by one: index k", replace("[..., k - 1]", "[..., k]"),
           expect="off by one"),
    Mutant("top_k_categorical_accuracy", "sorted ascending: the k smallest",
           replace("-np.sort(-y_pred, axis=-1)", "np.sort(y_pred, axis=-1)")
           + replace("true_score >= kth_largest", "true_score <= kth_largest")),
    # ---------------------------------------------------------------- confusion_counts
    Mutant("confusion_counts", ">= instead of >", replace("> threshold", ">= threshold"), expect=GE),
    Mutant("confusion_counts", "scikit-learn's order (tn, fp, fn, tp)",
           replace("return tp, tn, fp, fn", "return tn, fp, fn, tp"), expect="the order is (tp, tn, fp, fn)"),
    Mutant("confusion_counts", "float counts", replace("int(", "float(", count=4), expect="should be an int"),
    Mutant("confusion_counts", "fp and fn swapped", replace("return tp, tn, fp, fn", "return tp, tn, fn, fp")),
    # ---------------------------------------------------------------- precision
    Mutant("precision", ">= instead of >", """
def precision(y_true, y_pred, threshold=0.5):
    a = np.asarray(y_true) != 0
    p = np.asarray(y_pred) >= threshold
    return float(safe_divide(np.sum(p & a), np.sum(p)))
""", expect=GE),
    Mutant("precision", "computes recall", replace("tp + fp", "tp + fn"), expect="you computed recall"),
    Mutant("precision", "0/0 gives NaN with a warning", replace("safe_divide(", "np.divide("), expect=M.UNSTABLE),
    Mutant("precision", "0/0 gives 1",
           replace("float(safe_divide(tp, tp + fp))", "float(tp / (tp + fp)) if tp + fp else 1.0")),
    # ---------------------------------------------------------------- recall
    Mutant("recall", ">= instead of >", """
def recall(y_true, y_pred, threshold=0.5):
    a = np.asarray(y_true) != 0
    p = np.asarray(y_pred) >= threshold
    return float(safe_divide(np.sum(p & a), np.sum(a)))
""", expect=GE),
    Mutant("recall", "computes precision", replace("tp + fn", "tp + fp"), expect="you computed precision"),
    Mutant("recall", "0/0 in Python raises", replace("float(safe_divide(tp, tp + fn))", "int(tp) / int(tp + fn)"),
           expect="ZeroDivisionError"),
    Mutant("recall", "threshold ignored", replace("y_pred, threshold)", "y_pred, 0.5)")),
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
    Mutant("auc", "thresholds np.linspace(0, 1, n), no epsilon",
           replace("auc_thresholds(num_thresholds)", "np.linspace(0, 1, num_thresholds)"),
           expect="your thresholds are [0, ..., 1]"),
    Mutant("auc", ">= at the thresholds", """
def auc(y_true, y_pred, num_thresholds=200):
    a = np.asarray(y_true).ravel() != 0
    pos = np.asarray(y_pred).ravel()[None, :] >= auc_thresholds(num_thresholds)[:, None]
    tp, fp = np.sum(pos & a, 1), np.sum(pos & ~a, 1)
    return roc_auc_from_counts(tp, np.sum(~a) - fp, fp, np.sum(a) - tp)
""", expect=GE),
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
    Mutant("auc", "num_thresholds ignored", replace("auc_thresholds(num_thresholds)", "auc_thresholds(200)")),
    # ---------------------------------------------------------------- precision_at_recall
    Mutant("precision_at_recall", "recall > value instead of >=",
           replace("recalls >= recall", "recalls > recall"), expect="(inclusive)"),
    Mutant("precision_at_recall", "AUC's thresholds (with +-1e-7)",
           replace("constraint_thresholds(", "auc_thresholds("), expect="AUC's"),
    Mutant("precision_at_recall", "the precision at the lowest feasible threshold",
           replace("    return float(np.max(np.where(recalls >= recall, precisions, 0.0), initial=0.0))",
                   "    feasible = np.nonzero(recalls >= recall)[0]\n"
                   "    return float(precisions[feasible[0]]) if len(feasible) else 0.0")),
    Mutant("precision_at_recall", "recall at precision (roles swapped)",
           replace("np.where(recalls >= recall, precisions, 0.0)", "np.where(precisions >= recall, recalls, 0.0)")),
    # ---------------------------------------------------------------- sensitivity_at_specificity
    Mutant("sensitivity_at_specificity", "specificity > value instead of >=",
           replace("specificities >= specificity", "specificities > specificity"), expect="(inclusive)"),
    Mutant("sensitivity_at_specificity", "roles swapped",
           replace("np.where(specificities >= specificity, sensitivities, 0.0)",
                   "np.where(sensitivities >= specificity, specificities, 0.0)"),
           expect="swapped the roles"),
    Mutant("sensitivity_at_specificity", "the false positive rate fp / (tn + fp) as the constraint",
           replace("safe_divide(tn, tn + fp)", "safe_divide(fp, tn + fp)")),
    Mutant("sensitivity_at_specificity", "AUC's thresholds (with +-1e-7)",
           replace("constraint_thresholds(", "auc_thresholds("), expect="AUC's"),
    # ---------------------------------------------------------------- specificity_at_sensitivity
    Mutant("specificity_at_sensitivity", "sensitivity > value instead of >=",
           replace("sensitivities >= sensitivity", "sensitivities > sensitivity"), expect="(inclusive)"),
    Mutant("specificity_at_sensitivity", "roles swapped",
           replace("np.where(sensitivities >= sensitivity, specificities, 0.0)",
                   "np.where(specificities >= sensitivity, sensitivities, 0.0)"),
           expect="swapped the roles"),
    Mutant("specificity_at_sensitivity", "specificity as tn / (tn + fn)",
           replace("safe_divide(tn, tn + fp)", "safe_divide(tn, tn + fn)")),
    Mutant("specificity_at_sensitivity", "num_thresholds ignored",
           replace("constraint_thresholds(num_thresholds)", "constraint_thresholds(200)")),
    # ---------------------------------------------------------------- root_mean_squared_error
    Mutant("root_mean_squared_error", "no square root (MSE)",
           replace("np.sqrt(np.mean(diff ** 2))", "np.mean(diff ** 2)"), expect="mean squared error"),
    Mutant("root_mean_squared_error", "mean of per-column RMSEs",
           replace("np.sqrt(np.mean(diff ** 2))", "np.mean(np.sqrt(np.mean(diff ** 2, axis=0)))"),
           expect="(scikit-learn's multioutput default)"),
    Mutant("root_mean_squared_error", "mean of per-sample RMSEs (the RMSE of a 1-D array)",
           replace("np.sqrt(np.mean(diff ** 2))", "np.mean(np.sqrt(np.mean(np.atleast_2d(diff) ** 2, axis=-1)))")),
    Mutant("root_mean_squared_error", "mean absolute error",
           replace("np.sqrt(np.mean(diff ** 2))", "np.mean(np.abs(diff))")),
    # ---------------------------------------------------------------- mean_absolute_percentage_error
    Mutant("mean_absolute_percentage_error", "a fraction, not a percentage", replace("100.0 * ", ""),
           expect="not a percentage"),
    Mutant("mean_absolute_percentage_error", "denominator max(y, eps) without abs",
           replace("np.maximum(np.abs(y_true), EPSILON)", "np.maximum(y_true, EPSILON)"),
           expect="absolute value of the target"),
    Mutant("mean_absolute_percentage_error", "|y| + eps instead of max(|y|, eps)",
           replace("np.maximum(np.abs(y_true), EPSILON)", "(np.abs(y_true) + EPSILON)")),
    Mutant("mean_absolute_percentage_error", "divides by the prediction",
           replace("np.abs(y_true), EPSILON", "np.abs(y_pred), EPSILON")),
    # ---------------------------------------------------------------- mean_squared_logarithmic_error
    Mutant("mean_squared_logarithmic_error", "no clipping",
           replace("np.maximum(np.asarray(y_pred, dtype=np.float64), EPSILON)", "np.asarray(y_pred, dtype=np.float64)")
           + replace("np.maximum(np.asarray(y_true, dtype=np.float64), EPSILON)", "np.asarray(y_true, dtype=np.float64)"),
           expect="clip both arguments"),
    Mutant("mean_squared_logarithmic_error", "log instead of log1p", replace("np.log1p(", "np.log(", count=2),
           expect="log(1 + x), not log(x)"),
    Mutant("mean_squared_logarithmic_error", "clips at 0 instead of 1e-7", replace("EPSILON)", "0.0)", count=2)),
    Mutant("mean_squared_logarithmic_error", "root of the mean (RMSLE)",
           replace("float(np.mean((first - second) ** 2))", "float(np.sqrt(np.mean((first - second) ** 2)))")),
    # ---------------------------------------------------------------- Mean
    Mutant("Mean", "averages the per-batch means",
           replace("self.total += float(per_sample.sum())\n            self.count += per_sample.shape[0]",
                   "self.total += float(per_sample.mean())\n            self.count += 1"),
           expect=BATCH_MEAN),
    Mutant("Mean", "counts batches, not values",
           replace("self.count += per_sample.shape[0]", "self.count += 1")),
    Mutant("Mean", "0/0 raises before any update",
           replace("return float(safe_divide(self.total, self.count))", "return self.total / self.count"),
           expect="ZeroDivisionError"),
    Mutant("Mean", "reset_state forgets the count",
           replace("        self.count = 0\n", "")
           + replace("        self.reset_state()\n", "        self.total, self.count = 0.0, 0\n")),
    # ---------------------------------------------------------------- BinaryAccuracy
    Mutant("BinaryAccuracy", "averages the per-batch accuracies",
           replace("self.correct += int(hits.sum())\n        self.count += hits.size",
                   "self.correct += float(hits.mean())\n        self.count += 1"),
           expect=BATCH_MEAN),
    Mutant("BinaryAccuracy", "reset_state does nothing",
           replace("        self.correct = 0\n        self.count = 0\n", "        pass\n")
           + replace("        self.reset_state()\n", "        self.correct, self.count = 0, 0\n"),
           expect=NO_RESET),
    Mutant("BinaryAccuracy", ">= instead of >", replace("> self.threshold", ">= self.threshold")),
    Mutant("BinaryAccuracy", "threshold ignored", replace("> self.threshold", "> 0.5")),
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
    Mutant("Precision", "reset_state does nothing",
           replace("        self.tp = 0\n        self.fp = 0\n", "        pass\n")
           + replace("        self.reset_state()\n", "        self.tp, self.fp = 0, 0\n"),
           expect=NO_RESET),
    Mutant("Precision", "0/0 raises before any update",
           replace("return float(safe_divide(self.tp, self.tp + self.fp))", "return self.tp / (self.tp + self.fp)"),
           expect="ZeroDivisionError"),
    Mutant("Precision", "keeps only the last batch", replace(" += ", " = ", count=2)),
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
    Mutant("Recall", "reset_state zeroes tp only",
           replace("        self.fn = 0\n", "")
           + replace("        self.reset_state()\n", "        self.tp, self.fn = 0, 0\n")),
    Mutant("Recall", "accumulates fp instead of fn", replace("self.fn += fn", "self.fn += fp")),
    Mutant("Recall", "threshold ignored", replace("y_pred, self.thresholds)", "y_pred, 0.5)")),
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
    Mutant("AUC", "reset_state does nothing",
           replace("        self.counts = [np.zeros(len(self.thresholds), dtype=np.int64) for _ in range(4)]\n",
                   "        pass\n")
           + replace("        self.reset_state()\n",
                     "        self.counts = [np.zeros(len(self.thresholds), dtype=np.int64) for _ in range(4)]\n"),
           expect=NO_RESET),
    Mutant("AUC", "keeps only the last batch", replace("total += new", "total[...] = new")),
    Mutant("AUC", "num_thresholds ignored", replace("auc_thresholds(num_thresholds)", "auc_thresholds(200)")),
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

"""lab07_metrics: Keras's metrics in NumPy, stateless functions and streaming classes.

The package holds how the lab is graded: `checks` (the registry rows), and `driver` where the
worker needs more than one call of a function. Its oracles are `reference/metrics.py`.
"""

# The graded functions and their signatures: the contract (names never change). A test
# holds them to the solution notebook's definitions.
SIGNATURES = {
    "accuracy": "accuracy(y_true, y_pred)",
    "binary_accuracy": "binary_accuracy(y_true, y_pred, threshold=0.5)",
    "categorical_accuracy": "categorical_accuracy(y_true, y_pred)",
    "sparse_categorical_accuracy": "sparse_categorical_accuracy(y_true, y_pred)",
    "top_k_categorical_accuracy": "top_k_categorical_accuracy(y_true, y_pred, k=5)",
    "confusion_counts": "confusion_counts(y_true, y_pred, threshold=0.5)",
    "precision": "precision(y_true, y_pred, threshold=0.5)",
    "recall": "recall(y_true, y_pred, threshold=0.5)",
    "auc": "auc(y_true, y_pred, num_thresholds=200)",
    "root_mean_squared_error": "root_mean_squared_error(y_true, y_pred)",
    "mean_absolute_percentage_error": "mean_absolute_percentage_error(y_true, y_pred)",
    "mean_squared_logarithmic_error": "mean_squared_logarithmic_error(y_true, y_pred)",
    "precision_at_recall": "precision_at_recall(y_true, y_pred, recall, num_thresholds=200)",
    "sensitivity_at_specificity": "sensitivity_at_specificity(y_true, y_pred, specificity, num_thresholds=200)",
    "specificity_at_sensitivity": "specificity_at_sensitivity(y_true, y_pred, sensitivity, num_thresholds=200)",
    "Mean": "Mean()",
    "BinaryAccuracy": "BinaryAccuracy(threshold=0.5)",
    "Precision": "Precision(thresholds=0.5)",
    "Recall": "Recall(thresholds=0.5)",
    "AUC": "AUC(num_thresholds=200)",
}

"""lab03_losses: every loss of the contract and its gradient with respect to the prediction.

The package holds how the lab is graded: `checks` (the registry rows), and `driver` where the
worker needs more than one call of a function. Its oracles are `reference/losses.py`.
"""

# The graded functions and their signatures: the contract (names never change). A test
# holds them to the solution notebook's definitions.
SIGNATURES = {
    "mse": "mse(y_true, y_pred)",
    "mae": "mae(y_true, y_pred)",
    "huber": "huber(y_true, y_pred, delta=1.0)",
    "binary_crossentropy": "binary_crossentropy(y_true, y_pred, eps=1e-7)",
    "binary_crossentropy_from_logits": "binary_crossentropy_from_logits(y_true, logits)",
    "categorical_crossentropy": "categorical_crossentropy(y_true, y_pred, eps=1e-7)",
    "sparse_categorical_crossentropy": "sparse_categorical_crossentropy(y_true, y_pred, eps=1e-7)",
    "softmax_crossentropy_from_logits": "softmax_crossentropy_from_logits(y_true, logits)",
    "kl_divergence": "kl_divergence(y_true, y_pred, eps=1e-7)",
    "poisson": "poisson(y_true, y_pred, eps=1e-7)",
    "msle": "msle(y_true, y_pred, eps=1e-7)",
    "hinge": "hinge(y_true, scores)",
    "mse_grad": "mse_grad(y_true, y_pred)",
    "mae_grad": "mae_grad(y_true, y_pred)",
    "huber_grad": "huber_grad(y_true, y_pred, delta=1.0)",
    "binary_crossentropy_grad": "binary_crossentropy_grad(y_true, y_pred, eps=1e-7)",
    "binary_crossentropy_from_logits_grad": "binary_crossentropy_from_logits_grad(y_true, logits)",
    "categorical_crossentropy_grad": "categorical_crossentropy_grad(y_true, y_pred, eps=1e-7)",
    "sparse_categorical_crossentropy_grad": "sparse_categorical_crossentropy_grad(y_true, y_pred, eps=1e-7)",
    "softmax_crossentropy_from_logits_grad": "softmax_crossentropy_from_logits_grad(y_true, logits)",
    "kl_divergence_grad": "kl_divergence_grad(y_true, y_pred, eps=1e-7)",
    "poisson_grad": "poisson_grad(y_true, y_pred, eps=1e-7)",
    "msle_grad": "msle_grad(y_true, y_pred, eps=1e-7)",
    "hinge_grad": "hinge_grad(y_true, scores)",
}

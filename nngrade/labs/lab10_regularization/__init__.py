"""lab10_regularization: dropout, batch normalisation, layer normalisation and early stopping.

The package holds how the lab is graded: `checks` (the registry rows), and `driver` where the
worker needs more than one call of a function or only part of its result. Its oracles are
`reference/regularization.py`.
"""

# The graded functions and their signatures: the contract (names never change). A test
# holds them to the solution notebook's definitions. The forward passes of the two
# normalisations return a cache `(X, gamma, eps)` as their last item: the backward passes take
# it and recompute the statistics (training mode), so the grader can hand them its own.
SIGNATURES = {
    "dropout_mask": "dropout_mask(shape, p, rng)",
    "dropout_forward": "dropout_forward(X, p, mask)",
    "dropout_backward": "dropout_backward(dOut, mask, p)",
    "batchnorm_forward": "batchnorm_forward(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-05, "
                         "training=True)",
    "batchnorm_backward": "batchnorm_backward(dOut, cache)",
    "layernorm_forward": "layernorm_forward(X, gamma, beta, eps=1e-05)",
    "layernorm_backward": "layernorm_backward(dOut, cache)",
    "early_stopping": "early_stopping(val_losses, patience, min_delta=0.0)",
}

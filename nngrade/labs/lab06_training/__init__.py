"""lab06_training: initialisers, optimizers, the L2 penalty, mini-batches and `train`.

The package holds how the lab is graded: `checks` (the registry rows), and `driver` where the
worker needs more than one call of a function. Its oracles are `reference/training.py`.
"""

# The graded functions and their signatures: the contract (names never change). A test
# holds them to the solution notebook's definitions.
SIGNATURES = {
    "init_uniform": "init_uniform(shape, eps, rng)",
    "xavier_uniform": "xavier_uniform(fan_in, fan_out, rng)",
    "he_normal": "he_normal(fan_in, fan_out, rng)",
    "SGD": "SGD(params, lr, momentum=0.0, nesterov=False, weight_decay=0.0)",
    "Adagrad": "Adagrad(params, lr=0.01, eps=1e-10)",
    "RMSprop": "RMSprop(params, lr=0.01, alpha=0.99, eps=1e-8)",
    "Adam": "Adam(params, lr=0.001, betas=(0.9, 0.999), eps=1e-8)",
    "l2_penalty": "l2_penalty(weights, lam)",
    "l2_penalty_grad": "l2_penalty_grad(weights, lam)",
    "iterate_minibatches": "iterate_minibatches(X, y, batch_size, rng=None)",
    "train": "train(X, y, params, optimizer, batch_size, epochs, X_val=None, y_val=None)",
}

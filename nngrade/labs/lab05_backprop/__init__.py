"""lab05_backprop: the textbook update, dense layers, an L-layer MLP and gradient checking.

The package holds how the lab is graded: `checks` (the registry rows), and `driver` where the
worker needs more than one call of a function. Its oracles are `reference/backprop.py`.
"""

# The graded functions and their signatures: the contract (names never change). A test
# holds them to the solution notebook's definitions.
SIGNATURES = {
    "sigmoid_net_update": "sigmoid_net_update(x, t, W1, b1, W2, b2, lr)",
    "dense_forward": "dense_forward(X, W, b)",
    "dense_backward": "dense_backward(dZ, X, W)",
    "mlp_forward": 'mlp_forward(X, params, hidden="sigmoid", output="linear")',
    "mlp_loss_and_grads": 'mlp_loss_and_grads(X, Y, params, hidden="sigmoid", loss="mse")',
    "numerical_gradient": "numerical_gradient(f, x, h=1e-5)",
    "relative_error": "relative_error(a, b)",
}

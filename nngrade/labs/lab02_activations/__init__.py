"""lab02_activations: every activation and its derivative, elementwise, any shape.

The package holds how the lab is graded: `checks` (the registry rows), and `driver` where the
worker needs more than one call of a function. Its oracles are `reference/activations.py`.
"""

# The graded functions and their signatures: the contract (names never change). A test
# holds them to the solution notebook's definitions.
SIGNATURES = {
    "identity": "identity(z)",
    "binary_step": "binary_step(z)",
    "sigmoid": "sigmoid(z)",
    "tanh": "tanh(z)",
    "relu": "relu(z)",
    "leaky_relu": "leaky_relu(z, alpha=0.01)",
    "elu": "elu(z, alpha=1.0)",
    "selu": "selu(z)",
    "gelu": "gelu(z, approximate=False)",
    "softplus": "softplus(z)",
    "silu": "silu(z)",
    "gaussian": "gaussian(z)",
    "identity_grad": "identity_grad(z)",
    "binary_step_grad": "binary_step_grad(z)",
    "sigmoid_grad": "sigmoid_grad(z)",
    "tanh_grad": "tanh_grad(z)",
    "relu_grad": "relu_grad(z)",
    "leaky_relu_grad": "leaky_relu_grad(z, alpha=0.01)",
    "elu_grad": "elu_grad(z, alpha=1.0)",
    "selu_grad": "selu_grad(z)",
    "gelu_grad": "gelu_grad(z, approximate=False)",
    "softplus_grad": "softplus_grad(z)",
    "silu_grad": "silu_grad(z)",
    "gaussian_grad": "gaussian_grad(z)",
    "softmax": "softmax(z, axis=-1)",
    "softmax_backward": "softmax_backward(z, grad_out, axis=-1)",
}

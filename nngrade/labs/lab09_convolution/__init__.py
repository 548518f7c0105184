"""lab09_convolution: channels-last conv2d and max pooling, forward and backward.

The package holds how the lab is graded: `checks` (the registry rows), and `driver` where the
worker needs more than one call of a function. Its oracles are `reference/convolution.py`.
"""

# The graded functions and their signatures: the contract (names never change). A test
# holds them to the solution notebook's definitions.
SIGNATURES = {
    "conv2d_forward": "conv2d_forward(X, W, b, stride=1, padding=0)",
    "conv2d_backward": "conv2d_backward(dOut, X, W, stride=1, padding=0)",
    "maxpool2d_forward": "maxpool2d_forward(X, pool=2, stride=2)",
    "maxpool2d_backward": "maxpool2d_backward(dOut, X, pool=2, stride=2)",
}

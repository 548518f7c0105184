"""lab08_gradient_flow: per-layer gradient norms, clipping by norm and by global norm.

The package holds how the lab is graded: `checks` (the registry rows), and `driver` where the
worker needs more than one call of a function. Its oracles are `reference/gradient_flow.py`.
"""

# The graded functions and their signatures: the contract (names never change). A test
# holds them to the solution notebook's definitions.
SIGNATURES = {
    "layer_gradient_norms": 'layer_gradient_norms(X, Y, params, hidden="sigmoid")',
    "clip_by_norm": "clip_by_norm(g, max_norm)",
    "clip_by_global_norm": "clip_by_global_norm(grads, max_norm)",
}

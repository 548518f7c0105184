"""Plausible wrong answers for lab08_gradient_flow, and valid alternatives.

A mutant is a patch of the solution's own definition (`replace(old, new)`), or a complete
definition where the mistake is a different way of writing it; a complete definition replaces
the solution's and may use `activation`, `activation_grad` (given helpers) and the other
functions of the solution notebook.
"""
from nngrade import mistakes as M
from nngrade.mutants import Alternative, Mutant, replace

MUTANTS = [
    # ------------------------------------------------------------ layer_gradient_norms
    Mutant("layer_gradient_norms", "mean over the batch only (divides by N, not N*K)",
           replace("/ Y.size", "/ len(Y)"), expect="you divided by N only"),
    Mutant("layer_gradient_norms", "norms listed output layer first",
           replace("    return norms", "    return norms[::-1]"), expect="reverse order"),
    Mutant("layer_gradient_norms", "multiplies by the activation instead of its derivative",
           replace("activation_grad(Z[i - 1], hidden)", "A[i]"), expect="not by its derivative"),
    Mutant("layer_gradient_norms", "relu'(0) = 1 (z >= 0)",
           replace("activation_grad(Z[i - 1], hidden)",
                   '((Z[i - 1] >= 0).astype(float) if hidden == "relu" else activation_grad(Z[i - 1], hidden))'),
           expect="relu'(0) is 0"),
    Mutant("layer_gradient_norms", "loss differentiated without the factor 2",
           replace("delta = 2.0 * (A[-1] - Y)", "delta = (A[-1] - Y)"), expect=M.HALF),
    Mutant("layer_gradient_norms", "squared norms",
           replace("np.sqrt(np.sum((A[i].T @ delta) ** 2))", "np.sum((A[i].T @ delta) ** 2)"),
           expect="squared norms"),
    Mutant("layer_gradient_norms", "derivative evaluated at the activation output, not at z",
           replace("activation_grad(Z[i - 1], hidden)", "activation_grad(A[i], hidden)")),
    Mutant("layer_gradient_norms", "norms of the bias gradients",
           replace("(A[i].T @ delta)", "delta.sum(axis=0)"), expect="bias gradients"),
    Mutant("layer_gradient_norms", "applies the hidden activation to the output layer too",
           replace("activation(z, hidden) if i < len(params) - 1 else z", "activation(z, hidden)")
           + replace("/ Y.size   # dL/dZ_L", "/ Y.size * activation_grad(Z[-1], hidden)")),
    Mutant("layer_gradient_norms", "norms of central-difference gradients (the notebook's self-check)", """
def layer_gradient_norms(X, Y, params, hidden="sigmoid"):
    return numerical_norms(X, Y, [(W.copy(), b.copy()) for W, b in params], hidden)
"""),

    # ------------------------------------------------------------ clip_by_norm
    Mutant("clip_by_norm", "scales g in place and returns it",
           replace("    return g * (max_norm / max(norm, max_norm))",
                   "    g *= max_norm / max(norm, max_norm)\n    return g"),
           expect=M.IN_PLACE),
    Mutant("clip_by_norm", "returns g itself when no clipping is needed",
           replace("return g * (max_norm / max(norm, max_norm))",
                   "return g if norm <= max_norm else g * (max_norm / norm)"),
           expect="itself"),
    Mutant("clip_by_norm", "always rescales to norm max_norm (scales small gradients up)",
           replace("max(norm, max_norm)", "norm"), expect="already below it"),
    Mutant("clip_by_norm", "clips each element (clip by value)",
           replace("return g * (max_norm / max(norm, max_norm))", "return np.clip(g, -max_norm, max_norm)"),
           expect="clipping by value"),
    Mutant("clip_by_norm", "min(1, max_norm / norm): 0/0 on a zero gradient",
           replace("max_norm / max(norm, max_norm)", "np.minimum(1.0, max_norm / norm)"), expect=M.UNSTABLE),
    Mutant("clip_by_norm", "adds 1e-6 to the norm as torch does",
           replace("max_norm / max(norm, max_norm)", "min(1.0, max_norm / (norm + 1e-6))"),
           expect="you added 1e-6"),
    Mutant("clip_by_norm", "squared norm",
           replace("norm = np.sqrt(np.sum(g * g))", "norm = np.sum(g * g)"), expect="squared norm"),

    # ------------------------------------------------------------ clip_by_global_norm
    Mutant("clip_by_global_norm", "per-tensor instead of global clipping",
           replace("[g * scale for g in grads]", "[clip_by_norm(g, max_norm) for g in grads]"),
           expect="per-tensor clipping"),
    Mutant("clip_by_global_norm", "returns the norm after clipping",
           replace("    return [g * scale for g in grads], global_norm",
                   "    clipped = [g * scale for g in grads]\n"
                   "    return clipped, float(np.sqrt(sum(np.sum(g * g) for g in clipped)))"),
           expect="BEFORE clipping"),
    Mutant("clip_by_global_norm", "sum of the arrays' norms as the global norm",
           replace("float(np.sqrt(sum(np.sum(g * g) for g in grads)))", "float(sum(np.sqrt(np.sum(g * g)) for g in grads))"),
           expect="not the sum of the arrays' norms"),
    Mutant("clip_by_global_norm", "scales the arrays in place",
           replace("    return [g * scale for g in grads], global_norm",
                   "    for g in grads:\n        g *= scale\n    return grads, global_norm"),
           expect=M.IN_PLACE),
    Mutant("clip_by_global_norm", "returns the same arrays when nothing is clipped",
           replace("return [g * scale for g in grads], global_norm",
                   "return (grads if global_norm <= max_norm else [g * scale for g in grads]), global_norm"),
           expect="itself"),
    Mutant("clip_by_global_norm", "min(1, max_norm / norm): 0/0 on zero gradients",
           replace("scale = max_norm / max(global_norm, max_norm)",
                   "scale = np.minimum(1.0, max_norm / np.float64(global_norm))"),
           expect=M.UNSTABLE),
    Mutant("clip_by_global_norm", "adds 1e-6 to the norm as torch does",
           replace("scale = max_norm / max(global_norm, max_norm)", "scale = min(1.0, max_norm / (global_norm + 1e-6))"),
           expect="you added 1e-6"),
]

ALTERNATIVES = [
    Alternative("layer_gradient_norms", "recursive backward with einsum and np.linalg.norm", '''
def layer_gradient_norms(X, Y, params, hidden="sigmoid"):
    acts = [np.asarray(X, dtype=float)]
    pre = []
    for k, (W, b) in enumerate(params):
        pre.append(np.einsum("nd,de->ne", acts[-1], W) + b)
        acts.append(pre[-1] if k == len(params) - 1 else activation(pre[-1], hidden))
    grad_out = 2 * (acts[-1] - Y) / (Y.shape[0] * Y.shape[1])
    result = []
    for k in reversed(range(len(params))):
        result.insert(0, np.linalg.norm(np.einsum("nd,ne->de", acts[k], grad_out), "fro"))
        grad_out = np.einsum("ne,de->nd", grad_out, params[k][0])
        if k:
            if hidden == "sigmoid":
                grad_out = grad_out * acts[k] * (1 - acts[k])
            elif hidden == "tanh":
                grad_out = grad_out * (1 - acts[k] ** 2)
            else:
                grad_out = grad_out * (pre[k - 1] > 0)
    return np.array(result)
'''),
    Alternative("clip_by_norm", "np.linalg.norm and an explicit copy", '''
def clip_by_norm(g, max_norm):
    norm = np.linalg.norm(np.ravel(g))
    if norm > max_norm:
        return g * (max_norm / norm)
    return np.array(g, dtype=np.float64, copy=True)
'''),
    Alternative("clip_by_global_norm", "one flat vector for the norm, np.copy when unclipped", '''
def clip_by_global_norm(grads, max_norm):
    flat = np.concatenate([np.ravel(g) for g in grads])
    norm = float(np.linalg.norm(flat))
    if norm <= max_norm:
        return [np.copy(g) for g in grads], norm
    return [g * max_norm / norm for g in grads], norm
'''),
]

"""Plausible wrong answers for lab08_gradient_flow, and valid alternatives.

Each source replaces the solution's definition; `activation`, `activation_grad` (given
helpers) and the other solution functions stay available.
"""
from nngrade.mutants import Alternative, Mutant

MUTANTS = [
    # ------------------------------------------------------------ layer_gradient_norms
    Mutant("layer_gradient_norms", "mean over the batch only (divides by N, not N*K)", '''
def layer_gradient_norms(X, Y, params, hidden="sigmoid"):
    A, Z = [X], []
    for i, (W, b) in enumerate(params):
        z = A[-1] @ W + b
        Z.append(z)
        A.append(activation(z, hidden) if i < len(params) - 1 else z)
    delta = 2.0 * (A[-1] - Y) / len(Y)
    norms = np.zeros(len(params))
    for i in range(len(params) - 1, -1, -1):
        norms[i] = np.linalg.norm(A[i].T @ delta)
        if i > 0:
            delta = (delta @ params[i][0].T) * activation_grad(Z[i - 1], hidden)
    return norms
''', expect="you divided by N only"),
    Mutant("layer_gradient_norms", "norms listed output layer first", '''
def layer_gradient_norms(X, Y, params, hidden="sigmoid"):
    A, Z = [X], []
    for i, (W, b) in enumerate(params):
        z = A[-1] @ W + b
        Z.append(z)
        A.append(activation(z, hidden) if i < len(params) - 1 else z)
    delta = 2.0 * (A[-1] - Y) / Y.size
    norms = []
    for i in range(len(params) - 1, -1, -1):
        norms.append(np.linalg.norm(A[i].T @ delta))
        if i > 0:
            delta = (delta @ params[i][0].T) * activation_grad(Z[i - 1], hidden)
    return np.array(norms)
''', expect="reverse order"),
    Mutant("layer_gradient_norms", "multiplies by the activation instead of its derivative", '''
def layer_gradient_norms(X, Y, params, hidden="sigmoid"):
    A, Z = [X], []
    for i, (W, b) in enumerate(params):
        z = A[-1] @ W + b
        Z.append(z)
        A.append(activation(z, hidden) if i < len(params) - 1 else z)
    delta = 2.0 * (A[-1] - Y) / Y.size
    norms = np.zeros(len(params))
    for i in range(len(params) - 1, -1, -1):
        norms[i] = np.linalg.norm(A[i].T @ delta)
        if i > 0:
            delta = (delta @ params[i][0].T) * A[i]
    return norms
''', expect="not by its derivative"),
    Mutant("layer_gradient_norms", "relu'(0) = 1 (z >= 0)", '''
def layer_gradient_norms(X, Y, params, hidden="sigmoid"):
    A, Z = [X], []
    for i, (W, b) in enumerate(params):
        z = A[-1] @ W + b
        Z.append(z)
        A.append(activation(z, hidden) if i < len(params) - 1 else z)
    delta = 2.0 * (A[-1] - Y) / Y.size
    norms = np.zeros(len(params))
    for i in range(len(params) - 1, -1, -1):
        norms[i] = np.linalg.norm(A[i].T @ delta)
        if i > 0:
            d = (Z[i - 1] >= 0).astype(float) if hidden == "relu" else activation_grad(Z[i - 1], hidden)
            delta = (delta @ params[i][0].T) * d
    return norms
''', expect="relu'(0) is 0"),
    Mutant("layer_gradient_norms", "loss differentiated without the factor 2", '''
def layer_gradient_norms(X, Y, params, hidden="sigmoid"):
    A, Z = [X], []
    for i, (W, b) in enumerate(params):
        z = A[-1] @ W + b
        Z.append(z)
        A.append(activation(z, hidden) if i < len(params) - 1 else z)
    delta = (A[-1] - Y) / Y.size
    norms = np.zeros(len(params))
    for i in range(len(params) - 1, -1, -1):
        norms[i] = np.linalg.norm(A[i].T @ delta)
        if i > 0:
            delta = (delta @ params[i][0].T) * activation_grad(Z[i - 1], hidden)
    return norms
''', expect="half of the expected value"),
    Mutant("layer_gradient_norms", "squared norms", '''
def layer_gradient_norms(X, Y, params, hidden="sigmoid"):
    A, Z = [X], []
    for i, (W, b) in enumerate(params):
        z = A[-1] @ W + b
        Z.append(z)
        A.append(activation(z, hidden) if i < len(params) - 1 else z)
    delta = 2.0 * (A[-1] - Y) / Y.size
    norms = np.zeros(len(params))
    for i in range(len(params) - 1, -1, -1):
        norms[i] = np.sum((A[i].T @ delta) ** 2)
        if i > 0:
            delta = (delta @ params[i][0].T) * activation_grad(Z[i - 1], hidden)
    return norms
''', expect="squared norms"),
    Mutant("layer_gradient_norms", "derivative evaluated at the activation output, not at z", '''
def layer_gradient_norms(X, Y, params, hidden="sigmoid"):
    A, Z = [X], []
    for i, (W, b) in enumerate(params):
        z = A[-1] @ W + b
        Z.append(z)
        A.append(activation(z, hidden) if i < len(params) - 1 else z)
    delta = 2.0 * (A[-1] - Y) / Y.size
    norms = np.zeros(len(params))
    for i in range(len(params) - 1, -1, -1):
        norms[i] = np.linalg.norm(A[i].T @ delta)
        if i > 0:
            delta = (delta @ params[i][0].T) * activation_grad(A[i], hidden)
    return norms
'''),
    Mutant("layer_gradient_norms", "norms of the bias gradients", '''
def layer_gradient_norms(X, Y, params, hidden="sigmoid"):
    A, Z = [X], []
    for i, (W, b) in enumerate(params):
        z = A[-1] @ W + b
        Z.append(z)
        A.append(activation(z, hidden) if i < len(params) - 1 else z)
    delta = 2.0 * (A[-1] - Y) / Y.size
    norms = np.zeros(len(params))
    for i in range(len(params) - 1, -1, -1):
        norms[i] = np.linalg.norm(delta.sum(axis=0))
        if i > 0:
            delta = (delta @ params[i][0].T) * activation_grad(Z[i - 1], hidden)
    return norms
''', expect="bias gradients"),
    Mutant("layer_gradient_norms", "applies the hidden activation to the output layer too", '''
def layer_gradient_norms(X, Y, params, hidden="sigmoid"):
    A, Z = [X], []
    for i, (W, b) in enumerate(params):
        z = A[-1] @ W + b
        Z.append(z)
        A.append(activation(z, hidden))
    delta = 2.0 * (A[-1] - Y) / Y.size * activation_grad(Z[-1], hidden)
    norms = np.zeros(len(params))
    for i in range(len(params) - 1, -1, -1):
        norms[i] = np.linalg.norm(A[i].T @ delta)
        if i > 0:
            delta = (delta @ params[i][0].T) * activation_grad(Z[i - 1], hidden)
    return norms
'''),
    Mutant("layer_gradient_norms", "norms of central-difference gradients (the notebook's self-check)", '''
def layer_gradient_norms(X, Y, params, hidden="sigmoid"):
    return numerical_norms(X, Y, [(W.copy(), b.copy()) for W, b in params], hidden)
'''),

    # ------------------------------------------------------------ clip_by_norm
    Mutant("clip_by_norm", "scales g in place and returns it", '''
def clip_by_norm(g, max_norm):
    norm = np.sqrt(np.sum(g * g))
    g *= max_norm / max(norm, max_norm)
    return g
''', expect="in place"),
    Mutant("clip_by_norm", "returns g itself when no clipping is needed", '''
def clip_by_norm(g, max_norm):
    norm = np.sqrt(np.sum(g * g))
    if norm <= max_norm:
        return g
    return g * (max_norm / norm)
''', expect="itself"),
    Mutant("clip_by_norm", "always rescales to norm max_norm (scales small gradients up)", '''
def clip_by_norm(g, max_norm):
    norm = np.sqrt(np.sum(g * g))
    return g * (max_norm / norm)
''', expect="already below it"),
    Mutant("clip_by_norm", "clips each element (clip by value)", '''
def clip_by_norm(g, max_norm):
    return np.clip(g, -max_norm, max_norm)
''', expect="clipping by value"),
    Mutant("clip_by_norm", "min(1, max_norm / norm): 0/0 on a zero gradient", '''
def clip_by_norm(g, max_norm):
    norm = np.sqrt(np.sum(g * g))
    return g * np.minimum(1.0, max_norm / norm)
''', expect="not numerically stable"),
    Mutant("clip_by_norm", "adds 1e-6 to the norm as torch does", '''
def clip_by_norm(g, max_norm):
    norm = np.sqrt(np.sum(g * g))
    return g * min(1.0, max_norm / (norm + 1e-6))
''', expect="you added 1e-6"),
    Mutant("clip_by_norm", "squared norm", '''
def clip_by_norm(g, max_norm):
    return g * (max_norm / max(np.sum(g * g), max_norm))
''', expect="squared norm"),

    # ------------------------------------------------------------ clip_by_global_norm
    Mutant("clip_by_global_norm", "per-tensor instead of global clipping", '''
def clip_by_global_norm(grads, max_norm):
    global_norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    return [clip_by_norm(g, max_norm) for g in grads], global_norm
''', expect="per-tensor clipping"),
    Mutant("clip_by_global_norm", "returns the norm after clipping", '''
def clip_by_global_norm(grads, max_norm):
    global_norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    clipped = [g * (max_norm / max(global_norm, max_norm)) for g in grads]
    return clipped, float(np.sqrt(sum(np.sum(g * g) for g in clipped)))
''', expect="BEFORE clipping"),
    Mutant("clip_by_global_norm", "sum of the arrays' norms as the global norm", '''
def clip_by_global_norm(grads, max_norm):
    global_norm = float(sum(np.sqrt(np.sum(g * g)) for g in grads))
    return [g * (max_norm / max(global_norm, max_norm)) for g in grads], global_norm
''', expect="not the sum of the arrays' norms"),
    Mutant("clip_by_global_norm", "scales the arrays in place", '''
def clip_by_global_norm(grads, max_norm):
    global_norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    for g in grads:
        g *= max_norm / max(global_norm, max_norm)
    return list(grads), global_norm
''', expect="in place"),
    Mutant("clip_by_global_norm", "returns the same arrays when nothing is clipped", '''
def clip_by_global_norm(grads, max_norm):
    global_norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    if global_norm <= max_norm:
        return list(grads), global_norm
    return [g * (max_norm / global_norm) for g in grads], global_norm
''', expect="itself"),
    Mutant("clip_by_global_norm", "min(1, max_norm / norm): 0/0 on zero gradients", '''
def clip_by_global_norm(grads, max_norm):
    global_norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    scale = np.minimum(1.0, max_norm / np.float64(global_norm))
    return [g * scale for g in grads], global_norm
''', expect="not numerically stable"),
    Mutant("clip_by_global_norm", "adds 1e-6 to the norm as torch does", '''
def clip_by_global_norm(grads, max_norm):
    global_norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    scale = min(1.0, max_norm / (global_norm + 1e-6))
    return [g * scale for g in grads], global_norm
''', expect="you added 1e-6"),
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

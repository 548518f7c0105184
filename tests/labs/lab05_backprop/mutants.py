"""Mutants and valid alternatives of lab05_backprop (see nngrade/mutants.py).

A mutant is a patch of the solution's own definition (`replace(old, new)`), or a complete `def`
where the mistake is a different way of writing the function; a complete `def` is appended to the
solution notebook as a last cell and may call the notebook's helpers (`sigmoid`, `sigmoid_grad`,
`ACTIVATIONS`, `OUTPUTS`, `binary_crossentropy_from_logits`, ...) and the solution's other
functions. `expect` is a phrase the feedback must contain: a `likely` row of
nngrade/labs/lab05_backprop/checks.py, a generic diagnosis (nngrade.mistakes), or a message of the
engine or of the lab's drivers.
"""
from nngrade import mistakes as M
from nngrade.mutants import Alternative, Mutant, replace

MUTANTS = [
    # ---- sigmoid_net_update -------------------------------------------------------------------
    Mutant("sigmoid_net_update", "updates W2 before computing the hidden errors",
           replace("    err1 = ", "    W2 = W2 + lr * np.outer(o1, err2)\n    err1 = ")
           + replace("W2 + lr * np.outer(o1, err2), b2", "W2, b2"),
           expect="computed from the UPDATED output weights"),
    Mutant("sigmoid_net_update", "hidden error without the sigmoid's derivative",
           replace("err1 = o1 * (1.0 - o1) * (W2 @ err2)", "err1 = W2 @ err2"),
           expect="lacks the factor O_j (1 - O_j)"),
    Mutant("sigmoid_net_update", "derivative taken at the output (sigmoid_grad(O))",
           replace("err2 = o2 * (1.0 - o2) * (t - o2)", "err2 = sigmoid_grad(o2) * (t - o2)"),
           expect="at the output O_j"),
    Mutant("sigmoid_net_update", "subtracts the increments",
           replace("+ lr *", "- lr *", count=4), expect="you subtracted the increments"),
    Mutant("sigmoid_net_update", "updates the weights in place (+=)",
           replace("    return (W1 + lr * np.outer(x, err1), b1 + lr * err1,\n"
                   "            W2 + lr * np.outer(o1, err2), b2 + lr * err2)",
                   "    W2 += lr * np.outer(o1, err2)\n    b2 += lr * err2\n"
                   "    W1 += lr * np.outer(x, err1)\n    b1 += lr * err1\n    return W1, b1, W2, b2"),
           expect=M.IN_PLACE),
    Mutant("sigmoid_net_update", "transposed weights in the hidden error (W2.T @ Err)",
           replace("(W2 @ err2)", "(W2.T @ err2)")),

    # ---- dense_forward ----------------------------------------------------------------------
    Mutant("dense_forward", "transposed weights (X @ W.T)",
           replace("float64) @ W + b", "float64) @ W.T + b"), expect="you multiplied by W.T"),
    Mutant("dense_forward", "forgets the bias",
           replace("float64) @ W + b", "float64) @ W"), expect="the bias is missing"),
    Mutant("dense_forward", "column layout: returns W.T @ X.T + b[:, None], shape (D_out, N)",
           replace("return np.asarray(X, dtype=np.float64) @ W + b",
                   "return W.T @ np.asarray(X, dtype=np.float64).T + b[:, None]"),
           expect=M.TRANSPOSE),
    Mutant("dense_forward", "float32",
           replace("return np.asarray(X, dtype=np.float64) @ W + b",
                   "return (np.asarray(X, dtype=np.float64) @ W + b).astype(np.float32)"),
           expect="float64 is the contract"),

    # ---- dense_backward ---------------------------------------------------------------------
    Mutant("dense_backward", "dX = dZ @ W (transposed weights)",
           replace("dZ @ W.T", "dZ @ W"), expect="dX = dZ @ W.T"),
    Mutant("dense_backward", "dW = dZ.T @ X (the transpose)",
           replace("np.asarray(X, dtype=np.float64).T @ dZ", "dZ.T @ np.asarray(X, dtype=np.float64)"),
           expect=M.TRANSPOSE),
    Mutant("dense_backward", "db averaged over the batch",
           replace("dZ.sum(axis=0)", "dZ.mean(axis=0)"), expect=M.BATCH),
    Mutant("dense_backward", "dW averaged over the batch (1/N twice)",
           replace(".T @ dZ,", ".T @ dZ / dZ.shape[0],"), expect=M.BATCH),
    Mutant("dense_backward", "db summed over the wrong axis",
           replace("sum(axis=0)", "sum(axis=1)"), expect="has shape"),

    # ---- numerical_gradient -----------------------------------------------------------------
    Mutant("numerical_gradient", "one-sided difference (f(x + h) - f(x)) / h",
           replace("(f_plus - f_minus) / (2.0 * h)", "(f_plus - f(x_work)) / h"),
           expect="one-sided difference"),
    Mutant("numerical_gradient", "divides by h instead of 2h",
           replace("/ (2.0 * h)", "/ h"), expect=M.TWICE),
    Mutant("numerical_gradient", "perturbs the caller's x and never restores it",
           replace("x_work = np.array(x, dtype=np.float64)", "x_work = x")
           + replace("        x_work[idx] = old\n", ""),
           expect="changed x"),
    Mutant("numerical_gradient", "ignores h (always 1e-5)",
           replace("    x_work = np.array(", "    h = 1e-5\n    x_work = np.array(")),
    Mutant("numerical_gradient", "returns the gradient flattened",
           replace("return grad", "return grad.ravel()"), expect=M.RESHAPED),

    # ---- relative_error ---------------------------------------------------------------------
    Mutant("relative_error", "mean instead of max",
           replace("np.max(", "np.mean("), expect="mean of the elementwise errors"),
    Mutant("relative_error", "denominator max(|a|, |b|)",
           replace("np.abs(a) + np.abs(b)", "np.maximum(np.abs(a), np.abs(b))"),
           expect="the denominator is max(|a|, |b|)"),
    Mutant("relative_error", "no floor: 0 / 0 for zeros",
           replace("np.maximum(1e-8, np.abs(a) + np.abs(b))", "(np.abs(a) + np.abs(b))"),
           expect=M.UNSTABLE),
    Mutant("relative_error", "returns the elementwise array (no float(np.max(...)))",
           replace("float(np.max(", "(("), expect="should be a float"),
    Mutant("relative_error", "denominator the mean (|a| + |b|) / 2",
           replace("np.abs(a) + np.abs(b))", "(np.abs(a) + np.abs(b)) / 2)"),
           expect="the denominator is the mean (|a| + |b|) / 2"),

    # ---- mlp_forward ------------------------------------------------------------------------
    Mutant("mlp_forward", "hidden activation on the output layer too",
           replace("A = act(Z) if l < len(params) - 1 else OUTPUTS[output](Z)", "A = act(Z)"),
           expect="the output layer got the hidden activation too"),
    Mutant("mlp_forward", "no activation on the hidden layers",
           replace("A = act(Z) if", "A = Z if"), expect="the hidden layers have no activation"),
    Mutant("mlp_forward", "softmax over the batch axis",
           replace('        cache["A"].append(A)',
                   '        if l == len(params) - 1 and output == "softmax":\n'
                   '            e = np.exp(Z - Z.max(axis=0))\n'
                   '            A = e / e.sum(axis=0)\n'
                   '        cache["A"].append(A)'),
           expect="softmax normalised over the batch"),
    Mutant("mlp_forward", "transposed weights (A @ W.T)",
           replace("Z = A @ W + b", "Z = A @ W.T + b")),
    Mutant("mlp_forward", "returns Y_hat without the cache",
           replace("return A, cache", "return A"), expect="must return a pair (Y_hat, cache)"),
    Mutant("mlp_forward", "naive sigmoid 1 / (1 + exp(-z)) in the hidden layers (overflows)",
           replace("act = ACTIVATIONS[hidden][0]",
                   'act = (lambda z: 1 / (1 + np.exp(-z))) if hidden == "sigmoid" else ACTIVATIONS[hidden][0]'),
           expect=M.UNSTABLE),

    # ---- mlp_loss_and_grads -----------------------------------------------------------------
    Mutant("mlp_loss_and_grads", "hidden deltas without the activation's derivative",
           replace(" * act_grad(pre[l - 1])", ""), expect="lack the activation's derivative"),
    Mutant("mlp_loss_and_grads", "derivative taken at the output A instead of the pre-activation Z",
           replace("act_grad(pre[l - 1])", "act_grad(inputs[l])"), expect="at the layer's OUTPUT"),
    Mutant("mlp_loss_and_grads", "forgets 1/N in the output delta",
           replace("/ Y.size", "/ Y.shape[1]") + replace("- Y) / N\n", "- Y)\n", count=2),
           expect=M.BATCH),
    Mutant("mlp_loss_and_grads", "MSE averaged over the rows only",
           replace("np.mean((Z - Y) ** 2)", "np.sum((Z - Y) ** 2) / N") + replace("/ Y.size", "/ N"),
           expect="not over the N rows"),
    Mutant("mlp_loss_and_grads", "MSE gradient without the factor 2",
           replace("dZ = 2.0 * (Z - Y)", "dZ = (Z - Y)"), expect=M.HALF),
    Mutant("mlp_loss_and_grads", "transposed weights in the backward pass (dZ @ W)",
           replace("(dZ @ W.T)", "(dZ @ W)")),
    Mutant("mlp_loss_and_grads", "an extra sigmoid derivative in the BCE output delta",
           replace("(sigmoid(Z) - Y) / N", "(sigmoid(Z) - Y) * sigmoid_grad(Z) / N")),
    Mutant("mlp_loss_and_grads", "grads in backward order (last layer first)",
           replace("grads = [None] * len(params)", "grads = []")
           + replace("grads[l] = (inputs[l].T @ dZ, dZ.sum(axis=0))", "grads.append((inputs[l].T @ dZ, dZ.sum(axis=0)))")),
    Mutant("mlp_loss_and_grads", "naive log(sigmoid) and log(softmax) losses (unstable for large logits)",
           replace("value = binary_crossentropy_from_logits(Y, Z)",
                   "value = -np.mean(Y * np.log(sigmoid(Z)) + (1 - Y) * np.log(1 - sigmoid(Z)))")
           + replace("value = softmax_crossentropy_from_logits(Y, Z)",
                     "value = -np.mean(np.sum(Y * np.log(softmax(Z)), axis=1))"),
           expect=M.UNSTABLE),
]

ALTERNATIVES = [
    Alternative("sigmoid_net_update", "the textbook's loops over units, errors first", """
def sigmoid_net_update(x, t, W1, b1, W2, b2, lr):
    D, H = W1.shape
    K = W2.shape[1]
    O1 = [float(sigmoid(sum(W1[i, j] * x[i] for i in range(D)) + b1[j])) for j in range(H)]
    O2 = [float(sigmoid(sum(W2[j, k] * O1[j] for j in range(H)) + b2[k])) for k in range(K)]
    E2 = [O2[k] * (1 - O2[k]) * (t[k] - O2[k]) for k in range(K)]
    E1 = [O1[j] * (1 - O1[j]) * sum(E2[k] * W2[j, k] for k in range(K)) for j in range(H)]
    W1n, b1n, W2n, b2n = W1.copy(), b1.copy(), W2.copy(), b2.copy()
    for j in range(H):
        for k in range(K):
            W2n[j, k] += lr * E2[k] * O1[j]
    for i in range(D):
        for j in range(H):
            W1n[i, j] += lr * E1[j] * x[i]
    for k in range(K):
        b2n[k] += lr * E2[k]
    for j in range(H):
        b1n[j] += lr * E1[j]
    return W1n, b1n, W2n, b2n
"""),
    Alternative("sigmoid_net_update", "via mlp_loss_and_grads-style gradients: W - lr * dE/dW", """
def sigmoid_net_update(x, t, W1, b1, W2, b2, lr):
    X = np.asarray(x, dtype=np.float64)[None, :]
    h = sigmoid(X @ W1 + b1)
    o = sigmoid(h @ W2 + b2)
    dZ2 = -(t[None, :] - o) * o * (1 - o)          # dE/dI of E = 0.5 sum (t - o)^2
    dZ1 = (dZ2 @ W2.T) * sigmoid_grad(X @ W1 + b1)
    return W1 - lr * X.T @ dZ1, b1 - lr * dZ1[0], W2 - lr * h.T @ dZ2, b2 - lr * dZ2[0]
"""),
    Alternative("dense_forward", "np.einsum", """
def dense_forward(X, W, b):
    return np.einsum("ni,ij->nj", X, W) + b
"""),
    Alternative("dense_backward", "np.einsum and an explicit loop for db", """
def dense_backward(dZ, X, W):
    db = np.zeros(dZ.shape[1])
    for row in dZ:
        db += row
    return np.einsum("nj,ij->ni", dZ, W), np.einsum("ni,nj->ij", X, dZ), db
"""),
    Alternative("numerical_gradient", "perturbs x itself and puts back the exact old value", """
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / (2 * h)
        it.iternext()
    return grad
"""),
    Alternative("numerical_gradient", "unit vectors added to a copy", """
def numerical_gradient(f, x, h=1e-5):
    x = np.asarray(x, dtype=np.float64)
    grad = np.empty_like(x)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        e = e.reshape(x.shape)
        grad.flat[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad
"""),
    Alternative("relative_error", "a Python loop over the flattened arrays", """
def relative_error(a, b):
    worst = 0.0
    for u, v in zip(np.ravel(a), np.ravel(b)):
        worst = max(worst, abs(u - v) / max(1e-8, abs(u) + abs(v)))
    return worst
"""),
    Alternative("mlp_forward", "a list of (Z, A) pairs as the cache, through dense_forward", """
def mlp_forward(X, params, hidden="sigmoid", output="linear"):
    cache, A = [], np.asarray(X, dtype=np.float64)
    for l, (W, b) in enumerate(params):
        Z = dense_forward(A, W, b)
        A = (ACTIVATIONS[hidden][0] if l + 1 < len(params) else OUTPUTS[output])(Z)
        cache.append((Z, A))
    return A, cache
"""),
    Alternative("mlp_loss_and_grads", "through mlp_forward's cache and dense_backward", """
def mlp_loss_and_grads(X, Y, params, hidden="sigmoid", loss="mse"):
    logits, cache = mlp_forward(X, params, hidden, "linear")
    N = X.shape[0]
    if loss == "mse":
        value, dZ = np.sum((logits - Y) ** 2) / Y.size, (logits - Y) * (2.0 / Y.size)
    elif loss == "bce":
        value, dZ = binary_crossentropy_from_logits(Y, logits), (sigmoid(logits) - Y) / N
    else:
        value, dZ = softmax_crossentropy_from_logits(Y, logits), (softmax(logits) - Y) / N
    grads = []
    for l in range(len(params) - 1, -1, -1):
        dA, dW, db = dense_backward(dZ, cache["A"][l], params[l][0])
        grads.append((dW, db))
        if l > 0:
            dZ = dA * ACTIVATIONS[hidden][1](cache["Z"][l - 1])
    return value, grads[::-1]
"""),
]

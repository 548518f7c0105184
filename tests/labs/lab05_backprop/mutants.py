"""Mutants and valid alternatives of lab05_backprop (see nngrade/mutants.py).

Each source is a complete `def` appended to the solution notebook as a last cell; it may
call the notebook's helpers (`sigmoid`, `sigmoid_grad`, `ACTIVATIONS`, `OUTPUTS`,
`binary_crossentropy_from_logits`, ...) and the solution's other functions. `expect` is a
phrase the feedback must contain: a `likely` row of nngrade/labs/lab05_backprop/checks.py, a
generic diagnosis of nngrade/diagnose.py, or a message of the engine or of the lab's drivers.
"""
from nngrade.mutants import Alternative, Mutant

IN_PLACE = "in place"
TRANSPOSE = "transpose"
BATCH = "(the batch size)"

MUTANTS = [
    # ---- sigmoid_net_update -------------------------------------------------------------------
    Mutant("sigmoid_net_update", "updates W2 before computing the hidden errors", """
def sigmoid_net_update(x, t, W1, b1, W2, b2, lr):
    o1 = sigmoid(x @ W1 + b1)
    o2 = sigmoid(o1 @ W2 + b2)
    err2 = o2 * (1 - o2) * (t - o2)
    W2 = W2 + lr * np.outer(o1, err2)
    b2 = b2 + lr * err2
    err1 = o1 * (1 - o1) * (W2 @ err2)
    return W1 + lr * np.outer(x, err1), b1 + lr * err1, W2, b2
""", expect="computed from the UPDATED output weights"),
    Mutant("sigmoid_net_update", "hidden error without the sigmoid's derivative", """
def sigmoid_net_update(x, t, W1, b1, W2, b2, lr):
    o1 = sigmoid(x @ W1 + b1)
    o2 = sigmoid(o1 @ W2 + b2)
    err2 = o2 * (1 - o2) * (t - o2)
    err1 = W2 @ err2
    return W1 + lr * np.outer(x, err1), b1 + lr * err1, W2 + lr * np.outer(o1, err2), b2 + lr * err2
""", expect="lacks the factor O_j (1 - O_j)"),
    Mutant("sigmoid_net_update", "derivative taken at the output (sigmoid_grad(O))", """
def sigmoid_net_update(x, t, W1, b1, W2, b2, lr):
    o1 = sigmoid(x @ W1 + b1)
    o2 = sigmoid(o1 @ W2 + b2)
    err2 = sigmoid_grad(o2) * (t - o2)
    err1 = o1 * (1 - o1) * (W2 @ err2)
    return W1 + lr * np.outer(x, err1), b1 + lr * err1, W2 + lr * np.outer(o1, err2), b2 + lr * err2
""", expect="at the output O_j"),
    Mutant("sigmoid_net_update", "subtracts the increments", """
def sigmoid_net_update(x, t, W1, b1, W2, b2, lr):
    o1 = sigmoid(x @ W1 + b1)
    o2 = sigmoid(o1 @ W2 + b2)
    err2 = o2 * (1 - o2) * (t - o2)
    err1 = o1 * (1 - o1) * (W2 @ err2)
    return W1 - lr * np.outer(x, err1), b1 - lr * err1, W2 - lr * np.outer(o1, err2), b2 - lr * err2
""", expect="you subtracted the increments"),
    Mutant("sigmoid_net_update", "updates the weights in place (+=)", """
def sigmoid_net_update(x, t, W1, b1, W2, b2, lr):
    o1 = sigmoid(x @ W1 + b1)
    o2 = sigmoid(o1 @ W2 + b2)
    err2 = o2 * (1 - o2) * (t - o2)
    err1 = o1 * (1 - o1) * (W2 @ err2)
    W2 += lr * np.outer(o1, err2)
    b2 += lr * err2
    W1 += lr * np.outer(x, err1)
    b1 += lr * err1
    return W1, b1, W2, b2
""", expect=IN_PLACE),
    Mutant("sigmoid_net_update", "transposed weights in the hidden error (W2.T @ Err)", """
def sigmoid_net_update(x, t, W1, b1, W2, b2, lr):
    o1 = sigmoid(x @ W1 + b1)
    o2 = sigmoid(o1 @ W2 + b2)
    err2 = o2 * (1 - o2) * (t - o2)
    err1 = o1 * (1 - o1) * (W2.T @ err2)
    return W1 + lr * np.outer(x, err1), b1 + lr * err1, W2 + lr * np.outer(o1, err2), b2 + lr * err2
"""),

    # ---- dense_forward ----------------------------------------------------------------------
    Mutant("dense_forward", "transposed weights (X @ W.T)", """
def dense_forward(X, W, b):
    return X @ W.T + b
""", expect="you multiplied by W.T"),
    Mutant("dense_forward", "forgets the bias", """
def dense_forward(X, W, b):
    return X @ W
""", expect="the bias is missing"),
    Mutant("dense_forward", "column layout: returns (W.T @ X.T + b[:, None]), shape (D_out, N)", """
def dense_forward(X, W, b):
    return W.T @ X.T + b[:, None]
""", expect=TRANSPOSE),
    Mutant("dense_forward", "float32", """
def dense_forward(X, W, b):
    return (X @ W + b).astype(np.float32)
""", expect="float64 is the contract"),

    # ---- dense_backward ---------------------------------------------------------------------
    Mutant("dense_backward", "dX = dZ @ W (transposed weights)", """
def dense_backward(dZ, X, W):
    return dZ @ W, X.T @ dZ, dZ.sum(axis=0)
""", expect="dX = dZ @ W.T"),
    Mutant("dense_backward", "dW = dZ.T @ X (the transpose)", """
def dense_backward(dZ, X, W):
    return dZ @ W.T, dZ.T @ X, dZ.sum(axis=0)
""", expect=TRANSPOSE),
    Mutant("dense_backward", "db averaged over the batch", """
def dense_backward(dZ, X, W):
    return dZ @ W.T, X.T @ dZ, dZ.mean(axis=0)
""", expect=BATCH),
    Mutant("dense_backward", "dW averaged over the batch (1/N twice)", """
def dense_backward(dZ, X, W):
    return dZ @ W.T, X.T @ dZ / X.shape[0], dZ.sum(axis=0)
""", expect=BATCH),
    Mutant("dense_backward", "db summed over the wrong axis", """
def dense_backward(dZ, X, W):
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=1)
""", expect="has shape"),

    # ---- numerical_gradient -----------------------------------------------------------------
    Mutant("numerical_gradient", "one-sided difference", """
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    f0 = f(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        g[idx] = (f(x) - f0) / h
        x[idx] = old
    return g
""", expect="one-sided difference"),
    Mutant("numerical_gradient", "divides by h instead of 2h", """
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        fp = f(x)
        x[idx] = old - h
        fm = f(x)
        x[idx] = old
        g[idx] = (fp - fm) / h
    return g
""", expect="exactly 2 times too large"),
    Mutant("numerical_gradient", "perturbs the caller's x and never restores it", """
def numerical_gradient(f, x, h=1e-5):
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        x[idx] += h
        fp = f(x)
        x[idx] -= 2 * h
        fm = f(x)
        g[idx] = (fp - fm) / (2 * h)
    return g
""", expect="changed x"),
    Mutant("numerical_gradient", "ignores h (always 1e-5)", """
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + 1e-5
        fp = f(x)
        x[idx] = old - 1e-5
        fm = f(x)
        x[idx] = old
        g[idx] = (fp - fm) / 2e-5
    return g
"""),
    Mutant("numerical_gradient", "returns the gradient flattened", """
def numerical_gradient(f, x, h=1e-5):
    flat = np.array(x, dtype=np.float64).ravel()
    g = np.zeros_like(flat)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        fp = f(flat.reshape(np.shape(x)))
        flat[i] = old - h
        fm = f(flat.reshape(np.shape(x)))
        flat[i] = old
        g[i] = (fp - fm) / (2 * h)
    return g
""", expect="the values are right but the shape is not"),

    # ---- relative_error ---------------------------------------------------------------------
    Mutant("relative_error", "mean instead of max", """
def relative_error(a, b):
    return float(np.mean(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
""", expect="mean of the elementwise errors"),
    Mutant("relative_error", "denominator max(|a|, |b|)", """
def relative_error(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.maximum(np.abs(a), np.abs(b)))))
""", expect="the sum of both magnitudes"),
    Mutant("relative_error", "no floor: 0 / 0 for zeros", """
def relative_error(a, b):
    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))
""", expect="not numerically stable"),
    Mutant("relative_error", "returns the elementwise array", """
def relative_error(a, b):
    return np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))
""", expect="should be a float"),
    Mutant("relative_error", "denominator the mean (|a| + |b|) / 2", """
def relative_error(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, (np.abs(a) + np.abs(b)) / 2)))
""", expect="exactly 2 times too large"),

    # ---- mlp_forward ------------------------------------------------------------------------
    Mutant("mlp_forward", "hidden activation on the output layer too", """
def mlp_forward(X, params, hidden="sigmoid", output="linear"):
    act = ACTIVATIONS[hidden][0]
    A = X
    for W, b in params:
        A = act(A @ W + b)
    return A, None
""", expect="the output layer got the hidden activation too"),
    Mutant("mlp_forward", "no activation on the hidden layers", """
def mlp_forward(X, params, hidden="sigmoid", output="linear"):
    A = X
    for W, b in params:
        A = A @ W + b
    return OUTPUTS[output](A), None
""", expect="the hidden layers have no activation"),
    Mutant("mlp_forward", "softmax over the batch axis", """
def mlp_forward(X, params, hidden="sigmoid", output="linear"):
    act = ACTIVATIONS[hidden][0]
    A = X
    for l, (W, b) in enumerate(params):
        Z = A @ W + b
        if l < len(params) - 1:
            A = act(Z)
        elif output == "softmax":
            e = np.exp(Z - Z.max(axis=0))
            A = e / e.sum(axis=0)
        else:
            A = OUTPUTS[output](Z)
    return A, None
""", expect="softmax normalised over the batch"),
    Mutant("mlp_forward", "transposed weights (A @ W.T)", """
def mlp_forward(X, params, hidden="sigmoid", output="linear"):
    act = ACTIVATIONS[hidden][0]
    A = X
    for l, (W, b) in enumerate(params):
        Z = A @ W.T + b
        A = act(Z) if l < len(params) - 1 else OUTPUTS[output](Z)
    return A, None
"""),
    Mutant("mlp_forward", "returns Y_hat without the cache", """
def mlp_forward(X, params, hidden="sigmoid", output="linear"):
    act = ACTIVATIONS[hidden][0]
    A = X
    for l, (W, b) in enumerate(params):
        Z = A @ W + b
        A = act(Z) if l < len(params) - 1 else OUTPUTS[output](Z)
    return A
""", expect="must return a pair (Y_hat, cache)"),
    Mutant("mlp_forward", "naive sigmoid (overflows)", """
def mlp_forward(X, params, hidden="sigmoid", output="linear"):
    acts = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
    outs = {"linear": lambda z: z, "sigmoid": acts["sigmoid"],
            "softmax": lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)}
    A = X
    for l, (W, b) in enumerate(params):
        Z = A @ W + b
        A = acts[hidden](Z) if l < len(params) - 1 else outs[output](Z)
    return A, None
""", expect="not numerically stable"),

    # ---- mlp_loss_and_grads -----------------------------------------------------------------
    Mutant("mlp_loss_and_grads", "hidden deltas without the activation's derivative", """
def mlp_loss_and_grads(X, Y, params, hidden="sigmoid", loss="mse"):
    act, act_grad = ACTIVATIONS[hidden]
    A, inputs = X, []
    for l, (W, b) in enumerate(params):
        inputs.append(A)
        Z = A @ W + b
        A = act(Z) if l < len(params) - 1 else Z
    N = X.shape[0]
    if loss == "mse":
        value, dZ = np.mean((Z - Y) ** 2), 2 * (Z - Y) / Y.size
    elif loss == "bce":
        value, dZ = binary_crossentropy_from_logits(Y, Z), (sigmoid(Z) - Y) / N
    else:
        value, dZ = softmax_crossentropy_from_logits(Y, Z), (softmax(Z) - Y) / N
    grads = []
    for l in reversed(range(len(params))):
        grads.insert(0, (inputs[l].T @ dZ, dZ.sum(axis=0)))
        dZ = dZ @ params[l][0].T
    return float(value), grads
""", expect="lack the activation's derivative"),
    Mutant("mlp_loss_and_grads", "derivative taken at the output A instead of the pre-activation Z", """
def mlp_loss_and_grads(X, Y, params, hidden="sigmoid", loss="mse"):
    act, act_grad = ACTIVATIONS[hidden]
    A, inputs = X, []
    for l, (W, b) in enumerate(params):
        inputs.append(A)
        Z = A @ W + b
        A = act(Z) if l < len(params) - 1 else Z
    N = X.shape[0]
    if loss == "mse":
        value, dZ = np.mean((Z - Y) ** 2), 2 * (Z - Y) / Y.size
    elif loss == "bce":
        value, dZ = binary_crossentropy_from_logits(Y, Z), (sigmoid(Z) - Y) / N
    else:
        value, dZ = softmax_crossentropy_from_logits(Y, Z), (softmax(Z) - Y) / N
    grads = []
    for l in reversed(range(len(params))):
        grads.insert(0, (inputs[l].T @ dZ, dZ.sum(axis=0)))
        if l > 0:
            dZ = (dZ @ params[l][0].T) * act_grad(inputs[l])
    return float(value), grads
""", expect="at the layer's OUTPUT"),
    Mutant("mlp_loss_and_grads", "forgets 1/N in the output delta", """
def mlp_loss_and_grads(X, Y, params, hidden="sigmoid", loss="mse"):
    act, act_grad = ACTIVATIONS[hidden]
    A, inputs, pre = X, [], []
    for l, (W, b) in enumerate(params):
        inputs.append(A)
        Z = A @ W + b
        pre.append(Z)
        A = act(Z) if l < len(params) - 1 else Z
    if loss == "mse":
        value, dZ = np.mean((Z - Y) ** 2), 2 * (Z - Y) / Y.shape[1]
    elif loss == "bce":
        value, dZ = binary_crossentropy_from_logits(Y, Z), sigmoid(Z) - Y
    else:
        value, dZ = softmax_crossentropy_from_logits(Y, Z), softmax(Z) - Y
    grads = []
    for l in reversed(range(len(params))):
        grads.insert(0, (inputs[l].T @ dZ, dZ.sum(axis=0)))
        if l > 0:
            dZ = (dZ @ params[l][0].T) * act_grad(pre[l - 1])
    return float(value), grads
""", expect=BATCH),
    Mutant("mlp_loss_and_grads", "MSE averaged over the rows only", """
def mlp_loss_and_grads(X, Y, params, hidden="sigmoid", loss="mse"):
    act, act_grad = ACTIVATIONS[hidden]
    A, inputs, pre = X, [], []
    for l, (W, b) in enumerate(params):
        inputs.append(A)
        Z = A @ W + b
        pre.append(Z)
        A = act(Z) if l < len(params) - 1 else Z
    N = X.shape[0]
    if loss == "mse":
        value, dZ = np.sum((Z - Y) ** 2) / N, 2 * (Z - Y) / N
    elif loss == "bce":
        value, dZ = binary_crossentropy_from_logits(Y, Z), (sigmoid(Z) - Y) / N
    else:
        value, dZ = softmax_crossentropy_from_logits(Y, Z), (softmax(Z) - Y) / N
    grads = []
    for l in reversed(range(len(params))):
        grads.insert(0, (inputs[l].T @ dZ, dZ.sum(axis=0)))
        if l > 0:
            dZ = (dZ @ params[l][0].T) * act_grad(pre[l - 1])
    return float(value), grads
""", expect="not over the N rows"),
    Mutant("mlp_loss_and_grads", "MSE gradient without the factor 2", """
def mlp_loss_and_grads(X, Y, params, hidden="sigmoid", loss="mse"):
    act, act_grad = ACTIVATIONS[hidden]
    A, inputs, pre = X, [], []
    for l, (W, b) in enumerate(params):
        inputs.append(A)
        Z = A @ W + b
        pre.append(Z)
        A = act(Z) if l < len(params) - 1 else Z
    N = X.shape[0]
    if loss == "mse":
        value, dZ = np.mean((Z - Y) ** 2), (Z - Y) / Y.size
    elif loss == "bce":
        value, dZ = binary_crossentropy_from_logits(Y, Z), (sigmoid(Z) - Y) / N
    else:
        value, dZ = softmax_crossentropy_from_logits(Y, Z), (softmax(Z) - Y) / N
    grads = []
    for l in reversed(range(len(params))):
        grads.insert(0, (inputs[l].T @ dZ, dZ.sum(axis=0)))
        if l > 0:
            dZ = (dZ @ params[l][0].T) * act_grad(pre[l - 1])
    return float(value), grads
""", expect="exactly half"),
    Mutant("mlp_loss_and_grads", "transposed weights in the backward pass (dZ @ W)", """
def mlp_loss_and_grads(X, Y, params, hidden="sigmoid", loss="mse"):
    act, act_grad = ACTIVATIONS[hidden]
    A, inputs, pre = X, [], []
    for l, (W, b) in enumerate(params):
        inputs.append(A)
        Z = A @ W + b
        pre.append(Z)
        A = act(Z) if l < len(params) - 1 else Z
    N = X.shape[0]
    if loss == "mse":
        value, dZ = np.mean((Z - Y) ** 2), 2 * (Z - Y) / Y.size
    elif loss == "bce":
        value, dZ = binary_crossentropy_from_logits(Y, Z), (sigmoid(Z) - Y) / N
    else:
        value, dZ = softmax_crossentropy_from_logits(Y, Z), (softmax(Z) - Y) / N
    grads = []
    for l in reversed(range(len(params))):
        grads.insert(0, (inputs[l].T @ dZ, dZ.sum(axis=0)))
        if l > 0:
            dZ = (dZ @ params[l][0]) * act_grad(pre[l - 1])
    return float(value), grads
"""),
    Mutant("mlp_loss_and_grads", "an extra sigmoid derivative in the BCE output delta", """
def mlp_loss_and_grads(X, Y, params, hidden="sigmoid", loss="mse"):
    act, act_grad = ACTIVATIONS[hidden]
    A, inputs, pre = X, [], []
    for l, (W, b) in enumerate(params):
        inputs.append(A)
        Z = A @ W + b
        pre.append(Z)
        A = act(Z) if l < len(params) - 1 else Z
    N = X.shape[0]
    if loss == "mse":
        value, dZ = np.mean((Z - Y) ** 2), 2 * (Z - Y) / Y.size
    elif loss == "bce":
        value, dZ = binary_crossentropy_from_logits(Y, Z), (sigmoid(Z) - Y) * sigmoid_grad(Z) / N
    else:
        value, dZ = softmax_crossentropy_from_logits(Y, Z), (softmax(Z) - Y) / N
    grads = []
    for l in reversed(range(len(params))):
        grads.insert(0, (inputs[l].T @ dZ, dZ.sum(axis=0)))
        if l > 0:
            dZ = (dZ @ params[l][0].T) * act_grad(pre[l - 1])
    return float(value), grads
"""),
    Mutant("mlp_loss_and_grads", "grads in backward order (last layer first)", """
def mlp_loss_and_grads(X, Y, params, hidden="sigmoid", loss="mse"):
    act, act_grad = ACTIVATIONS[hidden]
    A, inputs, pre = X, [], []
    for l, (W, b) in enumerate(params):
        inputs.append(A)
        Z = A @ W + b
        pre.append(Z)
        A = act(Z) if l < len(params) - 1 else Z
    N = X.shape[0]
    if loss == "mse":
        value, dZ = np.mean((Z - Y) ** 2), 2 * (Z - Y) / Y.size
    elif loss == "bce":
        value, dZ = binary_crossentropy_from_logits(Y, Z), (sigmoid(Z) - Y) / N
    else:
        value, dZ = softmax_crossentropy_from_logits(Y, Z), (softmax(Z) - Y) / N
    grads = []
    for l in reversed(range(len(params))):
        grads.append((inputs[l].T @ dZ, dZ.sum(axis=0)))
        if l > 0:
            dZ = (dZ @ params[l][0].T) * act_grad(pre[l - 1])
    return float(value), grads
"""),
    Mutant("mlp_loss_and_grads", "naive log(sigmoid) loss (unstable for large logits)", """
def mlp_loss_and_grads(X, Y, params, hidden="sigmoid", loss="mse"):
    act, act_grad = ACTIVATIONS[hidden]
    A, inputs, pre = X, [], []
    for l, (W, b) in enumerate(params):
        inputs.append(A)
        Z = A @ W + b
        pre.append(Z)
        A = act(Z) if l < len(params) - 1 else Z
    N = X.shape[0]
    if loss == "mse":
        value, dZ = np.mean((Z - Y) ** 2), 2 * (Z - Y) / Y.size
    elif loss == "bce":
        P = 1 / (1 + np.exp(-Z))
        value, dZ = -np.mean(Y * np.log(P) + (1 - Y) * np.log(1 - P)), (P - Y) / N
    else:
        P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
        value, dZ = -np.mean(np.sum(Y * np.log(P), axis=1)), (P - Y) / N
    grads = []
    for l in reversed(range(len(params))):
        grads.insert(0, (inputs[l].T @ dZ, dZ.sum(axis=0)))
        if l > 0:
            dZ = (dZ @ params[l][0].T) * act_grad(pre[l - 1])
    return float(value), grads
""", expect="not numerically stable"),
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

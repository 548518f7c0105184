"""Mutants and valid alternatives of lab06_training (see nngrade/mutants.py).

A mutant is a patch of the solution's own definition (`replace(old, new)`), or a complete
definition where the mistake is a different way of writing it; a complete definition replaces
the solution's and may use the notebook's other names (`np`, `forward`, `log_softmax`,
`evaluate`, `sigmoid`).
"""
from nngrade import mistakes as M
from nngrade.mutants import Alternative, Mutant, replace

MUTANTS = [
    # --- init_uniform ---------------------------------------------------------------------
    Mutant("init_uniform", "U(0, eps) instead of U(-eps, eps)",
           replace("rng.uniform(-eps, eps", "rng.uniform(0.0, eps"), expect="is the distribution centred"),
    Mutant("init_uniform", "half the width: U(-eps/2, eps/2)",
           replace("rng.uniform(-eps, eps", "rng.uniform(-eps / 2, eps / 2"), expect="check the scale"),
    Mutant("init_uniform", "eps used as a normal's standard deviation",
           replace("rng.uniform(-eps, eps", "rng.normal(0.0, eps"), expect="outside"),
    Mutant("init_uniform", "the global np.random instead of the rng",
           replace("rng.uniform(", "np.random.uniform("), expect="a global generator the grader cannot seed"),
    Mutant("init_uniform", "float32 weights",
           replace("size=shape)", "size=shape).astype(np.float32)"), expect="has dtype float32, expected float64"),

    # --- xavier_uniform -------------------------------------------------------------------
    Mutant("xavier_uniform", "bound sqrt(6 / fan_in)",
           replace("6.0 / (fan_in + fan_out)", "6.0 / fan_in"), expect="lie outside"),
    Mutant("xavier_uniform", "the normal's std sqrt(2 / (fan_in + fan_out)) used as the bound",
           replace("np.sqrt(6.0 /", "np.sqrt(2.0 /"), expect="check the scale"),
    Mutant("xavier_uniform", "Glorot normal N(0, 2 / (fan_in + fan_out)) instead of uniform",
           replace("np.sqrt(6.0 /", "np.sqrt(2.0 /") + replace("rng.uniform(-a, a,", "rng.normal(0.0, a,"),
           expect="outside"),
    Mutant("xavier_uniform", "torch's (fan_out, fan_in) layout",
           replace("size=(fan_in, fan_out)", "size=(fan_out, fan_in)"), expect=M.TRANSPOSE),
    Mutant("xavier_uniform", "a generator seeded inside the function",
           replace("rng.uniform(", "np.random.default_rng(0).uniform("), expect="different seeds"),

    # --- he_normal ------------------------------------------------------------------------
    Mutant("he_normal", "the variance 2 / fan_in passed as the standard deviation",
           replace("np.sqrt(2.0 / fan_in)", "2.0 / fan_in"), expect="your standard deviation is the variance"),
    Mutant("he_normal", "fan_out instead of fan_in",
           replace("2.0 / fan_in)", "2.0 / fan_out)"), expect="check the scale"),
    Mutant("he_normal", "LeCun's 1 / fan_in (no factor 2)",
           replace("2.0 / fan_in", "1.0 / fan_in"), expect="check the scale"),
    Mutant("he_normal", "Keras's truncated normal (same variance)", """
def he_normal(fan_in, fan_out, rng):
    s = np.sqrt(2.0 / fan_in) / 0.87962566103423978
    w = rng.normal(0.0, s, size=(fan_in, fan_out))
    bad = np.abs(w) > 2 * s
    while bad.any():
        w[bad] = rng.normal(0.0, s, size=int(bad.sum()))
        bad = np.abs(w) > 2 * s
    return w
""", expect="this is a truncated normal"),
    Mutant("he_normal", "a normal truncated at 2 standard deviations (redrawn beyond them)", """
def he_normal(fan_in, fan_out, rng):
    s = np.sqrt(2.0 / fan_in)
    w = rng.normal(0.0, s, size=(fan_in, fan_out))
    bad = np.abs(w) > 2 * s
    while bad.any():
        w[bad] = rng.normal(0.0, s, size=int(bad.sum()))
        bad = np.abs(w) > 2 * s
    return w
""", expect="this is a truncated normal"),
    Mutant("he_normal", "uniform with the right variance",
           replace("rng.normal(0.0, np.sqrt(2.0 / fan_in),", "rng.uniform(-np.sqrt(6.0 / fan_in), np.sqrt(6.0 / fan_in),"),
           expect="Kolmogorov"),

    # --- SGD --------------------------------------------------------------------------------
    Mutant("SGD", "Nesterov written as plain momentum",
           replace("d = d + self.momentum * self.buffers[i] if self.nesterov else self.buffers[i]",
                   "d = self.buffers[i]"),
           expect="Nesterov's look-ahead"),
    Mutant("SGD", "decoupled instead of coupled weight decay",
           replace("            d = g + self.weight_decay * p",
                   "            p -= self.lr * self.weight_decay * p\n            d = g"),
           expect="this is decoupled weight decay"),
    Mutant("SGD", "p = p - lr * d: a new array, the caller's weights unchanged",
           replace("p -= self.lr * d", "p = p - self.lr * d"), expect="the parameters never change"),
    Mutant("SGD", "momentum buffer as an average (dampening 1 - momentum)",
           replace("self.buffers[i] = d.copy()", "self.buffers[i] = (1 - self.momentum) * d")
           + replace("self.momentum * self.buffers[i] + d", "self.momentum * self.buffers[i] + (1 - self.momentum) * d"),
           expect="average"),
    Mutant("SGD", "weight decay added to the gradient array in place",
           replace("            d = g + self.weight_decay * p",
                   "            g += self.weight_decay * p\n            d = g"),
           expect="modified the gradient"),

    # --- Adagrad ----------------------------------------------------------------------------
    Mutant("Adagrad", "eps inside the square root (Keras's formula)",
           replace("(np.sqrt(s) + self.eps)", "np.sqrt(s + self.eps)"), expect="inside the square root"),
    Mutant("Adagrad", "accumulator starting at 0.1 (Keras's default)",
           replace("np.zeros_like(p)", "np.full_like(p, 0.1)"), expect="starts at 0.1"),
    Mutant("Adagrad", "no eps: 0/0 where a gradient stays 0",
           replace("(np.sqrt(s) + self.eps)", "np.sqrt(s)"), expect=M.UNSTABLE),
    Mutant("Adagrad", "the accumulator holds the last squared gradient only",
           replace("s += g * g", "s[...] = g * g")),

    # --- RMSprop ----------------------------------------------------------------------------
    Mutant("RMSprop", "eps inside the square root",
           replace("(np.sqrt(v) + self.eps)", "np.sqrt(v + self.eps)"), expect="inside the square root"),
    Mutant("RMSprop", "alpha and 1 - alpha swapped",
           replace("v *= self.alpha", "v *= 1 - self.alpha") + replace("v += (1 - self.alpha) * g * g", "v += self.alpha * g * g"),
           expect="swapped"),
    Mutant("RMSprop", "Keras's default alpha (rho) 0.9",
           replace("alpha=0.99", "alpha=0.9")),
    Mutant("RMSprop", "no eps",
           replace("(np.sqrt(v) + self.eps)", "np.sqrt(v)"), expect=M.UNSTABLE),

    # --- Adam -------------------------------------------------------------------------------
    Mutant("Adam", "bias correction left out",
           replace("m_hat = m / (1 - b1 ** self.t)", "m_hat = m") + replace("v_hat = v / (1 - b2 ** self.t)", "v_hat = v"),
           expect="bias correction is missing"),
    Mutant("Adam", "the step counter never advances (t = 1 forever)",
           replace("self.t = 0", "self.t = 1") + replace("        self.t += 1\n", ""), expect="t = 1"),
    Mutant("Adam", "eps inside the square root",
           replace("(np.sqrt(v_hat) + self.eps)", "np.sqrt(v_hat + self.eps)"), expect="inside the square root"),
    Mutant("Adam", "Keras's Adam: eps added to sqrt(v) after folding the corrections into lr",
           replace("p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)",
                   "p -= self.lr * np.sqrt(1 - b2 ** self.t) / (1 - b1 ** self.t) * m / (np.sqrt(v) + self.eps)"),
           expect="Keras's Adam"),

    # --- l2_penalty ---------------------------------------------------------------------------
    Mutant("l2_penalty", "no 1/2", replace("lam / 2 *", "lam *"), expect="1/2 is missing"),
    Mutant("l2_penalty", "mean of the squares", replace("np.sum(W * W)", "np.mean(W * W)"),
           expect="mean of the squares"),
    Mutant("l2_penalty", "the norm instead of the squared norm", replace("np.sum(W * W)", "np.linalg.norm(W)"),
           expect="norm"),
    Mutant("l2_penalty", "only the first weight matrix",
           replace("sum(np.sum(W * W) for W in weights)", "np.sum(weights[0] * weights[0])")),

    # --- l2_penalty_grad ----------------------------------------------------------------------
    Mutant("l2_penalty_grad", "2 * lam * W", replace("lam * np.asarray", "2 * lam * np.asarray"),
           expect="extra factor 2"),
    Mutant("l2_penalty_grad", "lam / 2 * W", replace("lam * np.asarray", "lam / 2 * np.asarray"),
           expect="cancels"),
    Mutant("l2_penalty_grad", "scales the weights in place",
           replace("[lam * np.asarray(W, dtype=np.float64) for W in weights]",
                   "[np.multiply(W, lam, out=W) for W in weights]"),
           expect=M.IN_PLACE),
    Mutant("l2_penalty_grad", "one stacked array instead of a list",
           replace("[lam * np.asarray(W, dtype=np.float64) for W in weights]",
                   "np.concatenate([lam * np.ravel(W) for W in weights])"),
           expect="should be a list"),

    # --- iterate_minibatches --------------------------------------------------------------------
    Mutant("iterate_minibatches", "drops the smaller last batch",
           replace("range(0, n, batch_size)", "range(0, n - batch_size + 1, batch_size)")),
    Mutant("iterate_minibatches", "shuffles with the global np.random",
           replace("rng.permutation(n)", "np.random.permutation(n)")),
    Mutant("iterate_minibatches", "X and y shuffled by two different permutations",
           replace("    for start in", "    order_y = order if rng is None else rng.permutation(n)\n    for start in")
           + replace("y[idx]", "y[order_y[start:start + batch_size]]"),
           expect="two different orders"),
    Mutant("iterate_minibatches", "returns a list, not a generator",
           replace("    for start in range(0, n, batch_size):\n"
                   "        idx = order[start:start + batch_size]\n"
                   "        yield X[idx], y[idx]",
                   "    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in range(0, n, batch_size)]"),
           expect="not a generator"),
    Mutant("iterate_minibatches", "ignores the rng",
           replace("order = np.arange(n) if rng is None else rng.permutation(n)", "order = np.arange(n)"),
           expect="come in order"),
    Mutant("iterate_minibatches", "shuffles X in place",
           replace("    for start in", "    X[...] = X[order]\n    y, order = y[order], np.arange(n)\n    for start in"),
           expect=M.IN_PLACE),

    # --- train ------------------------------------------------------------------------------
    Mutant("train", "forgotten 1/N: dZ = P - Y", replace("            dZ /= B\n", ""), expect="forgotten 1/N"),
    Mutant("train", "divides by the training-set size instead of the batch size",
           replace("dZ /= B", "dZ /= n"), expect="whole training set"),
    Mutant("train", "off-by-one in the history: the validation set evaluated before the epoch",
           replace("            val_loss, val_acc = evaluate(X_val, y_val, params)\n", "")
           + replace("        loss_sum, correct = 0.0, 0\n",
                     "        if X_val is not None:\n"
                     "            val_loss, val_acc = evaluate(X_val, y_val, params)\n"
                     "        loss_sum, correct = 0.0, 0\n"),
           expect="one epoch late"),
    Mutant("train", "off-by-one in the history: epochs + 1 entries",
           replace("range(epochs)", "range(epochs + 1)"), expect="should have"),
    Mutant("train", "the epoch's loss as the plain mean of the batch losses",
           replace("-logp[np.arange(B), yb].sum()", "-logp[np.arange(B), yb].mean()")
           + replace("float(loss_sum / n)", "float(loss_sum / np.ceil(n / batch_size))"),
           expect="weights each batch by its size"),
    Mutant("train", "sigmoid' applied to the activation instead of the pre-activation",
           replace("* A * (1.0 - A)", "* sigmoid(A) * (1.0 - sigmoid(A))")),
    Mutant("train", "gradients passed biases first",
           replace("optimizer.step(grads)", "optimizer.step(grads[1::2] + grads[0::2])"),
           expect="order of params"),
    Mutant("train", "loss and accuracy measured after each update",
           replace("            loss_sum += -logp[np.arange(B), yb].sum()          # measured before the update\n", "")
           + replace("            correct += int(np.sum(logits.argmax(axis=1) == yb))\n", "")
           + replace("            optimizer.step(grads)\n",
                     "            optimizer.step(grads)\n"
                     "            loss, acc = evaluate(Xb, yb, params)\n"
                     "            loss_sum, correct = loss_sum + loss * B, correct + acc * B\n"),
           expect="before the update"),
]

ALTERNATIVES = [
    Alternative("init_uniform", "scaled rng.random", """
def init_uniform(shape, eps, rng):
    return eps * (2.0 * rng.random(shape) - 1.0)
"""),
    Alternative("xavier_uniform", "U(-1, 1) times the bound", """
def xavier_uniform(fan_in, fan_out, rng):
    return rng.uniform(-1.0, 1.0, size=(fan_in, fan_out)) * np.sqrt(6.0 / (fan_in + fan_out))
"""),
    Alternative("he_normal", "standard normal times the std", """
def he_normal(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)
"""),
    Alternative("SGD", "Keras-style velocity v = m v - lr d (equal for a constant lr)", """
class SGD:
    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
        self.params, self.lr, self.m, self.nesterov, self.wd = params, lr, momentum, nesterov, weight_decay
        self.velocity = [np.zeros_like(p) for p in params]

    def step(self, grads):
        for p, g, v in zip(self.params, grads, self.velocity):
            d = g + self.wd * p if self.wd else g
            if self.m == 0:
                p -= self.lr * d
                continue
            v[...] = self.m * v - self.lr * d
            if self.nesterov:
                p += self.m * v - self.lr * d
            else:
                p += v
"""),
    Alternative("Adagrad", "state in a dict keyed by position, p[...] assignment", """
class Adagrad:
    def __init__(self, params, lr=0.01, eps=1e-10):
        self.params, self.lr, self.eps, self.state = params, lr, eps, {}

    def step(self, grads):
        for i, g in enumerate(grads):
            self.state[i] = self.state.get(i, 0.0) + np.square(g)
            self.params[i][...] = self.params[i] - self.lr * g / (np.sqrt(self.state[i]) + self.eps)
"""),
    Alternative("RMSprop", "written with np.multiply/np.add out= arguments", """
class RMSprop:
    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8):
        self.params, self.lr, self.alpha, self.eps = params, lr, alpha, eps
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads):
        for p, g, v in zip(self.params, grads, self.v):
            np.multiply(v, self.alpha, out=v)
            np.add(v, (1.0 - self.alpha) * g ** 2, out=v)
            np.subtract(p, self.lr * g / (np.sqrt(v) + self.eps), out=p)
"""),
    Alternative("Adam", "corrections folded into the step size, with eps scaled to match torch", """
class Adam:
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, (self.b1, self.b2), self.eps = params, lr, betas, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads):
        self.t += 1
        c2 = np.sqrt(1 - self.b2 ** self.t)
        alpha = self.lr * c2 / (1 - self.b1 ** self.t)
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m += (1 - self.b1) * (g - m)
            v[...] = self.b2 * v + (1 - self.b2) * g * g
            p -= alpha * m / (np.sqrt(v) + self.eps * c2)
"""),
    Alternative("l2_penalty", "np.vdot", """
def l2_penalty(weights, lam):
    total = 0.0
    for W in weights:
        total += np.vdot(W, W)
    return 0.5 * lam * float(total)
"""),
    Alternative("l2_penalty_grad", "np.multiply into new arrays", """
def l2_penalty_grad(weights, lam):
    return list(map(lambda W: np.multiply(W, lam), weights))
"""),
    Alternative("iterate_minibatches", "rng.shuffle on an index array (what permutation does)", """
def iterate_minibatches(X, y, batch_size, rng=None):
    idx = np.arange(X.shape[0])
    if rng is not None:
        rng.shuffle(idx)
    start = 0
    while start < len(idx):
        chunk = idx[start:start + batch_size]
        yield (X[chunk], y[chunk])
        start += batch_size
"""),
    Alternative("train", "one-hot targets, explicit layer list and its own forward pass", """
def train(X, y, params, optimizer, batch_size, epochs, X_val=None, y_val=None):
    K = params[-1].shape[0]
    hist = {"loss": [], "accuracy": []} if X_val is None else \\
        {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    layers = [(params[i], params[i + 1]) for i in range(0, len(params), 2)]

    def run(x):
        outs = [x]
        for W, b in layers[:-1]:
            outs.append(1.0 / (1.0 + np.exp(-(outs[-1] @ W + b))))
        z = outs[-1] @ layers[-1][0] + layers[-1][1]
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        return outs, z, p

    for _ in range(epochs):
        seen, loss_total, hits = 0, 0.0, 0.0
        for s in range(0, len(X), batch_size):
            xb, yb = X[s:s + batch_size], y[s:s + batch_size]
            Y = np.eye(K)[yb]
            outs, z, p = run(xb)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            loss = -np.mean(np.sum(Y * logp, axis=1))
            loss_total += loss * len(yb)
            hits += np.mean(z.argmax(axis=1) == yb) * len(yb)
            seen += len(yb)
            delta = (p - Y) / len(yb)
            grads = []
            for k in range(len(layers) - 1, -1, -1):
                W = layers[k][0]
                grads = [outs[k].T @ delta, delta.sum(axis=0)] + grads
                delta = (delta @ W.T) * outs[k] * (1 - outs[k])
            optimizer.step(grads)
        hist["loss"].append(loss_total / seen)
        hist["accuracy"].append(hits / seen)
        if X_val is not None:
            _, z, _ = run(X_val)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            hist["val_loss"].append(float(-np.mean(logp[np.arange(len(y_val)), y_val])))
            hist["val_accuracy"].append(float(np.mean(z.argmax(axis=1) == y_val)))
    return hist
"""),
]

"""Mutants and valid alternatives of lab06_training (see nngrade/mutants.py).

Each source replaces the solution's definition; it may use the notebook's other names
(`np`, `forward`, `log_softmax`, `evaluate`, `sigmoid`).
"""
from nngrade.mutants import Alternative, Mutant

MUTANTS = [
    # --- init_uniform ---------------------------------------------------------------------
    Mutant("init_uniform", "U(0, eps) instead of U(-eps, eps)", """
def init_uniform(shape, eps, rng):
    return rng.uniform(0.0, eps, size=shape)
""", expect="mean"),
    Mutant("init_uniform", "half the width: U(-eps/2, eps/2)", """
def init_uniform(shape, eps, rng):
    return rng.uniform(-eps / 2, eps / 2, size=shape)
""", expect="variance"),
    Mutant("init_uniform", "eps used as a normal's standard deviation", """
def init_uniform(shape, eps, rng):
    return rng.normal(0.0, eps, size=shape)
""", expect="outside"),
    Mutant("init_uniform", "the global np.random instead of the rng", """
def init_uniform(shape, eps, rng):
    return np.random.uniform(-eps, eps, size=shape)
""", expect="np.random"),
    Mutant("init_uniform", "float32 weights", """
def init_uniform(shape, eps, rng):
    return rng.uniform(-eps, eps, size=shape).astype(np.float32)
""", expect="float64"),

    # --- xavier_uniform -------------------------------------------------------------------
    Mutant("xavier_uniform", "bound sqrt(6 / fan_in)", """
def xavier_uniform(fan_in, fan_out, rng):
    a = np.sqrt(6.0 / fan_in)
    return rng.uniform(-a, a, size=(fan_in, fan_out))
""", expect="variance"),
    Mutant("xavier_uniform", "the normal's std sqrt(2 / (fan_in + fan_out)) used as the bound", """
def xavier_uniform(fan_in, fan_out, rng):
    a = np.sqrt(2.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_in, fan_out))
""", expect="variance"),
    Mutant("xavier_uniform", "Glorot normal instead of uniform", """
def xavier_uniform(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))
""", expect="outside"),
    Mutant("xavier_uniform", "torch's (fan_out, fan_in) layout", """
def xavier_uniform(fan_in, fan_out, rng):
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_out, fan_in))
""", expect="transpose"),
    Mutant("xavier_uniform", "a generator seeded inside the function", """
def xavier_uniform(fan_in, fan_out, rng):
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return np.random.default_rng(0).uniform(-a, a, size=(fan_in, fan_out))
""", expect="different seeds"),

    # --- he_normal ------------------------------------------------------------------------
    Mutant("he_normal", "the variance 2 / fan_in passed as the standard deviation", """
def he_normal(fan_in, fan_out, rng):
    return rng.normal(0.0, 2.0 / fan_in, size=(fan_in, fan_out))
""", expect="variance"),
    Mutant("he_normal", "fan_out instead of fan_in", """
def he_normal(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_out), size=(fan_in, fan_out))
""", expect="variance"),
    Mutant("he_normal", "LeCun's 1 / fan_in (no factor 2)", """
def he_normal(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(1.0 / fan_in), size=(fan_in, fan_out))
""", expect="variance"),
    Mutant("he_normal", "Keras's truncated normal (same variance)", """
def he_normal(fan_in, fan_out, rng):
    s = np.sqrt(2.0 / fan_in) / 0.87962566103423978
    w = rng.normal(0.0, s, size=(fan_in, fan_out))
    bad = np.abs(w) > 2 * s
    while bad.any():
        w[bad] = rng.normal(0.0, s, size=int(bad.sum()))
        bad = np.abs(w) > 2 * s
    return w
""", expect="Kolmogorov"),
    Mutant("he_normal", "uniform with the right variance", """
def he_normal(fan_in, fan_out, rng):
    a = np.sqrt(3.0 * 2.0 / fan_in)
    return rng.uniform(-a, a, size=(fan_in, fan_out))
""", expect="Kolmogorov"),

    # --- SGD --------------------------------------------------------------------------------
    Mutant("SGD", "Nesterov written as plain momentum", """
class SGD:
    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
        self.params, self.lr, self.momentum, self.weight_decay = params, lr, momentum, weight_decay
        self.buffers = [None] * len(params)

    def step(self, grads):
        for i, (p, g) in enumerate(zip(self.params, grads)):
            d = g + self.weight_decay * p
            if self.momentum:
                self.buffers[i] = d.copy() if self.buffers[i] is None else self.momentum * self.buffers[i] + d
                d = self.buffers[i]
            p -= self.lr * d
""", expect="Nesterov"),
    Mutant("SGD", "decoupled instead of coupled weight decay", """
class SGD:
    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
        self.params, self.lr, self.momentum, self.nesterov, self.wd = params, lr, momentum, nesterov, weight_decay
        self.buffers = [None] * len(params)

    def step(self, grads):
        for i, (p, g) in enumerate(zip(self.params, grads)):
            p -= self.lr * self.wd * p
            d = g.copy()
            if self.momentum:
                self.buffers[i] = d.copy() if self.buffers[i] is None else self.momentum * self.buffers[i] + d
                d = d + self.momentum * self.buffers[i] if self.nesterov else self.buffers[i]
            p -= self.lr * d
""", expect="decoupled"),
    Mutant("SGD", "p = p - lr * g: a new array, the caller's weights unchanged", """
class SGD:
    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
        self.params, self.lr, self.momentum, self.nesterov, self.wd = params, lr, momentum, nesterov, weight_decay
        self.buffers = [None] * len(params)

    def step(self, grads):
        for i, (p, g) in enumerate(zip(self.params, grads)):
            d = g + self.wd * p
            if self.momentum:
                self.buffers[i] = d.copy() if self.buffers[i] is None else self.momentum * self.buffers[i] + d
                d = d + self.momentum * self.buffers[i] if self.nesterov else self.buffers[i]
            p = p - self.lr * d
""", expect="in place"),
    Mutant("SGD", "momentum buffer as an average (dampening 1 - momentum)", """
class SGD:
    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
        self.params, self.lr, self.momentum, self.nesterov, self.wd = params, lr, momentum, nesterov, weight_decay
        self.buffers = [np.zeros_like(p) for p in params]

    def step(self, grads):
        for i, (p, g) in enumerate(zip(self.params, grads)):
            d = g + self.wd * p
            if self.momentum:
                self.buffers[i] = self.momentum * self.buffers[i] + (1 - self.momentum) * d
                d = d + self.momentum * self.buffers[i] if self.nesterov else self.buffers[i]
            p -= self.lr * d
""", expect="average"),
    Mutant("SGD", "weight decay added to the gradient array in place", """
class SGD:
    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
        self.params, self.lr, self.momentum, self.nesterov, self.wd = params, lr, momentum, nesterov, weight_decay
        self.buffers = [None] * len(params)

    def step(self, grads):
        for i, (p, g) in enumerate(zip(self.params, grads)):
            g += self.wd * p
            if self.momentum:
                self.buffers[i] = g.copy() if self.buffers[i] is None else self.momentum * self.buffers[i] + g
                g = g + self.momentum * self.buffers[i] if self.nesterov else self.buffers[i]
            p -= self.lr * g
""", expect="modified the gradient"),

    # --- Adagrad ----------------------------------------------------------------------------
    Mutant("Adagrad", "eps inside the square root (Keras's formula)", """
class Adagrad:
    def __init__(self, params, lr=0.01, eps=1e-10):
        self.params, self.lr, self.eps = params, lr, eps
        self.sums = [np.zeros_like(p) for p in params]

    def step(self, grads):
        for p, g, s in zip(self.params, grads, self.sums):
            s += g * g
            p -= self.lr * g / np.sqrt(s + self.eps)
""", expect="inside the square root"),
    Mutant("Adagrad", "accumulator starting at 0.1 (Keras's default)", """
class Adagrad:
    def __init__(self, params, lr=0.01, eps=1e-10):
        self.params, self.lr, self.eps = params, lr, eps
        self.sums = [np.full_like(p, 0.1) for p in params]

    def step(self, grads):
        for p, g, s in zip(self.params, grads, self.sums):
            s += g * g
            p -= self.lr * g / (np.sqrt(s) + self.eps)
""", expect="starts at 0.1"),
    Mutant("Adagrad", "no eps: 0/0 where a gradient stays 0", """
class Adagrad:
    def __init__(self, params, lr=0.01, eps=1e-10):
        self.params, self.lr = params, lr
        self.sums = [np.zeros_like(p) for p in params]

    def step(self, grads):
        for p, g, s in zip(self.params, grads, self.sums):
            s += g * g
            p -= self.lr * g / np.sqrt(s)
""", expect="not numerically stable"),
    Mutant("Adagrad", "the accumulator holds the last squared gradient only", """
class Adagrad:
    def __init__(self, params, lr=0.01, eps=1e-10):
        self.params, self.lr, self.eps = params, lr, eps

    def step(self, grads):
        for p, g in zip(self.params, grads):
            p -= self.lr * g / (np.sqrt(g * g) + self.eps)
"""),

    # --- RMSprop ----------------------------------------------------------------------------
    Mutant("RMSprop", "eps inside the square root", """
class RMSprop:
    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8):
        self.params, self.lr, self.alpha, self.eps = params, lr, alpha, eps
        self.avgs = [np.zeros_like(p) for p in params]

    def step(self, grads):
        for p, g, v in zip(self.params, grads, self.avgs):
            v[...] = self.alpha * v + (1 - self.alpha) * g * g
            p -= self.lr * g / np.sqrt(v + self.eps)
""", expect="inside the square root"),
    Mutant("RMSprop", "alpha and 1 - alpha swapped", """
class RMSprop:
    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8):
        self.params, self.lr, self.alpha, self.eps = params, lr, alpha, eps
        self.avgs = [np.zeros_like(p) for p in params]

    def step(self, grads):
        for p, g, v in zip(self.params, grads, self.avgs):
            v[...] = (1 - self.alpha) * v + self.alpha * g * g
            p -= self.lr * g / (np.sqrt(v) + self.eps)
""", expect="swapped"),
    Mutant("RMSprop", "Keras's default alpha (rho) 0.9", """
class RMSprop:
    def __init__(self, params, lr=0.01, alpha=0.9, eps=1e-8):
        self.params, self.lr, self.alpha, self.eps = params, lr, alpha, eps
        self.avgs = [np.zeros_like(p) for p in params]

    def step(self, grads):
        for p, g, v in zip(self.params, grads, self.avgs):
            v[...] = self.alpha * v + (1 - self.alpha) * g * g
            p -= self.lr * g / (np.sqrt(v) + self.eps)
"""),
    Mutant("RMSprop", "no eps", """
class RMSprop:
    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8):
        self.params, self.lr, self.alpha = params, lr, alpha
        self.avgs = [np.zeros_like(p) for p in params]

    def step(self, grads):
        for p, g, v in zip(self.params, grads, self.avgs):
            v[...] = self.alpha * v + (1 - self.alpha) * g * g
            p -= self.lr * g / np.sqrt(v)
""", expect="not numerically stable"),

    # --- Adam -------------------------------------------------------------------------------
    Mutant("Adam", "bias correction left out", """
class Adam:
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads):
        b1, b2 = self.betas
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m[...] = b1 * m + (1 - b1) * g
            v[...] = b2 * v + (1 - b2) * g * g
            p -= self.lr * m / (np.sqrt(v) + self.eps)
""", expect="bias correction is missing"),
    Mutant("Adam", "the step counter never advances (t = 1 forever)", """
class Adam:
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 1

    def step(self, grads):
        b1, b2 = self.betas
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m[...] = b1 * m + (1 - b1) * g
            v[...] = b2 * v + (1 - b2) * g * g
            p -= self.lr * (m / (1 - b1 ** self.t)) / (np.sqrt(v / (1 - b2 ** self.t)) + self.eps)
""", expect="t = 1"),
    Mutant("Adam", "eps inside the square root", """
class Adam:
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads):
        b1, b2 = self.betas
        self.t += 1
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m[...] = b1 * m + (1 - b1) * g
            v[...] = b2 * v + (1 - b2) * g * g
            p -= self.lr * (m / (1 - b1 ** self.t)) / np.sqrt(v / (1 - b2 ** self.t) + self.eps)
""", expect="inside the square root"),
    Mutant("Adam", "Keras's Adam: eps added to sqrt(v) after folding the corrections into lr", """
class Adam:
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads):
        b1, b2 = self.betas
        self.t += 1
        alpha = self.lr * np.sqrt(1 - b2 ** self.t) / (1 - b1 ** self.t)
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m[...] = b1 * m + (1 - b1) * g
            v[...] = b2 * v + (1 - b2) * g * g
            p -= alpha * m / (np.sqrt(v) + self.eps)
""", expect="Keras's Adam"),

    # --- l2_penalty ---------------------------------------------------------------------------
    Mutant("l2_penalty", "no 1/2", """
def l2_penalty(weights, lam):
    return float(lam * sum(np.sum(W ** 2) for W in weights))
""", expect="1/2 is missing"),
    Mutant("l2_penalty", "mean of the squares", """
def l2_penalty(weights, lam):
    return float(lam / 2 * sum(np.mean(W ** 2) for W in weights))
""", expect="mean of the squares"),
    Mutant("l2_penalty", "the norm instead of the squared norm", """
def l2_penalty(weights, lam):
    return float(lam / 2 * sum(np.linalg.norm(W) for W in weights))
""", expect="norm"),
    Mutant("l2_penalty", "only the first weight matrix", """
def l2_penalty(weights, lam):
    return float(lam / 2 * np.sum(weights[0] ** 2))
"""),

    # --- l2_penalty_grad ----------------------------------------------------------------------
    Mutant("l2_penalty_grad", "2 * lam * W", """
def l2_penalty_grad(weights, lam):
    return [2 * lam * W for W in weights]
""", expect="extra factor 2"),
    Mutant("l2_penalty_grad", "lam / 2 * W", """
def l2_penalty_grad(weights, lam):
    return [lam / 2 * W for W in weights]
""", expect="cancels"),
    Mutant("l2_penalty_grad", "scales the weights in place", """
def l2_penalty_grad(weights, lam):
    for W in weights:
        W *= lam
    return weights
""", expect="modified"),
    Mutant("l2_penalty_grad", "one stacked array instead of a list", """
def l2_penalty_grad(weights, lam):
    return np.concatenate([lam * W.ravel() for W in weights]) if weights else np.zeros(0)
""", expect="should be a list"),

    # --- iterate_minibatches --------------------------------------------------------------------
    Mutant("iterate_minibatches", "drops the smaller last batch", """
def iterate_minibatches(X, y, batch_size, rng=None):
    order = np.arange(len(X)) if rng is None else rng.permutation(len(X))
    for start in range(0, len(X) - batch_size + 1, batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]
"""),
    Mutant("iterate_minibatches", "shuffles with the global np.random", """
def iterate_minibatches(X, y, batch_size, rng=None):
    order = np.arange(len(X)) if rng is None else np.random.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]
"""),
    Mutant("iterate_minibatches", "X and y shuffled by two different permutations", """
def iterate_minibatches(X, y, batch_size, rng=None):
    n = len(X)
    ox = np.arange(n) if rng is None else rng.permutation(n)
    oy = np.arange(n) if rng is None else rng.permutation(n)
    for start in range(0, n, batch_size):
        yield X[ox[start:start + batch_size]], y[oy[start:start + batch_size]]
""", expect="two different orders"),
    Mutant("iterate_minibatches", "returns a list, not a generator", """
def iterate_minibatches(X, y, batch_size, rng=None):
    order = np.arange(len(X)) if rng is None else rng.permutation(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]
""", expect="not a generator"),
    Mutant("iterate_minibatches", "ignores the rng", """
def iterate_minibatches(X, y, batch_size, rng=None):
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]
""", expect="come in order"),
    Mutant("iterate_minibatches", "shuffles X in place", """
def iterate_minibatches(X, y, batch_size, rng=None):
    if rng is not None:
        order = rng.permutation(len(X))
        X[...] = X[order]
        y = y[order]
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]
""", expect="modified"),
]

# train: the solution's body with one change each
_TRAIN = '''
def train(X, y, params, optimizer, batch_size, epochs, X_val=None, y_val=None):
    history = {"loss": [], "accuracy": []}
    if X_val is not None:
        history["val_loss"], history["val_accuracy"] = [], []
    n, n_layers = len(X), len(params) // 2
    for epoch in range(EPOCHS):
        VAL_BEFORE
        loss_sum, correct, batch_losses = 0.0, 0, []
        for start in range(0, n, batch_size):
            Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
            B = len(yb)
            acts, logits = forward(Xb, params)
            logp = log_softmax(logits)
            loss_sum += -logp[np.arange(B), yb].sum()
            batch_losses.append(-logp[np.arange(B), yb].mean())
            correct += int(np.sum(logits.argmax(axis=1) == yb))
            dZ = np.exp(logp)
            dZ[np.arange(B), yb] -= 1.0
            dZ /= DIVISOR
            grads = [None] * len(params)
            for layer in reversed(range(n_layers)):
                grads[2 * layer] = acts[layer].T @ dZ
                grads[2 * layer + 1] = dZ.sum(axis=0)
                if layer > 0:
                    A = acts[layer]
                    dZ = (dZ @ params[2 * layer].T) * DERIV
            optimizer.step(GRADS)
        history["loss"].append(float(EPOCH_LOSS))
        history["accuracy"].append(correct / n)
        if X_val is not None and VAL_AFTER:
            val_loss, val_acc = evaluate(X_val, y_val, params)
            history["val_loss"].append(val_loss)
            history["val_accuracy"].append(val_acc)
    return history
'''
_RIGHT = dict(EPOCHS="epochs", VAL_BEFORE="pass", DIVISOR="B", DERIV="A * (1.0 - A)", GRADS="grads",
              EPOCH_LOSS="loss_sum / n", VAL_AFTER="True")
_VAL_BEFORE = '''if X_val is not None:
            val_loss, val_acc = evaluate(X_val, y_val, params)
            history["val_loss"].append(val_loss)
            history["val_accuracy"].append(val_acc)'''


def _train(**changes):
    src = _TRAIN
    for key, value in {**_RIGHT, **changes}.items():
        src = src.replace(key, value)
    return src


MUTANTS += [
    Mutant("train", "forgotten 1/N: dZ = P - Y", _train(DIVISOR="1.0"), expect="forgotten 1/N"),
    Mutant("train", "divides by the training-set size instead of the batch size", _train(DIVISOR="n"),
           expect="whole training set"),
    Mutant("train", "off-by-one in the history: the validation set evaluated before the epoch",
           _train(VAL_BEFORE=_VAL_BEFORE, VAL_AFTER="False"), expect="one epoch late"),
    Mutant("train", "off-by-one in the history: epochs + 1 entries", _train(EPOCHS="epochs + 1"),
           expect="should have"),
    Mutant("train", "the epoch's loss as the plain mean of the batch losses",
           _train(EPOCH_LOSS="np.mean(batch_losses)"), expect="weights each batch by its size"),
    Mutant("train", "sigmoid' applied to the activation instead of the pre-activation",
           _train(DERIV="sigmoid(A) * (1.0 - sigmoid(A))")),
    Mutant("train", "gradients passed biases first", _train(GRADS="grads[1::2] + grads[0::2]"),
           expect="order of params"),
    Mutant("train", "loss measured after each update", '''
def train(X, y, params, optimizer, batch_size, epochs, X_val=None, y_val=None):
    history = {"loss": [], "accuracy": []}
    if X_val is not None:
        history["val_loss"], history["val_accuracy"] = [], []
    n, n_layers = len(X), len(params) // 2
    for epoch in range(epochs):
        loss_sum, correct = 0.0, 0
        for start in range(0, n, batch_size):
            Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
            B = len(yb)
            acts, logits = forward(Xb, params)
            dZ = np.exp(log_softmax(logits))
            dZ[np.arange(B), yb] -= 1.0
            dZ /= B
            grads = [None] * len(params)
            for layer in reversed(range(n_layers)):
                grads[2 * layer] = acts[layer].T @ dZ
                grads[2 * layer + 1] = dZ.sum(axis=0)
                if layer > 0:
                    A = acts[layer]
                    dZ = (dZ @ params[2 * layer].T) * A * (1.0 - A)
            optimizer.step(grads)
            loss, acc = evaluate(Xb, yb, params)
            loss_sum += loss * B
            correct += acc * B
        history["loss"].append(loss_sum / n)
        history["accuracy"].append(correct / n)
        if X_val is not None:
            val_loss, val_acc = evaluate(X_val, y_val, params)
            history["val_loss"].append(val_loss)
            history["val_accuracy"].append(val_acc)
    return history
''', expect="before the update"),
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

"""Mutants and valid alternatives of lab03_losses (see nngrade/mutants.py).

Each source is a complete `def` appended to the solution notebook as a last cell; it may
call the solution's other functions and helpers (`sigmoid`, `softmax`,
`categorical_crossentropy`, ...). `expect` is a phrase that the feedback must contain: a
`likely` row of nngrade/labs/lab03_losses/checks.py, a generic diagnosis of nngrade/diagnose.py,
or the engine's own message (type, stability, in place).
"""
from nngrade.mutants import Alternative, Mutant

UNSTABLE = "is not numerically stable"
IN_PLACE = "in place"
ONE_ELEMENT = "an array of one element"
SIGN = "opposite sign"
TOO_LARGE = "times too large"
TOO_SMALL = "times too small"
HALF = "half of the expected value"
LAST_AXIS = "(the size of the last axis) times too large"
BATCH = "(the batch size) times too large"
CLIPPED = "where p was clipped the gradient is 0"
LOGITS = "gradient with respect to the logits"
RENORM = "you renormalised the rows"

MUTANTS = [
    # ---- mse ------------------------------------------------------------------------------
    Mutant("mse", "sum instead of mean", """
def mse(y_true, y_pred):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    return float(np.sum(e * e))
""", expect=TOO_LARGE),
    Mutant("mse", "divides by the batch size only (sums the outputs)", """
def mse(y_true, y_pred):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    return float(np.sum(e * e) / e.shape[0])
""", expect=LAST_AXIS),
    Mutant("mse", "root of the mean (RMSE)", """
def mse(y_true, y_pred):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    return float(np.sqrt(np.mean(e * e)))
"""),
    Mutant("mse", "returns a one-element array", """
def mse(y_true, y_pred):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    return np.array([np.mean(e * e)])
""", expect=ONE_ELEMENT),

    # ---- mse_grad -------------------------------------------------------------------------
    Mutant("mse_grad", "forgets the 2", """
def mse_grad(y_true, y_pred):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    return e / e.size
""", expect=HALF),
    Mutant("mse_grad", "y_true - y_pred", """
def mse_grad(y_true, y_pred):
    e = np.asarray(y_true, dtype=np.float64) - y_pred
    return 2 * e / e.size
""", expect=SIGN),
    Mutant("mse_grad", "divides by the batch size, not the number of elements", """
def mse_grad(y_true, y_pred):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    return 2 * e / e.shape[0]
""", expect=LAST_AXIS),
    Mutant("mse_grad", "no division at all", """
def mse_grad(y_true, y_pred):
    return 2 * (np.asarray(y_pred, dtype=np.float64) - y_true)
""", expect=TOO_LARGE),
    Mutant("mse_grad", "subtracts in place from y_pred", """
def mse_grad(y_true, y_pred):
    y_pred -= y_true
    return 2 * y_pred / y_pred.size
""", expect=IN_PLACE),

    # ---- mae ------------------------------------------------------------------------------
    Mutant("mae", "no absolute value", """
def mae(y_true, y_pred):
    return float(np.mean(np.asarray(y_pred, dtype=np.float64) - y_true))
"""),
    Mutant("mae", "sum instead of mean", """
def mae(y_true, y_pred):
    return float(np.sum(np.abs(np.asarray(y_pred, dtype=np.float64) - y_true)))
""", expect=TOO_LARGE),
    Mutant("mae", "squared error", """
def mae(y_true, y_pred):
    return float(np.mean((np.asarray(y_pred, dtype=np.float64) - y_true) ** 2))
"""),

    # ---- mae_grad -------------------------------------------------------------------------
    Mutant("mae_grad", "sign(0) taken as +1", """
def mae_grad(y_true, y_pred):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    return np.where(e >= 0, 1.0, -1.0) / e.size
""", expect="np.sign(0) = 0"),
    Mutant("mae_grad", "sign of y_true - y_pred", """
def mae_grad(y_true, y_pred):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    return -np.sign(e) / e.size
""", expect=SIGN),
    Mutant("mae_grad", "the error instead of its sign", """
def mae_grad(y_true, y_pred):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    return e / e.size
"""),
    Mutant("mae_grad", "no division", """
def mae_grad(y_true, y_pred):
    return np.sign(np.asarray(y_pred, dtype=np.float64) - y_true)
""", expect=TOO_LARGE),

    # ---- huber ----------------------------------------------------------------------------
    Mutant("huber", "the notes' e^2 without 0.5", """
def huber(y_true, y_pred, delta=1.0):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    a = np.abs(e)
    return float(np.mean(np.where(a <= delta, e * e, delta * (a - 0.5 * delta))))
""", expect="the notes' quadratic part"),
    Mutant("huber", "linear part delta |e|", """
def huber(y_true, y_pred, delta=1.0):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    a = np.abs(e)
    return float(np.mean(np.where(a <= delta, 0.5 * e * e, delta * a)))
""", expect="the - 0.5 delta^2 is missing"),
    Mutant("huber", "ignores delta (always 1)", """
def huber(y_true, y_pred, delta=1.0):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    a = np.abs(e)
    return float(np.mean(np.where(a <= 1.0, 0.5 * e * e, a - 0.5)))
"""),
    Mutant("huber", "sum instead of mean", """
def huber(y_true, y_pred, delta=1.0):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    a = np.abs(e)
    return float(np.sum(np.where(a <= delta, 0.5 * e * e, delta * (a - 0.5 * delta))))
""", expect=TOO_LARGE),

    # ---- huber_grad -----------------------------------------------------------------------
    Mutant("huber_grad", "derivative of the notes' e^2", """
def huber_grad(y_true, y_pred, delta=1.0):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    return np.where(np.abs(e) <= delta, 2 * e, delta * np.sign(e)) / e.size
""", expect="the notes' e^2"),
    Mutant("huber_grad", "no clipping (mse/2's gradient)", """
def huber_grad(y_true, y_pred, delta=1.0):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    return e / e.size
""", expect="that is mse's"),
    Mutant("huber_grad", "sign flipped", """
def huber_grad(y_true, y_pred, delta=1.0):
    e = np.asarray(y_true, dtype=np.float64) - y_pred
    return np.clip(e, -delta, delta) / e.size
""", expect=SIGN),
    Mutant("huber_grad", "ignores delta", """
def huber_grad(y_true, y_pred, delta=1.0):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    return np.clip(e, -1.0, 1.0) / e.size
"""),
    Mutant("huber_grad", "no division", """
def huber_grad(y_true, y_pred, delta=1.0):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    return np.clip(e, -delta, delta)
""", expect=TOO_LARGE),

    # ---- binary_crossentropy --------------------------------------------------------------
    Mutant("binary_crossentropy", "no clipping", """
def binary_crossentropy(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return float(-np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)))
""", expect=UNSTABLE),
    Mutant("binary_crossentropy", "PyTorch's log clamp at -100", """
def binary_crossentropy(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    with np.errstate(divide="ignore"):
        a, b = np.maximum(np.log(p), -100.0), np.maximum(np.log(1 - p), -100.0)
    return float(-np.mean(y_true * a + (1 - y_true) * b))
""", expect="clamped each log at -100"),
    Mutant("binary_crossentropy", "eps inside the logs", """
def binary_crossentropy(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return float(-np.mean(y_true * np.log(p + eps) + (1 - y_true) * np.log(1 - p + eps)))
""", expect="added eps inside the logs"),
    Mutant("binary_crossentropy", "ignores the eps argument", """
def binary_crossentropy(y_true, y_pred, eps=1e-7):
    pc = np.clip(np.asarray(y_pred, dtype=np.float64), 1e-7, 1 - 1e-7)
    return float(-np.mean(y_true * np.log(pc) + (1 - y_true) * np.log(1 - pc)))
"""),
    Mutant("binary_crossentropy", "sums the outputs, means over the batch", """
def binary_crossentropy(y_true, y_pred, eps=1e-7):
    pc = np.clip(np.asarray(y_pred, dtype=np.float64), eps, 1 - eps)
    return float(-np.sum(y_true * np.log(pc) + (1 - y_true) * np.log(1 - pc)) / pc.shape[0])
""", expect=LAST_AXIS),

    # ---- binary_crossentropy_grad ---------------------------------------------------------
    Mutant("binary_crossentropy_grad", "gradient kept where p was clipped", """
def binary_crossentropy_grad(y_true, y_pred, eps=1e-7):
    pc = np.clip(np.asarray(y_pred, dtype=np.float64), eps, 1 - eps)
    return -(y_true / pc - (1 - y_true) / (1 - pc)) / pc.size
""", expect=CLIPPED),
    Mutant("binary_crossentropy_grad", "(p - y) / n, the logits' gradient", """
def binary_crossentropy_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return (p - y_true) / p.size
""", expect=LOGITS),
    Mutant("binary_crossentropy_grad", "sign flipped", """
def binary_crossentropy_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    pc = np.clip(p, eps, 1 - eps)
    inside = (p >= eps) & (p <= 1 - eps)
    return np.where(inside, y_true / pc - (1 - y_true) / (1 - pc), 0.0) / p.size
""", expect=SIGN),
    Mutant("binary_crossentropy_grad", "divides by the unclipped p", """
def binary_crossentropy_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    inside = (p >= eps) & (p <= 1 - eps)
    return np.where(inside, -(y_true / p - (1 - y_true) / (1 - p)), 0.0) / p.size
""", expect=UNSTABLE),
    Mutant("binary_crossentropy_grad", "strict inequalities: no gradient at p = eps", """
def binary_crossentropy_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    pc = np.clip(p, eps, 1 - eps)
    inside = (p > eps) & (p < 1 - eps)
    return np.where(inside, -(y_true / pc - (1 - y_true) / (1 - pc)), 0.0) / p.size
"""),

    # ---- binary_crossentropy_from_logits --------------------------------------------------
    Mutant("binary_crossentropy_from_logits", "log of a naive sigmoid", """
def binary_crossentropy_from_logits(y_true, logits):
    s = 1.0 / (1.0 + np.exp(-np.asarray(logits, dtype=np.float64)))
    return float(-np.mean(y_true * np.log(s) + (1 - y_true) * np.log(1 - s)))
""", expect=UNSTABLE),
    Mutant("binary_crossentropy_from_logits", "clipped sigmoid", """
def binary_crossentropy_from_logits(y_true, logits):
    return binary_crossentropy(y_true, sigmoid(np.asarray(logits, dtype=np.float64)))
""", expect="you clipped sigmoid(z)"),
    Mutant("binary_crossentropy_from_logits", "log1p(exp(-z)) without |z|", """
def binary_crossentropy_from_logits(y_true, logits):
    z = np.asarray(logits, dtype=np.float64)
    return float(np.mean(np.maximum(z, 0) - z * y_true + np.log1p(np.exp(-z))))
"""),
    Mutant("binary_crossentropy_from_logits", "sum instead of mean", """
def binary_crossentropy_from_logits(y_true, logits):
    z = np.asarray(logits, dtype=np.float64)
    return float(np.sum(np.maximum(z, 0) - z * y_true + np.log1p(np.exp(-np.abs(z)))))
""", expect=TOO_LARGE),

    # ---- binary_crossentropy_from_logits_grad ---------------------------------------------
    Mutant("binary_crossentropy_from_logits_grad", "an extra sigmoid' factor", """
def binary_crossentropy_from_logits_grad(y_true, logits):
    s = sigmoid(np.asarray(logits, dtype=np.float64))
    return (s - y_true) * s * (1 - s) / s.size
""", expect="the sigmoid's derivative cancels"),
    Mutant("binary_crossentropy_from_logits_grad", "no division", """
def binary_crossentropy_from_logits_grad(y_true, logits):
    return sigmoid(np.asarray(logits, dtype=np.float64)) - y_true
""", expect=TOO_LARGE),
    Mutant("binary_crossentropy_from_logits_grad", "y - sigmoid(z)", """
def binary_crossentropy_from_logits_grad(y_true, logits):
    s = sigmoid(np.asarray(logits, dtype=np.float64))
    return (y_true - s) / s.size
""", expect=SIGN),
    Mutant("binary_crossentropy_from_logits_grad", "naive sigmoid", """
def binary_crossentropy_from_logits_grad(y_true, logits):
    z = np.asarray(logits, dtype=np.float64)
    return (1.0 / (1.0 + np.exp(-z)) - y_true) / z.size
""", expect=UNSTABLE),

    # ---- categorical_crossentropy ---------------------------------------------------------
    Mutant("categorical_crossentropy", "renormalises the rows (Keras)", """
def categorical_crossentropy(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    pc = np.clip(p / p.sum(axis=-1, keepdims=True), eps, 1 - eps)
    return float(-np.mean(np.sum(y_true * np.log(pc), axis=-1)))
""", expect=RENORM),
    Mutant("categorical_crossentropy", "mean over all elements", """
def categorical_crossentropy(y_true, y_pred, eps=1e-7):
    pc = np.clip(np.asarray(y_pred, dtype=np.float64), eps, 1 - eps)
    return float(-np.mean(y_true * np.log(pc)))
""", expect=TOO_SMALL),
    Mutant("categorical_crossentropy", "no clipping", """
def categorical_crossentropy(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return float(-np.mean(np.sum(y_true * np.log(p), axis=-1)))
""", expect=UNSTABLE),
    Mutant("categorical_crossentropy", "sum over the batch", """
def categorical_crossentropy(y_true, y_pred, eps=1e-7):
    pc = np.clip(np.asarray(y_pred, dtype=np.float64), eps, 1 - eps)
    return float(-np.sum(y_true * np.log(pc)))
""", expect=BATCH),

    # ---- categorical_crossentropy_grad ----------------------------------------------------
    Mutant("categorical_crossentropy_grad", "Keras's gradient (renormalised rows)", """
def categorical_crossentropy_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    s = p.sum(axis=-1, keepdims=True)
    q = p / s
    inside = (q >= eps) & (q <= 1 - eps)
    gq = np.where(inside, -y_true / np.clip(q, eps, 1 - eps), 0.0)
    return (gq - np.sum(gq * q, axis=-1, keepdims=True)) / s / p.shape[0]
""", expect=RENORM),
    Mutant("categorical_crossentropy_grad", "renormalises, then differentiates in q", """
def categorical_crossentropy_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    q = p / p.sum(axis=-1, keepdims=True)
    inside = (q >= eps) & (q <= 1 - eps)
    return np.where(inside, -y_true / np.clip(q, eps, 1 - eps), 0.0) / p.shape[0]
"""),
    Mutant("categorical_crossentropy_grad", "gradient kept where p was clipped", """
def categorical_crossentropy_grad(y_true, y_pred, eps=1e-7):
    pc = np.clip(np.asarray(y_pred, dtype=np.float64), eps, 1 - eps)
    return -y_true / pc / pc.shape[0]
""", expect=CLIPPED),
    Mutant("categorical_crossentropy_grad", "divides by all elements", """
def categorical_crossentropy_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    pc = np.clip(p, eps, 1 - eps)
    return np.where((p >= eps) & (p <= 1 - eps), -y_true / pc, 0.0) / p.size
""", expect=TOO_SMALL),
    Mutant("categorical_crossentropy_grad", "(p - y) / N, the logits' gradient", """
def categorical_crossentropy_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return (p - y_true) / p.shape[0]
""", expect=LOGITS),

    # ---- sparse_categorical_crossentropy --------------------------------------------------
    Mutant("sparse_categorical_crossentropy", "p[:, y] instead of p[range(N), y]", """
def sparse_categorical_crossentropy(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return float(-np.mean(np.log(np.clip(p[:, y_true], eps, 1 - eps))))
""", expect="picks an N x N block"),
    Mutant("sparse_categorical_crossentropy", "no clipping", """
def sparse_categorical_crossentropy(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return float(-np.mean(np.log(p[np.arange(len(y_true)), y_true])))
""", expect=UNSTABLE),
    Mutant("sparse_categorical_crossentropy", "sum over the batch", """
def sparse_categorical_crossentropy(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return float(-np.sum(np.log(np.clip(p[np.arange(len(y_true)), y_true], eps, 1 - eps))))
""", expect=BATCH),
    Mutant("sparse_categorical_crossentropy", "renormalises the rows", """
def sparse_categorical_crossentropy(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    p = p / p.sum(axis=1, keepdims=True)
    return float(-np.mean(np.log(np.clip(p[np.arange(len(y_true)), y_true], eps, 1 - eps))))
""", expect=RENORM),

    # ---- sparse_categorical_crossentropy_grad ---------------------------------------------
    Mutant("sparse_categorical_crossentropy_grad", "(p - one_hot) / N, the logits' gradient", """
def sparse_categorical_crossentropy_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return (p - np.eye(p.shape[1])[y_true]) / p.shape[0]
""", expect=LOGITS),
    Mutant("sparse_categorical_crossentropy_grad", "-1 / p everywhere, not only at the labels", """
def sparse_categorical_crossentropy_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return np.where((p >= eps) & (p <= 1 - eps), -1.0 / np.clip(p, eps, 1 - eps), 0.0) / p.shape[0]
"""),
    Mutant("sparse_categorical_crossentropy_grad", "gradient kept where p was clipped", """
def sparse_categorical_crossentropy_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return -np.eye(p.shape[1])[y_true] / np.clip(p, eps, 1 - eps) / p.shape[0]
""", expect=CLIPPED),
    Mutant("sparse_categorical_crossentropy_grad", "sign flipped", """
def sparse_categorical_crossentropy_grad(y_true, y_pred, eps=1e-7):
    return -categorical_crossentropy_grad(np.eye(np.shape(y_pred)[1])[y_true], y_pred, eps)
""", expect=SIGN),

    # ---- softmax_crossentropy_from_logits -------------------------------------------------
    Mutant("softmax_crossentropy_from_logits", "no max subtraction", """
def softmax_crossentropy_from_logits(y_true, logits):
    z = np.asarray(logits, dtype=np.float64)
    log_s = z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))
    return float(-np.mean(np.sum(y_true * log_s, axis=-1)))
""", expect=UNSTABLE),
    Mutant("softmax_crossentropy_from_logits", "through clipped probabilities", """
def softmax_crossentropy_from_logits(y_true, logits):
    return categorical_crossentropy(y_true, softmax(np.asarray(logits, dtype=np.float64)))
""", expect="you clipped softmax(z)"),
    Mutant("softmax_crossentropy_from_logits", "mean over all elements", """
def softmax_crossentropy_from_logits(y_true, logits):
    z = np.asarray(logits, dtype=np.float64)
    sh = z - z.max(axis=-1, keepdims=True)
    return float(-np.mean(y_true * (sh - np.log(np.sum(np.exp(sh), axis=-1, keepdims=True)))))
""", expect=TOO_SMALL),
    Mutant("softmax_crossentropy_from_logits", "sum over the batch", """
def softmax_crossentropy_from_logits(y_true, logits):
    z = np.asarray(logits, dtype=np.float64)
    sh = z - z.max(axis=-1, keepdims=True)
    return float(-np.sum(y_true * (sh - np.log(np.sum(np.exp(sh), axis=-1, keepdims=True)))))
""", expect=BATCH),

    # ---- softmax_crossentropy_from_logits_grad --------------------------------------------
    Mutant("softmax_crossentropy_from_logits_grad", "no division by N", """
def softmax_crossentropy_from_logits_grad(y_true, logits):
    return softmax(np.asarray(logits, dtype=np.float64)) - y_true
""", expect=BATCH),
    Mutant("softmax_crossentropy_from_logits_grad", "divides by all elements", """
def softmax_crossentropy_from_logits_grad(y_true, logits):
    z = np.asarray(logits, dtype=np.float64)
    return (softmax(z) - y_true) / z.size
""", expect=TOO_SMALL),
    Mutant("softmax_crossentropy_from_logits_grad", "y - softmax", """
def softmax_crossentropy_from_logits_grad(y_true, logits):
    z = np.asarray(logits, dtype=np.float64)
    return (y_true - softmax(z)) / z.shape[0]
""", expect=SIGN),
    Mutant("softmax_crossentropy_from_logits_grad", "the diagonal of the Jacobian only", """
def softmax_crossentropy_from_logits_grad(y_true, logits):
    z = np.asarray(logits, dtype=np.float64)
    return -y_true * (1 - softmax(z)) / z.shape[0]
""", expect="diagonal s (1 - s)"),
    Mutant("softmax_crossentropy_from_logits_grad", "softmax without max subtraction", """
def softmax_crossentropy_from_logits_grad(y_true, logits):
    e = np.exp(np.asarray(logits, dtype=np.float64))
    return (e / e.sum(axis=-1, keepdims=True) - y_true) / e.shape[0]
""", expect=UNSTABLE),

    # ---- kl_divergence --------------------------------------------------------------------
    Mutant("kl_divergence", "arguments swapped", """
def kl_divergence(y_true, y_pred, eps=1e-7):
    yc, pc = np.clip(y_true, eps, 1), np.clip(y_pred, eps, 1)
    return float(np.mean(np.sum(pc * np.log(pc / yc), axis=-1)))
""", expect="you swapped the arguments"),
    Mutant("kl_divergence", "y_true not clipped (0 log 0 = 0)", """
def kl_divergence(y_true, y_pred, eps=1e-7):
    pc = np.clip(y_pred, eps, 1)
    safe = np.where(y_true > 0, y_true, 1.0)
    return float(np.mean(np.sum(np.where(y_true > 0, y_true * np.log(safe / pc), 0.0), axis=-1)))
""", expect="you did not clip y_true"),
    Mutant("kl_divergence", "mean over all elements", """
def kl_divergence(y_true, y_pred, eps=1e-7):
    yc, pc = np.clip(y_true, eps, 1), np.clip(y_pred, eps, 1)
    return float(np.mean(yc * np.log(yc / pc)))
""", expect=TOO_SMALL),
    Mutant("kl_divergence", "no clipping at all", """
def kl_divergence(y_true, y_pred, eps=1e-7):
    y, p = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
    return float(np.mean(np.sum(y * np.log(y / p), axis=-1)))
""", expect=UNSTABLE),

    # ---- kl_divergence_grad ---------------------------------------------------------------
    Mutant("kl_divergence_grad", "gradient kept where p was clipped", """
def kl_divergence_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return -np.clip(y_true, eps, 1) / np.clip(p, eps, 1) / p.shape[0]
""", expect=CLIPPED),
    Mutant("kl_divergence_grad", "gradient of the swapped KL", """
def kl_divergence_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return (np.log(np.clip(p, eps, 1) / np.clip(y_true, eps, 1)) + 1) / p.shape[0]
""", expect="the arguments swapped"),
    Mutant("kl_divergence_grad", "divides by all elements", """
def kl_divergence_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    g = np.where(p >= eps, -np.clip(y_true, eps, 1) / np.clip(p, eps, 1), 0.0)
    return g / p.size
""", expect=TOO_SMALL),
    Mutant("kl_divergence_grad", "sign flipped", """
def kl_divergence_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return np.where(p >= eps, np.clip(y_true, eps, 1) / np.clip(p, eps, 1), 0.0) / p.shape[0]
""", expect=SIGN),

    # ---- poisson --------------------------------------------------------------------------
    Mutant("poisson", "log(p) without eps", """
def poisson(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return float(np.mean(p - y_true * np.log(p)))
""", expect="the log is log(p + eps)"),
    Mutant("poisson", "sums the outputs, means over the batch", """
def poisson(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return float(np.sum(p - y_true * np.log(p + eps)) / p.shape[0])
""", expect=LAST_AXIS),
    Mutant("poisson", "ignores the eps argument", """
def poisson(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return float(np.mean(p - y_true * np.log(p + 1e-7)))
"""),
    Mutant("poisson", "y log p - p (the log-likelihood, not its negative)", """
def poisson(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return float(np.mean(y_true * np.log(p + eps) - p))
""", expect=SIGN),

    # ---- poisson_grad ---------------------------------------------------------------------
    Mutant("poisson_grad", "1 - y / p", """
def poisson_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return (1 - y_true / p) / p.size
""", expect="the eps stays in the denominator"),
    Mutant("poisson_grad", "sign flipped", """
def poisson_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return (y_true / (p + eps) - 1) / p.size
""", expect=SIGN),
    Mutant("poisson_grad", "no division", """
def poisson_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return 1 - y_true / (p + eps)
""", expect=TOO_LARGE),
    Mutant("poisson_grad", "forgets the derivative of p", """
def poisson_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return -y_true / (p + eps) / p.size
"""),

    # ---- msle -----------------------------------------------------------------------------
    Mutant("msle", "no max(., eps)", """
def msle(y_true, y_pred, eps=1e-7):
    d = np.log1p(np.asarray(y_pred, dtype=np.float64)) - np.log1p(y_true)
    return float(np.mean(d * d))
""", expect=UNSTABLE),
    Mutant("msle", "log instead of log(1 + .)", """
def msle(y_true, y_pred, eps=1e-7):
    d = np.log(np.maximum(y_pred, eps)) - np.log(np.maximum(y_true, eps))
    return float(np.mean(d * d))
"""),
    Mutant("msle", "root of the mean (RMSLE)", """
def msle(y_true, y_pred, eps=1e-7):
    d = np.log1p(np.maximum(y_pred, eps)) - np.log1p(np.maximum(y_true, eps))
    return float(np.sqrt(np.mean(d * d)))
"""),
    Mutant("msle", "sums the outputs, means over the batch", """
def msle(y_true, y_pred, eps=1e-7):
    d = np.log1p(np.maximum(y_pred, eps)) - np.log1p(np.maximum(y_true, eps))
    return float(np.sum(d * d) / d.shape[0])
""", expect=LAST_AXIS),

    # ---- msle_grad ------------------------------------------------------------------------
    Mutant("msle_grad", "forgets the chain rule through log(1 + p)", """
def msle_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    d = np.log1p(np.maximum(p, eps)) - np.log1p(np.maximum(y_true, eps))
    return np.where(p >= eps, 2 * d, 0.0) / p.size
""", expect="the chain rule through log(1 + p)"),
    Mutant("msle_grad", "gradient kept below eps", """
def msle_grad(y_true, y_pred, eps=1e-7):
    pm = np.maximum(np.asarray(y_pred, dtype=np.float64), eps)
    d = np.log1p(pm) - np.log1p(np.maximum(y_true, eps))
    return 2 * d / (1 + pm) / pm.size
""", expect="max(p, eps) has derivative 0"),
    Mutant("msle_grad", "forgets the 2", """
def msle_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    pm = np.maximum(p, eps)
    d = np.log1p(pm) - np.log1p(np.maximum(y_true, eps))
    return np.where(p >= eps, d / (1 + pm), 0.0) / p.size
""", expect=HALF),
    Mutant("msle_grad", "sign flipped", """
def msle_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    pm = np.maximum(p, eps)
    d = np.log1p(np.maximum(y_true, eps)) - np.log1p(pm)
    return np.where(p >= eps, 2 * d / (1 + pm), 0.0) / p.size
""", expect=SIGN),

    # ---- hinge ----------------------------------------------------------------------------
    Mutant("hinge", "no max(0, .)", """
def hinge(y_true, scores):
    return float(np.mean(1 - y_true * np.asarray(scores, dtype=np.float64)))
""", expect="you forgot the max(0, .)"),
    Mutant("hinge", "sum instead of mean", """
def hinge(y_true, scores):
    return float(np.sum(np.maximum(0, 1 - y_true * np.asarray(scores, dtype=np.float64))))
""", expect=TOO_LARGE),
    Mutant("hinge", "no margin (perceptron loss)", """
def hinge(y_true, scores):
    return float(np.mean(np.maximum(0, -y_true * np.asarray(scores, dtype=np.float64))))
"""),

    # ---- hinge_grad -----------------------------------------------------------------------
    Mutant("hinge_grad", ">= at the kink", """
def hinge_grad(y_true, scores):
    s = np.asarray(scores, dtype=np.float64)
    return np.where(1 - y_true * s >= 0, -y_true, 0.0) / s.size
""", expect="at the kink 1 - y s = 0 the gradient is 0"),
    Mutant("hinge_grad", "no division", """
def hinge_grad(y_true, scores):
    s = np.asarray(scores, dtype=np.float64)
    return np.where(1 - y_true * s > 0, -y_true, 0.0)
""", expect=TOO_LARGE),
    Mutant("hinge_grad", "sign flipped", """
def hinge_grad(y_true, scores):
    s = np.asarray(scores, dtype=np.float64)
    return np.where(1 - y_true * s > 0, y_true, 0.0) / s.size
""", expect=SIGN),
    Mutant("hinge_grad", "-y s instead of -y", """
def hinge_grad(y_true, scores):
    s = np.asarray(scores, dtype=np.float64)
    return np.where(1 - y_true * s > 0, -y_true * s, 0.0) / s.size
"""),
]

ALTERNATIVES = [
    Alternative("mse", "np.einsum for the sum of squares", """
def mse(y_true, y_pred):
    e = (np.asarray(y_pred, dtype=np.float64) - y_true).ravel()
    return np.einsum("i,i->", e, e) / e.size
"""),
    Alternative("mse_grad", "np.subtract and a multiplication by 2 / n", """
def mse_grad(y_true, y_pred):
    e = np.subtract(y_pred, y_true, dtype=np.float64)
    return e * (2.0 / e.size)
"""),
    Alternative("mae", "a Python loop over the flattened errors", """
def mae(y_true, y_pred):
    p, y = np.ravel(y_pred), np.ravel(y_true)
    total = 0.0
    for a, b in zip(p, y):
        total += abs(float(a) - float(b))
    return total / p.size
"""),
    Alternative("mae_grad", "(e > 0) - (e < 0)", """
def mae_grad(y_true, y_pred):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    return ((e > 0).astype(np.float64) - (e < 0)) / e.size
"""),
    Alternative("huber", "q = min(|e|, delta): q (|e| - q / 2)", """
def huber(y_true, y_pred, delta=1.0):
    a = np.abs(np.asarray(y_pred, dtype=np.float64) - y_true)
    q = np.minimum(a, delta)
    return float(np.mean(q * (a - 0.5 * q)))
"""),
    Alternative("huber_grad", "np.where on the two pieces", """
def huber_grad(y_true, y_pred, delta=1.0):
    e = np.asarray(y_pred, dtype=np.float64) - y_true
    return np.where(np.abs(e) <= delta, e, delta * np.sign(e)) / e.size
"""),
    Alternative("binary_crossentropy", "scipy.special.xlogy and log1p", """
def binary_crossentropy(y_true, y_pred, eps=1e-7):
    from scipy.special import xlogy
    pc = np.clip(np.asarray(y_pred, dtype=np.float64), eps, 1 - eps)
    return float(-np.mean(xlogy(y_true, pc) + (1 - np.asarray(y_true)) * np.log1p(-pc)))
"""),
    Alternative("binary_crossentropy_grad", "a mask multiplied in", """
def binary_crossentropy_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    pc = np.clip(p, eps, 1 - eps)
    mask = np.logical_and(p >= eps, p <= 1 - eps)
    return mask * (pc - y_true) / (pc * (1 - pc)) / p.size
"""),
    Alternative("binary_crossentropy_from_logits", "softplus(z) - z y with np.logaddexp", """
def binary_crossentropy_from_logits(y_true, logits):
    z = np.asarray(logits, dtype=np.float64)
    return float(np.mean(np.logaddexp(0.0, z) - z * y_true))
"""),
    Alternative("binary_crossentropy_from_logits_grad", "scipy.special.expit", """
def binary_crossentropy_from_logits_grad(y_true, logits):
    from scipy.special import expit
    z = np.asarray(logits, dtype=np.float64)
    return (expit(z) - y_true) / z.size
"""),
    Alternative("categorical_crossentropy", "np.einsum over rows and classes", """
def categorical_crossentropy(y_true, y_pred, eps=1e-7):
    pc = np.clip(np.asarray(y_pred, dtype=np.float64), eps, 1 - eps)
    return float(-np.einsum("nk,nk->", np.asarray(y_true, dtype=np.float64), np.log(pc)) / pc.shape[0])
"""),
    Alternative("categorical_crossentropy_grad", "a loop over the rows", """
def categorical_crossentropy_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    g = np.zeros_like(p)
    for n in range(p.shape[0]):
        for k in range(p.shape[1]):
            if eps <= p[n, k] <= 1 - eps:
                g[n, k] = -y_true[n, k] / p[n, k] / p.shape[0]
    return g
"""),
    Alternative("sparse_categorical_crossentropy", "one-hot rows and categorical_crossentropy", """
def sparse_categorical_crossentropy(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return categorical_crossentropy(np.eye(p.shape[1])[y_true], p, eps)
"""),
    Alternative("sparse_categorical_crossentropy_grad", "one-hot rows and categorical_crossentropy_grad", """
def sparse_categorical_crossentropy_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return categorical_crossentropy_grad(np.eye(p.shape[1])[y_true], p, eps)
"""),
    Alternative("softmax_crossentropy_from_logits", "scipy.special.logsumexp", """
def softmax_crossentropy_from_logits(y_true, logits):
    from scipy.special import logsumexp
    z = np.asarray(logits, dtype=np.float64)
    return float(-np.mean(np.sum(y_true * (z - logsumexp(z, axis=-1, keepdims=True)), axis=-1)))
"""),
    Alternative("softmax_crossentropy_from_logits_grad", "scipy.special.softmax", """
def softmax_crossentropy_from_logits_grad(y_true, logits):
    from scipy.special import softmax
    z = np.asarray(logits, dtype=np.float64)
    return (softmax(z, axis=-1) - y_true) / z.shape[0]
"""),
    Alternative("kl_divergence", "scipy.special.rel_entr on the clipped arrays", """
def kl_divergence(y_true, y_pred, eps=1e-7):
    from scipy.special import rel_entr
    yc, pc = np.clip(y_true, eps, 1.0), np.clip(y_pred, eps, 1.0)
    return float(np.sum(rel_entr(yc, pc)) / pc.shape[0])
"""),
    Alternative("kl_divergence_grad", "a loop over the elements", """
def kl_divergence_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    g = np.zeros_like(p)
    for idx in np.ndindex(p.shape):
        if eps <= p[idx] <= 1.0:
            g[idx] = -min(max(y_true[idx], eps), 1.0) / p[idx] / p.shape[0]
    return g
"""),
    Alternative("poisson", "the two means separately", """
def poisson(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return float(np.mean(p) - np.mean(y_true * np.log(p + eps)))
"""),
    Alternative("poisson_grad", "1/n - y / ((p + eps) n)", """
def poisson_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return 1.0 / p.size - y_true / (p + eps) / p.size
"""),
    Alternative("msle", "np.log(1 + x) instead of log1p", """
def msle(y_true, y_pred, eps=1e-7):
    d = np.log(1.0 + np.maximum(y_pred, eps)) - np.log(1.0 + np.maximum(y_true, eps))
    return float(np.mean(d ** 2))
"""),
    Alternative("msle_grad", "the mask as a float factor", """
def msle_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    pm = np.maximum(p, eps)
    d = np.log1p(pm) - np.log1p(np.maximum(y_true, eps))
    return (p >= eps) * 2.0 * d / (1.0 + pm) / p.size
"""),
    Alternative("hinge", "np.clip(1 - y s, 0, None)", """
def hinge(y_true, scores):
    return float(np.mean(np.clip(1.0 - y_true * np.asarray(scores, dtype=np.float64), 0.0, None)))
"""),
    Alternative("hinge_grad", "-y where y s < 1", """
def hinge_grad(y_true, scores):
    s = np.asarray(scores, dtype=np.float64)
    return -np.asarray(y_true, dtype=np.float64) * (y_true * s < 1) / s.size
"""),
]

"""Mutants and valid alternatives of lab03_losses (see nngrade/mutants.py).

A mutant is a patch of the solution's own definition (`replace(old, new)`), so that its mistake
is the only difference; a row that is a different way of writing the function (PyTorch's log
clamp, Keras's gradient, masks) and every alternative is a complete `def`, which may call the
solution's other functions and helpers (`sigmoid`, `softmax`, `categorical_crossentropy`, ...).
`expect` is a phrase the feedback must contain: a `likely` row of
nngrade/labs/lab03_losses/checks.py, or a generic one of nngrade.mistakes.
"""
from nngrade import mistakes as M
from nngrade.labs.lab03_losses.checks import CLIP_GRAD, NOT_CLIPPED, RENORM
from nngrade.mutants import Alternative, Mutant, replace

LAST_AXIS_TOO_LARGE = f"{M.LAST_AXIS} {M.TOO_LARGE}"    # a sum over the outputs, a mean over the batch
BATCH_TOO_LARGE = f"{M.BATCH} {M.TOO_LARGE}"            # a sum over the batch
LOGITS = "gradient with respect to the logits"
KL_CLIP_GRAD = "where p was clipped the gradient is 0 (clip stops it outside [eps, 1])"

ERROR = "np.asarray(y_pred, dtype=np.float64) - np.asarray(y_true, dtype=np.float64)"     # e = p - y
ERROR_SWAPPED = "np.asarray(y_true, dtype=np.float64) - np.asarray(y_pred, dtype=np.float64)"
BCE_LOGITS_RETURN = "return float(np.mean(np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))))"


def unclipped(arg, high="1.0 - eps"):
    """The patch that drops the solution's clip of `arg` to [eps, high]."""
    return replace(f"np.clip(np.asarray({arg}, dtype=np.float64), eps, {high})", f"np.asarray({arg}, dtype=np.float64)")


MUTANTS = [
    # ---- mse ------------------------------------------------------------------------------
    Mutant("mse", "sum instead of mean", replace("np.mean(e * e)", "np.sum(e * e)"), expect=M.TOO_LARGE),
    Mutant("mse", "divides by the batch size only (sums the outputs)",
           replace("np.mean(e * e)", "np.sum(e * e) / e.shape[0]"), expect=LAST_AXIS_TOO_LARGE),
    Mutant("mse", "root of the mean (RMSE)", replace("float(np.mean(e * e))", "float(np.sqrt(np.mean(e * e)))")),
    Mutant("mse", "returns a one-element array", replace("float(np.mean(e * e))", "np.array([np.mean(e * e)])"),
           expect=M.ONE_ELEMENT),

    # ---- mse_grad -------------------------------------------------------------------------
    Mutant("mse_grad", "forgets the 2", replace("2.0 * e", "e"), expect=M.HALF),
    Mutant("mse_grad", "y_true - y_pred", replace(ERROR, ERROR_SWAPPED), expect=M.SIGN),
    Mutant("mse_grad", "divides by the batch size, not the number of elements", replace("/ e.size", "/ e.shape[0]"),
           expect=LAST_AXIS_TOO_LARGE),
    Mutant("mse_grad", "no division at all", replace(" / e.size", ""), expect=M.TOO_LARGE),
    Mutant("mse_grad", "subtracts in place from y_pred (np.asarray does not copy a float64 array)",
           replace("np.float64) - np.asarray(y_true", "np.float64)\n    e -= np.asarray(y_true"), expect=M.IN_PLACE),

    # ---- mae ------------------------------------------------------------------------------
    Mutant("mae", "no absolute value", replace("np.abs(e)", "e")),
    Mutant("mae", "sum instead of mean", replace("np.mean(", "np.sum("), expect=M.TOO_LARGE),
    Mutant("mae", "squared error", replace("np.abs(e)", "e ** 2")),

    # ---- mae_grad -------------------------------------------------------------------------
    Mutant("mae_grad", "sign(0) taken as +1", replace("np.sign(e)", "np.where(e >= 0, 1.0, -1.0)"),
           expect="np.sign(0) = 0"),
    Mutant("mae_grad", "sign of y_true - y_pred", replace(ERROR, ERROR_SWAPPED), expect=M.SIGN),
    Mutant("mae_grad", "the error instead of its sign", replace("np.sign(e)", "e")),
    Mutant("mae_grad", "no division", replace(" / e.size", ""), expect=M.TOO_LARGE),

    # ---- huber ----------------------------------------------------------------------------
    Mutant("huber", "the notes' e^2 without 0.5", replace("0.5 * e * e", "e * e"), expect="the notes' quadratic part"),
    Mutant("huber", "linear part delta |e|", replace("delta * (a - 0.5 * delta)", "delta * a"),
           expect="the - 0.5 delta^2 is missing"),
    Mutant("huber", "ignores delta (always 1)", replace("    a = np.abs(e)\n", "    a = np.abs(e)\n    delta = 1.0\n")),
    Mutant("huber", "sum instead of mean", replace("np.mean(", "np.sum("), expect=M.TOO_LARGE),

    # ---- huber_grad -----------------------------------------------------------------------
    Mutant("huber_grad", "derivative of the notes' e^2",
           replace("np.clip(e, -delta, delta)", "np.where(np.abs(e) <= delta, 2 * e, delta * np.sign(e))"),
           expect="the notes' e^2"),
    Mutant("huber_grad", "no clipping (mse/2's gradient)", replace("np.clip(e, -delta, delta)", "e"),
           expect="that is mse's"),
    Mutant("huber_grad", "sign flipped (y_true - y_pred)", replace(ERROR, ERROR_SWAPPED), expect=M.SIGN),
    Mutant("huber_grad", "ignores delta", replace("np.clip(e, -delta, delta)", "np.clip(e, -1.0, 1.0)")),
    Mutant("huber_grad", "no division", replace(" / e.size", ""), expect=M.TOO_LARGE),

    # ---- binary_crossentropy --------------------------------------------------------------
    Mutant("binary_crossentropy", "no clipping", unclipped("y_pred"), expect=M.UNSTABLE, also=(NOT_CLIPPED,)),
    # a different guard for the logs (PyTorch's clamp), not an edit of the clip
    Mutant("binary_crossentropy", "PyTorch's log clamp at -100", """
def binary_crossentropy(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    with np.errstate(divide="ignore"):
        a, b = np.maximum(np.log(p), -100.0), np.maximum(np.log(1 - p), -100.0)
    return float(-np.mean(y_true * a + (1 - y_true) * b))
""", expect=NOT_CLIPPED),
    Mutant("binary_crossentropy", "eps inside the logs",
           unclipped("y_pred") + replace("np.log(pc)", "np.log(pc + eps)")
           + replace("np.log(1.0 - pc)", "np.log(1.0 - pc + eps)"),
           expect="added eps inside the logs"),
    Mutant("binary_crossentropy", "ignores the eps argument", replace("eps, 1.0 - eps)", "1e-7, 1.0 - 1e-7)")),
    Mutant("binary_crossentropy", "sums the outputs, means over the batch",
           replace("-np.mean(", "-np.sum(") + replace("np.log(1.0 - pc)))", "np.log(1.0 - pc)) / pc.shape[0])"),
           expect=LAST_AXIS_TOO_LARGE),

    # ---- binary_crossentropy_grad ---------------------------------------------------------
    Mutant("binary_crossentropy_grad", "gradient kept where p was clipped",
           replace("np.where(inside, -(y / pc - (1.0 - y) / (1.0 - pc)), 0.0)", "-(y / pc - (1.0 - y) / (1.0 - pc))"),
           expect=CLIP_GRAD),
    Mutant("binary_crossentropy_grad", "(p - y) / n, the logits' gradient",
           replace("np.where(inside, -(y / pc - (1.0 - y) / (1.0 - pc)), 0.0)", "(p - y)"), expect=LOGITS),
    Mutant("binary_crossentropy_grad", "sign flipped", replace("-(y / pc", "(y / pc"), expect=M.SIGN),
    Mutant("binary_crossentropy_grad", "divides by the unclipped p",
           replace("(y / pc - (1.0 - y) / (1.0 - pc))", "(y / p - (1.0 - y) / (1.0 - p))"), expect=M.UNSTABLE),
    Mutant("binary_crossentropy_grad", "strict inequalities: no gradient at p = eps",
           replace("(p >= eps) & (p <= 1.0 - eps)", "(p > eps) & (p < 1.0 - eps)")),

    # ---- binary_crossentropy_from_logits --------------------------------------------------
    Mutant("binary_crossentropy_from_logits", "log of a naive sigmoid",
           replace(BCE_LOGITS_RETURN, "s = 1.0 / (1.0 + np.exp(-z))\n"
                                      "    return float(-np.mean(y * np.log(s) + (1.0 - y) * np.log(1.0 - s)))"),
           expect=M.UNSTABLE),
    Mutant("binary_crossentropy_from_logits", "clipped sigmoid: binary_crossentropy(y, sigmoid(z))",
           replace(BCE_LOGITS_RETURN, "return binary_crossentropy(y, sigmoid(z))"), expect="you clipped sigmoid(z)"),
    Mutant("binary_crossentropy_from_logits", "log1p(exp(-z)) without |z|",
           replace("np.exp(-np.abs(z))", "np.exp(-z)")),
    Mutant("binary_crossentropy_from_logits", "sum instead of mean", replace("np.mean(", "np.sum("),
           expect=M.TOO_LARGE),

    # ---- binary_crossentropy_from_logits_grad ---------------------------------------------
    Mutant("binary_crossentropy_from_logits_grad", "an extra sigmoid' factor",
           replace("(sigmoid(z) - y)", "(sigmoid(z) - y) * sigmoid(z) * (1.0 - sigmoid(z))"),
           expect="the sigmoid's derivative cancels"),
    Mutant("binary_crossentropy_from_logits_grad", "no division", replace(" / z.size", ""), expect=M.TOO_LARGE),
    Mutant("binary_crossentropy_from_logits_grad", "y - sigmoid(z)", replace("(sigmoid(z) - y)", "(y - sigmoid(z))"),
           expect=M.SIGN),
    Mutant("binary_crossentropy_from_logits_grad", "naive sigmoid",
           replace("sigmoid(z)", "1.0 / (1.0 + np.exp(-z))"), expect=M.UNSTABLE),

    # ---- categorical_crossentropy ---------------------------------------------------------
    Mutant("categorical_crossentropy", "renormalises the rows (Keras)",
           replace("    pc = np.clip(np.asarray(y_pred, dtype=np.float64), eps",
                   "    p = np.asarray(y_pred, dtype=np.float64)\n"
                   "    pc = np.clip(p / p.sum(axis=-1, keepdims=True), eps"),
           expect=RENORM),
    Mutant("categorical_crossentropy", "mean over all elements",
           replace("np.mean(np.sum(y * np.log(pc), axis=-1))", "np.mean(y * np.log(pc))"), expect=M.TOO_SMALL),
    Mutant("categorical_crossentropy", "no clipping", unclipped("y_pred"), expect=M.UNSTABLE),
    Mutant("categorical_crossentropy", "sum over the batch",
           replace("np.mean(np.sum(y * np.log(pc), axis=-1))", "np.sum(y * np.log(pc))"), expect=BATCH_TOO_LARGE),

    # ---- categorical_crossentropy_grad ----------------------------------------------------
    # Keras's own gradient through the renormalisation: a different computation
    Mutant("categorical_crossentropy_grad", "Keras's gradient (renormalised rows)", """
def categorical_crossentropy_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    s = p.sum(axis=-1, keepdims=True)
    q = p / s
    inside = (q >= eps) & (q <= 1 - eps)
    gq = np.where(inside, -y_true / np.clip(q, eps, 1 - eps), 0.0)
    return (gq - np.sum(gq * q, axis=-1, keepdims=True)) / s / p.shape[0]
""", expect=RENORM),
    Mutant("categorical_crossentropy_grad", "renormalises, then differentiates in q = p / p.sum(axis=-1)",
           replace("    p = np.asarray(y_pred, dtype=np.float64)\n",
                   "    p = np.asarray(y_pred, dtype=np.float64)\n    p = p / p.sum(axis=-1, keepdims=True)\n")),
    Mutant("categorical_crossentropy_grad", "gradient kept where p was clipped",
           replace("np.where(inside, -y / pc, 0.0)", "-y / pc"), expect=CLIP_GRAD),
    Mutant("categorical_crossentropy_grad", "divides by all elements", replace("/ n_rows", "/ p.size"),
           expect=M.TOO_SMALL),
    Mutant("categorical_crossentropy_grad", "(p - y) / N, the logits' gradient",
           replace("np.where(inside, -y / pc, 0.0)", "(p - y)"), expect=LOGITS),

    # ---- sparse_categorical_crossentropy --------------------------------------------------
    Mutant("sparse_categorical_crossentropy", "p[:, y] instead of p[range(N), y]",
           replace("p[np.arange(idx.size), idx]", "p[:, idx]"), expect="picks an N x N block"),
    Mutant("sparse_categorical_crossentropy", "no clipping",
           replace("np.clip(p[np.arange(idx.size), idx], eps, 1.0 - eps)", "p[np.arange(idx.size), idx]"),
           expect=M.UNSTABLE),
    Mutant("sparse_categorical_crossentropy", "sum over the batch", replace("np.mean(", "np.sum("),
           expect=BATCH_TOO_LARGE),
    Mutant("sparse_categorical_crossentropy", "renormalises the rows",
           replace("    pc = np.clip(", "    p = p / p.sum(axis=1, keepdims=True)\n    pc = np.clip("), expect=RENORM),

    # ---- sparse_categorical_crossentropy_grad ---------------------------------------------
    # the logits' formula on the whole array, where the solution scatters into zeros
    Mutant("sparse_categorical_crossentropy_grad", "(p - one_hot) / N, the logits' gradient", """
def sparse_categorical_crossentropy_grad(y_true, y_pred, eps=1e-7):
    p = np.asarray(y_pred, dtype=np.float64)
    return (p - np.eye(p.shape[1])[y_true]) / p.shape[0]
""", expect=LOGITS),
    Mutant("sparse_categorical_crossentropy_grad", "-1 / p everywhere, not only at the labels",
           replace("picked = p[rows, idx]", "picked = p") + replace("g[rows, idx] = ", "g = ")),
    Mutant("sparse_categorical_crossentropy_grad", "gradient kept where p was clipped",
           replace("np.where(inside, -1.0 / np.clip(picked, eps, 1.0 - eps), 0.0)",
                   "-1.0 / np.clip(picked, eps, 1.0 - eps)"), expect=CLIP_GRAD),
    Mutant("sparse_categorical_crossentropy_grad", "sign flipped", replace("-1.0 / np.clip", "1.0 / np.clip"),
           expect=M.SIGN),

    # ---- softmax_crossentropy_from_logits -------------------------------------------------
    Mutant("softmax_crossentropy_from_logits", "no max subtraction",
           replace("shifted = z - np.max(z, axis=-1, keepdims=True)", "shifted = z"), expect=M.UNSTABLE),
    Mutant("softmax_crossentropy_from_logits", "through clipped probabilities: log(clip(softmax(z)))",
           replace("log_softmax = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))",
                   "log_softmax = np.log(np.clip(softmax(z), 1e-7, 1.0 - 1e-7))"),
           expect="you clipped softmax(z)"),
    Mutant("softmax_crossentropy_from_logits", "mean over all elements",
           replace("np.mean(np.sum(y * log_softmax, axis=-1))", "np.mean(y * log_softmax)"), expect=M.TOO_SMALL),
    Mutant("softmax_crossentropy_from_logits", "sum over the batch",
           replace("np.mean(np.sum(y * log_softmax, axis=-1))", "np.sum(y * log_softmax)"), expect=BATCH_TOO_LARGE),

    # ---- softmax_crossentropy_from_logits_grad --------------------------------------------
    Mutant("softmax_crossentropy_from_logits_grad", "no division by N", replace(" / (z.size // z.shape[-1])", ""),
           expect=BATCH_TOO_LARGE),
    Mutant("softmax_crossentropy_from_logits_grad", "divides by all elements",
           replace("(z.size // z.shape[-1])", "z.size"), expect=M.TOO_SMALL),
    Mutant("softmax_crossentropy_from_logits_grad", "y - softmax", replace("(softmax(z) - y)", "(y - softmax(z))"),
           expect=M.SIGN),
    Mutant("softmax_crossentropy_from_logits_grad", "the diagonal of the Jacobian only",
           replace("(softmax(z) - y)", "-y * (1.0 - softmax(z))"), expect="diagonal s (1 - s)"),
    Mutant("softmax_crossentropy_from_logits_grad", "softmax without max subtraction",
           replace("softmax(z)", "np.exp(z) / np.sum(np.exp(z), axis=-1, keepdims=True)"), expect=M.UNSTABLE),

    # ---- kl_divergence --------------------------------------------------------------------
    Mutant("kl_divergence", "arguments swapped", replace("yc * np.log(yc / pc)", "pc * np.log(pc / yc)"),
           expect="you swapped the arguments"),
    # 0 log 0 = 0 by masks, where the solution clips
    Mutant("kl_divergence", "y_true not clipped (0 log 0 = 0)", """
def kl_divergence(y_true, y_pred, eps=1e-7):
    pc = np.clip(y_pred, eps, 1)
    safe = np.where(y_true > 0, y_true, 1.0)
    return float(np.mean(np.sum(np.where(y_true > 0, y_true * np.log(safe / pc), 0.0), axis=-1)))
""", expect="you did not clip y_true"),
    Mutant("kl_divergence", "mean over all elements",
           replace("np.mean(np.sum(yc * np.log(yc / pc), axis=-1))", "np.mean(yc * np.log(yc / pc))"),
           expect=M.TOO_SMALL),
    Mutant("kl_divergence", "no clipping at all", unclipped("y_true", "1.0") + unclipped("y_pred", "1.0"),
           expect=M.UNSTABLE),

    # ---- kl_divergence_grad ---------------------------------------------------------------
    Mutant("kl_divergence_grad", "gradient kept where p was clipped",
           replace("np.where(inside, -yc / pc, 0.0)", "-yc / pc"), expect=KL_CLIP_GRAD),
    Mutant("kl_divergence_grad", "gradient of the swapped KL, log(p / y) + 1",
           replace("np.where(inside, -yc / pc, 0.0)", "(np.log(pc / yc) + 1.0)"), expect="the arguments swapped"),
    Mutant("kl_divergence_grad", "divides by all elements", replace("(p.size // p.shape[-1])", "p.size"),
           expect=M.TOO_SMALL),
    Mutant("kl_divergence_grad", "sign flipped", replace("-yc / pc", "yc / pc"), expect=M.SIGN),

    # ---- poisson --------------------------------------------------------------------------
    Mutant("poisson", "log(p) without eps", replace("np.log(p + eps)", "np.log(p)"),
           expect="the log is log(p + eps)"),
    Mutant("poisson", "sums the outputs, means over the batch",
           replace("np.mean(p - y * np.log(p + eps))", "np.sum(p - y * np.log(p + eps)) / p.shape[0]"),
           expect=LAST_AXIS_TOO_LARGE),
    Mutant("poisson", "ignores the eps argument", replace("np.log(p + eps)", "np.log(p + 1e-7)")),
    Mutant("poisson", "y log p - p (the log-likelihood, not its negative)",
           replace("p - y * np.log(p + eps)", "y * np.log(p + eps) - p"), expect=M.SIGN),

    # ---- poisson_grad ---------------------------------------------------------------------
    Mutant("poisson_grad", "1 - y / p", replace("y / (p + eps)", "y / p"), expect="the eps stays in the denominator"),
    Mutant("poisson_grad", "sign flipped", replace("(1.0 - y / (p + eps))", "(y / (p + eps) - 1.0)"), expect=M.SIGN),
    Mutant("poisson_grad", "no division", replace(" / p.size", ""), expect=M.TOO_LARGE),
    Mutant("poisson_grad", "forgets the derivative of p", replace("(1.0 - y / (p + eps))", "(-y / (p + eps))")),

    # ---- msle -----------------------------------------------------------------------------
    Mutant("msle", "no max(., eps)",
           replace("np.log1p(np.maximum(p, eps)) - np.log1p(np.maximum(y, eps))", "np.log1p(p) - np.log1p(y)"),
           expect=M.UNSTABLE),
    Mutant("msle", "log instead of log(1 + .)", replace("np.log1p(", "np.log(", count=2)),
    Mutant("msle", "root of the mean (RMSLE)", replace("float(np.mean(d * d))", "float(np.sqrt(np.mean(d * d)))")),
    Mutant("msle", "sums the outputs, means over the batch", replace("np.mean(d * d)", "np.sum(d * d) / d.shape[0]"),
           expect=LAST_AXIS_TOO_LARGE),

    # ---- msle_grad ------------------------------------------------------------------------
    Mutant("msle_grad", "forgets the chain rule through log(1 + p)", replace("2.0 * d / (1.0 + pm)", "2.0 * d"),
           expect="the chain rule through log(1 + p)"),
    Mutant("msle_grad", "gradient kept below eps",
           replace("np.where(p >= eps, 2.0 * d / (1.0 + pm), 0.0)", "2.0 * d / (1.0 + pm)"),
           expect="max(p, eps) has derivative 0"),
    Mutant("msle_grad", "forgets the 2", replace("2.0 * d", "d"), expect=M.HALF),
    Mutant("msle_grad", "sign flipped",
           replace("d = np.log1p(pm) - np.log1p(np.maximum(y, eps))",
                   "d = np.log1p(np.maximum(y, eps)) - np.log1p(pm)"),
           expect=M.SIGN),

    # ---- hinge ----------------------------------------------------------------------------
    Mutant("hinge", "no max(0, .)", replace("np.maximum(0.0, 1.0 - y * s)", "1.0 - y * s"),
           expect="you forgot the max(0, .)"),
    Mutant("hinge", "sum instead of mean", replace("np.mean(", "np.sum("), expect=M.TOO_LARGE),
    Mutant("hinge", "no margin (perceptron loss)", replace("1.0 - y * s", "-y * s")),

    # ---- hinge_grad -----------------------------------------------------------------------
    Mutant("hinge_grad", ">= at the kink", replace("> 0", ">= 0"), expect="at the kink 1 - y s = 0 the gradient is 0"),
    Mutant("hinge_grad", "no division", replace(" / s.size", ""), expect=M.TOO_LARGE),
    Mutant("hinge_grad", "sign flipped", replace(", -y, 0.0)", ", y, 0.0)"), expect=M.SIGN),
    Mutant("hinge_grad", "-y s instead of -y", replace(", -y, 0.0)", ", -y * s, 0.0)")),
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

"""Mutants and valid alternatives of lab10_regularization (see nngrade/mutants.py).

A mutant is a patch of the solution's own definition (`replace(old, new)`), or a complete
definition where the mistake is a different way of writing it. The mistakes are the ones students
make with these pieces: dropout scaled wrongly or with p and 1 - p swapped, a mask from the global
generator or shared across the batch; batch norm with the unbiased variance, the running
statistics in training mode, Keras's momentum convention, no eps in the backward pass, the
statistics treated as constants; layer norm over the batch axis; early stopping off by one,
ignoring min_delta, or counting an equal loss as an improvement.
"""
from nngrade import mistakes as M
from nngrade.mutants import Alternative, Mutant, replace

MUTANTS = [
    # --- dropout_mask -----------------------------------------------------------------------
    Mutant("dropout_mask", "p used as the keep probability",
           replace("rng.random(shape) >= p", "rng.random(shape) < p"), expect="p is the DROP probability"),
    Mutant("dropout_mask", "the global np.random instead of the rng",
           replace("rng.random(shape)", "np.random.random(shape)"), expect="a global generator the grader cannot seed"),
    Mutant("dropout_mask", "a generator seeded inside the function",
           replace("rng.random(shape)", "np.random.default_rng(0).random(shape)"), expect="different seeds"),
    Mutant("dropout_mask", "one mask drawn for a row and shared by the whole batch",
           replace("rng.random(shape) >= p", "np.broadcast_to(rng.random(shape[-1:]) >= p, shape)"),
           expect="neighbours along the first axis"),
    Mutant("dropout_mask", "the mask already scaled by 1 / (1 - p)",
           replace(".astype(np.float64)", ".astype(np.float64) / (1.0 - p)"),
           expect="the scaling by 1 / (1 - p) belongs to dropout_forward"),
    Mutant("dropout_mask", "a boolean mask", replace(".astype(np.float64)", ""), expect="dtype bool"),

    # --- dropout_forward --------------------------------------------------------------------
    Mutant("dropout_forward", "not scaled by 1 / (1 - p)",
           replace("return X * mask / (1.0 - p)", "return X * mask"), expect="not scaled by 1 / (1 - p)"),
    Mutant("dropout_forward", "scaled by 1 / p", replace("X * mask / (1.0 - p)", "X * mask / p"),
           expect="you scaled by 1 / p"),
    Mutant("dropout_forward", "multiplied by 1 - p", replace("X * mask / (1.0 - p)", "X * mask * (1.0 - p)"),
           expect="you multiplied by 1 - p"),
    Mutant("dropout_forward", "p = 1 not handled: 0 / 0",
           replace("    if p == 1:\n        return np.zeros_like(X)\n", ""), expect=M.UNSTABLE),
    Mutant("dropout_forward", "the mask's zeros kept and its ones dropped",
           replace("X * mask / (1.0 - p)", "X * (1.0 - mask) / (1.0 - p)")),
    Mutant("dropout_forward", "masks X in place", replace("return X * mask / (1.0 - p)", "X *= mask / (1.0 - p)\n    return X"),
           expect=M.IN_PLACE),

    # --- dropout_backward -------------------------------------------------------------------
    Mutant("dropout_backward", "not scaled by 1 / (1 - p)",
           replace("return dOut * mask / (1.0 - p)", "return dOut * mask"), expect="not scaled by 1 / (1 - p)"),
    Mutant("dropout_backward", "scaled by 1 / p", replace("dOut * mask / (1.0 - p)", "dOut * mask / p"),
           expect="you scaled by 1 / p"),
    Mutant("dropout_backward", "the mask forgotten: dOut / (1 - p)",
           replace("dOut * mask / (1.0 - p)", "dOut / (1.0 - p)")),
    Mutant("dropout_backward", "p = 1 not handled: 0 / 0",
           replace("    if p == 1:\n        return np.zeros_like(dOut)\n", ""), expect=M.UNSTABLE),

    # --- batchnorm_forward ------------------------------------------------------------------
    Mutant("batchnorm_forward", "normalised with the unbiased variance",
           replace("var = X.var(axis=0)  ", "var = X.var(axis=0, ddof=1)  ")
           + replace("var * n / (n - 1)", "var"), expect="normalised with the unbiased variance"),
    Mutant("batchnorm_forward", "the running statistics used in training mode",
           replace("out = gamma * (X - mean) / np.sqrt(var + eps) + beta",
                   "out = gamma * (X - running_mean) / np.sqrt(running_var + eps) + beta"),
           expect="training mode normalised with the running statistics"),
    Mutant("batchnorm_forward", "Keras's momentum convention (weight of the old statistic)",
           replace("new_mean = (1 - momentum) * running_mean + momentum * mean",
                   "new_mean = momentum * running_mean + (1 - momentum) * mean")
           + replace("new_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)",
                     "new_var = momentum * running_var + (1 - momentum) * var * n / (n - 1)"),
           expect="momentum weighs the OLD running statistic"),
    Mutant("batchnorm_forward", "the running variance updated with the biased variance (Keras's way)",
           replace("var * n / (n - 1)", "var"), expect="updated with the biased batch variance"),
    Mutant("batchnorm_forward", "eps forgotten", replace("np.sqrt(var + eps)", "np.sqrt(var)"), expect=M.UNSTABLE),
    Mutant("batchnorm_forward", "eps outside the square root", replace("np.sqrt(var + eps)", "(np.sqrt(var) + eps)")),
    Mutant("batchnorm_forward", "eval mode normalises with the batch statistics",
           replace("mean, var = running_mean, running_var", "mean, var = X.mean(axis=0), X.var(axis=0)"),
           expect="with training=False normalise with the running statistics"),
    Mutant("batchnorm_forward", "the running mean updated in place",
           replace("new_mean = (1 - momentum) * running_mean + momentum * mean",
                   "running_mean *= 1 - momentum\n        running_mean += momentum * mean\n        new_mean = running_mean"),
           expect=M.IN_PLACE),
    Mutant("batchnorm_forward", "a cache of (x_hat, gamma, inv_std) instead of the contract's",
           replace("return out, new_mean, new_var, (X, gamma, eps)",
                   "return out, new_mean, new_var, ((X - mean) / np.sqrt(var + eps), gamma, 1 / np.sqrt(var + eps))")),

    # --- batchnorm_backward -----------------------------------------------------------------
    Mutant("batchnorm_backward", "eps forgotten in the backward pass",
           replace("np.sqrt(X.var(axis=0) + eps)", "np.sqrt(X.var(axis=0))"), expect="eps is missing from the backward"),
    Mutant("batchnorm_backward", "the statistics treated as constants",
           replace("dX = inv_std / n * (n * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))",
                   "dX = dx_hat * inv_std"), expect="treats the batch mean and variance as constants"),
    Mutant("batchnorm_backward", "dgamma = sum(dOut)", replace("dgamma = (dOut * x_hat).sum(axis=0)",
                                                             "dgamma = dOut.sum(axis=0)"),
           expect="this is sum(dOut), dbeta"),
    Mutant("batchnorm_backward", "the mean path forgotten",
           replace("n * dx_hat - dx_hat.sum(axis=0) - x_hat", "n * dx_hat - x_hat")),
    Mutant("batchnorm_backward", "the unbiased variance in the backward pass",
           replace("np.sqrt(X.var(axis=0) + eps)", "np.sqrt(X.var(axis=0, ddof=1) + eps)")),
    Mutant("batchnorm_backward", "dbeta as a mean", replace("dbeta = dOut.sum(axis=0)", "dbeta = dOut.mean(axis=0)"),
           expect=M.BATCH),

    # --- layernorm_forward ------------------------------------------------------------------
    Mutant("layernorm_forward", "normalised over the batch axis",
           replace("mean = X.mean(axis=-1, keepdims=True)", "mean = X.mean(axis=0, keepdims=True)")
           + replace("var = X.var(axis=-1, keepdims=True)", "var = X.var(axis=0, keepdims=True)"),
           expect="normalised over the batch axis"),
    Mutant("layernorm_forward", "the unbiased variance",
           replace("var = X.var(axis=-1, keepdims=True)", "var = X.var(axis=-1, keepdims=True, ddof=1)")),
    Mutant("layernorm_forward", "eps outside the square root",
           replace("np.sqrt(var + eps)", "(np.sqrt(var) + eps)")),
    Mutant("layernorm_forward", "eps forgotten", replace("np.sqrt(var + eps)", "np.sqrt(var)"), expect=M.UNSTABLE),
    Mutant("layernorm_forward", "gamma and beta swapped",
           replace("out = gamma * (X - mean) / np.sqrt(var + eps) + beta",
                   "out = beta * (X - mean) / np.sqrt(var + eps) + gamma")),

    # --- layernorm_backward -----------------------------------------------------------------
    Mutant("layernorm_backward", "eps forgotten in the backward pass",
           replace("np.sqrt(X.var(axis=-1, keepdims=True) + eps)", "np.sqrt(X.var(axis=-1, keepdims=True))"),
           expect="eps is missing from the backward"),
    Mutant("layernorm_backward", "dgamma summed over the first axis only",
           replace("lead = tuple(range(X.ndim - 1))", "lead = 0")),
    Mutant("layernorm_backward", "the statistics treated as constants",
           replace("dX = inv_std / d * (d * dx_hat - dx_hat.sum(axis=-1, keepdims=True)\n"
                   "                        - x_hat * (dx_hat * x_hat).sum(axis=-1, keepdims=True))",
                   "dX = dx_hat * inv_std"), expect="treats the row's mean and variance as constants"),
    Mutant("layernorm_backward", "dgamma = sum(dOut)", replace("dgamma = (dOut * x_hat).sum(axis=lead)",
                                                             "dgamma = dOut.sum(axis=lead)"),
           expect="this is sum(dOut), dbeta"),

    # --- early_stopping ---------------------------------------------------------------------
    Mutant("early_stopping", "stops one epoch late (wait > patience)",
           replace("elif wait >= patience:", "elif wait > patience:"), expect="stopped one epoch late"),
    Mutant("early_stopping", "min_delta ignored",
           replace("loss + abs(min_delta) < best", "loss < best"), expect="min_delta is ignored"),
    Mutant("early_stopping", "an equal loss counts as an improvement",
           replace("loss + abs(min_delta) < best", "loss + abs(min_delta) <= best"),
           expect="an equal loss counted as an improvement"),
    Mutant("early_stopping", "epochs counted from 1",
           replace("return epoch, best_epoch", "return epoch + 1, best_epoch + 1")
           + replace("return len(val_losses) - 1, best_epoch", "return len(val_losses), best_epoch + 1"),
           expect="the epochs are counted from 1"),
    Mutant("early_stopping", "min_delta with the wrong sign (loss - min_delta < best)",
           replace("loss + abs(min_delta) < best", "loss - abs(min_delta) < best")),
    Mutant("early_stopping", "the best epoch is the smallest loss so far, not the last improvement",
           replace("return epoch, best_epoch", "return epoch, int(np.argmin(val_losses[:epoch + 1]))")
           + replace("return len(val_losses) - 1, best_epoch", "return len(val_losses) - 1, int(np.argmin(val_losses))"),
           expect="not the epoch of the smallest loss"),
    Mutant("early_stopping", "never stopping: the last epoch and its loss", """
def early_stopping(val_losses, patience, min_delta=0.0):
    return len(val_losses) - 1, int(np.argmin(val_losses))
"""),
]

ALTERNATIVES = [
    Alternative("dropout_mask", "rng.binomial(1, 1 - p)", replace("(rng.random(shape) >= p).astype(np.float64)",
                                                                  "rng.binomial(1, 1.0 - p, size=shape).astype(np.float64)")),
    Alternative("dropout_mask", "np.where on uniform draws",
                replace("(rng.random(shape) >= p).astype(np.float64)",
                        "np.where(rng.uniform(size=shape) < 1.0 - p, 1.0, 0.0)")),
    Alternative("dropout_forward", "np.where on the mask, X scaled first (Keras's order)", """
def dropout_forward(X, p, mask):
    X = np.asarray(X, dtype=np.float64)
    scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
    return np.where(np.asarray(mask) != 0, X * scale, 0.0)
"""),
    Alternative("dropout_backward", "the scale folded into the mask first", """
def dropout_backward(dOut, mask, p):
    scaled = np.zeros_like(np.asarray(mask, dtype=np.float64)) if p == 1 else np.asarray(mask, dtype=np.float64) / (1 - p)
    return np.asarray(dOut, dtype=np.float64) * scaled
"""),
    Alternative("batchnorm_forward", "the unbiased variance from np.var(ddof=1), and x_hat kept", """
def batchnorm_forward(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5, training=True):
    X = np.asarray(X, dtype=np.float64)
    if not training:
        x_hat = (X - running_mean) / np.sqrt(running_var + eps)
        return gamma * x_hat + beta, running_mean.copy(), running_var.copy(), (X, gamma, eps)
    mu = np.mean(X, axis=0)
    xc = X - mu
    var = np.mean(xc ** 2, axis=0)
    x_hat = xc / np.sqrt(var + eps)
    new_mean = running_mean + momentum * (mu - running_mean)
    new_var = running_var + momentum * (np.var(X, axis=0, ddof=1) - running_var)
    return gamma * x_hat + beta, new_mean, new_var, (X, gamma, eps)
"""),
    Alternative("batchnorm_backward", "the long way: through the variance and the mean (CS231n's graph)", """
def batchnorm_backward(dOut, cache):
    X, gamma, eps = cache
    n = X.shape[0]
    mu = X.mean(axis=0)
    xc = X - mu
    var = (xc ** 2).mean(axis=0)
    std = np.sqrt(var + eps)
    x_hat = xc / std
    dx_hat = dOut * gamma
    dvar = np.sum(dx_hat * xc, axis=0) * -0.5 * (var + eps) ** -1.5
    dmu = np.sum(-dx_hat / std, axis=0) + dvar * np.mean(-2.0 * xc, axis=0)
    dX = dx_hat / std + dvar * 2.0 * xc / n + dmu / n
    return dX, np.sum(dOut * x_hat, axis=0), np.sum(dOut, axis=0)
"""),
    Alternative("layernorm_forward", "a loop over the rows of X reshaped to (M, D)", """
def layernorm_forward(X, gamma, beta, eps=1e-5):
    X = np.asarray(X, dtype=np.float64)
    rows = X.reshape(-1, X.shape[-1])
    out = np.empty_like(rows)
    for i, r in enumerate(rows):
        out[i] = gamma * (r - r.mean()) / np.sqrt(((r - r.mean()) ** 2).mean() + eps) + beta
    return out.reshape(X.shape), (X, gamma, eps)
"""),
    Alternative("layernorm_backward", "rows flattened to (M, D), the long way through the variance", """
def layernorm_backward(dOut, cache):
    X, gamma, eps = cache
    d = X.shape[-1]
    x = X.reshape(-1, d)
    g = dOut.reshape(-1, d)
    xc = x - x.mean(axis=1, keepdims=True)
    var = (xc ** 2).mean(axis=1, keepdims=True)
    std = np.sqrt(var + eps)
    dx_hat = g * gamma
    dvar = np.sum(dx_hat * xc, axis=1, keepdims=True) * -0.5 * (var + eps) ** -1.5
    dmu = -np.sum(dx_hat / std, axis=1, keepdims=True) - 2.0 * dvar * xc.mean(axis=1, keepdims=True)
    dX = dx_hat / std + dvar * 2.0 * xc / d + dmu / d
    return dX.reshape(X.shape), np.sum(g * xc / std, axis=0), np.sum(g, axis=0)
"""),
    Alternative("early_stopping", "counting epochs since the best, as a while loop", """
def early_stopping(val_losses, patience, min_delta=0.0):
    best_epoch = 0
    epoch = 1
    while epoch < len(val_losses):
        if val_losses[epoch] < val_losses[best_epoch] - abs(min_delta):
            best_epoch = epoch
        elif epoch - best_epoch >= max(patience, 1):
            return epoch, best_epoch
        epoch += 1
    return len(val_losses) - 1, best_epoch
"""),
]

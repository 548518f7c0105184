"""Mutants and valid alternatives of lab04_gradient_descent (see nngrade/mutants.py).

A mutant is a patch of the solution's own definition (`replace(old, new)`), so that its mistake
is the only difference; a row that is a different way of writing the function (a double loop)
and every alternative is a complete `def`, which may call the solution's other functions (`f`,
`error`, `grad_w`, `grad_b`). `expect` is a phrase the feedback must contain: a `likely` row of
nngrade/labs/lab04_gradient_descent/checks.py, or a generic one of nngrade.mistakes.
"""
from nngrade import mistakes as M
from nngrade.mutants import Alternative, Mutant, replace

STABLE_F = "np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))"     # the solution's sigmoid in f
FX_GRAD = "(fx - y) * fx * (1.0 - fx)"                            # (f - y) f (1 - f), in grad_w and grad_b

MUTANTS = [
    # ---- f --------------------------------------------------------------------------------
    Mutant("f", "the notes' formula: overflows for w x + b = -1000", replace(STABLE_F, "1.0 / (1.0 + np.exp(-z))"),
           expect=M.UNSTABLE),
    Mutant("f", "exp(+z) in the stable form (the branches swapped): sigmoid(-z)",
           replace("1.0 / (1.0 + e), e / (1.0 + e)", "e / (1.0 + e), 1.0 / (1.0 + e)"), expect="1 - f"),
    Mutant("f", "forgets the bias", replace("np.float64) + b", "np.float64)"), expect="the bias is missing"),
    Mutant("f", "a 0-d array for a scalar x is fine, but a 1-element array is not",
           replace("return float(out) if np.ndim(x) == 0 else out", "return np.atleast_1d(out)"),
           expect=M.ONE_ELEMENT),
    Mutant("f", "tanh instead of the logistic function", replace(STABLE_F, "np.tanh(z)")),

    # ---- error ----------------------------------------------------------------------------
    Mutant("error", "no 1/2", replace("float(0.5 * ", "float("), expect=M.TWICE),
    Mutant("error", "mean instead of sum", replace("np.sum(", "np.mean("), expect=M.TOO_SMALL),
    Mutant("error", "the slide's parentheses: only the first term halved",
           replace("0.5 * np.sum(residual ** 2)", "0.5 * residual[0] ** 2 + np.sum(residual[1:] ** 2)"),
           expect="you halved only the first point's squared error"),
    Mutant("error", "the notes' two points hard-coded",
           replace("np.asarray(X, dtype=np.float64)) - np.asarray(Y, dtype=np.float64)",
                   "np.array([0.5, 2.5])) - np.array([0.2, 0.9])")),
    Mutant("error", "squares the sum of the errors", replace("np.sum(residual ** 2)", "np.sum(residual) ** 2"),
           expect="square each point's error first"),
    Mutant("error", "returns a 1-element array",
           replace("return float(0.5 * np.sum(residual ** 2))", "return np.array([0.5 * np.sum(residual ** 2)])"),
           expect=M.ONE_ELEMENT),

    # ---- grad_w ---------------------------------------------------------------------------
    Mutant("grad_w", "forgets the factor x (returns grad_b)", replace(" * (1.0 - fx) * x)", " * (1.0 - fx))"),
           expect="this is grad_b"),
    Mutant("grad_w", "forgets the sigmoid's derivative", replace(FX_GRAD, "(fx - y)"),
           expect="the sigmoid's derivative f (1 - f) is missing"),
    Mutant("grad_w", "(y - f) instead of (f - y)", replace("(fx - y)", "(y - fx)"), expect=M.SIGN),
    Mutant("grad_w", "keeps the 2 of the square rule", replace("float((fx - y)", "float(2 * (fx - y)"),
           expect=M.TWICE),
    Mutant("grad_w", "sigma'(z) applied to z itself: z (1 - z)",
           replace("    fx = f(w, b, x)\n", "    fx = f(w, b, x)\n    z = w * x + b\n")
           + replace("fx * (1.0 - fx)", "z * (1.0 - z)")),

    # ---- grad_b ---------------------------------------------------------------------------
    Mutant("grad_b", "multiplies by x (returns grad_w)", replace(" * (1.0 - fx))", " * (1.0 - fx) * x)"),
           expect="that is grad_w"),
    Mutant("grad_b", "forgets the sigmoid's derivative", replace(FX_GRAD, "(fx - y)"),
           expect="the sigmoid's derivative f (1 - f) is missing"),
    Mutant("grad_b", "(y - f) instead of (f - y)", replace("(fx - y)", "(y - fx)"), expect=M.SIGN),
    Mutant("grad_b", "halves it", replace("float((fx - y)", "float(0.5 * (fx - y)"), expect=M.HALF),

    # ---- gradient_descent -----------------------------------------------------------------
    Mutant("gradient_descent", "b's gradient computed after w moved",
           replace("        db = sum(grad_b(w, b, x, y) for x, y in zip(X, Y))\n"
                   "        w, b = w - eta * dw, b - eta * db\n",
                   "        w = w - eta * dw\n"
                   "        db = sum(grad_b(w, b, x, y) for x, y in zip(X, Y))\n"
                   "        b = b - eta * db\n"),
           expect="compute both gradients at the same"),
    Mutant("gradient_descent", "averages the gradients (the sums divided by N)",
           replace("w - eta * dw, b - eta * db", "w - eta * dw / len(X), b - eta * db / len(X)"),
           expect="you averaged the gradients"),
    Mutant("gradient_descent", "records the error before the step",
           replace("        dw = sum(", "        L = error(w, b, X, Y)\n        dw = sum(")
           + replace("history[t] = w, b, error(w, b, X, Y)", "history[t] = w, b, L"),
           expect="one epoch late"),
    Mutant("gradient_descent", "gradient ascent", replace("w - eta * dw, b - eta * db", "w + eta * dw, b + eta * db"),
           expect="the weights climb the error"),
    Mutant("gradient_descent", "no row for the start: shape (epochs, 3)",
           replace("return history", "return history[1:]"), expect="expected (4, 3)"),
    Mutant("gradient_descent", "only the notes' two points (ignores X, Y)",
           replace("    X = np.asarray(X, dtype=np.float64)\n    Y = np.asarray(Y, dtype=np.float64)\n",
                   "    X, Y = np.array([0.5, 2.5]), np.array([0.2, 0.9])\n")),
    Mutant("gradient_descent", "ignores w0 and b0 (always starts at -2)",
           replace("w, b = float(w0), float(b0)", "w, b = -2.0, -2.0")),

    # ---- error_surface --------------------------------------------------------------------
    Mutant("error_surface", "transposed: meshgrid(..., indexing=\"ij\") gives (len(ws), len(bs))",
           replace("np.asarray(bs, dtype=np.float64))", "np.asarray(bs, dtype=np.float64), indexing=\"ij\")"),
           expect=M.TRANSPOSE),
    Mutant("error_surface", "mean over the points", replace("np.sum(", "np.mean("), expect=M.TOO_SMALL),
    Mutant("error_surface", "w and b swapped in the meshgrid", replace("W, B = np.meshgrid", "B, W = np.meshgrid")),
    Mutant("error_surface", "sums over the wrong axis", replace("axis=-1", "axis=0"), expect="has shape"),
    Mutant("error_surface", "double loop indexed [w, b]: shape (len(ws), len(bs))", """
def error_surface(X, Y, ws, bs):
    out = np.zeros((len(ws), len(bs)))
    for i, w in enumerate(ws):
        for j, b in enumerate(bs):
            out[i, j] = error(w, b, X, Y)
    return out
""", expect="transpose"),
]

ALTERNATIVES = [
    Alternative("f", "scipy.special.expit, np.float64 for a scalar", """
from scipy.special import expit
def f(w, b, x):
    out = expit(w * np.asarray(x, dtype=float) + b)
    return out[()] if np.ndim(x) == 0 else out
"""),
    Alternative("f", "via tanh and a 0-d array for a scalar", """
def f(w, b, x):
    return 0.5 * (1.0 + np.tanh(0.5 * (w * np.asarray(x, dtype=float) + b)))
"""),
    Alternative("error", "the notes' loop over the points", """
def error(w, b, X, Y):
    err = 0.0
    for x, y in zip(X, Y):
        fx = f(w, b, x)
        err += 0.5 * (fx - y) ** 2
    return err
"""),
    Alternative("grad_w", "grad_b times x", """
def grad_w(w, b, x, y):
    return grad_b(w, b, x, y) * x
"""),
    Alternative("grad_b", "(f - y) f (1 - f) with f from the logistic formula for moderate z", """
def grad_b(w, b, x, y):
    fx = 0.5 * (1 + np.tanh(0.5 * (w * x + b)))
    return float(fx * (1 - fx) * (fx - y))
"""),
    Alternative("gradient_descent", "vectorised over the points, parameters as a vector theta", """
def gradient_descent(X, Y, w0=-2.0, b0=-2.0, eta=1.0, epochs=1000):
    X, Y = np.asarray(X, float), np.asarray(Y, float)
    theta = np.array([w0, b0], dtype=float)
    out = np.zeros((epochs + 1, 3))
    for t in range(epochs + 1):
        fx = f(theta[0], theta[1], X)
        out[t] = theta[0], theta[1], 0.5 * np.sum((fx - Y) ** 2)
        g = (fx - Y) * fx * (1 - fx)
        theta = theta - eta * np.array([g @ X, g.sum()])
    return out
"""),
    Alternative("error_surface", "a loop over the points, the grid broadcast", """
def error_surface(X, Y, ws, bs):
    Z = np.zeros((len(bs), len(ws)))
    for x, y in zip(X, Y):
        z = np.asarray(ws)[None, :] * x + np.asarray(bs)[:, None]
        Z += 0.5 * (f(1.0, 0.0, z) - y) ** 2
    return Z
"""),
    Alternative("error_surface", "a double loop over the grid calling error (slow, still correct)", """
def error_surface(X, Y, ws, bs):
    out = np.empty((len(bs), len(ws)))
    for i, b in enumerate(bs):
        for j, w in enumerate(ws):
            out[i, j] = error(w, b, X, Y)
    return out
"""),
]

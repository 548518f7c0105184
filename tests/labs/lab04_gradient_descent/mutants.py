"""Mutants and valid alternatives of lab04_gradient_descent (see nngrade/mutants.py).

Each source is a complete `def` appended to the solution notebook as a last cell; it may
call the solution's other functions (`f`, `error`, `grad_w`, `grad_b`). `expect` is a phrase
the feedback must contain: a `likely` row of nngrade/labs/lab04_gradient_descent/checks.py, a
generic diagnosis of nngrade/diagnose.py, or the engine's own message.
"""
from nngrade.mutants import Alternative, Mutant

UNSTABLE = "is not numerically stable"
SIGN = "opposite sign"
HALF = "half of the expected value"
TWICE = "exactly 2 times too large"
TOO_SMALL = "times too small"

MUTANTS = [
    # ---- f --------------------------------------------------------------------------------
    Mutant("f", "the notes' formula: overflows for w x + b = -1000", """
def f(w, b, x):
    return 1.0 / (1.0 + np.exp(-(w * x + b)))
""", expect=UNSTABLE),
    Mutant("f", "exp(+z): sigmoid(-z)", """
def f(w, b, x):
    z = -(w * np.asarray(x, dtype=float) + b)
    e = np.exp(-np.abs(z))
    out = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return float(out) if np.ndim(x) == 0 else out
""", expect="1 - f"),
    Mutant("f", "forgets the bias", """
def f(w, b, x):
    z = w * np.asarray(x, dtype=float)
    e = np.exp(-np.abs(z))
    out = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return float(out) if np.ndim(x) == 0 else out
""", expect="the bias is missing"),
    Mutant("f", "a 0-d array for a scalar x is fine, but a 1-element array is not", """
def f(w, b, x):
    z = np.atleast_1d(w * np.asarray(x, dtype=float) + b)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
""", expect="an array of one element"),
    Mutant("f", "tanh instead of the logistic function", """
def f(w, b, x):
    out = np.tanh(w * np.asarray(x, dtype=float) + b)
    return float(out) if np.ndim(x) == 0 else out
"""),

    # ---- error ----------------------------------------------------------------------------
    Mutant("error", "no 1/2", """
def error(w, b, X, Y):
    return float(np.sum((f(w, b, X) - Y) ** 2))
""", expect=TWICE),
    Mutant("error", "mean instead of sum", """
def error(w, b, X, Y):
    return float(0.5 * np.mean((f(w, b, X) - Y) ** 2))
""", expect=TOO_SMALL),
    Mutant("error", "the slide's parentheses: only the first term halved", """
def error(w, b, X, Y):
    e = f(w, b, X) - Y
    return float(0.5 * e[0] ** 2 + np.sum(e[1:] ** 2))
""", expect="you halved only the first point's squared error"),
    Mutant("error", "the notes' two points hard-coded", """
def error(w, b, X, Y):
    return float(0.5 * ((f(w, b, 0.5) - 0.2) ** 2 + (f(w, b, 2.5) - 0.9) ** 2))
"""),
    Mutant("error", "squares the sum of the errors", """
def error(w, b, X, Y):
    return float(0.5 * np.sum(f(w, b, X) - Y) ** 2)
""", expect="square each point's error first"),
    Mutant("error", "returns a 1-element array", """
def error(w, b, X, Y):
    return np.array([0.5 * np.sum((f(w, b, X) - Y) ** 2)])
""", expect="an array of one element"),

    # ---- grad_w ---------------------------------------------------------------------------
    Mutant("grad_w", "forgets the factor x (returns grad_b)", """
def grad_w(w, b, x, y):
    fx = f(w, b, x)
    return (fx - y) * fx * (1 - fx)
""", expect="this is grad_b"),
    Mutant("grad_w", "forgets the sigmoid's derivative", """
def grad_w(w, b, x, y):
    return (f(w, b, x) - y) * x
""", expect="the sigmoid's derivative f (1 - f) is missing"),
    Mutant("grad_w", "(y - f) instead of (f - y)", """
def grad_w(w, b, x, y):
    fx = f(w, b, x)
    return (y - fx) * fx * (1 - fx) * x
""", expect=SIGN),
    Mutant("grad_w", "keeps the 2 of the square rule", """
def grad_w(w, b, x, y):
    fx = f(w, b, x)
    return 2 * (fx - y) * fx * (1 - fx) * x
""", expect=TWICE),
    Mutant("grad_w", "sigma'(z) applied to z itself: z (1 - z)", """
def grad_w(w, b, x, y):
    z = w * x + b
    return (f(w, b, x) - y) * z * (1 - z) * x
"""),

    # ---- grad_b ---------------------------------------------------------------------------
    Mutant("grad_b", "multiplies by x (returns grad_w)", """
def grad_b(w, b, x, y):
    fx = f(w, b, x)
    return (fx - y) * fx * (1 - fx) * x
""", expect="that is grad_w"),
    Mutant("grad_b", "forgets the sigmoid's derivative", """
def grad_b(w, b, x, y):
    return f(w, b, x) - y
""", expect="the sigmoid's derivative f (1 - f) is missing"),
    Mutant("grad_b", "(y - f) instead of (f - y)", """
def grad_b(w, b, x, y):
    fx = f(w, b, x)
    return (y - fx) * fx * (1 - fx)
""", expect=SIGN),
    Mutant("grad_b", "halves it", """
def grad_b(w, b, x, y):
    fx = f(w, b, x)
    return 0.5 * (fx - y) * fx * (1 - fx)
""", expect=HALF),

    # ---- gradient_descent -----------------------------------------------------------------
    Mutant("gradient_descent", "b's gradient computed after w moved", """
def gradient_descent(X, Y, w0=-2.0, b0=-2.0, eta=1.0, epochs=1000):
    w, b = float(w0), float(b0)
    rows = [(w, b, error(w, b, X, Y))]
    for _ in range(epochs):
        w = w - eta * sum(grad_w(w, b, x, y) for x, y in zip(X, Y))
        b = b - eta * sum(grad_b(w, b, x, y) for x, y in zip(X, Y))
        rows.append((w, b, error(w, b, X, Y)))
    return np.array(rows)
""", expect="compute both gradients at the same"),
    Mutant("gradient_descent", "averages the gradients", """
def gradient_descent(X, Y, w0=-2.0, b0=-2.0, eta=1.0, epochs=1000):
    w, b = float(w0), float(b0)
    rows = [(w, b, error(w, b, X, Y))]
    for _ in range(epochs):
        dw = np.mean([grad_w(w, b, x, y) for x, y in zip(X, Y)])
        db = np.mean([grad_b(w, b, x, y) for x, y in zip(X, Y)])
        w, b = w - eta * dw, b - eta * db
        rows.append((w, b, error(w, b, X, Y)))
    return np.array(rows)
""", expect="you averaged the gradients"),
    Mutant("gradient_descent", "records the error before the step", """
def gradient_descent(X, Y, w0=-2.0, b0=-2.0, eta=1.0, epochs=1000):
    w, b = float(w0), float(b0)
    rows = [(w, b, error(w, b, X, Y))]
    for _ in range(epochs):
        L = error(w, b, X, Y)
        dw = sum(grad_w(w, b, x, y) for x, y in zip(X, Y))
        db = sum(grad_b(w, b, x, y) for x, y in zip(X, Y))
        w, b = w - eta * dw, b - eta * db
        rows.append((w, b, L))
    return np.array(rows)
""", expect="one epoch late"),
    Mutant("gradient_descent", "gradient ascent", """
def gradient_descent(X, Y, w0=-2.0, b0=-2.0, eta=1.0, epochs=1000):
    w, b = float(w0), float(b0)
    rows = [(w, b, error(w, b, X, Y))]
    for _ in range(epochs):
        dw = sum(grad_w(w, b, x, y) for x, y in zip(X, Y))
        db = sum(grad_b(w, b, x, y) for x, y in zip(X, Y))
        w, b = w + eta * dw, b + eta * db
        rows.append((w, b, error(w, b, X, Y)))
    return np.array(rows)
""", expect="the weights climb the error"),
    Mutant("gradient_descent", "no row for the start: shape (epochs, 3)", """
def gradient_descent(X, Y, w0=-2.0, b0=-2.0, eta=1.0, epochs=1000):
    w, b = float(w0), float(b0)
    rows = []
    for _ in range(epochs):
        dw = sum(grad_w(w, b, x, y) for x, y in zip(X, Y))
        db = sum(grad_b(w, b, x, y) for x, y in zip(X, Y))
        w, b = w - eta * dw, b - eta * db
        rows.append((w, b, error(w, b, X, Y)))
    return np.array(rows).reshape(-1, 3)
""", expect="expected (4, 3)"),
    Mutant("gradient_descent", "only the notes' two points (ignores X, Y)", """
def gradient_descent(X, Y, w0=-2.0, b0=-2.0, eta=1.0, epochs=1000):
    X, Y = np.array([0.5, 2.5]), np.array([0.2, 0.9])
    w, b = float(w0), float(b0)
    rows = [(w, b, error(w, b, X, Y))]
    for _ in range(epochs):
        dw = sum(grad_w(w, b, x, y) for x, y in zip(X, Y))
        db = sum(grad_b(w, b, x, y) for x, y in zip(X, Y))
        w, b = w - eta * dw, b - eta * db
        rows.append((w, b, error(w, b, X, Y)))
    return np.array(rows)
"""),
    Mutant("gradient_descent", "ignores w0 and b0 (always starts at -2)", """
def gradient_descent(X, Y, w0=-2.0, b0=-2.0, eta=1.0, epochs=1000):
    w, b = -2.0, -2.0
    rows = [(w, b, error(w, b, X, Y))]
    for _ in range(epochs):
        dw = sum(grad_w(w, b, x, y) for x, y in zip(X, Y))
        db = sum(grad_b(w, b, x, y) for x, y in zip(X, Y))
        w, b = w - eta * dw, b - eta * db
        rows.append((w, b, error(w, b, X, Y)))
    return np.array(rows)
"""),

    # ---- error_surface --------------------------------------------------------------------
    Mutant("error_surface", "transposed: (len(ws), len(bs))", """
def error_surface(X, Y, ws, bs):
    W, B = np.meshgrid(ws, bs, indexing="ij")
    return 0.5 * np.sum((f(W[..., None], B[..., None], X) - Y) ** 2, axis=-1)
""", expect="transpose"),
    Mutant("error_surface", "mean over the points", """
def error_surface(X, Y, ws, bs):
    W, B = np.meshgrid(ws, bs)
    return 0.5 * np.mean((f(W[..., None], B[..., None], X) - Y) ** 2, axis=-1)
""", expect=TOO_SMALL),
    Mutant("error_surface", "w and b swapped in the meshgrid", """
def error_surface(X, Y, ws, bs):
    B, W = np.meshgrid(ws, bs)
    return 0.5 * np.sum((f(W[..., None], B[..., None], X) - Y) ** 2, axis=-1)
"""),
    Mutant("error_surface", "sums over the wrong axis", """
def error_surface(X, Y, ws, bs):
    W, B = np.meshgrid(ws, bs)
    return 0.5 * np.sum((f(W[..., None], B[..., None], X) - Y) ** 2, axis=0)
""", expect="has shape"),
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

"""lab04_gradient_descent: one sigmoid neuron fitted to the notes' two points (0.5, 0.2)
and (2.5, 0.9) by gradient descent on L(w, b) = 1/2 sum_i (f(x_i) - y_i)^2.

PyTorch decides (`torch.sigmoid`, autograd, `torch.optim.SGD`); Keras (a Dense sigmoid
neuron, `MeanSquaredError(reduction="sum")`, `tf.GradientTape`, `keras.optimizers.SGD`) is
run on the same inputs and agrees to round-off everywhere. Learning rates are dyadic (1, 0.5,
0.25, 2), which Keras represents exactly whatever its float type.
"""
from __future__ import annotations

import numpy as np

from nngrade.cases import EXTREMES
from nngrade.registry import Case, Check, Likely
from reference.gradient_descent import Descent, Keras, Mistakes, Torch
from reference.losses import Torch as Losses

X_NOTES = np.array([0.5, 2.5])
Y_NOTES = np.array([0.2, 0.9])
# the notes' table of guesses: (w, b, printed L); 0.0214 is an erratum for 0.0217
NOTES_TABLE = [(0.50, 0.00, 0.0730), (-0.10, 0.00, 0.1481), (0.94, -0.94, 0.0217),
               (1.42, -1.73, 0.0028), (1.65, -2.08, 0.0003), (1.78, -2.27, 0.0000)]


# Every known mistake below is computed from the oracles (reference.gradient_descent): Torch's
# f, error, grad_w, grad_b and trajectories, transformed, or `Mistakes` (torch.optim replays).

# ------------------------------------------------------------------------------------- f

def _f_cases(rng, shapes):
    out = [Case((float(rng.normal(0, 2)), float(rng.normal(0, 2)), float(rng.normal(0, 2))), {}, "a scalar x")]
    for s in shapes:
        out.append(Case((float(rng.normal(0, 2)), float(rng.normal(0, 2)), rng.normal(0, 2, size=s))))
    return out


def _f_extremes(rng):
    return [Case((1.0, 0.0, EXTREMES.copy()), {}, "w x + b up to +-1e3"),
            Case((-3.0, 5.0, rng.uniform(-400, 400, size=(2, 4))), {}, "w x + b up to +-1.2e3"),
            Case((2.0, 0.0, -500.0), {}, "a scalar x with w x + b = -1000")]


F_LIKELY = (Likely("these are sigmoid(-(w x + b)) = 1 - f: the logistic function is 1 / (1 + exp(-(w x + b)))",
                   lambda w, b, x: Torch.f(-w, -b, x)),
            Likely("the bias is missing: f = sigmoid(w x + b)", lambda w, b, x: Torch.f(w, 0.0, x)))

# --------------------------------------------------------------------------------- error


def _random_points(rng, n):
    return rng.uniform(-3, 3, size=n), rng.uniform(0.05, 0.95, size=n)


def _error_types(rng):
    return [Case((0.5, 0.0, X_NOTES.copy(), Y_NOTES.copy()), {}, "the notes' two points"),
            Case((float(rng.normal()), float(rng.normal()), *_random_points(rng, 5)))]


def _error_notes(rng):
    return [Case((w, b, X_NOTES.copy(), Y_NOTES.copy()), {},
                 f"the notes' table: w = {w}, b = {b}, L printed as "
                 + ("0.0214 (an erratum: the value is 0.0217)" if (w, b) == (0.94, -0.94) else f"{L:.4f}"))
            for w, b, L in NOTES_TABLE]


def _error_sizes(rng):
    return [Case((float(rng.normal(0, 2)), float(rng.normal(0, 2)), *_random_points(rng, n)), {}, f"{n} point(s)")
            for n in (1, 7, 40)]


def _point_errors(w, b, X, Y):
    """Each point's error 0.5 (f(x_i) - y_i)^2, by the oracle on that point alone."""
    return np.array([Torch.error(w, b, X[i:i + 1], Y[i:i + 1]) for i in range(len(X))])


ERROR_LIKELY = (Likely("you halved only the first point's squared error (one slide writes it so): "
                       "L = 1/2 * (the sum of every point's squared error)",
                       lambda w, b, X, Y: float(np.sum(_point_errors(w, b, X, Y) * np.where(np.arange(len(X)), 2, 1)))),
                # lab03's mse oracle on one element: the summed predictions against the summed targets
                Likely("this is the sum of the errors squared, (sum e)^2 / 2: square each point's error first",
                       lambda w, b, X, Y: 0.5 * Losses.mse(np.array([np.sum(Y)]), np.array([np.sum(Torch.f(w, b, X))]))))

# ------------------------------------------------------------------------ grad_w, grad_b


def _grad_cases(rng, n=5):
    out = []
    for _ in range(n):
        out.append(Case((float(rng.normal(0, 1.5)), float(rng.normal(0, 1.5)), float(rng.uniform(-3, 3)),
                         float(rng.uniform(0.05, 0.95)))))
    return out


def _grad_notes(rng):
    return [Case((-2.0, -2.0, float(x), float(y)), {}, f"the notes' start w = b = -2 at the point ({x}, {y})")
            for x, y in zip(X_NOTES, Y_NOTES)]


GRAD_W_LIKELY = (
    Likely("this is grad_b: the chain rule through w x + b multiplies by x", Torch.grad_b),
    Likely("the sigmoid's derivative f (1 - f) is missing: (f - y) * f * (1 - f) * x",
           lambda w, b, x, y: float((Torch.f(w, b, x) - y) * x)),
)
GRAD_B_LIKELY = (
    Likely("you multiplied by x: that is grad_w; the derivative of w x + b in b is 1",
           lambda w, b, x, y: Torch.grad_b(w, b, x, y) * x),
    Likely("the sigmoid's derivative f (1 - f) is missing: (f - y) * f * (1 - f)",
           lambda w, b, x, y: float(Torch.f(w, b, x) - y)),
)

# ---------------------------------------------------------------------- gradient_descent


def _late_error(*args, **kwargs):
    """The oracle's trajectory with the error column one row late (row k shows row k - 1's error)."""
    rows = Torch.gradient_descent(*args, **kwargs)
    rows[1:, 2] = rows[:-1, 2].copy()
    return rows


def _gd_types(rng):
    return [Case((X_NOTES.copy(), Y_NOTES.copy()), {"epochs": 3}, "3 epochs: 4 rows"),
            Case((X_NOTES.copy(), Y_NOTES.copy()), {"epochs": 0}, "0 epochs: only the start")]


def _gd_notes(rng):
    return [Case((X_NOTES.copy(), Y_NOTES.copy()), {}, "the notes' run: w = b = -2, eta = 1, 1000 epochs "
                                                       "(the default arguments)")]


def _gd_random(rng):
    out = []
    for n, eta, epochs in [(3, 0.5, 40), (4, 2.0, 60), (5, 0.25, 80)]:
        X, Y = _random_points(rng, n)
        out.append(Case((X, Y), {"w0": float(np.round(rng.uniform(-3, 3), 2)), "b0": float(np.round(rng.uniform(-3, 3), 2)),
                                 "eta": eta, "epochs": epochs}))
    return out


def _gd_first_steps(rng):
    X, Y = _random_points(rng, 2)
    return [Case((X_NOTES.copy(), Y_NOTES.copy()), {"epochs": 1}, "one step from the notes' start"),
            Case((X, Y), {"w0": 1.0, "b0": 0.5, "eta": 0.5, "epochs": 2}, "two steps")]


GD_LIKELY = (
    Likely("b was updated with a gradient computed after w had moved: compute both gradients at the same "
           "(w, b), then update both", lambda *a, **k: Mistakes.gradient_descent(*a, **k, variant=Descent.B_AFTER_W)),
    Likely("you averaged the gradients over the points: the notes' error is a sum, so its gradient is the sum "
           "of the points' gradients", lambda *a, **k: Mistakes.gradient_descent(*a, **k, variant=Descent.MEAN)),
    Likely("each row's error must be the error at that row's (w, b): yours is one epoch late", _late_error),
    Likely("the weights climb the error: gradient descent subtracts eta * gradient",
           lambda *a, **k: Mistakes.gradient_descent(*a, **k, variant=Descent.ASCENT)),
)

# ------------------------------------------------------------------------- error_surface


def _grid(lo, hi, n):
    return np.linspace(lo, hi, n)


def _surface_types(rng):
    return [Case((X_NOTES.copy(), Y_NOTES.copy(), _grid(-6, 6, 5), _grid(-6, 6, 3)), {},
                 "5 values of w, 3 of b: shape (3, 5)"),
            Case((*_random_points(rng, 3), _grid(-1, 1, 2), _grid(-2, 2, 4)), {}, "2 values of w, 4 of b: shape (4, 2)")]


def _surface_notes(rng):
    nw, nb = int(rng.integers(20, 31)), int(rng.integers(10, 20))
    return [Case((X_NOTES.copy(), Y_NOTES.copy(), _grid(-6, 6, nw), _grid(-6, 6, nb)), {},
                 f"the notes' points, w and b over [-6, 6]: shape ({nb}, {nw})")]


def _surface_square(rng):
    X, Y = _random_points(rng, 4)
    return [Case((X, Y, np.sort(rng.uniform(-4, 4, size=6)), np.sort(rng.uniform(-4, 4, size=6))), {},
                 "a square grid: element [i, j] is at (ws[j], bs[i])")]


def _surface_large(rng):
    return [Case((X_NOTES.copy(), Y_NOTES.copy(), _grid(-6, 6, 400), _grid(-6, 6, 300)), {},
                 "a 300 x 400 grid: vectorised NumPy takes milliseconds, a double loop seconds")]


SURFACE_LIKELY = (
    Likely("element [i, j] belongs at (w = ws[j], b = bs[i]) (np.meshgrid's default 'xy' orientation): "
           "yours is transposed", lambda X, Y, ws, bs: Torch.error_surface(X, Y, ws, bs).T),
)


def _common(fn, likely=()):
    return dict(torch=getattr(Torch, fn), keras=getattr(Keras, fn), likely=tuple(likely))


CHECKS = [
    # f
    Check("f", "types and shapes (a float for a scalar x, x's shape for an array)", 1,
          lambda rng: _f_cases(rng, [(5,), (2, 3)]), structure_only=True, **_common("f", F_LIKELY)),
    Check("f", "typical values", 2, lambda rng: _f_cases(rng, [(7,), (3, 4), (2, 2, 3)]), **_common("f", F_LIKELY)),
    Check("f", "stable for w x + b up to +-1e3 (no overflow, NaN or warning)", 1, _f_extremes, stable=True,
          **_common("f", F_LIKELY)),
    # error
    Check("error", "types: a float", 1, _error_types, structure_only=True, **_common("error", ERROR_LIKELY)),
    Check("error", "the notes' table of (w, b, L) on (0.5, 0.2) and (2.5, 0.9)", 2, _error_notes,
          **_common("error", ERROR_LIKELY)),
    Check("error", "any number of points (1, 7, 40)", 1, _error_sizes, **_common("error", ERROR_LIKELY)),
    # grad_w, grad_b
    *[c for name, likely in (("grad_w", GRAD_W_LIKELY), ("grad_b", GRAD_B_LIKELY)) for c in (
        Check(name, "types: a float", 1, lambda rng: _grad_cases(rng, 2), structure_only=True,
              **_common(name, likely)),
        Check(name, "typical values (autograd on one point's error)", 2, _grad_cases, **_common(name, likely)),
        Check(name, "the notes' two points at the start w = b = -2", 1, _grad_notes, **_common(name, likely)),
    )],
    # gradient_descent
    Check("gradient_descent", "types and shapes: (epochs + 1, 3)", 1, _gd_types, structure_only=True,
          **_common("gradient_descent", GD_LIKELY)),
    Check("gradient_descent", "row 0 is the start; the first steps", 1, _gd_first_steps,
          **_common("gradient_descent", GD_LIKELY)),
    Check("gradient_descent", "the notes' run, epoch by epoch (torch.optim.SGD, keras.optimizers.SGD)", 2, _gd_notes,
          **_common("gradient_descent", GD_LIKELY)),
    Check("gradient_descent", "other points, starts and learning rates, epoch by epoch", 2, _gd_random,
          **_common("gradient_descent", GD_LIKELY)),
    # error_surface
    Check("error_surface", "types and shapes: (len(bs), len(ws))", 1, _surface_types, structure_only=True,
          **_common("error_surface", SURFACE_LIKELY)),
    Check("error_surface", "the notes' points on a grid over [-6, 6]", 2, _surface_notes,
          **_common("error_surface", SURFACE_LIKELY)),
    Check("error_surface", "orientation on a square grid: [i, j] at (ws[j], bs[i])", 1, _surface_square,
          **_common("error_surface", SURFACE_LIKELY)),
    Check("error_surface", "a 300 x 400 grid (time limit 60 s: correctness only)", 1, _surface_large, timeout=60,
          **_common("error_surface", SURFACE_LIKELY)),
]

# A larger grid, timed against the oracle for a note on speed (never points).
SPEED = {"error_surface": lambda rng: Case((X_NOTES.copy(), Y_NOTES.copy(), _grid(-6, 6, 600), _grid(-6, 6, 500)))}

"""lab01_neurons: McCulloch-Pitts units, perceptrons, boolean gates, the perceptron rule,
XOR with two layers, and the sigmoid neuron.

PyTorch decides (a `torch.nn.Linear` followed by `torch.heaviside(z, 1)` or a sigmoid, and
the perceptron rule replayed as SGD with batch size 1); Keras (a `Dense` layer with the same
weights) is run on the same inputs and agrees everywhere: every input that can land on a
threshold is made of small integers and dyadic numbers, so z = 0 is exact in all three.

`gate_params` and `xor_network` return weights, not outputs: their oracles give the truth
table, and the comparison runs the grader's own forward pass (PyTorch and Keras, in the
grader's process) on the weights the student returned.
"""
from __future__ import annotations

import itertools

import numpy as np

from nngrade.compare import as_scalar, describe_type
from nngrade.labs.lab01_neurons import driver
from nngrade.registry import Case, Check, Likely
from reference.neurons import GATE_INPUTS, TRUTH_INPUTS, Keras, Mistakes, Replay, Torch, net_input, step_layer

FIRES_AT_ZERO = ("a step unit fires at z = 0 (z >= 0): a row whose z is exactly 0 must give 1, "
                 "so move the threshold off the boundary (e.g. b = -1.5 rather than -1 or -2)")


def _all_rows(n) -> np.ndarray:
    return np.array(list(itertools.product([0, 1], repeat=n)), dtype=np.int64)


# ------------------------------------------------------------------------------ mp_neuron

def _mp_random(rng, shapes):
    return [Case((rng.integers(0, 2, size=s).astype(np.int64), int(rng.integers(0, s[1] + 1)))) for s in shapes]


def _mp_edges(rng):
    X = _all_rows(3)
    return [Case((X, theta), {}, note) for theta, note in
            [(0, "theta = 0: every row fires"), (1, "theta = 1: OR"), (2, "rows whose sum equals theta fire"),
             (3, "theta = n: AND"), (4, "theta = n + 1: no row fires")]]


# rows are binary, so their sums are integers: sum > theta is the oracle with theta + 1
MP_LIKELY = (Likely("a row whose sum equals theta must fire: use sum >= theta, not >",
                    lambda X, theta: Torch.mp_neuron(X, int(theta) + 1)),)

# ----------------------------------------------------------------------------- perceptron


def _perceptron_random(rng, shapes):
    out = []
    for n, d in shapes:
        X = rng.normal(0, 2, size=(n, d))
        out.append(Case((X, rng.normal(0, 1, size=d), float(rng.normal(0, 1)))))
    return out


def _perceptron_ties(rng):
    """Small integers and dyadic weights: several rows land exactly on z = 0."""
    out = []
    for n, d, zero_bias in [(6, 2, False), (10, 3, True)]:
        X = rng.integers(-2, 3, size=(n, d)).astype(np.float64)
        w = rng.choice([-1.0, -0.5, 0.5, 1.0, 2.0], size=d)
        if zero_bias:          # a row of zeros and b = 0: z = 0 whatever w is
            X[0], b = 0.0, 0.0
        else:
            b = float(-(X[0] @ w)) + 0.0
        on = np.flatnonzero(X @ w + b == 0)     # exact: small integers and dyadic weights
        out.append(Case((X, w, b), {}, f"row(s) {', '.join(map(str, on))} lie exactly on the boundary z = 0"))
    return out


PERCEPTRON_LIKELY = (
    # z > 0 is "not -z >= 0": the oracle on the negated weights, complemented
    Likely("a row with z = X @ w + b exactly 0 fires: use >= 0, not > 0",
           lambda X, w, b: 1 - Torch.perceptron(X, -np.asarray(w), -b)),
    Likely("the bias is missing: z = X @ w + b", lambda X, w, b: Torch.perceptron(X, w, 0.0)),
    Likely("the bias has the wrong sign: z = X @ w + b", lambda X, w, b: Torch.perceptron(X, w, -b)),
)

# ---------------------------------------------------------- weights graded by a forward pass


def _weights(got, spec, strict):
    """The arrays of `got` shaped as `spec` [(name, shape or None for a scalar)], or a problem.
    strict: exact types and shapes (the types-and-shapes check); otherwise any array-like of
    the right size is reshaped (the value checks grade the behaviour)."""
    names = ", ".join(n for n, _ in spec)
    if not isinstance(got, (tuple, list)) or len(got) != len(spec):
        what = describe_type(got) if not isinstance(got, (tuple, list)) else f"{len(got)} items"
        return None, f"the result should be a tuple ({names}), got {what}"
    out = []
    for (name, shape), g in zip(spec, got):
        if shape is None:
            v = as_scalar(g)
            if v is None:
                if strict or not (isinstance(g, (np.ndarray, list, tuple)) and np.size(g) == 1):
                    return None, f"{name} should be a float, got {describe_type(g)}"
                v = float(np.asarray(g, dtype=np.float64).reshape(()))
            out.append(v)
            continue
        if strict and not isinstance(g, np.ndarray):
            return None, f"{name} should be a numpy.ndarray of shape {shape}, got {describe_type(g)}"
        try:
            a = np.asarray(g, dtype=np.float64)
        except (TypeError, ValueError):
            return None, f"{name} should be a numeric array of shape {shape}, got {describe_type(g)}"
        if strict and isinstance(g, np.ndarray) and g.dtype.kind not in "biuf":
            return None, f"{name} has dtype {g.dtype}; use float64"
        if a.shape != shape and (strict or a.size != int(np.prod(shape))):
            hint = ""
            if len(shape) == 2 and a.shape == shape[::-1]:
                hint = " (the kernel layout is (inputs, units), as Keras: torch.nn.Linear.weight is its transpose)"
            return None, f"{name} has shape {a.shape}, expected {shape}{hint}"
        out.append(a.reshape(shape))
    if not all(np.all(np.isfinite(v)) for v in out):
        return None, "the weights contain NaN or inf"
    return out, None


def _rows_text(X):
    return ", ".join("(" + ", ".join(str(int(v)) for v in row) + ")" for row in X)


def _forward_problem(outputs, expected, X, z_zero_rows, what, forward_names):
    """A sentence for a forward pass that does not give the truth table, or None."""
    for name, out in zip(forward_names, outputs):
        if not np.array_equal(out, expected):
            bad = [i for i in range(len(expected)) if out[i] != expected[i]]
            text = (f"with your weights, {name} gives {out.tolist()} on the rows {_rows_text(X)}; "
                    f"{what} is {expected.tolist()} (wrong on row(s) {', '.join(_rows_text(X[[i]]) for i in bad)})")
            if any(i in z_zero_rows for i in bad):
                text += "\n  likely mistake: " + FIRES_AT_ZERO
            return text
    return None


def _gate_compare(strict):
    def compare(got, expected, case, oracles):
        (name,) = case.args
        n = GATE_INPUTS[name]
        weights, problem = _weights(got, [("w", (n,)), ("b", None)], strict)
        if problem or strict:
            return problem
        w, b = weights
        X = TRUTH_INPUTS[n]
        outputs = [Torch.perceptron_forward(X, w, b)]
        if oracles.uses("keras"):     # both frameworks, except in a `--oracles primary` run
            outputs.append(oracles.call(Keras.perceptron_forward, (X, w, b)))
        zero = {i for i, z in enumerate(net_input(X, w, b)) if z == 0}
        return _forward_problem(outputs, np.asarray(expected), X, zero, f"the `{name}` gate",
                                ["the grader's perceptron (PyTorch: heaviside(X @ w + b))",
                                 "the grader's perceptron (Keras: a Dense layer, then z >= 0)"])
    return compare


XOR_SPEC = [("W1", (2, 2)), ("b1", (2,)), ("W2", (2, 1)), ("b2", (1,))]


def _xor_compare(strict):
    def compare(got, expected, case, oracles):
        weights, problem = _weights(got, XOR_SPEC, strict)
        if problem or strict:
            return problem
        W1, b1, W2, b2 = weights
        X = TRUTH_INPUTS[2]
        outputs = [Torch.xor_forward(X, *weights)]
        if oracles.uses("keras"):
            outputs.append(oracles.call(Keras.xor_forward, (X, *weights)))
        z1 = net_input(X, W1, b1)
        z2 = net_input(step_layer(X, W1, b1), W2, b2)
        zero = {i for i in range(4) if np.any(z1[i] == 0) or z2[i, 0] == 0}
        return _forward_problem(outputs, np.asarray(expected), X, zero, "XOR",
                                ["the grader's forward pass (PyTorch: Linear, step, Linear, step)",
                                 "the grader's forward pass (Keras: Dense, step, Dense, step)"])
    return compare


# ------------------------------------------------------------------------- perceptron_fit

def _epochs_to_converge(X, y, cap) -> int:
    """The epoch (1, 2, ...) in which the rule (lr = 1, from zeros) first makes no mistake, or
    cap + 1. A count for picking data sets, in NumPy (inputs are made without a framework);
    with multiples of 0.5 and integer weights every step is exact."""
    w, b = np.zeros(X.shape[1]), 0.0
    for epoch in range(1, cap + 1):
        mistakes = 0
        for x, t in zip(X, y):
            err = t - int(x @ w + b >= 0)
            if err:
                w, b, mistakes = w + err * x, b + err, mistakes + 1
        if not mistakes:
            return epoch
    return cap + 1


def _separable(rng, n, d, min_epochs=2, max_epochs=12):
    """Rows of multiples of 0.5 labelled by a hyperplane that no row touches, and such that
    the rule needs between min_epochs and max_epochs epochs to converge."""
    while True:
        X = rng.integers(-6, 7, size=(n, d)) / 2.0
        w_true = rng.integers(-3, 4, size=d).astype(np.float64)
        if not w_true.any():
            continue
        b_true = float(rng.integers(-3, 4)) + 0.25
        y = (X @ w_true + b_true >= 0).astype(np.int64)
        if y.min() == y.max():
            continue
        k = _epochs_to_converge(X, y, max_epochs + 1)
        if min_epochs <= k <= max_epochs:
            return X, y, k


GATE_TABLES = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "nand": [1, 1, 1, 0], "nor": [1, 0, 0, 0],
               "not": [1, 0], "xor": [0, 1, 1, 0]}


def _gate_data(name):
    return TRUTH_INPUTS[len(GATE_TABLES[name]) // 2].copy(), np.array(GATE_TABLES[name], dtype=np.int64)


def _fit_types(rng):
    X, y, _ = _separable(rng, 6, 3)
    return [Case(_gate_data("and")), Case((X, y))]


def _fit_gates(rng):
    return [Case(_gate_data(g), {}, f"the {g.upper()} truth table") for g in ("and", "or", "nand", "not")]


def _fit_random(rng):
    return [Case(_separable(rng, n, d)[:2]) for n, d in [(6, 2), (10, 2), (12, 3)]]


def _fit_by_epoch(rng):
    out = []
    for n, d in [(8, 2), (12, 3)]:
        X, y, k = _separable(rng, n, d, min_epochs=3)
        out.append(Case((X, y, 1.0, k + 1), {}, f"the rule converges after {k} epochs here; the weights are "
                                                  f"compared after each of epochs 1..{k + 1}"))
    return out


def _fit_extra(rng):
    X, y, _ = _separable(rng, 10, 2)
    Xx, yx = _gate_data("xor")
    return [Case((X, y), {"lr": 0.5}, "lr = 0.5"),
            Case((Xx, yx), {"lr": 0.25, "epochs": 5}, "XOR is not separable: the rule runs exactly 5 epochs"),
            Case((Xx, yx), {"epochs": 7}, "XOR is not separable: the rule runs exactly 7 epochs")]


def _fit_likely(by_epoch):
    """The known mistakes, replayed by the PyTorch oracle's loop (reference.neurons.Mistakes)."""
    def variant(name):
        if by_epoch:
            return lambda X, y, lr, max_epochs: Mistakes.perceptron_fit_by_epoch(X, y, lr, max_epochs, name)
        return lambda X, y, lr=1.0, epochs=100: Mistakes.perceptron_fit(X, y, lr, epochs, name)
    return (Likely("a row with z = 0 is predicted 1 (the perceptron fires at z >= 0): your rule predicts 0 there",
                   variant(Replay.FIRES_ABOVE_ZERO)),
            Likely("the bias update needs the learning rate too: b += lr * (y_i - yhat_i)", variant(Replay.BIAS_WITHOUT_LR)),
            Likely("you predicted the whole epoch with the weights of its start: the rule predicts each row with "
                   "the weights updated by the rows before it", variant(Replay.EPOCH_PREDICTIONS)))


# ---------------------------------------------------------------------------- sigmoid_neuron

def _sigmoid_random(rng, shapes):
    return [Case((rng.normal(0, 2, size=(n, d)), rng.normal(0, 1.5, size=d), float(rng.normal(0, 1))))
            for n, d in shapes]


def _sigmoid_notes(rng):
    X = TRUTH_INPUTS[2]
    return [Case((X, np.array([20.0, 20.0]), -30.0), {}, "the notes' AND: g(-30 + 20 x1 + 20 x2)"),
            Case((X, np.array([20.0, 20.0]), -10.0), {}, "the notes' OR: g(-10 + 20 x1 + 20 x2)")]


def _sigmoid_extremes(rng):
    X1 = np.array([[1000.0], [-1000.0], [700.0], [-700.0], [40.0], [-40.0], [0.0]])
    X2 = rng.uniform(-500, 500, size=(6, 2))
    return [Case((X1, np.array([1.0]), 0.0), {}, "z up to +-1e3"),
            Case((X2, np.array([2.0, -1.0]), 3.0), {}, "z up to +-1.5e3")]


SIGMOID_LIKELY = (
    Likely("these are sigmoid(-z) = 1 - sigmoid(z): the logistic function is 1 / (1 + exp(-z))",
           lambda X, w, b: Torch.sigmoid_neuron(X, -np.asarray(w), -b)),
    Likely("the bias is missing: z = X @ w + b", lambda X, w, b: Torch.sigmoid_neuron(X, w, 0.0)),
)


# ------------------------------------------------------------------------------- the rows

def _common(fn, likely=()):
    return dict(torch=getattr(Torch, fn), keras=getattr(Keras, fn), likely=tuple(likely))


def _gate_checks():
    common = dict(torch=Torch.gate_params, keras=Keras.gate_params)
    checks = [Check("gate_params", "types and shapes: (w of shape (n_inputs,), b a float)", 1,
                    lambda rng: [Case((g,)) for g in GATE_INPUTS], compare=_gate_compare(True), **common)]
    for gate, n in GATE_INPUTS.items():
        checks.append(Check("gate_params", f"{gate}: the grader's perceptron on the whole truth table", 1,
                            lambda rng, g=gate: [Case((g,), {}, f"the {g.upper()} gate, {GATE_INPUTS[g]} input(s)")],
                            compare=_gate_compare(False), **common))
    return checks


CHECKS = [
    # mp_neuron
    Check("mp_neuron", "types and shapes", 1, lambda rng: _mp_random(rng, [(4, 3), (1, 2), (6, 5)]),
          structure_only=True, **_common("mp_neuron", MP_LIKELY)),
    Check("mp_neuron", "typical values", 2, lambda rng: _mp_random(rng, [(8, 4), (12, 6), (20, 3)]),
          **_common("mp_neuron", MP_LIKELY)),
    Check("mp_neuron", "every threshold from 0 to n + 1 on all rows of 3 inputs", 1, _mp_edges,
          **_common("mp_neuron", MP_LIKELY)),
    # perceptron
    Check("perceptron", "types and shapes", 1, lambda rng: _perceptron_random(rng, [(4, 2), (1, 3), (6, 5)]),
          structure_only=True, **_common("perceptron", PERCEPTRON_LIKELY)),
    Check("perceptron", "typical values", 2, lambda rng: _perceptron_random(rng, [(8, 2), (20, 3), (50, 6)]),
          **_common("perceptron", PERCEPTRON_LIKELY)),
    Check("perceptron", "rows exactly on the boundary z = 0 fire", 1, _perceptron_ties,
          **_common("perceptron", PERCEPTRON_LIKELY)),
    # gate_params
    *_gate_checks(),
    # perceptron_fit
    Check("perceptron_fit", "types and shapes: (w of shape (n,), b a float)", 1, _fit_types, structure_only=True,
          **_common("perceptron_fit")),
    Check("perceptron_fit", "the AND, OR, NAND and NOT truth tables", 1, _fit_gates,
          **_common("perceptron_fit", _fit_likely(False))),
    Check("perceptron_fit", "final weights on separable data", 2, _fit_random,
          **_common("perceptron_fit", _fit_likely(False))),
    Check("perceptron_fit", "the weights after every epoch (epochs = 1, 2, ...) until it stops", 2, _fit_by_epoch,
          driver=driver.drive_fit_by_epoch, timeout=20,
          torch=Torch.perceptron_fit_by_epoch, keras=Keras.perceptron_fit_by_epoch, likely=_fit_likely(True)),
    Check("perceptron_fit", "extra arguments lr and epochs (XOR: stops after `epochs`)", 2, _fit_extra,
          **_common("perceptron_fit", _fit_likely(False))),
    # xor_network
    Check("xor_network", "types and shapes: W1 (2, 2), b1 (2,), W2 (2, 1), b2 (1,)", 1, lambda rng: [Case(())],
          compare=_xor_compare(True), **_common("xor_network")),
    Check("xor_network", "the grader's 2-2-1 step network computes XOR on the truth table", 2,
          lambda rng: [Case(())], compare=_xor_compare(False), **_common("xor_network")),
    # sigmoid_neuron
    Check("sigmoid_neuron", "types and shapes", 1, lambda rng: _sigmoid_random(rng, [(4, 2), (1, 3), (6, 5)]),
          structure_only=True, **_common("sigmoid_neuron", SIGMOID_LIKELY)),
    Check("sigmoid_neuron", "typical values", 2, lambda rng: _sigmoid_random(rng, [(8, 2), (20, 3), (50, 6)]),
          **_common("sigmoid_neuron", SIGMOID_LIKELY)),
    Check("sigmoid_neuron", "the notes' AND and OR weights, g(-30 + 20 x1 + 20 x2) and g(-10 + ...)", 1,
          _sigmoid_notes, **_common("sigmoid_neuron", SIGMOID_LIKELY)),
    Check("sigmoid_neuron", "stable for z up to +-1e3 (no overflow, NaN or warning)", 1, _sigmoid_extremes,
          stable=True, **_common("sigmoid_neuron", SIGMOID_LIKELY)),
]

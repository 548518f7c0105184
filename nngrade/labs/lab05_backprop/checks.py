"""lab05_backprop: the textbook update, dense layers, an L-layer MLP and gradient checking.

PyTorch decides every check (nn.Linear layers holding the same weights, autograd,
torch.optim.SGD); Keras (Dense layers given the same weights by set_weights,
tf.GradientTape, keras.optimizers.SGD) runs on the same inputs and agrees to ~1e-15.
Architectures, batch sizes and learning rates are drawn from the run's seed.

`mlp_forward` and `mlp_loss_and_grads` go through drivers (nngrade/labs/lab05_backprop/driver.py)
that look into `params` for in-place changes and return only the graded part: `Y_hat`, and
`{"loss", "dW1", "db1", ...}`. `numerical_gradient` goes through the generic `with_function`
driver (the test function is named, the worker builds it) and returns `(gradient, x after)`.
"""
from __future__ import annotations

import functools

import numpy as np
from scipy import special

from nngrade.compare import compare as compare_values
from nngrade.diagnose import diagnose
from nngrade.drivers import TEST_FUNCTIONS, drive_with_function
from nngrade.feedback import fmt
from nngrade.labs.lab05_backprop import driver
from nngrade.registry import Case, Check, Likely
from reference.activations import Torch as Activations
from reference.backprop import Backprop, Keras, Mistakes, Torch

# The notes' one-step example (Han & Kamber): units 1-3 input, 4-5 hidden, 6 output.
TEXTBOOK = dict(
    x=np.array([1.0, 0.0, 1.0]), t=np.array([1.0]),
    W1=np.array([[0.2, -0.3], [0.4, 0.1], [-0.5, 0.2]]),   # w14 w15 / w24 w25 / w34 w35
    b1=np.array([-0.4, 0.2]),                               # theta4 theta5
    W2=np.array([[-0.3], [-0.2]]),                          # w46 / w56
    b2=np.array([0.1]),                                     # theta6
    lr=0.9,
)


# --- known mistakes: computed by the oracles' own framework code (reference.backprop.Mistakes)
# or as transformations of oracle outputs; never by a NumPy twin of a graded function ----------

def _forward_likely(mistake):
    def value(X, params, hidden="sigmoid", output="linear"):
        if mistake == "hidden_on_output":       # the last layer gets the hidden activation
            return Torch.mlp_forward(X, params, hidden, hidden)[0]
        if mistake == "no_hidden":              # hidden layers without activation
            return Torch.mlp_forward(X, params, "linear", output)[0]
        if output != "softmax":                 # "softmax_axis0": only a softmax output has an axis
            return None
        return Activations.softmax(Torch.mlp_forward(X, params, hidden, "linear")[0], axis=0)
    return value


def _loss_likely(variant):
    return _as_dict(functools.partial(Mistakes.mlp_loss_and_grads, variant=variant))


def _net_likely(variant):
    return lambda x, t, W1, b1, W2, b2, lr: Mistakes.sigmoid_net_update(x, t, W1, b1, W2, b2, lr, variant)


def _relerr_elements(a, b):
    """Each element's relative error, by the oracle on that element alone."""
    return np.array([Torch.relative_error(u, v) for u, v in zip(np.ravel(a), np.ravel(b))])


# --- oracles in the drivers' formats --------------------------------------------------------

def _as_dict(fn):
    """(loss, [(dW, db), ...]) -> {"loss", "dW1", "db1", ...}, keeping fn's signature."""
    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        loss, grads = fn(*args, **kwargs)
        out = {"loss": loss}
        for i, (dW, db) in enumerate(grads):
            out[f"dW{i + 1}"], out[f"db{i + 1}"] = dW, db
        return out
    return wrapped


def _y_hat(fn):
    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        return fn(*args, **kwargs)[0]
    return wrapped


# --- inputs ------------------------------------------------------------------------------------

def _params(rng, sizes, scale=1.0):
    """Weights N(0, scale / sqrt(fan_in)), biases N(0, 0.5 scale): pre-activations of order 1."""
    return [(rng.normal(0, scale / np.sqrt(a), size=(a, b)), rng.normal(0, 0.5 * scale, size=b))
            for a, b in zip(sizes[:-1], sizes[1:])]


def _arch(rng, layers=None, k=None, n=None):
    """(N, sizes) of a random MLP: 1-4 layers, widths 1-6, batch 1-6."""
    layers = layers if layers is not None else int(rng.integers(1, 5))
    sizes = [int(v) for v in rng.integers(1, 7, size=layers + 1)]
    if k is not None:
        sizes[-1] = k
    return (n if n is not None else int(rng.integers(1, 7))), sizes


def _targets(rng, loss, n, k):
    if loss == "mse":
        return rng.normal(size=(n, k))
    if loss == "bce":
        return rng.integers(0, 2, size=(n, 1)).astype(np.float64)
    return np.eye(k)[rng.integers(0, k, size=n)]


def _by_size(cases):
    return sorted(cases, key=lambda c: sum(np.size(a) for a in c.args if isinstance(a, np.ndarray))
                  + sum(np.size(a) for p in c.args if isinstance(p, list) for pair in p for a in pair))


def net_update_cases(rng, sizes=((3, 2, 1), (2, 4, 3), (5, 3, 2)), lrs=(0.1, 0.5, 0.9, 2.0)):
    out = []
    for d, h, k in sizes:
        (W1, b1), (W2, b2) = _params(rng, [d, h, k], scale=1.5)
        out.append(Case((rng.normal(size=d), rng.uniform(0.05, 0.95, size=k), W1, b1, W2, b2,
                         float(rng.choice(lrs))), {}, f"D = {d}, H = {h}, K = {k}"))
    return out


def _largest_net_input(X, params) -> float:
    """max |z| of the last layer of a sigmoid network: the generators scale weights by it to make
    saturated units (NumPy: inputs are made without a framework)."""
    a = X
    for W, b in params:
        z = a @ W + b
        a = special.expit(z)
    return float(np.max(np.abs(z)))


def textbook_case(rng):
    T = TEXTBOOK
    return [Case((T["x"], T["t"], T["W1"], T["b1"], T["W2"], T["b2"], T["lr"]), {},
                 "the notes' example: new w46 = -0.261, w14 = 0.192, theta6 = 0.218")]


def net_update_extremes(rng):
    d, h, k = 4, 3, 2
    x = rng.normal(size=d)
    (W1, b1), (W2, b2) = _params(rng, [d, h, k])
    c1 = 900.0 / _largest_net_input(x[None], [(W1, b1)])
    W1, b1 = W1 * c1, b1 * c1
    c2 = 900.0 / _largest_net_input(x[None], [(W1, b1), (W2, b2)])
    W2, b2 = W2 * c2, b2 * c2
    return [Case((x, np.array([1.0, 0.0]), W1, b1, W2, b2, 0.5), {},
                 "net inputs up to +-900: saturated units, whose error terms are 0")]


def dense_cases(rng, shapes=((1, 3, 2), (4, 5, 3), (6, 2, 7)), backward=False):
    out = []
    for n, d, m in shapes:
        X, W = rng.normal(size=(n, d)), rng.normal(size=(d, m))
        args = (rng.normal(size=(n, m)), X, W) if backward else (X, W, rng.normal(size=m))
        out.append(Case(args, {}, f"N = {n}, D_in = {d}, D_out = {m}"))
    return out


def mlp_forward_cases(rng, hiddens=("sigmoid",), outputs=("linear",), layers=None, count=3, scale=1.0):
    out = []
    for i in range(count):
        n, sizes = _arch(rng, layers=layers[i % len(layers)] if layers else None)
        hidden, output = hiddens[i % len(hiddens)], outputs[i % len(outputs)]
        if output == "softmax":
            sizes[-1] = max(sizes[-1], 2)
        params = _params(rng, sizes, scale)
        out.append(Case((rng.normal(size=(n, sizes[0])), params), {"hidden": hidden, "output": output},
                        f"N = {n}, layer sizes {sizes}"))
    return _by_size(out)


def mlp_forward_extremes(rng):
    out = []
    for output in ("sigmoid", "softmax"):
        n, sizes = 4, [3, 5, 4, 3]
        params = _params(rng, sizes)
        X = rng.normal(size=(n, 3))
        for i, (W, b) in enumerate(params):   # scale each layer so |net input| <= 900
            c = 900.0 / _largest_net_input(X, params[:i + 1])
            params[i] = (W * c, b * c)
        out.append(Case((X, params), {"hidden": "sigmoid", "output": output},
                        "net inputs up to +-900 in every layer"))
    return out


def mlp_loss_cases(rng, hiddens=("sigmoid",), losses=("mse",), layers=None, n=None, count=3, k=None):
    out = []
    for i in range(count):
        loss = losses[i % len(losses)]
        kk = 1 if loss == "bce" else (k or int(rng.integers(2 if loss == "softmax_ce" else 1, 5)))
        nn, sizes = _arch(rng, layers=layers[i % len(layers)] if layers else None, k=kk, n=n)
        params = _params(rng, sizes, 1.5)
        X = rng.normal(size=(nn, sizes[0]))
        out.append(Case((X, _targets(rng, loss, nn, kk), params),
                        {"hidden": hiddens[i % len(hiddens)], "loss": loss},
                        f"N = {nn}, layer sizes {sizes}"))
    return _by_size(out)


def mlp_loss_extremes(rng):
    out = []
    for loss, k in (("bce", 1), ("softmax_ce", 3)):
        sizes = [3, 4, k]
        params = _params(rng, sizes)
        X = rng.normal(size=(5, 3))
        c = 900.0 / _largest_net_input(X, params)
        params[1] = (params[1][0] * c, params[1][1] * c)
        out.append(Case((X, _targets(rng, loss, 5, k), params), {"hidden": "sigmoid", "loss": loss},
                        "logits up to +-900: compute the loss from the logits, stably"))
    return out


GRAD_SHAPES = [(4,), (2, 3), (2, 2, 2), (5,)]


def numgrad_cases(rng, functions=tuple(TEST_FUNCTIONS), shapes=GRAD_SHAPES, **kw):
    out = []
    for i, name in enumerate(functions):
        shape = shapes[i % len(shapes)]
        out.append(Case((name, rng.normal(size=shape)), dict(kw), f"f = {name}, a test function of the grader"))
    return out


def relerr_cases(rng):
    out = []
    for shape, kind in (((5,), "close"), ((3, 4), "far"), ((2, 3, 2), "close"), ((6,), "mixed")):
        a = rng.normal(size=shape)
        if kind == "close":
            b = a * (1 + 1e-7 * rng.normal(size=shape))
        elif kind == "far":
            b = rng.normal(size=shape)
        else:
            b = a + rng.normal(0, 1e-3, size=shape) * (rng.random(shape) < 0.5)
        out.append(Case((a, b), {}, f"{kind} arrays"))
    return out


def relerr_edges(rng):
    z = np.zeros(4)
    return [Case((z, z.copy()), {}, "two zero arrays: 0 / max(1e-8, 0) = 0"),
            Case((z, np.array([0.0, 1e-12, -1e-10, 0.0])), {}, "tiny values: the floor 1e-8 in the denominator"),
            Case((np.array([1.0, -2.0, 3.0]), np.array([-1.0, 2.0, 3.0])), {}, "opposite signs: 1.0"),
            Case((np.array([[2.5]]), np.array([[2.5]])), {}, "equal arrays: 0.0")]


# --- comparisons for numerical_gradient: (gradient, x after) ---------------------------------

NUMGRAD_LIKELY = (
    Likely("you used the one-sided difference (f(x + h) - f(x)) / h: its error shrinks like h; the "
           "central difference (f(x + h) - f(x - h)) / 2h has an error of order h^2",
           Mistakes.one_sided_difference),
)


def _numgrad_compare(rtol, atol, structure_only=False, expected_is="the exact gradient"):
    def cmp(got, expected, case, oracles):
        if not isinstance(got, tuple) or len(got) != 2:
            return f"internal: the driver returned {type(got).__name__}"
        problem = compare_values(got[0], expected[0], rtol, atol, structure_only=structure_only)
        if problem is None:
            return None
        lines = [problem.message]
        if problem.kind in ("value", "nonfinite", "shape"):
            lines += [f"expected ({expected_is}): {fmt(problem.expected)}", f"got: {fmt(problem.got)}"]
        lines += problem.details
        lines += [f"likely mistake: {g}" for g in diagnose(problem, case, NUMGRAD_LIKELY, oracles, rtol, atol)]
        return "\n  ".join(lines)
    return cmp


def _x_unchanged(got, expected, case, oracles):
    x_before, x_after = np.asarray(case.args[1]), got[1] if isinstance(got, tuple) else None
    if isinstance(x_after, np.ndarray) and x_after.shape == x_before.shape \
            and np.allclose(x_after, x_before, rtol=1e-12, atol=1e-12):
        return None
    return ("`numerical_gradient` changed x: after the call x was " + fmt(x_after) + ". Restore x[i] to its "
            "old value after evaluating f(x + h e_i) and f(x - h e_i), or work on a copy of x")


# --- the checks ----------------------------------------------------------------------------------

def _likely_net():
    return (
        Likely("the hidden error terms were computed from the UPDATED output weights: compute every "
               "Err_j with the old weights first, then update", _net_likely(Backprop.UPDATED_FIRST)),
        Likely("the hidden error term lacks the factor O_j (1 - O_j), the derivative of the sigmoid",
               _net_likely(Backprop.NO_DERIVATIVE)),
        Likely("you subtracted the increments: with Err_j = O_j (1 - O_j)(T_j - O_j) the textbook ADDS "
               "lr * Err_j * O_i (Err_j already carries the minus sign of the gradient)",
               _net_likely(Backprop.SUBTRACT)),
        Likely("you took the sigmoid's derivative at the output O_j (sigmoid_grad(O)): sigmoid_grad expects "
               "the net input I_j; written with the output, the derivative is O_j (1 - O_j)",
               _net_likely(Backprop.AT_OUTPUT)),
    )


def _net_checks():
    common = dict(torch=Torch.sigmoid_net_update, keras=Keras.sigmoid_net_update, likely=_likely_net())
    fn = "sigmoid_net_update"
    return [
        Check(fn, "types and shapes", 1, lambda rng: net_update_cases(rng, ((3, 2, 1), (2, 3, 2))),
              structure_only=True, **common),
        Check(fn, "the notes' worked example (x = (1, 0, 1), t = 1, lr = 0.9)", 2, textbook_case, **common),
        Check(fn, "random sizes, several outputs, learning rates", 2, net_update_cases, **common),
        Check(fn, "stable with saturated units (net inputs up to +-900)", 1, net_update_extremes,
              stable=True, **common),
    ]


def _dense_checks():
    fwd = dict(torch=Torch.dense_forward, keras=Keras.dense_forward,
               likely=(Likely("you multiplied by W.T: W has shape (D_in, D_out), so Z = X @ W + b",
                              lambda X, W, b: Torch.dense_forward(X, np.transpose(W), b)),
                       Likely("the bias is missing", lambda X, W, b: Torch.dense_forward(X, W, np.zeros_like(b)))))
    bwd = dict(torch=Torch.dense_backward, keras=Keras.dense_backward,
               # with W.T in place of W only dX changes: it is dZ @ W
               likely=(Likely("dX = dZ @ W.T (W is (D_in, D_out)), not dZ @ W",
                              lambda dZ, X, W: Torch.dense_backward(dZ, X, np.transpose(W))),
                       Likely("dW = X.T @ dZ, not its transpose dZ.T @ X",
                              lambda dZ, X, W: (lambda dX, dW, db: (dX, dW.T, db))(*Torch.dense_backward(dZ, X, W)))))
    square = [(1, 3, 3), (4, 4, 4)]
    return [
        Check("dense_forward", "types and shapes", 1, lambda rng: dense_cases(rng, ((2, 3, 2), (1, 4, 1))),
              structure_only=True, **fwd),
        Check("dense_forward", "typical values on random shapes", 2, dense_cases, **fwd),
        Check("dense_forward", "square weights and a single row", 1,
              lambda rng: dense_cases(rng, square), **fwd),
        Check("dense_backward", "types and shapes", 1,
              lambda rng: dense_cases(rng, ((2, 3, 2), (1, 4, 1)), backward=True), structure_only=True, **bwd),
        Check("dense_backward", "typical values on random shapes", 2,
              lambda rng: dense_cases(rng, backward=True), **bwd),
        Check("dense_backward", "square weights and a single row", 1,
              lambda rng: dense_cases(rng, square, backward=True), **bwd),
    ]


def _mlp_forward_checks():
    common = dict(torch=_y_hat(Torch.mlp_forward), keras=_y_hat(Keras.mlp_forward), driver=driver.drive_mlp_forward,
                  likely=(Likely("the output layer got the hidden activation too: the last layer uses `output`",
                                 _forward_likely("hidden_on_output")),
                          Likely("the hidden layers have no activation", _forward_likely("no_hidden")),
                          Likely("softmax normalised over the batch (axis 0): each ROW of Y_hat sums to 1",
                                 _forward_likely("softmax_axis0"))))
    fn = "mlp_forward"
    return [
        Check(fn, "types and shapes", 1, lambda rng: mlp_forward_cases(rng, outputs=("linear", "softmax"), count=2),
              structure_only=True, **common),
        Check(fn, "sigmoid hidden layers, linear output, random sizes", 1, mlp_forward_cases, **common),
        Check(fn, "tanh and relu hidden layers", 1,
              lambda rng: mlp_forward_cases(rng, hiddens=("tanh", "relu"), layers=(2, 3), count=4), **common),
        Check(fn, "sigmoid and softmax outputs", 1,
              lambda rng: mlp_forward_cases(rng, hiddens=("sigmoid", "relu"), outputs=("sigmoid", "softmax"),
                                            layers=(2, 3), count=4), **common),
        Check(fn, "no hidden layer, and four hidden layers", 1,
              lambda rng: mlp_forward_cases(rng, hiddens=("tanh",), outputs=("linear", "softmax"), layers=(1, 5),
                                            count=2), **common),
        Check(fn, "stable for net inputs up to +-900", 1, mlp_forward_extremes, stable=True, **common),
    ]


def _mlp_loss_checks():
    common = dict(
        torch=_as_dict(Torch.mlp_loss_and_grads), keras=_as_dict(Keras.mlp_loss_and_grads),
        driver=driver.drive_mlp_loss_and_grads,
        likely=(Likely("the hidden layers' deltas lack the activation's derivative: "
                       "dZ = (dZ_next @ W_next.T) * g'(Z)", _loss_likely(Backprop.NO_DERIVATIVE)),
                Likely("you took the activation's derivative at the layer's OUTPUT A = g(Z) instead of at its "
                       "pre-activation Z", _loss_likely(Backprop.AT_OUTPUT)),
                Likely("MSE is the mean over all N * K elements (torch's reduction='mean'), not over the N rows",
                       _loss_likely(Backprop.MSE_OVER_ROWS))))
    fn = "mlp_loss_and_grads"
    return [
        Check(fn, "types and shapes", 1,
              lambda rng: mlp_loss_cases(rng, losses=("mse", "softmax_ce"), layers=(2, 3), count=2),
              structure_only=True, **common),
        Check(fn, "MSE, sigmoid hidden layers, random sizes", 2, mlp_loss_cases, **common),
        Check(fn, "MSE, tanh and relu hidden layers", 1,
              lambda rng: mlp_loss_cases(rng, hiddens=("tanh", "relu"), layers=(2, 3), count=4), **common),
        Check(fn, "binary cross-entropy from the logits", 1,
              lambda rng: mlp_loss_cases(rng, hiddens=("sigmoid", "tanh", "relu"), losses=("bce",), layers=(2, 3, 2)),
              **common),
        Check(fn, "softmax cross-entropy from the logits", 1,
              lambda rng: mlp_loss_cases(rng, hiddens=("relu", "sigmoid", "tanh"), losses=("softmax_ce",),
                                         layers=(3, 2, 2)), **common),
        Check(fn, "no hidden layer, and a batch of one", 1,
              lambda rng: mlp_loss_cases(rng, hiddens=("tanh",), losses=("mse", "softmax_ce"), layers=(1,), count=2)
              + mlp_loss_cases(rng, losses=("bce", "mse"), layers=(3,), n=1, count=2), **common),
        Check(fn, "stable for logits up to +-900", 1, mlp_loss_extremes, stable=True, **common),
    ]


def _numgrad_checks():
    common = dict(torch=Torch.numerical_gradient, keras=Keras.numerical_gradient, driver=drive_with_function)
    fn = "numerical_gradient"
    return [
        Check(fn, "types and shapes", 1, lambda rng: numgrad_cases(rng, ("sum_of_squares", "sum_of_sines")),
              compare=_numgrad_compare(0, 0, structure_only=True), **common),
        Check(fn, "close to the exact gradient on four test functions", 2, numgrad_cases, rtol=1e-6, atol=1e-7,
              compare=_numgrad_compare(1e-6, 1e-7), **common),
        Check(fn, "leaves x unchanged", 1, numgrad_cases, compare=_x_unchanged, **common),
        Check(fn, "extra argument h (the central difference with that step)", 1,
              lambda rng: numgrad_cases(rng, ("cubic_mix",), h=0.25) + numgrad_cases(rng, ("sum_of_sines",), h=1e-3),
              torch=Torch.central_difference, keras=Keras.central_difference, driver=drive_with_function,
              compare=_numgrad_compare(1e-7, 1e-9, expected_is="central differences with this h")),
    ]


def _relerr_over(a, b, denominator):
    """The relative error with another denominator (a known mistake)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, denominator)))


def _relerr_checks():
    common = dict(torch=Torch.relative_error, keras=Keras.relative_error,
                  likely=(Likely("you took the mean of the elementwise errors: the check reports the worst one (max)",
                                 lambda a, b: float(np.mean(_relerr_elements(a, b)))),
                          Likely("the denominator is max(|a|, |b|): the contract's is max(1e-8, |a| + |b|), the sum "
                                 "of both magnitudes", lambda a, b: _relerr_over(a, b, np.maximum(np.abs(a), np.abs(b)))),
                          Likely("the denominator is the mean (|a| + |b|) / 2: the contract's is max(1e-8, |a| + |b|), "
                                 "the sum of both magnitudes", lambda a, b: _relerr_over(a, b, (np.abs(a) + np.abs(b)) / 2))))
    fn = "relative_error"
    return [
        Check(fn, "types (a float)", 1, relerr_cases, structure_only=True, **common),
        Check(fn, "typical values", 2, relerr_cases, **common),
        Check(fn, "zeros, tiny values and opposite signs", 1, relerr_edges, stable=True, **common),
    ]


CHECKS = _net_checks() + _dense_checks() + _numgrad_checks() + _relerr_checks() + _mlp_forward_checks() \
    + _mlp_loss_checks()

# Each function is graded on its own: while mlp_forward or mlp_loss_and_grads is graded, the
# grader's dense layer stands in for the student's (a wrong dense_backward costs its own
# points, not the MLP's too). mlp_forward cannot stand in: its cache is the student's own.
SUBSTITUTE = ["dense_forward", "dense_backward"]

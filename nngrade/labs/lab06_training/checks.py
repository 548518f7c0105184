"""lab06_training: initialisers, optimizers, the L2 penalty, mini-batches and `train`.

- Initialisers (`init_uniform`, `xavier_uniform`, `he_normal`) are random: each runs in the
  worker with `rng = np.random.default_rng(seed)` and its draw is tested against the
  distribution that `torch.nn.init` (primary) and Keras's initializers define: shape and
  dtype, support, mean and variance within 5.3 standard errors, range coverage and a
  Kolmogorov-Smirnov test at p < 1e-6 (`reference._distributions.distribution_problem`), on draws
  of about 10^5 values. A correct draw fails with probability about 2e-6 (the lab's 7 such
  cases: about once in 10^5 gradings); a scale off by 2 % fails essentially always. The same
  seed must give the same draw, a new seed a new one (the function draws from the rng it is
  given).
- Optimizers: the student's class is built on float64 parameter arrays and stepped k times,
  each step with its own gradients; the parameters after every step must equal
  `torch.optim`'s (rtol 1e-10). Keras runs the same steps: with dyadic hyperparameters and
  eps = 0 it agrees to round-off and is graded too; where its formula differs (eps inside the
  square root, decoupled weight decay, folded bias correction, float32-rounded constants) the
  difference is shown and costs nothing.
- `l2_penalty`, `l2_penalty_grad`: PyTorch autograd and `keras.regularizers.L2(lam / 2)`.
- `iterate_minibatches`: a generator; the order is `np.random.default_rng(seed).permutation(N)`
  (the rng is built in the worker from the seed), batches as a `DataLoader` / `tf.data` make them.
- `train`: digits from `sklearn.datasets.load_digits`, small subsets. The grader passes its own
  plain SGD optimizer (`nngrade.labs.lab06_training.driver.GraderSGD`). The history must equal
  Keras's `model.fit(shuffle=False)` (primary) and a PyTorch loop's; the final weights must
  equal the PyTorch loop's (primary) and Keras's. Tolerance rtol 1e-9, atol 1e-12 (measured
  agreement of a correct NumPy solution: about 1e-15).
"""
from __future__ import annotations

import math

from functools import lru_cache
from pathlib import Path

import numpy as np

from nngrade.compare import seeded_draws_problem
from nngrade.labs.lab06_training import driver
from nngrade.registry import Case, Check, Likely
from reference._distributions import distribution_problem, spec_difference
from reference.training import AdamState, Keras, Mistakes, Torch, Train

OPT_RTOL, OPT_ATOL = 1e-10, 1e-13
TRAIN_RTOL, TRAIN_ATOL = 1e-9, 1e-12
EXACT_RTOL, EXACT_ATOL = 1e-12, 1e-14


# ----------------------------------------------------------------------------------------
# Initialisers
# ----------------------------------------------------------------------------------------

def _seed(rng) -> int:
    return int(rng.integers(0, 2 ** 31 - 1))


def _is_spec(x) -> bool:
    return isinstance(x, dict) and "family" in x


def compare_distribution(got, expected, case, oracles=None, structure_only=False):
    """A draw against the oracle's spec (or, oracle against oracle, spec against spec)."""
    if _is_spec(got):
        return spec_difference(got, expected)
    return distribution_problem(got, expected, structure_only=structure_only)


def compare_structure(got, expected, case, oracles=None):
    return compare_distribution(got, expected, case, oracles, structure_only=True)


def compare_seeds(got, expected, case, oracles=None):
    """Draws with seeds (s, s, t): the first two equal, the third different."""
    if _is_spec(got):
        return spec_difference(got, expected)
    return seeded_draws_problem(got, lambda g: distribution_problem(g, expected, structure_only=True),
                                "rng.uniform, rng.normal")


def _init_cases(rng, fn, large=False):
    if fn == "init_uniform":
        if large:
            return [Case((_seed(rng), (int(rng.integers(250, 300)), int(rng.integers(350, 400))),
                          float(rng.uniform(0.05, 2.0))), {}, "a large draw, tested as a sample"),
                    Case((_seed(rng), (int(rng.integers(100000, 120000)),), float(rng.uniform(0.01, 0.5))), {},
                         "a 1-D shape")]
        return [Case((_seed(rng), (3, 4), 0.5)), Case((_seed(rng), (5,), 0.125)),
                Case((_seed(rng), (2, 3, 4), float(rng.uniform(0.1, 1.0))))]
    if large:   # fan_in and fan_out far apart, so that a swapped or wrong fan shows
        return [Case((_seed(rng), int(rng.integers(450, 550)), int(rng.integers(200, 250))), {},
                     "a large draw, tested as a sample"),
                Case((_seed(rng), int(rng.integers(60, 80)), int(rng.integers(1400, 1600))), {},
                     "fan_in much smaller than fan_out")]
    return [Case((_seed(rng), 3, 4)), Case((_seed(rng), 1, 5)), Case((_seed(rng), 6, 2))]


def _seed_cases(rng, fn):
    s = _seed(rng)
    args = ((4, 3), 0.5) if fn == "init_uniform" else (4, 3)
    return [Case(([s, s, s + 1],) + args, {}, "three draws: seeds s, s and s + 1, each with a fresh "
                 "rng = np.random.default_rng(seed)")]


INIT_DIFFERS = {
    "he_normal": "Keras's HeNormal draws from a normal truncated at 2 standard deviations (its stddev "
                 "inflated by 1/0.8796 to keep the variance 2/fan_in); the contract's he_normal, like "
                 "torch.nn.init.kaiming_normal_, is not truncated",
}


def _init_checks(fn) -> list[Check]:
    common = dict(torch=getattr(Torch, fn), keras=getattr(Keras, fn), differs=INIT_DIFFERS.get(fn))
    dist_what = {"init_uniform": "U(-eps, eps)", "xavier_uniform": "U(-a, a), a = sqrt(6 / (fan_in + fan_out))",
                 "he_normal": "N(0, 2 / fan_in)"}[fn]
    checks = [
        Check(fn, "types and shapes (a float64 array)", 1, lambda rng, f=fn: _init_cases(rng, f),
              driver=driver.drive_init, compare=compare_structure, **common),
        Check(fn, f"distribution {dist_what}: bounds, mean, variance, KS test", 2,
              lambda rng, f=fn: _init_cases(rng, f, large=True), driver=driver.drive_init,
              compare=compare_distribution, **common),
        Check(fn, "draws from the rng it is given (same seed, same draw)", 1,
              lambda rng, f=fn: _seed_cases(rng, f), driver=driver.drive_init_seeds,
              compare=compare_seeds, **common),
    ]
    if fn == "init_uniform":
        checks.append(Check(fn, "a tiny eps and a 3-D shape", 1,
                            lambda rng: [Case((_seed(rng), (40, 50, 50), 1e-4), {}, "eps = 1e-4")],
                            driver=driver.drive_init, compare=compare_distribution, **common))
    return checks


# ----------------------------------------------------------------------------------------
# Optimizers: the usual mistakes (Likely rows), computed by the frameworks' optimizers
# (reference.training: Torch and Keras, and Mistakes for a changed state or parameter group)
# ----------------------------------------------------------------------------------------

def _unchanged(params, grads, **_):
    return [[np.array(p, dtype=np.float64) for p in params] for _ in grads]


def _with(oracle, **changed):
    """The oracle with some hyperparameters replaced (a function of the case's own ones)."""
    def value(params, grads, **hyper):
        return oracle(params, grads, **dict(hyper, **{k: f(hyper) for k, f in changed.items()}))
    return value


def _adagrad_acc0(params, grads, lr=0.01, eps=1e-10):
    return Mistakes.torch_optimizer("Adagrad", params, grads, lr=lr, eps=eps, initial_accumulator_value=0.1)


def _rmsprop_swapped(params, grads, lr=0.01, alpha=0.99, eps=1e-8):
    return Torch.RMSprop(params, grads, lr=lr, alpha=1 - alpha, eps=eps)


def _keras_formula(name):
    """Keras's optimizer (its formula is the mistake), in float64 (reference.training.Mistakes)."""
    return lambda params, grads, **hyper: Mistakes.keras_formula(name, params, grads, **hyper)


def _adam_state(variant):
    return lambda params, grads, **hyper: Mistakes.adam_with_state(params, grads, **hyper, variant=variant)


NOT_IN_PLACE = Likely("the parameters never change: `step` must update the arrays it was given in place "
                      "(p -= lr * g, or p[...] = ...), not rebind a name to a new array", _unchanged)
OPT_LIKELY = {
    "SGD": (NOT_IN_PLACE,
            Likely("this is plain momentum: with nesterov=True the step uses g + momentum * buf "
                   "(Nesterov's look-ahead), not buf", _with(Torch.SGD, nesterov=lambda h: False)),
            # Keras's SGD(weight_decay=...) is the decoupled decay
            Likely("this is decoupled weight decay (p -= lr * wd * p apart from the gradient, as Keras and "
                   "AdamW do); the contract follows torch.optim.SGD: add wd * p to the gradient first, so "
                   "that it goes through the momentum buffer", _keras_formula("SGD")),
            Likely("weight_decay is ignored: add weight_decay * p to the gradient",
                   _with(Torch.SGD, weight_decay=lambda h: 0.0)),
            Likely("the momentum buffer is an average (buf = m buf + (1 - m) g); torch's is buf = m buf + g, "
                   "starting from buf = g", Mistakes.sgd_damped)),
    "Adagrad": (NOT_IN_PLACE,
                # Keras's Adagrad (its accumulator started at 0, as torch's) puts eps inside the root
                Likely("eps is inside the square root (Keras's formula); torch divides by sqrt(sum g^2) + eps",
                       _keras_formula("Adagrad")),
                Likely("the accumulator starts at 0.1 (Keras's default); torch's starts at 0", _adagrad_acc0),
                Likely("the square root of the accumulator is missing", Mistakes.adagrad_without_sqrt)),
    "RMSprop": (NOT_IN_PLACE,
                Likely("eps is inside the square root (Keras's formula); torch divides by sqrt(v) + eps",
                       _keras_formula("RMSprop")),
                Likely("alpha and 1 - alpha are swapped: v = alpha v + (1 - alpha) g^2", _rmsprop_swapped)),
    "Adam": (NOT_IN_PLACE,
             Likely("the bias correction is missing: divide m by 1 - beta1^t and v by 1 - beta2^t, with t "
                    "the number of steps so far", _adam_state(AdamState.NO_BIAS_CORRECTION)),
             Likely("the bias correction uses t = 1 at every step: count the steps", _adam_state(AdamState.T_FIXED)),
             Likely("eps is inside the square root; torch divides by sqrt(v_hat) + eps", _adam_state(AdamState.EPS_INSIDE)),
             Likely("this is Keras's Adam (bias correction folded into the step size, eps added to sqrt(v)); "
                    "torch adds eps to sqrt(v_hat)", _keras_formula("Adam"))),
}

FLOAT32 = "Keras also rounds Python-float hyperparameters (0.9, 0.99, 0.999, ...) to float32 (1e-8 relative)"
OPT_DIFFERS = {
    "wd_momentum": "Keras's SGD(weight_decay=...) is decoupled: it shrinks p by lr * wd * p outside the gradient, "
                   "so the decay never enters the momentum buffer; torch.optim.SGD adds wd * p to the gradient "
                   "(coupled L2). Adding wd * p to the gradient yourself makes Keras agree exactly",
    "Adagrad": "Keras divides by sqrt(accumulator + eps), torch by sqrt(accumulator) + eps (the Keras oracle "
               "starts its accumulator at 0 like torch; Keras's default is 0.1)",
    "RMSprop": "Keras divides by sqrt(v + eps), torch by sqrt(v) + eps; Keras calls alpha `rho` (default 0.9, "
               "torch 0.99). " + FLOAT32,
    "Adam": "Keras folds the bias corrections into the step size and adds eps to sqrt(v), which is torch's "
            "formula with eps scaled by sqrt(1 - beta2^t) (1e-7 apart with eps = 1e-8). " + FLOAT32,
}

SHAPES = ((3, 2), (2,))


def _opt_case(rng, k, note="", shapes=SHAPES, zeros=False, **hyper):
    params = [rng.normal(size=s) for s in shapes]
    grads = [[rng.normal(size=s) for s in shapes] for _ in range(k)]
    if zeros:       # the same entries are zero at every step: nothing accumulates there
        for step in grads:
            step[0][:, 0] = 0.0
            step[1][0] = 0.0
    return Case((params, grads), hyper, note)


def _dyadic(rng, choices=(0.5, 0.25, 0.125, 0.0625)):
    return float(rng.choice(choices))


def _sgd_checks() -> list[Check]:
    common = dict(torch=Torch.SGD, keras=Keras.SGD, driver=driver.drive_optimizer,
                  rtol=OPT_RTOL, atol=OPT_ATOL, likely=OPT_LIKELY["SGD"])
    return [
        Check("SGD", "one step: p -= lr * g, in place", 1,
              lambda rng: [_opt_case(rng, 1, lr=_dyadic(rng)),
                           _opt_case(rng, 1, shapes=((4, 3), (3,), (3, 1), (1,)), lr=_dyadic(rng))], **common),
        Check("SGD", "several steps, several parameter arrays", 1,
              lambda rng: [_opt_case(rng, 4, shapes=((4, 3), (3,), (3, 2, 2)), lr=_dyadic(rng))], **common),
        Check("SGD", "momentum=0.875: 5 steps (identical in Keras)", 2,
              lambda rng: [_opt_case(rng, 5, lr=_dyadic(rng), momentum=0.875),
                           _opt_case(rng, 5, lr=0.5, momentum=0.5)], **common),
        Check("SGD", "nesterov=True: 5 steps (identical in Keras)", 1,
              lambda rng: [_opt_case(rng, 5, lr=_dyadic(rng), momentum=0.875, nesterov=True)], **common),
        Check("SGD", "weight_decay without momentum (Keras's decoupled decay agrees here)", 1,
              lambda rng: [_opt_case(rng, 4, lr=_dyadic(rng), weight_decay=0.25)], **common),
        Check("SGD", "weight_decay with momentum and Nesterov: coupled, as torch.optim.SGD", 1,
              lambda rng: [_opt_case(rng, 5, lr=_dyadic(rng), momentum=0.875, weight_decay=0.25),
                           _opt_case(rng, 5, lr=0.125, momentum=0.75, nesterov=True, weight_decay=0.5)],
              differs=OPT_DIFFERS["wd_momentum"], **common),
    ]


def _adaptive_checks(name, exact_kwargs, eps_key="eps") -> list[Check]:
    common = dict(torch=getattr(Torch, name), keras=getattr(Keras, name), driver=driver.drive_optimizer,
                  rtol=OPT_RTOL, atol=OPT_ATOL, likely=OPT_LIKELY[name])
    differs = OPT_DIFFERS[name]
    return [
        Check(name, "one step with the default arguments", 1, lambda rng: [_opt_case(rng, 1)],
              differs=differs, **common),
        Check(name, "6 steps with the default arguments", 2,
              lambda rng: [_opt_case(rng, 6), _opt_case(rng, 6, shapes=((2, 3, 2), (4,), (1,)))],
              differs=differs, **common),
        Check(name, "eps = 0 and dyadic hyperparameters: 6 steps (identical in Keras)", 1,
              lambda rng: [_opt_case(rng, 6, lr=_dyadic(rng, (0.125, 0.0625, 0.03125)), **exact_kwargs)],
              **common),
        Check(name, "a large eps = 0.25 (eps outside the square root, as torch)", 1,
              lambda rng: [_opt_case(rng, 4, lr=0.0625, **{eps_key: 0.25})], differs=differs, **common),
        Check(name, "gradients that stay 0: no 0/0, parameters unchanged there", 1,
              lambda rng: [_opt_case(rng, 4, zeros=True, note="column 0 of the first gradient and entry 0 "
                                     "of the second are 0 at every step")], stable=True, differs=differs,
              **common),
    ]


# ----------------------------------------------------------------------------------------
# L2 penalty
# ----------------------------------------------------------------------------------------

def _weights(rng, shapes):
    return [rng.normal(0, 1.5, size=s) for s in shapes]


def _l2_cases(rng):
    lam = lambda: float(2.0 ** -int(rng.integers(1, 11)))      # dyadic: Keras's float32 lam is exact
    return [Case((_weights(rng, [(4, 3)]), lam())),
            Case((_weights(rng, [(5, 4), (4, 2)]), lam())),
            Case((_weights(rng, [(3, 3, 2, 4), (32, 6), (6, 3)]), lam()), {}, "a 4-D kernel among the weights")]


def _l2_edges(rng):
    return [Case(([], 0.5), {}, "no weights at all"),
            Case((_weights(rng, [(3, 2)]), 0.0), {}, "lam = 0"),
            Case((_weights(rng, [(6,)]), 1.0), {}, "one 1-D array, lam = 1")]


def _per_array(ws, lam):
    """The oracle's penalty of each array alone."""
    return [Torch.l2_penalty([w], lam) for w in ws]


L2_LIKELY = {
    "l2_penalty": (Likely("you took the mean of the squares; the penalty sums them",
                          lambda ws, lam: sum(P / np.size(w) for P, w in zip(_per_array(ws, lam), ws))),
                   # lam / 2 * ||w|| = sqrt(lam / 2 * (lam / 2 * ||w||^2))
                   Likely("you took the norm (a square root) instead of the sum of squares",
                          lambda ws, lam: sum(float(np.sqrt(lam / 2 * P)) for P in _per_array(ws, lam))),
                   Likely("the 1/2 is missing: the penalty is lam / 2 * sum of squares",
                          lambda ws, lam: 2 * Torch.l2_penalty(ws, lam))),
    "l2_penalty_grad": (Likely("the gradient of lam / 2 * w^2 is lam * w: an extra factor 2",
                               lambda ws, lam: [2 * g for g in Torch.l2_penalty_grad(ws, lam)]),
                        Likely("you returned lam / 2 * w: the 2 of the derivative cancels the 1/2",
                               lambda ws, lam: [g / 2 for g in Torch.l2_penalty_grad(ws, lam)])),
}


def _l2_checks() -> list[Check]:
    out = []
    for fn in ("l2_penalty", "l2_penalty_grad"):
        common = dict(torch=getattr(Torch, fn), keras=getattr(Keras, fn), 
                      rtol=EXACT_RTOL, atol=EXACT_ATOL, likely=L2_LIKELY[fn])
        out += [
            Check(fn, "types and shapes" + (" (a float)" if fn == "l2_penalty" else " (a list of arrays)"), 1,
                  lambda rng: _l2_cases(rng)[:2], structure_only=True, **common),
            Check(fn, "values on lists of weight arrays", 2, _l2_cases, **common),
            Check(fn, "edge cases: no weights, lam = 0, a 1-D array", 1, _l2_edges, **common),
        ]
    return out


# ----------------------------------------------------------------------------------------
# Mini-batches
# ----------------------------------------------------------------------------------------

def _mb_data(rng, n, d=3, onehot=False):
    X = rng.normal(size=(n, d))
    y = np.eye(4)[rng.integers(0, 4, n)] if onehot else rng.integers(0, 5, n).astype(np.int64)
    return X, y


def _mb_cases(rng, kind):
    """Each check owns one property: only "the last batch smaller" has a batch smaller than
    batch_size (a generator that drops it loses that check alone)."""
    if kind == "types":
        X, y = _mb_data(rng, 6)
        X2, y2 = _mb_data(rng, 8, onehot=True)
        return [Case((X, y, 3)), Case((X2, y2, 4), {"seed": _seed(rng)}, "one-hot targets (N, K), shuffled")]
    if kind == "order":
        n, b = int(rng.integers(10, 20)), int(rng.integers(3, 6))
        n += (n % b == 0)
        X, y = _mb_data(rng, n)
        X1, y1 = _mb_data(rng, 5)
        return [Case((X, y, b), {}, "N not a multiple of batch_size: the last batch is smaller"),
                Case((X1, y1, 8), {}, "batch_size larger than N: one batch, smaller than batch_size")]
    if kind == "edges":
        X, y = _mb_data(rng, 12)
        X1, y1 = _mb_data(rng, 5)
        return [Case((X, y, 4), {}, "N a multiple of batch_size: no empty last batch"),
                Case((X1, y1, 1), {}, "batch_size 1")]
    b = int(rng.integers(3, 7))
    X, y = _mb_data(rng, b * int(rng.integers(3, 5)))
    X2, y2 = _mb_data(rng, 12, onehot=True)
    return [Case((X, y, b), {"seed": _seed(rng)}, "rng = np.random.default_rng(seed): the order is "
                 "rng.permutation(N), one call"),
            Case((X2, y2, 4), {"seed": _seed(rng)}, "one-hot targets, shuffled")]


def _mb_two_orders(X, y, batch_size, seed=None):
    """X in the order of a first rng.permutation(N), y in the order of a second one: the oracle's
    X batches, and its batches of y permuted by the second draw, taken in order."""
    if seed is None:
        return None
    rng = np.random.default_rng(seed)
    rng.permutation(len(X))
    second = rng.permutation(len(X))
    xs = Torch.iterate_minibatches(X, y, batch_size, seed)
    ys = Torch.iterate_minibatches(X, np.asarray(y)[second], batch_size, None)
    return [(xb, yb) for (xb, _), (_, yb) in zip(xs, ys)]


def _another_order(got, expected, X, y, batch_size, seed=None) -> bool:
    """The batches hold every row once, each with its own label, in another order than the rng's
    and than X's own: a shuffle by another generator (np.random, a new default_rng). Batches in
    X's order are the next row's mistake (no shuffle at all)."""
    if seed is None or not isinstance(got, list) or not got:
        return False
    xs = np.concatenate([np.asarray(xb, dtype=np.float64) for xb, _ in got])
    ys = np.concatenate([np.asarray(yb, dtype=np.float64) for _, yb in got])
    if xs.shape != np.shape(X) or ys.shape != np.shape(y):
        return False
    rows = {row.tobytes(): label.tobytes() for row, label in zip(np.asarray(X, dtype=np.float64),
                                                                 np.asarray(y, dtype=np.float64))}
    same_rows = all(rows.get(r.tobytes()) == t.tobytes() for r, t in zip(xs, ys)) and len(rows) == len(X)
    order = np.concatenate([np.asarray(xb) for xb, _ in expected])
    unshuffled = np.array_equal(xs, np.asarray(X, dtype=np.float64))
    return same_rows and not unshuffled and not np.array_equal(xs, order)   # exact: rows are copied


MB_LIKELY = (
    Likely("your batches hold every row with its label, in another order than the rng's: shuffle with the "
           "rng you are given, one call of rng.permutation(N) (not np.random or a new default_rng)",
           when=_another_order),
    Likely("X and y were shuffled with two different orders (two calls of rng.permutation?): draw one "
           "order and index both with it, so that every row keeps its label", _mb_two_orders),
    Likely("only X was shuffled: index y with the same order", lambda X, y, b, seed=None: [
        (xb, yb) for (xb, _), (_, yb) in zip(Torch.iterate_minibatches(X, y, b, seed),
                                             Torch.iterate_minibatches(X, y, b, None))]),
    Likely("the batches come in order: with an rng, use the order rng.permutation(N)",
           lambda X, y, b, seed=None: Torch.iterate_minibatches(X, y, b, None)),
)


def _mb_checks() -> list[Check]:
    common = dict(torch=Torch.iterate_minibatches, keras=Keras.iterate_minibatches,
                  driver=driver.drive_minibatches, rtol=EXACT_RTOL, atol=EXACT_ATOL, likely=MB_LIKELY)
    fn = "iterate_minibatches"
    return [
        Check(fn, "types: a generator of (X_batch, y_batch) pairs", 1, lambda rng: _mb_cases(rng, "types"),
              structure_only=True, **common),
        Check(fn, "in order, the last batch smaller", 1, lambda rng: _mb_cases(rng, "order"), **common),
        Check(fn, "edge sizes: N a multiple of batch_size, batch_size > N, batch_size = 1", 1,
              lambda rng: _mb_cases(rng, "edges"), **common),
        Check(fn, "shuffled with rng.permutation(N)", 2, lambda rng: _mb_cases(rng, "shuffle"), **common),
    ]


# ----------------------------------------------------------------------------------------
# train
# ----------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _digits():
    """`sklearn.datasets.load_digits(return_X_y=True)`, scaled to [0, 1]: its file, read the
    way it reads it, without importing scikit-learn (0.9 s) into the grader."""
    import gzip
    import importlib.util
    spec = importlib.util.find_spec("sklearn")
    path = Path(next(iter(spec.submodule_search_locations)), "datasets", "data", "digits.csv.gz")
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data = np.loadtxt(f, delimiter=",")
        X, y = data[:, :-1], data[:, -1].astype(int)
    else:
        from sklearn.datasets import load_digits
        X, y = load_digits(return_X_y=True)
    return X / 16.0, y.astype(np.int64)


def _train_case(rng, n, n_val, hidden, batch_size, epochs, lr=0.5, momentum=0.0, note=""):
    X_all, y_all = _digits()
    idx = rng.permutation(len(X_all))
    sizes = [X_all.shape[1], *hidden, 10]
    params = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        bound = math.sqrt(6.0 / (a + b))    # torch.nn.init.xavier_uniform_'s (gain 1)
        params += [rng.uniform(-bound, bound, size=(a, b)), rng.normal(0, 0.1, size=b)]
    kwargs = {"lr": lr, "momentum": momentum}
    if n_val:
        kwargs.update(X_val=X_all[idx[n:n + n_val]], y_val=y_all[idx[n:n + n_val]])
    return Case((X_all[idx[:n]], y_all[idx[:n]], params, batch_size, epochs), kwargs, note)


def _shared_rng(rng):
    """The train checks share their inputs (so one Keras fit serves the history and the weights
    checks): an rng from the run's seed alone."""
    try:
        entropy = rng.bit_generator.seed_seq.entropy
        seed = entropy[0] if isinstance(entropy, (list, tuple)) else entropy
    except AttributeError:
        seed = int(rng.integers(0, 2 ** 31))
    return np.random.default_rng([int(seed), 6006])


def _train_cases(rng, which):
    r = _shared_rng(rng)
    cases = [
        _train_case(r, 36, 20, [], 12, 2, lr=0.5, note="softmax regression (no hidden layer), 2 epochs"),
        _train_case(r, 50, 24, [12], 16, 3, lr=0.5, note="one sigmoid hidden layer; 50 = 3 * 16 + 2: "
                    "the last batch has 2 rows"),
        _train_case(r, 40, 0, [10, 8], 16, 2, lr=0.25, momentum=0.875,
                    note="two sigmoid hidden layers, the grader's SGD with momentum 0.875, no validation set"),
    ]
    return cases if which == "all" else [cases[which]]


def _train_variant(variant, part):
    """A known wrong `train` (reference.training.Mistakes.train: the PyTorch loop with one change)."""
    return lambda *a, **k: Mistakes.train(*a, **k, variant=variant)[part]


TRAIN_LIKELY = {
    0: (Likely("the gradients are batch_size times too large: the loss is the mean over the batch, so "
               "dL/dlogits = (P - Y) / batch_size (a forgotten 1/N)", _train_variant(Train.NO_MEAN, 0)),
        Likely("the gradients are divided by the size of the whole training set; the loss of a batch is "
               "the mean over that batch: divide by len(X_batch)", _train_variant(Train.FULL_N, 0)),
        Likely("val_loss / val_accuracy are one epoch late: evaluate the validation set after the "
               "epoch's updates, not before", _train_variant(Train.VAL_BEFORE, 0)),
        Likely("loss and accuracy are measured after each batch's update; Keras records them from the "
               "forward pass, before the update", _train_variant(Train.LOSS_AFTER_UPDATE, 0)),
        Likely("the epoch's loss is the plain mean of the batch losses; Keras weights each batch by its "
               "size (the last batch is smaller)", _train_variant(Train.BATCH_MEAN, 0)),
        Likely("loss and accuracy are recomputed on the whole training set at the end of the epoch; Keras "
               "reports the running mean over the epoch's batches", _train_variant(Train.END_OF_EPOCH, 0))),
}
TRAIN_LIKELY[1] = tuple(Likely(row.message, _train_variant(m, 1)) for row, m in
                        zip(TRAIN_LIKELY[0][:2], (Train.NO_MEAN, Train.FULL_N)))
TRAIN_LIKELY[1] += (Likely("the weights never change: call optimizer.step(grads), which updates params in place, "
                           "and use those same arrays in the forward pass",
                           lambda X, y, params, *a, **k: [np.array(p) for p in params]),)


def _train_checks() -> list[Check]:
    hist = dict(torch=Torch.train, keras=Keras.train, primary="keras", driver=driver.drive_train_history,
                rtol=TRAIN_RTOL, atol=TRAIN_ATOL, likely=TRAIN_LIKELY[0])
    weights = dict(torch=Torch.train_weights, keras=Keras.train_weights, driver=driver.drive_train_weights,
                   rtol=TRAIN_RTOL, atol=TRAIN_ATOL, likely=TRAIN_LIKELY[1])
    return [
        Check("train", "history: a dict of per-epoch floats (loss, accuracy, val_loss, val_accuracy)", 1,
              lambda rng: _train_cases(rng, 1), structure_only=True, **hist),
        Check("train", "history equals Keras's fit(shuffle=False): softmax regression", 1,
              lambda rng: _train_cases(rng, 0), **hist),
        Check("train", "history equals Keras's fit: a hidden layer, a smaller last batch, validation", 2,
              lambda rng: _train_cases(rng, 1), **hist),
        Check("train", "history equals Keras's fit: two hidden layers, SGD with momentum", 1,
              lambda rng: _train_cases(rng, 2), **hist),
        Check("train", "final weights equal a PyTorch loop's (torch.optim.SGD, F.cross_entropy)", 2,
              lambda rng: _train_cases(rng, "all"), **weights),
    ]


CHECKS = (
    [c for fn in ("init_uniform", "xavier_uniform", "he_normal") for c in _init_checks(fn)]
    + _sgd_checks()
    + _adaptive_checks("Adagrad", {"eps": 0.0})
    + _adaptive_checks("RMSprop", {"alpha": 0.875, "eps": 0.0})
    + _adaptive_checks("Adam", {"betas": (0.875, 0.998046875), "eps": 0.0})
    + _l2_checks()
    + _mb_checks()
    + _train_checks()
)

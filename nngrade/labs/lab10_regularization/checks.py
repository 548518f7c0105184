"""lab10_regularization: dropout, batch and layer normalisation, early stopping.

- `dropout_mask` is random: it runs in the worker with `rng = np.random.default_rng(seed)` and its
  draw is tested against the distribution PyTorch's `F.dropout` and Keras's `Dropout` draw from
  (each entry kept, 1, with probability 1 - p, independently): values 0 and 1 only, the kept
  fraction within 5.3 standard errors, and independence along the first and the last axis (the
  fraction of kept pairs of neighbours against (1 - p)^2) on draws of about 10^5 entries; a
  correct draw fails one of these with probability about 1e-6 (Z = 5.3: 1.2e-7 per statistic). The same seed must give the same
  draw, a new seed a new one.
- `dropout_forward`, `dropout_backward`: inverted dropout with the grader's mask, PyTorch
  (primary) and Keras's `tf.nn.dropout` formula; they agree exactly.
- `batchnorm_forward`: PyTorch's conventions decide (momentum the weight of the new batch, eps
  1e-5, the biased variance to normalise and the unbiased one in the running variance). Keras's
  `BatchNormalization(momentum=1 - momentum, epsilon=eps)` agrees on the output and the running
  mean; its running variance uses the biased batch variance (`differs`). Each property is its own
  check, through the lab's drivers: the output, the running statistics, eval mode, the cache.
- `batchnorm_backward`, `layernorm_forward`, `layernorm_backward`: autograd through
  `F.batch_norm` / `F.layer_norm` and `GradientTape` through the Keras layers; they agree to
  ~1e-13 (rtol 1e-7).
- `early_stopping`: Keras's `EarlyStopping(restore_best_weights=True)` decides (driven epoch by
  epoch); the documented rule in plain Python runs beside it. Losses are multiples of 1/64, so
  that every comparison with min_delta is exact in any float type.
"""
from __future__ import annotations

import functools

import numpy as np

from nngrade import battery
from nngrade.compare import describe_type, seeded_draws_problem
from nngrade.labs.lab10_regularization import driver
from nngrade.registry import Case, Check, Likely
from reference.regularization import Keras, Mistakes, Torch

Z = 5.3      # standard errors a correct draw's statistic stays within (two-sided tail 1.2e-7 each)


def _seed(rng) -> int:
    return int(rng.integers(0, 2 ** 31 - 1))


def _part(oracle, part: slice):
    """The oracle's result, the part a driver returns."""
    @functools.wraps(oracle)
    def wrapped(*args, **kwargs):
        return oracle(*args, **kwargs)[part]
    return wrapped


# ----------------------------------------------------------------------------------------
# dropout_mask: a draw tested against the Bernoulli distribution
# ----------------------------------------------------------------------------------------

def _fraction_problem(x, q, what) -> str | None:
    """x: 0/1 indicators that are each 1 with probability q; None if their mean is within Z
    standard errors of q."""
    se = np.sqrt(q * (1 - q) / x.size)
    mean = float(np.mean(x))
    if abs(mean - q) <= Z * se:
        return None
    return f"{what}: {mean:.4f} of {x.size}, expected {q:.4f} +- {Z * se:.4f}"


def mask_problem(got, spec, structure_only=False) -> str | None:
    """A student's mask against {"family": "bernoulli", "shape", "keep"}."""
    if not isinstance(got, np.ndarray):
        return f"the mask must be a NumPy array of 0.0 and 1.0; got {describe_type(got)}"
    if got.shape != spec["shape"]:
        return f"the mask has shape {got.shape}; expected {spec['shape']}, the `shape` asked for"
    if structure_only:
        return None if got.dtype == np.float64 else \
            f"the mask has dtype {got.dtype}; the contract asks for float64 (mask.astype(np.float64))"
    m = np.asarray(got, dtype=np.float64)
    if not np.all((m == 0) | (m == 1)):
        odd = m[(m != 0) & (m != 1)][:3]
        return (f"the mask holds values other than 0 and 1 ({', '.join(f'{v:.4g}' for v in odd)}): 1 keeps an entry "
                "and 0 drops it; the scaling by 1 / (1 - p) belongs to dropout_forward")
    q = spec["keep"]
    if m.ndim >= 2 and 0 < q < 1 and np.all(m == m[:1]):
        return ("every row of the mask is the same (neighbours along the first axis are kept together): every "
                "entry is drawn on its own; a mask drawn once and repeated along the batch (broadcast) is the "
                "same dropout for every sample")
    if q in (0.0, 1.0):
        return None if np.all(m == q) else \
            f"with p = {1 - q:g} every entry must be {q:g}; {int(np.sum(m != q))} of {m.size} are not"
    problem = _fraction_problem(m, q, "the fraction of entries kept (1)")
    if problem:
        if _fraction_problem(m, 1 - q, "") is None:
            problem += ("; it is close to p: p is the DROP probability (torch.nn.Dropout(p), Keras's rate), "
                        "so keep each entry with probability 1 - p")
        return problem
    if m.ndim >= 2:
        for axis, name in ((0, "the first axis (the batch)"), (-1, "the last axis")):
            a = np.moveaxis(m, axis, 0)
            pairs = a[0:a.shape[0] // 2 * 2:2] * a[1:a.shape[0] // 2 * 2:2]     # disjoint neighbours
            problem = _fraction_problem(pairs, q * q, f"neighbours along {name} kept together")
            if problem:
                return problem + ("; every entry is drawn on its own: a mask drawn once and repeated along an "
                                  "axis (broadcast) is the same dropout for every sample")
    return None


def compare_mask(got, expected, case, oracles=None, structure_only=False):
    """A draw against the oracle's spec (or, oracle against oracle, spec against spec)."""
    if isinstance(got, dict):
        return None if got == expected else f"the frameworks' masks differ: {got} and {expected}"
    return mask_problem(got, expected, structure_only=structure_only)


def compare_mask_structure(got, expected, case, oracles=None):
    return compare_mask(got, expected, case, oracles, structure_only=True)


def compare_mask_seeds(got, expected, case, oracles=None):
    """Draws with seeds (s, s, s + 1): the first two equal, the third different."""
    if isinstance(got, dict):
        return compare_mask(got, expected, case)
    return seeded_draws_problem(got, lambda g: mask_problem(g, expected, structure_only=True), "rng.random")


P_TYPICAL = (0.2, 0.3, 0.7, 0.8)      # never 1/2, where p and 1 - p are the same


def _mask_cases(rng, kind):
    p = lambda: float(rng.choice(P_TYPICAL))      # noqa: E731
    if kind == "types":
        return [Case((_seed(rng), (3, 4), 0.25)), Case((_seed(rng), (5,), p())), Case((_seed(rng), (2, 3, 4), p()))]
    if kind == "edges":
        return [Case((_seed(rng), (30, 40), 0.0), {}, "p = 0: every entry kept"),
                Case((_seed(rng), (30, 40), 1.0), {}, "p = 1: every entry dropped")]
    return [Case((_seed(rng), (int(rng.integers(350, 450)), int(rng.integers(250, 300))), p()), {},
                 "a large draw, tested as a sample"),
            Case((_seed(rng), (int(rng.integers(90000, 110000)),), p()), {}, "a 1-D shape"),
            Case((_seed(rng), (40, int(rng.integers(30, 40)), 64), p()), {}, "a 3-D shape")]


def _mask_checks() -> list[Check]:
    common = dict(torch=Torch.dropout_mask, keras=Keras.dropout_mask, driver=driver.drive_mask)
    fn = "dropout_mask"
    return [
        Check(fn, "types and shapes (a float64 array of shape `shape`)", 1, lambda rng: _mask_cases(rng, "types"),
              compare=compare_mask_structure, **common),
        Check(fn, "distribution: each entry 1 with probability 1 - p, independently", 2,
              lambda rng: _mask_cases(rng, "large"), compare=compare_mask, **common),
        Check(fn, "draws from the rng it is given (same seed, same draw)", 1,
              lambda rng: [Case(([s := _seed(rng), s, s + 1], (20, 30), 0.25), {},
                                "three draws: seeds s, s and s + 1, each with a fresh rng = np.random.default_rng(seed)")],
              torch=Torch.dropout_mask_seeds, keras=Keras.dropout_mask_seeds, driver=driver.drive_mask_seeds,
              compare=compare_mask_seeds),
        Check(fn, "p = 0 keeps every entry, p = 1 drops every entry", 1, lambda rng: _mask_cases(rng, "edges"),
              compare=compare_mask, **common),
    ]


# ----------------------------------------------------------------------------------------
# dropout_forward, dropout_backward: the grader's mask
# ----------------------------------------------------------------------------------------

def _dropout_cases(rng, shapes=((4,), (3, 5), (2, 3, 4)), backward=False):
    out = []
    for shape in shapes:
        p = float(rng.choice(P_TYPICAL))
        mask = (rng.random(shape) >= p).astype(np.float64)
        x = rng.normal(size=shape)
        out.append(Case((x, mask, p) if backward else (x, p, mask), {}, f"p = {p:g}"))
    return out


def _dropout_edges(rng, backward=False):
    x, y = rng.normal(size=(3, 4)), rng.normal(size=(2, 5))
    cases = [(x, 0.0, np.ones((3, 4)), "p = 0: nothing dropped, nothing scaled"),
             (y, 1.0, np.zeros((2, 5)), "p = 1: everything dropped; the result is 0, not 0 / 0")]
    return [Case((a, m, p) if backward else (a, p, m), {}, note) for a, p, m, note in cases]


def _rescaled(oracle, factor, backward=False):
    """The oracle's result times factor(p); None where the mistake says nothing (p = 1 gives zeros
    either way; factor None)."""
    def value(a, b, c):
        p = c if backward else b
        f = factor(p) if p < 1 else None
        return None if f is None else oracle(a, b, c) * f
    return value


def _dropout_likely(oracle, backward=False):
    return (Likely("the kept entries are not scaled by 1 / (1 - p): inverted dropout scales at training time, "
                   "so that nothing changes at test time", _rescaled(oracle, lambda p: 1 - p, backward)),
            Likely("you scaled by 1 / p: p is the DROP probability, the kept fraction is 1 - p",
                   _rescaled(oracle, lambda p: (1 - p) / p if p > 0 else None, backward)),
            Likely("you multiplied by 1 - p instead of dividing by it",
                   _rescaled(oracle, lambda p: (1 - p) ** 2, backward)))


def _dropout_checks() -> list[Check]:
    out = []
    for fn, backward in (("dropout_forward", False), ("dropout_backward", True)):
        oracle = getattr(Torch, fn)
        out += battery.checks(fn, types=lambda rng, b=backward: _dropout_cases(rng, ((4,), (2, 3)), b),
                              typical=lambda rng, b=backward: _dropout_cases(rng, backward=b),
                              edges=[("p = 0 and p = 1 (no 0 / 0)", lambda rng, b=backward: _dropout_edges(rng, b),
                                      {"stable": True})],
                              torch=oracle, keras=getattr(Keras, fn), likely=_dropout_likely(oracle, backward))
    return out


# ----------------------------------------------------------------------------------------
# Batch normalisation
# ----------------------------------------------------------------------------------------

def _bn_args(rng, n, d, offset=0.0, constant=False):
    X = rng.normal(rng.normal(0, 2, size=d) + offset, rng.uniform(0.5, 3, size=d), size=(n, d))
    if constant:
        X[:, 0] = offset + 0.75
    return (X, rng.normal(1, 0.5, size=d), rng.normal(0, 1, size=d), rng.normal(0, 1, size=d),
            rng.uniform(0.5, 2, size=d))


def bn_cases(rng, shapes=((2, 3), (8, 5), (16, 2)), **kwargs):
    return [Case(_bn_args(rng, n, d), dict(kwargs), f"N = {n}, D = {d}") for n, d in shapes]


def bn_stable_cases(rng):
    return [Case(_bn_args(rng, 6, 3, constant=True), {}, "feature 0 is constant: variance 0, eps keeps 1 / sqrt "
                 "finite"),
            Case(_bn_args(rng, 8, 4, offset=1e3), {}, "features around 1e3")]


def _bn(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5, training=True):
    """(out, new_running_mean, new_running_var) of the oracle."""
    return Torch.batchnorm_forward(X, gamma, beta, running_mean, running_var, momentum, eps, training)[:3]


# Each known mistake of batchnorm_forward as the whole (out, running_mean, running_var) it gives, so that
# every check, whatever part its driver returns, computes it (None: the mistake does not apply).

def _unbiased_output(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5, training=True):
    right = _bn(X, gamma, beta, running_mean, running_var, momentum, eps, training)
    return (Mistakes.batchnorm_unbiased_output(X, gamma, beta, eps),) + right[1:] if training else None


def _running_in_training(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5, training=True):
    right = _bn(X, gamma, beta, running_mean, running_var, momentum, eps, training)
    return (_bn(X, gamma, beta, running_mean, running_var, momentum, eps, False)[0],) + right[1:] \
        if training else None


def _keras_momentum(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5, training=True):
    right = _bn(X, gamma, beta, running_mean, running_var, momentum, eps, training)
    return right[:1] + _bn(X, gamma, beta, running_mean, running_var, 1 - momentum, eps, training)[1:] \
        if training else None


def _biased_running_var(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5, training=True):
    right = _bn(X, gamma, beta, running_mean, running_var, momentum, eps, training)
    return right[:2] + (Mistakes.batchnorm_biased_running_var(X, running_var, momentum),) if training else None


def _eval_batch_stats(X, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5, training=True):
    return None if training else _bn(X, gamma, beta, running_mean, running_var, momentum, eps, True)


BN_MISTAKES = {
    "output": (
        Likely("the output was normalised with the unbiased variance (N - 1): normalise with the biased batch "
               "variance (divide by N); only the running variance is unbiased", _unbiased_output),
        Likely("training mode normalised with the running statistics: in training mode use the batch's own "
               "mean and variance", _running_in_training)),
    "running": (
        Likely("momentum weighs the OLD running statistic here (Keras's convention, momentum=0.99): in PyTorch's "
               "convention new = (1 - momentum) * running + momentum * batch", _keras_momentum),
        Likely("the running variance was updated with the biased batch variance (divide by N, as Keras does); "
               "PyTorch's running variance takes the unbiased one (N - 1)", _biased_running_var)),
    "eval": (
        Likely("with training=False normalise with the running statistics and return them unchanged; this used "
               "the batch statistics", _eval_batch_stats),),
}


def _bn_likely(*kinds, part=slice(0, 3)):
    """The rows of `kinds`, each giving the `part` of its result that the check's driver returns."""
    def value(f):
        return lambda *a, **k: None if (v := f(*a, **k)) is None else v[part]
    return tuple(Likely(row.message, value(row.value)) for kind in kinds for row in BN_MISTAKES[kind])


BN_RUNNING_DIFFERS = ("Keras's BatchNormalization updates moving_variance with the biased batch variance (divide "
                      "by N); torch.nn.functional.batch_norm's running_var takes the unbiased one (N - 1): Keras's "
                      "is (N - 1) / N of the batch's share. The output and the running mean agree")


def _bn_forward_checks() -> list[Check]:
    fn = "batchnorm_forward"
    common = dict(torch=Torch.batchnorm_forward, keras=Keras.batchnorm_forward)
    parts = lambda drive, part: dict(torch=_part(Torch.batchnorm_forward, part),     # noqa: E731
                                     keras=_part(Keras.batchnorm_forward, part), driver=drive)
    output, running, forward = (parts(driver.drive_output, 0), parts(driver.drive_running, slice(1, 3)),
                                parts(driver.drive_forward, slice(0, 3)))
    return [
        Check(fn, "types and shapes: (out, running_mean, running_var, cache)", 1,
              lambda rng: bn_cases(rng, ((4, 3), (2, 1))), structure_only=True, **common),
        Check(fn, "training mode: the output, normalised with the batch mean and biased variance", 2, bn_cases,
              likely=_bn_likely("output", part=0), **output),
        Check(fn, "training mode: the new running mean and variance (momentum 0.1 weighs the batch; unbiased "
                  "variance)", 1, bn_cases, likely=_bn_likely("running", part=slice(1, 3)),
              differs=BN_RUNNING_DIFFERS, **running),
        Check(fn, "training=False: normalised with the running statistics, which stay unchanged", 1,
              lambda rng: bn_cases(rng, training=False), likely=_bn_likely("eval"), **forward),
        Check(fn, "extra arguments momentum=0.25, eps=1e-3", 1,
              lambda rng: bn_cases(rng, ((4, 3), (10, 2)), momentum=0.25, eps=1e-3),
              likely=_bn_likely("output", "running"), differs=BN_RUNNING_DIFFERS, **forward),
        Check(fn, "stable: a constant feature (variance 0) and features around 1e3", 1, bn_stable_cases,
              stable=True, likely=_bn_likely("output", part=0), **output),
        Check(fn, "the cache is (X, gamma, eps)", 1, lambda rng: bn_cases(rng, ((3, 2),)),
              **parts(driver.drive_cache, -1)),
    ]


def bn_backward_cases(rng, shapes=((3, 3), (8, 5), (16, 2)), eps=1e-5, small=False):
    out = []
    for n, d in shapes:
        X, gamma = _bn_args(rng, n, d)[:2]
        if small:       # variances of order eps: a missing eps shows
            X = X * 1e-2
        out.append(Case((rng.normal(size=(n, d)), (X, gamma, eps)), {}, f"N = {n}, D = {d}, eps = {eps:g}"))
    return out


def _eps_dropped(oracle):
    """The oracle with eps so small that var + eps == var (torch refuses eps = 0 in training mode)."""
    return lambda dOut, cache: oracle(dOut, (cache[0], cache[1], np.finfo(np.float64).tiny))


def _constant_stats(mistake, axis):
    return Likely(f"dX treats the {axis} mean and variance as constants (dX = dOut * gamma / sqrt(var + eps)): "
                  "both depend on every input they average, and their paths add two terms", mistake)


def _norm_backward_likely(oracle):
    return (Likely("eps is missing from the backward pass: the forward divides by sqrt(var + eps), so must its "
                   "derivative", _eps_dropped(oracle)),
            Likely("dgamma is sum(dOut * x_hat), the normalised input; this is sum(dOut), dbeta",
                   lambda dOut, cache: (lambda dX, dg, db: (dX, db, db))(*oracle(dOut, cache))))


BN_BACKWARD_LIKELY = _norm_backward_likely(Torch.batchnorm_backward) + (
    _constant_stats(Mistakes.batchnorm_constant_stats_backward, "batch"),)


def _bn_backward_checks() -> list[Check]:
    return battery.checks("batchnorm_backward", types=lambda rng: bn_backward_cases(rng, ((4, 3), (2, 1))),
                          typical=bn_backward_cases,
                          edges=[("variances of order eps = 1e-3 (eps matters)",
                                  lambda rng: bn_backward_cases(rng, ((6, 3), (12, 2)), eps=1e-3, small=True))],
                          stable=("stable: a constant feature (variance 0)", lambda rng: [
                              Case((rng.normal(size=(6, 3)), _bn_args(rng, 6, 3, constant=True)[:2] + (1e-5,)), {},
                                   "feature 0 of X is constant")]),
                          torch=Torch.batchnorm_backward, keras=Keras.batchnorm_backward, likely=BN_BACKWARD_LIKELY)


# ----------------------------------------------------------------------------------------
# Layer normalisation (over the last axis)
# ----------------------------------------------------------------------------------------

def _ln_args(rng, shape):
    d = shape[-1]
    X = rng.normal(rng.normal(0, 2, size=shape[:-1] + (1,)), rng.uniform(0.5, 3, size=shape[:-1] + (1,)), size=shape)
    return X, rng.normal(1, 0.5, size=d), rng.normal(0, 1, size=d)


LN_SHAPES = ((3, 4), (2, 3, 5), (6, 2))


def ln_cases(rng, shapes=LN_SHAPES, **kwargs):
    return [Case(_ln_args(rng, s), dict(kwargs), f"X of shape {s}") for s in shapes]


def ln_backward_cases(rng, shapes=LN_SHAPES, eps=1e-5, scale=1.0):
    out = []
    for s in shapes:
        X, gamma, _ = _ln_args(rng, s)
        out.append(Case((rng.normal(size=s), (X * scale, gamma, eps)), {}, f"X of shape {s}, eps = {eps:g}"))
    return out


LN_LIKELY = (Likely("normalised over the batch axis (axis 0): layer normalisation normalises each sample over its "
                    "last axis (axis=-1, keepdims=True)", Mistakes.layernorm_over_batch),)


def _ln_forward_checks() -> list[Check]:
    fn = "layernorm_forward"
    output = dict(torch=_part(Torch.layernorm_forward, 0), keras=_part(Keras.layernorm_forward, 0),
                  driver=driver.drive_output, likely=LN_LIKELY)
    return [
        Check(fn, "types and shapes: (out, cache)", 1, lambda rng: ln_cases(rng, ((3, 4), (2, 2, 3))),
              structure_only=True, torch=Torch.layernorm_forward, keras=Keras.layernorm_forward),
        Check(fn, "the output on random shapes (2-D and 3-D)", 2, ln_cases, **output),
        Check(fn, "extra argument eps=0.5", 1, lambda rng: ln_cases(rng, ((4, 3), (2, 2, 6)), eps=0.5), **output),
        Check(fn, "stable: a constant row (variance 0) and values around 1e3", 1,
              lambda rng: [Case((np.vstack([np.full((1, 4), 2.5), rng.normal(size=(2, 4))]),) + _ln_args(rng, (1, 4))[1:],
                                {}, "row 0 is constant"),
                           Case((1e3 + rng.normal(size=(3, 5)),) + _ln_args(rng, (1, 5))[1:], {}, "values around 1e3")],
              stable=True, **output),
        Check(fn, "the cache is (X, gamma, eps)", 1, lambda rng: ln_cases(rng, ((2, 3),)),
              torch=_part(Torch.layernorm_forward, -1), keras=_part(Keras.layernorm_forward, -1),
              driver=driver.drive_cache),
    ]


def _ln_backward_checks() -> list[Check]:
    return battery.checks("layernorm_backward", types=lambda rng: ln_backward_cases(rng, ((3, 4), (2, 2, 3))),
                          typical=ln_backward_cases,
                          edges=[("variances of order eps = 1e-3 (eps matters)",
                                  lambda rng: ln_backward_cases(rng, ((4, 6), (2, 3, 4)), eps=1e-3, scale=1e-2))],
                          torch=Torch.layernorm_backward, keras=Keras.layernorm_backward,
                          likely=_norm_backward_likely(Torch.layernorm_backward)
                          + (_constant_stats(Mistakes.layernorm_constant_stats_backward, "row's"),))


# ----------------------------------------------------------------------------------------
# Early stopping
# ----------------------------------------------------------------------------------------

def _losses(rng, n, ties=False):
    """A validation curve that falls, then wanders up, in multiples of 1/64 (exact in float32)."""
    k = np.arange(n)
    curve = 2.0 * np.exp(-k / rng.uniform(1.5, 4)) + 0.02 * np.maximum(k - rng.integers(2, n), 0) ** 2
    noise = rng.normal(0, 0.05, size=n)
    out = np.round((curve + noise + 0.5) * 64) / 64
    if ties:        # some later epochs equal the best so far
        best = np.minimum.accumulate(out)
        tie = rng.random(n) < 0.4
        out = np.where(tie, best, out)
    return [float(v) for v in out]


def es_cases(rng, count=4, ties=False, **kwargs):
    out = []
    for _ in range(count):
        n, patience = int(rng.integers(6, 16)), int(rng.integers(1, 5))
        out.append(Case((_losses(rng, n, ties), patience), dict(kwargs), f"{n} epochs, patience {patience}"))
    return out


def es_edges(rng):
    falling = [float(v) for v in np.round(np.linspace(2, 0.5, 8) * 64) / 64]
    return [Case((falling, 2), {}, "the loss falls every epoch: training never stops (the last epoch, 7)"),
            Case(([1.0, 1.25, 0.5, 0.5, 0.75], 0), {}, "patience 0: stops after the first epoch that does not "
                 "improve, never at epoch 0 (Keras: wait >= patience and epoch > 0)"),
            Case(([0.75, 0.75, 0.75, 0.5], 2), {}, "an equal loss is not an improvement (strictly smaller)"),
            Case(([1.5], 3), {}, "a single epoch")]


def _one_based(got, expected, *args, **kwargs) -> bool:
    """Both epochs one more than the right ones (a test of the whole result: each part alone may
    be one more by another mistake)."""
    return isinstance(got, (tuple, list)) and len(got) == 2 and \
        [float(g) for g in got] == [float(e) + 1 for e in expected]


def _smallest_loss(val_losses, patience, min_delta=0.0):
    """The right stop epoch, and the epoch of the smallest loss up to it as the best."""
    stop, _ = Torch.early_stopping(val_losses, patience, min_delta)
    return stop, int(np.argmin(val_losses[:stop + 1]))


ES_LIKELY = (
    Likely("min_delta is ignored: an epoch improves only when loss < best - min_delta",
           lambda v, patience, min_delta=0.0: Torch.early_stopping(v, patience, 0.0) if min_delta else None),
    Likely("training stopped one epoch late: stop once wait (epochs without improvement) reaches patience",
           lambda v, patience, min_delta=0.0: Torch.early_stopping(v, patience + 1, min_delta)),
    Likely("an equal loss counted as an improvement: Keras's improvement is strict, loss + min_delta < best",
           Mistakes.early_stopping_non_strict),
    Likely("the epochs are counted from 1: Keras's epochs (and this contract's) are counted from 0", when=_one_based),
    Likely("the best epoch is the last improvement (by more than min_delta), the one whose weights Keras restores, "
           "not the epoch of the smallest loss", _smallest_loss),
)


def _es_checks() -> list[Check]:
    return battery.checks("early_stopping", types=lambda rng: es_cases(rng, 2), typical=es_cases,
                          types_what="types (two ints)", typical_what="typical validation curves",
                          edges=[("edges: never stops, patience 0, ties, one epoch", es_edges)],
                          extra=[("min_delta=0.125", lambda rng: es_cases(rng, ties=True, min_delta=0.125))],
                          torch=Torch.early_stopping, keras=Keras.early_stopping, primary="keras",
                          names={"torch": "the documented rule (plain Python)"}, likely=ES_LIKELY)


CHECKS = (_mask_checks() + _dropout_checks() + _bn_forward_checks() + _bn_backward_checks() + _ln_forward_checks()
          + _ln_backward_checks() + _es_checks())

# No graded function here calls another: nothing stands in.
SUBSTITUTE: list = []

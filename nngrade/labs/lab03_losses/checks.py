"""lab03_losses: every loss of the contract and its gradient with respect to the prediction.

Per function: types and shapes (1 point), typical values on several batch shapes with
multi-output targets (2), the edge the loss has (1: the clipping edge p = 0 and 1, huge
logits, errors of exactly 0 or +-delta, the hinge's kink), and the extra argument where the
function has one (1: `eps`, `delta`). The categorical losses have one more check: rows that
do not sum to 1 are used as given (1). PyTorch decides (the contract's formula, with
the contract's clip where it clips, and autograd); Keras is run on the same inputs and agrees
except on the checks that say why not (`differs`).
"""
from __future__ import annotations

import numpy as np

from nngrade import battery
from nngrade.registry import Case, Check, Likely
from reference.activations import Torch as Activations
from reference.losses import EPS, NAMES, Keras, Mistakes, Torch

ELEMENTWISE_SHAPES = [(5,), (6, 1), (4, 3), (2, 3, 5)]   # no two sizes alike in 3-D: a factor names its axis
CLASS_SHAPES = [(1, 3), (4, 2), (6, 5)]
EXTRA_EPS = [{"eps": 2.0 ** -10}, {"eps": 0.0625}]    # dyadic: Keras's set_epsilon keeps them exact


# ---------------------------------------------------------------- inputs
def _nudge(e, away=1e-3, to=0.5):
    e[np.abs(e) < away] = to
    return e


def regression(rng, shapes=ELEMENTWISE_SHAPES, scale=1.5, **kw):
    """Targets and predictions with errors of both signs, several shapes."""
    out = []
    for shape in shapes:
        y = rng.normal(0.0, 2.0, size=shape)
        out.append(Case((y, y + _nudge(rng.normal(0.0, scale, size=shape))), dict(kw)))
    return out


def huber_regression(rng, shapes=ELEMENTWISE_SHAPES, **kw):
    """Errors on both sides of +-delta (and away from it by 1e-3)."""
    delta = kw.get("delta", 1.0)
    out = []
    for shape in shapes:
        y = rng.normal(0.0, 2.0, size=shape)
        e = _nudge(rng.normal(0.0, 1.5 * delta, size=shape))
        e[np.abs(np.abs(e) - delta) < 1e-3] *= 1.1
        out.append(Case((y, y + e), dict(kw)))
    return out


def huber_edges(rng, delta=1.0, **kw):
    e = np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 0.25]) * delta
    y = np.round(rng.normal(0.0, 2.0, size=e.shape) * 4) / 4      # quarters: y + e is exact
    extra = {"delta": delta} if delta != 1.0 else {}
    return [Case((y.reshape(2, 4), (y + e).reshape(2, 4)), dict(extra, **kw),
                 "errors exactly 0, +-delta/2, +-delta and +-2 delta")]


def zero_errors(rng):
    y = np.round(rng.normal(0.0, 2.0, size=(3, 4)) * 8) / 8
    p = y.copy()
    p[0] += np.array([0.5, -0.5, 0.0, 0.0])
    p[2, 3] += 100.0
    return [Case((y, p), {}, "errors of exactly 0 in most places, one of 100")]


def binary(rng, shapes=ELEMENTWISE_SHAPES, soft=True, **kw):
    """0/1 targets (multi-label for (N, K)), probabilities in (0.01, 0.99); one case of soft targets."""
    out = []
    for i, shape in enumerate(shapes):
        y = (rng.random(shape) < 0.5).astype(np.float64)
        if soft and i == len(shapes) - 1:
            y = np.round(rng.random(shape), 2)
        out.append(Case((y, rng.uniform(0.01, 0.99, size=shape)), dict(kw)))
    return out


def binary_edges(rng, **kw):
    eps = kw.get("eps", EPS)
    p = np.array([0.0, 0.0, 1.0, 1.0, eps, eps, 1.0 - eps, 1.0 - eps, 1e-12, 1.0 - 1e-12, 0.5, 0.5])
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    perm = rng.permutation(p.size)
    return [Case((y[perm].reshape(3, 4), p[perm].reshape(3, 4)), dict(kw),
                 f"probabilities exactly 0 and 1, at eps = {eps:g} and 1 - eps, and beyond them")]


def logits(rng, shapes=ELEMENTWISE_SHAPES, **kw):
    out = []
    for i, shape in enumerate(shapes):
        y = (rng.random(shape) < 0.5).astype(np.float64)
        if i == len(shapes) - 1:
            y = np.round(rng.random(shape), 2)
        out.append(Case((y, rng.normal(0.0, 3.0, size=shape)), dict(kw)))
    return out


def huge_logits(rng):
    z = np.array([1000.0, -1000.0, 710.0, -710.0, 40.0, -40.0, 800.0, -800.0])
    y = np.array([0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
    z2 = rng.uniform(-1000, 1000, size=(2, 4))
    y2 = (rng.random((2, 4)) < 0.5).astype(np.float64)
    return [Case((y.reshape(2, 4), z.reshape(2, 4)), {}, "logits up to +-1e3, many on the wrong side"),
            Case((y2, z2), {}, "logits up to +-1e3")]


def one_hot(rng, n, k):
    return np.eye(k)[rng.integers(0, k, size=n)]


def categorical(rng, shapes=CLASS_SHAPES, sparse=False, scale=1.0, **kw):
    """One-hot targets (or class indices) and rows of probabilities summing to 1 (times `scale`)."""
    out = []
    for n, k in shapes:
        y = one_hot(rng, n, k)
        p = rng.dirichlet(np.ones(k), size=n)
        if scale != 1.0:     # row sums in [0.5, 1.5], every p below 0.98: the clip plays no part
            p *= np.minimum(rng.uniform(0.5, 1.5, size=(n, 1)), 0.98 / p.max(axis=1, keepdims=True))
        out.append(Case((y.argmax(axis=1) if sparse else y, p), dict(kw)))
    return out


def categorical_edges(rng, sparse=False, **kw):
    eps = kw.get("eps", EPS)
    y = np.eye(3)[[1, 1, 0, 2, 0, 2]]
    p = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [eps, 1.0 - 2 * eps, eps],
                  [1.0 - eps, eps, 0.0], [0.25, 0.75, 0.0]])
    perm = rng.permutation(6)
    y, p = y[perm], p[perm]
    return [Case((y.argmax(axis=1) if sparse else y, p), dict(kw),
                 "probabilities exactly 0 and 1 (on the true class and elsewhere) and at eps")]


def class_logits(rng, shapes=CLASS_SHAPES):
    return [Case((one_hot(rng, n, k), rng.normal(0.0, 3.0, size=(n, k)))) for n, k in shapes]


def huge_class_logits(rng):
    z = np.array([[1000.0, 999.0, -1000.0], [-1000.0, -999.0, -998.0], [0.0, 700.0, 710.0],
                  [800.0, -800.0, 0.0]])
    y = np.eye(3)[[2, 0, 1, 1]]
    return [Case((y, z), {}, "logits up to +-1e3, true class far below the largest")]


def distributions(rng, shapes=CLASS_SHAPES, **kw):
    return [Case((rng.dirichlet(np.ones(k), size=n), rng.dirichlet(np.ones(k), size=n)), dict(kw))
            for n, k in shapes]


def kl_edges(rng, **kw):
    eps = kw.get("eps", EPS)
    y = np.array([[1.0, 0.0, 0.0], [0.0, 0.5, 0.5], [0.25, 0.75, 0.0], [0.0, 0.0, 1.0]])
    p = np.array([[0.0, 1.0, 0.0], [0.0, 0.5, 0.5], [0.25, 0.75, 0.0], [eps, 0.5, 0.5 - eps]])
    perm = rng.permutation(4)
    return [Case((y[perm], p[perm]), dict(kw), "zeros in y_true, p exactly 0 and 1, and at eps")]


def counts(rng, shapes=ELEMENTWISE_SHAPES, **kw):
    out = []
    for shape in shapes:
        rate = np.exp(rng.normal(0.0, 1.0, size=shape))
        out.append(Case((rng.poisson(rate).astype(np.float64), rate * np.exp(rng.normal(0, 0.3, size=shape))),
                        dict(kw)))
    return out


def poisson_edges(rng, **kw):
    p = np.array([0.0, 0.0, 0.0, 1e-12, 1e-12, 2.5, 0.5, 4.0])
    y = np.array([0.0, 1.0, 3.0, 0.0, 2.0, 0.0, 1.0, 7.0])
    perm = rng.permutation(p.size)
    return [Case((y[perm].reshape(2, 4), p[perm].reshape(2, 4)), dict(kw),
                 "predictions of exactly 0 and 1e-12, counts of 0")]


def positives(rng, shapes=ELEMENTWISE_SHAPES, **kw):
    return [Case((np.exp(rng.normal(0.0, 1.0, size=s)), np.exp(rng.normal(0.0, 1.0, size=s))), dict(kw))
            for s in shapes]


def msle_edges(rng, **kw):
    eps = kw.get("eps", EPS)
    p = np.array([0.0, -0.5, -5.0, 1e-9, eps, 2.0, 0.0, -1.0, 3.0, 0.5])
    y = np.array([0.0, 1.0, 2.0, 0.0, 4.0, -3.0, 0.0, 0.5, 3.0, 0.0])
    perm = rng.permutation(p.size)
    return [Case((y[perm].reshape(2, 5), p[perm].reshape(2, 5)), dict(kw),
                 "values of 0, below eps and negative (max(., eps) replaces them), and exactly eps")]


def margins(rng, shapes=ELEMENTWISE_SHAPES):
    out = []
    for shape in shapes:
        y = np.where(rng.random(shape) < 0.5, -1.0, 1.0)
        s = rng.normal(0.0, 1.5, size=shape)
        s[np.abs(np.abs(s) - 1.0) < 1e-3] = 0.5
        out.append(Case((y, s)))
    return out


def hinge_kinks(rng):
    y = np.array([1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0])
    s = np.array([1.0, -1.0, 0.5, 2.0, -1.0, 1.0, 3.0, -0.25])
    perm = rng.permutation(8)
    return [Case((y[perm].reshape(2, 4), s[perm].reshape(2, 4)), {},
                 "margins y * s of exactly 1 (the kink), below and above it")]


# ---------------------------------------------------------------- known mistakes
# Every mistake is computed from the oracles: a transformation of an oracle's output (a factor,
# the kink, another oracle at other arguments) or reference.losses.Mistakes (autograd through a
# clip that passes the gradient, torch built-ins that compute something else).
def _quiet(fn):
    def wrapped(*a, **k):
        with np.errstate(all="ignore"):
            return fn(*a, **k)
    return wrapped


def _huber_quadratic_e2(y, p, delta=1.0):
    """The notes' e^2 (not 0.5 e^2) where |e| <= delta: those elements doubled."""
    inside = np.abs(np.asarray(p) - y) <= delta
    return float(np.mean(np.where(inside, 2.0, 1.0) * Mistakes.huber_elements(y, p, delta)))


def _huber_linear_without_shift(y, p, delta=1.0):
    """delta |e| (without - 0.5 delta^2) where |e| > delta."""
    outside = np.abs(np.asarray(p) - y) > delta
    return float(np.mean(Mistakes.huber_elements(y, p, delta) + np.where(outside, 0.5 * delta ** 2, 0.0)))


def _bce_eps_inside(y, p, eps=EPS):
    """-mean(y log(p + eps) + (1 - y) log(1 - p + eps)): with poisson(y, p) = mean(p - y log(p + eps)),
    that is poisson(y, p) + poisson(1 - y, 1 - p) - 1."""
    return Torch.poisson(y, p, eps=eps) + Torch.poisson(1 - np.asarray(y), 1 - np.asarray(p), eps=eps) - 1.0


def _logits_grad(y, p, per="element"):
    """(p - y) / n (n = p.size, or N rows): half of mse's gradient, times K for a mean over rows."""
    g = Torch.mse_grad(y, p) / 2
    return g * np.shape(p)[-1] if per == "row" else g


def _one_hot(y, p):
    return np.eye(np.shape(p)[1])[np.asarray(y)]


def _sparse_block(y, p, eps=EPS):
    """-mean(log(p_c[:, y])): every row with every label, the oracle on the N x N pairs."""
    n = len(y)
    return Torch.sparse_categorical_crossentropy(np.tile(y, n), np.repeat(p, n, axis=0), eps=eps)


def _hinge_without_max(y, s):
    """mean(1 - y s) = mean(relu(a)) - mean(relu(-a)) with a = 1 - y s, and -a = 1 - y (2 y - s)
    for labels in {-1, 1}: the oracle at s and at 2 y - s."""
    return Torch.hinge(y, s) - Torch.hinge(y, 2 * np.asarray(y) - s)


NOT_CLIPPED = ("your logs are not clipped as the contract asks (PyTorch's F.binary_cross_entropy only clamps "
               "each log at -100): clip p to [eps, 1 - eps] before the logs, as Keras does")
RENORM = "you renormalised the rows (p / p.sum(axis=1)), as Keras does: the contract takes the probabilities as given"
CLIP_GRAD = ("where p was clipped the gradient is 0 (clip stops it outside [eps, 1 - eps]); keep it "
             "where eps <= p <= 1 - eps, the bounds included")


def _through_clip(name):
    return _quiet(lambda y, p, eps=EPS: Mistakes.grad_through_clip(name, y, p, eps=eps))


LIKELY = {
    "mae_grad": [Likely("at e = 0 the derivative of |e| is 0 (np.sign(0) = 0, as PyTorch): do not send the "
                        "zeros to +1 or -1", lambda y, p: Torch.mae_grad(y, p) + (np.asarray(p) == y) / np.size(p))],
    "huber": [Likely("you used the notes' quadratic part e^2: PyTorch, Keras and the contract use 0.5 e^2 "
                     "(then the two pieces join at |e| = delta)", _huber_quadratic_e2),
              Likely("the linear part is delta (|e| - 0.5 delta): the - 0.5 delta^2 is missing",
                     _huber_linear_without_shift)],
    "huber_grad": [Likely("you differentiated the notes' e^2: with 0.5 e^2 the quadratic part's derivative is e, "
                          "not 2 e",
                          lambda y, p, delta=1.0: np.where(np.abs(np.asarray(p) - y) <= delta, 2.0, 1.0)
                          * Torch.huber_grad(y, p, delta)),
                   Likely("the linear part's derivative is delta * sign(e): you kept e there (that is mse's)",
                          lambda y, p, delta=1.0: Torch.mse_grad(y, p) / 2)],
    "binary_crossentropy": [
        Likely(NOT_CLIPPED,
               _quiet(lambda y, p, eps=EPS: Mistakes.torch_binary_cross_entropy(y, p))),
        Likely("you added eps inside the logs (log(p + eps)): the contract clips p to [eps, 1 - eps] instead",
               _quiet(_bce_eps_inside))],
    "binary_crossentropy_grad": [
        Likely(CLIP_GRAD, _through_clip("binary_crossentropy")),
        Likely("(p - y) / n is the gradient with respect to the logits (sigmoid and cross-entropy together), "
               "not with respect to the probabilities", lambda y, p, eps=EPS: _logits_grad(y, p))],
    "binary_crossentropy_from_logits": [
        Likely("you clipped sigmoid(z) to [eps, 1 - eps], as binary_crossentropy does: the from-logits form "
               "has no clipping (use max(z, 0) - z y + log(1 + exp(-|z|)))",
               lambda y, z: Torch.binary_crossentropy(y, Activations.sigmoid(z)))],
    "binary_crossentropy_from_logits_grad": [
        Likely("the sigmoid's derivative cancels: d loss / d z is (sigmoid(z) - y) / n, with no extra "
               "sigmoid(z) (1 - sigmoid(z)) factor",
               lambda y, z: Torch.binary_crossentropy_from_logits_grad(y, z) * Activations.sigmoid_grad(z)),
        Likely("you went through the clipped probabilities: the from-logits gradient is (sigmoid(z) - y) / n "
               "everywhere, even where sigmoid(z) rounds to 0 or 1",
               lambda y, z: Torch.binary_crossentropy_grad(y, Activations.sigmoid(z)) * Activations.sigmoid_grad(z))],
    "categorical_crossentropy": [Likely(RENORM, Keras.categorical_crossentropy)],
    "categorical_crossentropy_grad": [
        Likely(RENORM + " (Keras's gradient is shifted by 1 / (N * row sum))", Keras.categorical_crossentropy_grad),
        Likely(CLIP_GRAD, _through_clip("categorical_crossentropy")),
        Likely("(p - y) / N is the gradient with respect to the logits (softmax and cross-entropy together), "
               "not with respect to the probabilities", lambda y, p, eps=EPS: _logits_grad(y, p, per="row"))],
    "sparse_categorical_crossentropy": [
        Likely("p[:, y] picks an N x N block: the probability of each row's class is p[np.arange(N), y]",
               _quiet(_sparse_block)),
        Likely(RENORM, Keras.sparse_categorical_crossentropy)],
    "sparse_categorical_crossentropy_grad": [
        Likely(RENORM + " (Keras's gradient is shifted by 1 / (N * row sum))",
               Keras.sparse_categorical_crossentropy_grad),
        Likely("(p - one_hot(y)) / N is the gradient with respect to the logits, not the probabilities",
               lambda y, p, eps=EPS: _logits_grad(_one_hot(y, p), p, per="row")),
        Likely(CLIP_GRAD, _through_clip("sparse_categorical_crossentropy"))],
    "softmax_crossentropy_from_logits": [
        Likely("you clipped softmax(z) to [eps, 1 - eps]: the from-logits form has no clipping (use "
               "log_softmax(z) = z - max - log(sum(exp(z - max))))",
               lambda y, z: Torch.categorical_crossentropy(y, Activations.softmax(z)))],
    "softmax_crossentropy_from_logits_grad": [
        Likely("you used the diagonal s (1 - s) of softmax's Jacobian: the whole Jacobian gives "
               "(softmax(z) - y) / N",
               lambda y, z: -y * (1 - Activations.softmax(z)) / np.shape(z)[0])],
    "kl_divergence": [
        Likely("you swapped the arguments: that is sum p log(p / y), KL(p || y); the contract (and Keras's "
               "kl_divergence(y_true, y_pred)) is sum y log(y / p)",
               lambda y, p, eps=EPS: Torch.kl_divergence(p, y, eps=eps)),
        Likely("you did not clip y_true to [eps, 1]: where y = 0 the term is eps log(eps / p_c), not 0 (PyTorch's "
               "kl_div gives 0 there; the contract follows Keras)", _quiet(Mistakes.kl_div_unclipped_target))],
    "kl_divergence_grad": [
        Likely(CLIP_GRAD.replace("1 - eps]", "1]").replace("1 - eps", "1"), _through_clip("kl_divergence")),
        Likely("you differentiated sum p log(p / y) (the arguments swapped): the contract's KL is sum y log(y / p)",
               _quiet(Mistakes.kl_swapped_grad))],
    "poisson": [Likely("the log is log(p + eps), not log(p)",
                       _quiet(lambda y, p, eps=EPS: Torch.poisson(y, p, eps=0.0)))],
    "poisson_grad": [Likely("the derivative is 1 - y / (p + eps): the eps stays in the denominator",
                            _quiet(lambda y, p, eps=EPS: Torch.poisson_grad(y, p, eps=0.0)))],
    "msle": [Likely("you did not replace values below eps by eps (max(p, eps)) before log(1 + .)",
                    _quiet(lambda y, p, eps=EPS: Torch.msle(y, p, eps=-np.inf)))],
    "msle_grad": [Likely("the chain rule through log(1 + p) brings a factor 1 / (1 + p)",
                         lambda y, p, eps=EPS: Torch.msle_grad(y, p, eps=eps) * (1 + np.maximum(p, eps))),
                  Likely("max(p, eps) has derivative 0 where p < eps: the gradient is 0 there", _through_clip("msle"))],
    "hinge": [Likely("you forgot the max(0, .): a margin y s above 1 costs nothing", _hinge_without_max)],
    "hinge_grad": [Likely("at the kink 1 - y s = 0 the gradient is 0 (PyTorch's relu'(0)): use 1 - y s > 0, "
                          "not >= 0", lambda y, s: np.where(1 - np.asarray(y) * s == 0, -np.asarray(y) / np.size(s),
                                                            Torch.hinge_grad(y, s)))],
}


IGNORED_EPS = ("the result ignores the eps argument: it is computed with eps = 1e-7 whatever the caller passes "
               "(use the eps you are given)")
for _name in ("binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
              "kl_divergence", "poisson", "msle"):
    for _fn in (_name, _name + "_grad"):
        LIKELY.setdefault(_fn, []).append(Likely(IGNORED_EPS, _quiet(lambda y, p, eps=EPS, f=_fn: getattr(Torch, f)(y, p))))


# ---------------------------------------------------------------- where Keras differs (measured)
KERAS_RENORM_GRAD = ("Keras divides each row by its sum before clipping, so its gradient has an extra "
                     "+1 / (N * row sum) in every component (measured: exactly +1/N when rows sum to 1); "
                     "the contract uses the probabilities as given")
KERAS_RENORM_VALUE = ("Keras renormalises each row to sum 1 before taking the log; the contract uses the "
                      "probabilities as given")
KERAS_SPARSE_GRAD = ("Keras clips p and then renormalises the clipped row (the softmax of its logs), so its "
                     "gradient has an extra +1 / (N * clipped row sum) in every component (measured: +1/N "
                     "when the rows sum to 1); the contract only clips")
KERAS_SPARSE_CLIP = ("Keras clips p to [eps, 1 - eps] and then renormalises the clipped rows (the softmax of "
                     "their logs); with a large eps a clipped row sums to more than 1 and its loss comes out "
                     "lower (measured: up to 0.05 lower with eps = 0.0625); the contract only clips")
KERAS_MSLE_EPS = ("Keras's msle turns eps into a float32 tensor, 1e-7 -> 1.0000000117e-7, so a prediction of "
                  "exactly 1e-7 lies below it and gets a zero gradient in Keras; the contract's max(p, eps) "
                  "passes the gradient at p = eps")
KERAS_HINGE_KINK = ("at the kink 1 - y s = 0 Keras's maximum(1 - y s, 0) passes the gradient -y / n; "
                    "PyTorch's relu gives 0 there (the contract follows PyTorch)")


# ---------------------------------------------------------------- the rows
def _pair(name, types, typical, edges=(), stable=None, extra=(), more=(), differs=None):
    """The battery (nngrade.battery) of `name` and of `name_grad`. `edges`, `more`, `extra`:
    (what, cases[, options]); `stable`: (what, cases[, options]); an option `differs` may be
    {"value": ..., "grad": ...}, as `differs`."""
    def pick(d, fn):
        return d.get("grad" if fn.endswith("_grad") else "value") if isinstance(d, dict) else d

    def rows(items, fn):
        """Each item's options, its `differs` picked for `fn` (none: the pair's own applies)."""
        out = []
        for what, cases, *rest in items:
            o = dict(rest[0]) if rest else {}
            d = pick(o.pop("differs", None), fn)
            out.append((what, cases, dict(o, differs=d) if d else o))
        return out
    checks = []
    for fn in (name, name + "_grad"):
        checks += battery.checks(
            fn, types=types, typical=typical, typical_what="typical values on several batch shapes",
            edges=rows(list(edges) + list(more), fn), stable=rows([stable], fn)[0] if stable else None,
            extra=rows(extra, fn), torch=getattr(Torch, fn), keras=getattr(Keras, fn),
            likely=tuple(LIKELY.get(fn, ())), differs=pick(differs or {}, fn))
    return checks


def _in_the_clip_zone(edge_cases):
    """The edge inputs with every probability (and target of a KL) at or beyond the bounds moved
    just inside them (0 -> eps / 4, 1 -> 1 - eps / 4): values that the clip changes, and none where
    an unclipped log would warn (the stability check owns those)."""
    def cases(rng, **kw):
        eps = kw.get("eps", EPS)
        out = []
        for c in edge_cases(rng, **kw):
            y, p = c.args
            soft = lambda a: np.where(a <= 0, eps / 4, np.where(a == 1, 1 - eps / 4, a))   # noqa: E731
            y = soft(y) if np.asarray(y).dtype.kind == "f" and edge_cases is kl_edges else y
            q = soft(p)
            if p.ndim == 2 and np.allclose(p.sum(axis=1), 1.0):    # rows that summed to 1 still do
                rows = np.arange(len(q))
                q[rows, q.argmax(axis=1)] -= q.sum(axis=1) - 1.0
            out.append(Case((y, q), dict(c.kwargs), f"probabilities just inside [eps, 1 - eps] and "
                            f"beyond it, eps = {eps:g}"))
        return out
    return cases


def _extra_eps(cases_typical, cases_edge):
    return [(f"eps={kw['eps']!r}", lambda rng, kw=kw: cases_typical(rng, **kw)[:2]
             + _in_the_clip_zone(cases_edge)(rng, **kw)) for kw in EXTRA_EPS]


def _checks() -> list[Check]:
    small = [(3,), (2, 2)]
    small_classes = [(2, 3)]
    clipped = "p exactly 0 and 1: clipped, finite, no warning"
    c = []
    c += _pair("mse", lambda rng: regression(rng, small), regression,
               [("zero errors and a large one", zero_errors)])
    c += _pair("mae", lambda rng: regression(rng, small), regression,
               [("errors of exactly 0 (the kink of abs(e))", zero_errors)])
    c += _pair("huber", lambda rng: huber_regression(rng, small), huber_regression,
               [("errors exactly 0 and +-delta", huber_edges)],
               extra=[(f"delta={d:g}", lambda rng, d=d: huber_regression(rng, ELEMENTWISE_SHAPES[2:], delta=d)
                       + huber_edges(rng, delta=d)) for d in (0.5, 2.0)])
    c += _pair("binary_crossentropy", lambda rng: binary(rng, small, soft=False), binary,
               stable=(clipped, binary_edges), extra=_extra_eps(binary, binary_edges))
    c += _pair("binary_crossentropy_from_logits", lambda rng: logits(rng, small), logits,
               stable=("huge logits: finite, no overflow or warning", huge_logits))
    c += _pair("categorical_crossentropy", lambda rng: categorical(rng, small_classes), categorical,
               stable=(clipped, categorical_edges),
               more=[("rows that do not sum to 1 are used as given", lambda rng: categorical(rng, scale=2.0),
                      {"differs": {"value": KERAS_RENORM_VALUE}})],
               extra=_extra_eps(categorical, categorical_edges),
               differs={"grad": KERAS_RENORM_GRAD})
    sp_cases = lambda rng, **kw: categorical(rng, sparse=True, **kw)      # noqa: E731
    sp_edges = lambda rng, **kw: categorical_edges(rng, sparse=True, **kw)      # noqa: E731
    c += _pair("sparse_categorical_crossentropy", lambda rng: sp_cases(rng, shapes=small_classes), sp_cases,
               stable=(clipped, sp_edges),
               more=[("rows that do not sum to 1 are used as given", lambda rng: sp_cases(rng, scale=2.0),
                      {"differs": {"value": KERAS_RENORM_VALUE}})],
               extra=[(what, cases, {"differs": {"value": KERAS_SPARSE_CLIP}})
                      for what, cases in _extra_eps(sp_cases, sp_edges)],
               differs={"grad": KERAS_SPARSE_GRAD})
    c += _pair("softmax_crossentropy_from_logits", lambda rng: class_logits(rng, small_classes), class_logits,
               stable=("huge logits: finite, no overflow or warning", huge_class_logits))
    c += _pair("kl_divergence", lambda rng: distributions(rng, small_classes), distributions,
               stable=("zeros in y_true, p exactly 0 and 1: clipped, finite, no warning", kl_edges),
               extra=_extra_eps(distributions, kl_edges))
    c += _pair("poisson", lambda rng: counts(rng, small), counts,
               stable=("predictions of exactly 0: finite, no warning", poisson_edges),
               extra=_extra_eps(counts, poisson_edges))
    c += _pair("msle", lambda rng: positives(rng, small), positives,
               stable=("values at 0, below eps and negative: finite, no warning", msle_edges,
                       {"differs": {"grad": KERAS_MSLE_EPS}}),
               extra=_extra_eps(positives, msle_edges))
    c += _pair("hinge", lambda rng: margins(rng, small), margins,
               [("margins of exactly 1 (the kink)", hinge_kinks, {"differs": {"grad": KERAS_HINGE_KINK}})])
    return c


CHECKS = _checks()
assert {c.function for c in CHECKS} == {n for name in NAMES for n in (name, name + "_grad")}

"""lab02_activations: every activation and its derivative, elementwise, any shape.

Per function: types and shapes (1 point), typical values on random shapes (2), the kink or
edge values (1), stability at +-1e3 (1), and extra arguments where the function has them
(1). PyTorch decides; Keras is run on the same inputs and agrees except where noted.
"""
from __future__ import annotations

import numpy as np

from nngrade.cases import SHAPES, extremes, points, random_arrays
from nngrade.registry import Case, Check, Likely
from reference.activations import Keras, Torch

NAMES = ["identity", "binary_step", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu",
         "softplus", "silu", "gaussian"]
DIFFERS = {
    "gelu": "Keras's GELU rounds its constants (sqrt(2/pi), 0.044715) to float32: up to 5e-9 off",
    "selu_grad@0": "at z = 0 Keras's selu' takes the right-hand slope, 1.0507; PyTorch's is "
                   "scale * alpha = 1.7581 (the contract follows PyTorch). Keras does the same for "
                   "-1e-16 < z < 0, where its alpha (e^z - 1) rounds to 0",
}

# Known mistakes, evaluated on the failing input. A row whose function returns None does
# not apply to that input (e.g. a message about `approximate=True` on an exact-GELU case).
ON_Z = "you applied the derivative written in terms of the output ({}) to z itself: compute {} first"
AT_0 = "at z = 0 the derivative is {} (PyTorch's convention; {}): use z > 0, not z >= 0"
CHEAT_SHEET = "the notes' cheat sheet takes the right-hand slope 1 there"
NOTES_SELU = ("the notes' rounded constants (lambda = 1.0507, alpha = 1.67326) are off by 1e-5: use "
              "lambda = 1.0507009873554805 and alpha = 1.6732632423543772")
IGNORED = "the result ignores the {} argument: it is computed with {} whatever the caller passes"


def _sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -z))


def _only_if(flag, value):
    """`value` where the case's `approximate` equals `flag`, else no diagnosis."""
    return lambda z, approximate=False: value(z) if bool(approximate) == flag else None


def _gelu_tanh(z):
    u = np.sqrt(2.0 / np.pi) * (z + 0.044715 * z ** 3)
    return 0.5 * z * (1.0 + np.tanh(u))


def _gelu_erf_z_over_2(z):
    from scipy.special import erf
    return 0.5 * z * (1.0 + erf(z / 2.0))


def _gelu_cdf(z):
    from scipy.special import ndtr
    return ndtr(z)


LIKELY = {
    "binary_step": [Likely("at z = 0 the binary step is 1 (z >= 0, the notes' cheat sheet), not 0: "
                           "use >=, not >", lambda z: (z > 0).astype(float)),
                    Likely("np.sign gives -1 for z < 0: the step is 0 there (and 1 at z = 0)", np.sign),
                    Likely("np.heaviside(z, 0.5) is 0.5 at z = 0: the step is 1 there, np.heaviside(z, 1.0)",
                           lambda z: np.heaviside(z, 0.5))],
    "sigmoid": [Likely("this is sigmoid(-z) = 1 - sigmoid(z): the sign in the exponent is flipped "
                       "(1 / (1 + e^(-z)))", lambda z: _sigmoid(-z)),
                Likely("this is 0.5 (1 + tanh(z)): the tanh form of the sigmoid is 0.5 (1 + tanh(z / 2))",
                       lambda z: 0.5 * (1 + np.tanh(z)))],
    "sigmoid_grad": [Likely(ON_Z.format("s (1 - s)", "s = sigmoid(z)"), lambda z: z * (1 - z)),
                     Likely("1 - s^2 is the pattern of tanh's derivative: sigmoid' = s (1 - s)",
                            lambda z: 1 - _sigmoid(z) ** 2)],
    "tanh": [Likely("this is 2 sigmoid(z) - 1 = tanh(z / 2): tanh(z) = 2 sigmoid(2 z) - 1",
                    lambda z: np.tanh(z / 2))],
    "tanh_grad": [Likely(ON_Z.format("1 - t^2", "t = tanh(z)"), lambda z: 1 - z ** 2),
                  Likely("this is 1 - tanh(z): the square is missing, tanh' = 1 - tanh(z)^2",
                         lambda z: 1 - np.tanh(z))],
    "relu_grad": [Likely(AT_0.format(0, "the notes leave it undefined"), lambda z: (z >= 0).astype(float)),
                  Likely("np.sign gives -1 for z < 0: relu' is 0 there", np.sign)],
    "leaky_relu": [Likely("this is alpha = 0.2, Keras's default slope: the default here is alpha=0.01 "
                          "(PyTorch's)", lambda z: Torch.leaky_relu(z, 0.2)),
                   Likely("this is alpha = 0.3, the default of keras.layers.LeakyReLU: the default here "
                          "is alpha=0.01 (PyTorch's)", lambda z: Torch.leaky_relu(z, 0.3)),
                   Likely(IGNORED.format("alpha", "0.01"), lambda z, alpha=0.01: Torch.leaky_relu(z, 0.01)),
                   Likely("for z <= 0 the value is alpha * z, not the constant alpha",
                          lambda z, alpha=0.01: np.where(z > 0, z, alpha))],
    "leaky_relu_grad": [Likely(AT_0.format("alpha", CHEAT_SHEET),
                               lambda z, alpha=0.01: np.where(z >= 0, 1.0, alpha)),
                        Likely("this is alpha = 0.2, Keras's default slope: the default here is "
                               "alpha=0.01 (PyTorch's)", lambda z: Torch.leaky_relu_grad(z, 0.2)),
                        Likely(IGNORED.format("alpha", "0.01"),
                               lambda z, alpha=0.01: Torch.leaky_relu_grad(z, 0.01)),
                        Likely("for z <= 0 the slope is alpha, not 0 (that is relu's derivative)",
                               lambda z, alpha=0.01: Torch.relu_grad(z))],
    "elu": [Likely("for z <= 0 the value is alpha (e^z - 1): the -1 is missing",
                   lambda z, alpha=1.0: np.where(z > 0, z, alpha * np.exp(np.minimum(z, 0)))),
            Likely(IGNORED.format("alpha", "1.0"), lambda z, alpha=1.0: Torch.elu(z, 1.0))],
    "elu_grad": [Likely(AT_0.format("alpha", CHEAT_SHEET),
                        lambda z, alpha=1.0: np.where(z >= 0, 1.0, alpha * np.exp(np.minimum(z, 0)))),
                 Likely(IGNORED.format("alpha", "1.0"), lambda z, alpha=1.0: Torch.elu_grad(z, 1.0))],
    "selu": [Likely("the values are off by the scale 1.0507: did you forget lambda?",
                    lambda z: Torch.selu(z) / 1.0507009873554805),
             Likely("lambda = 1.0507... and alpha = 1.6732... are swapped",
                    lambda z: 1.6732632423543772 * Torch.elu(z, 1.0507009873554805)),
             Likely("lambda multiplies both branches: selu(z) = lambda * elu(z, alpha)",
                    lambda z: np.where(z > 0, 1.0507009873554805 * z, Torch.elu(z, 1.6732632423543772))),
             Likely(NOTES_SELU, lambda z: 1.0507 * Torch.elu(z, 1.67326))],
    "selu_grad": [Likely("at z = 0 PyTorch's selu' is lambda * alpha = 1.7581 (Keras's right-hand slope "
                         "1.0507 is not the contract): use z > 0, not z >= 0",
                         lambda z: np.where(z >= 0, 1.0507009873554805, Torch.selu_grad(z))),
                  Likely("the values are off by the scale 1.0507: did you forget lambda?",
                         lambda z: Torch.selu_grad(z) / 1.0507009873554805),
                  Likely(NOTES_SELU, lambda z: 1.0507 * Torch.elu_grad(z, 1.67326))],
    "gelu": [Likely("this is the tanh approximation: with approximate=False use the exact "
                    "0.5 z (1 + erf(z / sqrt(2)))", _only_if(False, _gelu_tanh)),
             Likely(IGNORED.format("approximate", "the exact erf form"),
                    _only_if(True, lambda z: Torch.gelu(z, False))),
             Likely("this is z sigmoid(1.702 z), a rougher approximation: use the exact "
                    "0.5 z (1 + erf(z / sqrt(2)))", _only_if(False, lambda z: z * _sigmoid(1.702 * z))),
             Likely("the argument of erf is z / sqrt(2), not z / 2", _only_if(False, _gelu_erf_z_over_2))],
    "gelu_grad": [Likely("this is Phi(z) alone: by the product rule gelu' = Phi(z) + z phi(z)",
                         _only_if(False, _gelu_cdf)),
                  Likely("this is the derivative of the tanh approximation: with approximate=False "
                         "differentiate the exact form, Phi(z) + z phi(z)",
                         _only_if(False, lambda z: Torch.gelu_grad(z, True))),
                  Likely(IGNORED.format("approximate", "the exact erf form"),
                         _only_if(True, lambda z: Torch.gelu_grad(z, False))),
                  Likely("the normal density is phi(z) = exp(-z^2 / 2) / sqrt(2 pi): the factor "
                         "1 / sqrt(2 pi) is missing",
                         _only_if(False, lambda z: _gelu_cdf(z) + z * np.exp(-0.5 * z * z)))],
    "softplus": [Likely("log(1 + e^(-|z|)) alone is not softplus: add max(z, 0)",
                        lambda z: np.log1p(np.exp(-np.abs(z))))],
    "softplus_grad": [Likely("this is sigmoid(-z) = 1 - sigmoid(z): softplus' = sigmoid(z) = 1 / (1 + e^(-z))",
                             lambda z: _sigmoid(-z))],
    "silu": [Likely("you returned sigmoid(z): silu is z * sigmoid(z)", _sigmoid)],
    "silu_grad": [Likely("you returned sigmoid(z): the product rule adds z * sigmoid(z) * (1 - sigmoid(z))",
                         _sigmoid),
                  Likely("s (1 - s) is the derivative of sigmoid alone: by the product rule "
                         "silu' = s + z s (1 - s)", lambda z: Torch.sigmoid_grad(z)),
                  Likely("the second term of the product rule is z s (1 - s): the factor z is missing",
                         lambda z: _sigmoid(z) * (2 - _sigmoid(z)))],
    "gaussian": [Likely("exp(-z^2 / 2) is the shape of the normal density; the Gaussian activation "
                        "here is exp(-z^2)", lambda z: np.exp(-z * z / 2)),
                 Likely("exp(-z)^2 is exp(-2 z): square z inside the exponent, exp(-z^2)",
                        lambda z: np.exp(-2 * np.clip(z, -300, 300)))],
    "gaussian_grad": [Likely("the derivative of exp(-z^2) is -2 z exp(-z^2): a factor is missing",
                             lambda z: -z * np.exp(-z * z)),
                      Likely("the chain rule gives -2 z exp(-z^2): the factor z is missing",
                             lambda z: -2 * np.exp(-z * z))],
    "softmax": [Likely("you normalised over the wrong axis", lambda z, axis=-1: Torch.softmax(z, axis=0)),
                Likely("you normalised over the whole array instead of along the axis",
                       lambda z, axis=-1: np.exp(z - z.max()) / np.exp(z - z.max()).sum()),
                Likely(IGNORED.format("axis", "axis=-1"), lambda z, axis=-1: Torch.softmax(z, -1))],
    "softmax_backward": [Likely("you multiplied by the diagonal s (1 - s) only: the Jacobian of softmax "
                                "also has the off-diagonal terms -s_i s_j",
                                lambda z, g, axis=-1: g * Torch.softmax(z, axis) * (1 - Torch.softmax(z, axis))),
                         Likely("the sum of g_i s_i runs over the whole array: sum along the axis only "
                                "(keepdims=True)",
                                lambda z, g, axis=-1: Torch.softmax(z, axis)
                                * (g - np.sum(g * Torch.softmax(z, axis)))),
                         Likely("the sum is of g_i s_i (weighted by the softmax), not of g_i alone",
                                lambda z, g, axis=-1: Torch.softmax(z, axis)
                                * (g - np.sum(g, axis=axis, keepdims=True))),
                         Likely(IGNORED.format("axis", "axis=-1"),
                                lambda z, g, axis=-1: Torch.softmax_backward(z, g, -1)),
                         Likely("these are the values of softmax(z): softmax_backward returns the gradient "
                                "s * (grad_out - sum(grad_out * s)) along the axis",
                                lambda z, g, axis=-1: Torch.softmax(z, axis))],
}
# The activation in place of its derivative, and the other way round, for every function.
HINT = {"identity": " (1 everywhere)", "binary_step": " (0 everywhere)",
        "softplus": ": the derivative of softplus is sigmoid(z)"}
for _name in NAMES:
    LIKELY.setdefault(_name + "_grad", []).insert(
        0, Likely(f"these are the values of {_name}(z), not of its derivative{HINT.get(_name, '')}",
                  getattr(Torch, _name)))
    LIKELY.setdefault(_name, []).append(
        Likely(f"these are the values of the derivative {_name}_grad(z), not of {_name}(z)",
               getattr(Torch, _name + "_grad")))


def _distinct(value, right):
    """No diagnosis where the mistake gives the right answer on this input (relu_grad's
    z >= 0 on an input without a 0, `ignores alpha` on a case with the default alpha):
    there a result merely near the right one would be misnamed."""
    def row(*args, **kwargs):
        v = value(*args, **kwargs)
        if v is None:
            return None
        r = right(*args, **kwargs)
        with np.errstate(all="ignore"):
            same = np.shape(v) == np.shape(r) and np.allclose(v, r, rtol=1e-9, atol=1e-12, equal_nan=True)
        return None if same else v
    return row


LIKELY = {fn: tuple(Likely(r.message, _distinct(r.value, getattr(Torch, fn))) for r in rows)
          for fn, rows in LIKELY.items()}

KINKS = {
    "binary_step": (-1.0, -1e-12, 0.0, 1e-12, 1.0),
    "relu": (-1.0, -1e-12, 0.0, 1e-12, 1.0),
    "leaky_relu": (-1.0, -1e-12, 0.0, 1e-12, 1.0),
    "elu": (-1.0, -1e-12, 0.0, 1e-12, 1.0),
    "selu": (-1.0, -1e-12, 0.0, 1e-12, 1.0),
}
EXTRA = {  # non-default extra arguments; dyadic values so that Keras agrees exactly
    "leaky_relu": [{"alpha": 0.0625}, {"alpha": 0.25}],
    "elu": [{"alpha": 0.5}, {"alpha": 1.5}],
    "gelu": [{"approximate": True}],
}


def _elementwise(name: str) -> list[Check]:
    checks = []
    for fn in (name, name + "_grad"):
        common = dict(torch=getattr(Torch, fn), keras=getattr(Keras, fn), likely=tuple(LIKELY.get(fn, ())),
                      differs=DIFFERS.get(name))
        checks += [
            Check(fn, "types and shapes", 1, lambda rng: random_arrays(rng, [(4,), (2, 3), (2, 1, 3)]),
                  structure_only=True, **common),
            Check(fn, "typical values on random shapes", 2, random_arrays, **common),
        ]
        kink = KINKS.get(name, (-2.0, -0.5, 0.0, 0.5, 2.0))
        edge = dict(common, differs=DIFFERS.get(f"{fn}@0", common["differs"]))
        checks.append(Check(fn, "at z = 0 and around it" if name in KINKS else "edge values", 1,
                            lambda rng, k=kink: points(*k, note="exact values around z = 0"), **edge))
        checks.append(Check(fn, "stable at +-1e3 (no overflow, NaN or warning)", 1, extremes,
                            stable=True, **common))
        for kw in EXTRA.get(name, []):
            label = ", ".join(f"{k}={v}" for k, v in kw.items())
            kink_kw = points(*KINKS[name], note="exact values around z = 0", **kw) if name in KINKS else []
            checks.append(Check(fn, f"extra argument {label}", 1,
                                lambda rng, kw=kw, k=kink_kw: random_arrays(rng, SHAPES[:2], **kw)
                                + extremes(rng, **kw) + k, stable=True, **common))
    return checks


def _softmax_cases(rng, with_grad=False, **kw):
    out = []
    for shape in [(4,), (3, 5), (2, 3, 4)]:
        z = rng.normal(0, 3, size=shape)
        args = (z, rng.normal(size=shape)) if with_grad else (z,)
        out.append(Case(args, dict(kw)))
    return out


def _softmax_extremes(rng, with_grad=False):
    z = np.array([[1000.0, 999.0, -1000.0], [-1000.0, -999.0, -998.0], [0.0, 700.0, 710.0]])
    args = (z, rng.normal(size=z.shape)) if with_grad else (z,)
    return [Case(args, {}, "logits up to +-1e3: subtract the maximum before exp")]


def _softmax_axes(rng, with_grad=False):
    out = []
    for axis in (0, 1):
        z = rng.normal(0, 2, size=(3, 4))
        out.append(Case((z, rng.normal(size=z.shape)) if with_grad else (z,), {"axis": axis}))
    return out


def _softmax_checks() -> list[Check]:
    checks = []
    for fn, g in (("softmax", False), ("softmax_backward", True)):
        common = dict(torch=getattr(Torch, fn), keras=getattr(Keras, fn), likely=tuple(LIKELY.get(fn, ())))
        checks += [
            Check(fn, "types and shapes", 1, lambda rng, g=g: _softmax_cases(rng, g), structure_only=True, **common),
            Check(fn, "typical values on random shapes", 2, lambda rng, g=g: _softmax_cases(rng, g), **common),
            Check(fn, "stable at +-1e3 (no overflow, NaN or warning)", 1,
                  lambda rng, g=g: _softmax_extremes(rng, g), stable=True, **common),
            Check(fn, "extra argument axis=0 and axis=1", 1, lambda rng, g=g: _softmax_axes(rng, g), **common),
        ]
    return checks


CHECKS = [c for name in NAMES for c in _elementwise(name)] + _softmax_checks()

# Each function is graded on its own: while one is graded, these stand in for the others
# (a wrong sigmoid costs sigmoid its points, not sigmoid_grad, silu and softplus_grad too).
SUBSTITUTE = NAMES + [n + "_grad" for n in NAMES] + ["softmax", "softmax_backward"]

# One large input per function, timed against the oracle for a note on speed (never points).
_LARGE = lambda rng: Case((rng.normal(0.0, 3.0, size=(500, 500)),))  # noqa: E731
SPEED = {name: _LARGE for name in SUBSTITUTE if name != "softmax_backward"}
SPEED["softmax_backward"] = lambda rng: Case((rng.normal(size=(500, 500)), rng.normal(size=(500, 500))))

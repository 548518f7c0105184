"""lab02_activations: every activation and its derivative, elementwise, any shape.

Per function: types and shapes (1 point), typical values on random shapes (2), the kink or
edge values (1), stability at +-1e3 (1), and extra arguments where the function has them
(1). PyTorch decides; Keras is run on the same inputs and agrees except where noted.
"""
from __future__ import annotations

import numpy as np

from nngrade import battery
from nngrade.registry import Case, Check, Likely
from reference.activations import Keras, Mistakes, Torch

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


def _only_if(flag, value):
    """`value` where the case's `approximate` equals `flag`, else no diagnosis."""
    return lambda z, approximate=False: value(z) if bool(approximate) == flag else None


# Every mistake below is computed from the oracles (reference.activations: Torch values and
# autograd derivatives, and its `Mistakes` for the ones autograd builds), transformed where
# the mistake differs: at the kink only, by a constant, on one side of 0.
SQRT2 = np.sqrt(2.0)
SQRT_2PI = np.sqrt(2.0 * np.pi)
LAMBDA, ALPHA = 1.0507009873554805, 1.6732632423543772
NOTES_FACTOR = {"pos": 1.0507 / LAMBDA, "neg": 1.0507 * 1.67326 / (LAMBDA * ALPHA)}


def _notes_constants(value, z):
    """selu (or selu') with the notes' rounded constants: the oracle rescaled on each side of 0."""
    return value * np.where(np.asarray(z) > 0, NOTES_FACTOR["pos"], NOTES_FACTOR["neg"])


LIKELY = {
    "binary_step": [Likely("at z = 0 the binary step is 1 (z >= 0, the notes' cheat sheet), not 0: "
                           "use >=, not >", lambda z: np.where(z == 0, 0.0, Torch.binary_step(z))),
                    Likely("np.sign gives -1 for z < 0: the step is 0 there (and 1 at z = 0)", np.sign),
                    Likely("np.heaviside(z, 0.5) is 0.5 at z = 0: the step is 1 there, np.heaviside(z, 1.0)",
                           lambda z: np.where(z == 0, 0.5, Torch.binary_step(z)))],
    "sigmoid": [Likely("this is sigmoid(-z) = 1 - sigmoid(z): the sign in the exponent is flipped "
                       "(1 / (1 + e^(-z)))", lambda z: Torch.sigmoid(-z)),
                Likely("this is 0.5 (1 + tanh(z)): the tanh form of the sigmoid is 0.5 (1 + tanh(z / 2))",
                       lambda z: Torch.sigmoid(2 * z))],         # = 0.5 (1 + tanh(z))
    "sigmoid_grad": [Likely(ON_Z.format("s (1 - s)", "s = sigmoid(z)"), lambda z: z * (1 - z)),
                     Likely("1 - s^2 is the pattern of tanh's derivative: sigmoid' = s (1 - s)",
                            lambda z: 1 - Torch.sigmoid(z) ** 2)],
    "tanh": [Likely("this is 2 sigmoid(z) - 1 = tanh(z / 2): tanh(z) = 2 sigmoid(2 z) - 1",
                    lambda z: Torch.tanh(z / 2))],
    "tanh_grad": [Likely(ON_Z.format("1 - t^2", "t = tanh(z)"), lambda z: 1 - z ** 2),
                  Likely("this is 1 - tanh(z): the square is missing, tanh' = 1 - tanh(z)^2",
                         lambda z: 1 - Torch.tanh(z))],
    "relu_grad": [Likely(AT_0.format(0, "the notes leave it undefined"),
                         lambda z: np.where(z == 0, 1.0, Torch.relu_grad(z))),
                  Likely("np.sign gives -1 for z < 0: relu' is 0 there", np.sign)],
    "leaky_relu": [Likely("this is alpha = 0.2, Keras's default slope: the default here is alpha=0.01 "
                          "(PyTorch's)", lambda z: Torch.leaky_relu(z, 0.2)),
                   Likely("this is alpha = 0.3, the default of keras.layers.LeakyReLU: the default here "
                          "is alpha=0.01 (PyTorch's)", lambda z: Torch.leaky_relu(z, 0.3)),
                   Likely(IGNORED.format("alpha", "0.01"), lambda z, alpha=0.01: Torch.leaky_relu(z, 0.01)),
                   Likely("for z <= 0 the value is alpha * z, not the constant alpha",
                          lambda z, alpha=0.01: np.where(z > 0, Torch.leaky_relu(z, alpha), alpha))],
    "leaky_relu_grad": [Likely(AT_0.format("alpha", CHEAT_SHEET),
                               lambda z, alpha=0.01: np.where(z == 0, 1.0, Torch.leaky_relu_grad(z, alpha))),
                        Likely("this is alpha = 0.2, Keras's default slope: the default here is "
                               "alpha=0.01 (PyTorch's)", lambda z: Torch.leaky_relu_grad(z, 0.2)),
                        Likely(IGNORED.format("alpha", "0.01"),
                               lambda z, alpha=0.01: Torch.leaky_relu_grad(z, 0.01)),
                        Likely("for z <= 0 the slope is alpha, not 0 (that is relu's derivative)",
                               lambda z, alpha=0.01: Torch.relu_grad(z))],
    "elu": [Likely("for z <= 0 the value is alpha (e^z - 1): the -1 is missing",
                   lambda z, alpha=1.0: Torch.elu(z, alpha) + alpha * (np.asarray(z) <= 0)),
            Likely(IGNORED.format("alpha", "1.0"), lambda z, alpha=1.0: Torch.elu(z, 1.0))],
    "elu_grad": [Likely(AT_0.format("alpha", CHEAT_SHEET),
                        lambda z, alpha=1.0: np.where(z == 0, 1.0, Torch.elu_grad(z, alpha))),
                 Likely(IGNORED.format("alpha", "1.0"), lambda z, alpha=1.0: Torch.elu_grad(z, 1.0))],
    "selu": [Likely("the values are off by the scale 1.0507: did you forget lambda?",
                    lambda z: Torch.selu(z) / LAMBDA),
             Likely("lambda = 1.0507... and alpha = 1.6732... are swapped",
                    lambda z: np.where(np.asarray(z) > 0, Torch.selu(z) * ALPHA / LAMBDA, Torch.selu(z))),
             Likely("lambda multiplies both branches: selu(z) = lambda * elu(z, alpha)",
                    lambda z: np.where(np.asarray(z) > 0, Torch.selu(z), Torch.selu(z) / LAMBDA)),
             Likely(NOTES_SELU, lambda z: _notes_constants(Torch.selu(z), z))],
    "selu_grad": [Likely("at z = 0 PyTorch's selu' is lambda * alpha = 1.7581 (Keras's right-hand slope "
                         "1.0507 is not the contract): use z > 0, not z >= 0",
                         lambda z: np.where(z == 0, LAMBDA, Torch.selu_grad(z))),
                  Likely("the values are off by the scale 1.0507: did you forget lambda?",
                         lambda z: Torch.selu_grad(z) / LAMBDA),
                  Likely(NOTES_SELU, lambda z: _notes_constants(Torch.selu_grad(z), z))],
    "gelu": [Likely("this is the tanh approximation: with approximate=False use the exact "
                    "0.5 z (1 + erf(z / sqrt(2)))", _only_if(False, lambda z: Torch.gelu(z, True))),
             Likely(IGNORED.format("approximate", "the exact erf form"),
                    _only_if(True, lambda z: Torch.gelu(z, False))),
             Likely("this is z sigmoid(1.702 z), a rougher approximation: use the exact "
                    "0.5 z (1 + erf(z / sqrt(2)))", _only_if(False, lambda z: z * Torch.sigmoid(1.702 * z))),
             # 0.5 z (1 + erf(z / 2)) = sqrt(2) gelu(z / sqrt(2))
             Likely("the argument of erf is z / sqrt(2), not z / 2",
                    _only_if(False, lambda z: SQRT2 * Torch.gelu(z / SQRT2)))],
    "gelu_grad": [Likely("this is Phi(z) alone: by the product rule gelu' = Phi(z) + z phi(z)",
                         _only_if(False, Mistakes.normal_cdf)),
                  Likely("this is the derivative of the tanh approximation: with approximate=False "
                         "differentiate the exact form, Phi(z) + z phi(z)",
                         _only_if(False, lambda z: Torch.gelu_grad(z, True))),
                  Likely(IGNORED.format("approximate", "the exact erf form"),
                         _only_if(True, lambda z: Torch.gelu_grad(z, False))),
                  Likely("the normal density is phi(z) = exp(-z^2 / 2) / sqrt(2 pi): the factor "
                         "1 / sqrt(2 pi) is missing",
                         # Phi + sqrt(2 pi) z phi, with z phi = gelu' - Phi
                         _only_if(False, lambda z: SQRT_2PI * Torch.gelu_grad(z)
                                  - (SQRT_2PI - 1) * Mistakes.normal_cdf(z)))],
    "softplus": [Likely("log(1 + e^(-|z|)) alone is not softplus: add max(z, 0)",
                        lambda z: Torch.softplus(z) - np.maximum(z, 0.0))],
    "softplus_grad": [Likely("this is sigmoid(-z) = 1 - sigmoid(z): softplus' = sigmoid(z) = 1 / (1 + e^(-z))",
                             lambda z: Torch.sigmoid(-z))],
    "silu": [Likely("you returned sigmoid(z): silu is z * sigmoid(z)", Torch.sigmoid)],
    "silu_grad": [Likely("you returned sigmoid(z): the product rule adds z * sigmoid(z) * (1 - sigmoid(z))",
                         Torch.sigmoid),
                  Likely("s (1 - s) is the derivative of sigmoid alone: by the product rule "
                         "silu' = s + z s (1 - s)", lambda z: Torch.sigmoid_grad(z)),
                  Likely("the second term of the product rule is z s (1 - s): the factor z is missing",
                         lambda z: Torch.sigmoid(z) * (2 - Torch.sigmoid(z)))],
    "gaussian": [Likely("exp(-z^2 / 2) is the shape of the normal density; the Gaussian activation "
                        "here is exp(-z^2)", lambda z: Torch.gaussian(z / SQRT2)),
                 Likely("exp(-z)^2 is exp(-2 z): square z inside the exponent, exp(-z^2)",
                        lambda z: np.exp(-2 * np.clip(z, -300, 300)))],
    "gaussian_grad": [Likely("the derivative of exp(-z^2) is -2 z exp(-z^2): a factor is missing",
                             lambda z: Torch.gaussian_grad(z) / 2),
                      Likely("the chain rule gives -2 z exp(-z^2): the factor z is missing",
                             lambda z: -2 * Torch.gaussian(z))],
    "softmax": [Likely("you normalised over the wrong axis", lambda z, axis=-1: Torch.softmax(z, axis=0)),
                Likely("you normalised over the whole array instead of along the axis",
                       lambda z, axis=-1: Torch.softmax(np.reshape(z, -1)).reshape(np.shape(z))),
                Likely(IGNORED.format("axis", "axis=-1"), lambda z, axis=-1: Torch.softmax(z, -1))],
    "softmax_backward": [Likely("you multiplied by the diagonal s (1 - s) only: the Jacobian of softmax "
                                "also has the off-diagonal terms -s_i s_j",
                                lambda z, g, axis=-1: g * Torch.softmax(z, axis) * (1 - Torch.softmax(z, axis))),
                         Likely("the sum of g_i s_i runs over the whole array: sum along the axis only "
                                "(keepdims=True)",
                                Mistakes.softmax_backward_sum_over_all),
                         Likely("the sum is of g_i s_i (weighted by the softmax), not of g_i alone",
                                Mistakes.softmax_backward_unweighted_sum),
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


LIKELY = {fn: tuple(rows) for fn, rows in LIKELY.items()}

KINKED = ("binary_step", "relu", "leaky_relu", "elu", "selu")     # checked at z = 0 and around it
EXTRA = {  # non-default extra arguments; dyadic values so that Keras agrees exactly
    "leaky_relu": [{"alpha": 0.0625}, {"alpha": 0.25}],
    "elu": [{"alpha": 0.5}, {"alpha": 1.5}],
    "gelu": [{"approximate": True}],
}


def _elementwise(name: str) -> list[Check]:
    return [c for fn in (name, name + "_grad") for c in battery.elementwise(
        fn, kinks=battery.KINK if name in KINKED else None, extra=EXTRA.get(name, ()),
        edge_overrides={"differs": DIFFERS.get(f"{fn}@0", DIFFERS.get(name))},
        torch=getattr(Torch, fn), keras=getattr(Keras, fn), likely=tuple(LIKELY.get(fn, ())),
        differs=DIFFERS.get(name))]


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
        checks += battery.checks(
            fn, types=lambda rng, g=g: _softmax_cases(rng, g), typical=lambda rng, g=g: _softmax_cases(rng, g),
            stable=(battery.STABLE, lambda rng, g=g: _softmax_extremes(rng, g)),
            extra=[("axis=0 and axis=1", lambda rng, g=g: _softmax_axes(rng, g))],
            torch=getattr(Torch, fn), keras=getattr(Keras, fn), likely=tuple(LIKELY.get(fn, ())))
    return checks


CHECKS = [c for name in NAMES for c in _elementwise(name)] + _softmax_checks()

# Each function is graded on its own: while one is graded, these stand in for the others
# (a wrong sigmoid costs sigmoid its points, not sigmoid_grad, silu and softplus_grad too).
SUBSTITUTE = NAMES + [n + "_grad" for n in NAMES] + ["softmax", "softmax_backward"]

# One large input per function, timed against the oracle for a note on speed (never points).
_LARGE = lambda rng: Case((rng.normal(0.0, 3.0, size=(300, 300)),))  # noqa: E731
SPEED = {name: _LARGE for name in SUBSTITUTE if name != "softmax_backward"}
SPEED["softmax_backward"] = lambda rng: Case((rng.normal(size=(300, 300)), rng.normal(size=(300, 300))))

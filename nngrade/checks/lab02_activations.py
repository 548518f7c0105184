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

DIFFERS = {
    "gelu": "Keras's GELU rounds its constants (sqrt(2/pi), 0.044715) to float32: up to 5e-9 off",
    "selu_grad@0": "at z = 0 Keras's selu' takes the right-hand slope, 1.0507; PyTorch's is "
                   "scale * alpha = 1.7581 (the contract follows PyTorch)",
}

# Known mistakes, evaluated on the failing input.
ON_Z = "you applied the derivative written in terms of the output ({}) to z itself: compute {} first"
LIKELY = {
    "sigmoid_grad": [Likely("these are the values of sigmoid(z), not of its derivative", Torch.sigmoid),
                     Likely(ON_Z.format("s (1 - s)", "s = sigmoid(z)"), lambda z: z * (1 - z))],
    "tanh_grad": [Likely("these are the values of tanh(z), not of its derivative", Torch.tanh),
                  Likely(ON_Z.format("1 - t^2", "t = tanh(z)"), lambda z: 1 - z ** 2)],
    "relu_grad": [Likely("these are the values of relu(z), not of its derivative", Torch.relu),
                  Likely("at z = 0 the derivative is 0 (PyTorch's convention): use z > 0, not z >= 0",
                         lambda z: (z >= 0).astype(float))],
    "leaky_relu_grad": [Likely("at z = 0 the derivative is alpha (PyTorch's convention): use z > 0",
                               lambda z, alpha=0.01: np.where(z >= 0, 1.0, alpha))],
    "elu_grad": [Likely("at z = 0 the derivative is alpha (PyTorch's convention): use z > 0",
                        lambda z, alpha=1.0: np.where(z >= 0, 1.0, alpha * np.exp(np.minimum(z, 0))))],
    "selu": [Likely("the values are off by the scale 1.0507: did you forget lambda?",
                    lambda z: Torch.selu(z) / 1.0507009873554805)],
    "softplus_grad": [Likely("these are softplus(z) values: the derivative of softplus is sigmoid(z)",
                             Torch.softplus)],
    "silu_grad": [Likely("you returned sigmoid(z): the product rule adds z * sigmoid(z) * (1 - sigmoid(z))",
                         Torch.sigmoid)],
    "gaussian_grad": [Likely("the derivative of exp(-z^2) is -2 z exp(-z^2): a factor is missing",
                             lambda z: -z * np.exp(-z * z))],
    "softmax": [Likely("you normalised over the wrong axis", lambda z, axis=-1: Torch.softmax(z, axis=0)),
                Likely("you normalised over the whole array instead of along the axis",
                       lambda z, axis=-1: np.exp(z - z.max()) / np.exp(z - z.max()).sum())],
    "softmax_backward": [Likely("you multiplied by the diagonal s (1 - s) only: the Jacobian of softmax "
                                "also has the off-diagonal terms -s_i s_j",
                                lambda z, g, axis=-1: g * Torch.softmax(z, axis) * (1 - Torch.softmax(z, axis)))],
}

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
NAMES = ["identity", "binary_step", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu",
         "softplus", "silu", "gaussian"]


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
            checks.append(Check(fn, f"extra argument {label}", 1,
                                lambda rng, kw=kw: random_arrays(rng, SHAPES[:2], **kw)
                                + extremes(rng, **kw), stable=True, **common))
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

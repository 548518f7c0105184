"""lab08_gradient_flow: per-layer gradient norms, clipping by norm and by global norm.

`layer_gradient_norms` (7 points): PyTorch autograd decides, Keras (`Dense` layers, the same
weights, `tf.GradientTape`) agrees to round-off. Split: types and shapes (1), sigmoid
networks (2), tanh and ReLU networks (2), deep networks where the norms vanish or explode
(1), edge cases (one layer, a batch of one, a ReLU unit sitting exactly at z = 0) (1).
Tolerance 1e-10 relative: the frameworks agree to ~1e-15, and norms of central-difference
gradients (errors ~1e-9) are not backpropagation.

`clip_by_norm` (5) and `clip_by_global_norm` (6): the contract defines them as
`tf.clip_by_norm` and `tf.clip_by_global_norm`, so TensorFlow decides (`primary="keras"`);
PyTorch's only built-in, `torch.nn.utils.clip_grad_norm_`, divides by `norm + 1e-6`, which is
shown in the feedback and costs nothing (`differs`). Computing the contract's formula by
hand in torch would only repeat the formula: TF's two functions are the real, independent
implementation of it. Every call goes through the `fresh` driver: an argument changed in
place, or a result that is an argument's own memory, fails the check.
"""
from __future__ import annotations

import numpy as np

from nngrade.labs.lab08_gradient_flow import driver
from nngrade.registry import Case, Check, Likely
from reference.gradient_flow import Keras, Mistakes, Torch

FRESH = driver.drive_fresh
TORCH_CLIP_DIFFERS = ("torch.nn.utils.clip_grad_norm_ scales by max_norm / (norm + 1e-6), not max_norm / norm: "
                      "a relative difference of 1e-6 / norm; the contract follows tf.clip_by_norm and "
                      "tf.clip_by_global_norm, which TensorFlow computes exactly")


# ---------------------------------------------------------------- inputs

def _network(rng, sizes, n, hidden=None, gain=1.5, note=""):
    """X (n, sizes[0]), Y (n, sizes[-1]) and params [(W, b), ...] with W ~ N(0, gain^2 / fan_in)."""
    X = rng.normal(size=(n, sizes[0]))
    Y = rng.normal(size=(n, sizes[-1]))
    params = [(rng.normal(0.0, gain / np.sqrt(a), size=(a, b)), rng.normal(0.0, 0.5, size=b))
              for a, b in zip(sizes[:-1], sizes[1:])]
    return Case((X, Y, params), {} if hidden is None else {"hidden": hidden}, note)


def _shape_cases(rng):
    return [_network(rng, [3, 4, 2], 4), _network(rng, [2, 5, 5, 1], 3, "tanh"),
            _network(rng, [4, 3, 3, 3, 2], 6, "relu")]


def _sigmoid_cases(rng):
    return [_network(rng, [4, 5, 3], 5, note="hidden left at its default, sigmoid"),
            _network(rng, [4, 6, 5, 3], 8, "sigmoid"),
            _network(rng, [6, 4, 4, 4, 1], 7, "sigmoid", gain=2.5)]


def _tanh_relu_cases(rng):
    return [_network(rng, [3, 5, 2], 4, "tanh"), _network(rng, [5, 6, 6, 6, 3], 8, "tanh"),
            _network(rng, [3, 5, 2], 4, "relu"), _network(rng, [5, 6, 6, 6, 3], 8, "relu", gain=2.0)]


def _deep_cases(rng):
    return [_network(rng, [8] * 11 + [2], 16, "sigmoid", gain=1.0,
                     note="10 sigmoid layers: each layer back multiplies by sigmoid' <= 0.25"),
            _network(rng, [8] * 11 + [2], 16, "tanh", gain=1.0, note="10 tanh layers"),
            _network(rng, [8] * 9 + [2], 16, "relu", gain=2.5,
                     note="8 ReLU layers with weights larger than He's: the norms explode")]


def _edge_cases(rng):
    one_layer = _network(rng, [4, 3], 5, "relu", note="a single layer (no hidden layer): linear regression")
    batch_of_one = _network(rng, [3, 4, 3], 1, "tanh", note="a batch of one sample, three outputs")
    kink = _network(rng, [3, 4, 4, 2], 5, "relu",
                    note="hidden unit 0 of layer 1 has z = 0 exactly for every sample: relu'(0) = 0")
    W1, b1 = kink.args[2][0]
    W1[:, 0] = 0.0
    b1[0] = 0.0
    return [one_layer, batch_of_one, kink]


# ---------------------------------------------------------------- known mistakes
# Computed from the oracles (reference.gradient_flow): PyTorch's norms transformed, autograd
# through a wrong activation derivative or of the biases (Mistakes), and TensorFlow's clipping
# with another norm (use_norm) or on a gradient scaled by a power of two.

def _likely(correct, rows):
    """(message, value) rows as Likely rows (`correct`: the oracle they are mistakes of, for the
    reader; `diagnose` names a row only where it differs from the right answer)."""
    return tuple(Likely(message, value) for message, value in rows)


def _norms_with(backward=None, of="weight", only=None):
    def value(X, Y, params, hidden="sigmoid"):
        if only is not None and hidden != only:
            return Torch.layer_gradient_norms(X, Y, params, hidden)
        return Mistakes.layer_gradient_norms(X, Y, params, hidden, backward=backward, of=of)
    return value


NORMS_LIKELY = _likely(Torch.layer_gradient_norms, (
    ("the loss is the mean over all N*K elements: you divided by N only (the batch size), "
           "so every norm is K times too large",
           lambda X, Y, params, hidden="sigmoid": Torch.layer_gradient_norms(X, Y, params, hidden) * Y.shape[1]),
    ("the loss is the mean over all N*K elements, not their sum: divide by Y.size",
           lambda X, Y, params, hidden="sigmoid": Torch.layer_gradient_norms(X, Y, params, hidden) * Y.size),
    ("the norms are in the reverse order: the contract lists them input layer first",
           lambda X, Y, params, hidden="sigmoid": Torch.layer_gradient_norms(X, Y, params, hidden)[::-1]),
    ("these are squared norms: the Frobenius norm is the square root of the sum of squares",
           lambda X, Y, params, hidden="sigmoid": Torch.layer_gradient_norms(X, Y, params, hidden) ** 2),
    ("these are the norms of the bias gradients; the contract asks for the weight gradients dW",
           _norms_with(of="bias")),
    ("going back through a hidden layer you multiplied by the activation g(z), not by its "
           "derivative g'(z)", _norms_with(backward="activation")),
    ("going back through a hidden layer you left out the activation's derivative g'(z)",
           _norms_with(backward="none")),
    ("relu'(0) is 0 (PyTorch's convention): use z > 0, not z >= 0",
           _norms_with(backward="relu_ge", only="relu")),
))


def _norm(g):
    return float(np.linalg.norm(np.asarray(g, dtype=np.float64)))


def _gnorm(grads):
    return Mistakes.global_norm(grads)


CLIP_LIKELY = _likely(Keras.clip_by_norm, (
    ("you scaled the gradient to norm max_norm even though its norm was already below it: scale "
           "by max_norm / max(norm, max_norm), which is 1 for a small gradient",
           lambda g, max_norm: Mistakes.rescale_to_norm([g], max_norm)[0]),
    ("you clipped each element to [-max_norm, max_norm] (clipping by value): clipping by norm "
           "rescales the whole array and keeps its direction",
           lambda g, max_norm: np.clip(g, -max_norm, max_norm)),
    ("you used the squared norm sum(g**2) where the norm sqrt(sum(g**2)) belongs",
           lambda g, max_norm: Mistakes.clip_by_global_norm_using([g], max_norm, _norm(g) ** 2)[0]),
    ("you divided by max(norm, max_norm) but did not multiply by max_norm",
           lambda g, max_norm: Keras.clip_by_norm(g, max_norm) / max_norm),
    ("you added 1e-6 to the norm, as torch's clip_grad_norm_ does: the contract's formula "
           "(tf.clip_by_norm's) has no epsilon, and needs none since it never divides by the norm alone",
           Torch.clip_by_norm),
))


def _with_norm(grads, max_norm, norm):
    return Mistakes.clip_by_global_norm_using(grads, max_norm, norm), norm


GLOBAL_LIKELY = _likely(Keras.clip_by_global_norm, (
    ("you clipped each array by its own norm (per-tensor clipping): clip_by_global_norm scales all "
           "of them by ONE factor computed from the global norm sqrt(sum of every squared element), which "
           "keeps the direction of the whole gradient",
           lambda grads, max_norm: ([Keras.clip_by_norm(g, max_norm) for g in grads], _gnorm(grads))),
    ("the second value must be the global norm BEFORE clipping (as tf.clip_by_global_norm returns it)",
           lambda grads, max_norm: (lambda clipped, norm: (clipped, min(norm, max_norm)))(
               *Keras.clip_by_global_norm(grads, max_norm))),
    ("the global norm is sqrt(sum of the squared norms), not the sum of the arrays' norms",
           lambda grads, max_norm: _with_norm(grads, max_norm, sum(_norm(g) for g in grads))),
    ("the global norm is the square root of the sum of squares: yours is the sum of squares",
           lambda grads, max_norm: _with_norm(grads, max_norm, _gnorm(grads) ** 2)),
    ("you scaled the gradients up to norm max_norm although their global norm was below it",
           lambda grads, max_norm: (Mistakes.rescale_to_norm(grads, max_norm), _gnorm(grads))),
    ("you added 1e-6 to the global norm, as torch's clip_grad_norm_ does: the contract's formula "
           "(tf.clip_by_global_norm's) has no epsilon", Torch.clip_by_global_norm),
))


def _grad(rng, shape, scale=1.0):
    return rng.normal(0.0, scale, size=shape)


def _round(x):
    """A max_norm with 4 significant digits, easy to read in the feedback."""
    return float(f"{x:.4g}")


def _clip_cases(rng, above):
    out = []
    for shape, scale in [((5,), 0.05), ((3, 4), 0.3), ((2, 3, 2), 2.0)]:
        g = _grad(rng, shape, scale)
        factor = rng.uniform(0.1, 0.8) if above else rng.uniform(1.25, 4.0)
        out.append(Case((g, _round(_norm(g) * factor)), {}))
    if above:
        out.append(Case((np.array([-3.0]), 1.0), {}, "one element: clipped to norm 1 means -1"))
        out.append(Case((_grad(rng, (4, 3), 1e-3), 1e-5), {}, "a small gradient clipped to a smaller norm"))
    else:
        out.insert(0, Case((np.array([3.0, 4.0]), 5.0), {}, "norm exactly max_norm: nothing changes"))
    return out


def _zero_clip_cases(rng):
    return [Case((np.zeros(4), 1.0), {}, "a zero gradient stays zero (no 0/0)"),
            Case((np.zeros((2, 3)), 0.5), {}, "a zero gradient stays zero (no 0/0)")]


def _grads(rng, shapes, scale=1.0):
    return [rng.normal(0.0, scale, size=s) for s in shapes]


SHAPE_SETS = [[(3, 4), (4,)], [(2, 5), (5,), (5, 1), (1,)], [(3,), (2, 2, 2)]]


def _global_cases(rng, above):
    out = []
    for shapes, scale in zip(SHAPE_SETS, [0.05, 0.3, 2.0]):
        grads = _grads(rng, shapes, scale)
        factor = rng.uniform(0.1, 0.8) if above else rng.uniform(1.25, 4.0)
        # an input, not an answer: NumPy's norm picks max_norm (the cases need no framework)
        size = float(np.sqrt(sum(np.sum(np.square(g)) for g in grads)))
        out.append(Case((grads, _round(size * factor)), {}))
    if above:
        out.append(Case(([np.array([3.0, 0.0]), np.array([[0.0], [4.0]])], 2.5), {},
                        "global norm 5: both arrays are halved"))
    else:
        out.insert(0, Case(([np.array([3.0]), np.array([4.0])], 5.0), {},
                           "global norm exactly max_norm: nothing changes"))
    return out


def _global_not_per_tensor(rng):
    # every array's own norm is below max_norm, their global norm is above it
    grads = [g / _norm(g) * 0.8 for g in _grads(rng, [(3, 4), (4,), (4, 2), (2,)])]
    big_small = [rng.normal(size=(3, 3)) * 10.0, rng.normal(size=3) * 0.01]
    return [Case((grads, 1.0), {}, "each array has norm 0.8 < max_norm = 1, the global norm is 1.6"),
            Case((big_small, 2.0), {}, "one large and one tiny array: both get the same factor")]


def _zero_global(rng):
    return [Case(([np.zeros((2, 3)), np.zeros(3)], 1.0), {}, "zero gradients stay zero; the norm is 0.0"),
            Case(([np.zeros(2)], 0.25), {}, "one zero array")]


CHECKS = []
_norm_common = dict(torch=Torch.layer_gradient_norms, keras=Keras.layer_gradient_norms, driver=FRESH,
                    likely=NORMS_LIKELY, rtol=1e-10, atol=1e-15)
CHECKS += [
    Check("layer_gradient_norms", "types and shapes (a float64 array, one norm per layer)", 1, _shape_cases,
          structure_only=True, **_norm_common),
    Check("layer_gradient_norms", "sigmoid networks", 2, _sigmoid_cases, **_norm_common),
    Check("layer_gradient_norms", "tanh and ReLU networks", 2, _tanh_relu_cases, **_norm_common),
    Check("layer_gradient_norms", "deep networks: vanishing and exploding norms", 1, _deep_cases,
          **_norm_common),
    Check("layer_gradient_norms", "one layer, a batch of one, relu'(0) = 0", 1, _edge_cases, **_norm_common),
]

_clip_common = dict(torch=Torch.clip_by_norm, keras=Keras.clip_by_norm, primary="keras", names={"keras": "TensorFlow"},
                    differs=TORCH_CLIP_DIFFERS, driver=FRESH, likely=CLIP_LIKELY, rtol=1e-12, atol=1e-15)
CHECKS += [
    Check("clip_by_norm", "types and shapes (a new float64 array shaped as g)", 1,
          lambda rng: _clip_cases(rng, True)[:3] + _clip_cases(rng, False)[:1], structure_only=True,
          **_clip_common),   # a case that clips nothing too: the types check owns "a new array"
    Check("clip_by_norm", "norm above max_norm: rescaled to norm max_norm", 2,
          lambda rng: _clip_cases(rng, True), **_clip_common),
    Check("clip_by_norm", "norm at or below max_norm: an unchanged copy", 1,
          lambda rng: _clip_cases(rng, False), **_clip_common),
    Check("clip_by_norm", "a zero gradient stays zero (no 0/0, no warning)", 1, _zero_clip_cases,
          stable=True, **_clip_common),
]

_global_common = dict(torch=Torch.clip_by_global_norm, keras=Keras.clip_by_global_norm, primary="keras", names={"keras": "TensorFlow"},
                      differs=TORCH_CLIP_DIFFERS, driver=FRESH, likely=GLOBAL_LIKELY, rtol=1e-12, atol=1e-15)
CHECKS += [
    Check("clip_by_global_norm", "types and structure (a list of new arrays, a float)", 1,
          lambda rng: _global_cases(rng, True)[:3] + _global_cases(rng, False)[:1], structure_only=True,
          **_global_common),
    Check("clip_by_global_norm", "global norm above max_norm: one factor for all arrays", 2,
          lambda rng: _global_cases(rng, True), **_global_common),
    Check("clip_by_global_norm", "global norm at or below max_norm: unchanged copies", 1,
          lambda rng: _global_cases(rng, False), **_global_common),
    Check("clip_by_global_norm", "global, not per-array clipping", 1, _global_not_per_tensor,
          **_global_common),
    Check("clip_by_global_norm", "zero gradients stay zero, norm 0 (no 0/0, no warning)", 1, _zero_global,
          stable=True, **_global_common),
]

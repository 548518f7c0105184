"""lab02_activations: the oracles agree with each other, the solution agrees with PyTorch,
the frameworks' known differences are pinned, and the checks' diagnoses fire.

Expected values come from the oracles at test time (never from the solution) or from the
contract's own constants (SELU's lambda and alpha).
"""
from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nngrade.labs.lab02_activations.checks import CHECKS, DIFFERS, LIKELY, NAMES
from reference.activations import Keras, Torch
from conftest import grade_cells, solution_cells, solution_namespace  # tests/conftest.py

os.environ.setdefault("MPLBACKEND", "Agg")

LAB = "lab02_activations"
LAMBDA, ALPHA = 1.0507009873554805, 1.6732632423543772
ELEMENTWISE = [f for name in NAMES for f in (name, name + "_grad")]
EXTRA = {"leaky_relu": "alpha", "elu": "alpha", "gelu": "approximate"}
DYADIC_ALPHAS = [0.0625, 0.25, 0.5, 1.5]
KERAS_DIFFERS = {"gelu", "gelu_grad"}          # everywhere, by float32 constants
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Bounded, NaN-free, no subnormals (TensorFlow flushes them to zero), up to the contract's +-1e3.
FLOATS = st.one_of(st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False),
                   st.floats(-6.0, 6.0, allow_nan=False, allow_subnormal=False),
                   st.sampled_from([0.0, -1e3, 1e3, 20.5, -20.5, 40.0]))
SHAPES = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)
ARRAYS = hnp.arrays(np.float64, SHAPES, elements=FLOATS)


def _tolerance(fn):
    check = next(c for c in CHECKS if c.function == fn and c.what == "typical values on random shapes")
    return check.rtol, check.atol


def _base(fn):
    return fn[:-len("_grad")] if fn.endswith("_grad") else fn


def _kwargs(fn, data):
    """A random extra argument, as the checks pass it (dyadic alphas: Keras rounds to float32)."""
    key = EXTRA.get(_base(fn))
    if key is None or not data.draw(st.booleans(), label="pass the extra argument"):
        return {}
    value = data.draw(st.booleans() if key == "approximate" else st.sampled_from(DYADIC_ALPHAS), label=key)
    return {key: value}


def assert_close(got, want, rtol, atol, what):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, f"{what}: shape {got.shape} != {want.shape}"
    excess = np.abs(got - want) - (atol + rtol * np.abs(want))
    if got.size and np.max(excess) > 0:
        i = np.unravel_index(int(np.argmax(excess)), got.shape)
        raise AssertionError(f"{what}: at index {i} got {got[i]!r}, expected {want[i]!r} "
                             f"(|diff| = {abs(got[i] - want[i]):.3g}, rtol={rtol:g}, atol={atol:g})")


# ---------------------------------------------------------------------------------------
# (a) PyTorch and Keras agree, except where `differs` says otherwise

@pytest.mark.parametrize("fn", [f for f in ELEMENTWISE if f not in KERAS_DIFFERS])
@SETTINGS
@given(z=ARRAYS, data=st.data())
def test_torch_and_keras_agree_elementwise(fn, z, data):
    kw = _kwargs(fn, data)
    t, k = getattr(Torch, fn)(z, **kw), getattr(Keras, fn)(z, **kw)
    if fn == "selu_grad":       # at and just below z = 0 the frameworks differ: pinned below
        t, k = t[np.abs(z) > 1e-16], k[np.abs(z) > 1e-16]
    assert_close(k, t, *_tolerance(fn), what=f"Keras vs PyTorch, {fn}({kw or ''})")


@pytest.mark.parametrize("fn", sorted(KERAS_DIFFERS))
@SETTINGS
@given(z=ARRAYS, approximate=st.booleans())
def test_gelu_frameworks_differ_only_by_float32_constants(fn, z, approximate):
    t = getattr(Torch, fn)(z, approximate=approximate)
    k = getattr(Keras, fn)(z, approximate=approximate)
    assert_close(k, t, rtol=1e-7, atol=2e-8, what=f"Keras vs PyTorch, {fn}(approximate={approximate})")


@pytest.mark.filterwarnings("ignore:You are using a softmax over axis")   # an axis of size 1
@SETTINGS
@given(z=ARRAYS, data=st.data())
def test_torch_and_keras_agree_softmax(z, data):
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1), label="axis")
    g = data.draw(hnp.arrays(np.float64, z.shape, elements=st.floats(-10, 10, allow_subnormal=False)),
                  label="grad_out")
    assert_close(Keras.softmax(z, axis), Torch.softmax(z, axis), *_tolerance("softmax"),
                 what=f"Keras vs PyTorch, softmax(axis={axis})")
    assert_close(Keras.softmax_backward(z, g, axis), Torch.softmax_backward(z, g, axis),
                 *_tolerance("softmax_backward"), what=f"Keras vs PyTorch, softmax_backward(axis={axis})")


def test_pinned_selu_grad_at_zero():
    z = np.array([0.0])
    assert Torch.selu_grad(z)[0] == pytest.approx(LAMBDA * ALPHA, rel=1e-15), \
        "selu'(0): PyTorch no longer gives lambda * alpha = 1.7581; update the contract and DIFFERS['selu_grad@0']"
    assert Keras.selu_grad(z)[0] == pytest.approx(LAMBDA, rel=1e-15), \
        "selu'(0): Keras no longer gives lambda = 1.0507; update DIFFERS['selu_grad@0'] and the notebook's table"
    # Keras computes alpha (exp(z) - 1), which is exactly 0 for -1.1e-16 < z < 0, and then
    # takes the right-hand slope there too; at -1e-12 (the checks' input) both give lambda * alpha.
    tiny = np.array([-1e-17, -1e-100, -1e-12])
    assert np.allclose(Keras.selu_grad(tiny), [LAMBDA, LAMBDA, LAMBDA * ALPHA], rtol=1e-9), \
        "selu' just below 0: Keras's switch to lambda for -1.1e-16 < z < 0 changed"
    assert np.allclose(Torch.selu_grad(tiny), LAMBDA * ALPHA, rtol=1e-9)


def test_pinned_leaky_relu_default_slopes():
    from reference._frameworks import keras, torch
    z = np.array([-1.0])
    keras_default = float(np.asarray(keras().activations.leaky_relu(z))[0])
    torch_default = float(torch().nn.functional.leaky_relu(torch().tensor(z)).numpy()[0])
    assert keras_default == pytest.approx(-0.2), \
        "leaky_relu: keras.activations.leaky_relu's default slope is no longer 0.2 (notebook table, likely row)"
    assert torch_default == pytest.approx(-0.01), \
        "leaky_relu: torch's default negative_slope is no longer 0.01 (the contract's default alpha)"
    layer_default = float(np.asarray(keras().layers.LeakyReLU()(z))[0])
    assert layer_default == pytest.approx(-0.3), \
        "leaky_relu: keras.layers.LeakyReLU's default slope is no longer 0.3 (notebook table, likely row)"


def test_pinned_gelu_float32_constants():
    z = np.linspace(-6, 6, 2001)
    for fn in ("gelu", "gelu_grad"):
        exact = np.max(np.abs(getattr(Keras, fn)(z) - getattr(Torch, fn)(z)))
        assert 1e-9 < exact < 2e-8, (f"{fn}: Keras vs PyTorch differ by {exact:.3g} (measured ~5e-9 from "
                                     "Keras's float32 constants); if it is gone, drop DIFFERS['gelu']")
        approx = np.max(np.abs(getattr(Keras, fn)(z, True) - getattr(Torch, fn)(z, True)))
        assert approx < 2e-9, f"{fn}(approximate=True): Keras vs PyTorch differ by {approx:.3g} (was ~1e-9)"


def test_pinned_softplus_threshold():
    """torch's default threshold=20 returns z itself above 20 (1.25e-9 off at 20.5): the
    oracle uses 40, where the shortcut is exact in float64."""
    from reference._frameworks import torch
    z = np.array([20.5, 39.0, 41.0])
    exact = np.logaddexp(0.0, z)
    default = torch().nn.functional.softplus(torch().tensor(z)).numpy()
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    assert default[0] == 20.5 and abs(default[0] - exact[0]) > 1e-9, \
        "softplus: torch's default threshold no longer cuts at 20; revisit the oracle's threshold=40"
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    assert np.array_equal(Torch.softplus(z), exact), "softplus: the oracle (threshold 40) is not exact"


def test_differs_only_where_measured():
    with_differs = {(c.function, c.what) for c in CHECKS if c.differs}
    gelu = {(c.function, c.what) for c in CHECKS if c.function in KERAS_DIFFERS}
    assert with_differs == gelu | {("selu_grad", "at z = 0 and around it")}
    assert set(DIFFERS) == {"gelu", "selu_grad@0"}


# ---------------------------------------------------------------------------------------
# (b) the solution equals the PyTorch oracle, with the 100x margin the checks ask for

@pytest.fixture(scope="module")
def solution():
    """The solution notebook's definitions, run in this process."""
    return solution_namespace(LAB)


@pytest.mark.parametrize("fn", ELEMENTWISE)
@SETTINGS
@given(z=ARRAYS, data=st.data())
def test_solution_equals_torch(solution, fn, z, data):
    kw = _kwargs(fn, data)
    before = z.copy()
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        got = solution[fn](z, **kw)
    assert isinstance(got, np.ndarray) and got.dtype == np.float64 and got.shape == z.shape
    # exact: an input left alone is the same bits
    assert np.array_equal(z, before), f"{fn} modified its input"
    rtol, atol = _tolerance(fn)
    assert_close(got, getattr(Torch, fn)(z, **kw), rtol / 100, atol / 100, what=f"solution {fn}({kw or ''})")


@SETTINGS
@given(z=ARRAYS, data=st.data())
def test_solution_softmax_equals_torch(solution, z, data):
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1), label="axis")
    g = data.draw(hnp.arrays(np.float64, z.shape, elements=st.floats(-10, 10, allow_subnormal=False)),
                  label="grad_out")
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        s, ds = solution["softmax"](z, axis), solution["softmax_backward"](z, g, axis)
    rtol, atol = _tolerance("softmax")
    assert_close(s, Torch.softmax(z, axis), rtol / 100, atol / 100, what=f"solution softmax(axis={axis})")
    rtol, atol = _tolerance("softmax_backward")
    assert_close(ds, Torch.softmax_backward(z, g, axis), rtol / 100, atol / 100,
                 what=f"solution softmax_backward(axis={axis})")


def test_solution_kink_values(solution):
    """The contract's values at z = 0, written out."""
    z = np.array([0.0])
    expected = {"binary_step": 1.0, "relu_grad": 0.0, "leaky_relu_grad": 0.01, "elu_grad": 1.0,
                "selu_grad": LAMBDA * ALPHA, "binary_step_grad": 0.0, "gelu_grad": 0.5,
                "sigmoid_grad": 0.25, "tanh_grad": 1.0, "softplus": np.log(2.0), "silu_grad": 0.5}
    for fn, value in expected.items():
        assert solution[fn](z)[0] == pytest.approx(value, rel=1e-15), fn
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    assert solution["leaky_relu_grad"](z, alpha=0.25)[0] == 0.25
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    assert solution["elu_grad"](z, alpha=0.5)[0] == 0.5


# ---------------------------------------------------------------------------------------
# (c) the diagnoses fire in the feedback a student reads

WRONG = {   # function: (a wrong definition, a phrase its feedback must contain)
    "sigmoid_grad": ("def sigmoid_grad(z):\n    return sigmoid(z)\n",
                     "likely mistake: these are the values of sigmoid(z), not of its derivative"),
    "tanh_grad": ("def tanh_grad(z):\n    return 1 - z ** 2\n",
                  "likely mistake: you applied the derivative written in terms of the output"),
    "relu_grad": ("def relu_grad(z):\n    return (z >= 0).astype(float)\n",
                  "likely mistake: at z = 0 the derivative is 0"),
    "leaky_relu": ("def leaky_relu(z, alpha=0.2):\n    return np.where(z > 0, z, alpha * z)\n",
                   "likely mistake: this is alpha = 0.2, Keras's default slope"),
    "selu": ("def selu(z):\n    return elu(z, SELU_ALPHA)\n", "did you forget lambda?"),
    "selu_grad": ("def selu_grad(z):\n    return SELU_SCALE * np.where(z >= 0, 1.0, "
                  "SELU_ALPHA * np.exp(np.minimum(z, 0)))\n", "PyTorch's selu' is lambda * alpha = 1.7581"),
    "gaussian_grad": ("def gaussian_grad(z):\n    return -z * np.exp(-z * z)\n",
                      "the derivative of exp(-z^2) is -2 z exp(-z^2): a factor is missing"),
    "gelu": ("def gelu(z, approximate=False):\n    return 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * "
             "(z + 0.044715 * z ** 3)))\n", "this is the tanh approximation"),
    "softmax": ("def softmax(z, axis=-1):\n    e = np.exp(z)\n    return e / e.sum(axis=axis, keepdims=True)\n",
                "is not numerically stable on this input: NumPy warned 'RuntimeWarning: overflow"),
    "softmax_backward": ("def softmax_backward(z, grad_out, axis=-1):\n    s = softmax(z, axis)\n"
                         "    return grad_out * s * (1 - s)\n", "the diagonal s (1 - s) only"),
    "relu": ("def relu(z):\n    z[z < 0] = 0\n    return z\n", "modified z in place"),
    "sigmoid": ("def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n", "overflow encountered in exp"),
}


@pytest.fixture(scope="module")
def graded_wrong():
    cells = solution_cells(LAB) + ["\n\n".join(src for src, _ in WRONG.values())]
    return grade_cells(LAB, cells, functions=set(WRONG))[0]


@pytest.mark.parametrize("fn", sorted(WRONG))
def test_diagnosis_fires(graded_wrong, fn):
    score, max_score, outputs = graded_wrong[fn]
    assert score < max_score
    text = "\n".join(outputs)
    assert WRONG[fn][1] in text, text


def test_every_likely_row_applies_somewhere():
    """Each row computes a value of the right shape on at least one of its checks' inputs
    (a row that always raises would never fire: the diagnosis swallows its errors)."""
    rng = np.random.default_rng(0)
    for fn, rows in LIKELY.items():
        cases = [case for c in CHECKS if c.function == fn for case in c.cases(rng)]
        for row in rows:
            shapes = []
            for case in cases:
                try:
                    value = row.value(*case.args, **case.kwargs)
                except TypeError:
                    continue
                if value is not None:
                    shapes.append(np.shape(value) == np.shape(case.args[0]))
            assert shapes and all(shapes), (fn, row.message)

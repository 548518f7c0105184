"""Mutants and valid alternatives of lab02_activations (see nngrade/mutants.py).

A mutant is a patch of the solution's own definition (`replace(old, new)`), so that its mistake
is the only difference; a row that is a different way of writing the function (masks that
write into z, a loop, one formula for both of gelu's branches) and every alternative is a
complete `def`, which may call the solution's other functions (`sigmoid`, `elu`, `softmax`,
...) and its constants (`SELU_SCALE`, `SELU_ALPHA`). `expect` is a phrase the feedback must
contain: a `likely` row of nngrade/labs/lab02_activations/checks.py, or a generic one of
nngrade.mistakes.
"""
from nngrade import mistakes as M
from nngrade.labs.lab02_activations.checks import AT_0, CHEAT_SHEET, IGNORED, NOTES_SELU, ON_Z
from nngrade.mutants import Alternative, Mutant, replace

FLOAT64 = "float64 is the contract"                            # nngrade.compare: a float32 result
IN_PLACE = f"modified z {M.IN_PLACE}"
NOT_DERIV = "not of its derivative"                            # the activation returned by a _grad
IS_DERIV = "these are the values of the derivative"            # the derivative returned by a forward

# expressions of the solution that several patches replace
STABLE_SIGMOID = "np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))"
TANH = "np.tanh(np.asarray(z, dtype=np.float64))"
SELU = "SELU_SCALE * elu(z, SELU_ALPHA)"
SELU_GRAD = "SELU_SCALE * elu_grad(z, SELU_ALPHA)"
GELU_EXACT = "0.5 * z * (1.0 + erf(z / np.sqrt(2.0)))"
SOFTPLUS = "np.logaddexp(0.0, np.asarray(z, dtype=np.float64))"
SOFTMAX_BACKWARD = "s * (g - np.sum(g * s, axis=axis, keepdims=True))"

MUTANTS = [
    # ---- identity -------------------------------------------------------------------------
    Mutant("identity", "returns a list (.tolist())", replace("copy=True)", "copy=True).tolist()"), expect=M.A_LIST),
    Mutant("identity", "float32", replace("dtype=np.float64", "dtype=np.float32"), expect=FLOAT64),
    Mutant("identity", "flattens the input", replace("copy=True)", "copy=True).ravel()"), expect=M.RESHAPED),
    Mutant("identity", "returns the derivative (ones)",
           replace("np.array(z, dtype=np.float64, copy=True)", "np.ones_like(z, dtype=np.float64)"), expect=IS_DERIV),

    # ---- identity_grad --------------------------------------------------------------------
    Mutant("identity_grad", "the activation in place of its derivative",
           replace("np.ones_like(z, dtype=np.float64)", "np.array(z, dtype=np.float64)"), expect=NOT_DERIV),
    Mutant("identity_grad", "returns the scalar 1.0", replace("np.ones_like(z, dtype=np.float64)", "1.0"),
           expect="should be a numpy.ndarray"),
    Mutant("identity_grad", "np.ones(len(z)): wrong shape for 2-D input",
           replace("np.ones_like(z, dtype=np.float64)", "np.ones(len(z))"), expect="has shape (2,), expected (2, 3)"),
    Mutant("identity_grad", "float32", replace("np.float64", "np.float32"), expect=FLOAT64),

    # ---- binary_step ----------------------------------------------------------------------
    Mutant("binary_step", "> instead of >= at z = 0", replace(">= 0", "> 0"), expect="at z = 0 the binary step is 1"),
    Mutant("binary_step", "returns the boolean mask", replace(".astype(np.float64)", ""), expect=M.BOOL),
    Mutant("binary_step", "integers: .astype(int)", replace("astype(np.float64)", "astype(int)"), expect=M.INTEGER),
    Mutant("binary_step", "np.sign", replace("(np.asarray(z) >= 0).astype(np.float64)", "np.sign(z)"),
           expect="np.sign gives -1"),
    Mutant("binary_step", "np.heaviside(z, 0.5)",
           replace("(np.asarray(z) >= 0).astype(np.float64)", "np.heaviside(z, 0.5)"), expect="np.heaviside(z, 0.5)"),
    # in place by masks: the body rewritten as assignments into z
    Mutant("binary_step", "in place", """
def binary_step(z):
    z[z >= 0] = 1.0
    z[z < 0] = 0.0
    return z
""", expect=IN_PLACE),

    # ---- binary_step_grad -----------------------------------------------------------------
    Mutant("binary_step_grad", "the activation in place of its derivative",
           replace("np.zeros_like(z, dtype=np.float64)", "binary_step(z)"), expect=NOT_DERIV),
    Mutant("binary_step_grad", "returns the scalar 0.0", replace("np.zeros_like(z, dtype=np.float64)", "0.0"),
           expect="should be a numpy.ndarray"),
    Mutant("binary_step_grad", "integer zeros", replace("dtype=np.float64", "dtype=int"), expect=M.INTEGER),
    Mutant("binary_step_grad", "np.zeros(len(z))", replace("np.zeros_like(z, dtype=np.float64)", "np.zeros(len(z))"),
           expect="has shape (2,), expected (2, 3)"),

    # ---- sigmoid --------------------------------------------------------------------------
    Mutant("sigmoid", "the naive formula overflows at z = -1000", replace(STABLE_SIGMOID, "1.0 / (1.0 + np.exp(-z))"),
           expect=M.UNSTABLE),
    Mutant("sigmoid", "e^z / (1 + e^z) overflows at z = +1000",
           replace(STABLE_SIGMOID, "np.exp(z) / (1.0 + np.exp(z))"), expect=M.UNSTABLE),
    Mutant("sigmoid", "the sign in the exponent flipped (the stable form's branches swapped)",
           replace("1.0 / (1.0 + e), e / (1.0 + e)", "e / (1.0 + e), 1.0 / (1.0 + e)"),
           expect="the sign in the exponent is flipped"),
    Mutant("sigmoid", "the tanh form without the 1/2 inside", replace(STABLE_SIGMOID, "0.5 * (1.0 + np.tanh(z))"),
           expect="0.5 (1 + tanh(z / 2))"),
    Mutant("sigmoid", "clipped too tightly (+-10)",
           replace(STABLE_SIGMOID, "1.0 / (1.0 + np.exp(-np.clip(z, -10, 10)))")),
    Mutant("sigmoid", "float32", replace("dtype=np.float64", "dtype=np.float32"), expect=FLOAT64),

    # ---- sigmoid_grad ---------------------------------------------------------------------
    Mutant("sigmoid_grad", "the activation in place of its derivative", replace("return s * (1.0 - s)", "return s"),
           expect="these are the values of sigmoid(z), not of its derivative"),
    Mutant("sigmoid_grad", "s (1 - s) applied to z", replace("s * (1.0 - s)", "z * (1.0 - z)"),
           expect=ON_Z.format("s (1 - s)", "s = sigmoid(z)")),
    Mutant("sigmoid_grad", "1 - s^2 (tanh's pattern)", replace("s * (1.0 - s)", "1.0 - s ** 2"),
           expect="1 - s^2 is the pattern of tanh's derivative"),
    Mutant("sigmoid_grad", "e^-z / (1 + e^-z)^2 overflows",
           replace("    s = sigmoid(z)\n    return s * (1.0 - s)", "    e = np.exp(-z)\n    return e / (1.0 + e) ** 2"),
           expect=M.UNSTABLE),

    # ---- tanh -----------------------------------------------------------------------------
    Mutant("tanh", "the four-exponential formula overflows",
           replace(TANH, "(np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))"), expect=M.UNSTABLE),
    Mutant("tanh", "2 sigmoid(z) - 1 (the 2 inside is missing)", replace(TANH, "2.0 * sigmoid(z) - 1.0"),
           expect="tanh(z) = 2 sigmoid(2 z) - 1"),
    Mutant("tanh", "returns a list", replace(TANH, TANH + ".tolist()"), expect=M.A_LIST),
    Mutant("tanh", "returns the derivative", replace(TANH, f"1.0 - {TANH} ** 2"), expect=IS_DERIV),

    # ---- tanh_grad ------------------------------------------------------------------------
    Mutant("tanh_grad", "the activation in place of its derivative", replace("return 1.0 - t * t", "return t"),
           expect=NOT_DERIV),
    Mutant("tanh_grad", "1 - t^2 applied to z", replace("1.0 - t * t", "1.0 - z * z"),
           expect=ON_Z.format("1 - t^2", "t = tanh(z)")),
    Mutant("tanh_grad", "the square is missing", replace("1.0 - t * t", "1.0 - t"), expect="the square is missing"),
    Mutant("tanh_grad", "1 / cosh^2 overflows",
           replace("t = np.tanh(", "c = np.cosh(") + replace("1.0 - t * t", "1.0 / (c * c)"),
           expect=M.UNSTABLE),

    # ---- relu -----------------------------------------------------------------------------
    # in place by a mask: the body rewritten as an assignment into z
    Mutant("relu", "in place: z[z < 0] = 0", """
def relu(z):
    z[z < 0] = 0
    return z
""", expect=IN_PLACE),
    Mutant("relu", "np.max(z, 0) reduces instead of comparing",
           replace("np.maximum(", "np.max(") + replace(", 0.0)", ", 0)"),
           expect="should be a numpy.ndarray"),
    Mutant("relu", "returns the derivative",
           replace("np.maximum(np.asarray(z, dtype=np.float64), 0.0)", "(np.asarray(z) > 0).astype(np.float64)"),
           expect=IS_DERIV),
    Mutant("relu", "float32", replace("dtype=np.float64", "dtype=np.float32"), expect=FLOAT64),
    # a Python loop
    Mutant("relu", "a list from a loop over rows", """
def relu(z):
    return [max(v, 0.0) for v in z]
""", expect=M.A_LIST),

    # ---- relu_grad ------------------------------------------------------------------------
    Mutant("relu_grad", ">= instead of > at the kink (relu_grad(0) = 1)", replace("> 0", ">= 0"),
           expect=AT_0.format(0, "the notes leave it undefined")),
    Mutant("relu_grad", "the activation in place of its derivative",
           replace("(np.asarray(z) > 0).astype(np.float64)", "relu(z)"), expect=NOT_DERIV),
    Mutant("relu_grad", "the boolean mask", replace(".astype(np.float64)", ""), expect=M.BOOL),
    Mutant("relu_grad", "np.sign", replace("(np.asarray(z) > 0).astype(np.float64)", "np.sign(z)"),
           expect="np.sign gives -1"),
    # in place by masks: the body rewritten as assignments into z
    Mutant("relu_grad", "in place", """
def relu_grad(z):
    z[z > 0] = 1.0
    z[z <= 0] = 0.0
    return z
""", expect=IN_PLACE),

    # ---- leaky_relu -----------------------------------------------------------------------
    Mutant("leaky_relu", "Keras's default alpha=0.2", replace("alpha=0.01", "alpha=0.2"),
           expect="Keras's default slope"),
    Mutant("leaky_relu", "keras.layers.LeakyReLU's default 0.3", replace("alpha=0.01", "alpha=0.3"),
           expect="keras.layers.LeakyReLU"),
    Mutant("leaky_relu", "ignores alpha", replace("alpha * z", "0.01 * z"), expect=IGNORED.format("alpha", "0.01")),
    Mutant("leaky_relu", "alpha instead of alpha * z", replace("alpha * z", "alpha"), expect="not the constant alpha"),
    Mutant("leaky_relu", "in place (np.asarray does not copy a float64 array)",
           replace("    return np.where(z > 0, z, alpha * z)", "    z[z < 0] *= alpha\n    return z"), expect=IN_PLACE),

    # ---- leaky_relu_grad ------------------------------------------------------------------
    Mutant("leaky_relu_grad", ">= at the kink", replace("z > 0", "z >= 0"), expect=AT_0.format("alpha", CHEAT_SHEET)),
    Mutant("leaky_relu_grad", "Keras's default alpha=0.2", replace("alpha=0.01", "alpha=0.2"),
           expect="Keras's default slope"),
    Mutant("leaky_relu_grad", "relu's derivative (0 for z <= 0)", replace("1.0, alpha)", "1.0, 0.0)"),
           expect="the slope is alpha, not 0"),
    Mutant("leaky_relu_grad", "ignores alpha", replace("1.0, alpha)", "1.0, 0.01)"),
           expect=IGNORED.format("alpha", "0.01")),
    Mutant("leaky_relu_grad", "the activation in place of its derivative",
           replace("np.where(z > 0, 1.0, alpha)", "leaky_relu(z, alpha)"), expect=NOT_DERIV),

    # ---- elu ------------------------------------------------------------------------------
    Mutant("elu", "exp(z) in the unused branch overflows at +1000",
           replace("np.expm1(np.minimum(z, 0.0))", "(np.exp(z) - 1.0)"), expect=M.UNSTABLE),
    Mutant("elu", "the -1 is missing", replace("np.expm1(", "np.exp("), expect="the -1 is missing"),
    Mutant("elu", "ignores alpha", replace("alpha * np.expm1", "np.expm1"), expect=IGNORED.format("alpha", "1.0")),
    Mutant("elu", "float32", replace("dtype=np.float64", "dtype=np.float32"), expect=FLOAT64),
    Mutant("elu", "returns the derivative", replace("z > 0, z, alpha * np.expm1(", "z > 0, 1.0, alpha * np.exp("),
           expect=IS_DERIV),

    # ---- elu_grad -------------------------------------------------------------------------
    Mutant("elu_grad", ">= at the kink (elu_grad(0) = 1 instead of alpha)", replace("z > 0", "z >= 0"),
           expect=AT_0.format("alpha", CHEAT_SHEET)),
    Mutant("elu_grad", "the activation in place of its derivative",
           replace("np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))", "elu(z, alpha)"), expect=NOT_DERIV),
    Mutant("elu_grad", "exp(z) overflows at +1000", replace("np.exp(np.minimum(z, 0.0))", "np.exp(z)"),
           expect=M.UNSTABLE),
    Mutant("elu_grad", "ignores alpha", replace("alpha * np.exp", "np.exp"), expect=IGNORED.format("alpha", "1.0")),

    # ---- selu -----------------------------------------------------------------------------
    Mutant("selu", "the missing lambda", replace("SELU_SCALE * ", ""), expect="did you forget lambda"),
    Mutant("selu", "lambda and alpha swapped", replace(SELU, "SELU_ALPHA * elu(z, SELU_SCALE)"), expect="are swapped"),
    Mutant("selu", "lambda on the positive branch only",
           replace(SELU, "np.where(z > 0, SELU_SCALE * z, elu(z, SELU_ALPHA))"),
           expect="lambda multiplies both branches"),
    Mutant("selu", "the notes' rounded constants", replace(SELU, "1.0507 * elu(z, 1.67326)"), expect=NOTES_SELU),
    Mutant("selu", "exp(z) in the unused branch overflows",
           replace("elu(z, SELU_ALPHA)", "np.where(z > 0, z, SELU_ALPHA * (np.exp(z) - 1.0))"), expect=M.UNSTABLE),

    # ---- selu_grad ------------------------------------------------------------------------
    Mutant("selu_grad", ">= at the kink (Keras's 1.0507 at 0)",
           replace("elu_grad(z, SELU_ALPHA)", "np.where(z >= 0, 1.0, SELU_ALPHA * np.exp(np.minimum(z, 0.0)))"),
           expect="PyTorch's selu' is lambda * alpha"),
    Mutant("selu_grad", "the missing lambda", replace("SELU_SCALE * ", ""), expect="did you forget lambda"),
    Mutant("selu_grad", "the activation in place of its derivative", replace(SELU_GRAD, "selu(z)"), expect=NOT_DERIV),
    Mutant("selu_grad", "the notes' rounded constants", replace(SELU_GRAD, "1.0507 * elu_grad(z, 1.67326)"),
           expect=NOTES_SELU),
    Mutant("selu_grad", "exp(z) overflows at +1000",
           replace("elu_grad(z, SELU_ALPHA)", "np.where(z > 0, 1.0, SELU_ALPHA * np.exp(z))"), expect=M.UNSTABLE),

    # ---- gelu -----------------------------------------------------------------------------
    Mutant("gelu", "the tanh approximation when approximate=False",
           replace(GELU_EXACT, "0.5 * z * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (z + 0.044715 * z ** 3)))"),
           expect="this is the tanh approximation"),
    Mutant("gelu", "ignores approximate=True (the tanh branch left out)",
           replace("    if approximate:\n"
                   "        u = np.sqrt(2.0 / np.pi) * (z + 0.044715 * z ** 3)\n"
                   "        return 0.5 * z * (1.0 + np.tanh(u))\n", ""),
           expect=IGNORED.format("approximate", "the exact erf form")),
    Mutant("gelu", "z sigmoid(1.702 z)", replace(GELU_EXACT, "z * sigmoid(1.702 * z)"), expect="z sigmoid(1.702 z)"),
    Mutant("gelu", "erf(z / 2) instead of erf(z / sqrt(2))", replace("erf(z / np.sqrt(2.0))", "erf(z / 2.0)"),
           expect="not z / 2"),
    Mutant("gelu", "the factor 0.5 is missing", replace("return 0.5 * z * ", "return z * ", count=2), expect=M.TWICE),

    # ---- gelu_grad ------------------------------------------------------------------------
    Mutant("gelu_grad", "Phi(z) alone (the product rule forgotten)", replace("return cdf + z * pdf", "return cdf"),
           expect="this is Phi(z) alone"),
    # one formula for both branches: the body rewritten
    Mutant("gelu_grad", "the tanh approximation's derivative when approximate=False", """
def gelu_grad(z, approximate=False):
    z = np.asarray(z, dtype=np.float64)
    c = np.sqrt(2.0 / np.pi)
    t = np.tanh(c * (z + 0.044715 * z ** 3))
    return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * c * (1.0 + 3 * 0.044715 * z * z)
""", expect="the derivative of the tanh approximation"),
    # a call of gelu in place of the whole body
    Mutant("gelu_grad", "the activation in place of its derivative", """
def gelu_grad(z, approximate=False):
    return gelu(z, approximate)
""", expect=NOT_DERIV),
    Mutant("gelu_grad", "the density without 1 / sqrt(2 pi)", replace(" / np.sqrt(2.0 * np.pi)", ""),
           expect="1 / sqrt(2 pi) is missing"),
    Mutant("gelu_grad", "ignores approximate=True (the tanh branch left out)",
           replace("    if approximate:\n"
                   "        c = np.sqrt(2.0 / np.pi)\n"
                   "        t = np.tanh(c * (z + 0.044715 * z ** 3))\n"
                   "        return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * c * (1.0 + 3 * 0.044715 * z * z)\n", ""),
           expect=IGNORED.format("approximate", "the exact erf form")),

    # ---- softplus -------------------------------------------------------------------------
    Mutant("softplus", "log(1 + exp(z)) overflows", replace(SOFTPLUS, "np.log(1.0 + np.exp(z))"), expect=M.UNSTABLE),
    Mutant("softplus", "log1p(exp(z)) still overflows", replace(SOFTPLUS, "np.log1p(np.exp(z))"), expect=M.UNSTABLE),
    Mutant("softplus", "PyTorch's threshold with np.where (both branches computed)",
           replace(SOFTPLUS, "np.where(z > 20, z, np.log1p(np.exp(z)))"), expect=M.UNSTABLE),
    Mutant("softplus", "max(z, 0) forgotten in the stable form", replace(SOFTPLUS, "np.log1p(np.exp(-np.abs(z)))"),
           expect="add max(z, 0)"),
    Mutant("softplus", "returns the derivative", replace(SOFTPLUS, "sigmoid(z)"), expect=IS_DERIV),

    # ---- softplus_grad --------------------------------------------------------------------
    Mutant("softplus_grad", "the activation in place of its derivative", replace("sigmoid(z)", "softplus(z)"),
           expect="the derivative of softplus is sigmoid(z)"),
    Mutant("softplus_grad", "the naive sigmoid overflows", replace("sigmoid(z)", "1.0 / (1.0 + np.exp(-z))"),
           expect=M.UNSTABLE),
    Mutant("softplus_grad", "sigmoid(-z)", replace("sigmoid(z)", "sigmoid(-z)"), expect="this is sigmoid(-z)"),
    Mutant("softplus_grad", "e^z / (1 + e^z) overflows to NaN",
           replace("return sigmoid(z)", "e = np.exp(z)\n    return e / (1.0 + e)"), expect=M.UNSTABLE),

    # ---- silu -----------------------------------------------------------------------------
    Mutant("silu", "sigmoid(z) without the factor z", replace("return z * sigmoid(z)", "return sigmoid(z)"),
           expect="silu is z * sigmoid(z)"),
    Mutant("silu", "z / (1 + exp(-z)) overflows", replace("z * sigmoid(z)", "z / (1.0 + np.exp(-z))"),
           expect=M.UNSTABLE),
    Mutant("silu", "float32", replace("z * sigmoid(z)", "(z * sigmoid(z)).astype(np.float32)"), expect=FLOAT64),
    Mutant("silu", "returns the derivative",
           replace("return z * sigmoid(z)", "s = sigmoid(z)\n    return s + z * s * (1.0 - s)"), expect=IS_DERIV),

    # ---- silu_grad ------------------------------------------------------------------------
    Mutant("silu_grad", "sigmoid(z) only", replace("return s + z * s * (1.0 - s)", "return s"),
           expect="the product rule adds"),
    Mutant("silu_grad", "the derivative of sigmoid only", replace("s + z * s * (1.0 - s)", "s * (1.0 - s)"),
           expect="the derivative of sigmoid alone"),
    Mutant("silu_grad", "the factor z missing in the second term", replace("s + z * s", "s + s"),
           expect="the factor z is missing"),
    Mutant("silu_grad", "the activation in place of its derivative (z * s)", replace("s + z * s * (1.0 - s)", "z * s"),
           expect=NOT_DERIV),
    Mutant("silu_grad", "the notes' formula (1 + e^-z + z e^-z) / (1 + e^-z)^2 overflows",
           replace("    s = sigmoid(z)\n    return s + z * s * (1.0 - s)",
                   "    e = np.exp(-z)\n    return (1.0 + e + z * e) / (1.0 + e) ** 2"),
           expect=M.UNSTABLE),
    Mutant("silu_grad", "the naive sigmoid overflows", replace("s = sigmoid(z)", "s = 1.0 / (1.0 + np.exp(-z))"),
           expect=M.UNSTABLE),

    # ---- gaussian -------------------------------------------------------------------------
    Mutant("gaussian", "exp(-z^2 / 2)", replace("np.exp(-z * z)", "np.exp(-z * z / 2.0)"),
           expect="the shape of the normal density"),
    Mutant("gaussian", "1 / exp(z^2) overflows", replace("np.exp(-z * z)", "1.0 / np.exp(z * z)"), expect=M.UNSTABLE),
    Mutant("gaussian", "exp(-z)^2 = exp(-2z)", replace("np.exp(-z * z)", "np.exp(-z) ** 2"),
           expect="exp(-z)^2 is exp(-2 z)"),
    Mutant("gaussian", "returns the derivative", replace("np.exp(-z * z)", "-2.0 * z * np.exp(-z * z)"),
           expect=IS_DERIV),

    # ---- gaussian_grad --------------------------------------------------------------------
    Mutant("gaussian_grad", "the factor 2 is missing", replace("-2.0 * z", "-z"), expect="a factor is missing"),
    Mutant("gaussian_grad", "the sign is missing", replace("-2.0 * z", "2.0 * z"), expect=M.SIGN),
    Mutant("gaussian_grad", "the factor z is missing", replace("-2.0 * z * ", "-2.0 * "),
           expect="the factor z is missing"),
    Mutant("gaussian_grad", "the activation in place of its derivative",
           replace("-2.0 * z * np.exp(-z * z)", "np.exp(-z * z)"), expect=NOT_DERIV),

    # ---- softmax --------------------------------------------------------------------------
    Mutant("softmax", "no max-subtraction", replace("np.exp(z - np.max(z, axis=axis, keepdims=True))", "np.exp(z)"),
           expect=M.UNSTABLE),
    Mutant("softmax", "over axis 0", replace("axis=axis", "axis=0", count=2),
           expect="you normalised over the wrong axis"),
    Mutant("softmax", "over the whole array (no axis)", replace(", axis=axis, keepdims=True)", ")", count=2),
           expect="over the whole array"),
    Mutant("softmax", "the axis argument ignored", replace("axis=axis", "axis=-1", count=2),
           expect=IGNORED.format("axis", "axis=-1")),
    Mutant("softmax", "no keepdims", replace(", keepdims=True", "", count=2), expect="raised ValueError"),
    Mutant("softmax", "the global maximum subtracted (underflow to 0/0)",
           replace("np.max(z, axis=axis, keepdims=True)", "np.max(z)"), expect=M.UNSTABLE),

    # ---- softmax_backward -----------------------------------------------------------------
    Mutant("softmax_backward", "the diagonal term s (1 - s) only", replace(SOFTMAX_BACKWARD, "g * s * (1.0 - s)"),
           expect="the diagonal s (1 - s) only"),
    Mutant("softmax_backward", "the sum over the whole array",
           replace("np.sum(g * s, axis=axis, keepdims=True)", "np.sum(g * s)"), expect="runs over the whole array"),
    Mutant("softmax_backward", "the sum of g without s", replace("np.sum(g * s,", "np.sum(g,"),
           expect="not of g_i alone"),
    Mutant("softmax_backward", "the sign flipped",
           replace(SOFTMAX_BACKWARD, "s * (np.sum(g * s, axis=axis, keepdims=True) - g)"), expect=M.SIGN),
    Mutant("softmax_backward", "the axis argument ignored",
           replace("softmax(z, axis=axis)", "softmax(z)") + replace("axis=axis, keepdims", "axis=-1, keepdims"),
           expect=IGNORED.format("axis", "axis=-1")),
    Mutant("softmax_backward", "a softmax without max-subtraction inside",
           replace("s = softmax(z, axis=axis)", "e = np.exp(z)\n    s = e / np.sum(e, axis=axis, keepdims=True)"),
           expect=M.UNSTABLE),
    Mutant("softmax_backward", "returns softmax(z) itself", replace(f"return {SOFTMAX_BACKWARD}", "return s"),
           expect="these are the values of softmax(z)"),
]


ALTERNATIVES = [
    # identity
    Alternative("identity", "z * 1.0", """
def identity(z):
    return np.asarray(z, dtype=np.float64) * 1.0
"""),
    Alternative("identity", "copy()", """
def identity(z):
    return np.asarray(z, dtype=np.float64).copy()
"""),
    Alternative("identity_grad", "np.ones(np.shape(z))", """
def identity_grad(z):
    return np.ones(np.shape(z))
"""),
    Alternative("identity_grad", "np.full_like", """
def identity_grad(z):
    return np.full_like(np.asarray(z, dtype=np.float64), 1.0)
"""),
    # binary step
    Alternative("binary_step", "np.where", """
def binary_step(z):
    return np.where(z >= 0, 1.0, 0.0)
"""),
    Alternative("binary_step", "np.heaviside(z, 1.0)", """
def binary_step(z):
    return np.heaviside(z, 1.0)
"""),
    Alternative("binary_step", "np.vectorize", """
def binary_step(z):
    return np.vectorize(lambda v: 1.0 if v >= 0 else 0.0, otypes=[np.float64])(z)
"""),
    Alternative("binary_step_grad", "z * 0.0", """
def binary_step_grad(z):
    return np.asarray(z, dtype=np.float64) * 0.0
"""),
    Alternative("binary_step_grad", "np.zeros(np.shape(z))", """
def binary_step_grad(z):
    return np.zeros(np.shape(z))
"""),
    # sigmoid
    Alternative("sigmoid", "scipy.special.expit", """
from scipy.special import expit

def sigmoid(z):
    return expit(np.asarray(z, dtype=np.float64))
"""),
    Alternative("sigmoid", "the naive formula on clipped z", """
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))
"""),
    Alternative("sigmoid", "0.5 (1 + tanh(z / 2))", """
def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))
"""),
    Alternative("sigmoid", "exp(-logaddexp(0, -z))", """
def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=np.float64)))
"""),
    Alternative("sigmoid", "boolean masks", """
def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1.0 + e)
    return out
"""),
    Alternative("sigmoid", "a loop with np.nditer and math", """
import math

def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    for v, o in np.nditer([z, out], op_flags=[["readonly"], ["writeonly"]]):
        x = float(v)
        o[...] = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
    return out
"""),
    Alternative("sigmoid_grad", "expit(z) * expit(-z)", """
from scipy.special import expit

def sigmoid_grad(z):
    return expit(z) * expit(-z)
"""),
    Alternative("sigmoid_grad", "s - s^2", """
def sigmoid_grad(z):
    s = sigmoid(z)
    return s - s ** 2
"""),
    # tanh
    Alternative("tanh", "2 sigmoid(2z) - 1", """
def tanh(z):
    return 2.0 * sigmoid(2.0 * np.asarray(z, dtype=np.float64)) - 1.0
"""),
    Alternative("tanh", "np.vectorize(math.tanh)", """
import math

def tanh(z):
    return np.vectorize(math.tanh, otypes=[np.float64])(z)
"""),
    Alternative("tanh_grad", "(1 - t)(1 + t)", """
def tanh_grad(z):
    t = np.tanh(z)
    return (1.0 - t) * (1.0 + t)
"""),
    Alternative("tanh_grad", "4 s(2z) (1 - s(2z))", """
def tanh_grad(z):
    s = sigmoid(2.0 * np.asarray(z, dtype=np.float64))
    return 4.0 * s * (1.0 - s)
"""),
    # relu
    Alternative("relu", "np.where", """
def relu(z):
    return np.where(z > 0, z, 0.0)
"""),
    Alternative("relu", "z * (z > 0)", """
def relu(z):
    return z * (z > 0)
"""),
    Alternative("relu", "np.clip(z, 0, None)", """
def relu(z):
    return np.clip(np.asarray(z, dtype=np.float64), 0.0, None)
"""),
    Alternative("relu", "a copy and a boolean mask", """
def relu(z):
    out = np.array(z, dtype=np.float64)
    out[out < 0] = 0.0
    return out
"""),
    Alternative("relu", "np.vectorize(max)", """
def relu(z):
    return np.vectorize(lambda v: max(v, 0.0), otypes=[np.float64])(z)
"""),
    Alternative("relu_grad", "np.heaviside(z, 0.0)", """
def relu_grad(z):
    return np.heaviside(z, 0.0)
"""),
    Alternative("relu_grad", "np.where", """
def relu_grad(z):
    return np.where(z > 0, 1.0, 0.0)
"""),
    Alternative("relu_grad", "zeros and a mask", """
def relu_grad(z):
    out = np.zeros(np.shape(z))
    out[np.asarray(z) > 0] = 1.0
    return out
"""),
    # leaky relu
    Alternative("leaky_relu", "np.maximum(alpha z, z) (0 < alpha < 1)", """
def leaky_relu(z, alpha=0.01):
    return np.maximum(alpha * z, z)
"""),
    Alternative("leaky_relu", "a copy and a boolean mask", """
def leaky_relu(z, alpha=0.01):
    out = np.array(z, dtype=np.float64)
    out[out <= 0] *= alpha
    return out
"""),
    Alternative("leaky_relu_grad", "ones and a mask", """
def leaky_relu_grad(z, alpha=0.01):
    out = np.ones(np.shape(z))
    out[np.asarray(z) <= 0] = alpha
    return out
"""),
    Alternative("leaky_relu_grad", "blend of two masks", """
def leaky_relu_grad(z, alpha=0.01):
    pos = (np.asarray(z) > 0).astype(np.float64)
    return pos + alpha * (1.0 - pos)
"""),
    # elu
    Alternative("elu", "exp - 1 on the clamped input", """
def elu(z, alpha=1.0):
    return np.where(z > 0, z, alpha * (np.exp(np.minimum(z, 0.0)) - 1.0))
"""),
    Alternative("elu", "a loop with math.expm1", """
import math

def elu(z, alpha=1.0):
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    for i, v in np.ndenumerate(z):
        out[i] = v if v > 0 else alpha * math.expm1(v)
    return out
"""),
    Alternative("elu_grad", "elu(z) + alpha for z <= 0", """
def elu_grad(z, alpha=1.0):
    return np.where(z > 0, 1.0, elu(z, alpha) + alpha)
"""),
    # selu
    Alternative("selu", "written out with the constants", """
def selu(z):
    z = np.asarray(z, dtype=np.float64)
    return np.where(z > 0, 1.0507009873554805 * z,
                    1.0507009873554805 * 1.6732632423543772 * np.expm1(np.minimum(z, 0.0)))
"""),
    Alternative("selu", "masks", """
def selu(z):
    z = np.asarray(z, dtype=np.float64)
    out = SELU_SCALE * z
    neg = z <= 0
    out[neg] = SELU_SCALE * SELU_ALPHA * np.expm1(z[neg])
    return out
"""),
    Alternative("selu_grad", "written out with the constants", """
def selu_grad(z):
    z = np.asarray(z, dtype=np.float64)
    return np.where(z > 0, SELU_SCALE, SELU_SCALE * SELU_ALPHA * np.exp(np.minimum(z, 0.0)))
"""),
    # gelu
    Alternative("gelu", "scipy.special.ndtr", """
from scipy.special import ndtr

def gelu(z, approximate=False):
    z = np.asarray(z, dtype=np.float64)
    if approximate:
        return 0.5 * z * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (z + 0.044715 * z ** 3)))
    return z * ndtr(z)
"""),
    Alternative("gelu", "np.vectorize(math.erf)", """
import math

def gelu(z, approximate=False):
    z = np.asarray(z, dtype=np.float64)
    if approximate:
        return 0.5 * z * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (z + 0.044715 * z ** 3)))
    return 0.5 * z * (1.0 + np.vectorize(math.erf, otypes=[np.float64])(z / math.sqrt(2.0)))
"""),
    Alternative("gelu", "erfc(-z / sqrt 2)", """
from scipy.special import erfc

def gelu(z, approximate=False):
    z = np.asarray(z, dtype=np.float64)
    if approximate:
        u = np.sqrt(2.0 / np.pi) * (z + 0.044715 * z ** 3)
        return 0.5 * z * (1.0 + np.tanh(u))
    return 0.5 * z * erfc(-z / np.sqrt(2.0))
"""),
    Alternative("gelu_grad", "ndtr and the density, tanh' via cosh-free sech^2", """
from scipy.special import ndtr

def gelu_grad(z, approximate=False):
    z = np.asarray(z, dtype=np.float64)
    if approximate:
        c = np.sqrt(2.0 / np.pi)
        u = c * (z + 0.044715 * z ** 3)
        t = np.tanh(u)
        return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t) * (1.0 + t) * c * (1.0 + 0.134145 * z ** 2)
    return ndtr(z) + z * np.exp(-0.5 * z * z) / np.sqrt(2.0 * np.pi)
"""),
    # softplus
    Alternative("softplus", "max(z, 0) + log1p(exp(-|z|))", """
def softplus(z):
    z = np.asarray(z, dtype=np.float64)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
"""),
    Alternative("softplus", "PyTorch's threshold 20, with the exponent clamped", """
def softplus(z):
    z = np.asarray(z, dtype=np.float64)
    return np.where(z > 20, z, np.log1p(np.exp(np.minimum(z, 20.0))))
"""),
    Alternative("softplus", "a loop with math", """
import math

def softplus(z):
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    for i, v in np.ndenumerate(z):
        out[i] = max(v, 0.0) + math.log1p(math.exp(-abs(v)))
    return out
"""),
    Alternative("softplus_grad", "scipy.special.expit", """
from scipy.special import expit

def softplus_grad(z):
    return expit(z)
"""),
    Alternative("softplus_grad", "exp(z - softplus(z))", """
def softplus_grad(z):
    z = np.asarray(z, dtype=np.float64)
    return np.exp(z - np.logaddexp(0.0, z))
"""),
    # silu
    Alternative("silu", "z * expit(z)", """
from scipy.special import expit

def silu(z):
    return z * expit(z)
"""),
    Alternative("silu", "0.5 z (1 + tanh(z / 2))", """
def silu(z):
    z = np.asarray(z, dtype=np.float64)
    return 0.5 * z * (1.0 + np.tanh(0.5 * z))
"""),
    Alternative("silu_grad", "s (1 + z (1 - s))", """
def silu_grad(z):
    z = np.asarray(z, dtype=np.float64)
    s = sigmoid(z)
    return s * (1.0 + z * (1.0 - s))
"""),
    Alternative("silu_grad", "silu(z) + s (1 - silu(z))", """
def silu_grad(z):
    s = sigmoid(z)
    f = silu(z)
    return f + s * (1.0 - f)
"""),
    # gaussian
    Alternative("gaussian", "np.exp(-np.square(z))", """
def gaussian(z):
    return np.exp(-np.square(np.asarray(z, dtype=np.float64)))
"""),
    Alternative("gaussian", "np.vectorize(math.exp)", """
import math

def gaussian(z):
    return np.vectorize(lambda v: math.exp(-v * v), otypes=[np.float64])(z)
"""),
    Alternative("gaussian_grad", "-2 z gaussian(z)", """
def gaussian_grad(z):
    return -2.0 * z * gaussian(z)
"""),
    # softmax
    Alternative("softmax", "log-softmax with logaddexp.reduce, then exp", """
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    return np.exp(z - np.logaddexp.reduce(z, axis=axis, keepdims=True))
"""),
    Alternative("softmax", "scipy.special.softmax", """
import scipy.special

def softmax(z, axis=-1):
    return scipy.special.softmax(np.asarray(z, dtype=np.float64), axis=axis)
"""),
    Alternative("softmax", "log-sum-exp with the max, then exp", """
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    m = np.max(z, axis=axis, keepdims=True)
    lse = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
    return np.exp(z - lse)
"""),
    Alternative("softmax", "np.apply_along_axis on 1-D slices", """
def softmax(z, axis=-1):
    def one(v):
        e = np.exp(v - v.max())
        return e / e.sum()
    return np.apply_along_axis(one, axis, np.asarray(z, dtype=np.float64))
"""),
    Alternative("softmax_backward", "the full Jacobian with einsum", """
def softmax_backward(z, grad_out, axis=-1):
    s = np.moveaxis(softmax(z, axis), axis, -1)
    g = np.moveaxis(np.asarray(grad_out, dtype=np.float64), axis, -1)
    jac = np.einsum("...i,ij->...ij", s, np.eye(s.shape[-1])) - np.einsum("...i,...j->...ij", s, s)
    return np.moveaxis(np.einsum("...ij,...i->...j", jac, g), -1, axis)
"""),
    Alternative("softmax_backward", "s g - s sum(s g)", """
def softmax_backward(z, grad_out, axis=-1):
    s = softmax(z, axis)
    sg = s * grad_out
    return sg - s * np.sum(sg, axis=axis, keepdims=True)
"""),
    Alternative("softmax_backward", "a loop over 1-D slices with the Jacobian matrix", """
def softmax_backward(z, grad_out, axis=-1):
    s = np.moveaxis(softmax(z, axis), axis, -1)
    g = np.moveaxis(np.asarray(grad_out, dtype=np.float64), axis, -1)
    out = np.empty_like(s)
    for idx in np.ndindex(s.shape[:-1]):
        v = s[idx]
        jac = np.diag(v) - np.outer(v, v)
        out[idx] = jac.T @ g[idx]
    return np.moveaxis(out, -1, axis)
"""),
]

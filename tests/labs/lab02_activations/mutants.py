"""Mutants and valid alternatives of lab02_activations (see nngrade/mutants.py).

Each source is a complete `def` appended to the solution notebook as a last cell; it may
call the solution's other functions (`sigmoid`, `elu`, `softmax`, ...) and its constants
(`SELU_SCALE`, `SELU_ALPHA`). `expect` is a phrase that the feedback must contain: a
`likely` row of nngrade/labs/lab02_activations/checks.py, a generic diagnosis of
nngrade/diagnose.py, or the engine's own message (dtype, type, stability, in place).
"""
from nngrade.mutants import Alternative, Mutant

# Phrases of the engine's own messages, shared by many rows.
UNSTABLE = "is not numerically stable"
IN_PLACE = "modified z in place"
FLOAT32 = "float64 is the contract"
A_LIST = "wrap it with np.array"
BOOL = "a boolean array"
INTEGER = "integer arrays lose the fractions"
NOT_DERIV = "not of its derivative"           # the activation returned by a _grad
IS_DERIV = "these are the values of the derivative"   # the derivative returned by a forward

MUTANTS = [
    # ---- identity -------------------------------------------------------------------------
    Mutant("identity", "returns a list", """
def identity(z):
    return [float(v) for v in np.ravel(z)]
""", expect=A_LIST),
    Mutant("identity", "float32", """
def identity(z):
    return np.asarray(z, dtype=np.float32)
""", expect=FLOAT32),
    Mutant("identity", "flattens the input", """
def identity(z):
    return np.array(z, dtype=np.float64).ravel()
""", expect="the values are right but the shape is not"),
    Mutant("identity", "returns the derivative (ones)", """
def identity(z):
    return np.ones_like(z, dtype=np.float64)
""", expect=IS_DERIV),

    # ---- identity_grad --------------------------------------------------------------------
    Mutant("identity_grad", "the activation in place of its derivative", """
def identity_grad(z):
    return np.array(z, dtype=np.float64)
""", expect=NOT_DERIV),
    Mutant("identity_grad", "returns the scalar 1.0", """
def identity_grad(z):
    return 1.0
""", expect="should be a numpy.ndarray"),
    Mutant("identity_grad", "np.ones(len(z)): wrong shape for 2-D input", """
def identity_grad(z):
    return np.ones(len(z))
""", expect="has shape (2,), expected (2, 3)"),
    Mutant("identity_grad", "float32", """
def identity_grad(z):
    return np.ones_like(z, dtype=np.float32)
""", expect=FLOAT32),

    # ---- binary_step ----------------------------------------------------------------------
    Mutant("binary_step", "> instead of >= at z = 0", """
def binary_step(z):
    return (np.asarray(z) > 0).astype(np.float64)
""", expect="at z = 0 the binary step is 1"),
    Mutant("binary_step", "returns the boolean mask", """
def binary_step(z):
    return np.asarray(z) >= 0
""", expect=BOOL),
    Mutant("binary_step", "np.where with ints", """
def binary_step(z):
    return np.where(z >= 0, 1, 0)
""", expect=INTEGER),
    Mutant("binary_step", "np.sign", """
def binary_step(z):
    return np.sign(z)
""", expect="np.sign gives -1"),
    Mutant("binary_step", "np.heaviside(z, 0.5)", """
def binary_step(z):
    return np.heaviside(z, 0.5)
""", expect="np.heaviside(z, 0.5)"),
    Mutant("binary_step", "in place", """
def binary_step(z):
    z[z >= 0] = 1.0
    z[z < 0] = 0.0
    return z
""", expect=IN_PLACE),

    # ---- binary_step_grad -----------------------------------------------------------------
    Mutant("binary_step_grad", "the activation in place of its derivative", """
def binary_step_grad(z):
    return binary_step(z)
""", expect=NOT_DERIV),
    Mutant("binary_step_grad", "returns the scalar 0.0", """
def binary_step_grad(z):
    return 0.0
""", expect="should be a numpy.ndarray"),
    Mutant("binary_step_grad", "integer zeros", """
def binary_step_grad(z):
    return np.zeros(np.shape(z), dtype=int)
""", expect=INTEGER),
    Mutant("binary_step_grad", "np.zeros(len(z))", """
def binary_step_grad(z):
    return np.zeros(len(z))
""", expect="has shape (2,), expected (2, 3)"),

    # ---- sigmoid --------------------------------------------------------------------------
    Mutant("sigmoid", "the naive formula overflows at z = -1000", """
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))
""", expect=UNSTABLE),
    Mutant("sigmoid", "e^z / (1 + e^z) overflows at z = +1000", """
def sigmoid(z):
    return np.exp(z) / (1.0 + np.exp(z))
""", expect=UNSTABLE),
    Mutant("sigmoid", "the sign in the exponent flipped", """
def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))
""", expect="the sign in the exponent is flipped"),
    Mutant("sigmoid", "the tanh form without the 1/2 inside", """
def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(z))
""", expect="0.5 (1 + tanh(z / 2))"),
    Mutant("sigmoid", "clipped too tightly (+-10)", """
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -10, 10)))
"""),
    Mutant("sigmoid", "float32", """
def sigmoid(z):
    z = np.asarray(z, dtype=np.float32)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
""", expect=FLOAT32),

    # ---- sigmoid_grad ---------------------------------------------------------------------
    Mutant("sigmoid_grad", "the activation in place of its derivative", """
def sigmoid_grad(z):
    return sigmoid(z)
""", expect="these are the values of sigmoid(z), not of its derivative"),
    Mutant("sigmoid_grad", "s (1 - s) applied to z", """
def sigmoid_grad(z):
    return z * (1 - z)
""", expect="you applied the derivative written in terms of the output"),
    Mutant("sigmoid_grad", "1 - s^2 (tanh's pattern)", """
def sigmoid_grad(z):
    return 1 - sigmoid(z) ** 2
""", expect="1 - s^2 is the pattern of tanh's derivative"),
    Mutant("sigmoid_grad", "e^-z / (1 + e^-z)^2 overflows", """
def sigmoid_grad(z):
    e = np.exp(-z)
    return e / (1 + e) ** 2
""", expect=UNSTABLE),

    # ---- tanh -----------------------------------------------------------------------------
    Mutant("tanh", "the four-exponential formula overflows", """
def tanh(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
""", expect=UNSTABLE),
    Mutant("tanh", "2 sigmoid(z) - 1 (the 2 inside is missing)", """
def tanh(z):
    return 2 * sigmoid(z) - 1
""", expect="tanh(z) = 2 sigmoid(2 z) - 1"),
    Mutant("tanh", "returns a list", """
def tanh(z):
    return np.tanh(z).tolist()
""", expect=A_LIST),
    Mutant("tanh", "returns the derivative", """
def tanh(z):
    return 1 - np.tanh(z) ** 2
""", expect=IS_DERIV),

    # ---- tanh_grad ------------------------------------------------------------------------
    Mutant("tanh_grad", "the activation in place of its derivative", """
def tanh_grad(z):
    return np.tanh(z)
""", expect=NOT_DERIV),
    Mutant("tanh_grad", "1 - t^2 applied to z", """
def tanh_grad(z):
    return 1 - z ** 2
""", expect="you applied the derivative written in terms of the output"),
    Mutant("tanh_grad", "the square is missing", """
def tanh_grad(z):
    return 1 - np.tanh(z)
""", expect="the square is missing"),
    Mutant("tanh_grad", "1 / cosh^2 overflows", """
def tanh_grad(z):
    return 1 / np.cosh(z) ** 2
""", expect=UNSTABLE),

    # ---- relu -----------------------------------------------------------------------------
    Mutant("relu", "in place: z[z < 0] = 0", """
def relu(z):
    z[z < 0] = 0
    return z
""", expect=IN_PLACE),
    Mutant("relu", "np.max(z, 0) reduces instead of comparing", """
def relu(z):
    return np.max(z, 0)
""", expect="should be a numpy.ndarray"),
    Mutant("relu", "returns the derivative", """
def relu(z):
    return (z > 0).astype(np.float64)
""", expect=IS_DERIV),
    Mutant("relu", "float32", """
def relu(z):
    return np.maximum(z, 0).astype(np.float32)
""", expect=FLOAT32),
    Mutant("relu", "a list from a loop over rows", """
def relu(z):
    return [max(v, 0.0) for v in z]
""", expect=A_LIST),

    # ---- relu_grad ------------------------------------------------------------------------
    Mutant("relu_grad", ">= instead of > at the kink (relu_grad(0) = 1)", """
def relu_grad(z):
    return (z >= 0).astype(np.float64)
""", expect="at z = 0 the derivative is 0"),
    Mutant("relu_grad", "the activation in place of its derivative", """
def relu_grad(z):
    return np.maximum(z, 0.0)
""", expect=NOT_DERIV),
    Mutant("relu_grad", "the boolean mask", """
def relu_grad(z):
    return z > 0
""", expect=BOOL),
    Mutant("relu_grad", "np.sign", """
def relu_grad(z):
    return np.sign(z)
""", expect="np.sign gives -1"),
    Mutant("relu_grad", "in place", """
def relu_grad(z):
    z[z > 0] = 1.0
    z[z <= 0] = 0.0
    return z
""", expect=IN_PLACE),

    # ---- leaky_relu -----------------------------------------------------------------------
    Mutant("leaky_relu", "Keras's default alpha=0.2", """
def leaky_relu(z, alpha=0.2):
    return np.where(z > 0, z, alpha * z)
""", expect="Keras's default slope"),
    Mutant("leaky_relu", "keras.layers.LeakyReLU's default 0.3", """
def leaky_relu(z, alpha=0.3):
    return np.where(z > 0, z, alpha * z)
""", expect="keras.layers.LeakyReLU"),
    Mutant("leaky_relu", "ignores alpha", """
def leaky_relu(z, alpha=0.01):
    return np.where(z > 0, z, 0.01 * z)
""", expect="ignores the alpha argument"),
    Mutant("leaky_relu", "alpha instead of alpha * z", """
def leaky_relu(z, alpha=0.01):
    return np.where(z > 0, z, alpha)
""", expect="not the constant alpha"),
    Mutant("leaky_relu", "in place", """
def leaky_relu(z, alpha=0.01):
    z[z < 0] *= alpha
    return z
""", expect=IN_PLACE),

    # ---- leaky_relu_grad ------------------------------------------------------------------
    Mutant("leaky_relu_grad", ">= at the kink", """
def leaky_relu_grad(z, alpha=0.01):
    return np.where(z >= 0, 1.0, alpha)
""", expect="at z = 0 the derivative is alpha"),
    Mutant("leaky_relu_grad", "Keras's default alpha=0.2", """
def leaky_relu_grad(z, alpha=0.2):
    return np.where(z > 0, 1.0, alpha)
""", expect="Keras's default slope"),
    Mutant("leaky_relu_grad", "relu's derivative (0 for z <= 0)", """
def leaky_relu_grad(z, alpha=0.01):
    return np.where(z > 0, 1.0, 0.0)
""", expect="the slope is alpha, not 0"),
    Mutant("leaky_relu_grad", "ignores alpha", """
def leaky_relu_grad(z, alpha=0.01):
    return np.where(z > 0, 1.0, 0.01)
""", expect="ignores the alpha argument"),
    Mutant("leaky_relu_grad", "the activation in place of its derivative", """
def leaky_relu_grad(z, alpha=0.01):
    return leaky_relu(z, alpha)
""", expect=NOT_DERIV),

    # ---- elu ------------------------------------------------------------------------------
    Mutant("elu", "exp(z) in the unused branch overflows at +1000", """
def elu(z, alpha=1.0):
    return np.where(z > 0, z, alpha * (np.exp(z) - 1))
""", expect=UNSTABLE),
    Mutant("elu", "the -1 is missing", """
def elu(z, alpha=1.0):
    return np.where(z > 0, z, alpha * np.exp(np.minimum(z, 0)))
""", expect="the -1 is missing"),
    Mutant("elu", "ignores alpha", """
def elu(z, alpha=1.0):
    return np.where(z > 0, z, np.expm1(np.minimum(z, 0)))
""", expect="ignores the alpha argument"),
    Mutant("elu", "float32", """
def elu(z, alpha=1.0):
    z = np.asarray(z, dtype=np.float32)
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0))).astype(np.float32)
""", expect=FLOAT32),
    Mutant("elu", "returns the derivative", """
def elu(z, alpha=1.0):
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0)))
""", expect=IS_DERIV),

    # ---- elu_grad -------------------------------------------------------------------------
    Mutant("elu_grad", ">= at the kink (elu_grad(0) = 1 instead of alpha)", """
def elu_grad(z, alpha=1.0):
    return np.where(z >= 0, 1.0, alpha * np.exp(np.minimum(z, 0)))
""", expect="at z = 0 the derivative is alpha"),
    Mutant("elu_grad", "the activation in place of its derivative", """
def elu_grad(z, alpha=1.0):
    return elu(z, alpha)
""", expect=NOT_DERIV),
    Mutant("elu_grad", "exp(z) overflows at +1000", """
def elu_grad(z, alpha=1.0):
    return np.where(z > 0, 1.0, alpha * np.exp(z))
""", expect=UNSTABLE),
    Mutant("elu_grad", "ignores alpha", """
def elu_grad(z, alpha=1.0):
    return np.where(z > 0, 1.0, np.exp(np.minimum(z, 0)))
""", expect="ignores the alpha argument"),

    # ---- selu -----------------------------------------------------------------------------
    Mutant("selu", "the missing lambda", """
def selu(z):
    return elu(z, SELU_ALPHA)
""", expect="did you forget lambda"),
    Mutant("selu", "lambda and alpha swapped", """
def selu(z):
    return SELU_ALPHA * elu(z, SELU_SCALE)
""", expect="are swapped"),
    Mutant("selu", "lambda on the positive branch only", """
def selu(z):
    return np.where(z > 0, SELU_SCALE * z, elu(z, SELU_ALPHA))
""", expect="lambda multiplies both branches"),
    Mutant("selu", "the notes' rounded constants", """
def selu(z):
    return 1.0507 * elu(z, 1.67326)
""", expect="the notes' rounded constants"),
    Mutant("selu", "exp(z) in the unused branch overflows", """
def selu(z):
    return SELU_SCALE * np.where(z > 0, z, SELU_ALPHA * (np.exp(z) - 1))
""", expect=UNSTABLE),

    # ---- selu_grad ------------------------------------------------------------------------
    Mutant("selu_grad", ">= at the kink (Keras's 1.0507 at 0)", """
def selu_grad(z):
    return SELU_SCALE * np.where(z >= 0, 1.0, SELU_ALPHA * np.exp(np.minimum(z, 0)))
""", expect="PyTorch's selu' is lambda * alpha"),
    Mutant("selu_grad", "the missing lambda", """
def selu_grad(z):
    return elu_grad(z, SELU_ALPHA)
""", expect="did you forget lambda"),
    Mutant("selu_grad", "the activation in place of its derivative", """
def selu_grad(z):
    return selu(z)
""", expect=NOT_DERIV),
    Mutant("selu_grad", "the notes' rounded constants", """
def selu_grad(z):
    return 1.0507 * np.where(z > 0, 1.0, 1.67326 * np.exp(np.minimum(z, 0)))
""", expect="the notes' rounded constants"),
    Mutant("selu_grad", "exp(z) overflows at +1000", """
def selu_grad(z):
    return SELU_SCALE * np.where(z > 0, 1.0, SELU_ALPHA * np.exp(z))
""", expect=UNSTABLE),

    # ---- gelu -----------------------------------------------------------------------------
    Mutant("gelu", "the tanh approximation when approximate=False", """
def gelu(z, approximate=False):
    z = np.asarray(z, dtype=np.float64)
    u = np.sqrt(2.0 / np.pi) * (z + 0.044715 * z ** 3)
    return 0.5 * z * (1.0 + np.tanh(u))
""", expect="this is the tanh approximation"),
    Mutant("gelu", "ignores approximate=True", """
def gelu(z, approximate=False):
    z = np.asarray(z, dtype=np.float64)
    return 0.5 * z * (1.0 + erf(z / np.sqrt(2.0)))
""", expect="ignores the approximate argument"),
    Mutant("gelu", "z sigmoid(1.702 z)", """
def gelu(z, approximate=False):
    z = np.asarray(z, dtype=np.float64)
    if approximate:
        u = np.sqrt(2.0 / np.pi) * (z + 0.044715 * z ** 3)
        return 0.5 * z * (1.0 + np.tanh(u))
    return z * sigmoid(1.702 * z)
""", expect="z sigmoid(1.702 z)"),
    Mutant("gelu", "erf(z / 2) instead of erf(z / sqrt(2))", """
def gelu(z, approximate=False):
    z = np.asarray(z, dtype=np.float64)
    if approximate:
        u = np.sqrt(2.0 / np.pi) * (z + 0.044715 * z ** 3)
        return 0.5 * z * (1.0 + np.tanh(u))
    return 0.5 * z * (1.0 + erf(z / 2.0))
""", expect="not z / 2"),
    Mutant("gelu", "the factor 0.5 is missing", """
def gelu(z, approximate=False):
    z = np.asarray(z, dtype=np.float64)
    if approximate:
        u = np.sqrt(2.0 / np.pi) * (z + 0.044715 * z ** 3)
        return z * (1.0 + np.tanh(u))
    return z * (1.0 + erf(z / np.sqrt(2.0)))
""", expect="exactly 2 times too large"),

    # ---- gelu_grad ------------------------------------------------------------------------
    Mutant("gelu_grad", "Phi(z) alone (the product rule forgotten)", """
def gelu_grad(z, approximate=False):
    z = np.asarray(z, dtype=np.float64)
    if approximate:
        return 0.5 * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (z + 0.044715 * z ** 3)))
    return 0.5 * (1.0 + erf(z / np.sqrt(2.0)))
""", expect="this is Phi(z) alone"),
    Mutant("gelu_grad", "the tanh approximation's derivative when approximate=False", """
def gelu_grad(z, approximate=False):
    z = np.asarray(z, dtype=np.float64)
    c = np.sqrt(2.0 / np.pi)
    t = np.tanh(c * (z + 0.044715 * z ** 3))
    return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * c * (1.0 + 3 * 0.044715 * z * z)
""", expect="the derivative of the tanh approximation"),
    Mutant("gelu_grad", "the activation in place of its derivative", """
def gelu_grad(z, approximate=False):
    return gelu(z, approximate)
""", expect=NOT_DERIV),
    Mutant("gelu_grad", "the density without 1 / sqrt(2 pi)", """
def gelu_grad(z, approximate=False):
    z = np.asarray(z, dtype=np.float64)
    if approximate:
        c = np.sqrt(2.0 / np.pi)
        t = np.tanh(c * (z + 0.044715 * z ** 3))
        return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * c * (1.0 + 3 * 0.044715 * z * z)
    return 0.5 * (1.0 + erf(z / np.sqrt(2.0))) + z * np.exp(-0.5 * z * z)
""", expect="1 / sqrt(2 pi) is missing"),
    Mutant("gelu_grad", "ignores approximate=True", """
def gelu_grad(z, approximate=False):
    z = np.asarray(z, dtype=np.float64)
    return 0.5 * (1.0 + erf(z / np.sqrt(2.0))) + z * np.exp(-0.5 * z * z) / np.sqrt(2 * np.pi)
""", expect="ignores the approximate argument"),

    # ---- softplus -------------------------------------------------------------------------
    Mutant("softplus", "log(1 + exp(z)) overflows", """
def softplus(z):
    return np.log(1.0 + np.exp(z))
""", expect=UNSTABLE),
    Mutant("softplus", "log1p(exp(z)) still overflows", """
def softplus(z):
    return np.log1p(np.exp(z))
""", expect=UNSTABLE),
    Mutant("softplus", "PyTorch's threshold with np.where (both branches computed)", """
def softplus(z):
    return np.where(z > 20, z, np.log1p(np.exp(z)))
""", expect=UNSTABLE),
    Mutant("softplus", "max(z, 0) forgotten in the stable form", """
def softplus(z):
    return np.log1p(np.exp(-np.abs(z)))
""", expect="add max(z, 0)"),
    Mutant("softplus", "returns the derivative", """
def softplus(z):
    return sigmoid(z)
""", expect=IS_DERIV),

    # ---- softplus_grad --------------------------------------------------------------------
    Mutant("softplus_grad", "the activation in place of its derivative", """
def softplus_grad(z):
    return softplus(z)
""", expect="the derivative of softplus is sigmoid(z)"),
    Mutant("softplus_grad", "the naive sigmoid overflows", """
def softplus_grad(z):
    return 1.0 / (1.0 + np.exp(-z))
""", expect=UNSTABLE),
    Mutant("softplus_grad", "sigmoid(-z)", """
def softplus_grad(z):
    return sigmoid(-z)
""", expect="this is sigmoid(-z)"),
    Mutant("softplus_grad", "e^z / (1 + e^z) overflows to NaN", """
def softplus_grad(z):
    e = np.exp(z)
    return e / (1.0 + e)
""", expect=UNSTABLE),

    # ---- silu -----------------------------------------------------------------------------
    Mutant("silu", "sigmoid(z) without the factor z", """
def silu(z):
    return sigmoid(z)
""", expect="silu is z * sigmoid(z)"),
    Mutant("silu", "z / (1 + exp(-z)) overflows", """
def silu(z):
    return z / (1.0 + np.exp(-z))
""", expect=UNSTABLE),
    Mutant("silu", "float32", """
def silu(z):
    return (z * sigmoid(z)).astype(np.float32)
""", expect=FLOAT32),
    Mutant("silu", "returns the derivative", """
def silu(z):
    s = sigmoid(z)
    return s + z * s * (1 - s)
""", expect=IS_DERIV),

    # ---- silu_grad ------------------------------------------------------------------------
    Mutant("silu_grad", "sigmoid(z) only", """
def silu_grad(z):
    return sigmoid(z)
""", expect="the product rule adds"),
    Mutant("silu_grad", "the derivative of sigmoid only", """
def silu_grad(z):
    s = sigmoid(z)
    return s * (1 - s)
""", expect="the derivative of sigmoid alone"),
    Mutant("silu_grad", "the factor z missing in the second term", """
def silu_grad(z):
    s = sigmoid(z)
    return s + s * (1 - s)
""", expect="the factor z is missing"),
    Mutant("silu_grad", "the activation in place of its derivative", """
def silu_grad(z):
    return silu(z)
""", expect=NOT_DERIV),
    Mutant("silu_grad", "the notes' formula (1 + e^-z + z e^-z) / (1 + e^-z)^2 overflows", """
def silu_grad(z):
    e = np.exp(-z)
    return (1 + e + z * e) / (1 + e) ** 2
""", expect=UNSTABLE),
    Mutant("silu_grad", "the naive sigmoid overflows", """
def silu_grad(z):
    s = 1.0 / (1.0 + np.exp(-z))
    return s + z * s * (1 - s)
""", expect=UNSTABLE),

    # ---- gaussian -------------------------------------------------------------------------
    Mutant("gaussian", "exp(-z^2 / 2)", """
def gaussian(z):
    return np.exp(-z ** 2 / 2)
""", expect="the shape of the normal density"),
    Mutant("gaussian", "1 / exp(z^2) overflows", """
def gaussian(z):
    return 1.0 / np.exp(z * z)
""", expect=UNSTABLE),
    Mutant("gaussian", "exp(-z)^2 = exp(-2z)", """
def gaussian(z):
    return np.exp(-z) ** 2
""", expect="exp(-z)^2 is exp(-2 z)"),
    Mutant("gaussian", "returns the derivative", """
def gaussian(z):
    return -2 * z * np.exp(-z * z)
""", expect=IS_DERIV),

    # ---- gaussian_grad --------------------------------------------------------------------
    Mutant("gaussian_grad", "the factor 2 is missing", """
def gaussian_grad(z):
    return -z * np.exp(-z * z)
""", expect="a factor is missing"),
    Mutant("gaussian_grad", "the sign is missing", """
def gaussian_grad(z):
    return 2 * z * np.exp(-z * z)
""", expect="the opposite sign"),
    Mutant("gaussian_grad", "the factor z is missing", """
def gaussian_grad(z):
    return -2 * np.exp(-z * z)
""", expect="the factor z is missing"),
    Mutant("gaussian_grad", "the activation in place of its derivative", """
def gaussian_grad(z):
    return gaussian(z)
""", expect=NOT_DERIV),

    # ---- softmax --------------------------------------------------------------------------
    Mutant("softmax", "no max-subtraction", """
def softmax(z, axis=-1):
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)
""", expect=UNSTABLE),
    Mutant("softmax", "over axis 0", """
def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)
""", expect="you normalised over the wrong axis"),
    Mutant("softmax", "over the whole array", """
def softmax(z, axis=-1):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)
""", expect="over the whole array"),
    Mutant("softmax", "the axis argument ignored", """
def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
""", expect="ignores the axis argument"),
    Mutant("softmax", "no keepdims", """
def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis))
    return e / np.sum(e, axis=axis)
""", expect="raised ValueError"),
    Mutant("softmax", "the global maximum subtracted (underflow to 0/0)", """
def softmax(z, axis=-1):
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=axis, keepdims=True)
""", expect=UNSTABLE),

    # ---- softmax_backward -----------------------------------------------------------------
    Mutant("softmax_backward", "the diagonal term s (1 - s) only", """
def softmax_backward(z, grad_out, axis=-1):
    s = softmax(z, axis)
    return grad_out * s * (1 - s)
""", expect="the diagonal s (1 - s) only"),
    Mutant("softmax_backward", "the sum over the whole array", """
def softmax_backward(z, grad_out, axis=-1):
    s = softmax(z, axis)
    return s * (grad_out - np.sum(grad_out * s))
""", expect="runs over the whole array"),
    Mutant("softmax_backward", "the sum of g without s", """
def softmax_backward(z, grad_out, axis=-1):
    s = softmax(z, axis)
    return s * (grad_out - np.sum(grad_out, axis=axis, keepdims=True))
""", expect="not of g_i alone"),
    Mutant("softmax_backward", "the sign flipped", """
def softmax_backward(z, grad_out, axis=-1):
    s = softmax(z, axis)
    return s * (np.sum(grad_out * s, axis=axis, keepdims=True) - grad_out)
""", expect="the opposite sign"),
    Mutant("softmax_backward", "the axis argument ignored", """
def softmax_backward(z, grad_out, axis=-1):
    s = softmax(z)
    return s * (grad_out - np.sum(grad_out * s, axis=-1, keepdims=True))
""", expect="ignores the axis argument"),
    Mutant("softmax_backward", "a softmax without max-subtraction inside", """
def softmax_backward(z, grad_out, axis=-1):
    e = np.exp(z)
    s = e / np.sum(e, axis=axis, keepdims=True)
    return s * (grad_out - np.sum(grad_out * s, axis=axis, keepdims=True))
""", expect=UNSTABLE),
    Mutant("softmax_backward", "returns softmax(z) itself", """
def softmax_backward(z, grad_out, axis=-1):
    return softmax(z, axis)
""", expect="these are the values of softmax(z)"),
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

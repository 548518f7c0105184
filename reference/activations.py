"""Oracles for lab02_activations: forward values and derivatives, float64 in and out.

PyTorch: `torch.nn.functional` for values, autograd for derivatives (the gradient of
sum(f(z)) is f'(z), elementwise). Keras: `keras.activations` for values, `tf.GradientTape`
for derivatives. Each `_grad` is derived from its forward function, so the two can never
disagree about which formula they differentiate.
"""
from __future__ import annotations

from reference._frameworks import keras, keras_value, keras_vjp, torch, torch_value, torch_vjp

SELU_SCALE = 1.0507009873554805
SELU_ALPHA = 1.6732632423543772


def _torch_forward(name, **kw):
    F = torch().nn.functional
    t = torch()
    return {
        "identity": lambda z: z,
        "binary_step": lambda z: t.heaviside(z, t.ones((), dtype=z.dtype)),
        "sigmoid": lambda z: t.sigmoid(z),
        "tanh": lambda z: t.tanh(z),
        "relu": lambda z: F.relu(z),
        "leaky_relu": lambda z: F.leaky_relu(z, negative_slope=kw.get("alpha", 0.01)),
        "elu": lambda z: F.elu(z, alpha=kw.get("alpha", 1.0)),
        "selu": lambda z: F.selu(z),
        "gelu": lambda z: F.gelu(z, approximate="tanh" if kw.get("approximate") else "none"),
        # torch switches to z above `threshold` (20 by default): 40 is exact in float64
        "softplus": lambda z: F.softplus(z, beta=1.0, threshold=40.0),
        "silu": lambda z: F.silu(z),
        "gaussian": lambda z: t.exp(-z * z),
    }[name]


def _keras_forward(name, **kw):
    act, ops = keras().activations, keras().ops
    return {
        "identity": lambda z: act.linear(z),
        "binary_step": lambda z: ops.cast(ops.greater_equal(z, 0.0), "float64"),
        "sigmoid": lambda z: act.sigmoid(z),
        "tanh": lambda z: act.tanh(z),
        "relu": lambda z: act.relu(z),
        "leaky_relu": lambda z: act.leaky_relu(z, negative_slope=kw.get("alpha", 0.01)),
        "elu": lambda z: act.elu(z, alpha=kw.get("alpha", 1.0)),
        "selu": lambda z: act.selu(z),
        "gelu": lambda z: act.gelu(z, approximate=bool(kw.get("approximate", False))),
        "softplus": lambda z: act.softplus(z),
        "silu": lambda z: act.silu(z),
        "gaussian": lambda z: ops.exp(-z * z),
    }[name]


def _binary_step_grad_torch(z):
    # heaviside has no autograd formula; the derivative of a step is 0 wherever it exists
    return torch_vjp(lambda t: t * 0.0, z)


class Torch:
    identity = staticmethod(lambda z: torch_value(_torch_forward("identity"), z))
    binary_step = staticmethod(lambda z: torch_value(_torch_forward("binary_step"), z))
    sigmoid = staticmethod(lambda z: torch_value(_torch_forward("sigmoid"), z))
    tanh = staticmethod(lambda z: torch_value(_torch_forward("tanh"), z))
    relu = staticmethod(lambda z: torch_value(_torch_forward("relu"), z))
    leaky_relu = staticmethod(lambda z, alpha=0.01: torch_value(_torch_forward("leaky_relu", alpha=alpha), z))
    elu = staticmethod(lambda z, alpha=1.0: torch_value(_torch_forward("elu", alpha=alpha), z))
    selu = staticmethod(lambda z: torch_value(_torch_forward("selu"), z))
    gelu = staticmethod(lambda z, approximate=False:
                        torch_value(_torch_forward("gelu", approximate=approximate), z))
    softplus = staticmethod(lambda z: torch_value(_torch_forward("softplus"), z))
    silu = staticmethod(lambda z: torch_value(_torch_forward("silu"), z))
    gaussian = staticmethod(lambda z: torch_value(_torch_forward("gaussian"), z))

    identity_grad = staticmethod(lambda z: torch_vjp(_torch_forward("identity"), z))
    binary_step_grad = staticmethod(_binary_step_grad_torch)
    sigmoid_grad = staticmethod(lambda z: torch_vjp(_torch_forward("sigmoid"), z))
    tanh_grad = staticmethod(lambda z: torch_vjp(_torch_forward("tanh"), z))
    relu_grad = staticmethod(lambda z: torch_vjp(_torch_forward("relu"), z))
    leaky_relu_grad = staticmethod(lambda z, alpha=0.01: torch_vjp(_torch_forward("leaky_relu", alpha=alpha), z))
    elu_grad = staticmethod(lambda z, alpha=1.0: torch_vjp(_torch_forward("elu", alpha=alpha), z))
    selu_grad = staticmethod(lambda z: torch_vjp(_torch_forward("selu"), z))
    gelu_grad = staticmethod(lambda z, approximate=False:
                             torch_vjp(_torch_forward("gelu", approximate=approximate), z))
    softplus_grad = staticmethod(lambda z: torch_vjp(_torch_forward("softplus"), z))
    silu_grad = staticmethod(lambda z: torch_vjp(_torch_forward("silu"), z))
    gaussian_grad = staticmethod(lambda z: torch_vjp(_torch_forward("gaussian"), z))

    @staticmethod
    def softmax(z, axis=-1):
        return torch_value(lambda t: torch().softmax(t, dim=axis), z)

    @staticmethod
    def softmax_backward(z, grad_out, axis=-1):
        return torch_vjp(lambda t: torch().softmax(t, dim=axis), z, grad_out)


class Keras:
    identity = staticmethod(lambda z: keras_value(_keras_forward("identity"), z))
    binary_step = staticmethod(lambda z: keras_value(_keras_forward("binary_step"), z))
    sigmoid = staticmethod(lambda z: keras_value(_keras_forward("sigmoid"), z))
    tanh = staticmethod(lambda z: keras_value(_keras_forward("tanh"), z))
    relu = staticmethod(lambda z: keras_value(_keras_forward("relu"), z))
    leaky_relu = staticmethod(lambda z, alpha=0.01: keras_value(_keras_forward("leaky_relu", alpha=alpha), z))
    elu = staticmethod(lambda z, alpha=1.0: keras_value(_keras_forward("elu", alpha=alpha), z))
    selu = staticmethod(lambda z: keras_value(_keras_forward("selu"), z))
    gelu = staticmethod(lambda z, approximate=False:
                        keras_value(_keras_forward("gelu", approximate=approximate), z))
    softplus = staticmethod(lambda z: keras_value(_keras_forward("softplus"), z))
    silu = staticmethod(lambda z: keras_value(_keras_forward("silu"), z))
    gaussian = staticmethod(lambda z: keras_value(_keras_forward("gaussian"), z))

    identity_grad = staticmethod(lambda z: keras_vjp(_keras_forward("identity"), z))
    binary_step_grad = staticmethod(lambda z: keras_vjp(_keras_forward("binary_step"), z))
    sigmoid_grad = staticmethod(lambda z: keras_vjp(_keras_forward("sigmoid"), z))
    tanh_grad = staticmethod(lambda z: keras_vjp(_keras_forward("tanh"), z))
    relu_grad = staticmethod(lambda z: keras_vjp(_keras_forward("relu"), z))
    leaky_relu_grad = staticmethod(lambda z, alpha=0.01: keras_vjp(_keras_forward("leaky_relu", alpha=alpha), z))
    elu_grad = staticmethod(lambda z, alpha=1.0: keras_vjp(_keras_forward("elu", alpha=alpha), z))
    selu_grad = staticmethod(lambda z: keras_vjp(_keras_forward("selu"), z))
    gelu_grad = staticmethod(lambda z, approximate=False:
                             keras_vjp(_keras_forward("gelu", approximate=approximate), z))
    softplus_grad = staticmethod(lambda z: keras_vjp(_keras_forward("softplus"), z))
    silu_grad = staticmethod(lambda z: keras_vjp(_keras_forward("silu"), z))
    gaussian_grad = staticmethod(lambda z: keras_vjp(_keras_forward("gaussian"), z))

    @staticmethod
    def softmax(z, axis=-1):
        return keras_value(lambda t: keras().activations.softmax(t, axis=axis), z)

    @staticmethod
    def softmax_backward(z, grad_out, axis=-1):
        return keras_vjp(lambda t: keras().activations.softmax(t, axis=axis), z, grad_out)


class Mistakes:
    """Known wrong results for the checks' `likely` rows that are not a plain transformation
    of an oracle's output, computed by the frameworks: torch.special for the normal CDF,
    autograd for the wrong vector-Jacobian products of softmax (a function with softmax's
    values whose backward pass carries the mistake, built with `detach`)."""

    @staticmethod
    def normal_cdf(z):
        """Phi(z), the standard normal CDF (torch.special.ndtr): gelu' without its second term."""
        return torch_value(lambda t: torch().special.ndtr(t), z)

    @staticmethod
    def softmax_backward_sum_over_all(z, grad_out, axis=-1):
        """s * (g - sum(g * s)) with the sum over the WHOLE array instead of along `axis`.
        y = s * exp(u - u.detach()), u = z - (the logsumexp of every row, summed): y has
        softmax's values and dy_i / dz_j = s_i (delta_ij - s_j) for every i, j of the array."""
        def fn(t):
            T = torch()
            u = t - T.logsumexp(t, dim=axis, keepdim=True).sum()
            return T.softmax(t, dim=axis).detach() * T.exp(u - u.detach())
        return torch_vjp(fn, z, grad_out)

    @staticmethod
    def softmax_backward_unweighted_sum(z, grad_out, axis=-1):
        """s * (g - sum(g)) along `axis`: the sum of g alone, not of g * s. The vector-Jacobian
        product of s * exp(z - z.detach()) - logsumexp(z) (d/dz_j of the logsumexp is s_j)."""
        def fn(t):
            T = torch()
            return (T.softmax(t, dim=axis).detach() * T.exp(t - t.detach())
                    - T.logsumexp(t, dim=axis, keepdim=True))
        return torch_vjp(fn, z, grad_out)


# -- docs/conventions.md: the frameworks side by side on fixed inputs -------------------------
def _z():
    import numpy as np
    return np.concatenate([np.linspace(-6, 6, 49), [-1000.0, -20.5, -1e-12, 0.0, 1e-12, 20.5, 40.0, 1000.0]])


def _pair(torch_fn, keras_fn):
    return lambda: (torch_value(torch_fn, _z()), keras_value(keras_fn, _z()))


def _grad_pair(torch_fn, keras_fn, z):
    return lambda: (torch_vjp(torch_fn, z), keras_vjp(keras_fn, z))


def _conventions():
    from nngrade.conventions import Piece
    import numpy as np
    F = lambda: torch().nn.functional  # noqa: E731
    act = lambda: keras().activations  # noqa: E731
    return [
        Piece("sigmoid", "torch.sigmoid(z)", "keras.activations.sigmoid(z)", "none",
              _pair(lambda t: torch().sigmoid(t), lambda t: act().sigmoid(t)),
              _pair(lambda t: torch().sigmoid(t), lambda t: act().sigmoid(t)), "already equal"),
        Piece("leaky ReLU", "F.leaky_relu(z, negative_slope)", "keras.activations.leaky_relu(z, negative_slope)",
              "slope: torch 0.01, keras 0.2 (layers.LeakyReLU: 0.3)",
              _pair(lambda t: F().leaky_relu(t), lambda t: act().leaky_relu(t)),
              _pair(lambda t: F().leaky_relu(t, 0.0625), lambda t: act().leaky_relu(t, negative_slope=0.0625)),
              "pass the slope; a dyadic slope (0.0625) is exact, 0.01 is rounded to float32 by Keras"),
        Piece("ELU", "F.elu(z, alpha)", "keras.activations.elu(z, alpha)", "alpha 1.0 both",
              _pair(lambda t: F().elu(t), lambda t: act().elu(t)),
              _pair(lambda t: F().elu(t, 0.5), lambda t: act().elu(t, alpha=0.5)), "already equal"),
        Piece("SELU derivative at 0", "autograd of F.selu", "GradientTape of keras.activations.selu",
              "torch: scale*alpha at 0; keras: scale", _grad_pair(lambda t: F().selu(t), lambda t: act().selu(t),
                                                                np.array([0.0])),
              _grad_pair(lambda t: F().selu(t), lambda t: act().selu(t), np.array([-1e-12, 1e-12])),
              "only z = 0 itself differs (and -1.1e-16 < z < 0, where Keras's expm1 rounds to 0)"),
        Piece("GELU", "F.gelu(z, approximate='none')", "keras.activations.gelu(z, approximate=False)",
              "both exact; keras.ops.gelu is approximate by default",
              _pair(lambda t: F().gelu(t), lambda t: act().gelu(t)),
              _pair(lambda t: F().gelu(t, approximate="tanh"), lambda t: act().gelu(t, approximate=True)),
              "cannot be matched exactly: Keras rounds sqrt(2/pi) and 0.044715 to float32"),
        Piece("softplus", "F.softplus(z, beta=1, threshold=20)", "keras.activations.softplus(z)",
              "torch returns z above threshold 20",
              _pair(lambda t: F().softplus(t), lambda t: act().softplus(t)),
              _pair(lambda t: F().softplus(t, threshold=40.0), lambda t: act().softplus(t)),
              "threshold=40 in torch: exact in float64"),
        Piece("softmax", "torch.softmax(z, dim=-1)", "keras.activations.softmax(z, axis=-1)",
              "torch.softmax needs dim (F.softmax without dim picks one, with a warning)",
              lambda: (Torch.softmax(_z().reshape(-1, 3)), Keras.softmax(_z().reshape(-1, 3))),
              lambda: (Torch.softmax(_z().reshape(-1, 3), 0), Keras.softmax(_z().reshape(-1, 3), 0)),
              "name the axis on both sides"),
    ]


from nngrade.conventions import LazyPieces  # noqa: E402

CONVENTIONS = LazyPieces(_conventions)

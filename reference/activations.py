"""Oracles for lab02_activations: forward values and derivatives, float64 in and out.

PyTorch: `torch.nn.functional` for values, autograd for derivatives (the gradient of
sum(f(z)) is f'(z), elementwise). Keras: `keras.activations` for values, `tf.GradientTape`
for derivatives. Each `_grad` is derived from its forward function, so the two can never
disagree about which formula they differentiate.
"""
from __future__ import annotations

import math

from reference._frameworks import keras, keras_value, keras_vjp, tf, torch, torch_value, torch_vjp

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

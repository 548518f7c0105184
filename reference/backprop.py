"""Oracles for lab05_backprop: the textbook update, dense layers, an L-layer MLP, gradient checks.

PyTorch: `nn.Linear` layers built from the same weights (`Linear.weight = W.T`, the lab
keeps the Keras layout `W` (D_in, D_out)), autograd for every gradient, `torch.optim.SGD`
for the textbook update. Keras: `Dense` layers (float64) that receive the same weights by
`set_weights`, `tf.GradientTape` for every gradient, `keras.optimizers.SGD` for the update.

Graded signatures, float64 NumPy in and out:
- `sigmoid_net_update(x, t, W1, b1, W2, b2, lr)` -> new `(W1, b1, W2, b2)`: one SGD step on
  `0.5 * sum_k (t_k - o_k)^2` for the 2-layer sigmoid network `o = s(s(x W1 + b1) W2 + b2)`.
- `dense_forward(X, W, b)` -> Z (N, D_out); `dense_backward(dZ, X, W)` -> `(dX, dW, db)`.
- `mlp_forward(X, params, hidden, output)` -> `(Y_hat, None)`: the cache is the student's
  own, so the oracle gives None there and only Y_hat is compared.
- `mlp_loss_and_grads(X, Y, params, hidden, loss)` -> `(loss, [(dW, db), ...])`.
- `numerical_gradient(test_function, x, h)` -> `(exact gradient, x)`: the oracle of the
  `with_function` driver, which passes the test function by name and returns x afterwards;
  `central_difference(test_function, x, h)` -> `(central differences of step h, x)`.
- `relative_error(a, b)` -> `max |a - b| / max(1e-8, |a| + |b|)`.

`central_difference` is the frameworks' own numerical Jacobian (torch.autograd.gradcheck,
tf.test.compute_gradient). `Mistakes` computes known wrong results for the feedback with the
same torch code, one thing changed.
"""
from __future__ import annotations

from enum import Enum

import numpy as np

from reference._frameworks import keras, keras_dense_stack, keras_vjp, numpy, optim_step, tensor, tf, torch, torch_vjp

HIDDEN = ("sigmoid", "tanh", "relu")
OUTPUTS = ("linear", "sigmoid", "softmax")
LOSSES = {"mse": "linear", "bce": "sigmoid", "softmax_ce": "softmax"}   # loss -> its output unit


# --- PyTorch ------------------------------------------------------------------------------

def _torch_act(name):
    t = torch()
    return {"linear": lambda z: z, "sigmoid": t.sigmoid, "tanh": t.tanh,
            "relu": t.nn.functional.relu, "softmax": lambda z: t.softmax(z, dim=-1)}[name]


def _torch_linear(W, b):
    """nn.Linear holding W (D_in, D_out) as its weight W.T (D_out, D_in) and the bias b."""
    t = torch()
    W = np.asarray(W, dtype=np.float64)
    lin = t.nn.Linear(W.shape[0], W.shape[1], dtype=t.float64)
    with t.no_grad():
        lin.weight.copy_(tensor(W).T)
        lin.bias.copy_(tensor(b))
    return lin


def _with_slope(z, value, slope):
    """`value`'s values with d value / dz = `slope` elementwise (for known mistakes: a backward
    pass through the wrong derivative)."""
    return value.detach() + slope.detach() * (z - z.detach())


def _derivative_at(act, a):
    """act'(a), elementwise, by autograd at the point a (not at the net input that gave a)."""
    a = a.detach().requires_grad_(True)
    (g,) = torch().autograd.grad(act(a).sum(), a)
    return g


def _torch_mlp(params, hidden, variant=None):
    """The layers and a function computing the logits (no output activation). `variant`
    (Mistakes): "no_derivative" backpropagates through each hidden activation as if it were
    the identity, "at_output" with the activation's derivative taken at its output g(z)."""
    layers = [_torch_linear(W, b) for W, b in params]
    act = _torch_act(hidden)

    def logits(x):
        for i, lin in enumerate(layers):
            x = lin(x)
            if i < len(layers) - 1:
                a = act(x)
                if variant is Backprop.NO_DERIVATIVE:
                    a = _with_slope(x, a, torch().ones_like(x))
                elif variant is Backprop.AT_OUTPUT:
                    a = _with_slope(x, a, _derivative_at(act, a))
                x = a
        return x
    return layers, logits


def _torch_loss(loss, logits, y):
    F = torch().nn.functional
    if loss == "mse":
        return F.mse_loss(logits, y)                          # mean over all N*K elements
    if loss == "bce":
        return F.binary_cross_entropy_with_logits(logits, y)  # mean over N (Y is (N, 1))
    if loss == "softmax_ce":
        return F.cross_entropy(logits, y)                     # one-hot (probability) targets
    raise ValueError(f"unknown loss {loss!r}")


TORCH_FUNCTIONS = {   # the torch twins of nngrade.drivers.TEST_FUNCTIONS
    "sum_of_squares": lambda x: (x ** 2).sum(),
    "sum_of_sines": lambda x: torch().sin(x).sum(),
    "log_sum_exp": lambda x: torch().log(torch().exp(x).sum()),
    "cubic_mix": lambda x: (x ** 3).sum() - 2.0 * x.sum() * (x ** 2).sum(),
}


def _torch_loss_and_grads(X, Y, params, hidden, loss, variant=None):
    if variant is not None and not isinstance(variant, Backprop):
        raise TypeError(f"variant must be a Backprop member, not {variant!r}")
    layers, logits = _torch_mlp(params, hidden, variant)
    out = logits(tensor(X))
    if variant is Backprop.MSE_OVER_ROWS and loss == "mse":
        value = torch().nn.functional.mse_loss(out, tensor(Y), reduction="sum") / out.shape[0]
    else:
        value = _torch_loss(loss, out, tensor(Y))
    value.backward()
    return float(value.detach()), [(numpy(lin.weight.grad).T.copy(), numpy(lin.bias.grad)) for lin in layers]


def _torch_numerical_jacobian(f, x, h):
    """torch.autograd.gradcheck's numerical Jacobian of the scalar f at x (central differences
    of step h, one element at a time), shaped as x."""
    import importlib
    import warnings
    torch()
    gradcheck = importlib.import_module("torch.autograd.gradcheck")    # the module, not the function
    xt = tensor(x, grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)     # "part of PyTorch's private API"
        (jac,) = gradcheck.get_numerical_jacobian(lambda inputs: f(inputs[0]), (xt,), eps=h)
    return numpy(jac).reshape(np.shape(x))


class Backprop(Enum):
    """Known mistakes of backpropagation, by autograd with one change (see _torch_mlp, _torch_net_update)."""
    UPDATED_FIRST = "updated_first"
    NO_DERIVATIVE = "no_derivative"
    SUBTRACT = "subtract"
    AT_OUTPUT = "at_output"
    MSE_OVER_ROWS = "mse_over_rows"


def _torch_net_update(x, t, W1, b1, W2, b2, lr, variant=None):
    """One SGD step of the 2-layer sigmoid network on 0.5 * sum (t - o)^2. Variants (Mistakes):
    "updated_first" backpropagates the output error through the output layer AFTER its step,
    "no_derivative" through the hidden sigmoid as if it were the identity, "at_output" through
    the output sigmoid with its derivative taken at the output o, "subtract" climbs
    (SGD(maximize=True))."""
    if variant is not None and not isinstance(variant, Backprop):
        raise TypeError(f"variant must be a Backprop member, not {variant!r}")
    T = torch()
    hidden, out = _torch_linear(W1, b1), _torch_linear(W2, b2)
    if variant is None:
        net = T.nn.Sequential(hidden, T.nn.Sigmoid(), out, T.nn.Sigmoid())
        opt = T.optim.SGD(net.parameters(), lr=float(lr))
        o = net(tensor(x).reshape(1, -1))[0]
        loss = 0.5 * ((tensor(t) - o) ** 2).sum()
        opt.zero_grad()
        loss.backward()
        optim_step(opt)
    else:
        xt = tensor(x).reshape(1, -1)
        z1 = hidden(xt)
        o1 = T.sigmoid(z1)
        if variant is Backprop.NO_DERIVATIVE:
            o1 = _with_slope(z1, o1, T.ones_like(z1))
        z2 = out(o1)
        o = T.sigmoid(z2)
        if variant is Backprop.AT_OUTPUT:
            o = _with_slope(z2, o, _derivative_at(T.sigmoid, o))
        loss = 0.5 * ((tensor(t) - o[0]) ** 2).sum()
        if variant is Backprop.UPDATED_FIRST:
            (d_z2,) = T.autograd.grad(loss, z2, retain_graph=True)     # the output error terms
            loss.backward()
            optim_step(T.optim.SGD(out.parameters(), lr=float(lr)))
            hidden.zero_grad()
            out(T.sigmoid(hidden(xt))).backward(d_z2)                   # through the moved W2
            optim_step(T.optim.SGD(hidden.parameters(), lr=float(lr)))
        else:
            opt = T.optim.SGD([*hidden.parameters(), *out.parameters()], lr=float(lr),
                              maximize=variant is Backprop.SUBTRACT)
            loss.backward()
            optim_step(opt)
    return (numpy(hidden.weight).T.copy(), numpy(hidden.bias), numpy(out.weight).T.copy(), numpy(out.bias))


class Torch:
    @staticmethod
    def sigmoid_net_update(x, t, W1, b1, W2, b2, lr):
        return _torch_net_update(x, t, W1, b1, W2, b2, lr)

    @staticmethod
    def dense_forward(X, W, b):
        with torch().no_grad():
            return numpy(_torch_linear(W, b)(tensor(X)))

    @staticmethod
    def dense_backward(dZ, X, W):
        W = np.asarray(W, dtype=np.float64)
        lin = _torch_linear(W, np.zeros(W.shape[1]))
        xt = tensor(X, grad=True)
        lin(xt).backward(tensor(dZ))
        return numpy(xt.grad), numpy(lin.weight.grad).T.copy(), numpy(lin.bias.grad)

    @staticmethod
    def mlp_forward(X, params, hidden="sigmoid", output="linear"):
        _, logits = _torch_mlp(params, hidden)
        with torch().no_grad():
            return numpy(_torch_act(output)(logits(tensor(X)))), None

    @staticmethod
    def mlp_loss_and_grads(X, Y, params, hidden="sigmoid", loss="mse"):
        return _torch_loss_and_grads(X, Y, params, hidden, loss)

    @staticmethod
    def numerical_gradient(test_function, x, h=1e-5):
        """The exact gradient (autograd), which central differences approximate, and x."""
        return torch_vjp(TORCH_FUNCTIONS[test_function], x), np.array(x, dtype=np.float64)

    @staticmethod
    def central_difference(test_function, x, h=1e-5):
        """The central differences of step h, f evaluated by torch: the numerical Jacobian of
        torch.autograd.gradcheck, and x."""
        return _torch_numerical_jacobian(TORCH_FUNCTIONS[test_function], x, h), np.array(x, dtype=np.float64)

    @staticmethod
    def relative_error(a, b):
        T = torch()
        a, b = tensor(a), tensor(b)
        return float(((a - b).abs() / T.clamp(a.abs() + b.abs(), min=1e-8)).max())


# --- Keras --------------------------------------------------------------------------------

def _keras_model(params, activations):
    """Dense layers, layer i with activations[i], holding the given weights (a Sequential's
    computation; see reference._frameworks.keras_dense_stack)."""
    return keras_dense_stack(params, activations)


def _keras_loss(loss, y, logits):
    K = keras()
    if loss == "mse":
        per_row = K.losses.mean_squared_error(y, logits)   # mean over K; rows all have K
    elif loss == "bce":
        per_row = K.losses.binary_crossentropy(y, logits, from_logits=True)
    elif loss == "softmax_ce":
        per_row = K.losses.categorical_crossentropy(y, logits, from_logits=True)
    else:
        raise ValueError(f"unknown loss {loss!r}")
    return K.ops.mean(per_row)


def _f64(x):
    return tf().constant(np.asarray(x, dtype=np.float64))


KERAS_FUNCTIONS = {
    "sum_of_squares": lambda x: tf().reduce_sum(x ** 2),
    "sum_of_sines": lambda x: tf().reduce_sum(tf().sin(x)),
    "log_sum_exp": lambda x: tf().math.log(tf().reduce_sum(tf().exp(x))),
    "cubic_mix": lambda x: tf().reduce_sum(x ** 3) - _f64(2.0) * tf().reduce_sum(x) * tf().reduce_sum(x ** 2),
}


class Keras:
    @staticmethod
    def sigmoid_net_update(x, t, W1, b1, W2, b2, lr):
        K, T = keras(), tf()
        model = _keras_model([(W1, b1), (W2, b2)], ["sigmoid", "sigmoid"])
        opt = K.optimizers.SGD(learning_rate=float(lr))
        with T.GradientTape() as tape:
            o = model(_f64(np.reshape(x, (1, -1))))[0]
            loss = _f64(0.5) * T.reduce_sum((_f64(t) - o) ** 2)
        opt.apply_gradients(zip(tape.gradient(loss, model.trainable_weights), model.trainable_weights))
        return tuple(np.array(v.numpy(), dtype=np.float64) for v in model.trainable_weights)

    @staticmethod
    def dense_forward(X, W, b):
        return np.array(_keras_model([(W, b)], [None])(_f64(X)).numpy(), dtype=np.float64)

    @staticmethod
    def dense_backward(dZ, X, W):
        T = tf()
        W = np.asarray(W, dtype=np.float64)
        model = _keras_model([(W, np.zeros(W.shape[1]))], [None])
        xt = _f64(X)
        with T.GradientTape() as tape:
            tape.watch(xt)
            z = model(xt)
        dX, dW, db = tape.gradient(z, [xt] + list(model.trainable_weights), output_gradients=_f64(dZ))
        return tuple(np.array(g.numpy(), dtype=np.float64) for g in (dX, dW, db))

    @staticmethod
    def mlp_forward(X, params, hidden="sigmoid", output="linear"):
        acts = [hidden] * (len(params) - 1) + [output]
        return np.array(_keras_model(params, acts)(_f64(X)).numpy(), dtype=np.float64), None

    @staticmethod
    def mlp_loss_and_grads(X, Y, params, hidden="sigmoid", loss="mse"):
        T = tf()
        model = _keras_model(params, [hidden] * (len(params) - 1) + [None])
        with T.GradientTape() as tape:
            value = _keras_loss(loss, _f64(Y), model(_f64(X)))
        g = [np.array(v.numpy(), dtype=np.float64) for v in tape.gradient(value, model.trainable_weights)]
        return float(value.numpy()), [(g[i], g[i + 1]) for i in range(0, len(g), 2)]

    @staticmethod
    def numerical_gradient(test_function, x, h=1e-5):
        return keras_vjp(KERAS_FUNCTIONS[test_function], x), np.array(x, dtype=np.float64)

    @staticmethod
    def central_difference(test_function, x, h=1e-5):
        """The numerical Jacobian of tf.test.compute_gradient (central differences of step h)."""
        x = np.asarray(x, dtype=np.float64)
        _, (jac,) = tf().test.compute_gradient(KERAS_FUNCTIONS[test_function], [x], delta=h)
        return np.array(jac, dtype=np.float64).reshape(x.shape), x.copy()

    @staticmethod
    def relative_error(a, b):
        ops = keras().ops
        a, b = _f64(a), _f64(b)
        return float(ops.max(ops.abs(a - b) / ops.maximum(_f64(1e-8), ops.abs(a) + ops.abs(b))).numpy())


# --- known mistakes ------------------------------------------------------------------------

class Mistakes:
    """Known wrong results for the checks' `likely` rows, by the frameworks: the oracles' own
    torch code with one thing changed (autograd through a wrong derivative, an optimizer step
    taken too early, SGD(maximize=True), a sum where a mean belongs), and one-sided
    differences from torch's numerical Jacobian."""

    @staticmethod
    def sigmoid_net_update(x, t, W1, b1, W2, b2, lr, variant):
        return _torch_net_update(x, t, W1, b1, W2, b2, lr, variant)

    @staticmethod
    def mlp_loss_and_grads(X, Y, params, hidden="sigmoid", loss="mse", variant=None):
        """variant: "no_derivative", "at_output" (see _torch_mlp), "mse_over_rows" (MSE summed
        and divided by the N rows, not the N * K elements)."""
        return _torch_loss_and_grads(X, Y, params, hidden, loss, variant)

    @staticmethod
    def one_sided_difference(test_function, x, h=1e-5):
        """(f(x + h e_i) - f(x)) / h for every i: the central difference of step h / 2 at
        x + (h / 2) e_i, from torch's numerical Jacobian there."""
        f, x = TORCH_FUNCTIONS[test_function], np.asarray(x, dtype=np.float64)
        out = np.zeros(x.size)
        for i in range(x.size):
            mid = x.copy().reshape(-1)
            mid[i] += h / 2
            out[i] = _torch_numerical_jacobian(f, mid.reshape(x.shape), h / 2).reshape(-1)[i]
        return out.reshape(x.shape)


# -- docs/conventions.md: the frameworks side by side on fixed inputs -------------------------
def _cv_dense(transpose, keras_dtype="float64"):
    def run():
        rng = np.random.default_rng(0)
        X, W, b = rng.normal(size=(5, 4)), rng.normal(size=(4, 4)), rng.normal(size=4)   # W square: (in, out)
        lin = torch().nn.Linear(4, 4, dtype=torch().float64)
        with torch().no_grad():
            lin.weight.copy_(tensor(W.T if transpose else W))
            lin.bias.copy_(tensor(b))
            y_t = numpy(lin(tensor(X)))
        layer = keras().layers.Dense(4, dtype=keras_dtype)
        layer.build((None, 4))
        layer.set_weights([W, b])
        y_k = np.array(layer(np.asarray(X, dtype=keras_dtype)).numpy(), dtype=np.float64)
        return y_t, y_k
    return run


def _conventions():
    from nngrade.conventions import Piece
    return [
        Piece("Dense kernel layout", "torch.nn.Linear(4, 4).weight", "keras.layers.Dense(4).kernel",
              "Linear.weight is (out, in), Dense's kernel (in, out); a square W (4 x 4) passed to both "
              "as it is is accepted silently",
              _cv_dense(False), _cv_dense(True),
              "copy W.T into Linear.weight"),
        Piece("float32 Keras layer", "torch.nn.Linear(4, 4, dtype=torch.float64)", "keras.layers.Dense(4, dtype='float32')",
              "keras's floatx is float32 unless set_floatx and set_dtype_policy say float64 before the layer is "
              "built; here one layer is built float32, W.T given to torch",
              _cv_dense(True, "float32"), _cv_dense(True),
              "set_floatx('float64') and set_dtype_policy('float64') before building, or dtype='float64'"),
    ]


from nngrade.conventions import LazyPieces  # noqa: E402

CONVENTIONS = LazyPieces(_conventions)

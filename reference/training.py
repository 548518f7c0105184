"""Oracles for lab06_training: initialisers, optimizers, L2 penalty, mini-batches and `train`.

Float64 NumPy in and out; each framework is imported on first use (`reference._frameworks`).

- Initialisers are random, so their oracles return the *distribution* the draw must come
  from, a spec `{"family", "shape", "mean", "std", "low", "high"}`, read from the
  framework's own definition (`torch.nn.init`'s fan and gain helpers; the fields of a Keras
  `VarianceScaling` initializer and `compute_fans`). Each oracle also draws a sample with the
  framework itself and asserts that it passes `distribution_problem` against the spec, so a
  spec that stopped describing the framework would fail loudly, not grade wrongly
  (`reference/_distributions.py`: the specs and the statistical test).
- Optimizers: `torch.optim.X` and `keras.optimizers.X` on float64 variables, fed the same
  gradients, with a snapshot of every parameter after each step.
- `train`: the same network (sigmoid hidden layers, softmax output) trained from the same
  weights on the same batches by a PyTorch loop (`torch.nn` layers, `F.cross_entropy`,
  `torch.optim.SGD`) and by Keras's `model.fit(shuffle=False)`; both runs are cached by their
  inputs, so the history check and the weights check share one Keras fit.
- `Mistakes`: known wrong results for the feedback, by the same framework code with one thing
  changed (a hyperparameter, an optimizer's state, a reduction, when the loss is recorded).
"""
from __future__ import annotations

import hashlib
import math
from enum import Enum

import numpy as np

from reference._distributions import distribution_problem, normal_spec, truncated_normal_spec, uniform_spec
from reference._frameworks import keras, numpy as to_numpy, optim_step, tensor, torch

def _self_check(sample: np.ndarray, spec: dict, who: str) -> dict:
    problem = distribution_problem(np.asarray(sample, dtype=np.float64), spec)
    if problem:
        raise AssertionError(f"{who}'s own draw does not match the spec {spec}: {problem}")
    return spec


# ----------------------------------------------------------------------------------------
# Initialisers: PyTorch (torch.nn.init) and Keras (keras.initializers)
# ----------------------------------------------------------------------------------------

def _torch_draw(init, shape_torch, seed=0, **kw):
    t = torch().empty(*shape_torch, dtype=torch().float64)
    g = torch().Generator().manual_seed(seed)
    init(t, generator=g, **kw)
    return to_numpy(t)


def _torch_init_uniform(shape, eps):
    spec = uniform_spec(shape, -eps, eps)
    return _self_check(_torch_draw(torch().nn.init.uniform_, shape, a=-eps, b=eps), spec, "torch.nn.init.uniform_")


def _torch_fans(fan_in, fan_out):
    # torch stores a Linear weight as (out, in); its fan helper reads the fans off that layout
    return torch().nn.init._calculate_fan_in_and_fan_out(torch().empty(fan_out, fan_in))


def _torch_xavier_uniform(fan_in, fan_out):
    fi, fo = _torch_fans(fan_in, fan_out)
    a = torch().nn.init.calculate_gain("linear") * math.sqrt(6.0 / (fi + fo))
    spec = uniform_spec((fan_in, fan_out), -a, a)
    sample = _torch_draw(torch().nn.init.xavier_uniform_, (fan_out, fan_in)).T
    return _self_check(sample, spec, "torch.nn.init.xavier_uniform_")


def _torch_he_normal(fan_in, fan_out):
    fi, _ = _torch_fans(fan_in, fan_out)
    std = torch().nn.init.calculate_gain("relu") / math.sqrt(fi)
    spec = normal_spec((fan_in, fan_out), std)
    sample = _torch_draw(torch().nn.init.kaiming_normal_, (fan_out, fan_in), mode="fan_in",
                         nonlinearity="relu").T
    return _self_check(sample, spec, "torch.nn.init.kaiming_normal_")


def _keras_spec(init, shape):
    """The distribution a Keras initializer draws from, from its own fields."""
    keras()                                   # float64 and the environment, before the import
    from keras.src.initializers.random_initializers import compute_fans
    if hasattr(init, "minval"):
        return uniform_spec(shape, init.minval, init.maxval)
    fan_in, fan_out = compute_fans(shape)
    denom = {"fan_in": max(1.0, fan_in), "fan_out": max(1.0, fan_out),
             "fan_avg": max(1.0, (fan_in + fan_out) / 2.0)}[init.mode]
    scale = init.scale / denom
    if init.distribution == "uniform":
        limit = math.sqrt(3.0 * scale)
        return uniform_spec(shape, -limit, limit)
    if init.distribution == "untruncated_normal":
        return normal_spec(shape, math.sqrt(scale))
    # keras.random.truncated_normal keeps values within 2 stddev; the stddev is inflated
    # by 1 / 0.8796... so that the truncated draw keeps the variance `scale`
    return truncated_normal_spec(shape, math.sqrt(scale) / 0.87962566103423978)


def _keras_init(init, shape):
    spec = _keras_spec(init, shape)
    sample = np.asarray(init(tuple(shape), dtype="float64"))
    return _self_check(sample, spec, f"keras.initializers.{type(init).__name__}")


def _keras_init_uniform(shape, eps):
    return _keras_init(keras().initializers.RandomUniform(minval=-eps, maxval=eps, seed=0), shape)


def _keras_xavier_uniform(fan_in, fan_out):
    return _keras_init(keras().initializers.GlorotUniform(seed=0), (fan_in, fan_out))


def _keras_he_normal(fan_in, fan_out):
    return _keras_init(keras().initializers.HeNormal(seed=0), (fan_in, fan_out))


# The checks drive an initialiser with a seed (`rng = np.random.default_rng(seed)` in the
# worker), or with a list of seeds; the oracles take the same arguments, return the spec.
def _torch_init_uniform_seeded(seed, shape, eps):
    return _torch_init_uniform(shape, eps)


def _torch_xavier_uniform_seeded(seed, fan_in, fan_out):
    return _torch_xavier_uniform(fan_in, fan_out)


def _torch_he_normal_seeded(seed, fan_in, fan_out):
    return _torch_he_normal(fan_in, fan_out)


def _keras_init_uniform_seeded(seed, shape, eps):
    return _keras_init_uniform(shape, eps)


def _keras_xavier_uniform_seeded(seed, fan_in, fan_out):
    return _keras_xavier_uniform(fan_in, fan_out)


def _keras_he_normal_seeded(seed, fan_in, fan_out):
    return _keras_he_normal(fan_in, fan_out)


# ----------------------------------------------------------------------------------------
# Optimizers: k steps on given gradients, a snapshot of the parameters after each step
# ----------------------------------------------------------------------------------------

def _torch_optimize(cls_name, params, grads, **hyper):
    ps = [tensor(p, grad=True) for p in params]
    opt = getattr(torch().optim, cls_name)(ps, **hyper)
    out = []
    for step in grads:
        for p, g in zip(ps, step):
            p.grad = tensor(g)
        optim_step(opt)
        out.append([to_numpy(p) for p in ps])
    return out


def _keras_optimize(opt, params, grads, coupled_weight_decay=0.0):
    K = keras()
    vs = [K.Variable(np.array(p, dtype=np.float64)) for p in params]
    out = []
    for step in grads:
        gs = [K.ops.convert_to_tensor(np.asarray(g, dtype=np.float64)) for g in step]
        if coupled_weight_decay:
            gs = [g + coupled_weight_decay * v for g, v in zip(gs, vs)]
        opt.apply(gs, vs)
        out.append([np.array(v.numpy(), dtype=np.float64) for v in vs])
    return out


def _torch_sgd(params, grads, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
    return _torch_optimize("SGD", params, grads, lr=lr, momentum=momentum, nesterov=nesterov,
                           weight_decay=weight_decay)


def _keras_sgd(params, grads, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
    # Keras's own weight_decay: decoupled (p -= lr * wd * p, outside the momentum buffer)
    opt = keras().optimizers.SGD(learning_rate=lr, momentum=momentum, nesterov=nesterov,
                                 weight_decay=weight_decay or None)
    return _keras_optimize(opt, params, grads)


def _torch_adagrad(params, grads, lr=0.01, eps=1e-10):
    return _torch_optimize("Adagrad", params, grads, lr=lr, eps=eps)


def _keras_adagrad(params, grads, lr=0.01, eps=1e-10):
    # torch's accumulator starts at 0 (Keras's default is 0.1); Keras adds eps inside the sqrt
    opt = keras().optimizers.Adagrad(learning_rate=lr, initial_accumulator_value=0.0, epsilon=eps)
    return _keras_optimize(opt, params, grads)


def _torch_rmsprop(params, grads, lr=0.01, alpha=0.99, eps=1e-8):
    return _torch_optimize("RMSprop", params, grads, lr=lr, alpha=alpha, eps=eps)


def _keras_rmsprop(params, grads, lr=0.01, alpha=0.99, eps=1e-8):
    # Keras calls alpha `rho` (default 0.9) and adds eps inside the square root
    opt = keras().optimizers.RMSprop(learning_rate=lr, rho=alpha, epsilon=eps)
    return _keras_optimize(opt, params, grads)


def _torch_adam(params, grads, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
    return _torch_optimize("Adam", params, grads, lr=lr, betas=tuple(betas), eps=eps)


def _keras_adam(params, grads, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
    # Keras folds the bias corrections into the step size, then adds eps to sqrt(v)
    opt = keras().optimizers.Adam(learning_rate=lr, beta_1=betas[0], beta_2=betas[1], epsilon=eps)
    return _keras_optimize(opt, params, grads)


# ----------------------------------------------------------------------------------------
# L2 penalty
# ----------------------------------------------------------------------------------------

def _torch_l2(weights, lam):
    ws = [tensor(w, grad=True) for w in weights]
    total = sum(((lam / 2) * (w * w).sum() for w in ws), torch().zeros((), dtype=torch().float64))
    grads = torch().autograd.grad(total, ws) if ws else ()
    return float(total.item()), [to_numpy(g) for g in grads]


def _keras_l2(weights, lam):
    from reference._frameworks import tf
    _tf = tf()
    reg = keras().regularizers.L2(l2=lam / 2)      # Keras's L2 is l2 * sum(w^2): no 1/2
    ws = [_tf.Variable(np.asarray(w, dtype=np.float64)) for w in weights]
    with _tf.GradientTape() as tape:
        total = _tf.add_n([reg(w) for w in ws]) if ws else _tf.constant(0.0, dtype=_tf.float64)
    grads = tape.gradient(total, ws) if ws else []
    return float(total.numpy()), [np.array(g.numpy(), dtype=np.float64) for g in grads]


# ----------------------------------------------------------------------------------------
# Mini-batches
# ----------------------------------------------------------------------------------------

def _order(n, seed):
    """The contract's order: `rng.permutation(N)`, one call on a fresh Generator(seed)."""
    return np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)


def _torch_minibatches(X, y, batch_size, seed=None):
    T = torch()
    data = T.utils.data.TensorDataset(T.from_numpy(np.array(X)), T.from_numpy(np.array(y)))
    loader = T.utils.data.DataLoader(data, batch_size=batch_size, sampler=_order(len(X), seed).tolist())
    return [(xb.numpy().copy(), yb.numpy().copy()) for xb, yb in loader]


def _keras_minibatches(X, y, batch_size, seed=None):
    from reference._frameworks import tf
    idx = _order(len(X), seed)
    ds = tf().data.Dataset.from_tensor_slices((np.asarray(X)[idx], np.asarray(y)[idx])).batch(batch_size)
    return [(xb.numpy().copy(), yb.numpy().copy()) for xb, yb in ds]


# ----------------------------------------------------------------------------------------
# train: a PyTorch loop and Keras's fit from the same weights, on the same batches
# ----------------------------------------------------------------------------------------

_RUNS: dict = {}


def _key(*parts) -> str:
    h = hashlib.sha256()
    for p in parts:
        if isinstance(p, (list, tuple)):
            h.update(_key(*p).encode())
        elif isinstance(p, np.ndarray):
            h.update(str((p.dtype.str, p.shape)).encode())
            h.update(np.ascontiguousarray(p).tobytes())
        else:
            h.update(repr(p).encode())
        h.update(b"|")
    return h.hexdigest()


def _cached(kind, fn, *args):
    key = (kind, _key(*args))
    if key not in _RUNS:
        _RUNS[key] = fn(*args)
    return _RUNS[key]


def _torch_model(params):
    """torch.nn.Sequential(Linear, Sigmoid, ..., Linear) holding params [W1, b1, W2, b2, ...]:
    each Linear's weight is W.T (the lab keeps the Keras layout W (in, out))."""
    T = torch()
    layers = []
    for i in range(0, len(params), 2):
        W = np.asarray(params[i], dtype=np.float64)
        lin = T.nn.Linear(W.shape[0], W.shape[1], dtype=T.float64)
        with T.no_grad():
            lin.weight.copy_(tensor(W.T))
            lin.bias.copy_(tensor(params[i + 1]))
        layers.append(lin)
        if i < len(params) - 2:
            layers.append(T.nn.Sigmoid())
    return T.nn.Sequential(*layers)


def _model_params(model):
    """[W1, b1, W2, b2, ...] in the lab's layout."""
    out = []
    for layer in model:
        if isinstance(layer, torch().nn.Linear):
            out += [to_numpy(layer.weight).T.copy(), to_numpy(layer.bias)]
    return out


# Known wrong versions of `train` for the checks' `likely` rows, run by the same PyTorch loop
# with one thing changed: "no_mean" steps on the SUM of the batch's losses, "full_n" on their sum
# divided by the size of the whole training set; "val_before" evaluates the validation set before
# the epoch's updates; "loss_after_update" records each batch's loss and accuracy from the model
# after its optimizer step; "batch_mean" reports the plain mean of the batch losses; "end_of_epoch"
# evaluates the whole training set after the epoch.
class Train(Enum):
    """Known wrong versions of `train`, by the same PyTorch loop with one change (see the comment above)."""
    NO_MEAN = "no_mean"
    FULL_N = "full_n"
    VAL_BEFORE = "val_before"
    LOSS_AFTER_UPDATE = "loss_after_update"
    BATCH_MEAN = "batch_mean"
    END_OF_EPOCH = "end_of_epoch"


def _torch_train_run(X, y, params, batch_size, epochs, X_val, y_val, lr, momentum, variant=None):
    if variant is not None and not isinstance(variant, Train):
        raise TypeError(f"variant must be a Train member, not {variant!r}")
    T = torch()
    F = T.nn.functional
    model = _torch_model(params)
    opt = T.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    yt = T.from_numpy(np.asarray(y, dtype=np.int64))
    Xt = tensor(X)
    hist = {"loss": [], "accuracy": []}
    if X_val is not None:
        hist.update(val_loss=[], val_accuracy=[])

    def evaluate(x, labels):
        with T.no_grad():
            out = model(x)
            return float(F.cross_entropy(out, labels).item()), float((out.argmax(dim=1) == labels).double().mean().item())

    def record_validation():
        vl, va = evaluate(tensor(X_val), T.from_numpy(np.asarray(y_val, dtype=np.int64)))
        hist["val_loss"].append(vl)
        hist["val_accuracy"].append(va)

    n = len(X)
    for _ in range(epochs):
        if X_val is not None and variant is Train.VAL_BEFORE:
            record_validation()
        loss_sum, correct, batch_losses = 0.0, 0, []
        for start in range(0, n, batch_size):
            xb, yb = Xt[start:start + batch_size], yt[start:start + batch_size]
            out = model(xb)
            loss = F.cross_entropy(out, yb)
            step_on = {Train.NO_MEAN: lambda: F.cross_entropy(out, yb, reduction="sum"),
                       Train.FULL_N: lambda: F.cross_entropy(out, yb, reduction="sum") / n}.get(variant, lambda: loss)()
            opt.zero_grad()
            step_on.backward()
            optim_step(opt)
            if variant is Train.LOSS_AFTER_UPDATE:
                with T.no_grad():
                    out = model(xb)
                    loss = F.cross_entropy(out, yb)
            loss_sum += loss.item() * len(yb)
            correct += int((out.argmax(dim=1) == yb).sum())
            batch_losses.append(loss.item())
        if variant is Train.BATCH_MEAN:
            hist["loss"].append(float(np.mean(batch_losses)))
            hist["accuracy"].append(correct / n)
        elif variant is Train.END_OF_EPOCH:
            el, ea = evaluate(Xt, yt)
            hist["loss"].append(el)
            hist["accuracy"].append(ea)
        else:
            hist["loss"].append(loss_sum / n)
            hist["accuracy"].append(correct / n)
        if X_val is not None and variant is not Train.VAL_BEFORE:
            record_validation()
    return hist, _model_params(model)


def _keras_model(params, lr, momentum):
    K = keras()
    sizes = [params[i].shape for i in range(0, len(params), 2)]
    layers = [K.Input((sizes[0][0],))]
    layers += [K.layers.Dense(s[1], activation="sigmoid") for s in sizes[:-1]]
    layers.append(K.layers.Dense(sizes[-1][1]))           # logits; softmax inside the loss
    model = K.Sequential(layers)
    model.set_weights([np.asarray(p, dtype=np.float64) for p in params])
    model.compile(optimizer=K.optimizers.SGD(learning_rate=lr, momentum=momentum),
                  loss=K.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[K.metrics.SparseCategoricalAccuracy(name="accuracy")],
                  run_eagerly=True)     # a few tiny batches: tracing a graph costs more than it saves
    return model


def _keras_train_run(X, y, params, batch_size, epochs, X_val, y_val, lr, momentum):
    model = _keras_model(params, lr, momentum)
    val = None if X_val is None else (np.asarray(X_val, dtype=np.float64), np.asarray(y_val, dtype=np.int64))
    h = model.fit(np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.int64), batch_size=batch_size,
                  epochs=epochs, shuffle=False, validation_data=val, verbose=0)
    keys = ["loss", "accuracy"] + ([] if X_val is None else ["val_loss", "val_accuracy"])
    hist = {k: [float(v) for v in h.history[k]] for k in keys}
    return hist, [np.array(w, dtype=np.float64) for w in model.get_weights()]


def _train_oracle(runner, kind, part):
    def oracle(X, y, params, batch_size, epochs, X_val=None, y_val=None, lr=0.5, momentum=0.0):
        return _cached(kind, runner, X, y, params, batch_size, epochs, X_val, y_val, lr, momentum)[part]
    return staticmethod(oracle)


# ----------------------------------------------------------------------------------------
# Known mistakes of the optimizers: torch.optim (or Keras, whose formula IS the mistake)
# with a hyperparameter, a parameter group or a piece of optimizer state changed
# ----------------------------------------------------------------------------------------

def _torch_sgd_damped(params, grads, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
    """A momentum buffer kept as an average from zero, buf = m buf + (1 - m) g: that buffer is
    (1 - m) times torch's (buf = m buf + g, from buf = g), so this is torch's SGD with lr (1 - m);
    with nesterov the step g + m buf is a plain SGD step (lr) plus a heavy-ball step
    (lr m (1 - m)) taken from the same point."""
    if not nesterov or not momentum:
        return _torch_optimize("SGD", params, grads, lr=lr * (1 - momentum), momentum=momentum,
                               weight_decay=weight_decay)
    T = torch()
    ps = [tensor(p) for p in params]
    plain, heavy = [tensor(p, grad=True) for p in params], [tensor(p, grad=True) for p in params]
    opt_plain = T.optim.SGD(plain, lr=lr, weight_decay=weight_decay)
    opt_heavy = T.optim.SGD(heavy, lr=lr * momentum * (1 - momentum), momentum=momentum, weight_decay=weight_decay)
    out = []
    for step in grads:
        for p, a, b, g in zip(ps, plain, heavy, step):
            with T.no_grad():
                a.copy_(p)
                b.copy_(p)
            a.grad, b.grad = tensor(g), tensor(g)
        optim_step(opt_plain)
        optim_step(opt_heavy)
        with T.no_grad():
            for p, a, b in zip(ps, plain, heavy):
                p.copy_(p + (a - p) + (b - p))
        out.append([to_numpy(p) for p in ps])
    return out


def _torch_adagrad_without_sqrt(params, grads, lr=0.01, eps=1e-10):
    """Steps of lr g / (sum of g^2 + eps): torch.optim.Adagrad keeps the sum (its state
    "sum"), the step divides by it without the square root."""
    T = torch()
    ps = [tensor(p, grad=True) for p in params]
    opt = T.optim.Adagrad(ps, lr=lr, eps=eps)
    wrong = [tensor(p) for p in params]
    out = []
    for step in grads:
        for p, g in zip(ps, step):
            p.grad = tensor(g)
        optim_step(opt)
        with T.no_grad():
            for q, p, g in zip(wrong, ps, step):
                q -= lr * tensor(g) / (opt.state[p]["sum"] + eps)
        out.append([to_numpy(q) for q in wrong])
    return out


class AdamState(Enum):
    """Known mistakes of Adam, by torch.optim.Adam with its state changed (see below)."""
    EPS_INSIDE = "eps_inside"
    NO_BIAS_CORRECTION = "no_bias_correction"
    T_FIXED = "t_fixed"


def _torch_adam_state(params, grads, lr=0.001, betas=(0.9, 0.999), eps=1e-8, variant=None):
    """torch.optim.Adam with its state changed before every step. "t_fixed": the step counter
    set back to 0 (torch counts t = 1 every time); "no_bias_correction": the counter held at 10^6
    (beta^t underflows to 0: both corrections are 1); "eps_inside": eps = 0 outside the root
    and (1 - beta2) eps / beta2 added to the second-moment state, which torch's update
    v = beta2 v + (1 - beta2) g^2 turns into the average of g^2 + eps."""
    if variant is not None and not isinstance(variant, AdamState):
        raise TypeError(f"variant must be an AdamState member, not {variant!r}")
    T = torch()
    b2 = betas[1]
    ps = [tensor(p, grad=True) for p in params]
    opt = T.optim.Adam(ps, lr=lr, betas=tuple(betas), eps=0.0 if variant is AdamState.EPS_INSIDE else eps)
    # torch creates its state at the first step: a step with zero gradients and lr = 0 moves nothing
    group = opt.param_groups[0]
    group["lr"], group["eps"] = 0.0, 1.0
    for p in ps:
        p.grad = T.zeros_like(p)
    optim_step(opt)
    group["lr"], group["eps"] = lr, 0.0 if variant is AdamState.EPS_INSIDE else eps
    for p in ps:
        opt.state[p]["step"].zero_()                     # the warm-up step does not count
    out = []
    for step in grads:
        for p, g in zip(ps, step):
            p.grad = tensor(g)
            state = opt.state[p]
            if variant is AdamState.NO_BIAS_CORRECTION:
                state["step"].fill_(1e6)
            elif variant is AdamState.T_FIXED:
                state["step"].zero_()
            if variant is AdamState.EPS_INSIDE:
                state["exp_avg_sq"].add_((1 - b2) * eps / b2)
        optim_step(opt)
        out.append([to_numpy(p) for p in ps])
    return out


def _keras_formula(name, params, grads, lr=None, momentum=0.0, nesterov=False, weight_decay=0.0, eps=None,
                   alpha=None, betas=None):
    """Keras's own optimizer formula (eps inside the square root, decoupled weight decay,
    bias corrections folded into the step size), exact in float64: the hyperparameters are given
    as float64 scalars (Keras casts a Python float through float32). Torch's argument names."""
    K, f = keras(), np.float64
    defaults = {"SGD": {}, "Adagrad": {"lr": 0.01, "eps": 1e-10}, "RMSprop": {"lr": 0.01, "alpha": 0.99, "eps": 1e-8},
                "Adam": {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-8}}[name]
    lr = defaults["lr"] if lr is None else lr
    eps = defaults.get("eps") if eps is None else eps
    if name == "SGD":
        opt = K.optimizers.SGD(learning_rate=lr, momentum=f(momentum), nesterov=nesterov,
                               weight_decay=f(weight_decay) if weight_decay else None)
    elif name == "Adagrad":
        opt = K.optimizers.Adagrad(learning_rate=lr, initial_accumulator_value=f(0.0), epsilon=f(eps))
    elif name == "RMSprop":
        opt = K.optimizers.RMSprop(learning_rate=lr, rho=f(defaults["alpha"] if alpha is None else alpha),
                                   epsilon=f(eps))
    else:
        b1, b2 = defaults["betas"] if betas is None else betas
        opt = K.optimizers.Adam(learning_rate=lr, beta_1=f(b1), beta_2=f(b2), epsilon=f(eps))
    return _keras_optimize(opt, params, grads)


class Mistakes:
    """Known wrong results for the checks' `likely` rows (see the functions above): the
    frameworks' optimizers with one thing changed, and `train` replayed by the PyTorch loop
    with one of the `Train` mistakes."""
    torch_optimizer = staticmethod(_torch_optimize)     # any torch.optim class with any hyperparameters
    keras_formula = staticmethod(_keras_formula)
    sgd_damped = staticmethod(_torch_sgd_damped)
    adagrad_without_sqrt = staticmethod(_torch_adagrad_without_sqrt)
    adam_with_state = staticmethod(_torch_adam_state)

    @staticmethod
    def train(X, y, params, batch_size, epochs, X_val=None, y_val=None, lr=0.5, momentum=0.0, variant=None):
        """(history, weights) of the PyTorch loop with the variant (cached, as the oracles)."""
        return _cached(("torch", variant), _torch_train_run, X, y, params, batch_size, epochs, X_val, y_val, lr,
                       momentum, variant)


# ----------------------------------------------------------------------------------------
# The two namespaces
# ----------------------------------------------------------------------------------------

class Torch:
    init_uniform = staticmethod(_torch_init_uniform_seeded)
    xavier_uniform = staticmethod(_torch_xavier_uniform_seeded)
    he_normal = staticmethod(_torch_he_normal_seeded)
    SGD = staticmethod(_torch_sgd)
    Adagrad = staticmethod(_torch_adagrad)
    RMSprop = staticmethod(_torch_rmsprop)
    Adam = staticmethod(_torch_adam)
    l2_penalty = staticmethod(lambda weights, lam: _torch_l2(weights, lam)[0])
    l2_penalty_grad = staticmethod(lambda weights, lam: _torch_l2(weights, lam)[1])
    iterate_minibatches = staticmethod(_torch_minibatches)
    train = _train_oracle(_torch_train_run, "torch", 0)           # the history
    train_weights = _train_oracle(_torch_train_run, "torch", 1)   # the parameters afterwards


class Keras:
    init_uniform = staticmethod(_keras_init_uniform_seeded)
    xavier_uniform = staticmethod(_keras_xavier_uniform_seeded)
    he_normal = staticmethod(_keras_he_normal_seeded)
    SGD = staticmethod(_keras_sgd)
    Adagrad = staticmethod(_keras_adagrad)
    RMSprop = staticmethod(_keras_rmsprop)
    Adam = staticmethod(_keras_adam)
    l2_penalty = staticmethod(lambda weights, lam: _keras_l2(weights, lam)[0])
    l2_penalty_grad = staticmethod(lambda weights, lam: _keras_l2(weights, lam)[1])
    iterate_minibatches = staticmethod(_keras_minibatches)
    train = _train_oracle(_keras_train_run, "keras", 0)
    train_weights = _train_oracle(_keras_train_run, "keras", 1)


# -- docs/conventions.md: the frameworks side by side on fixed inputs -------------------------
def _cv_problem():
    """Two parameters and five steps of fixed gradients."""
    rng = np.random.default_rng(0)
    params = [rng.normal(size=(3, 4)), rng.normal(size=4)]
    grads = [[rng.normal(size=(3, 4)), rng.normal(size=4)] for _ in range(5)]
    return params, grads


def _cv_opt(torch_name, torch_hyper, keras_opt, coupled_weight_decay=0.0):
    """() -> (torch's parameters after each step, Keras's), one fresh optimizer per side."""
    def run():
        params, grads = _cv_problem()
        return (_torch_optimize(torch_name, params, grads, **torch_hyper),
                _keras_optimize(keras_opt(), params, grads, coupled_weight_decay))
    return run


_CV_N = 1000          # a 1000 x 1000 draw: the statistics below settle to 2 decimals


def _cv_stats(w, scale):
    """(std / scale, max |w| / scale) of a draw, to 2 decimals."""
    return [round(float(np.std(w)) / scale, 2), round(float(np.max(np.abs(w))) / scale, 2)]


def _cv_he(torch_truncated):
    def run():
        std = math.sqrt(2.0 / _CV_N)
        if torch_truncated:
            # Keras's HeNormal: a normal of std / 0.8796... cut at 2 of its own stds
            s = std / 0.87962566103423978
            w_t = _torch_draw(torch().nn.init.trunc_normal_, (_CV_N, _CV_N), std=s, a=-2 * s, b=2 * s)
        else:
            w_t = _torch_draw(torch().nn.init.kaiming_normal_, (_CV_N, _CV_N), mode="fan_in", nonlinearity="relu")
        w_k = np.asarray(keras().initializers.HeNormal(seed=0)((_CV_N, _CV_N), dtype="float64"))
        return _cv_stats(w_t, std), _cv_stats(w_k, std)
    return run


def _cv_glorot():
    fan_in, fan_out = 600, 400
    a = math.sqrt(6.0 / (fan_in + fan_out))
    w_t = _torch_draw(torch().nn.init.xavier_uniform_, (fan_out, fan_in)).T   # Linear.weight is (out, in)
    w_k = np.asarray(keras().initializers.GlorotUniform(seed=0)((fan_in, fan_out), dtype="float64"))
    return ([round(float(w_t.max()) / a, 3), round(float(w_t.min()) / a, 3), w_t.shape],
            [round(float(w_k.max()) / a, 3), round(float(w_k.min()) / a, 3), w_k.shape])


def _conventions():
    from nngrade.conventions import Piece
    K = lambda: keras().optimizers  # noqa: E731
    f = np.float64
    return [
        Piece("SGD momentum", "torch.optim.SGD(params, lr, momentum=0.9)", "keras.optimizers.SGD(lr, momentum=0.9)",
              "momentum 0 both; measured at lr 0.1, momentum 0.9, 5 steps on fixed gradients",
              _cv_opt("SGD", dict(lr=0.1, momentum=0.9), lambda: K().SGD(learning_rate=0.1, momentum=0.9)),
              _cv_opt("SGD", dict(lr=0.1, momentum=0.875), lambda: K().SGD(learning_rate=0.1, momentum=0.875)),
              "Keras rounds a Python-float momentum to float32 even in float64 (0.9 becomes 0.8999999762): "
              "use a dyadic momentum (0.875), or pass np.float64(0.9)"),
        Piece("SGD Nesterov", "torch.optim.SGD(params, lr, momentum, nesterov=True)",
              "keras.optimizers.SGD(lr, momentum, nesterov=True)",
              "nesterov off both; measured at lr 0.125, momentum 0.9; the matched run has momentum 0.875",
              _cv_opt("SGD", dict(lr=0.125, momentum=0.9, nesterov=True),
                      lambda: K().SGD(learning_rate=0.125, momentum=0.9, nesterov=True)),
              _cv_opt("SGD", dict(lr=0.125, momentum=0.875, nesterov=True),
                      lambda: K().SGD(learning_rate=0.125, momentum=0.875, nesterov=True)),
              "the same formula on both sides; only the float32 momentum differs"),
        Piece("SGD weight decay", "torch.optim.SGD(params, lr, momentum, weight_decay=wd)",
              "keras.optimizers.SGD(lr, momentum, weight_decay=wd)",
              "torch couples it (adds wd * p to the gradient, inside the momentum buffer); keras decouples it "
              "(p -= lr * wd * p before the step). lr 0.125, momentum 0.875, wd 0.25",
              _cv_opt("SGD", dict(lr=0.125, momentum=0.875, weight_decay=0.25),
                      lambda: K().SGD(learning_rate=0.125, momentum=0.875, weight_decay=0.25)),
              _cv_opt("SGD", dict(lr=0.125, momentum=0.875, weight_decay=0.25),
                      lambda: K().SGD(learning_rate=0.125, momentum=0.875), coupled_weight_decay=0.25),
              "no weight_decay in Keras; add wd * p to each gradient before apply (without momentum the two agree)"),
        Piece("Adam weight decay", "torch.optim.Adam(params, weight_decay=wd)", "keras.optimizers.Adam(weight_decay=wd)",
              "torch Adam couples it (L2 in the gradient), keras decouples it; wd 0.25, betas 0.875 and "
              "0.998046875, eps 0",
              _cv_opt("Adam", dict(betas=(0.875, 0.998046875), eps=0.0, weight_decay=0.25),
                      lambda: K().Adam(beta_1=0.875, beta_2=0.998046875, epsilon=0.0, weight_decay=0.25)),
              _cv_opt("AdamW", dict(betas=(0.875, 0.998046875), eps=0.0, weight_decay=0.25),
                      lambda: K().Adam(beta_1=0.875, beta_2=0.998046875, epsilon=0.0, weight_decay=0.25)),
              "torch.optim.AdamW is Keras's Adam(weight_decay)"),
        Piece("Adagrad", "torch.optim.Adagrad(params, lr=0.01, eps=1e-10)", "keras.optimizers.Adagrad(0.001)",
              "lr torch 0.01, keras 0.001; accumulator torch 0, keras 0.1; eps torch 1e-10 outside the sqrt, "
              "keras 1e-7 inside. The matched run: lr 0.01",
              _cv_opt("Adagrad", {}, lambda: K().Adagrad()),
              _cv_opt("Adagrad", dict(lr=0.01, eps=0.0),
                      lambda: K().Adagrad(learning_rate=0.01, initial_accumulator_value=0.0, epsilon=0.0)),
              "initial_accumulator_value=0 and eps=0 on both sides (no equal nonzero eps: one is inside the "
              "sqrt, the other outside)"),
        Piece("RMSprop", "torch.optim.RMSprop(params, lr=0.01, alpha=0.99, eps=1e-8)", "keras.optimizers.RMSprop(0.001)",
              "lr torch 0.01, keras 0.001; decay torch alpha 0.99, keras rho 0.9; eps torch 1e-8 outside "
              "the sqrt, keras 1e-7 inside. The matched run: lr 0.01",
              _cv_opt("RMSprop", {}, lambda: K().RMSprop()),
              _cv_opt("RMSprop", dict(lr=0.01, alpha=0.875, eps=0.0),
                      lambda: K().RMSprop(learning_rate=0.01, rho=0.875, epsilon=0.0)),
              "alpha = rho (dyadic) and eps=0 on both sides"),
        Piece("Adam", "torch.optim.Adam(params, lr=0.001, betas=(0.9, 0.999), eps=1e-8)", "keras.optimizers.Adam()",
              "lr 0.001 both; betas (0.9, 0.999) both; eps torch 1e-8, keras 1e-7; keras folds the bias "
              "corrections into the step size and adds eps to the uncorrected sqrt(v)",
              _cv_opt("Adam", {}, lambda: K().Adam()),
              _cv_opt("Adam", dict(eps=0.0), lambda: K().Adam(beta_1=f(0.9), beta_2=f(0.999), epsilon=0.0)),
              "eps=0 on both sides and the betas as np.float64 (or dyadic); with equal nonzero eps the "
              "two stay apart (eps placement)"),
        Piece("He normal init", "torch.nn.init.kaiming_normal_(w, nonlinearity='relu')",
              "keras.initializers.HeNormal()",
              "torch: untruncated normal of std sqrt(2 / fan_in); keras: a normal cut at 2 of its stds, "
              "rescaled so the std is sqrt(2 / fan_in). Compared: (std, max abs w) / sqrt(2 / fan_in), "
              "2 decimals, on a 1000 x 1000 draw",
              _cv_he(False), _cv_he(True),
              "torch.nn.init.trunc_normal_(w, std=s, a=-2 s, b=2 s) with s = sqrt(2 / fan_in) / 0.8796; "
              "the draws are not the same numbers, only the same distribution"),
        Piece("Glorot uniform init", "torch.nn.init.xavier_uniform_(w)", "keras.initializers.GlorotUniform()",
              "both U(-a, a) with a = sqrt(6 / (fan_in + fan_out)); torch reads the fans off (out, in), "
              "keras off (in, out). Compared: max w / a and min w / a (3 decimals) and the shape, "
              "fan_in 600, fan_out 400",
              _cv_glorot, _cv_glorot,
              "already equal in distribution; transpose torch's (out, in) weight for a Dense kernel"),
    ]


from nngrade.conventions import LazyPieces  # noqa: E402

CONVENTIONS = LazyPieces(_conventions)

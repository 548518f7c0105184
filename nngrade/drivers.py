"""Worker-side drivers: how a check exercises one graded piece inside the worker.

A driver is called as `drive_<name>(namespace, function_name, *args, **kwargs)` with plain
data from the grader and returns plain data. A check names its driver by the function
(`Check.driver = drive_object` here, or `driver.drive_optimizer` of the lab's own module,
`nngrade/labs/lab06_training/driver.py`); the grader sends its name (`name_of`). The worker imports this module
and every lab's driver module when it starts, before any student code runs. Objects the student defines (optimizers,
streaming metrics, generators) live only here, driven by these functions; callables that
student functions receive are built here from the fixed set in TEST_FUNCTIONS.
This module is imported by the worker only: NumPy, never torch or TensorFlow.
"""
from __future__ import annotations

import numpy as np

from nngrade.mistakes import IN_PLACE

MAX_ITEMS = 10_000

# Does the call being driven check the call's contract (`Check.owns_contract`): arguments left
# unchanged, new arrays returned, a generator? Only the types check of a function does, so that
# one defect costs the one check that names it; the value checks compare what was returned. The
# worker sets it for each call (`contract`).
CONTRACT = [True]


class contract:
    """`with contract(False): ...`: drive one call without the contract's checks."""

    def __init__(self, on: bool):
        self.on = bool(on)

    def __enter__(self):
        self.before, CONTRACT[0] = CONTRACT[0], self.on

    def __exit__(self, *exc):
        CONTRACT[0] = self.before


class NotDefined(Exception):
    pass


def lookup(ns, name):
    if name not in ns:
        raise NotDefined(f"`{name}` is not defined in your notebook")
    return ns[name]


class ArgumentModified(Exception):
    """A graded function changed an array it was given (the contract: functions never modify their
    arguments, except optimizer steps). The one in-place guard: every driver raises this."""


def snapshot(x):
    """A copy of every array inside `x` (lists, tuples and dicts followed)."""
    if isinstance(x, np.ndarray):
        return np.array(x, copy=True)
    if isinstance(x, (list, tuple)):
        return type(x)(snapshot(v) for v in x)
    if isinstance(x, dict):
        return {k: snapshot(v) for k, v in x.items()}
    return x


def changed_at(before, after, where: str) -> str | None:
    """The first place (`params[1][0]`) where `after` differs from the snapshot `before`, or None."""
    if isinstance(before, np.ndarray):
        same = isinstance(after, np.ndarray) and after.shape == before.shape and \
            np.array_equal(before, after, equal_nan=before.dtype.kind in "fc")
        return None if same else where
    if isinstance(before, (list, tuple)):
        if not isinstance(after, (list, tuple)) or len(after) != len(before):
            return where
        return next((w for i, (b, a) in enumerate(zip(before, after))
                     if (w := changed_at(b, a, f"{where}[{i}]"))), None)
    if isinstance(before, dict):
        if not isinstance(after, dict):
            return where
        return next((w for k, v in before.items() if (w := changed_at(v, after.get(k), f"{where}[{k!r}]"))), None)
    return None


def guard(fn: str, named: list, before: list, label=None):
    """Raise ArgumentModified when one of `named` [(name, value now)] differs from its snapshot in
    `before`; `label` may say more about a place (`params[1][0]` -> `... (W of layer 2)`). Only
    where the call checks the contract (`CONTRACT`)."""
    if not CONTRACT[0]:
        return
    for (name, now), then in zip(named, before):
        where = changed_at(then, now, name)
        if where:
            raise ArgumentModified(f"`{fn}` modified {label(where) if label else where} {IN_PLACE}; functions "
                                   "must leave their inputs unchanged (callers still need them): work on a copy")


def argument_names(f, args, kwargs) -> list:
    """[(name, value)] of a call's arguments, named as the function names its parameters where
    they bind (`z`), else by position (`argument 2`)."""
    import inspect
    try:
        bound = inspect.signature(f).bind(*args, **kwargs).arguments
        if all(any(v is a for v in bound.values()) for a in list(args) + list(kwargs.values())):
            return list(bound.items())
    except (TypeError, ValueError):
        pass
    return [(f"argument {i + 1}", a) for i, a in enumerate(args)] + list(kwargs.items())


def call_unchanged(ns, fn, args, kwargs, names=None, label=None):
    """Call `fn(*args, **kwargs)` once and raise ArgumentModified if it changed an argument;
    `names` name the positional arguments (else the function's own parameter names)."""
    f = lookup(ns, fn)
    named = list(zip(names, args)) + list(kwargs.items()) if names else argument_names(f, args, kwargs)
    before = [snapshot(v) for _, v in named]
    result = f(*args, **kwargs)
    guard(fn, named, before, label)
    return result


def drive_call(ns, fn, *args, **kwargs):
    """Call the function once; it must leave its arguments as they were."""
    return call_unchanged(ns, fn, args, kwargs)


def drive_generator(ns, fn, *args, **kwargs):
    """Call a generator function and collect what it yields (at most MAX_ITEMS items)."""
    out = []
    for item in lookup(ns, fn)(*args, **kwargs):
        out.append(item)
        if len(out) > MAX_ITEMS:
            raise RuntimeError(f"`{fn}` yielded more than {MAX_ITEMS} items")
    return out


def drive_object(ns, cls, ctor_args, ctor_kwargs, calls, snapshot_arg=None):
    """Build `cls(*ctor_args, **ctor_kwargs)`, then make each call of `calls`, a list of
    `(method, args, kwargs)`. Returns the list of what each call returned; with
    `snapshot_arg=i`, each entry is `(returned, copy of ctor_args[i] after the call)`,
    which is how optimizers (that update their parameter arrays in place) are observed."""
    obj = lookup(ns, cls)(*ctor_args, **ctor_kwargs)
    results = []
    for method, args, kwargs in calls:
        value = getattr(obj, method)(*args, **kwargs)
        if snapshot_arg is not None:
            value = (value, snapshot(ctor_args[snapshot_arg]))
        results.append(value)
    return results




# Scalar functions of an array, handed to student code that takes a callable.
TEST_FUNCTIONS = {
    "sum_of_squares": lambda x: float(np.sum(x ** 2)),
    "sum_of_sines": lambda x: float(np.sum(np.sin(x))),
    "log_sum_exp": lambda x: float(np.log(np.sum(np.exp(x)))),
    "cubic_mix": lambda x: float(np.sum(x ** 3) - 2.0 * np.sum(x) * np.sum(x ** 2)),
}


def drive_with_function(ns, fn, test_function, x, *args, **kwargs):
    """Call `fn(f, x, ...)` with `f` one of TEST_FUNCTIONS; returns (result, x afterwards)."""
    result = lookup(ns, fn)(TEST_FUNCTIONS[test_function], x, *args, **kwargs)
    return result, x


def name_of(driver) -> str:
    """What the grader sends for a driver: `"nngrade.labs.lab06_training.driver:drive_optimizer"`."""
    return f"{driver.__module__}:{driver.__name__}"


def resolve(name: str):
    """The driver `name_of` named: a `drive_*` function of this module or of a lab's driver module
    (imported by `import_all` before any student code ran); nothing else."""
    import sys
    module, _, func = str(name).partition(":")
    lab_driver = module.startswith("nngrade.labs.") and module.endswith(".driver")
    if not func.startswith("drive_") or not (module == __name__ or lab_driver) or module not in sys.modules:
        raise LookupError(f"no driver {name!r}")
    return getattr(sys.modules[module], func)


def import_all():
    """Every lab's driver module (before student code runs: nothing it does can replace them)."""
    from nngrade import labs
    for lab in labs.discover().values():
        labs.driver_module(lab)

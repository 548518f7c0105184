"""Worker-side drivers: how a check exercises one graded piece inside the worker.

A driver is called as `drive_<name>(namespace, function_name, *args, **kwargs)` with plain
data from the grader and returns plain data. `Check.driver = "object"` names
`drive_object` here; `Check.driver = "lab06_training.optimizer"` names `drive_optimizer` in
the lab's own module, `nngrade/labs/lab06_training/driver.py`. The worker imports this module
and every lab's driver module when it starts, before any student code runs. Objects the student defines (optimizers,
streaming metrics, generators) live only here, driven by these functions; callables that
student functions receive are built here from the fixed set in TEST_FUNCTIONS.
This module is imported by the worker only: NumPy, never torch or TensorFlow.
"""
from __future__ import annotations

import numpy as np

MAX_ITEMS = 10_000


class NotDefined(Exception):
    pass


def lookup(ns, name):
    if name not in ns:
        raise NotDefined(f"`{name}` is not defined in your notebook")
    return ns[name]


def drive_call(ns, fn, *args, **kwargs):
    """Call the function once."""
    return lookup(ns, fn)(*args, **kwargs)


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
            value = (value, _copy(ctor_args[snapshot_arg]))
        results.append(value)
    return results


def _copy(x):
    if isinstance(x, np.ndarray):
        return np.array(x, copy=True)
    if isinstance(x, (list, tuple)):
        return type(x)(_copy(v) for v in x)
    return x


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


def resolve(name: str):
    """`"call"` -> drive_call here; `"lab06_training.optimizer"` -> drive_optimizer in
    `nngrade.labs.lab06_training.driver`, which `import_all` has imported."""
    import sys
    if "." in name:
        lab, func = name.rsplit(".", 1)
        return getattr(sys.modules[f"nngrade.labs.{lab}.driver"], "drive_" + func)
    return globals()["drive_" + name]


def import_all():
    """Every lab's driver module (before student code runs: nothing it does can replace them)."""
    from nngrade import labs
    for lab in labs.discover().values():
        labs.driver_module(lab)

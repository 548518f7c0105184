"""Each graded function is graded on its own: while one is graded, the other graded functions it
calls are answered by the grader's oracles (stand-ins), and only those it calls by name.

`substitutes(lab)` lists what may stand in while a function of `lab` is graded: the lab's other
graded functions (its `SUBSTITUTE` list) and the graded functions of the other labs that its
notebook defines (given code, or a student's copy of an earlier lab's function: a mistake there
costs points in its own lab only). `refusal` is the rule that decides each request.
"""
from __future__ import annotations

from functools import lru_cache

from nngrade import labs
from nngrade.drivers import drive_call
from nngrade.registry import available_labs


@lru_cache(maxsize=None)
def _oracles(lab: str) -> dict:
    """Each plain function of a lab (called once, by `drivers.drive_call`) with the oracle that can
    stand in for it: the PyTorch one where it agrees with the deciding one on every check that
    uses it (it runs here, while Keras may live in the oracle process, busy with answers)."""
    if lab not in available_labs():
        return {}
    checks = labs.checks_module(lab).CHECKS
    out = {}
    for c in checks:
        if c.driver is drive_call and c.function not in out:
            agrees = c.torch is not None and not any(
                o.differs for o in checks if o.function == c.function and o.torch is c.torch)
            out[c.function] = c.torch if agrees else c.oracle()
    return out


@lru_cache(maxsize=None)
def substitutes(lab: str) -> dict:
    """{name: oracle} of the functions that stand in while a graded function of `lab` is graded."""
    if lab not in available_labs():
        return {}
    module = labs.checks_module(lab)
    own = {c.function for c in module.CHECKS}
    names = set(getattr(module, "SUBSTITUTE", ()))
    out = {n: o for n, o in _oracles(lab).items() if n in names}
    for other in available_labs():
        if other != lab:
            out.update({n: o for n, o in _oracles(other).items() if n not in own and n not in out})
    return out


def refusal(function: str, name, called, count: int, limit: int) -> str | None:
    """Why the grader does not answer a stand-in request for `name` while `function` is graded
    (None: it answers). Only requests a correct notebook makes are answered: one for a graded
    function that `function` calls by name, and not more of them than `limit` in one call."""
    if name == function:
        return (f"`{function}` asked the grader for its own expected answer; "
                "a graded function is always run as you wrote it")
    if called is None:
        return (f"`{function}` looks names up at run time (`globals()`, `eval`, ...), so the grader "
                f"cannot tell whether it calls `{name}`: call the other graded functions by name")
    if name not in called:
        return (f"`{function}` asked the grader for the answer of `{name}`, which it does not call by "
                "name; only the graded functions that it calls directly (as `name(...)`) are "
                "replaced by the grader's while it is graded")
    if count > limit:
        return (f"`{function}` called the other graded functions more than {limit:,} times in one "
                "call; call them on whole arrays, not element by element")
    return None

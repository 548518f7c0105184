"""What a student types: a lab number and function names, checked against the registry before
anything is graded. A name that is no lab's or no graded function's gets one line that says so
and, where one is close, which was meant: "no graded function `msee` in lab03_losses; did you
mean `mse`?" (never a traceback, never a silent 0/0)."""
from __future__ import annotations

import difflib

from nngrade.registry import available_labs, lab_name, load_checks


class UnknownName(ValueError):
    """A lab or a function that does not exist; the message is the one line to show."""


def lab(key) -> str:
    """'3', '03', 'lab03' or 'lab03_losses' -> 'lab03_losses', for a lab this grader has checks for."""
    try:
        name = lab_name(key)
    except KeyError:
        name = None
    have = available_labs()
    if name not in have:
        raise UnknownName(f"no lab {str(key)[:40]!r}: the labs are {', '.join(l[3:5] for l in have)} "
                          f"({have[0]} to {have[-1]})" if have else "this grader has no labs")
    return name


def graded(lab_: str, hidden_dir=None) -> list[str]:
    """The graded functions of a lab, in the order of its checks (hidden checks included)."""
    return list(dict.fromkeys(c.function for c in load_checks(lab_, hidden_dir)))


def functions(labs: list[str], names, hidden_dir=None) -> list[str]:
    """`names`, each a graded function of one of `labs`."""
    known = [f for lab_ in labs for f in graded(lab_, hidden_dir)]
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f"; did you mean `{close[0]}`?" if close else f"; its functions are: {', '.join(known)}"
            raise UnknownName(f"no graded function `{str(name)[:60]}` in {', '.join(labs)}{hint}")
    return list(names)


def which_lab(names) -> str:
    """The one lab whose graded functions include every one of `names` (`check("sigmoid")` run
    outside a lab's notebook)."""
    owner = {f: lab_ for lab_ in available_labs() for f in graded(lab_)}
    for name in names:
        if name not in owner:
            close = difflib.get_close_matches(name, list(owner), n=1, cutoff=0.6)
            hint = f"; did you mean `{close[0]}` ({owner[close[0]]})?" if close else ""
            raise UnknownName(f"no graded function `{str(name)[:60]}` in any lab{hint}")
    labs = {lab_ for lab_ in available_labs() if all(owner[n] == lab_ for n in names)} if names else set()
    if len(labs) != 1:
        raise UnknownName("say which lab: check(lab='02'), or check('sigmoid', lab='02')")
    return labs.pop()

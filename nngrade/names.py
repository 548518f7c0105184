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


def functions(labs: list[str], names, hidden_dir=None) -> list[str]:
    """`names`, each a graded function of one of `labs` (hidden checks included)."""
    graded = list(dict.fromkeys(c.function for lab_ in labs for c in load_checks(lab_, hidden_dir)))
    for name in names:
        if name not in graded:
            close = difflib.get_close_matches(name, graded, n=1, cutoff=0.6)
            hint = f"; did you mean `{close[0]}`?" if close else f"; its functions are: {', '.join(graded)}"
            raise UnknownName(f"no graded function `{str(name)[:60]}` in {', '.join(labs)}{hint}")
    return list(names)


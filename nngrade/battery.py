"""Standard batteries of checks: every function of a kind is checked the same way, and each check
owns one property, so that a function with one defect loses the points of the one check that
names it (a right answer in the wrong dtype loses "types and shapes" only):

- "types and shapes" (1 point): the result's type, structure, shape and dtype, not its values,
  and the call's contract (`Check.owns_contract`: the arguments left unchanged, new arrays);
- typical values (2): the values on typical inputs, read from any numeric dtype and from a shape
  that differs by axes of length 1 only;
- an edge (1 each): the values where the contract singles inputs out (a kink, a clip bound);
- stability (1): no overflow, NaN or RuntimeWarning on extreme inputs (the only check a warning fails);
- an extra argument (1 each): the values with a non-default argument, on typical inputs.

`checks` builds the rows of one function from its input generators; `elementwise` is the battery
of lab02's activations (and any elementwise function of a new lab). Every other field of a row
(oracles, `primary`, `differs`, `likely`, tolerances, driver) is passed through; an edge or an
extra argument may carry its own overrides as a third item.
"""
from __future__ import annotations

from nngrade.cases import SHAPES, extremes, points, random_arrays
from nngrade.registry import Check

TYPES = "types and shapes"
STABLE = "stable at +-1e3 (no overflow, NaN or warning)"
KINK = (-1.0, -1e-12, 0.0, 1e-12, 1.0)      # at 0 and on both sides of it, closer than any rounding


def _rows(items):
    """(what, cases) or (what, cases, overrides) -> (what, cases, points, overrides): the points
    are 1 unless the overrides say `points`."""
    out = []
    for item in items:
        o = dict(item[2]) if len(item) > 2 else {}
        out.append((item[0], item[1], o.pop("points", 1), o))
    return out


def checks(function: str, *, types, typical, types_what=TYPES, typical_what="typical values on random shapes",
           edges=(), stable=None, extra=(), **row) -> list[Check]:
    """The rows of one function. `types`, `typical`: input generators (`rng -> [Case]`); `edges`:
    [(what, cases[, overrides])]; `stable`: (what, cases[, overrides]) or None; `extra`: [(label,
    cases[, overrides])] named "extra argument <label>"; `row`: the fields every row shares. An
    override `points` changes a row's points (1)."""
    out = [Check(function, types_what, 1, types, structure_only=True, **row),
           Check(function, typical_what, 2, typical, **row)]
    out += [Check(function, what, n, cases, **{**row, **o}) for what, cases, n, o in _rows(edges)]
    if stable is not None:
        (what, cases, n, o), = _rows([stable])
        out.append(Check(function, what, n, cases, stable=True, **{**row, **o}))
    out += [Check(function, f"extra argument {label}", n, cases, **{**row, **o})
            for label, cases, n, o in _rows(extra)]
    return out


def elementwise(function: str, *, kinks=None, extra=(), edge_overrides=None, **row) -> list[Check]:
    """An elementwise function of any shape (an activation, its derivative): random arrays of three
    shapes; the values at `kinks` (default: around 0, as "edge values"), with the default and with
    each extra argument (the kink check owns the kinks); the extremes +-1e3; and each dict of
    `extra` keyword arguments on typical inputs."""
    at = kinks if kinks is not None else (-2.0, -0.5, 0.0, 0.5, 2.0)
    settings = [{}] + (list(extra) if kinks is not None else [])
    edge = ("at z = 0 and around it" if kinks is not None else "edge values",
            lambda rng: [c for kw in settings for c in points(*at, note="exact values around z = 0", **kw)],
            edge_overrides or {})
    return checks(function, types=lambda rng: random_arrays(rng, [(4,), (2, 3), (2, 1, 3)]), typical=random_arrays,
                  edges=[edge], stable=(STABLE, extremes),
                  extra=[(", ".join(f"{k}={v}" for k, v in kw.items()),
                          lambda rng, kw=kw: random_arrays(rng, SHAPES, **kw)) for kw in extra],
                  **row)

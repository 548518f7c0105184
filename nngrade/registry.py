"""One row per graded check: the function, what is checked, inputs, oracles, tolerance, points.

The same rows drive `make grade`, the project's tests and the mutants. A lab's rows live in
`nngrade/labs/<lab>/checks.py` as a list `CHECKS`; the lab's oracles in `reference/<topic>.py`.

An oracle has the graded function's own signature (or, for a check with another driver,
the driver's arguments) and returns float64 NumPy data. `torch` and `keras` name the two
oracles; `primary` says which one decides. Where the two frameworks measurably differ on a
check, `differs` says why, and the other oracle is shown in the feedback without costing
points.
"""
from __future__ import annotations

import ast
import hashlib
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from nngrade import labs as _labs
from nngrade.config import DEFAULT_ATOL, DEFAULT_RTOL
from nngrade.drivers import drive_call

ROOT = Path(__file__).resolve().parent.parent
LABS = _labs.discover()     # {"01": "lab01_neurons", ...}: every package in nngrade/labs/


@dataclass(frozen=True)
class Case:
    """One input: positional and keyword arguments, and a note for the feedback."""
    args: tuple
    kwargs: dict = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Likely:
    """A known mistake: if the student's result equals `value(*args, **kwargs)` (and the right
    answer does not), say `message`. A mistake with no value to compare with is recognised by a
    test of the result instead, `when(got, expected, *args, **kwargs) -> bool`."""
    message: str
    value: Callable[..., Any] | None = None
    when: Callable[..., bool] | None = None


ORACLE_NAMES = {"torch": "PyTorch", "keras": "Keras", "sklearn": "scikit-learn"}


@dataclass
class Check:
    function: str
    what: str
    points: float
    cases: Callable[[np.random.Generator], list]
    torch: Callable | None = None     # the oracles, by the framework that computes them
    keras: Callable | None = None
    sklearn: Callable | None = None   # a second opinion from scikit-learn, where it has the piece
    primary: str = "torch"            # which of them decides the points
    differs: str | None = None        # why the others may differ (then they cost nothing)
    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL
    stable: bool = False            # a RuntimeWarning or a non-finite value fails the check
    structure_only: bool = False    # types, shapes and dtypes; values are not compared
    owns_contract: bool = True      # the call's contract fails here: inputs left unchanged, a new array,
                                    # a generator (`load_checks`: only the types check of a function with one)
    driver: Callable = drive_call    # how the worker calls it (nngrade.drivers, or the lab's driver module)
    timeout: float | None = None
    likely: tuple = ()
    compare: Callable | None = None   # (got, expected, case, oracles) -> problem text or None
    hidden: bool = False
    names: dict | None = None       # how feedback names an oracle, e.g. {"keras": "TensorFlow"}
    lab: str = ""

    @property
    def name(self) -> str:
        return f"{self.lab}.{self.function}: {self.what}"

    def oracle(self, which: str | None = None):
        return getattr(self, which or self.primary)

    def oracle_name(self, which: str) -> str:
        return (self.names or {}).get(which, ORACLE_NAMES[which])

    @property
    def others(self) -> tuple[str, ...]:
        """The oracles run beside the deciding one: a disagreement with one of them costs the same
        points, unless `differs` says why they differ."""
        return tuple(w for w in ORACLE_NAMES if w != self.primary and getattr(self, w) is not None)

    def seed_key(self) -> int:
        return zlib.crc32(self.name.encode())

    def rng(self, seed: int) -> np.random.Generator:
        """The inputs of a check depend on the run's seed and the check's name only:
        `numpy.random.default_rng([seed, seed_key()])`."""
        return np.random.default_rng([seed, self.seed_key()])


def lab_name(key: str) -> str:
    """'2', '02', 'lab02' or 'lab02_activations' -> 'lab02_activations'."""
    key = str(key).strip()
    digits = "".join(ch for ch in key[:5] if ch.isdigit())[:2].zfill(2)
    if digits not in LABS:
        raise KeyError(f"no lab {key!r}; the labs are " + ", ".join(LABS.values()))
    return LABS[digits]


def load_checks(lab: str, hidden_dir=None) -> list[Check]:
    """The lab's checks, each stamped with its lab, plus any hidden checks for it."""
    if lab not in LABS.values():
        return []
    checks = list(_labs.checks_module(lab).CHECKS)
    if hidden_dir is not None:
        from nngrade.hidden import load_hidden
        checks += load_hidden(hidden_dir, lab)
    typed = {c.function for c in checks if c.structure_only}
    for c in checks:
        c.lab = lab
        c.owns_contract = c.structure_only or c.function not in typed
    return checks


def available_labs() -> list[str]:
    return list(LABS.values())


def reference_modules(root: Path, labs: list[str]) -> set[str]:
    """The `reference/` modules the labs' checks import (and what those import), read off the source."""
    todo = [root / "nngrade" / "labs" / lab / "checks.py" for lab in labs]
    seen: set[str] = set()
    while todo:
        tree = ast.parse(todo.pop().read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                parts = name.split(".")
                if parts[0] == "reference" and len(parts) > 1 and parts[1] not in seen:
                    seen.add(parts[1])
                    todo.append(root / "reference" / f"{parts[1]}.py")
    return seen


def lab_fingerprint(lab: str, hidden_dir=None, root: Path = ROOT) -> str:
    """A hash of everything that decides a lab's checks: its checks module, its worker driver,
    the oracles they import (`reference/`), the input generators (`nngrade/cases.py`) and its
    hidden checks. Equal fingerprints, equal seed and equal framework versions give equal inputs
    and equal answers; a changed check changes its lab's fingerprint and no other lab's."""
    package = root / "nngrade" / "labs" / lab
    files = sorted(package.glob("*.py")) + [root / "nngrade" / "cases.py", root / "nngrade" / "registry.py"]
    files += [root / "reference" / f"{m}.py" for m in sorted(reference_modules(root, [lab]) | {"_frameworks"})]
    if hidden_dir:
        files.append(Path(hidden_dir) / f"{lab}.py")
    h = hashlib.sha256()
    for f in files:
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]

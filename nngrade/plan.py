"""What every student of a run shares: the checks to run and their inputs.

A `Plan` selects the checks (labs, hidden checks, `--function`, `--oracles primary`) and draws
each check's inputs from the run's seed, `numpy.random.default_rng([seed, crc32(check name)])`.
It needs NumPy only: the oracle process (`nngrade.oracle_server`) rebuilds the same plan from
`Plan.spec` and draws the same inputs itself. The answers are `nngrade.oracles`'s work.
"""
from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

from nngrade.registry import Check, load_checks


class Plan:
    """The checks and inputs of one run, shared by every student."""

    def __init__(self, labs: list[str], seed: int, hidden_dir=None, functions=None, oracles="both"):
        """`functions`: grade only these; `oracles="primary"`: only the deciding framework's answers
        (a quick run: a PyTorch-decided lab then needs no TensorFlow; the official grade runs both)."""
        self.seed = seed
        self.labs = list(labs)
        self.spec = {"labs": list(labs), "seed": seed,
                     "hidden": None if hidden_dir is None else str(Path(hidden_dir).resolve()),
                     "functions": sorted(functions) if functions else None, "oracles": oracles}
        self.checks = {lab: [c for c in load_checks(lab, hidden_dir) if not functions or c.function in functions]
                       for lab in labs}
        if oracles == "primary":
            for lab, checks in self.checks.items():
                self.checks[lab] = [dataclasses.replace(c, **dict.fromkeys(c.others)) for c in checks]
                for c in self.checks[lab]:
                    c.lab = lab
        self.by_name: dict[str, Check] = {}
        for check in self.all_checks():
            if check.name in self.by_name:
                raise ValueError(f"two checks are named {check.name!r}: a check's name keys its inputs and answers")
            self.by_name[check.name] = check
        self._cases: dict[str, list] = {}
        self._lock = threading.Lock()
        self.shipped = None     # answers computed ahead (nngrade.answers.attach): inputs and answers, if any

    @classmethod
    def from_spec(cls, spec: dict) -> "Plan":
        return cls(spec["labs"], spec["seed"], spec.get("hidden"), spec.get("functions"), spec.get("oracles", "both"))

    def all_checks(self):
        for checks in self.checks.values():
            yield from checks

    def cases(self, check: Check) -> list:
        """The check's inputs (drawn once per run: a class shares them)."""
        if check.name not in self._cases:
            with self._lock:
                if check.name not in self._cases:
                    stored = self.shipped.inputs(check) if self.shipped is not None else None
                    self._cases[check.name] = stored if stored is not None else list(check.cases(check.rng(self.seed)))
        return self._cases[check.name]

    def uses(self, which: str) -> bool:
        """Whether this run asks the framework `which` at all (a `--oracles primary` run of labs
        decided by PyTorch never asks Keras)."""
        return any(c.oracle(which) is not None for c in self.all_checks())

"""The labs: one package per lab, named as its notebooks (`labNN_<topic>`), discovered here.

A lab is its notebook pair (`solutions/labNN_<topic>.ipynb`, `labs/labNN_<topic>.ipynb`), its
oracles (`reference/<topic>.py`), this package (`__init__.py`: the contract's signatures;
`checks.py`: the registry rows; `driver.py`: worker-side drivers, where a check needs more than
one call) and its tests (`tests/labs/labNN_<topic>/`: the lab's tests and its mutants). Nothing
lists the labs by hand: a package here whose name is `labNN_<topic>` is a lab.
"""
from __future__ import annotations

import importlib
import pkgutil
import re

NAME = re.compile(r"^lab(\d\d)_[a-z][a-z0-9_]*$")


def discover() -> dict[str, str]:
    """{"01": "lab01_neurons", ...}: every lab package here, by its number."""
    found = {}
    for m in pkgutil.iter_modules(__path__):
        match = NAME.match(m.name)
        if m.ispkg and match:
            if match.group(1) in found:
                raise ImportError(f"two labs numbered {match.group(1)}: {found[match.group(1)]} and {m.name}")
            found[match.group(1)] = m.name
    return dict(sorted(found.items()))


def topic(lab: str) -> str:
    """`lab03_losses` -> `losses`: the name of its oracles' module in `reference/`."""
    return lab[6:]


def package(lab: str):
    return importlib.import_module(f"{__name__}.{lab}")


def checks_module(lab: str):
    return importlib.import_module(f"{__name__}.{lab}.checks")


def driver_module(lab: str):
    """The lab's worker-side drivers, or None (most labs need only the generic ones)."""
    try:
        return importlib.import_module(f"{__name__}.{lab}.driver")
    except ModuleNotFoundError as e:
        if e.name != f"{__name__}.{lab}.driver":
            raise
        return None

"""The graded functions of each lab, with their signatures: the contract the notebooks, the
solutions, the checks and anyone grading with this package share. Names never change.

Each lab states its own in `nngrade/labs/<lab>/__init__.py` (`SIGNATURES`);
`tests/test_layout.py` holds them to the solution notebooks' definitions.
"""
from nngrade import labs as _labs

SIGNATURES = {lab: dict(_labs.package(lab).SIGNATURES) for lab in _labs.discover().values()}
FUNCTIONS = {lab: list(sigs) for lab, sigs in SIGNATURES.items()}

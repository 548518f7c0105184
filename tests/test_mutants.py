"""Every lab's catalog of wrong and of valid implementations (tests/labs/<lab>/mutants.py): every
mutant loses points (with its diagnosis where one is named), every alternative earns full
points, and every graded function has at least three mutants."""
from collections import Counter

import pytest

from conftest import LABS
from nngrade.contract import FUNCTIONS
from nngrade.mutants import Mutant, catalog, run_lab, summary


@pytest.mark.parametrize("lab", LABS)
def test_at_least_three_mutants_per_graded_function(lab):
    mutants, _ = catalog(lab)
    counts = Counter(m.function for m in mutants)
    short = {f: counts.get(f, 0) for f in FUNCTIONS[lab] if counts.get(f, 0) < 3}
    assert not short, f"{lab}: functions with fewer than 3 mutants: {short}"


@pytest.mark.parametrize("lab", LABS)
def test_every_mutant_is_caught_and_every_alternative_accepted(lab):
    outcomes = run_lab(lab)
    text, ok = summary({lab: outcomes})
    assert ok, text
    assert any(isinstance(o.row, Mutant) for o in outcomes)

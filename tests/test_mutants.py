"""Every lab's catalog of wrong and of valid implementations (tests/labs/<lab>/mutants.py): every
mutant loses points (with its diagnosis where one is named), every alternative earns full
points, every graded function has at least three mutants, and every patch still applies to the
solution it patches."""
from collections import Counter

import pytest

from conftest import LABS, solution_cells
from nngrade.contract import FUNCTIONS
from nngrade.mutants import Mutant, PatchError, catalog, code, definitions, replace, run_lab, summary


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


@pytest.mark.parametrize("lab", LABS)
def test_every_patch_applies_to_the_solution(lab):
    mutants, alternatives = catalog(lab)
    solution = definitions(solution_cells(lab))
    for row in mutants + alternatives:
        assert f"def {row.function}" in code(row, solution) or f"class {row.function}" in code(row, solution)


def test_a_patch_that_no_longer_applies_fails_loudly():
    solution = {"mse": "def mse(y_true, y_pred):\n    return float(np.mean((y_pred - y_true) ** 2))\n"}
    row = Mutant("mse", "sum instead of mean", replace("np.mean(", "np.sum("))
    assert "np.sum((y_pred" in code(row, solution)
    for stale in (replace("np.average(", "np.sum("), replace("y_", "z_"), replace("np.mean(", "np.mean(")):
        with pytest.raises(PatchError):
            code(Mutant("mse", "stale", stale), solution)

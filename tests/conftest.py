"""Shared fixtures: one Plan and its Oracles per lab per test session (answers computed once),
and helpers to grade a notebook made of given cells."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from nngrade import load  # noqa: E402
from nngrade.config import Limits  # noqa: E402
from nngrade.engine import grade_lab  # noqa: E402
from nngrade.oracles import Oracles  # noqa: E402
from nngrade.plan import Plan  # noqa: E402
from nngrade.registry import available_labs  # noqa: E402
from nngrade.student import Student  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261121
LABS = [lab for lab in available_labs() if (ROOT / "solutions" / f"{lab}.ipynb").exists()]

_oracles: dict = {}


def oracles_for(lab: str) -> Oracles:
    """The lab's plan at the tests' seed, with its answers (computed here, once per session)."""
    if lab not in _oracles:
        _oracles[lab] = Oracles(Plan([lab], SEED))
    return _oracles[lab]


def plan_for(lab: str) -> Plan:
    return oracles_for(lab).plan


def solution_cells(lab: str) -> list[str]:
    nb = load.read(lab, ROOT / "solutions" / f"{lab}.ipynb")
    assert nb.error is None, nb.error
    return nb.cells


def solution_namespace(lab: str) -> dict:
    """The solution notebook's definitions, run in this process as the worker runs them: what
    the notebook's functions need (no plots; matplotlib is not for graded code)."""
    from nngrade.extract import extract
    ex = extract(solution_cells(lab))
    ns: dict = {}
    for unit in ex.needed_by(set(ex.functions)):
        try:
            exec(compile(unit.source, f"<{lab} cell {unit.cell + 1}>", "exec"), ns)
        except NameError:     # a figure (`fig, ax = plt.subplots()`): the worker skips it too
            pass
    return ns


def grade_cells(lab: str, cells: list[str], functions=None, limits=None):
    """Grade a notebook made of `cells`; returns {function: (score, max_score, outputs)}."""
    nb = load.Notebook(lab, None, cells)
    with Student(limits or Limits()) as student:
        res = grade_lab(student, plan_for(lab), oracles_for(lab), lab, nb, functions)
    out = {}
    for r in res.results:
        s, m, texts = out.get(r.check.function, (0.0, 0.0, []))
        out[r.check.function] = (s + r.score, m + r.check.points, texts + [r.output])
    return out, res


def write_hidden(folder: Path, lab: str, function: str, points: float, inputs: str, keras=False) -> Path:
    """A hidden-check folder holding one check of lab02 `function`, as an instructor writes one:
    `inputs` is the source of its one input (`np.array([4.25, -7.5])`, `rng.normal(size=(7, 13))`)."""
    folder.mkdir(parents=True, exist_ok=True)
    oracles = f"torch=Torch.{function}" + (f", keras=Keras.{function}" if keras else "")
    (folder / f"{lab}.py").write_text(
        "import numpy as np\nfrom nngrade.registry import Case, Check\n"
        f"from reference.activations import {'Keras, ' if keras else ''}Torch\n"
        f"CHECKS = [Check({function!r}, 'a secret input', {points}, lambda rng: [Case(({inputs},))], {oracles})]\n")
    return folder


def write_notebook(path: Path, cells: list[str]) -> Path:
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                     "source": c} for c in cells],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb))
    return path


@pytest.fixture
def tmp_submission(tmp_path):
    return tmp_path


def same(a, b) -> bool:
    """Equal to the last bit, with the same types, dtypes and shapes (NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        # exact: a lossless round trip of the same bits
        return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float):
        return a == b or (a != a and b != b)
    return a == b

"""`strip_magics` finds a magic where IPython finds one: at the start of a logical line. The
oracle is IPython's own input transformer, run on the same cells."""
from __future__ import annotations

import ast

import pytest

from conftest import grade_cells, solution_cells
from nngrade.extract import strip_magics

# Real cells: continuation lines that start with `%` or `!=` (code), and magics in the places
# IPython accepts them (code too, once IPython has rewritten them)
CELLS = [
    'label = "%s of %s" \\\n    % ("relu", "z")\n',
    'label = ("%s of %s"\n         % ("relu", "z"))\n',
    "same = (1\n        != 2)\n",
    'text = """\n%not a magic: inside a string\n!nor this\n"""\n',
    "%matplotlib inline\nimport numpy as np\n",
    "!pip install --quiet numpy\nx = 1\n",
    "if False:\n    %pip install numpy\nx = 1\n",
    "def f(x):\n    %time y = x + 1\n    return x\n",
    "%pip install \\\n    numpy\nx = 1\n",
]


def magic_lines(transformed: str, original: str) -> set[int]:
    """The 0-based lines of `original` that IPython turned into a `get_ipython()` call."""
    out, lines = set(), original.splitlines()
    for node in ast.walk(ast.parse(transformed)):
        if isinstance(node, ast.Call) and "get_ipython()" in ast.unparse(node.func):
            out.add(node.lineno - 1)
    return {i for i in out if i < len(lines)}


@pytest.mark.parametrize("cell", CELLS)
def test_the_lines_taken_for_magics_are_the_ones_ipython_takes(cell):
    from IPython.core.inputtransformer2 import TransformerManager
    ours = strip_magics(cell)
    ast.parse(ours)          # the cell still parses
    theirs = magic_lines(TransformerManager().transform_cell(cell), cell)
    mine = {i for i, line in enumerate(ours.splitlines()) if line.lstrip().startswith("pass  # ")}
    assert mine == theirs, ours
    for before, after in zip(cell.splitlines(), ours.splitlines()):   # the rest is as written
        assert after in (before, before[:len(before) - len(before.lstrip())] + "pass  # " + before.lstrip(),
                         "# " + before), ours


RELU = '''def relu(z):
    z = np.asarray(z, dtype=np.float64)
    label = "relu of an array of shape %s" \\
        % (z.shape,)
    positive = (z
                != 0) & (z > 0)
    return np.where(positive, z, 0.0)
'''


def test_a_correct_cell_with_continuation_lines_is_graded_not_skipped():
    """An earlier wrong `relu`, then a right one whose continuation lines start with `%` and
    `!=`: all points only if that cell is graded (a syntax error would leave the wrong one)."""
    cells = solution_cells("lab02_activations") + ["def relu(z):\n    return z\n", RELU]
    scores, res = grade_cells("lab02_activations", cells, {"relu"})
    assert scores["relu"][0] == scores["relu"][1] > 0, scores["relu"][2]
    assert not any("syntax error" in m for m in res.messages), res.messages

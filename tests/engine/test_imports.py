"""Graded code may import NumPy, `scipy.special` and the standard library, nothing else: a
function that reaches anything else (scikit-learn, `scipy.stats`, the grading package,
`reference/`, the frameworks), by an import statement, a string or an import built at run
time, earns nothing for that function, with the reason (issue: releases)."""
import json
import re
import textwrap

import pytest

from conftest import LABS, ROOT, grade_cells, solution_cells
from nngrade.extract import ALLOWED_TEXT, allowed, extract

LAB = "lab02_activations"
RIGHT = "    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))"
# each a sigmoid that is right if its import is let through
SIGMOIDS = {
    "scipy.stats": "from scipy.stats import logistic\ndef sigmoid(z):\n    return logistic.cdf(z)",
    "scipy.stats, as a module": "import scipy.stats\ndef sigmoid(z):\n    return scipy.stats.logistic.cdf(z)",
    "scikit-learn": "from sklearn.utils.extmath import softmax\nimport sklearn\ndef sigmoid(z):\n"
                    "    sklearn.__version__\n" + RIGHT,
    "sklearn by name": "import importlib\ndef sigmoid(z):\n    importlib.import_module('sklearn.metrics')\n" + RIGHT,
    "scipy.stats by __import__": "def sigmoid(z):\n    __import__('scipy.stats')\n" + RIGHT,
    "the grading package": "import nngrade.wire\ndef sigmoid(z):\n    nngrade.wire\n" + RIGHT,
    "the oracles": "from reference import activations\ndef sigmoid(z):\n    activations\n" + RIGHT,
    "matplotlib, in a helper": "import matplotlib\ndef helper():\n    return matplotlib.__version__\n"
                               "def sigmoid(z):\n    helper()\n" + RIGHT,
}


@pytest.mark.parametrize("what", list(SIGMOIDS))
def test_a_function_that_imports_what_graded_code_may_not_earns_nothing_and_is_told_why(what):
    cells = solution_cells(LAB) + ["import numpy as np\n" + SIGMOIDS[what]]
    scores, _ = grade_cells(LAB, cells, {"sigmoid", "tanh"})
    score, top, texts = scores["sigmoid"]
    assert score == 0 < top, what
    assert ALLOWED_TEXT in "\n".join(texts)
    assert scores["tanh"][0] == scores["tanh"][1]        # only the function concerned


def test_an_import_built_at_run_time_is_refused_by_the_worker():
    """A name the source does not spell out reaches the worker's import finder, which refuses it."""
    cell = "import numpy as np\ndef sigmoid(z):\n    __import__(''.join(['scipy', '.', 'stats']))\n" + RIGHT
    scores, _ = grade_cells(LAB, solution_cells(LAB) + [cell], {"sigmoid"})
    score, top, texts = scores["sigmoid"]
    assert score == 0 < top and "scipy.stats" in "\n".join(texts) and ALLOWED_TEXT in "\n".join(texts)


def test_numpy_scipy_special_and_the_standard_library_are_allowed():
    cell = textwrap.dedent("""
        import math, functools
        import numpy as np
        from scipy.special import expit
        import scipy.special
        def sigmoid(z):
            assert math.pi and functools.reduce
            return scipy.special.expit(np.asarray(z, dtype=float))
        """)
    scores, _ = grade_cells(LAB, solution_cells(LAB) + [cell], {"sigmoid"})
    assert scores["sigmoid"][0] == scores["sigmoid"][1] > 0
    assert [allowed(m) for m in ("numpy.linalg", "scipy", "scipy.special", "collections", "os",
                                 "scipy.stats", "sklearn", "pandas", "torch", "nngrade", "reference")] == \
        [True] * 5 + [False] * 6


def test_only_framework_imports_are_announced_at_extraction():
    """A plot's `import matplotlib` is dropped quietly (nothing graded uses it); torch is named."""
    ex = extract(["import numpy as np\nimport matplotlib.pyplot as plt\nimport torch\n"])
    assert [m for m in ex.messages if "was not run" in m] == \
        [f"cell 1: `import torch` was not run: graded code may import {ALLOWED_TEXT} only (torch, "
         "tensorflow, keras, jax and autograd are for the grader's oracles)"]


def test_the_allowed_imports_are_printed_where_students_read():
    texts = {"README.md": (ROOT / "README.md").read_text(),
             "docs/student-README.md": (ROOT / "docs" / "student-README.md").read_text(),
             "docs/labs.md": (ROOT / "docs" / "labs.md").read_text()}
    for folder in ("solutions", "labs"):
        for lab in LABS:
            nb = json.loads((ROOT / folder / f"{lab}.ipynb").read_text())
            texts[f"{folder}/{lab}"] = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    flat = {k: re.sub(r"\s+", " ", v) for k, v in texts.items()}
    assert [k for k, v in flat.items() if ALLOWED_TEXT not in v] == []

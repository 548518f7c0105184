"""`python -m nngrade new-lab labNN_topic`: the files of a new lab, with one example function.

It writes every part a lab has, each where the others are found by the lab's name: the solution
notebook (and the student notebook generated from it), the oracles `reference/<topic>.py`, the
lab's package `nngrade/labs/<lab>/` (the contract's signature, the checks), and its tests and
mutants `tests/labs/<lab>/`; then the contract page. The example, `softsign(z) = z / (1 + |z|)`,
grades, tests and mutates green as it is; replace it with the lab's own functions
(`docs/adding-a-lab.md` walks through it). Nothing is overwritten: an existing file stops it.
"""
from __future__ import annotations

import re
from pathlib import Path
from string import Template

from nngrade.notebooks import dumps, new_notebook

NAME = re.compile(r"^lab(\d\d)_([a-z][a-z0-9_]*)$")

PACKAGE = '''"""$lab: $title.

The package holds how the lab is graded: `checks` (the registry rows), and `driver` where the
worker needs more than one call of a function. Its oracles are `reference/$topic.py`.
"""

# The graded functions and their signatures: the contract (names never change). A test
# holds them to the solution notebook's definitions.
SIGNATURES = {
    "softsign": "softsign(z)",
}
'''

CHECKS = '''"""$lab: the checks of every graded function (nngrade.battery: types, typical values, the
edge, stability at +-1e3; PyTorch decides, Keras agrees)."""
from __future__ import annotations

import numpy as np

from nngrade import battery
from nngrade.registry import Likely
from reference.$topic import Keras, Torch

LIKELY = {
    "softsign": (Likely("the absolute value is missing: softsign(z) = z / (1 + |z|)",
                        lambda z: np.divide(z, 1 + np.asarray(z), out=np.full(np.shape(z), np.nan),
                                            where=np.asarray(z) != -1)),),
}

CHECKS = battery.elementwise("softsign", torch=Torch.softsign, keras=Keras.softsign, likely=LIKELY["softsign"])

# While one graded function is graded, these stand in for the others it calls.
SUBSTITUTE = ["softsign"]
'''

ORACLES = '''"""Oracles for $lab: float64 NumPy in and out, each framework imported on first use.

PyTorch: `torch.nn.functional.softsign`. Keras: `keras.activations.softsign`.
"""
from __future__ import annotations

from reference._frameworks import keras, keras_value, torch, torch_value


class Torch:
    @staticmethod
    def softsign(z):
        return torch_value(torch().nn.functional.softsign, z)


class Keras:
    @staticmethod
    def softsign(z):
        return keras_value(keras().activations.softsign, z)
'''

TESTS = '''"""$lab: the oracles compute the formula, and the feedback names the known mistake."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from conftest import grade_cells, solution_cells
from reference.$topic import Keras, Torch

LAB = "$lab"
# TensorFlow flushes subnormal numbers (below 2.2e-308) to zero: the inputs leave them out
FLOATS = arrays(np.float64, st.integers(1, 12), elements=st.floats(-1e3, 1e3, allow_subnormal=False))


@settings(max_examples=50, deadline=None)
@given(FLOATS)
def test_both_oracles_compute_z_over_one_plus_abs_z(z):
    formula = z / (1.0 + np.abs(z))
    assert np.allclose(Torch.softsign(z), formula, rtol=1e-15, atol=0)
    assert np.allclose(Keras.softsign(z), formula, rtol=1e-15, atol=0)


def test_a_missing_absolute_value_is_named():
    wrong = "def softsign(z):\\n    return z / (1.0 + z)\\n"
    graded, _ = grade_cells(LAB, solution_cells(LAB) + [wrong], functions={"softsign"})
    score, top, outputs = graded["softsign"]
    assert score < top and "the absolute value is missing" in "\\n".join(outputs)
'''

MUTANTS = '''"""Mutants and valid alternatives of $lab (see nngrade/mutants.py)."""
from nngrade import mistakes as M
from nngrade.mutants import Alternative, Mutant, replace

MUTANTS = [
    Mutant("softsign", "no absolute value", replace("np.abs(z)", "z"), expect="the absolute value is missing"),
    Mutant("softsign", "squares instead of the absolute value", replace("np.abs(z)", "z * z")),
    Mutant("softsign", "divides in place", replace("return z / (1.0 + np.abs(z))", "z /= 1.0 + np.abs(z)\\n    return z"),
           expect=M.IN_PLACE),
    Mutant("softsign", "float32", replace("dtype=np.float64", "dtype=np.float32"), expect="dtype float32"),
]

ALTERNATIVES = [
    Alternative("softsign", "a loop over the elements", """
def softsign(z):
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    for i, v in np.ndenumerate(z):
        out[i] = v / (1.0 + abs(v))
    return out
"""),
]
'''

NOTEBOOK = [      # (kind, text): string.Template text ($lab, $topic, $title; $$ is a dollar sign)
    ("md", r"""# $title

What this lab is about, in two or three sentences, and where it sits in the course notes.
Graded code may import NumPy, `scipy.special` and the standard library only."""),
    ("code", "import numpy as np"),
    ("md", r"""**Check as you go.** `check("name")` runs the grader's own checks on one function, and
`check()` the whole lab, with the same feedback as `make grade`."""),
    ("compare", 'from nngrade.selfcheck import check   # check("function_name") or check()'),
    ("md", r"""## 1. Softsign

$$$$\operatorname{softsign}(z) = \frac{z}{1 + |z|}$$$$

elementwise, for an array `z` of any shape; return a float64 array of the same shape."""),
    ("code", r'''def softsign(z):
    """z / (1 + |z|), elementwise: a float64 array of z's shape."""
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=np.float64)
    return z / (1.0 + np.abs(z))
    ### END SOLUTION'''),
    ("code", r"""# self-check
print(softsign(np.array([-3.0, 0.0, 1.0])), "should be [-0.75  0.    0.5 ]")"""),
    ("md", r"""## 2. Same thing in PyTorch and Keras

The grader's oracles, side by side (these cells are not graded)."""),
    ("compare", r"""import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import torch
import keras

z = np.array([-3.0, 0.0, 1.0])
print(torch.nn.functional.softsign(torch.tensor(z)).numpy())
print(np.asarray(keras.activations.softsign(z)))"""),
]


def files(lab: str, title: str) -> dict[str, str]:
    """{relative path: text} of the new lab (the notebook as JSON)."""
    m = NAME.match(lab)
    if not m:
        raise ValueError(f"a lab is named labNN_topic (two digits, lower case, underscores), not {lab!r}")
    values = {"lab": lab, "topic": m.group(2), "title": title}
    fill = lambda text: Template(text).substitute(values)      # noqa: E731
    nb = new_notebook([(kind, fill(text)) for kind, text in NOTEBOOK])
    return {
        f"solutions/{lab}.ipynb": dumps(nb),
        f"reference/{m.group(2)}.py": fill(ORACLES),
        f"nngrade/labs/{lab}/__init__.py": fill(PACKAGE),
        f"nngrade/labs/{lab}/checks.py": fill(CHECKS),
        f"tests/labs/{lab}/test_{lab}.py": fill(TESTS),
        f"tests/labs/{lab}/mutants.py": fill(MUTANTS),
    }


def scaffold(root: Path, lab: str, title: str | None = None) -> list[Path]:
    """Write the new lab's files under `root`, then its student notebook and the contract page."""
    from nngrade import labs
    m = NAME.match(lab)
    if m and m.group(1) in labs.discover():
        raise FileExistsError(f"there is a lab {m.group(1)} already: {labs.discover()[m.group(1)]}")
    title = title or f"Lab {lab[3:5]}: {lab[6:].replace('_', ' ').capitalize()}"
    written = files(lab, title)
    for rel in written:
        if (root / rel).exists():
            raise FileExistsError(f"{rel} exists: new-lab writes new files only")
    paths = []
    for rel, text in written.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths

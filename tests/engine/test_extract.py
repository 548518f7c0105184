"""Stage 2: what the AST filter keeps and drops."""
from nngrade.extract import extract, strip_magics


def sources(ex):
    return [u.source for u in ex.units]


def test_keeps_definitions_imports_and_constants():
    ex = extract(["import numpy as np\nC = np.sqrt(2 / np.pi)\n\ndef f(x):\n    return C * x\n",
                  "class Net:\n    pass\n"])
    assert sources(ex) == ["import numpy as np", "C = np.sqrt(2 / np.pi)",
                           "def f(x):\n    return C * x", "class Net:\n    pass"]


def test_drops_demo_calls_and_assignments_that_call_notebook_functions():
    ex = extract(["def train():\n    return 1\n", "history = train()\nprint(history)\ntrain()\n",
                  "for i in range(3):\n    pass\n", "X, y = load(return_X_y=True)\n"])
    assert sources(ex) == ["def train():\n    return 1", "X, y = load(return_X_y=True)"]


def test_a_later_definition_comes_later_so_it_wins():
    ex = extract(["def f():\n    return 1\n", "def f():\n    return 2\n"])
    assert [u.source for u in ex.units][-1].endswith("return 2")
    assert ex.functions["f"].source.endswith("return 2")


def test_syntax_error_skips_only_that_cell_with_a_message():
    ex = extract(["def f(:\n    pass\n", "def g():\n    return 1\n"])
    assert sources(ex) == ["def g():\n    return 1"]
    assert any("cell 1 has a syntax error" in m for m in ex.messages)


def test_forbidden_imports_are_dropped_and_their_users_found_through_helpers():
    ex = extract(["import torch\nimport torch.nn.functional as F\nfrom keras import ops\n",
                  "def helper(z):\n    return F.relu(z)\n", "def relu(z):\n    return helper(z)\n",
                  "def clean(z):\n    return z\n",
                  "def sneaky(z):\n    m = __import__('torch')\n    return m.relu(z)\n"])
    assert all("torch" not in s and "keras" not in s for s in sources(ex) if not s.startswith("def"))
    assert ex.uses_forbidden("relu") == "torch.nn.functional"
    assert ex.uses_forbidden("clean") is None
    assert ex.uses_forbidden("sneaky") == "torch"
    assert sum("was not run" in m for m in ex.messages) == 3


def test_magics_and_shell_escapes_do_not_break_a_cell():
    assert strip_magics("%matplotlib inline\nx = 1") == "pass  # %matplotlib inline\nx = 1"
    assert strip_magics("%%bash\nls") is None
    ex = extract(["%matplotlib inline\n!pip install foo\ndef f():\n    return 1\n", "%%timeit\nf()\n"])
    assert sources(ex) == ["def f():\n    return 1"]


def test_two_statements_on_one_line_are_kept_apart():
    ex = extract(["import numpy as np; history = train()\ndef train():\n    return 1\n"])
    assert sources(ex) == ["import numpy as np", "def train():\n    return 1"]


def test_monkeypatching_assignment_is_kept_but_lives_in_the_worker():
    ex = extract(["import numpy\nnumpy.allclose = lambda *a, **k: True\n"])
    assert "numpy.allclose = lambda *a, **k: True" in sources(ex)


NOTEBOOK = [
    "import numpy as np\nimport matplotlib.pyplot as plt\nfrom scipy.special import erf as _erf\n",
    "EPS = 1e-12\nSCALE = np.sqrt(2.0)\nfig, ax = plt.subplots()\nunused = 3\n",
    "def _helper(z):\n    return _erf(z / SCALE)\n",
    "def gelu(z):\n    return 0.5 * z * (1 + _helper(z))\n",
    "def plot_gelu():\n    plt.plot(np.linspace(-3, 3), gelu(np.linspace(-3, 3)))\n",
    "class Adam:\n    lr = 0.1\n", "Adam.lr = 0.001\n", "EPS += 1e-13\n",
    "def loss(p):\n    return -np.log(p + EPS)\n",
]


def test_only_what_the_graded_functions_need_runs():
    ex = extract(NOTEBOOK)
    assert sources_of(ex.needed_by({"gelu"})) == [
        "import numpy as np", "from scipy.special import erf as _erf", "SCALE = np.sqrt(2.0)",
        "def _helper(z):\n    return _erf(z / SCALE)", "def gelu(z):\n    return 0.5 * z * (1 + _helper(z))"]
    # a class modified at the top level, and a constant changed in place, keep those statements
    assert sources_of(ex.needed_by({"Adam", "loss"})) == [
        "import numpy as np", "EPS = 1e-12", "class Adam:\n    lr = 0.1", "Adam.lr = 0.001", "EPS += 1e-13",
        "def loss(p):\n    return -np.log(p + EPS)"]
    # matplotlib is not for graded code: its import never runs, and a function using it is found
    assert not any("import matplotlib" in s for s in sources_of(ex.units))
    assert ex.uses_forbidden("plot_gelu") == "matplotlib.pyplot" and ex.uses_forbidden("gelu") is None


def test_names_looked_up_at_run_time_keep_every_statement():
    ex = extract(NOTEBOOK + ["def dispatch(name, z):\n    return globals()[name](z)\n"])
    assert ex.needed_by({"dispatch"}) == ex.units
    star = extract(["from numpy import *\n", "fig = figure()\n", "def f(x):\n    return sqrt(x)\n"])
    assert sources_of(star.needed_by({"f"})) == ["from numpy import *", "def f(x):\n    return sqrt(x)"]


def sources_of(units):
    return [u.source for u in units]

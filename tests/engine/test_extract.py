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

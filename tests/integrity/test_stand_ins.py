"""Issue: grades that cannot be forged. While one function is graded, the other graded functions
of its lab are the grader's stand-ins, each call a request to the grader. A notebook without a
single implementation, whose every function finds a stand-in (through `gc`, the way graded code
can) and asks it for its own answer or any other function's, earns nothing; a correct function
that calls another graded function by name still gets the grader's answer for it."""
from __future__ import annotations

import pytest

from conftest import grade_cells, solution_cells
from nngrade.config import Limits
from nngrade.contract import FUNCTIONS
from nngrade.stand_ins import substitutes

FORGER = '''import gc

def _forge(name, *args, **kwargs):
    """Ask every stand-in the worker holds for `name`'s answer, then for each other one's."""
    for s in [o for o in gc.get_objects() if type(o).__name__ == "OracleStandIn"]:
        for ask in [name] + {others!r}:
            try:
                return type(s)(s.worker, ask)(*args, **kwargs)
            except Exception:
                pass
    return None
'''

FUNCTION = '''def {name}(*args, **kwargs):
    return _forge({name!r}, *args, **kwargs)
'''

CLASS = '''class {name}:
    def __init__(self, *args, **kwargs):
        self.seen = []
    def update_state(self, *args, **kwargs):
        self.seen.append((args, kwargs))
    def reset_state(self):
        self.seen = []
    def result(self):
        args, kwargs = self.seen[-1] if self.seen else ((), {{}})
        return _forge({name!r}, *args, **kwargs)
    def __call__(self, *args, **kwargs):
        return _forge({name!r}, *args, **kwargs)
'''


def forged_notebook(lab):
    others = sorted(substitutes(lab))
    cells = [FORGER.format(others=others)]
    for name in FUNCTIONS[lab]:
        cells.append((CLASS if name[0].isupper() else FUNCTION).format(name=name))
    return cells


@pytest.mark.parametrize("lab", ["lab02_activations", "lab05_backprop", "lab07_metrics"])
def test_a_notebook_that_only_asks_the_stand_ins_earns_nothing(lab):
    assert substitutes(lab), f"{lab} has no stand-ins: this test tests nothing there"
    scores, _ = grade_cells(lab, forged_notebook(lab))
    earned = {fn: s for fn, (s, _, _) in scores.items() if s > 0}
    assert not earned, f"forged answers earned points: {earned}"
    # (the stand-ins include other labs' functions this lab's notebook may define: asked for too)
    refused = [t for fn in substitutes(lab) if fn in scores for t in scores[fn][2] if "asked the grader for" in t]
    assert refused, "the stand-ins' refusals are not in the feedback"


def test_a_function_that_calls_another_by_name_gets_the_graders_answer_for_it():
    """sigmoid_grad written as s * (1 - s) with s = sigmoid(z): full marks although `sigmoid`
    itself only raises, because the grader answers for `sigmoid` while `sigmoid_grad` is graded."""
    cells = solution_cells("lab02_activations") + [
        "def sigmoid(z):\n    raise NotImplementedError\n",
        "def sigmoid_grad(z):\n    s = sigmoid(z)\n    return s * (1 - s)\n"]
    scores, _ = grade_cells("lab02_activations", cells, functions={"sigmoid", "sigmoid_grad"})
    assert scores["sigmoid"][0] == 0
    assert scores["sigmoid_grad"][0] == scores["sigmoid_grad"][1] > 0, scores["sigmoid_grad"][2]


def test_stand_in_calls_per_call_are_capped():
    """A function that calls another graded function element by element makes one request per
    element; past the cap (20,000 by default, 3 here) the check fails and says why."""
    cells = solution_cells("lab02_activations") + [
        "def sigmoid_grad(z):\n    z = np.asarray(z, dtype=float)\n"
        "    s = np.array([sigmoid(v) for v in z.ravel()]).reshape(z.shape)\n    return s * (1 - s)\n"]
    scores, _ = grade_cells("lab02_activations", cells, functions={"sigmoid_grad"},
                            limits=Limits(stand_in_calls=3))
    score, _, texts = scores["sigmoid_grad"]
    assert score == 0
    assert any("more than 3 times in one call" in t for t in texts), "\n".join(texts)[:800]

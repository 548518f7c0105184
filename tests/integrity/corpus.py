"""A corpus of broken and hostile lab02 submissions, each with the outcome it must get.

`zero`: the functions that must earn nothing (ALL for the whole notebook); every other
function keeps all its points. `message`: a phrase the feedback must contain.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from conftest import ROOT, solution_cells

LAB = "lab02_activations"
ALL = "ALL"
SOLUTIONS_FILE = ROOT / "solutions" / f"{LAB}.ipynb"


@dataclass
class Bad:
    name: str
    zero: object                 # a set of function names, or ALL
    message: str
    cells: list = field(default_factory=list)   # appended to the solution's cells
    raw: str | None = None       # the file's whole text, instead of a notebook
    base: bool = True            # start from the solution's cells
    partial: bool = False        # the functions concerned lose points, not necessarily all


def replace_in_solution(old, new):
    return [c.replace(old, new) for c in solution_cells(LAB)]


def corpus(results_file) -> list[Bad]:
    return [
        Bad("not_json", ALL, "not valid JSON", raw="{ this is not json"),
        Bad("json_not_notebook", ALL, "not a Jupyter notebook", raw=json.dumps({"cells?": 1, "x": [1]})),
        Bad("no_code", ALL, "is not defined", base=False),
        Bad("syntax_error_in_one_cell", {"tanh", "tanh_grad"}, "syntax error",
            cells=[], raw=None, base=False),   # filled in below
        Bad("missing_function", {"gaussian"}, "`gaussian` is not defined",
            cells=replace_in_solution("def gaussian(z):", "def gausian(z):"), base=False),
        Bad("wrong_signature", {"relu"}, "check its signature", ["def relu(z, alpha):\n    return z\n"]),
        Bad("raises", {"tanh"}, "raised ValueError", ["def tanh(z):\n    raise ValueError('oops')\n"]),
        # a right answer of the wrong type costs the types check only (the value checks read the values)
        Bad("returns_list", {"relu"}, "got a list", ["def relu(z):\n    return [max(v, 0.0) for v in z.ravel()]\n"],
            partial=True),
        Bad("returns_float32", {"tanh"}, "dtype float32",
            ["def tanh(z):\n    return np.tanh(z).astype(np.float32)\n"], partial=True),
        Bad("wrong_shape", {"softmax"}, "has shape",
            ["def softmax(z, axis=-1):\n    e = np.exp(z - z.max())\n    return (e / e.sum()).ravel()\n"]),
        Bad("returns_nan", {"gaussian"}, "nan", ["def gaussian(z):\n    return np.full(np.shape(z), np.nan)\n"],
            partial=True),      # the right type and shape: NaN values cost the value checks
        Bad("always_equal_object", {"relu"}, "`AlwaysEqual` object",
            ["class AlwaysEqual:\n    def __eq__(self, o): return True\n    def __float__(self): return 0.0\n",
             "def relu(z):\n    return AlwaysEqual()\n"]),
        Bad("lying_ndarray_subclass", {"tanh"}, "ndarray subclass",
            ["class Liar(np.ndarray):\n    def __eq__(self, o): return np.ones(np.shape(o), bool)\n"
             "    def __array__(self, *a, **k): return np.tanh(self.view(np.ndarray))\n",
             "def tanh(z):\n    return np.zeros_like(z).view(Liar)\n"]),
        Bad("mutates_input", {"relu"}, "modified z in place",
            ["def relu(z):\n    z[z < 0] = 0.0\n    return z\n"],
            partial=True),      # the right values: the types check owns the contract (Check.owns_contract)
        Bad("prints_megabytes", {"identity"}, "printed",
            ["def identity(z):\n    print('x' * 3_000_000)\n    return np.array(z, dtype=float)\n"]),
        Bad("loops_forever", {"gaussian_grad"}, "infinite loop", ["def gaussian_grad(z):\n    while True:\n        pass\n"]),
        Bad("allocates_without_bound", {"identity"}, "memory",
            ["def identity(z):\n    keep = []\n    while True:\n        keep.append(np.empty(10**8))\n"]),
        Bad("calls_sys_exit", {"relu"}, "sys.exit", ["import sys\ndef relu(z):\n    sys.exit(1)\n"]),
        Bad("calls_os_exit", {"relu_grad"}, "worker process ended", ["import os\ndef relu_grad(z):\n    os._exit(0)\n"]),
        Bad("kills_parent", {"elu"}, "not allowed",
            ["import os, signal\ndef elu(z, alpha=1.0):\n    os.kill(os.getppid(), signal.SIGKILL)\n    return z\n"]),
        Bad("kills_everything", {"selu"}, "not allowed",
            ["import os, signal\ndef selu(z):\n    os.kill(-1, signal.SIGKILL)\n    return z\n"]),
        Bad("forks", {"silu"}, "not allowed",
            ["import os\ndef silu(z):\n    if os.fork() == 0:\n        os._exit(0)\n    return z * 0\n"]),
        Bad("patches_numpy_math_builtins", {"tanh"}, "wrong values",
            ["import numpy, math, builtins\nnumpy.allclose = lambda *a, **k: True\n"
             "numpy.isclose = lambda *a, **k: True\nnumpy.array_equal = lambda *a, **k: True\n"
             "math.isclose = lambda *a, **k: True\nbuiltins.abs = lambda x: 0\n",
             "def tanh(z):\n    return np.asarray(z, dtype=float) * 0.5\n"], partial=True),
        # the patched worker can only send garbage: the statement is reported and skipped, and
        # the restarted worker runs everything else as if it had not been there (a graded function
        # reads `sys`, so the patch is among the statements that run)
        Bad("patches_the_grader_modules", set(), "WorkerDied",
            ["import sys\nsys.modules['nngrade.wire'].encode = lambda obj: b'forged'\n",
             "_relu = relu\ndef relu(z):\n    assert sys.modules\n    return _relu(z)\n"]),
        Bad("imports_grader_modules", {"relu"}, "",
            ["import nngrade.compare\n",
             "def relu(z):\n    import reference.activations as r\n    return r.Torch.relu(z)\n"]),
        Bad("reads_the_solutions", {"relu"}, "may not read",
            [f"def relu(z):\n    text = open({str(SOLUTIONS_FILE)!r}).read()\n    return np.maximum(z, 0.0)\n"]),
        Bad("writes_the_results_file", {"relu_grad"}, "may not write",
            [f"def relu_grad(z):\n    open({str(results_file)!r}, 'w').write('{{\"score\": 999}}')\n"
             "    return (np.asarray(z) > 0).astype(float)\n"]),
        Bad("imports_torch", {"sigmoid"}, "uses `torch`",
            ["import torch\ndef sigmoid(z):\n    return torch.sigmoid(torch.tensor(z)).numpy()\n"]),
        Bad("imports_autograd_dynamically", {"tanh"}, "uses `autograd`",
            ["def tanh(z):\n    ag = __import__('autograd')\n    return ag.numpy.tanh(z)\n"]),
        # while one function is graded the others are the grader's stand-ins; a stand-in built
        # by graded code, or one asked for a function it does not call, gets no answer
        Bad("asks_a_stand_in_for_its_own_answer", {"tanh"}, "its own expected answer",
            ["def tanh(z):\n    s = sigmoid\n    return type(s)(s.worker, 'tanh')(z)\n"]),
        Bad("finds_a_stand_in_through_gc", {"relu"}, "its own expected answer",
            ["import gc\n",
             "def relu(z):\n    s = next(o for o in gc.get_objects() if type(o).__name__ == 'OracleStandIn')\n"
             "    return type(s)(s.worker, 'relu')(z)\n"]),
        Bad("asks_for_a_function_it_does_not_call", {"tanh"}, "which it does not call by name",
            ["import gc\n",
             "def tanh(z):\n    s = next(o for o in gc.get_objects() if type(o).__name__ == 'OracleStandIn')\n"
             "    try:\n        return 2 * type(s)(s.worker, 'sigmoid')(2 * z) - 1\n"
             "    except Exception:\n        return np.tanh(z) * 0\n"]),
        Bad("writes_a_callback_frame_itself", {"silu"}, "its own expected answer",
            ["import gc\n",
             "def silu(z):\n    w = next(o for o in gc.get_objects() if type(o).__name__ == 'Worker')\n"
             "    send = next(o for o in gc.get_objects() if type(o).__name__ == 'OracleStandIn').__call__\n"
             "    wire = send.__func__.__globals__['wire']\n"
             "    wire.send(w.wfd, {'callback': 'silu', 'args': (z,), 'kwargs': {}})\n"
             "    reply = wire.recv(w.rfd)\n"
             "    return reply.get('value', z)\n"]),
        Bad("looks_its_helpers_up_with_globals", {"sigmoid_grad"}, "looks names up at run time",
            ["def sigmoid_grad(z):\n    s = globals()['sigmoid'](z)\n    return s * (1 - s)\n"]),
        Bad("hard_codes_the_visible_example", {"softmax"}, "has shape",
            ["def softmax(z, axis=-1):\n    return np.array([0.09003057, 0.24472847, 0.66524096])\n"]),
    ]


def syntax_error_cells():
    cells = solution_cells(LAB)
    i = next(k for k, c in enumerate(cells) if "def tanh(z):" in c)
    cells[i] = cells[i] + "\n    return )\n"
    return cells

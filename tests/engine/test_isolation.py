"""What a submission does in its worker cannot change a grade: it loses exactly the points of
the functions concerned, and grading goes on (issue: foundation, integrity)."""
import textwrap

from conftest import grade_cells, solution_cells

LAB = "lab02_activations"


def grade_with(*extra, functions=None):
    scores, _ = grade_cells(LAB, solution_cells(LAB) + [textwrap.dedent(c) for c in extra], functions)
    return scores


def lost(scores):
    return {f for f, (s, m, _) in scores.items() if s < m}


def test_patching_numpy_allclose_in_the_notebook_earns_nothing_extra():
    scores = grade_with("""
        import numpy
        numpy.allclose = lambda *a, **k: True
        numpy.testing.assert_allclose = lambda *a, **k: None
        def tanh(z):
            return 1.0 / (1.0 + numpy.exp(-numpy.asarray(z, dtype=float)))   # sigmoid, not tanh
        """)
    assert lost(scores) == {"tanh"}
    assert scores["tanh"][0] == 1  # only its types-and-shapes check passes


def test_always_equal_object_earns_nothing():
    scores = grade_with("""
        class AlwaysEqual:
            shape = (5,)
            dtype = 'float64'
            def __eq__(self, other): return True
            def __ne__(self, other): return False
            def __array__(self, *a, **k):
                import numpy
                return numpy.zeros(5)
        def relu(z):
            return AlwaysEqual()
        """)
    assert lost(scores) == {"relu"} and scores["relu"][0] == 0
    assert "should be a numpy.ndarray, got a `AlwaysEqual` object" in "\n".join(scores["relu"][2])


def test_lying_ndarray_subclass_earns_nothing():
    scores = grade_with("""
        import numpy as np
        class Liar(np.ndarray):
            def __eq__(self, other): return np.ones(np.shape(other), bool)
            def __array__(self, *a, **k): return np.asarray(np.tanh(self.view(np.ndarray)))
        def tanh(z):
            return np.zeros_like(z).view(Liar)
        """)
    assert lost(scores) == {"tanh"} and scores["tanh"][0] == 0
    assert "ndarray subclass `Liar`" in "\n".join(scores["tanh"][2])


def test_infinite_loop_times_out_and_the_rest_is_graded():
    scores = grade_with("""
        def tanh_grad(z):
            while True:
                pass
        """, functions={"tanh_grad", "relu", "softmax"})
    assert lost(scores) == {"tanh_grad"} and scores["tanh_grad"][0] == 0
    out = "\n".join(scores["tanh_grad"][2])
    assert "did not return within" in out and "infinite loop" in out


def test_exit_and_os_exit_and_kill_cost_only_their_function():
    scores = grade_with("""
        import os, sys, signal
        def relu(z):
            sys.exit(3)
        def relu_grad(z):
            os._exit(1)
        def elu(z, alpha=1.0):
            os.kill(os.getppid(), signal.SIGKILL)
            return z
        def selu(z):
            os.kill(os.getpid(), signal.SIGKILL)
        """, functions={"relu", "relu_grad", "elu", "selu", "sigmoid"})
    assert {"relu", "relu_grad", "selu"} <= lost(scores)
    assert scores["sigmoid"][0] == scores["sigmoid"][1]
    assert "sys.exit" in "\n".join(scores["relu"][2])
    assert "worker process ended" in "\n".join(scores["relu_grad"][2])


def test_mutating_the_input_is_reported_even_when_the_value_is_right():
    scores = grade_with("""
        import numpy as np
        def relu(z):
            z[z < 0] = 0.0
            return z.astype(np.float64)
        """, functions={"relu"})
    assert scores["relu"][0] < scores["relu"][1]
    assert "modified z in place" in "\n".join(scores["relu"][2])


def test_framework_use_earns_nothing_with_a_reason():
    scores = grade_with("""
        import torch
        def sigmoid(z):
            return torch.sigmoid(torch.tensor(z)).numpy()
        def tanh(z):
            mod = __import__("torch")
            return mod.tanh(mod.tensor(z)).numpy()
        """, functions={"sigmoid", "tanh", "relu"})
    assert lost(scores) == {"sigmoid", "tanh"}
    assert scores["sigmoid"][0] == 0 and scores["tanh"][0] == 0
    assert "uses `torch`" in "\n".join(scores["sigmoid"][2])


def test_a_fork_is_refused_and_costs_only_its_function():
    scores = grade_with("""
        import os
        import numpy as np
        def gaussian(z):
            pid = os.fork()
            return np.exp(-np.asarray(z, dtype=np.float64) ** 2)
        """, functions={"gaussian", "tanh"})
    assert lost(scores) == {"gaussian"} and scores["gaussian"][0] == 0
    assert "os.fork is not allowed" in "\n".join(scores["gaussian"][2])

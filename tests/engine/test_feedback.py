"""Feedback for a student at midnight: the diagnosis names the mistake, the failing input is
shown, and speed is a note, never a point loss."""
import textwrap

from conftest import grade_cells, solution_cells

LAB = "lab02_activations"


def outputs(scores, fn):
    return "\n".join(scores[fn][2])


def test_a_slow_but_correct_function_keeps_its_points_and_gets_a_note():
    slow = textwrap.dedent("""
        import math
        def tanh(z):
            z = np.asarray(z, dtype=np.float64)
            out = np.empty_like(z)
            for i in np.ndindex(z.shape):
                x = float(z[i])
                for _ in range(400):      # some busy work per element: far slower than NumPy
                    x = x + 0.0
                out[i] = math.tanh(x)
            return out
        """)
    scores, res = grade_cells(LAB, solution_cells(LAB) + [slow], functions={"tanh"})
    assert scores["tanh"][0] == scores["tanh"][1]
    notes = [n for r in res.results for n in r.notes]
    assert any("speed costs no points" in n and "(300, 300)" in n for n in notes), notes


def test_the_failing_input_expected_got_errors_and_tolerance_are_all_shown():
    wrong = "def sigmoid_grad(z):\n    return sigmoid(z)\n"
    scores, _ = grade_cells(LAB, solution_cells(LAB) + [wrong], functions={"sigmoid_grad"})
    text = outputs(scores, "sigmoid_grad")
    for phrase in ("input: z = ", "expected (PyTorch):", "got:", "max abs error", "max rel error",
                   "times over the tolerance |got - expected| <=", "likely mistake:"):
        assert phrase in text, phrase


def test_generic_diagnoses_name_sign_factor_and_batch_size():
    cells = solution_cells(LAB) + [
        "def tanh_grad(z):\n    t = np.tanh(np.asarray(z, dtype=float))\n    return -(1 - t * t)\n",
        "def gaussian_grad(z):\n    z = np.asarray(z, dtype=float)\n    return -4 * z * np.exp(-z * z)\n"]
    scores, _ = grade_cells(LAB, cells, functions={"tanh_grad", "gaussian_grad"})
    assert "opposite sign" in outputs(scores, "tanh_grad")
    assert "exactly 2 times too large" in outputs(scores, "gaussian_grad")

"""`check()` as a student runs it: in a real kernel (nbclient), reading the cells' outputs. It
grades the saved file, prints one short report of the asked functions and nothing else, agrees
with `make grade` on the same file and seed, says so when the kernel's code is not the file's
(and only then), numbers cells as JupyterLab does, and answers a mistyped name in one line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import types

import pytest

from conftest import ROOT
from nngrade.registry import LABS     # {"01": "lab01_neurons", ...}
from nngrade.notebooks import KERNEL

LAB = "lab02_activations"
IMPORT = "from nngrade.selfcheck import check"
SAVED = [  # (kind, source, tags): what the file on disk holds
    ("markdown", "# Lab 02", []),
    ("code", IMPORT, ["not-graded"]),
    ("code", "import numpy as np", []),
    ("markdown", "## relu and tanh", []),
    ("code", "def relu(z):\n    return np.maximum(np.asarray(z, dtype=np.float64), 0.0)\n", []),
    ("code", "def tanh(z):\n    return 2 * np.tanh(np.asarray(z, dtype=np.float64))   # wrong\n", []),
    ("code", "def relu_torch(z):\n    import torch\n    return torch.relu(torch.as_tensor(z)).numpy()\n", ["not-graded"]),
]
RAN_AFTER = [  # what the student runs after saving (never saved)
    'check("relu", "tanh", seed=4)',
    "def relu(z):\n    return z      # changed, not saved",
    'check("relu", seed=4)',
    'check("relu_gard")',
    'check(lab="42")',
    'r = check("tanh", seed=4)',
    "r",
    "print(repr(r))",
]


def notebook(cells):
    import nbformat
    out = []
    for kind, src, tags in cells:
        cell = nbformat.v4.new_code_cell(src) if kind == "code" else nbformat.v4.new_markdown_cell(src)
        cell.metadata["tags"] = tags
        out.append(cell)
    nb = nbformat.v4.new_notebook(cells=out)
    nb.metadata["kernelspec"] = dict(KERNEL)
    return nb


def execute(nb, cwd, env=None):
    import nbclient
    nbclient.NotebookClient(nb, timeout=600, kernel_name=KERNEL["name"],
                            resources={"metadata": {"path": str(cwd)}}).execute(env=env or dict(os.environ))
    return nb


def outputs(cell):
    """(kind, text) of each output: `stdout`, `stderr`, `result` (the cell's value), `error`."""
    out = []
    for o in cell.outputs:
        if o.output_type == "stream":
            out.append((o.name, o.text))
        elif o.output_type == "execute_result":
            out.append(("result", o.data.get("text/plain", "")))
        else:
            out.append((o.output_type, str(o.get("evalue", o.get("data", "")))))
    return out


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """The saved file, and the notebook as executed: the saved cells, then RAN_AFTER."""
    import nbformat
    folder = tmp_path_factory.mktemp("student")
    path = folder / f"{LAB}.ipynb"
    nbformat.write(notebook(SAVED), path)
    nb = execute(notebook(SAVED + [("code", c, []) for c in RAN_AFTER]), folder)
    return path, {src: outputs(cell) for src, cell in zip(RAN_AFTER, nb.cells[len(SAVED):])}


def test_check_prints_one_short_report_of_the_asked_functions_and_nothing_else(ran):
    _, out = ran
    got = out['check("relu", "tanh", seed=4)']
    assert [kind for kind, _ in got] == ["stdout"], got          # no value shown, no warnings, no stderr
    text = got[0][1]
    rows = [line.split()[1] for line in text.splitlines() if line.startswith(("  ok ", "  -- ", "  ~  "))]
    assert sorted(rows) == ["relu", "tanh"]                     # the asked functions only
    assert f"{LAB} ({LAB}.ipynb)" in text and "What to fix" in text and "[lab02_activations] tanh" in text
    assert "check(..., seed=4) grades the same inputs again" in text
    for noise in ("save the notebook", "Sandbox:", "Results written", "was not run", "torch", "{'score'"):
        assert noise not in text, noise
    assert len(text) < 4000


def test_check_agrees_with_make_grade_on_the_saved_file(ran, tmp_path):
    path, out = ran
    res = tmp_path / "r.json"
    subprocess.run([sys.executable, "-m", "nngrade", "grade", "--submission", str(path.parent), "--lab", "02",
                    "--function", "relu", "--function", "tanh", "--seed", "4", "--out", str(res)], cwd=ROOT,
                   check=True, capture_output=True, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
    official = json.loads(res.read_text())
    text = out['check("relu", "tanh", seed=4)'][0][1]
    for fn in ("relu", "tanh"):
        score = sum(t["score"] for t in official["tests"] if t["name"].startswith(f"{LAB}.{fn}:"))
        top = sum(t["max_score"] for t in official["tests"] if t["name"].startswith(f"{LAB}.{fn}:"))
        row = next(line for line in text.splitlines() if line.split()[1:2] == [fn])
        assert row.split()[2] == f"{score:g}/{top:g}", row
    assert 0 < official["score"] < official["max_score"]
    assert f"Total: {official['score']:g}/{official['max_score']:g}" in text


def test_an_unsaved_change_is_named_with_its_cell_and_the_saved_file_is_graded(ran):
    _, out = ran
    got = out['check("relu", seed=4)']
    assert [kind for kind, _ in got] == ["stdout"], got
    text = got[0][1]
    first = text.splitlines()[0]
    # relu is the fifth cell in JupyterLab (markdown counts): the saved, correct one is graded
    assert first.startswith("! save the notebook: the grader reads the file. This kernel's `relu` (cell 5) is not "
                            f"what {LAB}.ipynb holds"), first
    assert "relu_torch" not in text and "tanh" not in first
    assert "  ok relu" in text


@pytest.mark.parametrize("call, said", [
    ('check("relu_gard")', "no graded function `relu_gard` in lab02_activations; did you mean `relu_grad`?"),
    ('check(lab="42")', "no lab '42': the labs are " + ", ".join(sorted(LABS))),
])
def test_a_mistyped_name_gets_one_line(ran, call, said):
    _, out = ran
    got = out[call]
    assert [kind for kind, _ in got] == ["stdout"], got
    assert got[0][1].strip().startswith(said) and len(got[0][1].strip().splitlines()) == 1, got


def test_the_returned_report_shows_again_in_a_later_cell_and_its_repr_is_one_line(ran):
    _, out = ran
    assert out['r = check("tanh", seed=4)'][0][1] == out["r"][0][1]      # the same report, shown again
    total = out["r"][0][1].split("Total: ")[1].split()[0]
    assert out["print(repr(r))"] == [("stdout", f"<check {LAB}: {total} from the saved {LAB}.ipynb>\n")]


def test_the_notebook_the_server_names_is_graded_not_another_in_the_folder(tmp_path):
    """JupyterLab's Duplicate, opened and worked in: `JPY_SESSION_NAME` (relative to the server's
    root, as jupyter_server sets it) names it; the original beside it is blank."""
    import nbformat
    labs = tmp_path / "labs"
    labs.mkdir()
    nbformat.write(notebook(SAVED[:5]), labs / f"{LAB}-Copy1.ipynb")
    nbformat.write(notebook(SAVED[:3]), labs / f"{LAB}.ipynb")      # no relu in it
    nb = execute(notebook([("code", IMPORT, []), ("code", 'check("relu", seed=1)', [])]), labs,
                 env=dict(os.environ, JPY_SESSION_NAME=f"labs/{LAB}-Copy1.ipynb"))
    text = "".join(t for _, t in outputs(nb.cells[1]))
    assert f"({LAB}-Copy1.ipynb)" in text and "  ok relu" in text, text


def fake_shell(monkeypatch, user_ns):
    from nngrade import selfcheck
    monkeypatch.setattr(selfcheck, "_shell", lambda: types.SimpleNamespace(user_ns=user_ns, execution_count=7))


def test_vs_code_names_its_notebook_in_the_kernel(tmp_path, monkeypatch):
    from nngrade import selfcheck
    mine = tmp_path / "work" / f"{LAB}.ipynb"
    mine.parent.mkdir()
    mine.write_text("{}")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    fake_shell(monkeypatch, {"__vsc_ipynb_file__": str(mine), "In": [""]})
    assert selfcheck.locate(("relu",)) == (LAB, mine, [])


def test_on_colab_the_notebook_colab_holds_is_graded(tmp_path, monkeypatch):
    """Colab keeps the notebook in the browser and Drive; its kernel channel hands over the JSON
    (`get_ipynb`, answered as Colab answers it: {"ipynb": <the notebook>}). A stand-in for that
    channel: this is the path through check(), not Colab itself."""
    import nbformat
    from nngrade import selfcheck
    saved = json.loads(nbformat.writes(notebook(SAVED)))
    colab = types.ModuleType("google.colab")
    colab._message = types.SimpleNamespace(blocking_request=lambda kind, request="", timeout_sec=0:
                                           {"ipynb": saved} if kind == "get_ipynb" else None)
    monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    lab, path, notes = selfcheck.locate(("relu",))
    assert lab == LAB and json.loads(path.read_text()) == saved and "as Colab holds it" in notes[0]

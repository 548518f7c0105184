"""A mistyped lab or function: one line that says so (and what was meant), exit code 2, no
traceback, nothing graded; never a silent 0/0. And what `grade` grades when no folder is named."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from nngrade.registry import LABS     # {"01": "lab01_neurons", ...}


def grade(*args):
    p = subprocess.run([sys.executable, "-m", "nngrade", "grade", "--out", "/dev/null", *args], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


@pytest.mark.parametrize("args, said", [
    (["--lab", "03", "--function", "msee"], "no graded function `msee` in lab03_losses; did you mean `mse`?"),
    (["--lab", "02", "--function", "relu", "--function", "sigmoid_gard"],
     "no graded function `sigmoid_gard` in lab02_activations; did you mean `sigmoid_grad`?"),
    (["--lab", "42"], "no lab '42': the labs are " + ", ".join(sorted(LABS))),
    (["--lab", "lab99_extra"], "no lab 'lab99_extra'"),
])
def test_the_command_line_says_what_is_unknown_in_one_line(args, said):
    code, out, err = grade(*args)
    assert code == 2
    assert said in err and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err + out and "Total" not in out


def test_a_name_far_from_every_function_lists_the_labs_functions():
    code, _, err = grade("--lab", "01", "--function", "zzz")
    assert code == 2
    assert "no graded function `zzz` in lab01_neurons; its functions are: mp_neuron, perceptron" in err, err


def test_without_a_folder_grade_takes_labs_where_there_is_one_else_the_current_folder(tmp_path, monkeypatch):
    from pathlib import Path
    from nngrade.cli import _submission
    monkeypatch.chdir(tmp_path)
    assert _submission(None) == Path(".") and _submission("x") == Path("x")
    (tmp_path / "labs").mkdir()
    assert _submission(None).name == "labs"

"""Which notebook is graded for a lab: its own name at the top of the submission; else the one
`labNN*` notebook there (of two, the newer, said in the report); JupyterLab's Duplicate, backups,
sub-folders and checkpoints only when nothing else matches. The report names, by path relative
to the submission, what it graded and what it ignored. Cells are numbered as JupyterLab shows
them (every cell, from 1)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, write_notebook
from nngrade import load

LAB = "lab03_losses"


def put(folder, rel, age_seconds, source=ROOT / "labs" / f"{LAB}.ipynb"):
    """A copy of `source` at folder/rel, last written `age_seconds` ago."""
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, path)
    t = 1_800_000_000 - age_seconds
    os.utime(path, (t, t))
    return path


def graded(folder, lab=LAB):
    nb = load.find(folder, [lab])[lab]
    return nb.path.relative_to(folder).as_posix(), " | ".join(nb.notes)


@pytest.mark.parametrize("newer", ["lab03_losses-Copy1.ipynb", "backup/lab03_losses.ipynb",
                                   ".ipynb_checkpoints/lab03_losses-checkpoint.ipynb", "old/lab03_losses.ipynb",
                                   "lab03_losses.bak.ipynb", "lab03_losses_backup.ipynb", "lab03_mine.ipynb"])
def test_the_notebook_named_after_the_lab_wins_over_a_newer_copy_backup_or_sub_folder(tmp_path, newer):
    put(tmp_path, "lab03_losses.ipynb", 600)
    put(tmp_path, newer, 10)
    path, notes = graded(tmp_path)
    assert path == "lab03_losses.ipynb"
    assert f"graded lab03_losses.ipynb; ignored {newer} (" in notes, notes


def test_every_ignored_candidate_is_named_with_the_reason(tmp_path):
    put(tmp_path, "lab03_losses.ipynb", 600)
    for rel in ("lab03_losses-Copy1.ipynb", "backup/lab03_losses.ipynb", ".ipynb_checkpoints/lab03_losses-checkpoint.ipynb"):
        put(tmp_path, rel, 10)
    _, notes = graded(tmp_path)
    for rel, why in (("lab03_losses-Copy1.ipynb", "a copy, by its name"), ("backup/lab03_losses.ipynb", "in a sub-folder"),
                     (".ipynb_checkpoints/lab03_losses-checkpoint.ipynb", "a Jupyter checkpoint")):
        assert f"{rel} ({why})" in notes, notes


@pytest.mark.parametrize("older_first", [True, False])
def test_of_two_plain_candidates_at_the_top_the_newer_is_graded_and_the_report_says_so(tmp_path, older_first):
    """The contract: `lab02_activations (1).ipynb` is lab02; with two candidates the newer is graded."""
    a, b = "lab03_losses (1).ipynb", "lab03_losses (2).ipynb"
    put(tmp_path, a, 600 if older_first else 10)
    put(tmp_path, b, 10 if older_first else 600)
    put(tmp_path, "lab03_losses-Copy1.ipynb", 1)           # newest of all, but a copy
    newest, other = (b, a) if older_first else (a, b)
    path, notes = graded(tmp_path)
    assert path == newest
    assert f"2 notebooks match lab03: graded the newest, {newest} (also found: {other})" in notes, notes
    assert "ignored lab03_losses-Copy1.ipynb (a copy, by its name)" in notes


@pytest.mark.parametrize("present, expected", [
    (["lab03_losses-Copy1.ipynb", "backup/lab03_losses.ipynb"], "lab03_losses-Copy1.ipynb"),
    (["backup/lab03_losses.ipynb", ".ipynb_checkpoints/lab03_losses-checkpoint.ipynb"], "backup/lab03_losses.ipynb"),
    ([".ipynb_checkpoints/lab03_losses-checkpoint.ipynb"], ".ipynb_checkpoints/lab03_losses-checkpoint.ipynb"),
])
def test_copies_sub_folders_and_checkpoints_are_graded_only_when_nothing_else_matches(tmp_path, present, expected):
    for i, rel in enumerate(present):
        put(tmp_path, rel, 600 if rel == expected else 10 + i)     # what is graded is the older one
    path, notes = graded(tmp_path)
    assert path == expected
    assert f"graded {expected} (" in notes and "no lab03 notebook at the top" in notes, notes


def test_the_report_of_a_grade_names_what_it_graded_and_ignored_by_relative_path(tmp_path):
    """As in the issue: the Duplicate and a backup are newer and blank; the real notebook is done."""
    sub = tmp_path / "labs"
    put(sub, "lab03_losses.ipynb", 600, ROOT / "solutions" / f"{LAB}.ipynb")
    put(sub, "lab03_losses-Copy1.ipynb", 10)
    put(sub, "backup/lab03_losses.ipynb", 5)
    out = tmp_path / "r.json"
    p = subprocess.run([sys.executable, "-m", "nngrade", "grade", "--submission", str(sub), "--lab", "03",
                        "--function", "mse", "--oracles", "primary", "--out", str(out), "--seed", "1"],
                       cwd=ROOT, capture_output=True, text=True, timeout=600,
                       env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
    assert p.returncode == 0, p.stderr
    res = json.loads(out.read_text())
    assert res["score"] == res["max_score"] > 0
    said = ("graded lab03_losses.ipynb; ignored lab03_losses-Copy1.ipynb (a copy, by its name), "
            "backup/lab03_losses.ipynb (in a sub-folder)")
    assert said in p.stdout and said in res["output"], p.stdout


def test_cells_are_numbered_as_jupyterlab_shows_them(tmp_path):
    """Markdown and ungraded cells count: the message names the cell the student sees."""
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "# Lab 03"},
                    {"cell_type": "code", "metadata": {"tags": ["not-graded"]}, "outputs": [],
                     "execution_count": None, "source": "import torch"},
                    {"cell_type": "markdown", "metadata": {}, "source": "Write mse."},
                    {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                     "source": "def mse(y_true, y_pred:\n    pass\n"}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / f"{LAB}.ipynb").write_text(json.dumps(nb))
    from nngrade.extract import extract
    messages = extract(load.find(tmp_path, [LAB])[LAB].cells).messages
    assert [m.split(" has ")[0] for m in messages] == ["cell 4"], messages


def test_a_cell_that_only_imports_the_self_check_is_not_graded(tmp_path):
    """Typed by hand, untagged: not a warning about imports, and not run."""
    write_notebook(tmp_path / f"{LAB}.ipynb", ["from nngrade.selfcheck import check  # check('mse')",
                                               "import nngrade.selfcheck", "import numpy as np"])
    cells = load.find(tmp_path, [LAB])[LAB].cells
    assert cells == ["", "", "import numpy as np"]

"""Done when: a class of 12, built by hand, graded as a course runs it (a run interrupted by
Ctrl-C and continued after a check was fixed, two students whose names share a file name, and
the same class as a Canvas bulk download) gets the grades of the same students graded one by
one, and no process of the interrupted run outlives it."""
from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from instructor.helpers import (ENV, LAB2, LAB4, Watcher, canvas_download, cells, gradebook, mutant, one_by_one, run,
                                scores, student)

LABS = [LAB2, LAB4]
SEED = 2026
HIDDEN_FIX = """import copy
from nngrade.labs.lab04_gradient_descent.checks import CHECKS as _PUBLIC
CHECKS = [copy.copy(next(c for c in _PUBLIC if c.function == "error"))]
"""


def build(root: Path) -> dict[str, Path]:
    sig, _ = mutant(LAB2, "sigmoid_grad", "the activation in place")
    step, _ = mutant(LAB2, "relu_grad", ">= instead of >")
    f32, _ = mutant(LAB2, "identity", "float32")
    bias, _ = mutant(LAB4, "f", "forgets the bias")
    twice, _ = mutant(LAB4, "error", "")
    exits = "def silu(z):\n    import os\n    os._exit(3)\n"
    a, b = f"{LAB2}.ipynb", f"{LAB4}.ipynb"
    klass = {
        "Ann Lee": {a: cells(LAB2), b: cells(LAB4)},
        "Ann_Lee": {a: cells(LAB2, sig), b: None},                # shares Ann Lee's file name
        "Bob Smith": {a: None, b: cells(LAB4)},
        "Carla Diaz": {a: cells(LAB2)},                            # no lab04 at all
        "Dev Patel": {a: cells(LAB2, step), b: cells(LAB4, bias)},
        "Eve Ng": {a: cells(LAB2, exits), b: cells(LAB4)},         # a function that ends its worker
        "Finn Wu": {a: cells(LAB2, "def tanh(z):\n    raise NotImplementedError\n"),
                    f"{LAB2} (1).ipynb": cells(LAB2)},             # two lab02 notebooks: the newer counts
        "Gus Li": {b: cells(LAB4)},
        "Hana Mori": {a: cells(LAB2, f32), b: cells(LAB4)},
        "Ivan Petrov": {},                                          # nothing submitted
        "Jo Kim": {a: cells(LAB2), b: cells(LAB4, twice)},
        "Kim Jo": {"Lab02_activations.ipynb": cells(LAB2), b: None},
    }
    folders = {name: student(root, name, nbs) for name, nbs in klass.items()}
    (folders["Gus Li"] / a).write_text("this is not a notebook {")
    old = time.time() - 3600
    os.utime(folders["Finn Wu"] / a, (old, old))
    return folders


def interrupted_run(subs: Path, out: Path) -> tuple[subprocess.CompletedProcess, Watcher]:
    """`grade-class` with Ctrl-C (SIGINT to its process group) once two students are graded. The
    class runs here grade one student at a time (`--jobs 1`), as the one-by-one grading does: on
    a machine busy with other jobs, two at once can push a correct function past its time limit,
    and the grades are compared exactly (the parallel runs: test_grade_class, test_report)."""
    p = subprocess.Popen([sys.executable, "-m", "nngrade", "grade-class", str(subs), "--lab", "02 04", "--out",
                          str(out), "--jobs", "1"], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    watch = Watcher(p.pid)
    deadline = time.monotonic() + 600
    while p.poll() is None and time.monotonic() < deadline:
        watch.poll()
        if len(list(out.glob("*.json"))) >= 2:
            watch.poll()
            os.killpg(p.pid, signal.SIGINT)
            break
        time.sleep(0.05)
    stdout, stderr = p.communicate(timeout=300)
    return subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr), watch


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    folders = build(root / "subs")
    hidden = root / "hidden"
    hidden.mkdir()
    (hidden / f"{LAB4}.py").write_text(HIDDEN_FIX)
    return root, folders, hidden, one_by_one(folders, LABS, SEED, hidden)


def test_a_class_of_12_gets_the_grades_of_one_by_one(course):
    root, folders, hidden, expected = course
    subs, out = root / "subs", root / "grades"

    p, watch = interrupted_run(subs, out)
    assert p.returncode == 130, p.stdout + p.stderr
    graded = len(list(out.glob("*.json")))
    assert f"interrupted: {graded} of 12 graded; rerun to continue" in p.stdout and 2 <= graded < 12
    assert "Traceback" not in p.stdout + p.stderr
    assert "'Ann Lee', 'Ann_Lee' would share the file name Ann_Lee.json" in p.stdout
    assert len(gradebook(out / "gradebook.csv")) == graded           # everyone graded so far
    assert watch.left() == [], "processes of the run outlived it"

    # the rerun continues, with a check of lab04 fixed meanwhile: the students graded before the
    # Ctrl-C get lab04 only, the others everything
    text = run("grade-class", str(subs), "--lab", "02 04", "--out", str(out), "--hidden", str(hidden),
               "--no-progress", "--jobs", "1").stdout
    assert f"Graded 12 students ({12} now, 0 unchanged since the last run)" in text
    assert f"{LAB2}: grading {12 - graded} student(s): not graded yet ({12 - graded}); {graded} unchanged " \
           "since the last run: reused" in text
    lab4 = next(line for line in text.splitlines() if line.startswith(f"{LAB4}: "))
    assert lab4.startswith(f"{LAB4}: grading 12 student(s): ") and f"not graded yet ({12 - graded})" in lab4
    assert re.search(rf"its checks changed \(fingerprint \w+ -> \w+\) \({graded}\)", lab4), lab4

    book = gradebook(out / "gradebook.csv")
    manifest = json.loads((out / ".nngrade" / "class.json").read_text())
    stems = {e["name"]: e["stem"] for e in manifest["students"]}
    assert len(book) == 12 and len(set(stems.values())) == 12
    for name in folders:
        data = json.loads((out / f"{stems[name]}.json").read_text())
        assert data["student"] == name and scores(data) == expected[name], name
        assert float(book[(name, "")]["total"]) == pytest.approx(sum(expected[name].values()))


def test_the_same_class_from_a_canvas_bulk_download(course):
    root, folders, hidden, expected = course
    zpath = root / "submissions.zip"
    ids = canvas_download(zpath, folders, late={"Dev Patel"})
    out = root / "canvas"
    text = run("grade-class", "--from", "canvas", str(zpath), "--lab", "02 04", "--out", str(out), "--hidden",
               str(hidden), "--gradebook", "canvas", "--assignment", "Labs 2 and 4", "--no-progress",
               "--jobs", "1").stdout
    assert "Graded 11 students" in text         # Ivan submitted nothing: Canvas has no file of his
    manifest = json.loads((out / ".nngrade" / "class.json").read_text())
    by_id = {e["id"]: e for e in manifest["students"]}
    assert by_id[ids["Ann Lee"]]["name"] == by_id[ids["Ann_Lee"]]["name"] == "leeann"    # Canvas's names
    for name, uid in ids.items():
        data = json.loads((out / f"{by_id[uid]['stem']}.json").read_text())
        assert data["id"] == uid and scores(data) == expected[name], name
        assert data["lms"]["late"] == (name == "Dev Patel")
        staged = out / ".nngrade" / "submissions" / by_id[uid]["stem"]       # what was graded
        assert sorted(p.name for p in staged.iterdir()) == sorted(p.name for p in folders[name].glob("*.ipynb"))
    rows = list(csv.reader((out / "gradebook-canvas.csv").open(newline="", encoding="utf-8")))
    assert rows[0][5] == "Labs 2 and 4"
    got = {r[1]: float(r[5]) for r in rows[2:]}
    assert got == pytest.approx({uid: sum(expected[name].values()) for name, uid in ids.items()})

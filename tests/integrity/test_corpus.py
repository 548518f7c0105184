"""Issue: integrity. Every member of the corpus is graded next to a correct submission, in each
way a course grades: a class run (each worker its own uid, and again with the worker keeping
the grader's uid), `make grade` one submission at a time (and again with the workers started
the portable way, as on Windows), and the Gradescope autograder's layout, all as root (as CI
and Gradescope run); then a class run and `make grade` as an ordinary user (uid 1000 in a user
namespace: no root capabilities, no uid to drop to, no cgroup to create, as on an instructor's
laptop). Each time the grader finishes, the functions concerned earn 0 with a message that says
what happened, every other function keeps its points, and no file outside the workers' scratch
folders changes (the solutions, the results file, the other students' results)."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import ROOT, solution_cells, write_notebook
from integrity.corpus import ALL, LAB, SOLUTIONS_FILE, corpus, syntax_error_cells
from nngrade.classroom import grade_class
from nngrade.client import PORTABLE, ZYGOTE
from nngrade.config import Limits
from nngrade.registry import load_checks
from nngrade.sandbox import describe

MAX = {}
for c in load_checks(LAB):
    MAX[c.function] = MAX.get(c.function, 0) + c.points
SEED = 11
MODES = ["class run", "class run, grader's uid", "make grade", "Gradescope layout", "class run, as a user",
         "make grade, as a user", "make grade, portable worker"]
# an ordinary user: uid 1000 in a user namespace of its own (the files stay as they are; the
# grader holds no capability outside it); a machine without `unshare` fails these modes
AS_USER = ["unshare", "--user", "--map-user=1000", "--map-group=1000"]
ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_submissions(subs, members):
    for bad in members:
        d = subs / bad.name
        d.mkdir()
        path = d / f"{LAB}.ipynb"
        if bad.raw is not None:
            path.write_text(bad.raw)
        elif bad.name == "syntax_error_in_one_cell":
            write_notebook(path, syntax_error_cells())
        elif bad.name == "no_code":
            path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": "hi"}],
                                        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
        else:
            write_notebook(path, (solution_cells(LAB) if bad.base else []) + bad.cells)
    (subs / "zz_correct").mkdir()
    write_notebook(subs / "zz_correct" / f"{LAB}.ipynb", solution_cells(LAB))


def one_at_a_time(subs, out, root, mode):
    """Each submission graded by its own `nngrade grade` process (two at a time: two cores),
    directly or through the autograder zip's `run_autograder`; results in out/<name>.json."""
    if mode == "Gradescope layout":
        subprocess.run([sys.executable, "-m", "nngrade", "gradescope", "--lab", "02", "--out",
                        str(root / "autograder.zip"), "--seed", str(SEED)], cwd=ROOT, env=ENV, check=True,
                       capture_output=True)
        with zipfile.ZipFile(root / "autograder.zip") as z:
            z.extractall(root / "source")

    def grade(folder):
        if mode.startswith("make grade"):
            cmd, env = [sys.executable, "-m", "nngrade", "grade", "--submission", str(folder), "--lab", "02",
                        "--out", str(out / f"{folder.name}.json"), "--seed", str(SEED), "--quiet"], ENV
            if mode.endswith("portable worker"):       # the way Windows runs (client.py), forced on Linux
                env = dict(ENV, NNGRADE_PORTABLE_WORKER="1")
        else:
            ag = root / "ag" / folder.name
            (ag / "submission").mkdir(parents=True)
            (ag / "source").symlink_to(root / "source")
            for p in folder.iterdir():
                shutil.copy(p, ag / "submission" / p.name)
            cmd, env = ["bash", str(ag / "source" / "run_autograder")], dict(ENV, AUTOGRADER_ROOT=str(ag),
                                                                              PYTHON=sys.executable)
        if mode.endswith("as a user"):
            cmd = AS_USER + cmd
        p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
        if mode == "Gradescope layout" and (ag / "results" / "results.json").exists():
            shutil.copy(ag / "results" / "results.json", out / f"{folder.name}.json")
        return folder.name, p.returncode, p.stderr[-2000:]

    folders = sorted(d for d in subs.iterdir() if d.is_dir() and not d.is_symlink())
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(grade, folders))
    failed = [(name, f"exit {rc}: {err}") for name, rc, err in runs if rc != 0]
    return {"students": len(runs), "failed": failed}


def class_run_as_a_user(subs, out):
    """`nngrade grade-class` as uid 1000; the summary read back from the per-student files."""
    p = subprocess.run(AS_USER + [sys.executable, "-m", "nngrade", "grade-class", "--submissions", str(subs),
                                  "--lab", "02", "--out", str(out), "--seed", str(SEED), "--no-progress"],
                       cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=1800)
    assert p.returncode == 0, p.stderr[-2000:]
    rows = [json.loads(f.read_text()) for f in out.glob("*.json") if f.name != "results.json"]
    return {"students": len(rows), "failed": [(d["student"], d["status"]) for d in rows if d["status"] != "graded"]}


@pytest.fixture(scope="module", params=MODES)
def graded(request, tmp_path_factory):
    mode = request.param
    root = tmp_path_factory.mktemp("corpus")
    subs, out = root / "submissions", root / "grades"
    subs.mkdir()
    out.mkdir()
    sentinel = out / "results.json"
    sentinel.write_text('{"score": 0}')
    members = corpus(sentinel)
    write_submissions(subs, members)
    (subs / "zz_link").symlink_to(subs / "zz_correct")   # a classmate's folder: not a student
    before = {"solutions": digest(SOLUTIONS_FILE), "sentinel": digest(sentinel)}
    if mode == "class run, as a user":
        summary = class_run_as_a_user(subs, out)
    elif mode.startswith("class run"):
        limits = Limits(zygote=True, drop_privileges=mode == "class run")
        summary = grade_class(subs, [LAB], out, seed=SEED, progress=False, limits=limits)
    else:
        summary = one_at_a_time(subs, out, root, mode)
    return members, out, summary, before, sentinel, mode


def per_function(data):
    out = {}
    for t in data["tests"]:
        fn = t["name"].split(".", 1)[1].split(":", 1)[0]
        s, texts = out.get(fn, (0.0, []))
        out[fn] = (s + t["score"], texts + [t["output"]])
    return out


def test_every_submission_is_graded_and_nothing_outside_scratch_changes(graded):
    members, out, summary, before, sentinel, mode = graded
    assert summary["students"] == len(members) + 1 and not summary["failed"]
    assert digest(SOLUTIONS_FILE) == before["solutions"]
    assert digest(sentinel) == before["sentinel"]
    correct = json.loads((out / "zz_correct.json").read_text())
    assert correct["score"] == correct["max_score"] == sum(MAX.values())
    iso = correct["isolation"]             # the results say which walls were up
    assert iso and iso["rlimits"] and iso["audit_hook"]
    if mode.startswith("class run"):          # and so does the student's report
        assert describe(iso) in (out / "zz_correct.md").read_text()
    if mode.endswith("portable worker"):
        assert iso["transport"] == PORTABLE
    elif mode.startswith("class run") and not Limits().portable_worker:
        assert iso["transport"] == ZYGOTE         # forked from a process that has NumPy loaded
    if mode.endswith("as a user"):
        assert iso["uid"] == "1000" and iso["seccomp"] is True and str(iso["landlock"]).startswith("abi")
        assert iso["process_tree"] == "session"
    elif hasattr(os, "geteuid") and os.geteuid() == 0:
        assert iso["process_tree"] == "cgroup"
        if mode == "class run, grader's uid":
            assert "drop_privileges is off" in iso["uid"]
        else:
            assert int(iso["uid"]) >= 60000      # a uid of its own, never root


@pytest.mark.parametrize("name", [b.name for b in corpus(ROOT / "results.json")])
def test_the_functions_concerned_earn_nothing_and_the_rest_keep_their_points(graded, name):
    members, out, _, _, _, _ = graded
    bad = next(b for b in members if b.name == name)
    data = json.loads((out / f"{name}.json").read_text())
    scores = per_function(data)
    zero = set(MAX) if bad.zero == ALL else bad.zero
    for fn, top in MAX.items():
        got, texts = scores[fn]
        if fn in zero:
            assert got < top if bad.partial else got == 0, f"{name}: {fn} earned {got}"
        else:
            assert got == top, f"{name}: {fn} lost points: " + "\n".join(texts)[:600]
    text = data["output"] + "\n" + "\n".join(t for fn in zero for t in scores[fn][1])
    assert bad.message in text, f"{name}: feedback lacks {bad.message!r}:\n{text[:1500]}"
    assert "Traceback" not in text


def test_the_readme_counts_the_corpus(tmp_path):
    import re
    said = re.search(r"a corpus of (\d+) broken and hostile submissions", (ROOT / "README.md").read_text())
    assert said and int(said.group(1)) == len(corpus(tmp_path / "results.json"))

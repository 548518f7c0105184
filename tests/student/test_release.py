"""The student release: no solution code in it, its own grader grades a filled-in lab to 100%
and a blank one to 0, the in-notebook check agrees with `make grade`, and an update keeps a
student's answers."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import LABS, ROOT, solution_cells
from nngrade.notebooks import BEGIN, END

BLOCK = re.compile(r"^\s*" + re.escape(BEGIN) + r"\s*$", re.MULTILINE)


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    dest = tmp_path_factory.mktemp("rel") / "release"
    p = subprocess.run([sys.executable, "-m", "nngrade", "release", "--dest", str(dest)], cwd=ROOT,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return dest


def solution_blocks(lab):
    blocks = []
    for cell in solution_cells(lab):
        for m in re.finditer(re.escape(BEGIN) + r"\n(.*?)\n[ \t]*" + re.escape(END), cell, re.S):
            body = " ".join(m.group(1).split())
            if len(body) > 30:
                blocks.append(body)
    return blocks


def test_no_solutions_tests_mutants_or_hidden_checks(release):
    names = {p.relative_to(release).as_posix() for p in release.rglob("*")}
    assert not any(n.startswith(("solutions", "tests", "hidden")) for n in names)
    assert "nngrade/mutants.py" not in names
    assert {"README.md", "Makefile", "requirements.txt", "environment.yml", "labs", "nngrade", "reference"} <= names
    texts = {p: p.read_text(errors="ignore") for p in release.rglob("*") if p.is_file()}
    assert not [p for p, t in texts.items() if BLOCK.search(t)]
    flat = {p: " ".join(t.replace("\\n", "\n").replace('\\"', '"').split()) for p, t in texts.items()}
    for lab in LABS:
        # a lab's answers must not be in its own notebook, nor in the grader or the oracles
        # (a later lab may hand out an earlier lab's answers as given code)
        where = {p: t for p, t in flat.items() if p.name == f"{lab}.ipynb" or p.suffix == ".py"}
        for body in solution_blocks(lab):
            leaks = [str(p) for p, t in where.items() if body in t]
            assert not leaks, f"{lab}: solution code found in {leaks}: {body[:80]}"


def grade_in(release, folder, seed=3):
    out = release / "r.json"
    env = dict(os.environ, PYTHONPATH=str(release), TF_CPP_MIN_LOG_LEVEL="2")
    p = subprocess.run([sys.executable, "-m", "nngrade", "grade", "--submission", folder, "--lab", "02",
                        "--out", str(out), "--seed", str(seed), "--quiet"],
                       cwd=release, capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode == 0 and "Traceback" not in p.stdout + p.stderr, p.stderr
    return json.loads(out.read_text())


def test_the_release_grades_with_its_own_grader(release):
    env = dict(os.environ, PYTHONPATH=str(release))
    where = subprocess.run([sys.executable, "-c", "import nngrade; print(nngrade.__file__)"], cwd=release,
                           capture_output=True, text=True, env=env).stdout.strip()
    assert where.startswith(str(release)), where
    blank = grade_in(release, "labs")
    assert blank["score"] == 0 and blank["max_score"] > 0
    filled = release / "filled"
    filled.mkdir()
    shutil.copy(ROOT / "solutions" / "lab02_activations.ipynb", filled)
    res = grade_in(release, "filled")
    assert res["score"] == res["max_score"]


def test_in_notebook_check_agrees_with_make_grade(tmp_path):
    from nngrade.selfcheck import check
    cells = solution_cells("lab02_activations")
    cells = [c.replace("return s * (1.0 - s)", "return s") for c in cells]   # one wrong function
    inside = check(lab="02", seed=9, history=cells, quiet=True)
    sub = tmp_path / "sub"
    sub.mkdir()
    from conftest import write_notebook
    write_notebook(sub / "lab02_activations.ipynb", cells)
    out = tmp_path / "r.json"
    subprocess.run([sys.executable, "-m", "nngrade", "grade", "--submission", str(sub), "--lab", "02",
                    "--out", str(out), "--seed", "9", "--quiet"], cwd=ROOT, check=True, capture_output=True)
    official = json.loads(out.read_text())
    assert inside["score"] == official["score"] < official["max_score"]
    assert [t["score"] for t in inside["tests"]] == [t["score"] for t in official["tests"]]


def test_check_runs_inside_a_live_kernel_on_unsaved_code():
    import nbclient
    import nbformat
    from nngrade.notebooks import KERNEL
    cells = solution_cells("lab02_activations") + [
        "def relu(z):\n    return z\n",
        "from nngrade.selfcheck import check\nresult = check('relu', 'tanh', lab='02', seed=4)\n"
        "print('SCORE', result['score'], result['max_score'])"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(nb, timeout=600, kernel_name=KERNEL["name"],
                            resources={"metadata": {"path": str(ROOT / "labs")}}).execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert "relu" in text and "wrong values" in text
    score, top = text.split("SCORE")[1].split()[:2]
    assert 0 < float(score) < float(top)


def test_update_keeps_a_students_answers(release, tmp_path):
    from nngrade.release import update
    mine = tmp_path / "mine"
    shutil.copytree(release, mine)
    edited = mine / "labs" / "lab02_activations.ipynb"
    nb = json.loads(edited.read_text())
    nb["cells"][1]["source"] = ["# my answers\n"]
    edited.write_text(json.dumps(nb))
    newer = tmp_path / "newer"
    shutil.copytree(release, newer)
    for p in (newer / "labs").glob("*.ipynb"):
        data = json.loads(p.read_text())
        data["cells"].append({"cell_type": "markdown", "id": "new-cell", "metadata": {}, "source": ["new text"]})
        from nngrade.notebooks import content_hash
        data["metadata"]["nngrade"]["sha256"] = content_hash(data)
        p.write_text(json.dumps(data))
    lines = update(newer, mine)
    assert json.loads(edited.read_text())["cells"][1]["source"] == ["# my answers\n"]
    assert (mine / "labs" / "updated_lab02_activations.ipynb").exists()
    others = [p for p in (mine / "labs").glob("lab*.ipynb") if p.name != "lab02_activations.ipynb"]
    for p in others:
        assert json.loads(p.read_text())["cells"][-1]["source"] == ["new text"]
    assert any("kept your lab02_activations.ipynb" in l for l in lines)

"""The student release: no solution code in it, its own grader grades a filled-in lab to 100%
and a blank one to 0, and an update keeps a student's answers. (The in-notebook check:
test_selfcheck.py.)"""
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


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    """The week-one release: lab01 to lab03 only (`make release LABS=01-03`)."""
    dest = tmp_path_factory.mktemp("staged") / "release"
    p = subprocess.run(["make", "release", f"DEST={dest}", "LABS=01-03", f"PY={sys.executable}"], cwd=ROOT,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return dest


FIRST = ["lab01_neurons", "lab02_activations", "lab03_losses"]


def test_a_staged_release_holds_its_labs_and_nothing_of_the_others(staged):
    assert sorted(p.stem for p in (staged / "labs").glob("*.ipynb")) == FIRST
    later = [lab for lab in LABS if lab not in FIRST]
    topics = [lab.split("_", 1)[1] for lab in later if lab.split("_", 1)[1] not in ("losses", "activations")]
    for p in staged.rglob("*"):
        rel = p.relative_to(staged).as_posix()
        assert not any(lab in rel for lab in later), rel
        assert not (rel.startswith("reference/") and p.stem in topics), rel
    assert sorted(p.name for p in (staged / "nngrade" / "labs").glob("lab*")) == FIRST
    # the oracles the three labs' checks import, found from their imports
    assert sorted(p.stem for p in (staged / "reference").glob("*.py")) == \
        ["__init__", "_frameworks", "activations", "losses", "neurons"]
    page = (staged / "docs" / "labs.md").read_text()
    assert all(f"## {lab}" in page for lab in FIRST) and "lab04" not in page


def grade_all_in(release, folder):
    out = release / "all.json"
    env = dict(os.environ, PYTHONPATH=str(release), TF_CPP_MIN_LOG_LEVEL="2")
    p = subprocess.run([sys.executable, "-m", "nngrade", "grade", "--submission", folder, "--out", str(out),
                        "--seed", "5", "--quiet"], cwd=release, capture_output=True, text=True, env=env, timeout=900)
    assert p.returncode == 0 and "Traceback" not in p.stdout + p.stderr, p.stderr
    return json.loads(out.read_text())


def labs_graded(results):
    return sorted({t["name"].split(".", 1)[0] for t in results["tests"]})


def test_a_staged_release_grades_its_labs_inside_itself(staged):
    blank = grade_all_in(staged, "labs")
    assert labs_graded(blank) == FIRST and blank["score"] == 0 < blank["max_score"]
    filled = staged / "filled"
    filled.mkdir()
    for lab in FIRST:
        shutil.copy(ROOT / "solutions" / f"{lab}.ipynb", filled)
    full = grade_all_in(staged, "filled")
    assert labs_graded(full) == FIRST and full["score"] == full["max_score"] == blank["max_score"]


def run_notebook_in_place(path):
    """What running every cell in Jupyter does to a file: outputs, counts, metadata; no code changes."""
    nb = json.loads(path.read_text())
    for i, cell in enumerate(nb["cells"]):
        cell.setdefault("metadata", {})["execution"] = {"iopub.status.idle": "2026-12-04T10:00:00Z"}
        if cell["cell_type"] == "code":
            cell["execution_count"] = i
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["ran\n"]}]
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.7"}
    path.write_text(json.dumps(nb, indent=1))


def test_update_adds_a_later_lab_and_keeps_edited_work(staged, tmp_path):
    mine = tmp_path / "mine"
    shutil.copytree(staged, mine, ignore=shutil.ignore_patterns("filled", "*.json"))
    run_notebook_in_place(mine / "labs" / "lab01_neurons.ipynb")      # run, not edited
    edited = mine / "labs" / "lab02_activations.ipynb"
    nb = json.loads(edited.read_text())
    nb["cells"][1]["source"] = ["# my answers\n"]
    edited.write_text(json.dumps(nb))
    before = {p.name: p.read_bytes() for p in (mine / "labs").glob("*.ipynb")}
    week_two = tmp_path / "week_two"
    p = subprocess.run(["make", "release", f"DEST={week_two}", "LABS=01-04", f"PY={sys.executable}"], cwd=ROOT,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    p = subprocess.run(["make", "update", f"FROM={week_two}", f"PY={sys.executable}"], cwd=mine,
                       capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(mine)))
    assert p.returncode == 0, p.stderr
    labs = mine / "labs"
    assert sorted(q.name for q in labs.glob("*.ipynb")) == [f"{lab}.ipynb" for lab in FIRST] + \
        ["lab04_gradient_descent.ipynb"]                     # no updated_* beside work of the same version
    assert edited.read_bytes() == before["lab02_activations.ipynb"]
    assert (labs / "lab01_neurons.ipynb").read_bytes() == before["lab01_neurons.ipynb"]
    assert (mine / "nngrade" / "labs" / "lab04_gradient_descent" / "checks.py").exists()
    graded = grade_all_in(mine, "labs")
    assert labs_graded(graded) == FIRST + ["lab04_gradient_descent"]


def test_a_notebook_that_was_only_run_is_replaced_by_a_new_version(staged, tmp_path):
    from nngrade.notebooks import content_hash
    from nngrade.release import update
    mine, newer = tmp_path / "mine", tmp_path / "newer"
    shutil.copytree(staged, mine, ignore=shutil.ignore_patterns("filled", "*.json"))
    shutil.copytree(staged, newer, ignore=shutil.ignore_patterns("filled", "*.json"))
    run_notebook_in_place(mine / "labs" / "lab03_losses.ipynb")
    fixed = newer / "labs" / "lab03_losses.ipynb"
    data = json.loads(fixed.read_text())
    data["cells"].append({"cell_type": "markdown", "id": "fix", "metadata": {}, "source": ["a fixed typo"]})
    data["metadata"]["nngrade"]["sha256"] = content_hash(data)
    fixed.write_text(json.dumps(data))
    lines = update(newer, mine)
    assert (mine / "labs" / "lab03_losses.ipynb").read_bytes() == fixed.read_bytes()
    assert not (mine / "labs" / "updated_lab03_losses.ipynb").exists()
    assert any("had not started it" in line for line in lines)


def make_targets(text):
    return set(re.findall(r"^([a-z-]+):.*##", text, re.M))


def test_the_student_makefile_works_in_the_release_and_its_readme_names_every_target(staged):
    makefile = (staged / "Makefile").read_text()
    readme = (staged / "README.md").read_text()
    targets = make_targets(makefile)
    assert targets == {"help", "install", "lab", "grade", "check", "update"}
    assert targets == set(re.findall(r"^make ([a-z-]+)", readme, re.M)), "README and Makefile disagree"
    env = dict(os.environ, PYTHONPATH=str(staged))
    make = ["make", "-C", str(staged), f"PY={sys.executable}"]
    helped = subprocess.run(make + ["help"], capture_output=True, text=True, env=env)
    assert helped.returncode == 0 and all(t in helped.stdout for t in targets)
    dry = subprocess.run(make + ["-n", "install"], capture_output=True, text=True, env=env)
    assert dry.returncode == 0 and "pip install" in dry.stdout and "ipykernel install" in dry.stdout
    shutil.copy(ROOT / "solutions" / "lab02_activations.ipynb", staged / "labs")   # a finished lab02
    try:
        for target in (["grade", "LAB=02"], ["check", "LAB=02", "FUNCTION=relu"]):
            p = subprocess.run(make + target + ["OUT=mk.json"], capture_output=True, text=True, env=env,
                               timeout=600)
            assert p.returncode == 0, p.stderr
            res = json.loads((staged / "mk.json").read_text())
            assert res["score"] == res["max_score"] > 0
            if target[0] == "check":
                assert {t["name"].split(":")[0] for t in res["tests"]} == {"lab02_activations.relu"}
    finally:
        shutil.copy(ROOT / "labs" / "lab02_activations.ipynb", staged / "labs")


def given_definitions(path):
    """{name: source} of the top-level functions a notebook gives (bodies that are not stubs)."""
    import ast
    out = {}
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] != "code":
            continue
        try:
            tree = ast.parse("".join(cell["source"]))
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and "NotImplementedError" not in ast.unparse(node):
                out[node.name] = ast.unparse(node)
    return out


def fill_own(lab, release_notebook, dest):
    """The released notebook with only its own lab's answers filled in (from the solution)."""
    nb = json.loads(release_notebook.read_text())
    sol = json.loads((ROOT / "solutions" / f"{lab}.ipynb").read_text())
    for mine, theirs in zip(nb["cells"], sol["cells"]):
        if mine["cell_type"] == "code" and BEGIN in "".join(theirs["source"]):
            mine["source"] = theirs["source"]
    (dest / f"{lab}.ipynb").write_text(json.dumps(nb))


def test_no_lab_gives_the_answers_of_another_lab_in_its_release(release, tmp_path):
    """lab05 gives lab02's activations and lab03's losses, lab06 and lab07 give lab02's sigmoid:
    in a release with those labs, they are stubs, and the later labs still earn full marks with
    them left unfilled (the grader stands in for them)."""
    from nngrade.contract import SIGNATURES
    graded_in = {fn: lab for lab, sigs in SIGNATURES.items() for fn in sigs}
    leaks = {lab: sorted(n for n in given_definitions(release / "labs" / f"{lab}.ipynb")
                         if graded_in.get(n, lab) != lab) for lab in LABS}
    assert not any(leaks.values()), leaks
    sub = tmp_path / "sub"
    sub.mkdir()
    later = ["lab05_backprop", "lab06_training", "lab07_metrics"]
    for lab in later:
        fill_own(lab, release / "labs" / f"{lab}.ipynb", sub)
    out = tmp_path / "r.json"
    env = dict(os.environ, PYTHONPATH=str(release), TF_CPP_MIN_LOG_LEVEL="2")
    p = subprocess.run([sys.executable, "-m", "nngrade", "grade", "--submission", str(sub), "--lab", "05 06 07",
                        "--out", str(out), "--seed", "4", "--quiet"], cwd=release, capture_output=True, text=True,
                       env=env, timeout=900)
    assert p.returncode == 0, p.stderr
    res = json.loads(out.read_text())
    assert res["score"] == res["max_score"] > 0, [t["output"][:300] for t in res["tests"] if t["score"] < t["max_score"]]


def test_a_later_lab_released_alone_keeps_its_given_helpers(tmp_path):
    """lab02 was released (and graded) earlier: a release of lab05 alone gives lab02's activations."""
    dest = tmp_path / "week5"
    p = subprocess.run([sys.executable, "-m", "nngrade", "release", "--dest", str(dest), "--labs", "05"], cwd=ROOT,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    given = given_definitions(dest / "labs" / "lab05_backprop.ipynb")
    assert {"sigmoid", "relu_grad", "softmax", "binary_crossentropy_from_logits"} <= set(given)

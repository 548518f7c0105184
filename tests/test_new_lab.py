"""The authoring path: `python -m nngrade new-lab labNN_topic` in a copy of the repository writes
a lab that grades (its solution 100%, its blank notebook 0%), mutates (100% caught and accepted)
and passes its own and the generic tests, found by its name alone, from fewer than 150 lines of
code beyond its notebook (docs/adding-a-lab.md)."""
import json
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

LAB = "lab99_scaffold"
PARTS = ["nngrade", "reference", "solutions", "labs", "tests", "docs", "Makefile", "pyproject.toml",
         "requirements.txt"]


def run(copy, *args, **kw):
    return subprocess.run([sys.executable, *args], cwd=copy, capture_output=True, text=True, timeout=900, **kw)


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("repo")
    for part in PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, root / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, root / part)
    p = run(root, "-m", "nngrade", "new-lab", LAB)
    assert p.returncode == 0, p.stderr
    return root


def score(copy, folder, *extra):
    out = copy / f"{folder}.json"
    p = run(copy, "-m", "nngrade", "grade", "--submission", folder, "--lab", "99", "--out", str(out), *extra)
    assert p.returncode == 0 and "Traceback" not in p.stdout + p.stderr, p.stdout + p.stderr
    data = json.loads(out.read_text())
    assert all(t["name"].startswith(f"{LAB}.") for t in data["tests"])
    return data["score"], data["max_score"]


def test_the_new_lab_is_found_and_graded_by_its_name(copy):
    got, top = score(copy, "solutions")
    assert got == top > 0
    assert score(copy, "labs", "--oracles", "primary") == (0, top)
    assert f"## {LAB}" in (copy / "docs" / "labs.md").read_text()


def test_the_new_lab_mutates_green(copy):
    p = run(copy, "-m", "nngrade", "mutants", "--lab", "99")
    assert p.returncode == 0 and "(100%)" in p.stdout, p.stdout + p.stderr


def test_the_new_lab_passes_its_own_tests_and_the_generic_ones(copy):
    p = run(copy, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"tests/labs/{LAB}", "tests/test_layout.py",
            "tests/test_labs.py", "tests/test_mutants.py", "-k", f"{LAB} or discovered or in_sync")
    assert p.returncode == 0, p.stdout[-3000:]
    assert " passed" in p.stdout and "skipped" not in p.stdout


def test_the_authors_code_beyond_the_notebook_is_under_150_lines(copy):
    files = [copy / "reference" / "scaffold.py", *sorted((copy / "nngrade" / "labs" / LAB).glob("*.py")),
             *sorted((copy / "tests" / "labs" / LAB).glob("*.py"))]
    lines = sum(1 for f in files for line in f.read_text().splitlines() if line.strip())
    assert len(files) == 5 and lines < 150, (lines, files)


def test_new_lab_writes_new_files_only(copy):
    p = run(copy, "-m", "nngrade", "new-lab", LAB)
    assert p.returncode != 0 and "there is a lab 99 already" in p.stderr
    p = run(copy, "-m", "nngrade", "new-lab", "lab7_bad")
    assert p.returncode != 0 and "labNN_topic" in p.stderr

"""Colab and JupyterHub: the student release installs as a package into a Python that already
has the frameworks (a fresh venv seeing this one's packages, as a hub image or Colab has torch
and TensorFlow), grades a notebook in a folder outside any checkout, and the notebooks' first
cell installs the grader where it is missing and does nothing where `make install` ran."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from nngrade.notebooks import KERNEL
from nngrade.release import GRADER_PLACEHOLDER
from student.envs import venv_with_these_packages

LAB = "lab04_gradient_descent"
ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """`make release` of one lab, and the wheel pip builds from it."""
    root = tmp_path_factory.mktemp("hub")
    dest = root / "release"
    subprocess.run([sys.executable, "-m", "nngrade", "release", "--dest", str(dest), "--labs", LAB[3:5]], cwd=ROOT,
                   check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", str(dest),
                    "-w", str(root / "dist")], check=True, capture_output=True, env=dict(ENV, PIP_NO_INDEX="1"))
    wheel, = (root / "dist").glob("nnlabs-*.whl")
    return dest, wheel


def imports_the_grader(python) -> str | None:
    """Where `python` imports the grader from (run in its own folder, not this checkout)."""
    p = subprocess.run([str(python), "-c", "import nngrade; print(nngrade.__file__)"], capture_output=True, text=True,
                       cwd=Path(python).parent)
    return p.stdout.strip() if p.returncode == 0 else None


def outside_any_checkout(tmp_path) -> Path:
    """A student's folder with a finished notebook in it, nowhere near a checkout or a release."""
    home = tmp_path / "jovyan"
    home.mkdir()
    shutil.copy(ROOT / "solutions" / f"{LAB}.ipynb", home)
    return home


def test_the_release_installs_as_a_package_and_grades_where_the_notebook_is(release, tmp_path):
    _, wheel = release
    python = venv_with_these_packages(tmp_path / "hub")
    assert imports_the_grader(python) is None
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True,
                   capture_output=True, env=dict(ENV, PIP_NO_INDEX="1"))
    where = imports_the_grader(python)
    assert where and Path(where).is_relative_to(tmp_path / "hub"), where
    home = outside_any_checkout(tmp_path)
    p = subprocess.run([str(python), "-m", "nngrade", "grade", "--out", "results.json", "--seed", "3"], cwd=home,
                       capture_output=True, text=True, env=ENV, timeout=900)
    assert p.returncode == 0 and "Traceback" not in p.stdout + p.stderr, p.stderr[-3000:]
    res = json.loads((home / "results.json").read_text())
    assert res["score"] == res["max_score"] > 0
    assert f"{LAB} ({LAB}.ipynb)" in p.stdout                    # found in the current folder


def cell(source, tags=()):
    import nbformat
    c = nbformat.v4.new_code_cell(source)
    c.metadata["tags"] = list(tags)
    return c


def install_cell(release_dir) -> str:
    nb = json.loads((release_dir / "labs" / f"{LAB}.ipynb").read_text())
    first = next(c for c in nb["cells"] if c["cell_type"] == "code")
    text = "".join(first["source"])
    assert GRADER_PLACEHOLDER in text and "not-graded" in first["metadata"]["tags"]
    return text


def run(cells, cwd, kernel, env):
    import nbclient
    import nbformat
    nb = nbformat.v4.new_notebook(cells=cells)
    nbclient.NotebookClient(nb, timeout=900, kernel_name=kernel, resources={"metadata": {"path": str(cwd)}}).execute(
        env=env)
    return [[(o.get("name", o.output_type), o.get("text", str(o.get("data", o.get("evalue", "")))))
             for o in c.outputs] for c in nb.cells]


def test_the_first_cell_installs_the_grader_where_it_is_missing_then_check_works(release, tmp_path, monkeypatch):
    """As on Colab or a hub: the notebook's first cell, then `check()`; the grader comes from the
    address the cell names (NNLABS_GRADER here: the wheel; `make release GRADER_URL=` in a course)."""
    release_dir, wheel = release
    hub = tmp_path / "hub"
    python = venv_with_these_packages(hub)
    subprocess.run([str(python), "-m", "ipykernel", "install", "--prefix", str(hub), "--name", "hub"], check=True,
                   capture_output=True)
    monkeypatch.setenv("JUPYTER_PATH", str(hub / "share" / "jupyter"))
    assert imports_the_grader(python) is None
    home = outside_any_checkout(tmp_path)
    out = run([cell(install_cell(release_dir), ["not-graded"]), cell("from nngrade.selfcheck import check"),
               cell('check("f", "error", seed=2)'), cell("import nngrade; print(nngrade.__file__)")], home, "hub",
              dict(ENV, NNLABS_GRADER=str(wheel), PIP_NO_INDEX="1"))
    assert Path(imports_the_grader(python)).is_relative_to(hub)
    assert Path(out[3][0][1].strip()).is_relative_to(hub)
    report = "".join(text for _, text in out[2])
    assert f"{LAB} ({LAB}.ipynb)" in report and "Total: " in report, out
    total = report.split("Total: ")[1].split()[0]
    assert total.split("/")[0] == total.split("/")[1] != "0", report


def test_the_first_cell_does_nothing_where_make_install_ran(release, tmp_path):
    """In this checkout's kernel (the grader is there), with an address pip could not install."""
    release_dir, _ = release
    out = run([cell(install_cell(release_dir), ["not-graded"])], tmp_path, KERNEL["name"],
              dict(ENV, NNLABS_GRADER=str(tmp_path / "no-such.whl")))
    assert out == [[]], out


def test_a_release_for_a_course_installs_from_the_courses_address(tmp_path):
    from nngrade.notebooks import is_pristine
    dest = tmp_path / "release"
    url = "git+https://example.org/a-course/nnlabs-student"
    subprocess.run([sys.executable, "-m", "nngrade", "release", "--dest", str(dest), "--labs", "01-02",
                    "--grader-url", url], cwd=ROOT, check=True, capture_output=True)
    for path in (dest / "labs").glob("*.ipynb"):
        text = path.read_text()
        assert url in text and GRADER_PLACEHOLDER not in text
        assert is_pristine(path)          # the course's address is not a student's edit (make update)

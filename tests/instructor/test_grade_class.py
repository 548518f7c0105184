"""A class of 22 submissions graded in one run: correct totals, broken and hostile
submissions contained, resumable, and the Gradescope layout simulated end to end."""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT, solution_cells, write_hidden, write_notebook
from nngrade.registry import load_checks

LAB = "lab02_activations"
POINTS = {}
for c in load_checks(LAB):
    POINTS[c.function] = POINTS.get(c.function, 0) + c.points
FULL = sum(POINTS.values())
ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")


def run(*args, cwd=ROOT):
    p = subprocess.run([sys.executable, "-m", "nngrade", *args], cwd=cwd, env=ENV,
                       capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Traceback" not in p.stdout + p.stderr
    return p.stdout


def broken(functions, how="raise NotImplementedError('{f}')"):
    """The solution with each named function replaced: it must lose exactly their points."""
    sig = {f: "(z, grad_out, axis=-1)" if f == "softmax_backward" else "(z, *a, **k)" for f in functions}
    return solution_cells(LAB) + [f"def {f}{sig[f]}:\n    " + how.format(f=f) + "\n" for f in functions]


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    expected = {}

    def student(name, cells=None, raw=None, filename=f"{LAB}.ipynb"):
        d = root / name
        d.mkdir(exist_ok=True)
        if cells is None and raw is None:
            return
        if raw is not None:
            (d / filename).write_text(raw)
        else:
            write_notebook(d / filename, cells)

    for i in range(4):
        student(f"full{i}", solution_cells(LAB))
        expected[f"full{i}"] = FULL
    for i in range(3):
        shutil.copy(ROOT / "labs" / f"{LAB}.ipynb", (root / f"blank{i}").mkdir() or root / f"blank{i}")
        expected[f"blank{i}"] = 0
    partial = [["sigmoid"], ["relu", "relu_grad"], ["softmax"], ["gelu", "gelu_grad", "selu"],
               ["tanh_grad"], ["identity", "binary_step"], ["softmax_backward", "silu"], ["elu"]]
    for i, fs in enumerate(partial):
        student(f"partial{i}", broken(fs))
        expected[f"partial{i}"] = FULL - sum(POINTS[f] for f in fs)
    student("lists", broken(["tanh"], "return list(z)"))
    expected["lists"] = FULL - POINTS["tanh"]
    student("notjson", raw="this is not a notebook {")
    expected["notjson"] = 0
    student("notanotebook", raw=json.dumps({"hello": "world"}))
    expected["notanotebook"] = 0
    student("loops", broken(["gaussian"], "while True:\n        pass"))
    expected["loops"] = FULL - POINTS["gaussian"]
    student("exits", broken(["silu"], "import os; os._exit(3)"))
    expected["exits"] = FULL - POINTS["silu"]
    student("sysexit_top", solution_cells(LAB) + ["import sys\n_ = sys.exit(0)\n"])
    expected["sysexit_top"] = FULL
    student("empty")   # a folder with no notebook at all
    expected["empty"] = 0
    assert len(expected) >= 20
    return root, expected


def read_gradebook(out):
    with open(out / "gradebook.csv") as f:
        return {row["student"]: row for row in csv.DictReader(f)}


def test_grade_class_totals_resume_and_regrade(klass, tmp_path):
    root, expected = klass
    out = tmp_path / "grades"
    text = run("grade-class", "--submissions", str(root), "--lab", "02", "--out", str(out), "--no-progress")
    book = read_gradebook(out)
    assert set(book) == set(expected)
    for name, total in expected.items():
        assert float(book[name]["total"]) == total, (name, book[name])
        assert float(book[name]["max_total"]) == FULL
        assert book[name]["status"] == "graded"
        assert (out / f"{name}.json").exists() and (out / f"{name}.md").exists()
    assert f"Graded {len(expected)} students ({len(expected)} now" in text
    md = (out / "partial0.md").read_text()
    assert "sigmoid" in md and "not implemented yet" in md
    assert "not valid JSON" in (out / "notjson.md").read_text()

    # a re-run grades nothing; a changed submission is graded again
    text = run("grade-class", "--submissions", str(root), "--lab", "02", "--out", str(out), "--no-progress")
    assert "(0 now" in text
    write_notebook(root / "blank0" / f"{LAB}.ipynb", solution_cells(LAB))
    text = run("grade-class", "--submissions", str(root), "--lab", "02", "--out", str(out), "--no-progress")
    assert "(1 now" in text
    assert float(read_gradebook(out)["blank0"]["total"]) == FULL
    write_notebook(root / "blank0" / f"{LAB}.ipynb", [])   # restore for other tests: a blank


def validate_gradescope(results):
    assert isinstance(results["score"], (int, float)) and isinstance(results["execution_time"], (int, float))
    assert isinstance(results["output"], str) and isinstance(results["tests"], list) and results["tests"]
    for t in results["tests"]:
        assert set(t) >= {"name", "score", "max_score", "status", "output", "visibility"}
        assert t["status"] in ("passed", "failed") and t["visibility"] in ("visible", "hidden",
                                                                           "after_due_date", "after_published")
        assert isinstance(t["score"], (int, float)) and isinstance(t["max_score"], (int, float))
        assert 0 <= t["score"] <= t["max_score"]
    assert abs(results["score"] - sum(t["score"] for t in results["tests"])) < 1e-9


def test_gradescope_bundle_in_a_simulated_autograder_layout(tmp_path):
    # Keras too: answered by the oracle process, which loads the hidden checks as well
    hidden = write_hidden(tmp_path / "hidden_checks", LAB, "sigmoid", 2, "np.array([4.25, -7.5])", keras=True)
    zpath = tmp_path / "autograder.zip"
    run("gradescope", "--lab", "02", "--out", str(zpath), "--seed", "7", "--hidden", str(hidden))
    ag = tmp_path / "autograder"
    with zipfile.ZipFile(zpath) as z:
        names = z.namelist()
        assert {"setup.sh", "run_autograder", "requirements-grader.txt", f"nngrade/labs/{LAB}/checks.py",
                f"hidden/{LAB}.py"} <= set(names)
        assert not any(n.startswith(("solutions/", "tests/")) for n in names)
        z.extractall(ag / "source")
    assert subprocess.run(["bash", "-n", str(ag / "source" / "setup.sh")]).returncode == 0
    (ag / "submission").mkdir()
    shutil.copy(ROOT / "solutions" / f"{LAB}.ipynb", ag / "submission" / f"{LAB}.ipynb")
    env = dict(ENV, AUTOGRADER_ROOT=str(ag), PYTHON=sys.executable)
    p = subprocess.run(["bash", str(ag / "source" / "run_autograder")], env=env, capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, p.stderr
    results = json.loads((ag / "results" / "results.json").read_text())
    validate_gradescope(results)
    assert results["score"] == results["max_score"] == FULL + 2
    secret = [t for t in results["tests"] if "hidden: a secret input" in t["name"]]
    assert len(secret) == 1 and secret[0]["status"] == "passed"
    assert "4.25" not in secret[0]["output"] and "not shown" in secret[0]["output"]
    assert results["seed"] == 7 and results["versions"]["numpy"]
    # file modes, the wall that holds without Landlock: nothing there is the workers' to read
    for path in [ag / "results", ag / "submission", *(ag / "source").rglob("*")]:
        assert path.stat().st_mode & 0o077 == 0, path


def test_hidden_check_failure_shows_name_and_points_but_not_inputs(tmp_path):
    hidden = write_hidden(tmp_path / "h", LAB, "tanh", 3, "np.array([0.123456789])")
    sub = tmp_path / "sub"
    sub.mkdir()
    write_notebook(sub / f"{LAB}.ipynb", broken(["tanh"], "return np.asarray(z, dtype=float) * 0.0"))
    out = tmp_path / "r.json"
    run("grade", "--submission", str(sub), "--lab", "02", "--out", str(out), "--seed", "1", "--hidden", str(hidden))
    results = json.loads(out.read_text())
    secret = [t for t in results["tests"] if t["name"] == f"{LAB}.tanh: hidden: a secret input"]
    assert secret and secret[0]["score"] == 0 and secret[0]["max_score"] == 3
    assert "0.123456789" not in secret[0]["output"] and "0.1234" not in json.dumps(results)


def test_same_submission_and_seed_give_the_same_score_ten_times(tmp_path):
    from conftest import grade_cells
    import conftest
    cells = broken(["relu_grad"], "return (np.asarray(z) >= 0).astype(float)")
    scores = set()
    for _ in range(10):
        conftest._oracles.pop(LAB, None)    # a new Plan: inputs and oracles computed afresh
        by_fn, _ = grade_cells(LAB, cells)
        scores.add(sum(s for s, _, _ in by_fn.values()))
    assert len(scores) == 1
    assert scores.pop() < FULL


def test_parallel_students_do_not_share_oracle_state(tmp_path):
    """Keras metric objects are not thread-safe: students graded at once (and the stand-ins their
    code calls) must still get exactly the oracle's answers."""
    from nngrade.classroom import grade_class
    subs = tmp_path / "subs"
    for i in range(4):
        (subs / f"s{i}").mkdir(parents=True)
        shutil.copy(ROOT / "solutions" / "lab07_metrics.ipynb", subs / f"s{i}")
    summary = grade_class(subs, ["lab07_metrics"], tmp_path / "out", seed=2026, progress=False, jobs=4)
    assert summary["mean_per_lab"]["lab07_metrics"] == summary["max_per_lab"]["lab07_metrics"]

"""The Gradescope autograder built, set up and run in a simulated base image.

The image (as Gradescope's Ubuntu 22.04 base: its `python3` is 3.10, too old for the pins) is a
folder of its own: `/autograder` is `tmp/ag`, and PATH holds only
- the machine's tools without any Python (every file of the system's bin folders but python*,
  pip* and apt*),
- a `python3` that is outside pyproject.toml's range (a real interpreter of this machine),
- an `apt-get` stand-in that logs what it is asked and, like Ubuntu 22.04's archive, has a
  `python3.11` package (it links this machine's 3.11 interpreter in) and no `python3.12`.
pip reaches only the package index this machine is configured with (PyPI, and the CPU-only torch
wheel on local disk through PIP_FIND_LINKS); PyTorch's own wheel index is not reachable here, so
the autograder's setting for it (NNGRADE_TORCH_INDEX) is empty.

For Ubuntu 24.04, whose `python3` is 3.12, the same image with a 3.12 interpreter as `python3`:
setup.sh's interpreter search (find_python.sh) takes it as it is, without apt-get.

One zip is built (labs 02 and 07), setup.sh runs once (a few minutes: it installs the grader's
set into a new venv), then run_autograder grades a submission the way Gradescope runs it, and
the results are validated against the schema of Gradescope's documented output format.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
from packaging.requirements import Requirement

from conftest import ROOT, solution_cells, write_notebook
from nngrade import load
from nngrade.config import Limits
from nngrade.engine import grade_lab
from nngrade.oracles import Oracles
from nngrade.plan import Plan
from nngrade.student import Student
from nngrade.python_range import contains, requires_python

LABS = ["lab02_activations", "lab07_metrics"]
SEED = 7
BROKEN = "tanh"      # lab02's tanh, broken in the submission: it loses exactly its points
SCHEMA = json.loads((Path(__file__).parent / "gradescope_results.schema.json").read_text())
DEV_ONLY = {"jupyterlab", "notebook", "ipykernel", "jupyter-client", "jupyter-core", "nbclient", "nbconvert",
            "pytest", "hypothesis"}
SYSTEM_BINS = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
APT_GET = """#!/usr/bin/env bash
# apt-get as Ubuntu 22.04's archive answers it for the packages setup.sh may ask for
echo "apt-get $*" >> "{log}"
[ "$1" = install ] || exit 0
for pkg in "$@"; do
    case "$pkg" in
        -*|install) ;;
        python3.11) ln -sf "{python311}" "{bin}/python3.11" ;;
        python3.11-venv|libseccomp2) ;;
        *) echo "E: Unable to locate package $pkg" >&2; exit 100 ;;
    esac
done
"""


def version_of(python: str) -> tuple:
    out = subprocess.run([python, "-c", "import sys; print(*sys.version_info[:3])"], capture_output=True, text=True)
    return tuple(int(x) for x in out.stdout.split()) if out.returncode == 0 else ()


def interpreters() -> list[str]:
    """The real interpreters of this machine, system and pyenv ones."""
    return [str(p) for d in SYSTEM_BINS + sorted(map(str, Path.home().glob(".pyenv/versions/*/bin")))
            for p in sorted(Path(d).glob("python3.[0-9]*")) if re.fullmatch(r"python3\.\d+", p.name)]


def interpreter(inside: bool, minor=None) -> str:
    """A real interpreter on this machine inside (or outside) the supported range (of 3.`minor`)."""
    spec = requires_python()
    for path in interpreters():
        v = version_of(path)
        if v and contains(spec, v) == inside and (minor is None or v[1] == minor):
            return path
    raise AssertionError(f"no Python {'inside' if inside else 'outside'} {spec} (3.{minor}) on this machine "
                         f"to stand in for the image's python3 (looked at {interpreters()})")


def make_image(tmp: Path, python3: str) -> dict:
    """The image's PATH (a bin folder of ours first, then the system's tools without Python)."""
    bin_dir, system = tmp / "image" / "bin", tmp / "image" / "system"
    bin_dir.mkdir(parents=True)
    system.mkdir()
    for d in SYSTEM_BINS:
        for p in sorted(Path(d).glob("*")) if Path(d).is_dir() else []:
            if not p.name.startswith(("python", "pip", "pydoc", "apt")) and not (system / p.name).exists():
                (system / p.name).symlink_to(p)
    (bin_dir / "python3").symlink_to(python3)
    log = tmp / "image" / "apt.log"
    python311 = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    assert version_of(python311)[:2] == (3, 11)
    (bin_dir / "apt-get").write_text(APT_GET.format(log=log, python311=python311, bin=bin_dir))
    (bin_dir / "apt-get").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON", "CONDA"))}
    env.update(PATH=f"{bin_dir}:{system}", NNGRADE_TORCH_INDEX="", TF_CPP_MIN_LOG_LEVEL="2")
    return {"env": env, "log": log}


@pytest.fixture(scope="module")
def autograder(tmp_path_factory) -> Path:
    """The zip, built once and unpacked as Gradescope does, into <root>/source."""
    tmp = tmp_path_factory.mktemp("gradescope")
    zpath = tmp / "gradescope_autograder.zip"
    p = subprocess.run([sys.executable, "-m", "nngrade", "gradescope", "--lab", "02 07", "--seed", str(SEED),
                        "--out", str(zpath)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, p.stderr[-3000:]
    with zipfile.ZipFile(zpath) as z:
        z.extractall(tmp / "ag" / "source")
    for name in ("setup.sh", "run_autograder", "find_python.sh"):
        (tmp / "ag" / "source" / name).chmod(0o755)   # zipfile does not restore modes; Gradescope runs them
    return tmp


@pytest.fixture(scope="module")
def image(autograder):
    """Ubuntu 22.04: setup.sh run in the simulated image."""
    ag = autograder / "ag"
    img = make_image(autograder, interpreter(inside=False))
    setup = subprocess.run(["bash", str(ag / "source" / "setup.sh")], cwd=ag / "source", env=img["env"],
                           capture_output=True, text=True, timeout=1800)
    return {"ag": ag, "names": sorted(str(p.relative_to(ag / "source")) for p in (ag / "source").rglob("*")),
            "setup": setup, **img}


def test_on_ubuntu_24_04_the_images_own_python_3_12_is_used_as_it_is(autograder, tmp_path):
    img = make_image(tmp_path, interpreter(inside=True, minor=12))
    p = subprocess.run(["bash", "-c", f"source {autograder / 'ag' / 'source' / 'find_python.sh'} && "
                                      "find_or_install_python"], env=img["env"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert version_of(p.stdout.strip())[:2] == (3, 12)
    assert not img["log"].exists(), "apt-get was called"


def test_the_zip_holds_the_grader_the_lean_set_and_the_answers_and_no_path_of_this_machine(image):
    names = set(image["names"])
    assert {"setup.sh", "run_autograder", "find_python.sh", "requirements-grader.txt", "pyproject.toml",
            "nngrade/python_range.py", "answers/lab02_activations.wire", "answers/lab07_metrics.wire"} <= names
    assert not any(n.startswith(("solutions/", "tests/", "labs/")) for n in names)
    for name in ("setup.sh", "run_autograder", "find_python.sh"):
        code = "\n".join(l for l in (image["ag"] / "source" / name).read_text().splitlines()
                         if not l.lstrip().startswith("#"))
        assert str(ROOT) not in code and "/work/" not in code and "/opt/" not in code
        assert "/autograder" not in code        # the root comes from the script's own place


def test_setup_installs_a_supported_python_from_the_images_packages(image):
    setup = image["setup"]
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]
    log = image["log"].read_text()
    # newest supported first: 3.12 is not in 22.04's archive, 3.11 is
    assert "install -y -qq python3.12 python3.12-venv" in log
    assert "install -y -qq python3.11 python3.11-venv" in log
    venv_python = image["ag"] / "venv" / "bin" / "python"
    assert contains(requires_python(), version_of(str(venv_python)))
    assert "is outside the supported range" in setup.stderr


def installed(image) -> dict:
    out = subprocess.run([str(image["ag"] / "venv" / "bin" / "python"), "-m", "pip", "list", "--format", "json"],
                         capture_output=True, text=True, env=image["env"], check=True).stdout
    return {p["name"].lower().replace("_", "-"): p["version"] for p in json.loads(out)}


def test_setup_installs_the_lean_grader_set_with_cpu_only_torch(image):
    assert image["setup"].returncode == 0
    have = installed(image)
    for line in (ROOT / "requirements-grader.txt").read_text().splitlines():
        if line.split("#")[0].strip():
            req = Requirement(line.split("#")[0])
            assert req.specifier.contains(have[req.name].split("+")[0]), (req, have.get(req.name))
    assert have["torch"].endswith("+cpu")
    assert not [n for n in have if n.startswith("nvidia")], "CUDA wheels in a CPU-only grader"
    assert not DEV_ONLY & set(have), DEV_ONLY & set(have)


def test_run_autograder_grades_a_submission_into_gradescopes_format(image):
    ag = image["ag"]
    shutil.copy(ag / "source" / "run_autograder", ag / "run_autograder")    # where Gradescope puts it
    (ag / "submission").mkdir()
    cells = solution_cells(LABS[0]) + [f"def {BROKEN}(z):\n    return np.asarray(z) * 0.0\n"]
    write_notebook(ag / "submission" / f"{LABS[0]}.ipynb", cells)
    shutil.copy(ROOT / "solutions" / f"{LABS[1]}.ipynb", ag / "submission" / f"{LABS[1]}.ipynb")
    p = subprocess.run(["bash", str(ag / "run_autograder")], cwd=ag, env=image["env"], capture_output=True,
                       text=True, timeout=900)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-3000:]
    results = json.loads((ag / "results" / "results.json").read_text())
    jsonschema.validate(results, SCHEMA)
    # the oracle: the same notebook graded here, with this venv's grader and frameworks
    plan = Plan([LABS[0]], SEED)
    with Student(Limits()) as student:
        here = grade_lab(student, plan, Oracles(plan), LABS[0], load.Notebook(LABS[0], None, cells))
    scores = {t["name"]: t["score"] for t in results["tests"]}
    assert {n: s for n, s in scores.items() if n.startswith(LABS[0])} == {r.check.name: r.score for r in here.results}
    assert any(r.check.function == BROKEN and not r.passed for r in here.results)
    assert all(t["score"] == t["max_score"] for t in results["tests"] if t["name"].startswith(LABS[1]))
    assert results["score"] == sum(scores.values())
    assert results["seed"] == SEED
    # the shipped answers held: every check's answers came from them
    assert results["shipped_answers"]["labs"] == LABS and results["shipped_answers"]["used"] > 0


def test_the_schema_rejects_what_gradescope_would_not_read():
    """The schema is not a formality: a test case with a misspelt key or a bad status fails it."""
    good = {"score": 1, "tests": [{"name": "a", "score": 1, "max_score": 1, "status": "passed"}]}
    jsonschema.validate(good, SCHEMA)
    for bad in ({"tests": [{"name": "a", "scroe": 1}]}, {"tests": [{"status": "ok"}]},
                {"score": "1"}, {"tests": [{"visibility": "always"}]}, {"output": 3}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, SCHEMA)

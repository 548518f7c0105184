"""requirements-grader.txt, what the Gradescope autograder installs: a subset of requirements.txt's
pins (same versions, same markers), without the notebook and test tools, with a Linux wheel of
every pin for each Python of the supported range (Gradescope's Ubuntu 22.04 gets 3.11 from its
packages, 24.04 has 3.12). That the set suffices to grade is shown by
test_gradescope_image.py, which installs it and grades with it."""
from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest
from packaging.requirements import Requirement

from conftest import ROOT
from nngrade.python_range import minors, requires_python


def lines(name: str) -> list[Requirement]:
    return [Requirement(l.split("#")[0]) for l in (ROOT / name).read_text().splitlines() if l.split("#")[0].strip()]


def test_every_grader_pin_is_the_pin_of_requirements_txt():
    main = {(r.name, str(r.marker)): str(r) for r in lines("requirements.txt")}
    for req in lines("requirements-grader.txt"):
        assert main.get((req.name, str(req.marker))) == str(req), f"{req} differs from requirements.txt"


def test_the_grader_set_has_no_notebook_or_test_tools():
    dev = {Requirement(r).name for r in tomllib.loads((ROOT / "pyproject.toml").read_text())
           ["project"]["optional-dependencies"]["dev"]}
    names = {r.name for r in lines("requirements-grader.txt")}
    assert not names & (dev | {"matplotlib", "nbformat", "tqdm", "psutil"}), names & dev
    assert {"numpy", "scipy", "torch", "tensorflow-cpu", "keras"} <= names


@pytest.mark.parametrize("minor", minors(requires_python()))
def test_every_grader_pin_has_a_linux_wheel_for_each_supported_python(minor, tmp_path):
    abi = "cp" + minor.replace(".", "")
    env = {"sys_platform": "linux", "platform_system": "Linux", "python_version": minor}
    pins = [f"{r.name}{r.specifier}" for r in lines("requirements-grader.txt")
            if r.marker is None or r.marker.evaluate(env)]
    cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--no-deps", "--ignore-installed",
           "--only-binary=:all:", "--python-version", minor, "--implementation", "cp", "--abi", abi,
           "--target", str(tmp_path / "t")]
    for tag in ("manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"):
        cmd += ["--platform", tag]
    p = subprocess.run(cmd + pins, capture_output=True, text=True, timeout=1200)
    errors = [l for l in p.stderr.splitlines() if "ERROR" in l and "Ignored the following" not in l]
    assert p.returncode == 0, "\n".join(errors) or p.stderr[-2000:]

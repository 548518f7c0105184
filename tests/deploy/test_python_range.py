"""The supported Python range is stated once (pyproject.toml's requires-python) and `make install`
refuses an interpreter outside it before it creates or downloads anything."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest
import tomllib
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from conftest import ROOT
from nngrade import python_range

SPECS = [">=3.11,<3.13", ">=3.11", "==3.11.7", ">3.10.2,!=3.12.0,<=3.13", "<3.11", ">=3.8, <4"]
VERSIONS = [(3, m, p) for m in range(6, 15) for p in (0, 1, 2, 7, 99)]


def test_the_range_is_pyprojects_requires_python():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert python_range.requires_python() == declared


@pytest.mark.parametrize("spec", SPECS)
def test_membership_is_what_packaging_says(spec):
    oracle = SpecifierSet(spec)
    for v in VERSIONS:
        assert python_range.contains(spec, v) == oracle.contains(Version(".".join(map(str, v)))), (spec, v)


@pytest.mark.parametrize("spec", SPECS)
def test_minors_are_the_3x_wholly_inside_the_range_newest_first(spec):
    oracle = SpecifierSet(spec)
    expected = [f"3.{m}" for m in range(30, -1, -1) if all(oracle.contains(f"3.{m}.{p}") for p in range(100))]
    assert python_range.minors(spec) == expected


def test_this_interpreter_is_inside_the_range():
    p = subprocess.run([sys.executable, str(ROOT / "nngrade" / "python_range.py")], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


@pytest.mark.parametrize("makefile", ["Makefile", "docs/student-Makefile"])
def test_make_install_refuses_an_interpreter_outside_the_range_first(makefile, tmp_path):
    """A copy of the project whose range excludes this interpreter: `make install` stops at once,
    names the range, and has made no venv (so downloaded nothing)."""
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    shutil.copy(ROOT / makefile, tmp_path / "Makefile")
    for name in ("requirements.txt", "nngrade/python_range.py"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    text = (ROOT / "pyproject.toml").read_text()
    spec = python_range.requires_python()
    (tmp_path / "pyproject.toml").write_text(text.replace(f'"{spec}"', f'">{here}.99"'))
    start = time.monotonic()
    p = subprocess.run(["make", "install", f"PYTHON={sys.executable}", "VENV=venv"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode != 0
    assert f"supports Python >{here}.99 (pyproject.toml's requires-python)" in p.stderr
    assert not (tmp_path / "venv").exists()
    assert time.monotonic() - start < 30


def test_the_readme_states_the_range():
    """README's "Supported versions" table, Python row: pyproject.toml's requires-python."""
    row = next(l for l in (ROOT / "README.md").read_text().split("### Supported versions")[1].splitlines()
               if l.startswith("| Python |"))
    assert f'`requires-python = "{python_range.requires_python()}"`' in row
    assert all(m in row for m in python_range.minors(python_range.requires_python()))

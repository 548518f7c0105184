"""The supported range is declared once and both of its tested sets resolve on the students'
platforms.

pyproject.toml states the range; requirements.txt (the pinned set) lies inside it and
requirements-oldest.txt is its lower end, package for package. For macOS arm64 and Windows
x86_64, every pin of both sets that applies there (environment markers evaluated for that
platform) has a binary wheel for CPython 3.11, checked by pip's platform options in a dry run.
The newest end is whatever pip resolves on the day: `make versions SET=newest` in CI."""
from __future__ import annotations

import subprocess
import sys

import tomllib

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from conftest import ROOT

PLATFORMS = {
    "macos-arm64": ({"sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "arm64",
                     "os_name": "posix"}, ["macosx_14_0_arm64", "macosx_12_0_arm64", "macosx_11_0_arm64"]),
    "windows-x86_64": ({"sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64",
                        "os_name": "nt"}, ["win_amd64"]),
}


SETS = ["requirements.txt", "requirements-oldest.txt"]


def requirements(name: str) -> list[Requirement]:
    out = []
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            out.append(Requirement(line))
    return out


def declared_range() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]]


def pins_for(env_overrides, name="requirements.txt") -> list[str]:
    env = default_environment() | {"python_version": "3.11", "python_full_version": "3.11.7"} | env_overrides
    out = []
    for req in requirements(name):
        assert str(req.specifier).startswith("=="), f"not an exact pin in {name}: {req}"
        if req.marker is None or req.marker.evaluate(env):
            out.append(f"{req.name}{req.specifier}")
    return out


def _key(req: Requirement) -> tuple[str, str]:
    return req.name, str(req.marker)


@pytest.mark.parametrize("name", SETS)
def test_a_set_pins_exactly_the_packages_of_the_range(name):
    assert sorted(map(_key, requirements(name))) == sorted(map(_key, declared_range()))


def test_the_pinned_set_lies_inside_the_range():
    pins = {_key(r): r for r in requirements("requirements.txt")}
    for req in declared_range():
        (version,) = [Version(s.version) for s in pins[_key(req)].specifier]
        assert req.specifier.contains(version), f"requirements.txt pins {req.name} {version}, outside {req}"


def test_the_oldest_set_is_the_lower_end_of_the_range():
    pins = {_key(r): r for r in requirements("requirements-oldest.txt")}
    for req in declared_range():
        (lower,) = [s.version for s in req.specifier if s.operator == ">="]
        (pin,) = [s.version for s in pins[_key(req)].specifier]
        assert pin == lower, f"{req.name}: requirements-oldest.txt pins {pin}, the range starts at {lower}"


def test_markers_choose_the_right_tensorflow():
    assert "tensorflow==2.21.0" in pins_for(PLATFORMS["macos-arm64"][0])
    assert not any(p.startswith("tensorflow-cpu") for p in pins_for(PLATFORMS["macos-arm64"][0]))
    assert "tensorflow-cpu==2.21.0" in pins_for({"sys_platform": "linux", "platform_system": "Linux"})


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_every_pin_has_a_binary_wheel(platform, name, tmp_path):
    env, tags = PLATFORMS[platform]
    cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--no-deps", "--ignore-installed",
           "--only-binary=:all:", "--python-version", "3.11", "--implementation", "cp", "--abi", "cp311",
           "--target", str(tmp_path / "t")]
    for tag in tags:
        cmd += ["--platform", tag]
    p = subprocess.run(cmd + pins_for(env, name), capture_output=True, text=True, timeout=1200)
    errors = [l for l in p.stderr.splitlines() if "ERROR" in l and "Ignored the following" not in l]
    assert p.returncode == 0, "\n".join(errors) or p.stderr[-2000:]


def test_the_installed_set_is_inside_the_range_and_says_so(capsys):
    """`python -m nngrade versions` reads the range from pyproject.toml."""
    from nngrade import versions
    assert versions.main() == 0
    out = capsys.readouterr().out
    assert "OUTSIDE" not in out and "torch" in out and "python" in out
    assert sorted(r.name for r in versions.declared()) == sorted(
        r.name for r in declared_range() if r.marker is None or r.marker.evaluate())


def test_without_pyproject_the_range_comes_from_the_installed_metadata(monkeypatch):
    """An installed nnlabs without its source tree: pip wrote the same range into its metadata."""
    from nngrade import versions

    def normalised(declared):
        core, dev, python = declared
        return [str(Requirement(r)) for r in core], [str(Requirement(r)) for r in dev], str(SpecifierSet(python))
    from_file = normalised(versions._declared())
    monkeypatch.setattr(versions, "PYPROJECT", ROOT / "no-such-pyproject.toml")
    assert normalised(versions._declared()) == from_file, "pyproject.toml changed since `make install`"


def _fake(**versions_by_name):
    from nngrade import versions
    real = versions.installed
    return lambda name: versions_by_name[name] if name in versions_by_name else real(name)


def test_a_version_outside_the_range_is_named():
    from nngrade import versions
    bad = versions.outside(_fake(torch="2.8.0", keras=None))
    assert "torch 2.8.0 is outside >=2.9.1" in bad and "keras is not installed >=3.10.0" in bad
    assert len(bad) == 2
    assert versions.outside(_fake(pytest=None), dev=False) == []      # the grader does not need pytest


def test_make_grade_notes_a_set_outside_the_range(monkeypatch, capsys):
    from nngrade import cli, versions
    cli._warn_outside_range()
    assert "outside the supported range" not in capsys.readouterr().out
    monkeypatch.setattr(versions, "installed", _fake(torch="2.8.0"))
    cli._warn_outside_range()
    assert "graded with packages outside the supported range" in capsys.readouterr().out


def test_the_readme_states_the_range_of_the_files():
    """README's "Supported versions" table: oldest and pinned columns as the two files pin them."""
    rows = {}
    for line in (ROOT / "README.md").read_text().split("### Supported versions")[1].splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) == 4:
            rows[cells[0]] = cells[1:3]
    linux = {"sys_platform": "linux", "platform_system": "Linux"}
    for label, package in [("NumPy", "numpy"), ("torch", "torch"), ("TensorFlow", "tensorflow-cpu"),
                           ("Keras", "keras")]:
        pins = [dict(p.split("==") for p in pins_for(linux, name))[package] for name in reversed(SETS)]
        assert rows[label] == pins, f"README says {label} {rows[label]}, the files pin {pins}"

"""`python -m nngrade versions`: the installed packages against the supported range.

The range is pyproject.toml's (`dependencies` and the `dev` extra, `requires-python`): the file
beside the package where there is one (a clone, the student repository, Gradescope's folder),
else the installed distribution's metadata, which pip wrote from it. Both ends of the range are tested in CI (`make versions SET=oldest|newest`);
outside it the grade may differ from the class's."""
from __future__ import annotations

import platform
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.version import Version

DISTRIBUTION = "nnlabs"


PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _declared() -> tuple[list[str], list[str], str]:
    """(the grader's requirements, the dev extra's, requires-python); empty when neither source
    is there."""
    if PYPROJECT.exists():
        project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
        dev = project.get("optional-dependencies", {}).get("dev", [])
        return project.get("dependencies", []), dev, project.get("requires-python", "")
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return [], [], ""
    reqs = [Requirement(r) for r in dist.requires or []]
    in_dev = [r.marker is not None and "extra" in str(r.marker) for r in reqs]
    core = [str(r) for r, d in zip(reqs, in_dev) if not d]
    dev = [f"{r.name}{r.specifier}" for r, d in zip(reqs, in_dev) if d]   # their marker: only the extra
    return core, dev, dist.metadata["Requires-Python"] or ""


def declared(dev: bool = True) -> list[Requirement]:
    """The range's requirements that apply on this platform; with `dev`, the tests' and the
    notebooks' too (the `dev` extra)."""
    reqs, dev_reqs = _declared()[:2]
    env = default_environment() | {"extra": ""}
    out = [Requirement(r) for r in reqs + (dev_reqs if dev else [])]
    return [r for r in out if r.marker is None or r.marker.evaluate(env)]


def installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def rows(found=None, dev: bool = True) -> list[tuple[str, str | None, str, bool]]:
    """(package, installed version or None, the supported range, inside it); Python first.
    `found(name)` gives a package's installed version (default: `installed`)."""
    from packaging.specifiers import SpecifierSet
    found = found or installed
    python = SpecifierSet(_declared()[2])
    here = platform.python_version()
    out = [("python", here, str(python), python.contains(here, prereleases=True))]
    for req in declared(dev):
        version = found(req.name)
        inside = version is not None and req.specifier.contains(Version(version), prereleases=True)
        out.append((req.name, version, str(req.specifier), inside))
    return out


def outside(found=None, dev: bool = True) -> list[str]:
    """One line per package missing or outside the range: empty when the set is supported."""
    return [f"{name} {version or 'is not installed'}{'' if version is None else ' is outside'} {spec}"
            for name, version, spec, inside in rows(found, dev) if not inside]


def main() -> int:
    table = rows()
    width = max(len(r[0]) for r in table)
    for name, version, spec, inside in table:
        print(f"{name:<{width}}  {version or '-':<14} {spec:<12} {'ok' if inside else 'OUTSIDE the range'}")
    bad = [r for r in table if not r[3]]
    print(f"\n{len(table) - len(bad)} of {len(table)} packages inside the supported range "
          f"(pyproject.toml; both ends tested in CI)")
    return 1 if bad else 0

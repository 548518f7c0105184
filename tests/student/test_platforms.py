"""The pins resolve on the students' platforms: for macOS arm64 and Windows x86_64, every
requirement that applies there (environment markers evaluated for that platform) has a
binary wheel for CPython 3.11, checked by pip's platform options in a dry run."""
from __future__ import annotations

import subprocess
import sys

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement

from conftest import ROOT

PLATFORMS = {
    "macos-arm64": ({"sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "arm64",
                     "os_name": "posix"}, ["macosx_14_0_arm64", "macosx_12_0_arm64", "macosx_11_0_arm64"]),
    "windows-x86_64": ({"sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64",
                        "os_name": "nt"}, ["win_amd64"]),
}


def pins_for(env_overrides) -> list[str]:
    env = default_environment() | {"python_version": "3.11", "python_full_version": "3.11.7"} | env_overrides
    out = []
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        req = Requirement(line)
        assert str(req.specifier).startswith("=="), f"not an exact pin: {line}"
        if req.marker is None or req.marker.evaluate(env):
            out.append(f"{req.name}{req.specifier}")
    return out


def test_markers_choose_the_right_tensorflow():
    assert "tensorflow==2.21.0" in pins_for(PLATFORMS["macos-arm64"][0])
    assert not any(p.startswith("tensorflow-cpu") for p in pins_for(PLATFORMS["macos-arm64"][0]))
    assert "tensorflow-cpu==2.21.0" in pins_for({"sys_platform": "linux", "platform_system": "Linux"})


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_every_pin_has_a_binary_wheel(platform, tmp_path):
    env, tags = PLATFORMS[platform]
    cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--no-deps", "--ignore-installed",
           "--only-binary=:all:", "--python-version", "3.11", "--implementation", "cp", "--abi", "cp311",
           "--target", str(tmp_path / "t")]
    for tag in tags:
        cmd += ["--platform", tag]
    p = subprocess.run(cmd + pins_for(env), capture_output=True, text=True, timeout=1200)
    errors = [l for l in p.stderr.splitlines() if "ERROR" in l and "Ignored the following" not in l]
    assert p.returncode == 0, "\n".join(errors) or p.stderr[-2000:]

"""Kernels and JupyterLab: `make install` registers the kernel inside the checkout's venv, so
two checkouts (a new release, a TA's copy) each run their notebooks in their own venv, and a
kernel someone registered user-wide under the same name changes neither; `make lab` starts
JupyterLab as root too (Docker, Colab, lab images), from the instructors' and the students'
Makefile."""
from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from nngrade.notebooks import KERNEL
from student.envs import venv_with_these_packages

def checkout(folder: Path) -> Path:
    """A checkout's venv: its own interpreter, the packages of this one."""
    return venv_with_these_packages(folder / ".venv")


def install_kernel(python: Path, home: Path):
    """The kernel registration line of `make install` (read from the Makefile), for this venv
    (with HOME in the test's folder: a user-wide registration would land there)."""
    dry = subprocess.run(["make", "-n", "install", f"PY={python}"], cwd=ROOT, capture_output=True, text=True)
    line = next(line for line in dry.stdout.splitlines() if "ipykernel install" in line)
    assert "--sys-prefix" in line, line
    subprocess.run(shlex.split(line), check=True, capture_output=True, env=dict(os.environ, HOME=str(home)))


def kernel_python(python: Path, home: Path) -> str:
    """What Jupyter run from `python` starts for the notebooks' kernel name."""
    p = subprocess.run([str(python), "-c", "from jupyter_client.kernelspec import KernelSpecManager as M; "
                        f"print(M().get_kernel_spec({KERNEL['name']!r}).argv[0])"],
                       capture_output=True, text=True, env=dict(os.environ, HOME=str(home)), check=True)
    return p.stdout.strip()


def test_two_checkouts_each_run_their_notebooks_in_their_own_venv(tmp_path):
    home = tmp_path / "home"
    stale = home / ".local" / "share" / "jupyter" / "kernels" / KERNEL["name"]
    stale.mkdir(parents=True)          # registered user-wide by an older checkout, since deleted
    (stale / "kernel.json").write_text(json.dumps({"argv": ["/deleted/checkout/.venv/bin/python", "-m",
                                                            "ipykernel_launcher", "-f", "{connection_file}"],
                                                   "display_name": "Python (nnlabs)", "language": "python"}))
    a, b = checkout(tmp_path / "course"), checkout(tmp_path / "ta-copy")
    install_kernel(a, home)
    install_kernel(b, home)
    assert kernel_python(a, home) == str(a)
    assert kernel_python(b, home) == str(b)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answer(url, seconds=30.0) -> bytes:
    """The server's answer; it logs its address a moment before it accepts connections."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                return r.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.parametrize("makefile", ["Makefile", "docs/student-Makefile"])
def test_make_lab_starts_jupyterlab_even_as_root(makefile, tmp_path):
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    make = ["make", "-f", str(ROOT / makefile), "lab", f"PY={sys.executable}"]
    dry = subprocess.run(make + ["-n"], cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert ("--allow-root" in dry) == root, dry
    (tmp_path / "labs").mkdir()
    port = free_port()
    env = dict(os.environ, JUPYTER_PORT=str(port), JUPYTER_PORT_RETRIES="0", BROWSER="true",
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    server = subprocess.Popen(make, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, start_new_session=True)
    seen = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            seen.append(line)
            if not line and server.poll() is not None:
                break
            if re.search(rf"http://(localhost|127\.0\.0\.1):{port}/", line):
                break
        assert server.poll() is None, "".join(seen)[-3000:]
        assert "version" in json.loads(answer(f"http://127.0.0.1:{port}/api")), "".join(seen)[-3000:]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)

"""A Python environment of its own for a test: a new venv (its own interpreter and prefix) that
sees this venv's packages through a .pth file, as a JupyterHub image or Colab has torch and
TensorFlow already, but not this checkout's grader (an editable install's finder is a .pth of
its own, which a path added by a .pth does not run)."""
from __future__ import annotations

import sys
import venv
from pathlib import Path

SITE = next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_relative_to(sys.prefix))


def venv_with_these_packages(folder: Path) -> Path:
    """A venv at `folder`; returns its python."""
    venv.EnvBuilder(with_pip=False).create(folder)
    site = next((folder / "lib").glob("python3*/site-packages"))
    (site / "packages.pth").write_text(SITE + "\n")
    return folder / "bin" / "python"

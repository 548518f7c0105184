"""`make gradescope`: the autograder zip Gradescope runs for one assignment.

The zip holds `setup.sh` (a venv with the pinned set), `run_autograder` (grades
`/autograder/submission/` into `/autograder/results/results.json` with this package), the
grading package, the oracles, the pins and, with HIDDEN=dir, the hidden checks. The seed
is fixed when the zip is built, so every student of the assignment gets the same inputs.
`AUTOGRADER_ROOT` and `PYTHON` override `/autograder` and the venv's python (for tests).
"""
from __future__ import annotations

import zipfile
from pathlib import Path

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once when the autograder image is built.
set -euo pipefail
cd /autograder/source
PY=$(command -v python3.11 || command -v python3.12 || command -v python3)
"$PY" -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --quiet --upgrade pip
# PyPI's Linux torch wheel carries CUDA (several GB); a CPU-only build of the same version,
# installed before this line, is smaller and enough: the grader never uses a GPU.
/autograder/venv/bin/python -m pip install --quiet -r requirements.txt
/autograder/venv/bin/python -m pip install --quiet --no-deps -e .
# the sandbox's seccomp layer binds libseccomp (nngrade/sandbox.py); without it the results say
# "seccomp off" and the other layers still hold
if ! ldconfig -p | grep -q libseccomp.so.2; then
    (apt-get update -qq && apt-get install -y -qq libseccomp2) || echo "libseccomp2 not installed: seccomp off"
fi
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission.
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{PYTHON:-$ROOT/venv/bin/python}}"
export TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=0
cd "$ROOT/source"
mkdir -p "$ROOT/results"
# the workers' uids (60000 and up) may not read the grader, the hidden checks, the submission or
# the results, whether the kernel has Landlock or not (the venv stays readable: it is their Python)
chmod -R go-rwx "$ROOT/source/" "$ROOT/submission" "$ROOT/results"
"$PYTHON" -m nngrade grade --submission "$ROOT/submission" --out "$ROOT/results/results.json" \\
    --seed {seed} {lab_args} {hidden_args} --quiet
"""

INCLUDE = ["nngrade", "reference"]
FILES = ["requirements.txt", "pyproject.toml"]


def build(dest: Path, root: Path, seed: int, labs: list[str] | None = None, hidden: Path | None = None) -> Path:
    lab_args = f"--lab '{' '.join(l[3:5] for l in labs)}'" if labs else ""
    hidden_args = "--hidden hidden" if hidden else ""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (("setup.sh", SETUP),
                           ("run_autograder", RUN.format(seed=seed, lab_args=lab_args, hidden_args=hidden_args))):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            z.writestr(info, text)
        for f in FILES:
            z.write(root / f, f)
        for pkg in INCLUDE:
            for p in sorted((root / pkg).rglob("*.py")):
                z.write(p, p.relative_to(root).as_posix())
        if hidden:
            for p in sorted(Path(hidden).glob("*.py")):
                z.write(p, f"hidden/{p.name}")
    return dest

"""`make gradescope`: the autograder zip Gradescope runs for one assignment.

Gradescope unpacks the zip into `/autograder/source`, runs `setup.sh` there once (as root) to
build the image, copies `run_autograder` to `/autograder/run_autograder` and runs it for each
submission (in `/autograder/submission`), reading `/autograder/results/results.json`.

The zip holds:
- `setup.sh`: finds a Python in pyproject.toml's `requires-python` (`find_python.sh`:
  `nngrade/python_range.py` asks each `python3`, `python3.X` on PATH), and where there is none (Ubuntu 22.04's is 3.10)
  installs one from the image's own packages (`apt-get install python3.X python3.X-venv`,
  newest supported first; Ubuntu 24.04's 3.12 is used as it is). Then a venv with
  `requirements-grader.txt` only: torch from PyTorch's CPU-only wheel index
  (`NNGRADE_TORCH_INDEX`, empty for none: then pip's own configuration decides), no Jupyter,
  no test tools. Last, it recomputes the shipped answers of any lab whose key no longer holds
  with the versions it installed (normally none: they were computed with the same pins).
- `run_autograder`: grades the submission with this package, the assignment's seed and labs
  and the shipped answers.
- the grading package, the oracles (`reference/`), `pyproject.toml` (the Python range),
  `requirements-grader.txt`, the hidden checks (`hidden/`, with HIDDEN=dir) and `answers/`:
  every oracle answer of the assignment's checks on its seed (`nngrade.answers`), so that
  grading a correct submission loads neither framework.

No path of the building machine goes in: both scripts take the root from where they are
(`/autograder/source/setup.sh`, `/autograder/run_autograder`), or from `AUTOGRADER_ROOT`.
`PYTHON` overrides the venv's interpreter in `run_autograder` (tests).
"""
from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"

FIND_PYTHON = """# Sourced by setup.sh: `find_or_install_python` prints an interpreter inside pyproject.toml's
# requires-python, installing python3.X from the image's packages (newest supported first) if
# none on PATH is.
RANGE_PY="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)/nngrade/python_range.py"

supported() {{                   # the first interpreter on PATH inside the range
    local name path
    for name in python3 $(printf 'python%s ' $MINORS); do
        path="$(command -v "$name")" || continue
        if "$path" "$RANGE_PY" 2>/dev/null; then echo "$path"; return 0; fi
    done
    return 1
}}

find_or_install_python() {{
    command -v python3 >/dev/null || apt-get install -y -qq python3 >&2
    MINORS="$(python3 "$RANGE_PY" --minors)"     # the supported 3.X, newest first
    supported && return 0
    echo "$(python3 --version 2>&1) is outside the supported range: installing one of python $MINORS (apt)" >&2
    apt-get update -qq >&2 || true
    local m
    for m in $MINORS; do
        if apt-get install -y -qq "python$m" "python$m-venv" >&2; then break; fi
    done
    supported || {{ python3 "$RANGE_PY"; echo "no supported Python could be installed" >&2; return 1; }}
}}
"""

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, in /autograder/source, when it builds the image.
set -euo pipefail
SOURCE="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"
ROOT="${{AUTOGRADER_ROOT:-$(dirname "$SOURCE")}}"
VENV="$ROOT/venv"
TORCH_INDEX="${{NNGRADE_TORCH_INDEX-{torch_index}}}"
export DEBIAN_FRONTEND=noninteractive

source "$SOURCE/find_python.sh"
PY="$(find_or_install_python)"
echo "Python: $PY ($("$PY" --version 2>&1))"

# Debian and Ubuntu ship venv's pip bootstrap apart (python3.X-venv)
if ! "$PY" -m venv "$VENV" 2>/dev/null; then
    apt-get install -y -qq "python$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv"
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
# the grader's set only; PyPI's Linux torch wheel carries CUDA (GBs of nvidia-* wheels): the
# CPU-only build of the same version, from PyTorch's index, is all a grader needs
"$VENV/bin/python" -m pip install --quiet ${{TORCH_INDEX:+--extra-index-url "$TORCH_INDEX"}} \\
    -r "$SOURCE/requirements-grader.txt"
"$VENV/bin/python" -m compileall -q "$SOURCE/nngrade" "$SOURCE/reference"   # bytecode in the image

# the sandbox's seccomp layer binds libseccomp (nngrade/sandbox.py); without it the results say
# "seccomp off" and the other layers still hold
if ! ldconfig -p | grep -q libseccomp.so.2; then
    apt-get install -y -qq libseccomp2 || echo "libseccomp2 not installed: seccomp off"
fi

# answers computed with other versions than these are computed again, here, once
cd "$SOURCE"
TF_CPP_MIN_LOG_LEVEL=2 "$VENV/bin/python" -m nngrade answers --folder answers --seed {seed} {lab_args} {hidden_args}
"""

RUN = """#!/usr/bin/env bash
# Gradescope copies this to /autograder/run_autograder and runs it for every submission.
HERE="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"
if [ -d "$HERE/source/nngrade" ]; then DEFAULT_ROOT="$HERE"; else DEFAULT_ROOT="$(dirname "$HERE")"; fi
ROOT="${{AUTOGRADER_ROOT:-$DEFAULT_ROOT}}"
PYTHON="${{PYTHON:-$ROOT/venv/bin/python}}"
export TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=0
cd "$ROOT/source"
mkdir -p "$ROOT/results"
# the workers' uids (60000 and up) may not read the grader, the hidden checks, the submission or
# the results, whether the kernel has Landlock or not (the venv stays readable: it is their Python)
chmod -R go-rwx "$ROOT/source/" "$ROOT/submission" "$ROOT/results"
"$PYTHON" -m nngrade grade --submission "$ROOT/submission" --out "$ROOT/results/results.json" \\
    --seed {seed} {lab_args} {hidden_args} --answers answers --quiet
"""

INCLUDE = ["nngrade", "reference"]
FILES = ["requirements-grader.txt", "pyproject.toml"]


def _script(z: zipfile.ZipFile, name: str, text: str):
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o755 << 16
    z.writestr(info, text)


def build(dest: Path, root: Path, seed: int, labs: list[str] | None = None, hidden: Path | None = None,
          torch_index: str = TORCH_CPU_INDEX) -> Path:
    """Write the autograder zip to `dest`; computes every oracle answer of the labs on `seed`."""
    from nngrade import answers
    from nngrade.registry import available_labs
    fields = {"seed": int(seed), "torch_index": torch_index,
              "lab_args": f"--lab '{' '.join(l[3:5] for l in labs)}'" if labs else "",
              "hidden_args": "--hidden hidden" if hidden else ""}
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nngrade-answers-") as tmp, \
            zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        _script(z, "setup.sh", SETUP.format(**fields))
        _script(z, "find_python.sh", FIND_PYTHON.format())
        _script(z, "run_autograder", RUN.format(**fields))
        for f in FILES:
            z.write(root / f, f)
        for pkg in INCLUDE:
            for p in sorted((root / pkg).rglob("*.py")):
                z.write(p, p.relative_to(root).as_posix())
        if hidden:
            for p in sorted(Path(hidden).glob("*.py")):
                z.write(p, f"hidden/{p.name}")
        for p in answers.write(Path(tmp), labs or available_labs(), seed, hidden):
            z.write(p, f"answers/{p.name}")
    return dest

"""Does this interpreter lie in the supported Python range?  Run as a file, by any Python 3:

    python3 nngrade/python_range.py              # exit 0 if it does; else a message, exit 1
    python3 nngrade/python_range.py --minors     # the supported minor versions, newest first

The range is pyproject.toml's `requires-python`, its one statement. `make install` asks this
before it creates a venv (so a wrong interpreter fails in a second, not after 3 GB of
downloads), and the Gradescope autograder's `setup.sh` asks it of each interpreter it finds and,
with `--minors`, which `python3.X` packages to install when none fits. It is run as a file, not
as part of the package: the interpreter asked may be too old to import the package (Python 3.10
has no `tomllib`; this file keeps to what Python 3.6 reads), so it reads the one line itself.
"""
import re
import sys
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
OPS = {">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b,
       "<": lambda a, b: a < b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
LAST_MINOR = 30   # --minors looks no further than 3.30


def requires_python(path=PYPROJECT) -> str:
    """`requires-python` of the [project] table, e.g. '>=3.11,<3.13'."""
    m = re.search(r'^requires-python\s*=\s*"([^"]*)"', Path(path).read_text(encoding="utf-8"), re.M)
    if not m:
        raise ValueError("{}: no requires-python".format(path))
    return m.group(1)


def clauses(spec: str) -> list:
    """'>=3.11,<3.13' -> [('>=', (3, 11, 0)), ('<', (3, 13, 0))]: plain release numbers only."""
    out = []
    for part in spec.split(","):
        m = re.fullmatch(r"\s*(>=|<=|==|!=|>|<)\s*(\d+(?:\.\d+){0,2})\s*", part)
        if not m:
            raise ValueError("requires-python: cannot read {!r}".format(part))
        numbers = tuple(int(x) for x in m.group(2).split("."))
        out.append((m.group(1), numbers + (0,) * (3 - len(numbers))))
    return out


def contains(spec: str, version) -> bool:
    version = tuple(version)[:3]
    return all(OPS[op](version, bound) for op, bound in clauses(spec))


def minors(spec: str) -> list:
    """The 3.X versions whose every release (3.X.0 up to 3.X.99) lies in the range, newest first."""
    return ["3.{}".format(x) for x in range(LAST_MINOR, -1, -1)
            if contains(spec, (3, x, 0)) and contains(spec, (3, x, 99))]


def main(argv) -> int:
    spec = requires_python()
    if "--minors" in argv:
        print(" ".join(minors(spec)))
        return 0
    here = sys.version_info[:3]
    if contains(spec, here):
        return 0
    sys.stderr.write(
        "This is Python {}.{}.{} ({}); nnlabs supports Python {} (pyproject.toml's requires-python),\n"
        "that is {}. Use one of those, e.g. `make install PYTHON=python{}`.\n".format(
            here[0], here[1], here[2], sys.executable, spec, ", ".join(minors(spec)) or "none",
            (minors(spec) or ["3"])[-1]))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""`make release DEST=dir`: the repository students receive, and `update`, which brings a new
release into a student's copy without touching their answers.

A release holds the student notebooks, the grading package, the oracles, the install files
and a student README; no solutions, no instructor tests, no mutants, no hidden checks.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from nngrade.notebooks import is_pristine

COPY = ["labs", "nngrade", "reference", "requirements.txt", "environment.yml", "pyproject.toml", "Makefile"]
SKIP = {"mutants.py", "__pycache__"}


def _ignore(directory, names):
    return [n for n in names if n in SKIP or n.endswith((".pyc", ".egg-info"))]


def build(root: Path, dest: Path) -> Path:
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(f"{dest} exists and is not empty")
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPY:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=_ignore)
        else:
            shutil.copy2(src, dest / name)
    shutil.copy2(root / "docs" / "student-README.md", dest / "README.md")
    (dest / "docs").mkdir(exist_ok=True)
    shutil.copy2(root / "docs" / "labs.md", dest / "docs" / "labs.md")
    (dest / ".gitignore").write_text(".venv/\n__pycache__/\n*.egg-info/\nresults.json\n.ipynb_checkpoints/\n")
    return dest


def update(release: Path, mine: Path) -> list[str]:
    """Bring `release`'s labs into `mine`: a new lab is copied; a lab you have not edited is
    replaced; a lab you have edited is kept, and the new version is written beside it as
    `updated_<name>` (not graded: the grader reads files named labNN_*)."""
    lines = []
    (mine / "labs").mkdir(exist_ok=True)
    for new in sorted((release / "labs").glob("lab[0-9][0-9]_*.ipynb")):
        target = mine / "labs" / new.name
        if not target.exists():
            shutil.copy2(new, target)
            lines.append(f"new lab: {target}")
        elif target.read_bytes() == new.read_bytes():
            continue
        elif is_pristine(target):
            shutil.copy2(new, target)
            lines.append(f"updated (you had not started it): {target}")
        else:
            side = target.with_name("updated_" + new.name)
            shutil.copy2(new, side)
            lines.append(f"kept your {target.name}; the new version is {side.name}: copy your answers "
                         "into it, then rename it")
    for name in ("nngrade", "reference"):
        shutil.rmtree(mine / name, ignore_errors=True)
        shutil.copytree(release / name, mine / name, ignore=_ignore)
    lines.append("updated the grader (nngrade/, reference/)")
    return lines

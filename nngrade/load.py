"""Stage 1: find each lab's notebook in a submission folder and read its cells.

Which notebook is graded for a lab, in this order (`submission` is the folder given):
1. `labNN_<topic>.ipynb` itself, at the top of the folder;
2. else a notebook at the top whose name starts with `labNN` (`lab02_activations (1).ipynb` is
   lab02) and does not say it is a copy; of two, the newer, and the report says so;
3. only when neither exists: a copy by its name (JupyterLab's Duplicate, `lab03_losses-Copy1`;
   a `backup` or `bak`), then a notebook in a sub-folder, then a Jupyter checkpoint.
The report names, by path relative to the folder, what was graded and what was ignored.

Only regular files inside the submission folder are read (no symlinks, no devices or FIFOs),
and at most MAX_NOTEBOOK_BYTES of them. Version-4 notebooks (every notebook Jupyter has written
since 2015) are read as the JSON they are, which is what nbformat does, without its 1.4 s
import; older versions are refused with a message (Jupyter converts them when it saves them).
`Notebook.cells` has one entry per cell, as JupyterLab counts them, so that "cell 7" in a
message is the seventh cell on the student's screen: the source of each code cell, and "" for
markdown and for the cells that are not graded.
"""
from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from nngrade.registry import LABS

PREFIX = re.compile(r"^lab(\d\d)", re.IGNORECASE)
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024


@dataclass
class Notebook:
    lab: str
    path: Path | None
    cells: list = field(default_factory=list)     # one per cell: a code cell's source, else ""
    error: str | None = None                      # why it could not be read
    notes: list = field(default_factory=list)


# How editors and Jupyter name a copy: JupyterLab's Duplicate and "Make a Copy" give
# `lab03_losses-Copy1`, a checkpoint is `lab03_losses-checkpoint`, a backup says so
COPY = re.compile(r"-copy\d*$|-checkpoint$|(^|[^a-z])(backup|bak)([^a-z]|$)", re.IGNORECASE)
CHECKPOINTS = ".ipynb_checkpoints"
# why a candidate ranks where it does (the rank is the index): what the report says of one it ignored
RANKS = ("the lab's own name", "not the lab's own name", "a copy, by its name", "in a sub-folder",
         "a Jupyter checkpoint")


def rank(path: Path, submission: Path, lab: str) -> int:
    """0 for the lab's own name at the top, 1 for another `labNN*` name at the top, 2 for a copy
    at the top, 3 for a sub-folder, 4 for a checkpoint: the lowest rank present is graded."""
    parts = path.relative_to(submission).parts
    if CHECKPOINTS in parts:
        return 4
    if len(parts) > 1:
        return 3
    if path.name == f"{lab}.ipynb":
        return 0
    return 2 if COPY.search(path.stem) else 1


def choose(paths: list[Path], submission: Path, lab: str) -> tuple[Path, list[str]]:
    """The notebook graded among a lab's candidates, and the notes that say what was ignored."""
    def rel(p):
        return p.relative_to(submission).as_posix()
    ranked = sorted(paths, key=lambda p: (rank(p, submission, lab), -p.stat().st_mtime, p.name))
    best = rank(ranked[0], submission, lab)
    peers = [p for p in ranked[1:] if rank(p, submission, lab) == best]
    others = [p for p in ranked[1:] if rank(p, submission, lab) != best]
    notes = []
    if peers:
        notes.append(f"{len(peers) + 1} notebooks match {lab[:5]}: graded the newest, {rel(ranked[0])} "
                     f"(also found: {', '.join(rel(p) for p in peers)})")
    elif best >= 2:
        notes.append(f"graded {rel(ranked[0])} ({RANKS[best]}): there is no {lab[:5]} notebook at the top of "
                     "the submission that is not a copy")
    if others:
        notes.append(f"graded {rel(ranked[0])}; ignored "
                     + ", ".join(f"{rel(p)} ({RANKS[rank(p, submission, lab)]})" for p in others))
    return ranked[0], notes


def find(submission: Path, labs: list[str]) -> dict[str, Notebook]:
    """The notebook of each wanted lab (see the module's docstring for which); a lab with no
    notebook gets an error entry."""
    candidates: dict[str, list[Path]] = {}
    if submission.is_dir():
        for p in notebook_files(submission):
            if lab_of(p.name):
                candidates.setdefault(lab_of(p.name), []).append(p)
    found = {}
    for lab in labs:
        if not candidates.get(lab):
            found[lab] = Notebook(lab, None, error=f"no notebook named {lab[:5]}*.ipynb in {submission}")
            continue
        path, notes = choose(candidates[lab], submission, lab)
        nb = read(lab, path)
        nb.notes += notes
        found[lab] = nb
    return found


def lab_of(filename: str) -> str | None:
    """The lab a notebook belongs to by its name (`lab03_losses-Copy1.ipynb`: lab03_losses)."""
    m = PREFIX.match(filename)
    return LABS.get(m.group(1)) if m else None


def notebook_files(folder: Path) -> list[Path]:
    """The `labNN*.ipynb` files of a submission, in sub-folders and checkpoints too: inside it
    once symlinks are resolved, and not themselves symlinks (a link to a classmate's notebook or
    to /proc is not a submission)."""
    root = folder.resolve()
    out = []
    for p in folder.rglob("*.ipynb"):
        if not PREFIX.match(p.name) or p.is_symlink():
            continue
        try:
            if p.resolve().is_relative_to(root) and p.is_file():
                out.append(p)
        except OSError:
            continue
    return sorted(out)


def read_bytes(path: Path, limit: int = MAX_NOTEBOOK_BYTES) -> bytes:
    """At most `limit` bytes of a regular file, never through a symlink; OSError otherwise."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "it is not a regular file")
        chunks, left = [], limit + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise OSError(0, f"it is larger than {limit >> 20} MB")
    return data


def _source(cell) -> str:
    src = cell.get("source", "")
    if isinstance(src, list):
        src = "".join(str(s) for s in src)
    if not isinstance(src, str):
        raise ValueError("a cell's source is neither text nor a list of lines")
    return src


def _ungraded(cell, source: str) -> bool:
    """Cells tagged `not-graded` (the framework comparisons at the end of each lab, the self-check
    import) and cells that only import the self-check (`from nngrade.selfcheck import check`,
    typed by hand) are not graded."""
    tags = cell.get("metadata", {}).get("tags", []) if isinstance(cell.get("metadata"), dict) else []
    if isinstance(tags, list) and "not-graded" in tags:
        return True
    return "nngrade.selfcheck" in source and _only_imports_the_self_check(source)


def _only_imports_the_self_check(source: str) -> bool:
    import ast
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and all(
        isinstance(n, ast.ImportFrom) and n.module == "nngrade.selfcheck"
        or isinstance(n, ast.Import) and all(a.name == "nngrade.selfcheck" for a in n.names) for n in body)


def _cell_source(cell) -> str:
    """What the grader reads of one cell: a code cell's source, "" for any other cell."""
    if not isinstance(cell, dict) or cell.get("cell_type") != "code":
        return ""
    src = _source(cell)
    return "" if _ungraded(cell, src) else src


def read(lab: str, path: Path) -> Notebook:
    try:
        text = read_bytes(path).decode("utf-8", errors="replace")
    except OSError as e:
        return Notebook(lab, path, error=f"{path.name} could not be read: {e.strerror or e}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        return Notebook(lab, path, error=f"{path.name} is not a notebook: it is not valid JSON "
                        f"(line {e.lineno}: {e.msg}); open it in Jupyter and save it again")
    if not isinstance(data, dict) or "cells" not in data and "worksheets" not in data:
        return Notebook(lab, path, error=f"{path.name} is JSON but not a Jupyter notebook (no cells)")
    if data.get("nbformat") != 4:
        return Notebook(lab, path, error=f"{path.name} is a version {str(data.get('nbformat'))[:10]} notebook; "
                        "the grader reads version 4: open it in Jupyter and save it (Jupyter converts it)")
    try:
        cells = [_cell_source(c) for c in data["cells"]]
    except Exception as e:
        return Notebook(lab, path, error=f"{path.name} is not a readable notebook: {type(e).__name__}: {e}")
    return Notebook(lab, path, cells)

"""Stage 1: find each lab's notebook in a submission folder and read its code cells.

A notebook belongs to a lab by its `labNN` prefix (`lab02_activations (1).ipynb` is lab02);
with two candidates the newer is graded and the report says so. Only regular files inside the
submission folder are read (no symlinks, no devices or FIFOs), and at most MAX_NOTEBOOK_BYTES
of them. Version-4 notebooks (every notebook Jupyter has written since 2015) are read as the
JSON they are, which is what nbformat does, without its 1.4 s import; older versions are
refused with a message (Jupyter converts them when it saves them).
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
    cells: list = field(default_factory=list)     # the source of every code cell
    error: str | None = None                      # why it could not be read
    notes: list = field(default_factory=list)
    numbers: list = field(default_factory=list)   # code cell i is the notebook's cell numbers[i] (from 1)


def find(submission: Path, labs: list[str]) -> dict[str, Notebook]:
    """The notebook of each wanted lab; a lab with no notebook gets an error entry."""
    candidates: dict[str, list[Path]] = {}
    if submission.is_dir():
        for p in notebook_files(submission):
            m = PREFIX.match(p.name)
            if m and m.group(1) in LABS:
                candidates.setdefault(LABS[m.group(1)], []).append(p)
    found = {}
    for lab in labs:
        paths = sorted(candidates.get(lab, []), key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
        if not paths:
            found[lab] = Notebook(lab, None, error=f"no notebook named {lab[:5]}*.ipynb in {submission}")
            continue
        nb = read(lab, paths[0])
        if len(paths) > 1:
            nb.notes.append(f"{len(paths)} notebooks match {lab[:5]}: graded the newest, {paths[0].name} "
                            f"(also found: {', '.join(p.name for p in paths[1:])})")
        found[lab] = nb
    return found


def notebook_files(folder: Path) -> list[Path]:
    """The `labNN*.ipynb` files of a submission: inside it once symlinks are resolved, and not
    themselves symlinks (a link to a classmate's notebook or to /proc is not a submission)."""
    root = folder.resolve()
    out = []
    for p in folder.rglob("*.ipynb"):
        if ".ipynb_checkpoints" in p.parts or not PREFIX.match(p.name) or p.is_symlink():
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


def _ungraded(cell) -> bool:
    """Cells tagged `not-graded` (the framework comparisons at the end of each lab) are skipped."""
    tags = cell.get("metadata", {}).get("tags", []) if isinstance(cell.get("metadata"), dict) else []
    return isinstance(tags, list) and "not-graded" in tags


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
        code = [(n, c) for n, c in enumerate(data["cells"], 1)
                if isinstance(c, dict) and c.get("cell_type") == "code"]
        cells = [_source(c) if not _ungraded(c) else "" for _, c in code]
    except Exception as e:
        return Notebook(lab, path, error=f"{path.name} is not a readable notebook: {type(e).__name__}: {e}")
    return Notebook(lab, path, cells, numbers=[n for n, _ in code])

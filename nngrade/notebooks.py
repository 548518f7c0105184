"""`make labs`: the student notebooks, generated from the solutions.

Each block between `### BEGIN SOLUTION` and `### END SOLUTION` becomes a stub,
`# YOUR CODE HERE` and `raise NotImplementedError("<function>")`, at the block's
indentation. Outputs are cleared, the kernel is set to the one `make install` registers,
and the generated notebook records a hash of itself, so that `make labs` can tell a
notebook it wrote (safe to replace) from one a student has edited (kept unless FORCE=1).
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

KERNEL = {"name": "nnlabs", "display_name": "Python (nnlabs)", "language": "python"}
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
DEF = re.compile(r"^(\s*)(?:async\s+)?(def|class)\s+(\w+)")


def _enclosing(lines, i, indent) -> str:
    names, limit = [], indent
    for line in reversed(lines[:i]):
        m = DEF.match(line)
        if m and len(m.group(1)) < limit:
            names.append(m.group(3))
            limit = len(m.group(1))
            if limit == 0:
                break
    return ".".join(reversed(names)) or "this cell"


def stub_source(source: str) -> str:
    lines, out, i = source.split("\n"), [], 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == BEGIN:
            indent = line[: len(line) - len(line.lstrip())]
            name = _enclosing(lines, i, len(indent))
            j = i + 1
            while j < len(lines) and lines[j].strip() != END:
                j += 1
            if j == len(lines):
                raise ValueError(f"{BEGIN} without {END} in:\n{source[:200]}")
            out += [f"{indent}# YOUR CODE HERE", f'{indent}raise NotImplementedError("{name}")']
            i = j + 1
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def lines_of(text: str) -> list[str]:
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _text(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def content_hash(nb: dict) -> str:
    body = json.loads(json.dumps(nb))
    body.get("metadata", {}).pop("nngrade", None)
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def cells_hash(nb: dict) -> str:
    """What a student writes: each cell's kind and text (running a notebook changes its outputs,
    execution counts and metadata, none of which count as an edit)."""
    cells = [[c.get("cell_type"), _text(c)] for c in nb.get("cells", [])]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


def dumps(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def clean(nb: dict) -> dict:
    """No outputs, no execution counts, the project's kernel."""
    for cell in nb["cells"]:
        cell["source"] = lines_of(_text(cell))
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    nb.setdefault("metadata", {})["kernelspec"] = dict(KERNEL)
    return nb


def student_notebook(solution: dict, source_name: str) -> dict:
    nb = clean(json.loads(json.dumps(solution)))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["source"] = lines_of(stub_source(_text(cell)))
    return stamped(nb, source_name)


def stamped(nb: dict, source_name: str) -> dict:
    """`nb` with the stamp that says which version it is and whether a student has edited it."""
    nb["metadata"].pop("nngrade", None)
    nb["metadata"]["nngrade"] = {"generated_from": source_name, "sha256": content_hash(nb),
                                 "cells_sha256": cells_hash(nb)}
    return nb


def is_pristine(path: Path) -> bool:
    """True when no cell's text differs from what `make labs` wrote (it may have been run)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        stamp = nb.get("metadata", {}).get("nngrade", {})
        return stamp.get("sha256") == content_hash(nb) or \
            ("cells_sha256" in stamp and stamp["cells_sha256"] == cells_hash(nb))
    except (OSError, ValueError, AttributeError, TypeError):
        return False


def generate_all(solutions: Path, labs: Path, force=False, check=False) -> int:
    labs.mkdir(exist_ok=True)
    stale, refused = [], []
    for sol in sorted(solutions.glob("lab[0-9][0-9]_*.ipynb")):
        text = dumps(student_notebook(json.loads(sol.read_text(encoding="utf-8")), f"solutions/{sol.name}"))
        target = labs / sol.name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        stale.append(target)
        if check:
            continue
        if current is not None and not is_pristine(target) and not force:
            refused.append(target)
            continue
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}")
    if check:
        for t in stale:
            print(f"{t} is out of sync with solutions/ (run `make labs`)")
        return 1 if stale else 0
    for t in refused:
        print(f"{t} has edits that `make labs` would overwrite (a student's work?): kept. "
              "Run `make labs FORCE=1` to replace it.")
    return 1 if refused else 0


def new_notebook(cells) -> dict:
    """A clean v4 notebook from `[("md", text), ("code", text), ...]` (for authors' scripts).
    Kind "compare" is a code cell tagged `not-graded`: the grader skips it (use it for the
    cells that import torch or Keras to show the frameworks side by side)."""
    nb = {"cells": [], "metadata": {"kernelspec": dict(KERNEL),
                                     "language_info": {"name": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    for i, (kind, text) in enumerate(cells):
        cell = {"cell_type": "markdown" if kind == "md" else "code", "id": f"cell-{i:03d}",
                "metadata": {"tags": ["not-graded"]} if kind == "compare" else {},
                "source": lines_of(text.strip("\n"))}
        if kind != "md":
            cell.update(outputs=[], execution_count=None)
        nb["cells"].append(cell)
    return nb

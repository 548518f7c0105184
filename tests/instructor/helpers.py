"""Builders for the class tests: students made of a lab's solution and known mistakes (the
catalogs of tests/labs/<lab>/mutants.py), LMS bulk downloads named by each platform's convention, the
grades of students graded one by one, and a watcher of a run's processes."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from conftest import ROOT, solution_cells, write_notebook
from nngrade.mutants import catalog, code, definitions

ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
LAB2, LAB3, LAB4 = "lab02_activations", "lab03_losses", "lab04_gradient_descent"


def mutant(lab: str, function: str, mistake: str) -> tuple[str, str | None]:
    """The source of the catalog's mutant of `function` whose description contains `mistake`,
    and the phrase its feedback must contain."""
    mutants, _ = catalog(lab, ROOT / "tests" / "labs")
    row = next(m for m in mutants if m.function == function and mistake in m.mistake)
    return code(row, definitions(solution_cells(lab))), row.expect


def cells(lab: str, *sources: str) -> list[str]:
    """The solution notebook of `lab` with each source appended as a last cell."""
    return solution_cells(lab) + list(sources)


def student(root: Path, name: str, notebooks: dict) -> Path:
    """A student folder: {file name: cells, or None for the lab as released (blank)}."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    for filename, content in notebooks.items():
        if content is None:
            shutil.copy(ROOT / "labs" / f"{filename.split('.')[0]}.ipynb", folder / filename)
        else:
            write_notebook(folder / filename, content)
    return folder


def run(*args, timeout=900, ok=True) -> subprocess.CompletedProcess:
    p = subprocess.run([sys.executable, "-m", "nngrade", *args], cwd=ROOT, env=ENV, capture_output=True,
                       text=True, timeout=timeout)
    if ok:
        assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    assert "Traceback" not in p.stdout + p.stderr, p.stdout[-3000:] + p.stderr[-3000:]
    return p


def gradebook(path: Path) -> dict[str, dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return {(row["student"], row["id"]): row for row in csv.DictReader(f)}


def one_by_one(folders: dict, labs: list[str], seed: int, hidden=None) -> dict:
    """Each student graded alone, as `make grade` grades one submission (a fresh worker of its own,
    no zygote, no class run; the oracles' answers, the same to the last bit wherever they are
    computed, once here): {name: {test name: score}}."""
    from nngrade.config import Limits
    from nngrade.engine import grade_submission
    from nngrade.oracles import Oracles
    from nngrade.plan import Plan
    plan = Plan(labs, seed, hidden)
    out = {}
    with Oracles(plan) as oracles:
        oracles.precompute()
        for name, folder in folders.items():
            results = grade_submission(folder, plan, oracles, Limits(oracle_process=False))
            out[name] = {r.check.name: r.score for lab in results for r in lab.results}
    return out


def scores(data: dict) -> dict:
    return {t["name"]: t["score"] for t in data["tests"]}


def canvas_name(name: str) -> str:
    """Canvas's file-name form of a student: the sortable name ("Lee, Ann"), lower case, letters and
    digits only."""
    first, _, last = name.replace("_", " ").rpartition(" ")
    return "".join(ch for ch in f"{last}{first}".lower() if ch.isalnum())


def canvas_download(zpath: Path, students: dict, late=()) -> dict:
    """A Canvas bulk download (zip) of student folders: `<name>[_LATE]_<user id>_<submission id>_<file>`;
    returns {student: user id} of those who submitted a file (Canvas has no file of the others)."""
    ids = {}
    with zipfile.ZipFile(zpath, "w") as z:
        for i, (name, folder) in enumerate(sorted(students.items())):
            for nb in sorted(Path(folder).glob("*.ipynb")):
                ids[name] = str(40000 + 17 * i)
                tag = "_LATE" if name in late else ""
                z.write(nb, f"{canvas_name(name)}{tag}_{ids[name]}_{9000 + i}_{nb.name}")
    return ids


class Watcher:
    """Every process a run starts (its descendants, polled), to check that none outlives it."""

    def __init__(self, pid: int):
        import psutil
        self.psutil, self.pid, self.seen = psutil, pid, {}

    def poll(self):
        try:
            for c in self.psutil.Process(self.pid).children(recursive=True):
                try:
                    self.seen[c.pid] = (c.create_time(), " ".join(c.cmdline())[:120])
                except self.psutil.Error:
                    pass
        except self.psutil.Error:
            pass

    def left(self, grace=0.0) -> list:
        """The processes seen that are still alive (not zombies) after `grace` seconds."""
        deadline = time.monotonic() + grace
        while True:
            alive = []
            for pid, (created, cmd) in self.seen.items():
                try:
                    p = self.psutil.Process(pid)
                    if p.create_time() == created and p.status() != self.psutil.STATUS_ZOMBIE:
                        alive.append((pid, cmd))
                except self.psutil.Error:
                    pass
            if not alive or time.monotonic() >= deadline:
                return alive
            time.sleep(0.1)

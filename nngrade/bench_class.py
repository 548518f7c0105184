"""`make bench` (alone: `python -m nngrade bench --class-only`): a large generated class.

A class of N generated submissions of one lab (default 1,000 of lab02), each drawn with a fixed
seed: the solution (30%), the lab as released (10%), or the solution with one or two known
mistakes of tests/labs/<lab>/mutants.py appended (60%), so that the grader diagnoses, restarts workers and
writes long feedback as for a real class. `python -m nngrade grade-class` grades the first N/10
and then all N, each into a fresh folder, with the grader's, the workers' and the Keras oracle
process's peak memory polled (nngrade.bench.PeakMemory). Reported: seconds per student at both
sizes (the whole run divided by the class, and the marginal cost of the added students) and the
peak memory at both sizes; "flat" means the numbers at N are close to those at N/10. Written
to docs/bench-class.json and to the README's "Grading a class" section.
"""
from __future__ import annotations

import copy
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
LAB = "lab02_activations"


def make_class(dest: Path, n: int, lab: str = LAB, seed: int = 0) -> dict:
    """n student folders; returns how many of each kind."""
    from nngrade.mutants import catalog, code, definitions
    mutants, _ = catalog(lab, ROOT / "tests" / "labs")
    solution = json.loads((ROOT / "solutions" / f"{lab}.ipynb").read_text())
    defined = definitions(["".join(c["source"]) for c in solution["cells"] if c["cell_type"] == "code"])
    rng = np.random.default_rng(seed)
    kinds = {"solution": 0, "blank": 0, "mistakes": 0}
    for i in range(n):
        folder = dest / f"student{i:05d}"
        folder.mkdir(parents=True)
        u = rng.random()
        if u < 0.1:
            shutil.copy(ROOT / "labs" / f"{lab}.ipynb", folder / f"{lab}.ipynb")
            kinds["blank"] += 1
            continue
        nb = copy.deepcopy(solution)
        if u >= 0.4:
            for j in rng.choice(len(mutants), size=int(rng.integers(1, 3)), replace=False):
                nb["cells"].append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                                    "source": code(mutants[int(j)], defined)})
            kinds["mistakes"] += 1
        else:
            kinds["solution"] += 1
        (folder / f"{lab}.ipynb").write_text(json.dumps(nb))
    return kinds


def run(n: int = 1000, lab: str = LAB, out: Path = ROOT / "docs" / "bench-class.json") -> dict:
    from nngrade.bench import timed
    tmp = Path(tempfile.mkdtemp(prefix="nngrade-bench-class-"))
    res = {"lab": lab, "students": n, "kinds": make_class(tmp / "class", n, lab)}
    small = max(1, n // 10)
    (tmp / "small").mkdir()
    for p in sorted((tmp / "class").iterdir())[:small]:
        shutil.copytree(p, tmp / "small" / p.name)
    for size, folder in ((small, tmp / "small"), (n, tmp / "class")):
        seconds, _, mem = timed([sys.executable, "-m", "nngrade", "grade-class", str(folder), "--lab", lab[3:5],
                                 "--out", str(tmp / f"out{size}"), "--no-progress"], memory=True)
        res[str(size)] = {"seconds": seconds, "per_student_s": seconds / size, "grader_peak_mb": mem.grader / 2 ** 20,
                          "worker_peak_mb": mem.worker / 2 ** 20, "oracle_process_peak_mb": mem.oracles / 2 ** 20}
    res["small"] = small
    res["marginal_s_per_student"] = (res[str(n)]["seconds"] - res[str(small)]["seconds"]) / (n - small) if n > small else 0
    shutil.rmtree(tmp, ignore_errors=True)
    out.write_text(json.dumps(res, indent=1))
    update_readme(res)
    return res


def rows(res: dict) -> list[tuple[str, str]]:
    small, n = res["small"], res["students"]
    a, b = res[str(small)], res[str(n)]
    return [
        (f"`make grade-class`, {small} / {n:,} generated submissions of {res['lab']}",
         f"{a['seconds']:.0f} s / {b['seconds']:.0f} s"),
        ("seconds per student (whole run / class size)", f"{a['per_student_s']:.2f} / {b['per_student_s']:.2f}"),
        (f"seconds per added student (from {small} to {n:,})", f"{res['marginal_s_per_student']:.2f}"),
        ("peak memory of the grader", f"{a['grader_peak_mb']:.0f} MB / {b['grader_peak_mb']:.0f} MB"),
        ("peak memory of one worker / of the Keras oracle process",
         f"{b['worker_peak_mb']:.0f} MB / {b['oracle_process_peak_mb']:.0f} MB"),
    ]


def table(res: dict) -> str:
    return "\n".join(["| measurement | result |", "| --- | --- |"] + [f"| {a} | {b} |" for a, b in rows(res)])


MARKED = re.compile(r"(<!-- bench-class -->\n)(?:.*?\n)?(<!-- /bench-class -->)", re.DOTALL)


def update_readme(res: dict, path: Path = ROOT / "README.md") -> bool:
    """The table between the README's `<!-- bench-class -->` markers; False without them."""
    text = path.read_text()
    new, count = MARKED.subn(lambda m: m.group(1) + table(res) + "\n" + m.group(2), text)
    path.write_text(new)
    return count == 1

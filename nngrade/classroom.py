"""`make grade-class`: every sub-folder of a folder is one student's submission.

All students are graded on the same inputs (one Plan: the instructor's seed, the oracles
computed once before the first student), in parallel over the machine's cores (threads in
the grader, one worker process per student). Writes, in OUT: `<student>.json` (the results
JSON), `<student>.md` (the feedback the student reads) and `gradebook.csv` (one row per
student, one column per lab, the total). A student whose grading fails gets a row saying
why; the others are not affected. A re-run grades only what is missing or has changed
(the results JSON records the submission's hash, the seed and the labs).
"""
from __future__ import annotations

import csv
import json
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from nngrade import load, report
from nngrade.config import Limits
from nngrade.engine import grade_submission, submission_hash
from nngrade.oracles import Oracles
from nngrade.plan import Plan
from nngrade.hidden import fingerprint

DEFAULT_CLASS_SEED = 2026


def student_files(folder: Path, labs) -> list[Path]:
    return load.notebook_files(folder)


def safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)[:100] or "student"


def _write(path: Path, text: str):
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)   # a reader never sees half a file, even after an interruption


def _key(folder: Path, labs, seed, hidden) -> dict:
    return {"submission_sha256": submission_hash(student_files(folder, labs)), "seed": seed,
            "labs": labs, "hidden": fingerprint(hidden)}


def _done(out: Path, name: str, key: dict) -> dict | None:
    try:
        data = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if all(data.get(k) == v for k, v in key.items()) and (out / f"{name}.md").exists():
        return data
    return None


def grade_one(folder: Path, plan: Plan, oracles: Oracles, limits: Limits, out: Path, key: dict) -> dict:
    name = safe_name(folder.name)
    start = time.perf_counter()
    try:
        results = grade_submission(folder, plan, oracles, limits)
        data = report.results_json(results, plan.seed, time.perf_counter() - start, key)
        data["student"] = folder.name
        data["status"] = "graded"
        _write(out / f"{name}.md", report.markdown(results, plan.seed, folder.name))
    except Exception as e:   # one student's failure is recorded, never fatal to the batch
        data = {"student": folder.name, "status": f"failed to grade: {type(e).__name__}: {e}"[:300],
                "score": 0.0, "max_score": 0.0, "tests": [], **key}
        _write(out / f"{name}.md", f"# Feedback: {folder.name}\n\nYour submission could not be graded: "
                                   f"{data['status']}. Please tell your instructor.\n")
    _write(out / f"{name}.json", json.dumps(data, indent=1))
    return data


def lab_points(data: dict, lab: str) -> tuple[float, float]:
    tests = [t for t in data.get("tests", []) if t["name"].startswith(lab + ".")]
    return sum(t["score"] for t in tests), sum(t["max_score"] for t in tests)


def write_gradebook(out: Path, rows: list[dict], labs: list[str]):
    with open(out / "gradebook.csv.tmp", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student"] + labs + ["total", "max_total", "status"])
        for d in sorted(rows, key=lambda d: d["student"]):
            pts = [lab_points(d, lab) for lab in labs]
            w.writerow([d["student"]] + [f"{s:g}" for s, _ in pts]
                       + [f"{sum(s for s, _ in pts):g}", f"{sum(m for _, m in pts):g}", d["status"]])
    os.replace(out / "gradebook.csv.tmp", out / "gradebook.csv")


def grade_class(submissions: Path, labs: list[str], out: Path, seed: int | None = None,
                hidden=None, jobs: int | None = None, progress=True, limits: Limits | None = None) -> dict:
    seed = DEFAULT_CLASS_SEED if seed is None else seed
    limits = limits or Limits(zygote=True)
    out.mkdir(parents=True, exist_ok=True)
    folders = sorted(p for p in submissions.iterdir()   # a symlinked folder is someone else's
                     if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))
    plan = Plan(labs, seed, hidden)
    todo, rows = [], []
    for folder in folders:
        key = _key(folder, labs, seed, hidden)
        done = _done(out, safe_name(folder.name), key)
        if done is not None:
            rows.append(done)
        else:
            todo.append((folder, key))
    with Oracles(plan) as oracles:
        if todo:
            if limits.oracle_process:
                oracles.start()      # Keras beside torch; then it serves the class's calls
            oracles.precompute()     # the oracles, once for the whole class
        _grade_all(plan, oracles, todo, rows, limits, out, jobs, progress)
    write_gradebook(out, rows, labs)
    return _summary(plan, rows, todo, labs, seed)


def _grade_all(plan, oracles, todo, rows, limits, out, jobs, progress):
    jobs = jobs or max(1, os.cpu_count() or 1)
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=len(todo), unit="student", desc="grading", dynamic_ncols=True)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(grade_one, folder, plan, oracles, limits, out, key) for folder, key in todo]
        for fut in as_completed(futures):
            rows.append(fut.result())
            if bar:
                bar.update(1)
    if bar:
        bar.close()


def _summary(plan, rows, todo, labs, seed) -> dict:
    failed = [d for d in rows if d["status"] != "graded"]
    means = {lab: (sum(lab_points(d, lab)[0] for d in rows if d["status"] == "graded")
                   / max(1, len(rows) - len(failed))) for lab in labs}
    return {"students": len(rows), "graded_now": len(todo), "reused": len(rows) - len(todo),
            "failed": [(d["student"], d["status"]) for d in failed], "mean_per_lab": means,
            "max_per_lab": {lab: sum(c.points for c in plan.checks[lab]) for lab in labs}, "seed": seed}


def summary_text(s: dict, out: Path) -> str:
    lines = [f"Graded {s['students']} students ({s['graded_now']} now, {s['reused']} unchanged since the "
             f"last run) with seed {s['seed']}; {len(s['failed'])} failed to grade."]
    for student, status in s["failed"]:
        lines.append(f"  {student}: {status}")
    for lab, mean in s["mean_per_lab"].items():
        lines.append(f"  {lab:26s} mean {mean:6.1f} / {s['max_per_lab'][lab]:g}")
    lines.append(f"Gradebook: {out / 'gradebook.csv'}; per student: {out}/<student>.json and .md")
    return "\n".join(lines)

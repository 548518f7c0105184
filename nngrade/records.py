"""A class student's results, kept per lab, so that a rerun grades only what changed.

`OUT/<stem>.json` is the Gradescope results JSON of the run's labs (as `nngrade.report.
results_json` writes it: each test named `labNN_<topic>.<function>: <what>`), plus:

- `student`, `id` (the LMS's id, or ""), `status` (`graded` or `failed to grade: ...`), `lms`;
- `labs`: per lab, the `key` it was graded under, its points, seconds, messages and its section
  of the feedback page (`report.markdown_lab`).

A lab's key is what decides its grade: the grader's version (`nngrade.__version__`), the seed,
the lab's fingerprint (`registry.lab_fingerprint`: its checks, driver, oracles, input
generators and hidden checks), the versions of Python, NumPy, torch, TensorFlow and Keras, and
the SHA-256 of the student's notebooks of that lab. A rerun regrades a lab whose key changed,
says why, and copies every other lab's tests and feedback from the file: a fixed check regrades
its lab only.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import nngrade
from nngrade import load, report
from nngrade.engine import LabResult, submission_hash
from nngrade.registry import lab_fingerprint
from nngrade.roster import Student
from nngrade.wire import printable


def lab_keys(labs: list[str], seed: int, hidden) -> dict[str, dict]:
    """Each lab's key, without the notebooks' hash (that is per student: `notebook_hashes`)."""
    versions = report.versions()
    return {lab: {"grader": nngrade.__version__, "seed": seed, "fingerprint": lab_fingerprint(lab, hidden),
                  "versions": versions} for lab in labs}


def notebook_hashes(folder: Path, labs: list[str]) -> dict[str, str]:
    """The SHA-256 of a student's candidate notebooks of each lab (names and contents)."""
    files = load.notebook_files(folder) if folder.is_dir() else []
    return {lab: submission_hash([p for p in files if load.PREFIX.match(p.name).group(1) == lab[3:5]])
            for lab in labs}


def read(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def stale(stored: dict | None, student: Student, keys: dict, hashes: dict) -> dict[str, str]:
    """The labs to grade, each with the reason; {} when every lab's stored result is current."""
    current = (stored or {}).get("labs") or {}
    mine = stored is not None and stored.get("student") == student.name and stored.get("id", "") == student.lms_id
    out = {}
    for lab, key in keys.items():
        old = current.get(lab, {}).get("key") if mine and stored.get("status") == "graded" else None
        why = _why(old, dict(key, sha256=hashes[lab]))
        if why:
            out[lab] = why
    return out


def _why(old: dict | None, new: dict) -> str | None:
    if not old:
        return "not graded yet"
    if old.get("sha256") != new["sha256"]:
        return "the notebook changed"
    if old.get("fingerprint") != new["fingerprint"]:
        return f"its checks changed (fingerprint {old.get('fingerprint')} -> {new['fingerprint']})"
    if old.get("grader") != new["grader"]:
        return f"the grader changed ({old.get('grader')} -> {new['grader']})"
    if old.get("seed") != new["seed"]:
        return f"the seed changed ({old.get('seed')} -> {new['seed']})"
    if old.get("versions") != new["versions"]:
        moved = [f"{k} {old.get('versions', {}).get(k)} -> {v}" for k, v in new["versions"].items()
                 if old.get("versions", {}).get(k) != v]
        return "the frameworks changed (" + ", ".join(moved) + ")"
    return None


def combine(student: Student, labs: list[str], stored: dict | None, fresh: list[LabResult], keys: dict,
            hashes: dict, seed: int) -> tuple[dict, str]:
    """The results JSON and feedback page of a student: the labs graded now (`fresh`) and, for the
    others, what `stored` holds."""
    parts, tests = {}, {}
    for lab in labs:                 # reused: copied as they were
        if stored and lab in (stored.get("labs") or {}):
            parts[lab] = stored["labs"][lab]
            tests[lab] = [t for t in stored.get("tests", []) if t["name"].startswith(lab + ".")]
    for res in fresh:
        tests[res.lab] = report.results_json([res], seed, res.seconds)["tests"]
        parts[res.lab] = {"key": dict(keys[res.lab], sha256=hashes[res.lab]),
                          "score": round(sum(t["score"] for t in tests[res.lab]), 6),
                          "max_score": sum(t["max_score"] for t in tests[res.lab]),
                          "seconds": round(res.seconds, 3), "messages": [printable(m) for m in res.messages],
                          "feedback": report.markdown_lab(res)}
    isolation = report.isolation(fresh) or (stored or {}).get("isolation")
    all_tests = [t for lab in labs for t in tests[lab]]
    score, max_score = round(sum(t["score"] for t in all_tests), 6), sum(t["max_score"] for t in all_tests)
    messages = [f"{lab}: {m}" for lab in labs for m in parts[lab]["messages"]] + list(student.notes)
    data = {"score": score, "max_score": max_score,
            "execution_time": round(sum(parts[lab]["seconds"] for lab in labs), 3),
            "output": f"Graded {', '.join(labs)} with seed {seed}: {score:g}/{max_score:g}"
                      + "".join("\n" + m for m in messages),
            "tests": all_tests, "seed": seed, "versions": report.versions(), "isolation": isolation,
            "submission_sha256": submission_hash(load.notebook_files(student.folder)),
            **identity(student), "status": "graded", "labs": parts}
    page = report.feedback_page([parts[lab]["feedback"] for lab in labs], seed, student.name, isolation)
    return data, page


def failed(student: Student, why: str) -> tuple[dict, str]:
    """The record of a student whose grading failed (the grader's problem, not theirs): graded
    again by the next run."""
    status = f"failed to grade: {why}"[:300]
    data = {"score": 0.0, "max_score": 0.0, "tests": [], **identity(student), "status": status, "labs": {}}
    page = (f"# Feedback: {student.name}\n\nYour submission could not be graded: {status}. "
            "Please tell your instructor.\n")
    return data, page


def identity(student: Student) -> dict:
    out = {"student": student.name, "id": student.lms_id}
    if student.lms_id:
        out["lms"] = {"late": student.late, "notes": list(student.notes)}
    return out


def write(out: Path, stem: str, data: dict, page: str):
    """The student's .md, then the .json, each replaced at once: a reader (or an interrupted run)
    never sees half a file, and a .json is only there with its .md."""
    for path, text in ((out / f"{stem}.md", page), (out / f"{stem}.json", json.dumps(data, indent=1))):
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)

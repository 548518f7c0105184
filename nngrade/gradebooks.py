"""The class's gradebook: our CSV, and each LMS's grade import file for one assignment column.

`gradebook.csv` (always): one row per student, a column per lab (points), `total`, `max_total`
and `status`, and `id` (the LMS's id of the student, or empty). With `--gradebook PLATFORM
--assignment NAME [--points N]`, also `gradebook-PLATFORM.csv`, whose one assignment column is
the student's total over the run's labs (scaled to N points when given); a student whose
grading failed gets an empty cell, never a 0. The formats, from the importers' own code and
documentation:

- canvas: the Gradebook's CSV import (Canvas Instructor Guide, "How do I import grades in the
  Gradebook?"; canvas-lms app/models/gradebook_importer.rb): a header `Student, ID, SIS User ID,
  SIS Login ID, Section` then the assignment columns, an optional row whose first cell is
  `Points Possible`, and a row per student, matched by `ID` (the Canvas user id that a bulk
  download's file names carry) and, without one, by the student's name. A column titled as no
  existing assignment creates one; `Title (id)` names an existing one.
- moodle: the assignment's offline grading worksheet ("Upload grading worksheet",
  mod/assign/feedback/offline/importgradeslib.php): the importer finds its columns by their
  headers `Identifier`, `Grade` and `Last modified (grade)`, reads the participant id after
  `Participant ` (the id in a bulk download's names) and applies a grade that is newer than the
  one it has. Moodle's gradebook CSV import needs a username, email or id number, which a bulk
  download does not carry; this worksheet is what matches it.
- blackboard: the Grade Center upload ("Work Offline > Upload"; Blackboard Learn help,
  "Uploading or Downloading Grade Center Items for Working Offline"): students by `Username`, a
  column without a Column ID becomes a new column, and every field of a comma-delimited file is
  quoted.
"""
from __future__ import annotations

import csv
import os
import time
from pathlib import Path

PLATFORMS = ("canvas", "moodle", "blackboard")


def lab_points(data: dict, lab: str) -> tuple[float, float]:
    """A student's points and the maximum of one lab, summed from the tests' names."""
    tests = [t for t in data.get("tests", []) if t["name"].startswith(lab + ".")]
    return sum(t["score"] for t in tests), sum(t["max_score"] for t in tests)


def row(data: dict, labs: list[str]) -> dict:
    """What the gradebooks need of one student's results JSON."""
    return {"student": data["student"], "id": data.get("id", ""), "status": data["status"],
            "points": {lab: lab_points(data, lab) for lab in labs}}


def _replace(path: Path, rows: list[list], quoting=csv.QUOTE_MINIMAL):
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, quoting=quoting).writerows(rows)
    os.replace(tmp, path)


def write_plain(path: Path, rows: list[dict], labs: list[str]):
    out = [["student", "id"] + labs + ["total", "max_total", "status"]]
    for r in sorted(rows, key=lambda r: (r["student"], r["id"])):
        pts = [r["points"][lab] for lab in labs]
        out.append([r["student"], r["id"]] + [f"{s:g}" for s, _ in pts]
                   + [f"{sum(s for s, _ in pts):g}", f"{sum(m for _, m in pts):g}", r["status"]])
    _replace(path, out)


def assignment_score(r: dict, points: float | None) -> str:
    """The assignment column's cell: the total (scaled to `points`), or empty if grading failed."""
    if r["status"] != "graded":
        return ""
    total = sum(s for s, _ in r["points"].values())
    top = sum(m for _, m in r["points"].values())
    return f"{total:g}" if points is None else f"{round(total / top * points, 2) if top else 0:g}"


def possible(rows: list[dict], labs: list[str], points: float | None) -> float:
    if points is not None:
        return points
    return max((sum(r["points"][lab][1] for lab in labs) for r in rows if r["status"] == "graded"), default=0)


def write_lms(platform: str, path: Path, rows: list[dict], labs: list[str], assignment: str,
              points: float | None = None) -> list[str]:
    """The platform's import file; returns a warning per student it cannot hold."""
    rows = sorted(rows, key=lambda r: (r["student"], r["id"]))
    top = f"{possible(rows, labs, points):g}"
    warnings = []
    if platform == "canvas":
        out = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment],
               ["Points Possible", "", "", "", "", top]]
        out += [[r["student"], r["id"], "", "", "", assignment_score(r, points)] for r in rows]
        _replace(path, out)
    elif platform == "moodle":
        now = time.strftime("%Y-%m-%d %H:%M:%S")
        out = [["Identifier", "Full name", "Grade", "Maximum Grade", "Last modified (grade)", "Feedback comments"]]
        for r in rows:
            if not r["id"].isdigit():
                warnings.append(f"warning: {r['student']} has no Moodle participant id (not graded from a "
                                "Moodle download): left out of the worksheet")
                continue
            out.append([f"Participant {r['id']}", r["student"], assignment_score(r, points), top, now, ""])
        _replace(path, out)
    elif platform == "blackboard":
        out = [["Username", assignment]]
        for r in rows:
            if not r["id"]:
                warnings.append(f"warning: {r['student']} has no Blackboard username (not graded from a "
                                "Blackboard download): left out of the upload file")
                continue
            out.append([r["id"], assignment_score(r, points)])
        _replace(path, out, quoting=csv.QUOTE_ALL)
    else:
        raise ValueError(f"--gradebook takes one of {', '.join(PLATFORMS)}, not {platform!r}")
    return warnings

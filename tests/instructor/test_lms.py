"""LMS in and out: bulk downloads named by each platform's convention (nngrade/lms.py cites them)
are grouped into students whose notebooks match their labs; the downloads cannot write outside
the grader's folder; the grade import files follow each importer's rules (nngrade/gradebooks.py)."""
from __future__ import annotations

import csv
import stat
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from conftest import ROOT, write_notebook
from nngrade import gradebooks, lms, load
from nngrade.registry import LABS

NB = ROOT / "solutions" / "lab02_activations.ipynb"


def as_zip(folder: Path) -> Path:
    zpath = folder.with_suffix(".zip")
    with zipfile.ZipFile(zpath, "w") as z:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                z.write(p, p.relative_to(folder).as_posix())
    return zpath


def files(folder: Path, names: list[str]) -> Path:
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".ipynb"):
            path.write_bytes(NB.read_bytes())
        else:
            path.write_text(f"not a notebook: {name}\n")
    return folder


def staged(source: Path, platform: str, tmp: Path) -> dict:
    """{(name, id, late): sorted staged file names that load.find matches to a lab}."""
    with lms.Download(source) as d:
        students, unmatched = lms.collect(platform, d)
        out = {}
        for i, s in enumerate(students):
            folder = tmp / "staged" / str(i)
            assert lms.stage(d, s, folder) == []
            found = load.find(folder, list(LABS.values()))
            out[(s.name, s.lms_id, s.late)] = sorted(nb.path.name for nb in found.values() if nb.path)
    return out, unmatched


@pytest.mark.parametrize("zipped", [False, True], ids=["folder", "zip"])
def test_canvas_download(tmp_path, zipped):
    src = files(tmp_path / "canvas", [
        "leeann_12345_67890_lab02_activations.ipynb", "leeann_12345_67890_lab03_losses.ipynb",
        "smithbob_LATE_23456_78902_lab02_activations-1.ipynb", "smithbob_LATE_23456_78902_essay.pdf",
        "leeann_99999_11111_lab02_activations.ipynb",       # another student named like Ann Lee
        "readme.txt"])
    got, unmatched = staged(as_zip(src) if zipped else src, "canvas", tmp_path)
    assert got == {("leeann", "12345", False): ["lab02_activations.ipynb", "lab03_losses.ipynb"],
                   ("smithbob", "23456", True): ["lab02_activations-1.ipynb"],
                   ("leeann", "99999", False): ["lab02_activations.ipynb"]}
    assert unmatched == ["readme.txt"]


@pytest.mark.parametrize("zipped", [False, True], ids=["folder", "zip"])
def test_moodle_download_flat_and_in_folders(tmp_path, zipped):
    src = files(tmp_path / "moodle", [
        "Ann Lee_123456_assignsubmission_file_lab02_activations.ipynb",              # flat
        "Bob Smith_123457_assignsubmission_file_/lab02_activations.ipynb",           # in folders
        "Bob Smith_123457_assignsubmission_file_/drafts/lab03_losses.ipynb",
        "Bob Smith_123457_assignsubmission_onlinetext_/onlinetext.html"])
    got, unmatched = staged(as_zip(src) if zipped else src, "moodle", tmp_path)
    assert got == {("Ann Lee", "123456", False): ["lab02_activations.ipynb"],
                   ("Bob Smith", "123457", False): ["lab02_activations.ipynb", "lab03_losses.ipynb"]}
    assert unmatched == ["Bob Smith_123457_assignsubmission_onlinetext_/onlinetext.html"]


def receipt(name, user, pairs):
    files = "".join(f"\tOriginal filename: {o}\n\tFilename: {s}\n" for o, s in pairs)
    return f"Name: {name} ({user})\nAssignment: Lab 2\nDate Submitted: today\n\nFiles:\n{files}"


def test_blackboard_download_latest_attempt_and_receipts(tmp_path):
    src = tmp_path / "bb"
    old, new = "2026-03-01-10-00-00", "2026-03-02-09-30-15"
    files(src, [f"Lab 2_alee_attempt_{old}_lab02_activations.ipynb", f"Lab 2_alee_attempt_{new}_lab02_activations.ipynb",
                f"Lab 2_a_lee_attempt_{new}_lab 02.ipynb", f"Lab 2_bsmith_attempt_{new}_lab02_activations.ipynb"])
    (src / f"Lab 2_alee_attempt_{new}.txt").write_text(receipt("Ann Lee", "alee", []))
    # a username with '_' is told by the receipt, and so is the original name of a renamed file
    (src / f"Lab 2_a_lee_attempt_{new}.txt").write_text(
        receipt("Al Lee", "a_lee", [("lab02_activations.ipynb", f"Lab 2_a_lee_attempt_{new}_lab 02.ipynb")]))
    with lms.Download(src) as d:
        students, unmatched = lms.collect("blackboard", d)
    by = {s.lms_id: s for s in students}
    assert set(by) == {"alee", "a_lee", "bsmith"} and unmatched == []
    assert by["alee"].name == "Ann Lee" and list(by["alee"].files) == [f"Lab 2_alee_attempt_{new}_lab02_activations.ipynb"]
    assert f"graded the latest attempt, {new}" in by["alee"].notes[0] and old in by["alee"].notes[0]
    assert by["a_lee"].name == "Al Lee" and list(by["a_lee"].files.values()) == ["lab02_activations.ipynb"]
    assert by["bsmith"].name == "bsmith"              # no receipt: the username stands in


def test_a_download_writes_nothing_outside_the_students_folder(tmp_path):
    """Entry names come from students' file names: '../' in them, a zip entry that is a symlink,
    or an entry larger than a notebook may be, never reach a file outside the staging folder."""
    zpath = tmp_path / "evil.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        z.writestr("../../leeann_1_2_lab02_activations.ipynb", NB.read_bytes())
        z.writestr("Ann Lee_7_assignsubmission_file_/../../../../outside/lab03_losses.ipynb", b"{}")
        link = zipfile.ZipInfo("bob_3_4_lab02_activations.ipynb")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(link, "/etc/passwd")
        z.writestr("huge_5_6_lab02_activations.ipynb", b" " * (load.MAX_NOTEBOOK_BYTES + 1))
    before = {p for p in tmp_path.rglob("*")}
    with lms.Download(zpath) as d:
        canvas, _ = lms.collect("canvas", d)
        moodle, _ = lms.collect("moodle", d)
        notes = {s.name: lms.stage(d, s, tmp_path / "staged" / s.name) for s in canvas + moodle}
    written = {p for p in tmp_path.rglob("*")} - before
    assert all(p.is_relative_to(tmp_path / "staged") for p in written), written
    assert {s.name for s in canvas} == {"leeann", "huge"}         # the symlink is no one's file
    assert (tmp_path / "staged" / "leeann" / "lab02_activations.ipynb").read_bytes() == NB.read_bytes()
    assert (tmp_path / "staged" / "Ann Lee" / "lab03_losses.ipynb").exists()
    assert "larger than 50 MB" in notes["huge"][0] and not list((tmp_path / "staged" / "huge").iterdir())


def test_a_symlink_in_a_download_folder_is_not_read(tmp_path):
    src = files(tmp_path / "canvas", ["leeann_1_2_lab02_activations.ipynb"])
    secret = tmp_path / "secret.ipynb"
    write_notebook(secret, ["SECRET = 1\n"])
    (src / "bob_3_4_lab02_activations.ipynb").symlink_to(secret)
    (src / "carl_5_6_lab02").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (src / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere" / "dan_7_8_lab02_activations.ipynb").write_bytes(NB.read_bytes())
    with lms.Download(src) as d:
        students, _ = lms.collect("canvas", d)
    assert [s.name for s in students] == ["leeann"]


ROWS = [{"student": "Ann Lee", "id": "123456", "status": "graded",
         "points": {"lab02_activations": (128.0, 140.0), "lab03_losses": (100.5, 128.0)}},
        {"student": "Bob", "id": "", "status": "graded",
         "points": {"lab02_activations": (140.0, 140.0), "lab03_losses": (0.0, 128.0)}},
        {"student": "Cy", "id": "777", "status": "failed to grade: RuntimeError: no worker",
         "points": {"lab02_activations": (0.0, 0.0), "lab03_losses": (0.0, 0.0)}}]
LABS2 = ["lab02_activations", "lab03_losses"]


def total(r, points=None):
    s = sum(p for p, _ in r["points"].values())
    return s if points is None else s / 268.0 * points


def test_canvas_gradebook_csv(tmp_path):
    """Read back as canvas-lms's GradebookImporter reads it: 'Student' then 'ID' first, the SIS
    columns, 'Section' last of the student columns, a 'Points Possible' row, students by ID."""
    path = tmp_path / "c.csv"
    assert gradebooks.write_lms("canvas", path, ROWS, LABS2, "Lab 2 and 3", points=100) == []
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    head = rows[0]
    assert "Student" in head[0] and "ID" in head[1] and head[2:5] == ["SIS User ID", "SIS Login ID", "Section"]
    assert head[5:] == ["Lab 2 and 3"]
    assert "Points Possible" in rows[1][0] and float(rows[1][5]) == 100
    cells = {r[1] or r[0]: r[5] for r in rows[2:]}
    assert float(cells["123456"]) == pytest.approx(total(ROWS[0], 100), abs=0.005)
    assert float(cells["Bob"]) == pytest.approx(total(ROWS[1], 100), abs=0.005)   # no ID: matched by name
    assert cells["777"] == ""                        # failed to grade: empty, never a 0


def test_moodle_grading_worksheet(tmp_path):
    """As assignfeedback_offline's importer reads it: columns found by 'Identifier', 'Grade' and
    'Last modified (grade)'; the participant id after 'Participant '."""
    path = tmp_path / "m.csv"
    warnings = gradebooks.write_lms("moodle", path, ROWS, LABS2, "Lab 2")
    rows = list(csv.DictReader(path.open(newline="", encoding="utf-8")))
    assert [r["Identifier"] for r in rows] == ["Participant 123456", "Participant 777"]
    assert float(rows[0]["Grade"]) == total(ROWS[0]) and rows[1]["Grade"] == ""
    assert float(rows[0]["Maximum Grade"]) == 268
    assert abs((datetime.strptime(rows[0]["Last modified (grade)"], "%Y-%m-%d %H:%M:%S") - datetime.now()).total_seconds()) < 60
    assert len(warnings) == 1 and "Bob" in warnings[0] and "no Moodle participant id" in warnings[0]


def test_blackboard_grade_center_upload(tmp_path):
    path = tmp_path / "b.csv"
    ROWS[0]["id"], saved = "alee", ROWS[0]["id"]
    try:
        warnings = gradebooks.write_lms("blackboard", path, ROWS, LABS2, "Lab 2")
    finally:
        ROWS[0]["id"] = saved
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == '"Username","Lab 2"'         # every field quoted
    assert lines[1] == f'"alee","{total(ROWS[0]):g}"' and lines[2] == '"777",""'
    assert "Bob" in warnings[0]


def test_plain_gradebook_keeps_a_row_per_student(tmp_path):
    path = tmp_path / "g.csv"
    gradebooks.write_plain(path, ROWS, LABS2)
    rows = list(csv.DictReader(path.open(newline="", encoding="utf-8")))
    assert [r["student"] for r in rows] == ["Ann Lee", "Bob", "Cy"]
    assert float(rows[0]["total"]) == total(ROWS[0]) and float(rows[0]["max_total"]) == 268
    assert rows[2]["status"].startswith("failed to grade")

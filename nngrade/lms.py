"""An LMS's bulk download of an assignment, grouped into students (`grade-class --from ...`).

Canvas, Moodle and Blackboard each give one folder (or the zip of it) of every student's files,
named by the platform's own convention; a notebook's lab is then the `labNN` prefix of its
original name. What each convention is based on:

- Canvas ("Download Submissions"): `<name>[_LATE]_<user id>_<submission id>_<original name>`,
  the name being the student's sortable name in lower case without spaces or punctuation
  (`leeann_12345_67890_lab02_activations.ipynb`); a resubmitted file gets `-1`, `-2`, ... before
  its extension, which keeps its `labNN` prefix. As described by tools that undo it, e.g.
  github.com/TimHanneman/Canvas_submission_sort (README: a student name, two id fields, an extra
  field when late, a number when resubmitted) and github.com/mikewesthad/canvas-unzipper.
- Moodle ("Download all submissions", mod/assign/locallib.php `download_submissions`): the prefix
  is the full name with '_' replaced by ' ', then `_<participant id>`; each file is
  `<prefix>_assignsubmission_file_<file path>`, as one flat name or, by default since Moodle
  3.1 ("download submissions in folders"), as a folder `<prefix>_assignsubmission_file_/` with
  the student's files inside. The participant id is the one the offline grading worksheet names
  "Participant <id>" (nngrade.gradebooks). Other plugins' files (`assignsubmission_onlinetext_`)
  are not notebooks.
- Blackboard Learn ("Assignment File Download"): `<assignment>_<username>_attempt_<YYYY-MM-DD-
  HH-MM-SS>_<original name>`, and per attempt a receipt `<assignment>_<username>_attempt_<time>.txt`
  whose first line is `Name: <full name> (<username>)` and whose `Files:` part pairs each
  "Original filename:" with its "Filename:" in the download; as read by nbgrader's ZipCollect
  (`.*_(?P<student_id>\\w+)_attempt_(?P<timestamp>[0-9\\-]+)_(?P<file_id>\\w+)`, docs,
  "Exchanging assignment files manually") and github.com/vangef/BBGradebookOrganiser
  (utils/organiser.py). A username is read from the receipt where there is one (usernames may
  hold '_'); only a student's latest attempt is graded.

The download is read entry by entry and never extracted by its own names: a notebook is copied
to `<folder of its student>/<its original file name, reduced to a safe base name>`, at most
`load.MAX_NOTEBOOK_BYTES` of it, and never through a symlink (nor a zip entry that is one).
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from nngrade import load

PLATFORMS = ("canvas", "moodle", "blackboard")
CANVAS = re.compile(r"^(?P<name>[^_/]+?)(?P<late>_LATE)?_(?P<id>\d+)_(?P<sub>\d+)_(?P<file>.+)$")
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z0-9]+)_(?P<file>.*)$")
BB_TIME = r"\d{4}(?:-\d\d){5}"
BLACKBOARD = re.compile(rf"^(?P<head>.+)_attempt_(?P<time>{BB_TIME})(?:_(?P<file>.+)|(?P<receipt>\.txt))$")
BB_NAME = re.compile(r"^Name:\s*(?P<name>.*?)\s*\((?P<user>[^()]+)\)\s*$", re.MULTILINE)
BB_FILES = re.compile(r"Original filename:\s*(?P<original>.+?)\s*\n\s*Filename:\s*(?P<stored>.+?)\s*$", re.MULTILINE)


@dataclass
class Submitted:
    """One student's files in a download: `files` maps an entry of the download to the file's
    original name."""
    name: str
    lms_id: str
    late: bool = False
    files: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)


class Download:
    """A bulk download, a folder or a zip file, read by relative path ('/'-separated)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._entries = None
        self.zip = zipfile.ZipFile(self.path) if self.path.is_file() else None
        if self.zip is None and not self.path.is_dir():
            raise FileNotFoundError(f"no folder or zip file at {self.path}")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.zip is not None:
            self.zip.close()

    def entries(self) -> dict[str, float]:
        """Every regular file, with its modification time (the newer of two notebooks of a lab is
        graded). No symlink, in a folder or in a zip, is an entry, nor macOS's `__MACOSX` copies."""
        if self._entries is None:
            self._entries = {e: t for e, t in self._list() if "__MACOSX" not in e.split("/")}
        return self._entries

    def _list(self):
        if self.zip is not None:
            for i in self.zip.infolist():
                if not i.is_dir() and not stat.S_ISLNK(i.external_attr >> 16):
                    yield i.filename, time.mktime(i.date_time + (0, 0, -1))
            return
        for folder, dirs, files in os.walk(self.path):         # symlinked folders are not walked
            for name in files:
                p = Path(folder, name)
                if not p.is_symlink() and p.is_file():
                    yield p.relative_to(self.path).as_posix(), p.stat().st_mtime

    def read(self, entry: str, limit: int = load.MAX_NOTEBOOK_BYTES) -> bytes:
        """At most `limit` bytes of an entry; OSError when it is larger, or not a regular file."""
        if self.zip is None:
            return load.read_bytes(self.path / entry, limit)
        with self.zip.open(entry) as f:      # the header's size is not trusted: read and count
            data = f.read(limit + 1)
        if len(data) > limit:
            raise OSError(0, f"it is larger than {limit >> 20} MB")
        return data


def original_name(text: str) -> str:
    """A file name that is safe to create: the last path part, without control characters or a
    leading dot."""
    base = PurePosixPath(text.replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).lstrip(".").strip()
    return base[:200] or "notebook.ipynb"


def collect(platform: str, download: Download) -> tuple[list[Submitted], list[str]]:
    """The students of a download (by the platform's naming), and the entries that are no one's."""
    if platform not in PLATFORMS:
        raise ValueError(f"--from takes one of {', '.join(PLATFORMS)}, not {platform!r}")
    entries = download.entries()
    if platform == "blackboard":
        return _blackboard(entries, download)
    students: dict[tuple, Submitted] = {}
    unmatched = []
    for entry in sorted(entries):
        m = _match(platform, entry)
        if m is None:
            unmatched.append(entry)
            continue
        name, lms_id, late, original = m
        s = students.setdefault((name, lms_id), Submitted(name, lms_id))
        s.late = s.late or late
        if original.lower().endswith(".ipynb"):
            s.files[entry] = original_name(original)
    return list(students.values()), unmatched


def _match(platform, entry):
    """(name, id, late, original file name) of a Canvas or Moodle entry, or None."""
    if platform == "canvas":
        m = CANVAS.match(PurePosixPath(entry).name)
        return m and (m["name"], m["id"], bool(m["late"]), m["file"])
    top, _, inside = entry.partition("/")
    m = MOODLE.match(top)
    if not m or m["plugin"] != "file" or (inside == "") != (m["file"] != ""):
        return None       # another plugin's file (online text), or neither a flat file nor a folder's
    return m["name"], m["id"], False, inside or m["file"]


def _blackboard(entries: dict, download: Download) -> tuple[list[Submitted], list[str]]:
    """Blackboard: attempts keyed by `<assignment>_<username>_attempt_<time>`; the receipt of an
    attempt names its student and the original name of each file; the latest attempt counts."""
    attempts: dict[str, dict] = {}
    unmatched = []
    for entry in sorted(entries):
        m = BLACKBOARD.match(PurePosixPath(entry).name)
        if m is None:
            unmatched.append(entry)
            continue
        key = f"{m['head']}_attempt_{m['time']}"
        a = attempts.setdefault(key, {"head": m["head"], "time": m["time"], "files": [], "receipt": None})
        if m["receipt"]:
            a["receipt"] = entry
        else:
            a["files"].append((entry, m["file"]))
    latest: dict[str, list] = {}
    for a in attempts.values():
        name, user, originals = _receipt(download, a)
        latest.setdefault(user, []).append((a["time"], name, a, originals))
    students = []
    for user, tries in sorted(latest.items()):
        tries.sort(key=lambda t: t[0], reverse=True)
        when, name, a, originals = tries[0]
        s = Submitted(name, user)
        for entry, tail in a["files"]:
            if PurePosixPath(entry).name.lower().endswith(".ipynb"):
                s.files[entry] = original_name(originals.get(PurePosixPath(entry).name, tail))
        if len(tries) > 1:
            s.notes.append(f"graded the latest attempt, {when} (also in the download: "
                           + ", ".join(t[0] for t in tries[1:]) + ")")
        students.append(s)
    return students, unmatched


def _receipt(download: Download, attempt: dict) -> tuple[str, str, dict]:
    """(full name, username, {stored file name: original name}) of an attempt, from its receipt;
    without one, the username is the last '_'-separated part before `_attempt_`."""
    fallback = attempt["head"].rsplit("_", 1)[-1]
    if attempt["receipt"] is None:
        return fallback, fallback, {}
    try:
        text = download.read(attempt["receipt"], 1 << 20).decode("utf-8", errors="replace")
    except OSError:
        return fallback, fallback, {}
    m = BB_NAME.search(text)
    user = m["user"].strip() if m and attempt["head"].endswith("_" + m["user"].strip()) else fallback
    name = m["name"] if m and m["name"] else user
    return name, user, {PurePosixPath(f["stored"]).name: f["original"] for f in BB_FILES.finditer(text)}


def stage(download: Download, submitted: Submitted, folder: Path) -> list[str]:
    """Copy a student's notebooks into `folder` (emptied first) under their original names, with
    their times; returns a note per file that could not be copied."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    notes, times = [], download.entries()
    for entry, original in sorted(submitted.files.items()):
        target = folder / original
        n = 1
        while target.exists():      # two files of one name (Moodle's subfolders): both kept
            n += 1
            target = folder / f"{Path(original).stem} ({n}){Path(original).suffix}"
        try:
            target.write_bytes(download.read(entry))
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as e:   # a damaged zip entry
            notes.append(f"{original} could not be read from the download: {getattr(e, 'strerror', None) or e}")
            continue
        os.utime(target, (times[entry], times[entry]))
    return notes

"""Who is in a class: one `Student` per submission, a file name of their own, and their shard.

A class comes either as a folder of student folders (`grade-class SUBMISSIONS`) or as an LMS's
bulk download (`nngrade.lms`). Each student gets one file name in OUT (`<stem>.json`,
`<stem>.md`) that no classmate shares, on a case-insensitive file system too: "Ann Lee" and
"Ann_Lee" are two students, so they cannot both be `Ann_Lee`. The stem depends only on the
class's names, never on the order they are read in or on the shard, so a rerun and every shard
of a class write each student to the same file.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Student:
    """One submission: `folder` holds the notebooks the grader reads (for an LMS download, a copy
    under their original names). `lms_id` is the platform's id of the student (Canvas user id,
    Moodle participant id, Blackboard username); `late` is Canvas's LATE mark."""
    name: str
    folder: Path
    lms_id: str = ""
    late: bool = False
    notes: tuple = field(default=(), compare=False)

    @property
    def ident(self) -> str:
        """Unique within a class: the name, and the LMS id where there is one (two students of a
        course may share a name, never an id)."""
        return f"{self.name} ({self.lms_id})" if self.lms_id else self.name


def folders(submissions: Path) -> list[Student]:
    """Every sub-folder of `submissions` is a student, named as the folder. A symlinked folder is
    someone else's (it is not read), and hidden folders are not submissions."""
    return [Student(p.name, p) for p in sorted(submissions.iterdir())
            if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")]


def safe_name(name: str) -> str:
    """A file name made of `name`: letters, digits, '.', '_' and '-' (others become '_'), at most
    100 characters, not hidden."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:100] or "student"
    return "_" + stem[1:] if stem.startswith(".") else stem


def _suffix(ident: str, length: int) -> str:
    return hashlib.sha256(ident.encode()).hexdigest()[:length]


def file_stems(students: list[Student]) -> tuple[dict[str, str], list[str]]:
    """Each student's file stem in OUT (by `ident`), and a warning per name collision.

    A stem is `safe_name` of the student's name (with `_<LMS id>` after it, where there is one),
    unless a classmate's is the same, compared without case (macOS and Windows file systems
    ignore it): then each of them gets `-` and a hash of their identity appended, except the
    one whose name already was that file name. It depends on the set of identities only, so
    reruns and every shard of a class agree."""
    raw = {s.ident: s.name + (f"_{s.lms_id}" if s.lms_id else "") for s in students}
    groups: dict[str, list[str]] = {}
    for ident in sorted(raw):
        groups.setdefault(safe_name(raw[ident]).casefold(), []).append(ident)
    stems, warnings = {}, []
    for members in groups.values():
        plain = next((m for m in members if safe_name(raw[m]) == raw[m]), None) if len(members) > 1 else members[0]
        for ident in members:
            stems[ident] = safe_name(raw[ident]) if ident == plain else f"{safe_name(raw[ident])[:92]}-{_suffix(ident, 6)}"
        if len(members) > 1:
            warnings.append(f"warning: {', '.join(repr(m) for m in members)} would share the file name "
                            f"{safe_name(raw[members[0]])}.json; " + "; ".join(
                                f"{m!r} is written as {stems[m]}.json" for m in members if m != plain)
                            + (f" ({plain!r} keeps it)" if plain else ""))
    taken: set = set()
    for ident in sorted(stems):
        length = 6
        while stems[ident].casefold() in taken and length < 64:   # a name that is a classmate's stem
            length += 6
            stems[ident] = f"{safe_name(raw[ident])[:92]}-{_suffix(ident, length)}"
            warnings.append(f"warning: {ident!r} is written as {stems[ident]}.json (a classmate's file "
                            "name with its suffix was its own)")
        taken.add(stems[ident].casefold())
    return stems, warnings


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """'i/n' (0 <= i < n) -> (i, n); None for no sharding."""
    if not text:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not m or not 0 <= int(m.group(1)) < int(m.group(2)):
        raise ValueError(f"--shard takes i/n with 0 <= i < n (e.g. 0/3, 1/3, 2/3), not {text!r}")
    return int(m.group(1)), int(m.group(2))


def shard_of(ident: str, n: int) -> int:
    """The shard (0 <= shard < n) that grades a student: a hash of their identity, the same on
    every machine and in every run (not Python's salted hash())."""
    return int(hashlib.sha256(ident.encode()).hexdigest()[:12], 16) % n

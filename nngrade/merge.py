"""`python -m nngrade merge OUT1 OUT2 ... --out OUT`: the shards of a class as one.

Each `grade-class --shard i/n` run writes its students' files and a manifest
(`OUT/.nngrade/class.json`). Merging checks that the shards graded the same labs with the same
seed, grader and checks (their fingerprints), and that no student is in two of them; then it
copies every graded student's `.json` and `.md` into OUT (file names are made over the whole
class in every shard, so they do not collide) and writes the gradebook(s), the report and the
manifest from them, as one run over the whole class does.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from nngrade.classroom import STATE, Export, write_outputs
from nngrade.progress import Progress

SAME = ("grader", "seed", "labs", "fingerprints")


def read_manifest(folder: Path) -> dict:
    path = folder / STATE / "class.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ValueError(f"{folder} is not the output of a grade-class run (no readable {path}: {e})") from None


def merge(folders: list[Path], out: Path, export: Export | None = None) -> dict:
    manifests = [read_manifest(f) for f in folders]
    first = manifests[0]
    for folder, m in zip(folders[1:], manifests[1:]):
        differ = [k for k in SAME if m.get(k) != first.get(k)]
        if differ:
            raise ValueError(f"{folder} and {folders[0]} were graded differently ({', '.join(differ)}): "
                             "grade every shard with the same grader, labs, seed and checks")
    seen: dict = {}
    entries = []
    for folder, m in zip(folders, manifests):
        for e in m["students"]:
            for key in ((e["name"], e["id"]), e["stem"].casefold()):
                if key in seen:
                    raise ValueError(f"{e['name']} ({e['stem']}) is in both {seen[key]} and {folder}: were the "
                                     "shards made with the same --shard n, from the same submissions?")
                seen[key] = folder
            entries.append((folder, e))
    out.mkdir(parents=True, exist_ok=True)
    for folder, e in entries:
        if e["graded"] and folder.resolve() != out.resolve():
            for ext in (".md", ".json"):            # the .json last: it is there only with its .md
                shutil.copyfile(folder / f"{e['stem']}{ext}", out / f"{e['stem']}{ext}")
    manifest = {k: first.get(k) for k in SAME} | {"from": first.get("from"), "shard": None,
                                                   "merged": [str(f) for f in folders]}
    summary = write_outputs(out, manifest, [e for _, e in entries], export, Progress())
    summary.update(graded_now=0, reused=summary["done"], interrupted=summary["done"] < summary["students"])
    return summary

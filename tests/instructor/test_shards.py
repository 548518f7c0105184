"""A class split over machines: three `--shard i/3` runs and a merge give the gradebook and the
report of one run over the whole class; shards graded differently are not merged."""
from __future__ import annotations

import json
import shutil

import pytest

from instructor.helpers import LAB4, cells, gradebook, mutant, run, student
from nngrade.class_report import read_summary
from nngrade.classroom import grade_class
from nngrade.config import Limits
from nngrade.merge import merge
from nngrade.roster import shard_of

LIMITS = Limits(zygote=True, oracle_process=False)


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    root = tmp_path_factory.mktemp("shards")
    subs = root / "subs"
    wrong, _ = mutant(LAB4, "f", "forgets the bias")
    for i in range(9):
        student(subs, f"student {i}", {f"{LAB4}.ipynb": [cells(LAB4), None, cells(LAB4, wrong)][i % 3]})
    student(subs, "Ann Lee", {f"{LAB4}.ipynb": cells(LAB4)})
    student(subs, "Ann_Lee", {f"{LAB4}.ipynb": None})
    whole = root / "whole"
    grade_class(subs, [LAB4], whole, progress=False, limits=LIMITS)
    return root, subs, whole


def without_times(summary: dict) -> dict:
    summary = dict(summary)
    summary.pop("seconds")
    for m in summary["mistakes"]:
        m.pop("example")       # which student is the example depends on the order they are read in
    return summary


def test_three_shards_and_a_merge_equal_one_run(klass):
    root, subs, whole = klass
    shards = [root / f"shard{i}" for i in range(3)]
    for i, out in enumerate(shards):
        if i == 0:            # the command line, as a job array runs it
            run("grade-class", str(subs), "--lab", "04", "--out", str(out), "--shard", "0/3", "--no-progress")
        else:
            grade_class(subs, [LAB4], out, progress=False, limits=LIMITS, shard=(i, 3))
    names = {p.name for p in subs.iterdir()}
    per_shard = [set(n for n, _ in gradebook(out / "gradebook.csv")) for out in shards]
    assert set().union(*per_shard) == names and sum(map(len, per_shard)) == len(names)
    for i, members in enumerate(per_shard):
        assert all(shard_of(n, 3) == i for n in members)
    merged = root / "merged"
    p = run("merge", *map(str, shards), "--out", str(merged))
    assert f"Graded {len(names)} students" in p.stdout
    assert (merged / "gradebook.csv").read_bytes() == (whole / "gradebook.csv").read_bytes()
    assert without_times(read_summary(merged / "report.html")) == without_times(read_summary(whole / "report.html"))
    for path in whole.glob("*.json"):      # every student's file, under the same name
        assert json.loads((merged / path.name).read_text())["tests"] == json.loads(path.read_text())["tests"]


def test_shards_graded_differently_are_not_merged(klass, tmp_path):
    root, subs, whole = klass
    other = tmp_path / "other"
    shutil.copytree(whole, other)
    manifest = other / ".nngrade" / "class.json"
    data = json.loads(manifest.read_text())
    data["seed"] += 1
    data["students"] = []
    manifest.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="graded differently"):
        merge([whole, other], tmp_path / "m")
    with pytest.raises(ValueError, match="is in both"):
        merge([whole, whole], tmp_path / "m2")

"""Identity and resume: one file per student, stable across reruns and shards; a rerun regrades
exactly the labs whose key changed (a check, the grader's version), says so, and reuses the rest."""
from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest

import nngrade
from instructor.helpers import LAB2, LAB4, cells, gradebook, mutant, student
from nngrade import engine
from nngrade.classroom import grade_class
from nngrade.config import Limits
from nngrade.records import stale
from nngrade.roster import Student, file_stems, safe_name, shard_of


def S(name, lms_id=""):
    return Student(name, Path("."), lms_id)


def test_colliding_names_get_distinct_stable_file_names():
    klass = [S("Ann Lee"), S("Ann_Lee"), S("ann_lee"), S("Bob"), S("leeann", "12345"), S("leeann", "67890")]
    stems, warnings = file_stems(klass)
    assert len({s.casefold() for s in stems.values()}) == len(klass)    # distinct on macOS and Windows too
    assert stems["Ann_Lee"] == "Ann_Lee" and stems["Bob"] == "Bob"       # a name that is a file name keeps it
    assert stems["leeann (12345)"] == "leeann_12345" and stems["leeann (67890)"] == "leeann_67890"
    assert len(warnings) == 1 and all(repr(n) in warnings[0] for n in ("Ann Lee", "Ann_Lee", "ann_lee"))
    assert stems["Ann Lee"] in warnings[0] and stems["ann_lee"] in warnings[0]
    for _ in range(5):          # the same whatever the order, and whoever else is in the class
        shuffled = random.sample(klass, len(klass)) + [S("Zed")]
        again, _ = file_stems(shuffled)
        assert {k: again[k] for k in stems} == stems


def test_a_name_equal_to_a_classmates_suffixed_file_name_gets_another():
    stems, _ = file_stems([S("A B"), S("A_B")])
    tricky = stems["A B"]                    # "A_B-<hash>": now a student is called that
    stems2, warnings = file_stems([S("A B"), S("A_B"), S(tricky)])
    assert len({s.casefold() for s in stems2.values()}) == 3
    assert any(repr(tricky) in w or repr("A B") in w for w in warnings[1:])


def test_safe_names_are_never_hidden_files():
    assert not safe_name(".hidden").startswith(".") and safe_name("a/b c") == "a_b_c"


def test_shards_partition_a_class_the_same_way_every_time():
    names = [f"student {i}" for i in range(300)]
    shards = [[n for n in names if shard_of(n, 3) == i] for i in range(3)]
    assert sorted(sum(shards, [])) == sorted(names)
    assert all(60 <= len(s) <= 140 for s in shards)         # a fair share each (binomial, 300 x 1/3)
    assert [shard_of(n, 3) for n in names] == [shard_of(n, 3) for n in names]


HIDDEN_COPY = """import copy
from nngrade.labs.lab04_gradient_descent.checks import CHECKS as _PUBLIC
# a changed check: one of the public ones again, as an instructor's fix would add
CHECKS = [copy.copy(next(c for c in _PUBLIC if c.function == "error"))]
"""


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    root = tmp_path_factory.mktemp("identity")
    subs = root / "subs"
    sig, _ = mutant(LAB2, "sigmoid_grad", "the activation in place")
    student(subs, "Ann Lee", {f"{LAB2}.ipynb": cells(LAB2), f"{LAB4}.ipynb": cells(LAB4)})
    student(subs, "Ann_Lee", {f"{LAB2}.ipynb": cells(LAB2, sig), f"{LAB4}.ipynb": None})
    student(subs, "Bob", {f"{LAB2}.ipynb": None, f"{LAB4}.ipynb": cells(LAB4)})
    return root, subs


def graded_labs(monkeypatch):
    """The labs the engine grades, in the order it grades them."""
    seen = []
    real = engine.grade_lab

    def spy(student, plan, oracles, lab, *a, **k):
        seen.append(lab)
        return real(student, plan, oracles, lab, *a, **k)
    monkeypatch.setattr(engine, "grade_lab", spy)
    return seen


LIMITS = Limits(zygote=True, oracle_process=False)


def test_collisions_and_a_changed_check_regrade_exactly_that_lab(klass, monkeypatch, capsys):
    root, subs = klass
    out = root / "grades"
    seen = graded_labs(monkeypatch)
    s = grade_class(subs, [LAB2, LAB4], out, progress=False, limits=LIMITS, jobs=2)
    said = capsys.readouterr().out
    assert "'Ann Lee', 'Ann_Lee' would share the file name Ann_Lee.json" in said
    assert sorted(seen) == sorted([LAB2, LAB4] * 3) and s["graded_now"] == 3
    book = gradebook(out / "gradebook.csv")
    first = {name: (out / f"{stem}.json").read_text() for name, stem in
             (("Ann Lee", next(p.stem for p in out.glob("Ann_Lee-*.json"))), ("Ann_Lee", "Ann_Lee"))}
    assert book[("Ann Lee", "")]["total"] != book[("Ann_Lee", "")]["total"]     # two students, two files
    assert json.loads(first["Ann Lee"])["student"] == "Ann Lee" and json.loads(first["Ann_Lee"])["student"] == "Ann_Lee"

    seen.clear()                            # a rerun: nothing changed, nothing graded, same files
    s = grade_class(subs, [LAB2, LAB4], out, progress=False, limits=LIMITS)
    assert seen == [] and s["reused"] == 3 and gradebook(out / "gradebook.csv") == book

    hidden = root / "hidden"               # a fixed check of lab04: lab04 only, for everyone
    hidden.mkdir()
    (hidden / f"{LAB4}.py").write_text(HIDDEN_COPY)
    before = {p.name: json.loads(p.read_text()) for p in out.glob("*.json")}
    s = grade_class(subs, [LAB2, LAB4], out, hidden=hidden, progress=False, limits=LIMITS)
    said = capsys.readouterr().out
    assert seen == [LAB4] * 3
    assert f"{LAB4}: grading 3 student(s): its checks changed" in said
    assert f"{LAB2}: 3 unchanged since the last run: reused" in said
    for name, data in before.items():
        now = json.loads((out / name).read_text())
        old2 = [t for t in data["tests"] if t["name"].startswith(LAB2 + ".")]
        assert [t for t in now["tests"] if t["name"].startswith(LAB2 + ".")] == old2   # copied as it was
        assert now["labs"][LAB2] == data["labs"][LAB2]
        assert any("hidden: " in t["name"] for t in now["tests"] if t["name"].startswith(LAB4 + "."))

    seen.clear()                            # a new grader version: every lab again
    monkeypatch.setattr(nngrade, "__version__", nngrade.__version__ + "+fix")
    grade_class(subs, [LAB2, LAB4], out, hidden=hidden, progress=False, limits=LIMITS)
    assert sorted(seen) == sorted([LAB2, LAB4] * 3)
    assert "the grader changed" in capsys.readouterr().out


def test_a_changed_notebook_regrades_its_lab_only(klass, monkeypatch, capsys):
    root, subs = klass
    out = root / "grades2"
    grade_class(subs, [LAB2, LAB4], out, progress=False, limits=LIMITS)
    seen = graded_labs(monkeypatch)
    bob = copy.deepcopy(gradebook(out / "gradebook.csv")[("Bob", "")])
    student(subs, "Bob", {f"{LAB2}.ipynb": cells(LAB2)})
    grade_class(subs, [LAB2, LAB4], out, progress=False, limits=LIMITS)
    assert seen == [LAB2]
    assert f"{LAB2}: grading 1 student(s): the notebook changed (1)" in capsys.readouterr().out
    now = gradebook(out / "gradebook.csv")[("Bob", "")]
    assert float(now[LAB2]) > float(bob[LAB2]) and now[LAB4] == bob[LAB4]
    student(subs, "Bob", {f"{LAB2}.ipynb": None})       # as it was, for the other tests


KEY = {"grader": "0.1.0", "seed": 2026, "fingerprint": "aaaa", "versions": {"torch": "2.13.0", "numpy": "2.4.6"}}


@pytest.mark.parametrize("change, why", [
    ({}, None), ({"sha256": "other"}, "the notebook changed"),
    ({"fingerprint": "bbbb"}, "its checks changed (fingerprint aaaa -> bbbb)"),
    ({"grader": "0.2.0"}, "the grader changed (0.1.0 -> 0.2.0)"), ({"seed": 7}, "the seed changed (2026 -> 7)"),
    ({"versions": {"torch": "2.14.0", "numpy": "2.4.6"}}, "the frameworks changed (torch 2.13.0 -> 2.14.0)")])
def test_each_part_of_a_labs_key_regrades_it_and_says_why(change, why):
    ann = S("Ann", "12")
    stored = {"student": "Ann", "id": "12", "status": "graded", "labs": {LAB4: {"key": dict(KEY, sha256="s")}}}
    new = {LAB4: {**KEY, **{k: v for k, v in change.items() if k != "sha256"}}}
    hashes = {LAB4: change.get("sha256", "s")}
    assert stale(stored, ann, new, hashes) == ({LAB4: why} if why else {})


def test_a_file_that_is_someone_else_s_or_failed_is_graded_again():
    stored = {"student": "Ann", "id": "12", "status": "graded", "labs": {LAB4: {"key": dict(KEY, sha256="s")}}}
    assert stale(stored, S("Ann", "13"), {LAB4: KEY}, {LAB4: "s"}) == {LAB4: "not graded yet"}
    assert stale(dict(stored, status="failed to grade: x"), S("Ann", "12"), {LAB4: KEY}, {LAB4: "s"}) == \
        {LAB4: "not graded yet"}
    assert stale(None, S("Ann", "12"), {LAB4: KEY}, {LAB4: "s"}) == {LAB4: "not graded yet"}

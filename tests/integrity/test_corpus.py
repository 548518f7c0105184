"""Issue: integrity. Every member of the corpus is graded in one class run next to a correct
submission: the grader finishes, the functions concerned earn 0 with a message that says
what happened, every other function keeps its points, and no file outside the workers'
scratch folders changes (the solutions, the results file, the other students' results)."""
from __future__ import annotations

import hashlib
import json

import pytest

from conftest import ROOT, solution_cells, write_notebook
from integrity.corpus import ALL, LAB, SOLUTIONS_FILE, corpus, syntax_error_cells
from nngrade.classroom import grade_class
from nngrade.registry import load_checks

MAX = {}
for c in load_checks(LAB):
    MAX[c.function] = MAX.get(c.function, 0) + c.points


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    subs, out = root / "submissions", root / "grades"
    subs.mkdir()
    out.mkdir()
    sentinel = out / "results.json"
    sentinel.write_text('{"score": 0}')
    members = corpus(sentinel)
    for bad in members:
        d = subs / bad.name
        d.mkdir()
        path = d / f"{LAB}.ipynb"
        if bad.raw is not None:
            path.write_text(bad.raw)
        elif bad.name == "syntax_error_in_one_cell":
            write_notebook(path, syntax_error_cells())
        elif bad.name == "no_code":
            path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": "hi"}],
                                        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
        else:
            write_notebook(path, (solution_cells(LAB) if bad.base else []) + bad.cells)
    (subs / "zz_correct").mkdir()
    write_notebook(subs / "zz_correct" / f"{LAB}.ipynb", solution_cells(LAB))
    (subs / "zz_link").symlink_to(subs / "zz_correct")   # a classmate's folder: not a student
    before = {"solutions": digest(SOLUTIONS_FILE), "sentinel": digest(sentinel)}
    summary = grade_class(subs, [LAB], out, seed=11, progress=False)
    return members, out, summary, before, sentinel


def per_function(data):
    out = {}
    for t in data["tests"]:
        fn = t["name"].split(".", 1)[1].split(":", 1)[0]
        s, texts = out.get(fn, (0.0, []))
        out[fn] = (s + t["score"], texts + [t["output"]])
    return out


def test_every_submission_is_graded_and_nothing_outside_scratch_changes(graded):
    members, out, summary, before, sentinel = graded
    assert summary["students"] == len(members) + 1 and not summary["failed"]
    assert digest(SOLUTIONS_FILE) == before["solutions"]
    assert digest(sentinel) == before["sentinel"]
    correct = json.loads((out / "zz_correct.json").read_text())
    assert correct["score"] == correct["max_score"] == sum(MAX.values())


@pytest.mark.parametrize("name", [b.name for b in corpus(ROOT / "results.json")])
def test_the_functions_concerned_earn_nothing_and_the_rest_keep_their_points(graded, name):
    members, out, _, _, _ = graded
    bad = next(b for b in members if b.name == name)
    data = json.loads((out / f"{name}.json").read_text())
    scores = per_function(data)
    zero = set(MAX) if bad.zero == ALL else bad.zero
    for fn, top in MAX.items():
        got, texts = scores[fn]
        if fn in zero:
            assert got < top if bad.partial else got == 0, f"{name}: {fn} earned {got}"
        else:
            assert got == top, f"{name}: {fn} lost points: " + "\n".join(texts)[:600]
    text = data["output"] + "\n" + "\n".join(t for fn in zero for t in scores[fn][1])
    assert bad.message in text, f"{name}: feedback lacks {bad.message!r}:\n{text[:1500]}"
    assert "Traceback" not in text


def test_the_readme_counts_the_corpus(tmp_path):
    import re
    said = re.search(r"a corpus of (\d+) broken and hostile submissions", (ROOT / "README.md").read_text())
    assert said and int(said.group(1)) == len(corpus(tmp_path / "results.json"))

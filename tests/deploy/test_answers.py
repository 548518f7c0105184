"""The oracle answers shipped with the Gradescope autograder (nngrade.answers): what PyTorch and
Keras compute live, used only while their key holds, and enough to grade a correct submission
without loading a framework or starting the oracle process."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import LABS, ROOT, SEED, oracles_for, plan_for, same, write_hidden
from nngrade import answers, wire
from nngrade.oracle_client import MISSING
from nngrade.registry import Case


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """Every lab's answers on the tests' seed, written by `python -m nngrade answers` in a process of
    its own (as `make gradescope` does), while this process computes the live ones."""
    folder = tmp_path_factory.mktemp("answers")
    p = subprocess.Popen([sys.executable, "-m", "nngrade", "answers", "--folder", str(folder), "--seed", str(SEED)],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for lab in LABS:
        oracles_for(lab).precompute()
    out, err = p.communicate(timeout=900)
    assert p.returncode == 0, err[-3000:]
    assert "computed again for " + ", ".join(LABS) in out
    return folder


def test_the_shipped_answers_are_what_the_frameworks_compute_live(shipped):
    store = answers.load(shipped, LABS, SEED)
    assert sorted(store.labs) == sorted(LABS)
    compared = 0
    for lab in LABS:
        plan = plan_for(lab)
        for check in plan.checks[lab]:
            live_cases = plan.cases(check)
            stored_cases = store.inputs(check)
            assert stored_cases is not None and len(stored_cases) == len(live_cases), check.name
            for live, stored in zip(live_cases, stored_cases):
                assert type(stored) is Case and same(stored.args, live.args) and same(stored.kwargs, live.kwargs)
                assert stored.note == live.note
            for which in ("torch", "keras"):
                if check.oracle(which) is None:
                    assert not store.has(check, which)
                    continue
                for i in range(len(live_cases)):
                    live = oracles_for(lab).expected(check, i, which)
                    got = store.get(check, i, which, len(live_cases))
                    if not wire.plain(live):          # not stored: computed live at grading time
                        assert got is MISSING, check.name
                        continue
                    assert same(got, live), (check.name, which, i)
                    compared += 1
    assert compared > 1500     # every lab, both frameworks


def test_answers_whose_key_no_longer_holds_are_not_used(shipped, tmp_path, monkeypatch):
    assert answers.load(shipped, LABS, SEED + 1).labs == {}                      # another seed
    hidden = write_hidden(tmp_path / "hidden", "lab02_activations", "tanh", 1, "np.array([0.5])")
    held = answers.load(shipped, LABS, SEED, hidden).labs                         # lab02's checks changed
    assert "lab02_activations" not in held and "lab03_losses" in held
    (tmp_path / "cut").mkdir()
    for lab in LABS:
        data = (shipped / f"{lab}.wire").read_bytes()
        (tmp_path / "cut" / f"{lab}.wire").write_bytes(data[: len(data) // 2] if lab == LABS[0] else data)
    held = answers.load(tmp_path / "cut", LABS, SEED).labs                        # a damaged file
    assert LABS[0] not in held and LABS[1] in held
    real = answers.versions()
    monkeypatch.setattr(answers, "versions", lambda: dict(real, torch="2.99.0"))  # another torch
    assert answers.load(shipped, LABS, SEED).labs == {}


def test_a_stored_check_with_other_inputs_is_not_answered_from_the_store(shipped):
    store = answers.load(shipped, ["lab03_losses"], SEED)
    check = plan_for("lab03_losses").checks["lab03_losses"][0]
    n = len(plan_for("lab03_losses").cases(check))
    assert store.get(check, 0, check.primary, n) is not MISSING
    assert store.get(check, 0, check.primary, n + 1) is MISSING


def test_the_speed_reference_is_carried_over_by_the_numpy_yardstick(shipped, monkeypatch):
    data = wire.decode((shipped / "lab02_activations.wire").read_bytes())
    seconds, there = data["speed"]["sigmoid"], data["calibration"]
    assert seconds > 0 and there > 0
    monkeypatch.setattr(answers, "calibration", lambda: 3 * there)    # this machine: 3 times slower
    store = answers.load(shipped, ["lab02_activations"], SEED)
    assert store.speed("lab02_activations", "sigmoid") == pytest.approx(3 * seconds)
    assert store.speed("lab02_activations", "no_such_function") is None


PROBE = """
import sys
from pathlib import Path
from nngrade import oracle_client
from nngrade.cli import main
def refuse(spec):
    raise AssertionError("the oracle process was started")
oracle_client.OracleProcess = refuse
main(["grade", "--submission", "solutions", "--lab", sys.argv[1], "--seed", sys.argv[2], "--out", sys.argv[3],
      "--answers", sys.argv[4], "--quiet"])
print("LOADED", sorted(m for m in ("torch", "tensorflow", "keras") if m in sys.modules))
"""


def test_a_correct_submission_is_graded_from_the_answers_without_a_framework(shipped, tmp_path):
    """Labs whose solutions call no stand-in and no custom comparison with a framework: graded in
    full with neither torch nor TensorFlow imported, and no oracle process (lab07 is decided by
    Keras)."""
    import json
    out = tmp_path / "r.json"
    p = subprocess.run([sys.executable, "-c", PROBE, "04 07 09", str(SEED), str(out), str(shipped)], cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    assert "LOADED []" in p.stdout, p.stdout[-500:]
    results = json.loads(out.read_text())
    assert results["score"] == results["max_score"] > 0
    assert results["shipped_answers"]["labs"] == ["lab04_gradient_descent", "lab07_metrics", "lab09_convolution"]


def test_check_keeps_the_practice_seeds_answers_and_takes_them_from_then_on(tmp_path, monkeypatch):
    """check() without a seed grades the practice seed; its first check of a lab computes that lab's
    answers in the background (both frameworks, kept in the installation), later checks take them."""
    import time
    from conftest import solution_cells, write_notebook
    from nngrade import selfcheck
    cache = tmp_path / "cache"
    monkeypatch.setenv("NNGRADE_ANSWERS_CACHE", str(cache))
    notebook = write_notebook(tmp_path / "lab02_activations.ipynb", solution_cells("lab02_activations"))
    first = selfcheck.check("sigmoid", lab="02", notebook=notebook, quiet=True).results
    assert first["seed"] == answers.PRACTICE_SEED and first["shipped_answers"]["labs"] == []
    assert first["score"] == first["max_score"] > 0
    deadline = time.monotonic() + 600
    while "lab02_activations" not in answers.load(cache, ["lab02_activations"], answers.PRACTICE_SEED).labs:
        assert time.monotonic() < deadline, "the practice answers were not kept"
        time.sleep(1)
    second = selfcheck.check("sigmoid", lab="02", notebook=notebook, quiet=True).results
    assert second["shipped_answers"] == {"labs": ["lab02_activations"], "used": second["shipped_answers"]["used"]}
    assert second["shipped_answers"]["used"] > 0
    assert [t["score"] for t in second["tests"]] == [t["score"] for t in first["tests"]]

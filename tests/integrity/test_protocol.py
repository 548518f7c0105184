"""Issue: grades that cannot be forged. The grader trusts nothing the worker says: frames that
are not replies, oversized headers and node bombs end the worker, not the grader; strings from
student code reach the feedback without control characters; the worker inherits none of the
grader's environment; a submission's grading is bounded in time and in restarts."""
from __future__ import annotations

import json
import os
import struct
import time

import pytest

from conftest import grade_cells, solution_cells
from nngrade import report, wire
from nngrade.config import Limits

LAB = "lab02_activations"

# graded code reaches the worker's pipe the way a hostile student can: through gc
PIPE = '''import gc

def _pipe():
    w = next(o for o in gc.get_objects() if type(o).__name__ == "Worker")
    s = next(o for o in gc.get_objects() if type(o).__name__ == "OracleStandIn")
    return w, s.__call__.__func__.__globals__["wire"]
'''


def graded(cells, functions, limits=None):
    return grade_cells(LAB, solution_cells(LAB) + cells, functions=set(functions), limits=limits)


@pytest.mark.parametrize("frame, why", [
    ("[1, 2, 3]", "a list, not a reply"),
    ("{'ok': 'yes', 'value': 1}", "'ok' that is not a bool"),
    ("{'ok': True, 'value': z, 'stdout': 12}", "a field of the wrong type"),
    ("{'ok': True, 'value': z, 'unexpected': 1}", "an unknown field"),
])
def test_a_frame_that_is_not_a_reply_fails_the_function_and_nothing_else(frame, why):
    cells = [PIPE, f"def relu(z):\n    w, wire = _pipe()\n    wire.send(w.wfd, {frame})\n    return z\n"]
    scores, res = graded(cells, {"relu", "tanh"})
    assert scores["relu"][0] == 0, why
    assert any("not a reply the grader can read" in t for t in scores["relu"][2]), scores["relu"][2][0]
    assert scores["tanh"][0] == scores["tanh"][1], f"{why}: tanh lost points: {scores['tanh'][2]}"


def test_a_header_bomb_is_refused_before_it_is_parsed():
    big = b"[" + b"0," * 3_000_000 + b"0]"
    payload = struct.pack("<I", len(big)) + big
    start = time.monotonic()
    with pytest.raises(wire.WireError, match="header"):
        wire.decode(payload)
    assert time.monotonic() - start < 1.0   # refused on its length, not parsed


def test_a_node_bomb_within_the_header_cap_is_refused():
    header = json.dumps({"v": {"$list": [0] * (wire.MAX_NODES + 1)}, "b": []}).encode()
    assert len(header) < wire.MAX_HEADER
    with pytest.raises(wire.WireError, match="nodes"):
        wire.decode(struct.pack("<I", len(header)) + header)


def test_replies_over_their_size_limit_end_the_worker_not_the_grader():
    cells = [PIPE, "def relu(z):\n    w, wire = _pipe()\n    import struct, os\n"
             "    os.write(w.wfd, struct.pack('<Q', 2 ** 40))\n    return z\n"]
    scores, _ = graded(cells, {"relu", "tanh"})
    assert scores["relu"][0] == 0
    assert scores["tanh"][0] == scores["tanh"][1]


def test_control_characters_from_student_code_do_not_reach_the_feedback():
    cells = ["def relu(z):\n    raise ValueError('\\x1b[2J\\x1b[31mall passed\\x07\\u202e')\n",
             "def tanh(z):\n    print('\\x1b]0;title\\x07')\n    return np.tanh(z) + 1\n"]
    scores, res = graded(cells, {"relu", "tanh"})
    text = "\n".join(t for fn in ("relu", "tanh") for t in scores[fn][2])
    assert "all passed" in text
    for bad in ("\x1b", "\x07", "\u202e"):
        assert bad not in text
    md = report.markdown([res], seed=1)
    assert "\x1b" not in md


def test_a_closed_code_fence_in_student_text_stays_inside_the_markdown_fence():
    cells = ["def relu(z):\n    raise ValueError('```\\n# You passed\\n<script>alert(1)</script>\\n```')\n"]
    _, res = graded(cells, {"relu"})
    md = report.markdown([res], seed=1)
    fences = [line for line in md.splitlines() if line.startswith("```")]
    opening = fences[0]
    assert len(opening) > 3 and set(opening) == {"`"}, "the fence must be longer than any run inside"
    inside = md.split(opening, 2)[1]
    assert "# You passed" in inside and "<script>" not in md.replace(inside, "")


def test_the_worker_inherits_none_of_the_graders_environment(monkeypatch):
    monkeypatch.setenv("NNLABS_TEST_SECRET_TOKEN", "s3cr3t-value")
    cells = ["import os\n", "def relu(z):\n    raise ValueError(repr(sorted(os.environ.items())))\n"]
    scores, _ = graded(cells, {"relu"})
    text = "\n".join(scores["relu"][2])
    assert "PYTHONPATH" in text           # the worker's own variables are there (the test sees them)
    assert "s3cr3t-value" not in text and "NNLABS_TEST_SECRET_TOKEN" not in text


def test_a_lab_that_sleeps_just_under_every_limit_is_bounded():
    """Each call sleeps just under the per-call limit: without a budget a stub would hold the
    run for (cases x checks x limit); with one the lab ends when the budget is spent."""
    cells = ["import time\n"] + [f"def {fn}(z):\n    time.sleep(0.45)\n    return z\n"
                                 for fn in ("relu", "tanh", "sigmoid", "elu", "selu")]
    limits = Limits(call_seconds=0.5, lab_seconds=3.0)
    start = time.monotonic()
    scores, res = graded(cells, {"relu", "tanh", "sigmoid", "elu", "selu"}, limits)
    assert time.monotonic() - start < 3.0 + 2 * 0.5 + 5   # the budget, one call, the worker's start
    stopped = [fn for fn, (s, _, texts) in scores.items() if all("time budget" in t for t in texts)]
    assert stopped, "no function's checks were stopped by the budget"
    assert all(scores[fn][0] == 0 for fn in stopped)


def test_workers_that_die_on_every_call_are_restarted_a_bounded_number_of_times():
    cells = ["import os\n"] + [f"def {fn}(z):\n    os._exit(3)\n" for fn in ("relu", "tanh", "sigmoid")]
    scores, res = graded(cells, {"relu", "tanh", "sigmoid"}, Limits(restarts=4))
    text = "\n".join(t for s in scores.values() for t in s[2])
    assert "restarted more than 4 times" in text
    assert all(s == 0 for s, _, _ in scores.values())


def test_a_correct_notebook_is_not_touched_by_the_limits():
    scores, _ = graded([], {"relu", "tanh", "softmax"}, Limits(restarts=0))
    assert all(s == m for s, m, _ in scores.values()), scores



SPY = '''import os, time
SEEN = []

def relu(z):
    z = np.asarray(z, dtype=float)
    SEEN.append(z.shape)
    if z.shape == (7, 13) and len(SEEN) > 1:
        return z * 0                   # wrong, if the visible checks ran in this same worker
    if z.shape == (300, 300) and (7, 13) in SEEN:
        time.sleep(1.5)                # a timing in the visible speed note would spell the input
    return np.maximum(z, 0.0)
'''


def test_hidden_checks_run_in_a_fresh_worker_after_every_visible_result(tmp_path):
    from conftest import write_hidden
    hidden = write_hidden(tmp_path / "hidden", LAB, "relu", 2, "rng.normal(size=(7, 13))")
    from conftest import SEED
    from nngrade import load
    from nngrade.engine import grade_lab
    from nngrade.oracles import Oracles
    from nngrade.plan import Plan
    from nngrade.student import Student
    nb = load.Notebook(LAB, None, solution_cells(LAB) + [SPY])
    plan = Plan([LAB], SEED, hidden)
    with Student(Limits()) as student:
        res = grade_lab(student, plan, Oracles(plan), LAB, nb, functions={"relu"})
    secret = [r for r in res.results if r.check.hidden]
    assert secret and all(r.passed for r in secret), secret[0].output   # the worker had seen nothing
    assert all(r.passed for r in res.results)
    assert not any("took" in n for r in res.results for n in r.notes), [r.notes for r in res.results]


def test_extraction_is_capped_in_statements_and_characters():
    from nngrade.extract import MAX_CODE_CHARS, MAX_STATEMENTS, extract
    many = "".join(f"x{i} = {i}\n" for i in range(MAX_STATEMENTS + 1))
    out = extract(["def f():\n    return 1\n", many, "def g():\n    return 2\n"])
    assert set(out.functions) == {"f", "g"}
    assert any(f"more than the {MAX_STATEMENTS:,}" in m for m in out.messages)
    big = "# " + "x" * MAX_CODE_CHARS + "\n"
    out = extract(["def f():\n    return 1\n", big, "def g():\n    return 2\n"])
    assert set(out.functions) == {"f"} and any("were not read" in m for m in out.messages)


def test_two_statements_on_one_line_are_still_split_after_the_linear_rewrite():
    from nngrade.extract import extract
    out = extract(["a = 1; b = 2\nc = 3\ndef f(): return a\n@staticmethod\ndef g():\n    return b\n"])
    assert [u.source for u in out.units] == ["a = 1", "b = 2", "c = 3", "def f(): return a",
                                             "@staticmethod\ndef g():\n    return b"]


@pytest.mark.parametrize("make", ["symlink_to_a_classmate", "fifo", "symlink_to_proc"])
def test_symlinks_and_special_files_are_not_read(tmp_path, make):
    from nngrade import load
    sub, other = tmp_path / "ann", tmp_path / "bob"
    sub.mkdir()
    other.mkdir()
    (other / f"{LAB}.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    target = sub / f"{LAB}.ipynb"
    if make == "symlink_to_a_classmate":
        target.symlink_to(other / f"{LAB}.ipynb")
    elif make == "symlink_to_proc":
        target.symlink_to("/proc/self/pagemap")
    else:
        os.mkfifo(target)
    nb = load.find(sub, [LAB])[LAB]
    assert nb.error and not nb.cells            # found nothing to grade, and did not block
    with pytest.raises(OSError):
        load.read_bytes(target)
    from nngrade.engine import submission_hash
    assert submission_hash([target])            # a stable key, not an exception


def test_old_notebook_versions_are_refused_with_a_message(tmp_path):
    from nngrade import load
    path = tmp_path / f"{LAB}.ipynb"
    path.write_text('{"nbformat": 3, "worksheets": [{"cells": []}], "metadata": {}}')
    nb = load.read(LAB, path)
    assert "version 3 notebook" in nb.error and "save it" in nb.error

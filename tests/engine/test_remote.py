"""The Keras oracles' own process (nngrade.remote): the same answers, bit for bit, as computed
in the grader; the grader never loads TensorFlow and that process never loads torch; and a
dead oracle process costs time, never a wrong answer."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np
import psutil

from nngrade import remote
from nngrade.engine import Plan
from reference.neurons import Keras as KerasNeurons, Torch as TorchNeurons

from conftest import ROOT, same

LABS = ["lab01_neurons", "lab05_backprop", "lab07_metrics", "lab08_gradient_flow"]
SEED = 77


def keras_answers(plan: Plan) -> dict:
    return {(lab, j, i): plan.expected(c, i, "keras") for lab, checks in plan.checks.items()
            for j, c in enumerate(checks) if c.keras is not None for i in range(len(plan.cases(c)))}


def test_oracle_process_gives_the_in_process_answers_bit_for_bit():
    here = keras_answers(Plan(LABS, SEED))
    plan = Plan(LABS, SEED)
    plan.remote = remote.start(plan.spec)   # this test process has Keras loaded: start it anyway
    try:
        plan.precompute()
        there = keras_answers(plan)
        assert plan.remote.wait_done() and not plan.remote.dead
        assert "torch" not in plan.remote.frameworks and "tensorflow" in plan.remote.frameworks
        # half the answers come from a fork, where there is one
        assert plan.remote.helper == (sys.platform.startswith("linux") and (os.cpu_count() or 1) >= 2)
        answered = sum(v is not remote.MISSING for v in plan.remote.answers.values())
    finally:
        plan.close()
    assert len(here) > 300 and answered == len(here)
    different = [k for k in here if not same(here[k], there[k])]
    assert not different, different[:5]


def test_a_dead_oracle_process_costs_time_not_answers():
    plan = Plan(["lab03_losses"], SEED)
    plan.remote = remote.start(plan.spec)
    plan.remote.proc.kill()
    try:
        plan.precompute()
        assert plan.remote.dead
        got = keras_answers(plan)
    finally:
        plan.close()
    want = keras_answers(Plan(["lab03_losses"], SEED))
    assert got.keys() == want.keys() and all(same(got[k], want[k]) for k in want)


def running(pid) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_closing_the_oracle_process_mid_work_leaves_nothing_running():
    plan = Plan(LABS, SEED)
    plan.remote = remote.start(plan.spec)
    for lab in LABS:
        plan.feed(lab)
    plan.expected(plan.checks[LABS[0]][0], 0, "keras")      # TensorFlow is loaded, work has begun
    pids = [plan.remote.proc.pid] + [c.pid for c in psutil.Process(plan.remote.proc.pid).children()]
    assert len(pids) == (2 if sys.platform.startswith("linux") and (os.cpu_count() or 1) >= 2 else 1)
    assert remote.ACTIVE is plan.remote
    plan.close()
    deadline = time.monotonic() + 5
    while any(running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(running(p) for p in pids) and remote.ACTIVE is None


def test_calls_of_keras_functions_go_to_the_oracle_process():
    assert remote.is_keras(KerasNeurons.perceptron_forward)
    assert not remote.is_keras(TorchNeurons.perceptron_forward)
    assert not remote.is_keras(lambda X, w, b: 0)
    X, w, b = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([1.0, 1.0]), -1.5
    plan = Plan(["lab02_activations"], SEED)
    plan.remote = remote.start(plan.spec)
    try:
        sent = []
        real = plan.remote.call
        plan.remote.call = lambda *a: sent.append(a[0]) or real(*a)
        got = remote.call(KerasNeurons.perceptron_forward, (X, w, b))
        assert sent == ["reference.neurons:Keras.perceptron_forward"]
        assert same(got, KerasNeurons.perceptron_forward(X, w, b))
        assert plan.remote.call("nngrade.engine:Plan", (), {}) is remote.MISSING   # only reference.*Keras*
    finally:
        plan.close()
    assert remote.ACTIVE is None


GRADE = """
import json, sys
from pathlib import Path
from nngrade import remote
from nngrade.config import Limits
from nngrade.engine import Plan, grade_submission
started = []
start = remote.start
remote.start = lambda spec: started.append(spec) or start(spec)
plan = Plan(sys.argv[1].split(","), 5, oracles=sys.argv[2])
res = grade_submission(Path("solutions"), plan, Limits())
print(json.dumps({"score": sum(r.score for lab in res for r in lab.results),
                  "max": sum(r.check.points for lab in res for r in lab.results),
                  "loaded": [m for m in ("keras", "tensorflow") if m in sys.modules],
                  "oracle_process": bool(started)}))
"""


def grade(labs, oracles):
    out = subprocess.run([sys.executable, "-c", GRADE, labs, oracles], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_grader_never_loads_tensorflow():
    """lab01 compares the student's gate weights with a Keras forward pass and lab07 grades each
    metric with the others replaced by an oracle: with both oracles, Keras answers come from the
    oracle process; a quick run of PyTorch-decided labs starts none and loads no Keras at all."""
    both = grade("lab01_neurons,lab07_metrics", "both")
    assert both["loaded"] == [] and both["oracle_process"] and both["score"] == both["max"] > 0
    quick = grade("lab01_neurons,lab04_gradient_descent", "primary")
    assert quick["loaded"] == [] and not quick["oracle_process"] and quick["score"] == quick["max"] > 0

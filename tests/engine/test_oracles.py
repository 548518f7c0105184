"""The Keras oracles' own process (nngrade.oracle_server, driven by nngrade.oracles): the same
answers, bit for bit, as computed in the grader; the grader never loads TensorFlow and that
process never loads torch (it draws the inputs from the seed itself); and a dead oracle process
costs time, never a wrong answer."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np
import psutil

from nngrade.oracle_client import MISSING, OracleProcess
from nngrade.oracle_server import served_name
from nngrade.oracles import Oracles
from nngrade.plan import Plan
from reference.neurons import Keras as KerasNeurons, Torch as TorchNeurons

from conftest import ROOT, same

LABS = ["lab01_neurons", "lab05_backprop", "lab07_metrics", "lab08_gradient_flow"]
SEED = 77


def keras_answers(oracles: Oracles) -> dict:
    plan = oracles.plan
    return {(c.name, i): oracles.expected(c, i, "keras") for c in plan.all_checks()
            if c.keras is not None for i in range(len(plan.cases(c)))}


def with_process(labs) -> Oracles:
    """Oracles with the Keras process started, although this test process has Keras loaded."""
    oracles = Oracles(Plan(labs, SEED))
    oracles.process = OracleProcess(oracles.plan.spec)
    return oracles


def test_oracle_process_gives_the_in_process_answers_bit_for_bit():
    here = keras_answers(Oracles(Plan(LABS, SEED)))
    with with_process(LABS) as oracles:
        oracles.precompute()
        there = keras_answers(oracles)
        process = oracles.process
        assert process.wait_done() and not process.dead
        assert "torch" not in process.frameworks and "tensorflow" in process.frameworks
        # half the answers come from a fork, where there is one
        assert process.helper == (sys.platform.startswith("linux") and (os.cpu_count() or 1) >= 2)
        answered = sum(v is not MISSING for v in process.answers.values())
    assert len(here) > 300 and answered == len(here)
    different = [k for k in here if not same(here[k], there[k])]
    assert not different, different[:5]


def test_a_dead_oracle_process_costs_time_not_answers():
    with with_process(["lab03_losses"]) as oracles:
        oracles.process.proc.kill()
        oracles.precompute()
        assert oracles.process.dead
        got = keras_answers(oracles)
    want = keras_answers(Oracles(Plan(["lab03_losses"], SEED)))
    assert got.keys() == want.keys() and all(same(got[k], want[k]) for k in want)


def running(pid) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_closing_the_oracle_process_mid_work_leaves_nothing_running():
    oracles = with_process(LABS)
    plan, process = oracles.plan, oracles.process
    oracles.expected(plan.checks[LABS[0]][0], 0, "keras")      # TensorFlow is loaded, work has begun
    pids = [process.proc.pid] + [c.pid for c in psutil.Process(process.proc.pid).children()]
    assert len(pids) == (2 if sys.platform.startswith("linux") and (os.cpu_count() or 1) >= 2 else 1)
    oracles.close()
    deadline = time.monotonic() + 5
    while any(running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(running(p) for p in pids) and oracles.process is None


def test_calls_of_keras_functions_go_to_the_oracle_process():
    assert served_name(KerasNeurons.perceptron_forward) == "reference.neurons:Keras.perceptron_forward"
    assert served_name(TorchNeurons.perceptron_forward) is None
    assert served_name(lambda X, w, b: 0) is None
    X, w, b = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([1.0, 1.0]), -1.5
    with with_process(["lab02_activations"]) as oracles:
        sent = []
        real = oracles.process.call
        oracles.process.call = lambda *a: sent.append(a[0]) or real(*a)
        got = oracles.call(KerasNeurons.perceptron_forward, (X, w, b))
        assert sent == ["reference.neurons:Keras.perceptron_forward"]
        assert same(got, KerasNeurons.perceptron_forward(X, w, b))
        assert real("nngrade.plan:Plan", (), {}) is MISSING   # only Keras oracles of reference/
        assert real("reference.neurons:Torch.perceptron_forward", (X, w, b), {}) is MISSING


def test_the_plan_draws_every_input_without_a_framework():
    """The oracle process draws the inputs itself from the seed: no input generator may import
    torch, TensorFlow or Keras (a Plan of every lab, in a fresh process that refuses them)."""
    script = ("import sys, importlib.abc\n"
              "class Refuse(importlib.abc.MetaPathFinder):\n"
              "    def find_spec(self, name, path=None, target=None):\n"
              "        if name.split('.')[0] in ('torch', 'tensorflow', 'keras'):\n"
              "            raise ImportError('refused: ' + name)\n"
              "sys.meta_path.insert(0, Refuse())\n"
              "from nngrade.plan import Plan\nfrom nngrade.registry import available_labs\n"
              "plan = Plan(available_labs(), 5)\n"
              "print(sum(len(plan.cases(c)) for c in plan.all_checks()))\n")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert int(out.stdout) > 1000


GRADE = """
import json, sys
from pathlib import Path
from nngrade import oracle_client
from nngrade.config import Limits
from nngrade.engine import grade_submission
from nngrade.oracles import Oracles
from nngrade.plan import Plan
started = []
Process = oracle_client.OracleProcess
oracle_client.OracleProcess = lambda spec: started.append(spec) or Process(spec)
plan = Plan(sys.argv[1].split(","), 5, oracles=sys.argv[2])
with Oracles(plan) as oracles:
    oracles.start()
    res = grade_submission(Path("solutions"), plan, oracles, Limits())
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

"""Grading stays fast: grading every solution takes at most RATIO times as long as importing
the two oracle frameworks, both measured here, in this run, on this machine (a ratio, so a
slower or busier machine does not make it fail; a slower grader does). Measured: 17 s against
4.9 s (3.5) with every oracle in the grader's process; 10 s against 6.9 s (1.5) with Keras in
its own process, a fork of it sharing the answers, and only the needed statements run."""
import os
import subprocess
import sys
import time

from conftest import ROOT

RATIO = 3.0


def wall(*args):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", TF_ENABLE_ONEDNN_OPTS="0")
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=900)
    return time.perf_counter() - start


def test_grading_the_solutions_costs_a_few_oracle_imports(tmp_path):
    imports = min(wall("-c", "import torch, keras") for _ in range(2))
    grading = wall("-m", "nngrade", "grade", "--submission", "solutions", "--seed", "1", "--quiet",
                   "--out", str(tmp_path / "r.json"))
    assert grading <= RATIO * imports, (f"grading every solution took {grading:.1f} s, "
                                        f"{grading / imports:.1f} times the {imports:.1f} s of importing "
                                        f"torch and keras (the limit is {RATIO:g})")

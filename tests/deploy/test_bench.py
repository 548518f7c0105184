"""The bench's own instruments (nngrade/bench.py, nngrade/budget.py): the baseline's in-kernel checks
score a solution 100% (like for like), the cgroup limit holds memory and CPU, other processes'
CPU is counted as load, and only a quiet run with a full-marks baseline is published."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from conftest import SEED, solution_namespace
from nngrade import bench, budget
from nngrade.registry import load_checks


def test_the_baseline_scores_the_solution_whose_functions_change_their_inputs_in_full():
    """lab06's optimizers update their parameters in place: called on the plan's own arrays, they
    changed the inputs the oracles were then asked about (the baseline scored 27/58 this way)."""
    lab = "lab06_training"
    total = sum(c.points for c in load_checks(lab))
    assert bench.in_kernel_checks(lab, SEED, solution_namespace(lab)) == f"{total:g}/{total:g}"


MEMORY = "x = bytearray({mb} * 2 ** 20); x[::4096] = b'1' * len(x[::4096]); print('held')"
CPU = "import time\nt = time.process_time()\nwhile time.process_time() - t < {s}: pass\n"


def test_the_limit_holds_memory_and_cpu_for_the_whole_process_tree():
    assert budget.available() is None, budget.available()     # the bench runs as root, as CI does
    with budget.Limit(128, 1.0) as lim:   # a child of a child: the limit is the tree's
        r = lim.run([sys.executable, "-c", f"import subprocess, sys; sys.exit(subprocess.call("
                                           f"[sys.executable, '-c', {MEMORY.format(mb=300)!r}]))"])
    assert r.returncode != 0 and "held" not in r.stdout and r.oom_kills >= 1
    with budget.Limit(512, 1.0) as lim:
        r = lim.run([sys.executable, "-c", MEMORY.format(mb=300)])
    assert r.returncode == 0 and "held" in r.stdout and r.oom_kills == 0 and r.peak_mb >= 300
    with budget.Limit(512, 0.25) as lim:  # 0.5 CPU-seconds at a quarter of a CPU: 2 s of wall time
        r = lim.run([sys.executable, "-c", CPU.format(s=0.5)])
    assert r.returncode == 0 and r.seconds >= 1.5


def test_cpu_that_other_processes_use_is_counted_as_load():
    load = bench.MachineLoad().start()
    # a grandchild that outlives its parent is not this process's child: it is another process
    subprocess.run([sys.executable, "-c", "import os, subprocess, sys\n"
                    f"subprocess.Popen([sys.executable, '-c', {CPU.format(s=1.0)!r}], start_new_session=True)"],
                   check=True)
    time.sleep(1.6)
    assert load.stop()["others_cpu_s"] >= 0.9


def fake_result(others: float, baseline: str) -> dict:
    return {"machine": {"others_cores": others}, "baseline_full_marks": bench._full(baseline)}


@pytest.mark.parametrize("others, baseline, published", [(0.05, "58/58", True), (0.9, "58/58", False),
                                                         (0.05, "27/58", False)])
def test_only_a_quiet_run_with_a_full_marks_baseline_is_published(others, baseline, published):
    ok, why = bench.publishable(fake_result(others, baseline))
    assert ok == published and (why == "") == published


def test_the_readme_table_is_replaced_between_its_markers_only(tmp_path, monkeypatch):
    path = tmp_path / "README.md"
    path.write_text("before\n<!-- bench -->\nold table\n<!-- /bench -->\nafter\n")
    monkeypatch.setattr(bench, "readme_table", lambda res: json.dumps(res))
    assert bench.update_readme({"x": 1}, path)
    assert path.read_text() == 'before\n<!-- bench -->\n{"x": 1}\n<!-- /bench -->\nafter\n'


def test_peak_memory_counts_the_graders_own_processes_only():
    """Other graders on the machine (another checkout's oracle process) are not this one's."""
    stranger = subprocess.Popen([sys.executable, "-c", "import time; x = bytearray(50 * 2 ** 20); time.sleep(5)",
                                 "nngrade.oracle_server"])
    try:
        grader = subprocess.Popen([sys.executable, "-c", "import subprocess, sys; subprocess.run([sys.executable, "
                                   "'-c', 'import time; x = bytearray(40 * 2 ** 20); x[::4096] = b\"1\" * len(x[::4096]);"
                                   " time.sleep(2)', 'nngrade.worker'])"])
        mem = bench.PeakMemory(grader.pid)
        grader.wait()
        mem.stop()
    finally:
        stranger.kill()
        stranger.wait()
    assert mem.oracles == 0
    assert mem.worker >= 40 * 2 ** 20

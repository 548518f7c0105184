"""The worker transport that works on Linux, macOS and Windows (`Limits.portable_worker`,
NNGRADE_PORTABLE_WORKER=1): the worker's stdin and stdout are the pipes, replies are awaited by
a reader thread, the process is killed on a timeout. Run here on Linux so that it cannot rot: a
lab graded through it with every sandbox layer of the default path, a timeout and a crash, and
a grader and worker from which what Windows lacks (fork, select, process groups, pass_fds,
rlimits) has been taken away. The integrity corpus runs through it too (test_corpus.py, mode
"make grade, portable worker")."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from conftest import ROOT, grade_cells, solution_cells
from nngrade.client import PIPES, PORTABLE, WorkerClient
from nngrade.config import Limits

LAB = "lab02_activations"


def isolation(limits):
    w = WorkerClient(limits)
    w.start()
    w.close()
    return w.isolation


def test_the_setting_and_its_environment_variable_choose_the_portable_path(monkeypatch):
    monkeypatch.delenv("NNGRADE_PORTABLE_WORKER", raising=False)
    assert Limits().portable_worker is False and isolation(Limits())["transport"] == PIPES
    monkeypatch.setenv("NNGRADE_PORTABLE_WORKER", "1")
    assert Limits().portable_worker is True and isolation(Limits())["transport"] == PORTABLE
    assert "portable_worker = True: start every worker the way that works on every platform" in Limits.describe()
    monkeypatch.setattr(os, "name", "nt")            # Windows takes it whatever the setting
    assert WorkerClient(Limits(portable_worker=False)).portable is True


def test_a_lab_graded_through_the_portable_path_earns_every_point_behind_the_same_walls():
    scores, res = grade_cells(LAB, solution_cells(LAB), limits=Limits(portable_worker=True))
    assert all(s == m > 0 for s, m, _ in scores.values()), {f: s[:2] for f, s in scores.items() if s[0] < s[1]}
    assert res.isolation["transport"] == PORTABLE
    default = isolation(Limits(portable_worker=False))
    mine = {k: v for k, v in res.isolation.items() if k not in ("transport", "uid")}
    assert mine == {k: v for k, v in default.items() if k not in ("transport", "uid")}
    assert mine["seccomp"] is True and mine["rlimits"] is True and mine["audit_hook"] is True
    if os.geteuid() == 0:
        assert int(res.isolation["uid"]) >= 60000 and mine["process_tree"] == "cgroup"


def gone(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_a_timeout_kills_the_worker_and_the_next_request_gets_a_new_one():
    w = WorkerClient(Limits(portable_worker=True))
    w.start()
    try:
        w.request({"op": "exec", "lab": "t", "cell": 0, "line": 1,
                   "source": "def spin(z):\n    while True:\n        pass\n"}, 30)
        first = w.pid
        start = time.monotonic()
        reply = w.request({"op": "call", "lab": "t", "fn": "spin", "args": (1,), "kwargs": {}}, 1.0)
        assert reply["error_type"] == "Timeout" and time.monotonic() - start < 10
        deadline = time.monotonic() + 10
        while not gone(first) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gone(first), "the worker that ran past its time limit is still running"
        assert w.request({"op": "ping"}, 30)["value"] not in (first, None)       # a new worker answers
    finally:
        w.close()


def test_a_worker_that_dies_fails_its_call_and_nothing_else():
    cells = solution_cells(LAB) + ["import os\ndef tanh(z):\n    os._exit(3)\n"]
    scores, _ = grade_cells(LAB, cells, {"tanh", "relu"}, limits=Limits(portable_worker=True))
    assert scores["tanh"][0] == 0 and any("worker process ended" in t for t in scores["tanh"][2])
    assert scores["relu"][0] == scores["relu"][1] > 0


# What Windows lacks, taken away from the worker (its sitecustomize): fork, process groups and
# sessions, at-fork hooks, rlimits; and from the grader: fork, process groups, select, fd passing
# (torch, loaded in the grader, needs its at-fork hook on Linux: that one stays)
WORKER = '''
import os, sys
for name in ("fork", "forkpty", "killpg", "setsid", "register_at_fork"):
    delattr(os, name)
sys.modules["resource"] = None
'''
GRADER = '''
import os, select, socket, subprocess, sys
for name in ("fork", "forkpty", "killpg", "setsid"):
    delattr(os, name)
del select.select, socket.send_fds
_Popen = subprocess.Popen
class Popen(_Popen):
    def __init__(self, *args, **kwargs):
        assert not kwargs.get("pass_fds"), "pass_fds: Windows has none"
        super().__init__(*args, **kwargs)
subprocess.Popen = Popen
import json
from pathlib import Path
from nngrade import client
from nngrade.config import Limits
from nngrade.engine import grade_submission
from nngrade.oracles import Oracles
from nngrade.plan import Plan
site, submission = sys.argv[1], Path(sys.argv[2])
plain = client.worker_env
client.worker_env = lambda extra=None: dict(plain(extra), PYTHONPATH=site + os.pathsep + plain(extra)["PYTHONPATH"])
limits = Limits(portable_worker=True, oracle_process=False, call_seconds=2.0)
plan = Plan(["lab02_activations"], 5, functions=["relu", "tanh", "sigmoid"], oracles="primary")
with Oracles(plan) as oracles:
    lab, = grade_submission(submission, plan, oracles, limits)
out = {}
for r in lab.results:
    s, m = out.get(r.check.function, (0, 0))
    out[r.check.function] = (s + r.score, m + r.check.points)
print(json.dumps({"scores": out, "isolation": lab.isolation,
                  "outputs": [r.output for r in lab.results if r.check.function == "tanh"]}))
'''


def test_a_grader_and_worker_without_what_windows_lacks_grade_time_out_and_go_on(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(WORKER)
    sub = tmp_path / "sub"
    sub.mkdir()
    from conftest import write_notebook
    write_notebook(sub / f"{LAB}.ipynb", solution_cells(LAB) + ["def tanh(z):\n    while True:\n        pass\n"])
    p = subprocess.run([sys.executable, "-c", textwrap.dedent(GRADER), str(site), str(sub)], cwd=ROOT,
                       capture_output=True, text=True, timeout=600, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
    assert p.returncode == 0, p.stderr[-3000:]
    got = json.loads(p.stdout.strip().splitlines()[-1])
    assert got["isolation"]["transport"] == PORTABLE
    assert got["isolation"]["rlimits"] is False and got["isolation"]["session"] is False   # the worker had none
    assert got["scores"]["relu"][0] == got["scores"]["relu"][1] > 0
    assert got["scores"]["sigmoid"][0] == got["scores"]["sigmoid"][1] > 0
    assert got["scores"]["tanh"][0] == 0 and "time limit" in " ".join(got["outputs"]), got["outputs"]


NO_PRCTL = '''
import json, sys, types
sys.platform = sys.argv[1]
from nngrade import sandbox, worker
sandbox._libc = lambda: types.SimpleNamespace()       # a C library without prctl (or no CDLL(None) at all)
iso, _ = worker.walls({}, ".")
print(json.dumps(iso))
'''


def test_the_workers_walls_go_up_where_the_c_library_has_no_prctl():
    """macOS's and Windows's C libraries have no prctl; the worker used to look it up on every
    platform, and died before its hello there."""
    for platform in ("darwin", "win32"):
        p = subprocess.run([sys.executable, "-c", NO_PRCTL, platform], cwd=ROOT, capture_output=True, text=True,
                           timeout=120)
        assert p.returncode == 0, p.stderr[-2000:]
        iso = json.loads(p.stdout.strip().splitlines()[-1])
        assert iso["audit_hook"] is True and iso["seccomp"] is False and iso["landlock"] is False

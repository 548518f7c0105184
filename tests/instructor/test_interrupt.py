"""Ctrl-C while the oracles are being computed (the first tens of seconds of a run), and SIGTERM
as Slurm and Kubernetes send it: the run stops at once, writes the (empty) gradebook, exits
non-zero with how to continue, and leaves no process behind (the Keras oracle process included);
the rerun grades everyone. Ctrl-C while students are graded: tests/instructor/test_course.py."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from instructor.helpers import ENV, LAB4, Watcher, cells, gradebook, run, student
from conftest import ROOT


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_the_precompute_stops_the_run_cleanly(tmp_path, sig):
    subs = tmp_path / "subs"
    for i in range(3):
        student(subs, f"s{i}", {f"{LAB4}.ipynb": cells(LAB4)})
    out = tmp_path / "out"
    p = subprocess.Popen([sys.executable, "-m", "nngrade", "grade-class", str(subs), "--lab", "04", "--out", str(out)],
                         cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)           # its own process group, as a terminal's job
    watch = Watcher(p.pid)
    deadline = time.monotonic() + 120
    while p.poll() is None and time.monotonic() < deadline:
        watch.poll()
        if any("nngrade.remote" in cmd for _, cmd in watch.seen.values()):
            break                          # the Keras oracle process is computing: the precompute
        time.sleep(0.05)
    assert p.poll() is None, "the run ended before its oracle process started"
    time.sleep(0.5)
    watch.poll()
    os.killpg(p.pid, sig)                  # what Ctrl-C does: the signal to the whole foreground group
    stdout, stderr = p.communicate(timeout=120)
    assert p.returncode == 130, stdout + stderr
    assert "interrupted: 0 of 3 graded; rerun to continue" in stdout
    assert "Traceback" not in stdout + stderr
    assert gradebook(out / "gradebook.csv") == {}
    assert watch.left() == [], "processes of the run outlived it"
    text = run("grade-class", str(subs), "--lab", "04", "--out", str(out), "--no-progress").stdout
    assert "Graded 3 students (3 now, 0 unchanged" in text

"""Ctrl-C while the oracles are being computed (the first tens of seconds of a run), and SIGTERM
as Slurm and Kubernetes send it: the run stops at once, writes the (empty) gradebook, exits
non-zero with how to continue, and leaves no process behind (the Keras oracle process included);
the rerun grades everyone. Ctrl-C while students are graded: tests/instructor/test_course.py."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
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
        if any("nngrade.oracle_server" in cmd for _, cmd in watch.seen.values()):
            break                          # the Keras oracle process is computing: the precompute
        time.sleep(0.05)
    assert p.poll() is None, "the run ended before its oracle process started"
    time.sleep(0.5)
    watch.poll()
    os.killpg(p.pid, sig)                  # what Ctrl-C does: the signal to the whole foreground group
    stdout, stderr = p.communicate(timeout=120)
    assert p.returncode == 130, stdout + stderr
    assert "interrupted: 0 of 3 graded; rerun to continue" in stdout
    assert "computing the oracles' answers (once for the class): stopped after" in stderr    # not waited for
    assert "Traceback" not in stdout + stderr
    assert gradebook(out / "gradebook.csv") == {}
    assert watch.left() == [], "processes of the run outlived it"
    text = run("grade-class", str(subs), "--lab", "04", "--out", str(out), "--no-progress").stdout
    assert "Graded 3 students (3 now, 0 unchanged" in text


def test_the_first_signal_ends_the_workers_and_raises_only_where_asked():
    """nngrade.interrupt in this process: the first SIGINT stops every worker (client.stop_all) and
    raises KeyboardInterrupt only inside `raising()`; the second raises anywhere."""
    from nngrade import client
    from nngrade.interrupt import Interrupt

    def signal_and_wait():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)                        # the handler runs between two bytecodes of this thread
    before = signal.getsignal(signal.SIGINT)
    try:
        with Interrupt() as stop:
            assert not client.STOP.is_set()
            signal_and_wait()                # outside `raising()`: recorded, not raised
            assert stop.requested and client.STOP.is_set()
            with pytest.raises(KeyboardInterrupt):
                with stop.raising():
                    pass                     # asked for after the signal came: raises at once
            with pytest.raises(KeyboardInterrupt):
                signal_and_wait()            # the second signal
        assert signal.getsignal(signal.SIGINT) is before      # put back
        with Interrupt() as stop:
            assert not client.STOP.is_set()  # a new run starts workers again
            with pytest.raises(KeyboardInterrupt):
                with stop.raising():
                    signal_and_wait()        # inside `raising()`: the first signal raises
            assert client.STOP.is_set()
    finally:
        signal.signal(signal.SIGINT, before)
        client.STOP.clear()


def test_stop_all_ends_a_worker_in_the_middle_of_a_call_and_starts_no_other():
    import psutil
    from nngrade import client
    from nngrade.config import Limits
    client.STOP.clear()
    worker = client.WorkerClient(Limits())
    worker.start()
    pid = worker.pid
    threading.Timer(1.0, client.stop_all).start()
    start = time.monotonic()
    try:
        reply = worker.request({"op": "exec", "lab": "x", "cell": 0, "line": 1,
                                "source": "import time\ntime.sleep(60)"}, 120)
        assert reply["error_type"] == "WorkerDied" and time.monotonic() - start < 30
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        with pytest.raises(client.Interrupted):
            worker.request({"op": "exec", "lab": "x", "cell": 0, "line": 1, "source": "x = 1"}, 10)
        with pytest.raises(client.Interrupted):
            client.WorkerClient(Limits()).start()
    finally:
        worker.close()
        client.STOP.clear()


def test_a_student_being_graded_when_the_stop_came_is_not_written(tmp_path, monkeypatch):
    """Its workers may have been killed mid-grading: the rerun grades it instead."""
    from nngrade import classroom, client
    from nngrade.config import Limits
    from nngrade.engine import LabResult
    from nngrade.roster import Student

    def grading(*a, **k):
        client.STOP.set()                    # Ctrl-C while this student was graded
        return [LabResult(LAB4, [])]
    monkeypatch.setattr(classroom, "grade_submission", grading)
    job = classroom.Job(Student("Ann", tmp_path), "Ann", None, {LAB4: "not graded yet"}, {LAB4: "x"})
    keys = {LAB4: {"grader": "0", "seed": 1, "fingerprint": "f", "versions": {}}}
    try:
        assert classroom.grade_one(job, None, None, [LAB4], keys, 1, Limits(), tmp_path) is None
    finally:
        client.STOP.clear()
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(classroom, "grade_submission", lambda *a, **k: [LabResult(LAB4, [])])
    assert classroom.grade_one(job, None, None, [LAB4], keys, 1, Limits(), tmp_path) == "Ann"   # no stop: written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Ann.json", "Ann.md"]


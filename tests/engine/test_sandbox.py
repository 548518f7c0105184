"""The kernel is the wall, not the audit hook: graded code that first neuters the hook (clears
its denied events, makes its path test always true) still cannot start a process, open a
socket, signal another process, read the solutions or write outside its scratch folder. Each
attack returns the right answer only if it got through, so a wall that fails shows as points."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

import pytest  # noqa: F401  (parametrize)

from conftest import ROOT, grade_cells, solution_cells
from nngrade.client import WorkerClient
from nngrade.config import Limits

LAB = "lab02_activations"

NEUTER = '''
import gc, sys
def _neuter():
    for f in gc.get_objects():
        if callable(f) and getattr(f, "__name__", "") == "hook" and getattr(f, "__closure__", None):
            f.__globals__["DENIED_EVENTS"].clear()
            for cell in f.__closure__:
                if callable(cell.cell_contents) and getattr(cell.cell_contents, "__name__", "") == "inside":
                    cell.cell_contents = lambda path, roots: True
'''


def relu_after(attack: str) -> str:
    """A relu that is right only if `attack` (a statement) raised nothing."""
    return NEUTER + textwrap.dedent(f'''
    def relu(z):
        _neuter()
        try:
            {attack}
        except Exception:
            return np.zeros_like(np.asarray(z, dtype=float)) - 1.0
        return np.maximum(np.asarray(z, dtype=float), 0.0)
    ''')


def relu_score(attack: str):
    scores, _ = grade_cells(LAB, solution_cells(LAB) + [relu_after(attack)], {"relu"})
    return scores["relu"][:2]


def test_neutering_the_hook_alone_costs_nothing():
    score, total = relu_score("pass")
    assert score == total > 0


SOLUTION = str(ROOT / "solutions" / f"{LAB}.ipynb")
OUTSIDE = f"/tmp/nngrade-sandbox-{uuid.uuid4().hex}"
# a classmate's notebook in the same class run, and files graded code must not create
CLASSMATE = Path(tempfile.mkdtemp(prefix="nngrade-classmate-")) / f"{LAB}.ipynb"
CLASSMATE.write_text('{"cells": []}')
PLANTED = ROOT / "nngrade" / "__pycache__" / f"planted-{uuid.uuid4().hex}.pyc"
DATABASE = f"/tmp/nngrade-sqlite-{uuid.uuid4().hex}.db"
CREATED = (OUTSIDE, str(PLANTED), DATABASE)

ATTACKS = {
    "fork": "import os\n            pid = os.fork()\n            if pid == 0: os._exit(0)",
    "a subprocess": "import subprocess; subprocess.run(['/bin/true'], check=True)",
    "a socket": "import socket; socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()",
    "a signal to the grader's side": "import os; os.kill(os.getppid(), 0); os.kill(1, 0)",
    "reading the solutions": f"open({SOLUTION!r}).read()",
    "writing outside scratch": f"open({OUTSIDE!r}, 'w').write('x')",
    "listing another process's fds": "import os; os.listdir('/proc/1/fd')",
    "listing the processes": "import os; os.listdir('/proc')",
    "another process's command line": "open('/proc/1/cmdline', 'rb').read()",
    "the grader's working directory": f"import os; os.readlink('/proc/{os.getpid()}/cwd')",
    "the grader's environment": f"open('/proc/{os.getpid()}/environ', 'rb').read()",
    "a signal through a pidfd": "import os, signal; signal.pidfd_send_signal(os.pidfd_open(1), 0)",
    "a socket pair": "import socket; [s.close() for s in socket.socketpair()]",
    "becoming root again": "import os; os.setuid(0)",
    "executable memory (native code)": "import mmap; mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_EXEC)",
    "sqlite creating a file outside scratch": f"import sqlite3; sqlite3.connect({DATABASE!r}).execute('create table t (x)')",
    "reading a classmate's notebook": f"open({str(CLASSMATE)!r}).read()",
    "overwriting a classmate's notebook": f"open({str(CLASSMATE)!r}, 'w').write('{{}}')",
    "planting bytecode in the grader's __pycache__": f"import os; os.makedirs({str(PLANTED.parent)!r}, exist_ok=True); "
                                                     f"open({str(PLANTED)!r}, 'wb').write(b'x')",
}


@pytest.mark.parametrize("what", list(ATTACKS))
def test_each_attack_works_without_the_sandbox(what):
    """The attacks are real: in a plain Python (this test's user, no sandbox) each one succeeds,
    so a refusal in the worker is the sandbox's doing, not a broken attack."""
    code = "def attack():\n    " + ATTACKS[what].replace("\n            ", "\n    ") + "\nattack()\n"
    try:
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, f"{what} fails even outside the sandbox: {p.stderr[-500:]}"
    finally:
        for path in CREATED:
            Path(path).unlink(missing_ok=True)
        CLASSMATE.write_text('{"cells": []}')


@pytest.mark.parametrize("what", list(ATTACKS))
def test_a_neutered_hook_does_not_open_the_wall(what):
    refused, total = relu_score("raise PermissionError('refused')")
    score, _ = relu_score(ATTACKS[what])
    assert score == refused < total, f"{what} got through the sandbox"
    assert not any(os.path.exists(p) for p in CREATED)
    assert CLASSMATE.read_text() == '{"cells": []}'


def test_the_worker_reports_its_layers():
    w = WorkerClient(Limits())
    w.start()
    try:
        iso = w.isolation
    finally:
        w.close()
    assert iso["seccomp"] is True and iso["audit_hook"] is True and iso["rlimits"] is True
    if os.geteuid() == 0:
        assert int(str(iso["uid"]).split()[0]) >= 60000 and str(iso["landlock"]).startswith("abi")


class WallsOff(Limits):
    """Seccomp, Landlock and the audit hook off, to show what the other layers hold alone."""

    def worker_json(self):
        d = json.loads(super().worker_json())
        d.update(seccomp=False, landlock=False, audit=False)
        return json.dumps(d)


def state(pid):
    """A process's state letter; a zombie ('Z') or no entry means it is dead."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def test_the_workers_whole_process_tree_dies_with_it():
    """A process started in a session of its own (out of reach of a process-group kill) dies
    with the worker: the worker's cgroup is killed as one."""
    w = WorkerClient(WallsOff())
    w.start()
    started = w.request({"op": "exec", "lab": "t", "cell": 0, "line": 1, "source": textwrap.dedent("""
        import subprocess
        print(subprocess.Popen(['sleep', '600'], start_new_session=True).pid)
        """)}, 30)
    daemon = int(started["stdout"])
    assert state(daemon) not in ("Z", "gone")
    assert w.isolation["process_tree"] == ("cgroup" if os.geteuid() == 0 else w.isolation["process_tree"])
    w.close()
    if w.isolation["process_tree"] == "session":   # a user without a delegated cgroup: seccomp is the wall
        os.kill(daemon, 9)
    assert state(daemon) in ("Z", "gone")


DAEMON = textwrap.dedent('''
    import subprocess
    DAEMONS = []
    def relu(z):
        DAEMONS or DAEMONS.append(subprocess.Popen(["sh", "-c", "echo $$ > {folder}/pid; while :; do "
                          "[ -e {folder}/results.json ] && echo forged > {folder}/f && mv -f {folder}/f {folder}/results.json; "
                          "sleep 0.01; done"],
                         start_new_session=True))
        return np.maximum(np.asarray(z, dtype=float), 0.0)
    ''')


@pytest.mark.parametrize("cgroup", [True, False])
def test_a_daemon_in_its_own_session_cannot_rewrite_the_results(cgroup, monkeypatch):
    """With seccomp, Landlock and the hook off, a graded function starts a daemon (its own
    session) that overwrites the results file once it appears. The grader writes results only
    after the worker's cgroup is killed, so the file stays as written; without the cgroup (the
    control) the daemon does rewrite it, so the attack is real."""
    from conftest import grade_cells
    from nngrade import sandbox
    if not cgroup:
        monkeypatch.setattr(sandbox, "new_cgroup", lambda: None)
    folder = Path(tempfile.mkdtemp(prefix="nngrade-daemon-"))
    folder.chmod(0o777)
    try:
        scores, res = grade_cells(LAB, solution_cells(LAB) + [DAEMON.format(folder=folder)], {"relu"},
                                  limits=WallsOff())
        assert scores["relu"][0] == scores["relu"][1] > 0
        (folder / "results.json").write_text('{"score": 1}')
        time.sleep(0.5)
        written = (folder / "results.json").read_text()
        if cgroup and os.geteuid() == 0:
            assert res.isolation["process_tree"] == "cgroup"
            assert written == '{"score": 1}'
        else:
            assert res.isolation["process_tree"] == "session" and written == "forged\n"
    finally:
        pid = (folder / "pid").read_text().strip() if (folder / "pid").exists() else ""
        if pid and state(pid) not in ("Z", "gone"):
            os.kill(int(pid), 9)
        shutil.rmtree(folder, ignore_errors=True)


def test_concurrent_workers_have_distinct_uids_and_cannot_reach_each_other():
    """Two workers alive at once (two students of a class run): different uids, so with Landlock
    and seccomp off one still cannot read the other's scratch folder or signal it."""
    a, b = WorkerClient(WallsOff()), WorkerClient(WallsOff())
    a.start()
    b.start()
    try:
        a.request({"op": "exec", "lab": "t", "cell": 0, "line": 1,
                   "source": "open('answers.txt', 'w').write('mine')"}, 30)
        probe = b.request({"op": "exec", "lab": "t", "cell": 0, "line": 1, "source": textwrap.dedent(f"""
            import os
            for attempt in (lambda: open({a.scratch + '/answers.txt'!r}).read(), lambda: os.kill({a.pid}, 0)):
                try:
                    attempt()
                    print('reached')
                except PermissionError:
                    print('refused')
            """)}, 30)
        uids = a.isolation["uid"], b.isolation["uid"]
    finally:
        a.close()
        b.close()
    if os.geteuid() == 0:
        assert uids[0] != uids[1] and min(int(u) for u in uids) >= 60000
        assert probe["stdout"].split() == ["refused", "refused"]
    else:            # one user's workers share its uid: Landlock and seccomp are the walls there
        assert uids == (str(os.geteuid()),) * 2


AS_USER = ["unshare", "--user", "--map-user=1000", "--map-group=1000"]
# the worker's own layer setup, in a process that takes another platform's name first
PROBE = '''
import json, os, sys
platform = sys.argv[1]
if platform != "linux":
    sys.platform = platform
if platform == "win32":          # what Windows lacks: resource limits, sessions, process groups
    sys.modules["resource"] = None
    del os.killpg, os.setsid
from nngrade import sandbox, worker
iso, _ = worker.walls({}, ".")
iso["process_tree"] = sandbox.process_tree(sandbox.new_cgroup() is not None)
print(json.dumps(iso))
'''


def platform_table():
    """docs/isolation.md's table: {platform: {layer: first word of the cell}}."""
    lines = [l for l in (ROOT / "docs" / "isolation.md").read_text().splitlines() if l.startswith("| ")]
    head = next(i for i, l in enumerate(lines) if l.startswith("| platform |"))
    cols = [c.strip() for c in lines[head].strip("|").split("|")]
    rows = {}
    for line in lines[head + 2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) != len(cols):
            break
        rows[cells[0]] = {c: v.split()[0] for c, v in zip(cols[1:], cells[1:])}
    return rows


def layers(iso):
    """An `isolation` dict in the table's words."""
    uid = str(iso.get("uid", "")).split()[0]
    return {"own uid": "on" if uid.isdigit() and int(uid) >= 60000 else "off",
            "Landlock": "on" if str(iso.get("landlock")).startswith("abi") else "off",
            "seccomp": "on" if iso.get("seccomp") is True else "off",
            "process tree killed by": iso["process_tree"],
            "rlimits": "on" if iso.get("rlimits") else "off",
            "audit hook": "on" if iso.get("audit_hook") else "off"}


def probe(platform, as_user):
    p = subprocess.run((AS_USER if as_user else []) + [sys.executable, "-c", PROBE, platform], cwd=ROOT,
                       capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert p.returncode == 0, p.stderr[-1500:]
    return json.loads(p.stdout.strip().splitlines()[-1])


def test_the_platform_table_says_what_each_platform_turns_on():
    table = platform_table()
    assert set(table) == {"Linux as root (CI, a container)", "Gradescope (Linux as root, in its container)",
                          "Linux as a user", "macOS", "Windows"}
    w = WorkerClient(Limits())        # a real worker, the way every grading mode starts one
    w.start()
    w.close()
    if os.geteuid() == 0:
        assert layers(w.isolation) == table["Linux as root (CI, a container)"]
    # Gradescope runs `nngrade grade` as root: the same code path (its layout: tests/integrity)
    assert table["Gradescope (Linux as root, in its container)"] == table["Linux as root (CI, a container)"]
    assert layers(probe("linux", as_user=True)) == table["Linux as a user"]
    assert layers(probe("darwin", as_user=True)) == table["macOS"]
    if os.geteuid() == 0:        # "on macOS as root the worker does drop to its own uid"
        assert layers(probe("darwin", as_user=False)) == dict(table["macOS"], **{"own uid": "on"})
    assert layers(probe("win32", as_user=True)) == table["Windows"]


def test_cgroups_a_killed_grader_left_behind_are_ended_by_the_next_one():
    from nngrade import sandbox
    base = sandbox._cgroup_base()
    stale = Path(base or "/nonexistent") / "nngrade-999999-1"       # pid 999999: no such grader
    try:
        stale.mkdir()
    except OSError:              # no cgroup this user may create: the workers' sessions are killed
        assert sandbox.new_cgroup() is None
        return
    left = subprocess.Popen(["sleep", "600"])
    (stale / "cgroup.procs").write_text(str(left.pid))
    p = subprocess.run([sys.executable, "-c", "from nngrade import sandbox; sandbox.kill_cgroup(sandbox.new_cgroup())"],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert left.wait(timeout=10) == -9 and not stale.exists()

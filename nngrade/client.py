"""Stage 3 (grader side): start, talk to, time out and restart the student's worker.

A worker is started one of three ways, all speaking `nngrade.wire` over two pipes:
- portable (every platform; the only way on Windows, and forced by `Limits.portable_worker` or
  NNGRADE_PORTABLE_WORKER=1): a new process whose stdin and stdout are the pipes, its replies
  awaited by a reader thread (`transport.Threaded`), killed on a timeout;
- POSIX: a new process that gets the pipes by `pass_fds`, its replies awaited with `select`;
- POSIX, `Limits.zygote`: forked by a process that has NumPy loaded already (`Zygote`), the
  optimisation for a class.
The sandbox (`nngrade.sandbox`, set up by the worker itself) is the same whichever way.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from nngrade import sandbox, transport, wire
from nngrade.config import Limits
from nngrade.transport import Timeout

ROOT = Path(__file__).resolve().parent.parent
# What a worker's hello says of how it was started (the results' `isolation` key names it)
PORTABLE, PIPES, ZYGOTE = "stdin/stdout and a reader thread", "pass_fds and select", "zygote and select"


class Interrupted(RuntimeError):
    """The run was interrupted (`stop_all`): no worker starts or is asked anything any more."""


# An interrupted class run (Ctrl-C) ends every worker at once: `stop_all` kills the live ones
# (registered here while they run) and from then on `start` and `request` raise Interrupted.
STOP = threading.Event()
_LIVE: set = set()
_LIVE_LOCK = threading.Lock()


def stop_all():
    """SIGKILL every live worker and start none from here on. Each worker's owner finds it dead
    at its next read, and cleans up (fds, scratch folder, uid) as after any crash."""
    STOP.set()
    with _LIVE_LOCK:
        for client in list(_LIVE):
            client.end_processes()


def _refuse_if_stopped():
    if STOP.is_set():
        raise Interrupted("grading was interrupted: no worker is started or asked anything any more")


# The only variables the worker inherits: what Python and the BLAS need to start here (a
# grader's tokens and credentials stay in the grader)
INHERITED = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT", "WINDIR", "OPENBLAS_CORETYPE",
             "OPENBLAS_L2_SIZE")
# Replies are kilobytes; a returned array may be as large as an input (megabytes), not more
MAX_REPLY = 64 * 1024 * 1024
# Every field a reply may have, with its type; `value` is decoded data
REPLY_FIELDS = {"ok": bool, "value": object, "error_type": str, "error": str, "tb": str, "stdout": str,
                "warnings": list, "seconds": (int, float), "output_chars": int}
TEXT_FIELDS = ("error_type", "error", "tb", "stdout")


def worker_env(extra=None) -> dict:
    env = {k: os.environ[k] for k in INHERITED if k in os.environ}
    env.update(PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="Agg", PYTHONHASHSEED="0")
    env.update(extra or {})
    return env


class Zygote:
    """The process that forks the workers (POSIX): one per grader process, started on first use.
    It imports NumPy and scipy.special once; each worker it forks starts with
    them loaded. Where it cannot run, workers are started as fresh processes instead."""

    _lock = threading.Lock()
    _instance = None

    def __init__(self):
        import socket
        mine, theirs = socket.socketpair()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "nngrade.worker", "--zygote", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),), env=worker_env(), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        theirs.close()
        self.sock = mine
        self.replies = mine.makefile("rb")

    @classmethod
    def get(cls):
        if not (hasattr(os, "fork") and hasattr(__import__("socket"), "send_fds")):
            return None
        with cls._lock:
            if cls._instance is None or cls._instance.proc.poll() is not None:
                try:
                    cls._instance = Zygote()
                except OSError:
                    cls._instance = None
            return cls._instance

    @classmethod
    def stop(cls):
        """End the zygote (at the end of a class run: no process of the run outlives it)."""
        with cls._lock:
            zygote, cls._instance = cls._instance, None
        if zygote is not None:
            zygote.proc.kill()
            zygote.proc.wait()
            zygote.sock.close()

    def fork(self, rfd: int, wfd: int, scratch: str, limits: str) -> int:
        import json
        import socket
        with self._lock:
            socket.send_fds(self.sock, [json.dumps({"scratch": scratch, "limits": json.loads(limits)}).encode()],
                            [rfd, wfd])
            line = self.replies.readline()
        if not line:
            raise OSError("the zygote ended")
        return int(json.loads(line)["pid"])


class WorkerClient:
    """One worker process for one student; restarted after a timeout or a crash."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.proc = None          # the launcher, when a worker is started without the zygote
        self.pid = None
        self.started = False
        self.scratch = None
        self.notes: list[str] = []
        self.restarts = 0
        self.uid = None
        self.cgroup = None
        self.isolation = None
        self.inbox = None
        self.start_path = None      # PORTABLE, PIPES or ZYGOTE

    # -- process management -------------------------------------------------------------
    @property
    def portable(self) -> bool:
        """The portable start (stdin/stdout, a reader thread): asked for, or all there is."""
        return self.limits.portable_worker or os.name != "posix"

    def start(self, wait=True):
        _refuse_if_stopped()
        self.scratch = tempfile.mkdtemp(prefix="nngrade-scratch-")
        limits = json.loads(self.limits.worker_json())
        if hasattr(os, "geteuid") and os.geteuid() == 0 and self.limits.drop_privileges:
            self.uid = limits["uid"] = sandbox.allocate_uid()   # one uid per live worker
            os.chown(self.scratch, self.uid, self.uid)           # 0700: its owner only
        limits = json.dumps(limits)
        to_worker_r, to_worker_w = os.pipe()
        from_worker_r, from_worker_w = os.pipe()
        zygote = Zygote.get() if self.limits.zygote and not self.portable else None
        try:
            if zygote is None:
                raise OSError("no zygote")
            self.pid = zygote.fork(to_worker_r, from_worker_w, self.scratch, limits)
            self.start_path = ZYGOTE
        except OSError:
            self.pid = None
            self.proc = self._launch(to_worker_r, from_worker_w, limits)
        os.close(to_worker_r)
        os.close(from_worker_w)
        self.wfd, self.rfd = transport.binary(to_worker_w), transport.binary(from_worker_r)
        self.inbox = (transport.Threaded if self.portable else transport.Polled)(self.rfd, MAX_REPLY)
        self.started, self.dead, self.pending = True, False, True
        with _LIVE_LOCK:
            _LIVE.add(self)
        if STOP.is_set():          # stop_all ran while this worker was being made
            self.kill()
            _refuse_if_stopped()
        if wait:
            self._finish_start()

    def _launch(self, rfd: int, wfd: int, limits: str) -> subprocess.Popen:
        """A new worker process: the pipes as its stdin and stdout (portable), or by `pass_fds`."""
        env = worker_env({"HOME": self.scratch})
        if self.portable:
            self.start_path = PORTABLE
            return subprocess.Popen([sys.executable, "-m", "nngrade.worker", "--stdio", limits], stdin=rfd,
                                    stdout=wfd, stderr=subprocess.DEVNULL, cwd=self.scratch, env=env,
                                    **detached())
        self.start_path = PIPES
        return subprocess.Popen([sys.executable, "-m", "nngrade.worker", str(rfd), str(wfd), limits],
                                pass_fds=(rfd, wfd), cwd=self.scratch, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def _finish_start(self):
        """Wait for the worker's hello (the grader imports its oracles meanwhile)."""
        self.pending = False
        try:
            hello = self._recv(self.limits.start_seconds)
        except (Timeout, wire.WireError) as e:
            self.kill()
            raise RuntimeError(f"the worker process did not start: {type(e).__name__}") from None
        if not hello.get("ok"):       # the sandbox could not be set up: grading stops here
            self.kill()
            raise RuntimeError(f"grading stopped: {hello.get('error', 'the worker refused to start')}")
        self.pid = hello["value"]["pid"]
        self.notes = hello["value"]["notes"]
        self.isolation = hello["value"].get("isolation")
        if isinstance(self.isolation, dict):
            self.isolation["transport"] = self.start_path
        # no graded code has run yet: from here on, whatever the worker starts is in its cgroup
        self.cgroup = sandbox.new_cgroup()
        in_cgroup = self.cgroup is not None and sandbox.join_cgroup(self.cgroup, self.pid)
        if self.cgroup is not None and not in_cgroup:
            sandbox.kill_cgroup(self.cgroup)      # empty: only removes it
            self.cgroup = None
        if isinstance(self.isolation, dict):
            self.isolation["process_tree"] = sandbox.process_tree(in_cgroup)
        if self.proc is not None and hasattr(os, "fork"):
            self.proc.wait()   # the launcher exits at once; the worker was detached from it

    def alive(self):
        if not self.started or self.dead:
            return False
        if self.pending:
            return True
        if not self.pid:
            return False
        if not hasattr(os, "fork"):      # Windows: the worker is the process started (os.kill ends it)
            return self.proc is not None and self.proc.poll() is None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True

    def end_processes(self):
        """SIGKILL the worker and everything it started (its cgroup, its session); safe to call from
        another thread (`stop_all`), which leaves the rest of the cleanup to `kill`."""
        cgroup, proc, pid = self.cgroup, self.proc, self.pid
        if cgroup is not None:              # the whole tree at once, setsid or not
            sandbox.kill_cgroup(cgroup)
        killpg = getattr(os, "killpg", None)
        for target in (proc.pid if proc else None, pid):
            if target and killpg:
                try:
                    killpg(target, signal.SIGKILL)   # the worker and anything it started
                except OSError:
                    pass
        if pid and hasattr(signal, "SIGKILL"):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def kill(self):
        if not self.started:
            return
        with _LIVE_LOCK:        # from here on stop_all leaves this worker to this thread
            _LIVE.discard(self)
        self.end_processes()
        self.cgroup = None
        if self.proc is not None:
            try:
                self.proc.kill()
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.dead = True
        self.inbox.close()
        for fd in (self.wfd, self.rfd):
            try:
                os.close(fd)
            except OSError:
                pass
        self.proc = None
        self.pid = None
        self.started = False
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None
        if self.uid is not None:
            sandbox.release_uid(self.uid)
            self.uid = None

    def close(self):
        self.kill()

    def restart(self):
        self.kill()
        self.restarts += 1
        self.start()

    # -- requests ---------------------------------------------------------------------
    def _recv(self, seconds):
        return self.inbox.recv(seconds)

    def request(self, req: dict, seconds: float, callback=None) -> dict:
        """Send one request; a timeout or a dead worker becomes a failed reply. While the
        worker runs it, it may ask `callback(name, args, kwargs)` for oracle values."""
        _refuse_if_stopped()
        if self.pending:
            self._finish_start()
        if not self.alive():
            self.restart()
        deadline = time.monotonic() + seconds
        try:
            wire.send(self.wfd, req)
            while True:
                msg = self._recv(max(0.0, deadline - time.monotonic()))
                if not (type(msg) is dict and "callback" in msg):
                    return self._checked(msg)
                if not (type(msg["callback"]) is str and type(msg.get("args", ())) in (tuple, list)
                        and type(msg.get("kwargs", {})) is dict and set(msg) <= {"callback", "args", "kwargs"}):
                    return self._protocol_error("a malformed stand-in request")
                started = time.monotonic()
                try:
                    if callback is None:
                        raise LookupError(f"no stand-in for {msg['callback']!r}")
                    answer = {"ok": True, "value": callback(msg["callback"], msg.get("args", ()),
                                                            msg.get("kwargs", {}))}
                except Exception as e:
                    answer = {"ok": False, "error": f" (the grader's reference) could not take these "
                                                    f"arguments: {type(e).__name__}: {str(e)[:200]}"}
                # the grader's own work (the first one imports torch) is not the student's time; the
                # calls are capped (Limits.stand_in_calls) and so is the lab (Limits.lab_seconds)
                deadline += time.monotonic() - started
                wire.send(self.wfd, answer)
        except Timeout:
            self.kill()
            return {"ok": False, "error_type": "Timeout",
                    "error": f"no answer within {seconds:g} s", "tb": ""}
        except (wire.WireError, OSError):
            self.kill()
            return {"ok": False, "error_type": "WorkerDied",
                    "error": "the worker process ended (os._exit, a signal, or a memory or CPU limit)",
                    "tb": ""}

    def _checked(self, msg) -> dict:
        """The worker's reply, if it is one (every field known, of its type), its text stripped of
        control characters; anything else ends the worker and fails the request."""
        problem = reply_problem(msg)
        if problem:
            return self._protocol_error(problem)
        for k in TEXT_FIELDS:
            if k in msg:
                msg[k] = wire.printable(msg[k])
        if "warnings" in msg:
            msg["warnings"] = [wire.printable(w) for w in msg["warnings"]]
        return msg

    def _protocol_error(self, problem) -> dict:
        self.kill()
        return {"ok": False, "error_type": "ProtocolError", "tb": "",
                "error": f"the worker sent {problem}, not a reply the grader can read"}


def detached() -> dict:
    """Popen's options for a worker cut off from the grader's terminal and signals: a session of
    its own (POSIX), a process group of its own (Windows)."""
    if os.name == "posix":
        return {"start_new_session": True}
    return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}


def reply_problem(msg) -> str | None:
    """What is wrong with a reply from the worker (None: nothing)."""
    if type(msg) is not dict:
        return f"a {type(msg).__name__}"
    if type(msg.get("ok")) is not bool:
        return "an 'ok' that is not a bool"
    for k, v in msg.items():
        if k not in REPLY_FIELDS:
            return f"an unknown field {wire.printable(k)[:40]!r}"
        if not isinstance(v, REPLY_FIELDS[k]) or (REPLY_FIELDS[k] is int and type(v) is bool):
            return f"a field of the wrong type ({k})"
    if "warnings" in msg and not all(type(w) is str for w in msg["warnings"]):
        return "a field of the wrong type (warnings)"
    return None

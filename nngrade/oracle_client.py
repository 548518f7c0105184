"""The Keras oracle process, from the grader's side (the process itself: `nngrade.oracle_server`).

`OracleProcess` starts the server with a plan's `spec`; answers arrive in a background thread,
keyed by the check's name and the input's index, and wait in `answers`. It is only a cache in
front of the real oracles: an answer that did not come (the process died or stalled, the oracle
raised, the value is not plain data) is `MISSING`, and the caller computes it in-process.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

from nngrade import wire

MISSING = object()
QUIET_SECONDS = 120.0   # no message for this long: the process is taken for dead


class OracleProcess:
    def __init__(self, spec: dict):
        from nngrade.client import ROOT, worker_env
        self.answers: dict[tuple, object] = {}
        self.replies: dict[int, object] = {}
        self.done = False
        self.dead = False
        self.frameworks = None       # what the other process had imported when it was done
        self.helper = None           # whether it forked a helper for half of the answers
        self.last_heard = time.monotonic()
        self._cond = threading.Condition()
        self._send_lock = threading.Lock()
        self._next_id = 0
        # a helper for half of the answers on Linux with two cores or more (macOS's system
        # libraries are not safe to use in a child forked from a threaded process)
        helper = sys.platform.startswith("linux") and (os.cpu_count() or 1) >= 2
        env = worker_env({"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"})
        self.proc = subprocess.Popen([sys.executable, "-m", "nngrade.oracle_server"], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, start_new_session=os.name == "posix")
        self._send(dict(spec, helper=helper))
        threading.Thread(target=self._read, daemon=True, name="oracle-process").start()

    def _send(self, msg) -> bool:
        try:
            with self._send_lock:
                wire.send(self.proc.stdin.fileno(), msg)
            return True
        except (OSError, ValueError):
            self._die()
            return False

    def _die(self):
        with self._cond:
            self.dead = True
            self._cond.notify_all()

    def _read(self):
        fd = self.proc.stdout.fileno()
        try:
            while True:
                msg = wire.recv(fd)
                with self._cond:
                    self.last_heard = time.monotonic()
                    value = msg["value"] if "value" in msg and wire.plain(msg["value"]) else MISSING
                    if "answer" in msg:
                        name, i = msg["answer"]
                        self.answers[(str(name), int(i))] = value
                    elif "reply" in msg:
                        self.replies[msg["reply"]] = value
                    elif msg.get("done"):
                        self.done = True
                        self.frameworks = msg.get("frameworks")
                        self.helper = msg.get("helper")
                    self._cond.notify_all()
        except (wire.WireError, OSError, KeyError, TypeError, ValueError):
            self._die()

    def _wait(self, ready) -> bool:
        with self._cond:
            while not ready():
                if self.dead:
                    return False
                if time.monotonic() - self.last_heard > QUIET_SECONDS:
                    self.dead = True
                    self._kill()
                    return False
                self._cond.wait(1.0)
            return True

    def wait_done(self) -> bool:
        """Until every answer is in (False if the process died first)."""
        return self._wait(lambda: self.done)

    def answer(self, name: str, i: int):
        """The Keras answer of the check `name` on its input `i`, or MISSING."""
        key = (name, i)
        if not self._wait(lambda: key in self.answers or self.done):
            return MISSING
        return self.answers.get(key, MISSING)

    def call(self, name: str, args, kwargs):
        """A Keras function of `reference/` by its served name (`oracle_server.served_name`)."""
        with self._cond:
            self._next_id += 1
            rid = self._next_id
        if self.dead or not self._send({"call": name, "id": rid, "args": list(args), "kwargs": kwargs}):
            return MISSING
        if not self._wait(lambda: rid in self.replies):
            return MISSING
        with self._cond:
            return self.replies.pop(rid)

    def _kill(self):
        """The process and its forked helper (its own session: one process group)."""
        try:
            if os.name == "posix":
                os.killpg(self.proc.pid, 9)
            else:
                self.proc.kill()
        except OSError:
            pass

    def close(self):
        # answers nobody asked for (a lab left blank needs none) are not waited for
        self._kill()
        self.proc.wait()
        try:
            with self._send_lock:
                self.proc.stdin.close()
        except OSError:
            pass

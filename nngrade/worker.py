"""The student's side: a separate process that runs the extracted code and nothing else.

Started by `nngrade.client` in a scratch folder of its own and a new session, as
`python -m nngrade.worker --stdio LIMITS_JSON` (the portable way: its stdin and stdout are the
pipes), as `python -m nngrade.worker READ_FD WRITE_FD LIMITS_JSON` (POSIX, `pass_fds`), or
forked by the zygote (`--zygote`). It imports NumPy only (never torch or
TensorFlow), limits its own resources before any student code runs, and answers requests
over two pipes with `nngrade.wire`. Whatever the student's code does in here (patch numpy,
builtins, this module) can only change the values this process sends back; the oracles
and every comparison live in the grader's process.
"""
from __future__ import annotations

import builtins
import io
import json
import os
import sys
import time
import traceback
import types
import warnings

import numpy as np

from nngrade import drivers, sandbox, transport, wire
from nngrade.extract import ALLOWED_TEXT, allowed

_real_stdout = None


class CappedWriter(io.TextIOBase):
    """Stands in for sys.stdout/stderr during a call: keeps the start, counts the rest."""

    def __init__(self, cap):
        self.cap, self.size, self.parts = cap, 0, []

    def writable(self):
        return True

    def write(self, s):
        s = str(s)
        if self.size < 2000:
            self.parts.append(s[: 2000 - self.size])
        self.size += len(s)
        return len(s)

    def text(self):
        return "".join(self.parts)


class BlockFrameworks:
    """A meta-path finder that refuses every module graded code may not import (the frameworks,
    scikit-learn, scipy.stats, ...). The private modules SciPy loads for `scipy.special` pass."""

    def find_spec(self, name, path=None, target=None):
        if not (allowed(name) or name.startswith("scipy._")):
            raise ImportError(f"'{name}' is not available to graded code: it may import {ALLOWED_TEXT} only "
                              "(the labs are NumPy only)")
        return None


def apply_limits(limits):
    """Resource limits and a fork guard (the uid and the kernel walls: nngrade.sandbox)."""
    notes = []
    try:
        import resource
        for name, value in (("RLIMIT_AS", limits.get("memory_bytes")),
                            ("RLIMIT_CPU", limits.get("cpu_seconds")),
                            ("RLIMIT_NOFILE", limits.get("open_files")),
                            ("RLIMIT_FSIZE", limits.get("file_bytes")),
                            ("RLIMIT_NPROC", limits.get("processes"))):
            if value and hasattr(resource, name):
                try:
                    resource.setrlimit(getattr(resource, name), (int(value), int(value)))
                except (ValueError, OSError) as e:
                    notes.append(f"{name} not set: {e}")
    except ImportError:  # Windows: no resource module; only the wall-time limit applies
        notes.append("no resource limits on this platform")
    # a child forked by student code exits at once: nothing it does reaches the grader
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=lambda: os._exit(70))
    return notes


DENIED_EVENTS = {
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "os.kill", "os.killpg", "pty.spawn", "socket.connect", "socket.bind", "socket.sendto",
    "ctypes.dlopen", "ctypes.dlsym", "ctypes.dlsym/handle", "ctypes.cdata", "ctypes.addressof",
    "os.remove", "os.rmdir", "os.rename", "shutil.rmtree", "os.chmod", "os.chown", "os.symlink",
    "os.link", "os.truncate", "os.utime", "os.chdir", "sys._current_frames", "sys.settrace",
    "sys.setprofile", "resource.setrlimit", "resource.prlimit", "signal.pthread_kill", "mmap.__new__",
}


def install_audit_hook(scratch: str):
    """PEP 578: an audit hook cannot be removed from Python code once added. From here on,
    graded code may read the Python installation and the scratch folder, write only the
    scratch folder, and may not start processes, send signals, open sockets or use ctypes."""
    import site
    readable = {os.path.realpath(p) for p in [sys.prefix, sys.base_prefix, sys.exec_prefix,
                                              *site.getsitepackages(), "/usr/share/zoneinfo",
                                              "/etc/localtime", "/dev/null", "/dev/urandom"] if p}
    scratch = os.path.realpath(scratch)

    def inside(path, roots):
        return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)

    def hook(event, args):
        if event == "open":
            path, mode = args[0], args[1]
            if isinstance(path, int):      # an already open descriptor
                return
            try:
                real = os.path.realpath(os.fsdecode(path))
            except (TypeError, ValueError):
                raise PermissionError("graded code may not open this") from None
            writing = isinstance(mode, str) and any(c in mode for c in "wax+") or (
                isinstance(args[2], int) and args[2] & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
            if inside(real, [scratch]) or (not writing and inside(real, readable)):
                return
            raise PermissionError(f"graded code may not {'write' if writing else 'read'} {path!r}: "
                                  "only its scratch folder")
        if event in DENIED_EVENTS:
            raise PermissionError(f"{event} is not allowed in graded code")

    sys.addaudithook(hook)


def _short_tb(exc):
    """The student's frames only: the worker's own frames are noise to them."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith("<cell")]
    lines = [f"{f.filename[1:-1]}, line {f.lineno}, in {f.name}: {(f.line or '').strip()}" for f in frames[-4:]]
    return "\n".join(lines)


class OracleStandIn:
    """Replaces another graded function while one function is graded: each call asks the
    grader for the oracle's answer, so a mistake in `sigmoid` costs `sigmoid`'s points only,
    not those of every function that calls it."""

    def __init__(self, worker, name):
        self.worker, self.name, self.__name__ = worker, name, name

    def __call__(self, *args, **kwargs):
        wire.send(self.worker.wfd, {"callback": self.name, "args": args, "kwargs": kwargs})
        reply = wire.recv(self.worker.rfd)
        if not reply.get("ok"):
            raise ValueError(f"{self.name}{reply.get('error', '')}")
        return reply["value"]


class Worker:
    def __init__(self, limits, rfd=None, wfd=None):
        self.limits = limits
        self.rfd, self.wfd = rfd, wfd
        self.spaces: dict[str, dict] = {}

    def namespace(self, lab):
        if lab not in self.spaces:
            mod = types.ModuleType("__student__")
            mod.__dict__["__builtins__"] = builtins
            self.spaces[lab] = mod.__dict__
        return self.spaces[lab]

    def guarded(self, fn):
        """Run fn() with capped output, warnings recorded and every exception caught."""
        out = CappedWriter(self.limits.get("output_chars", 100_000))
        old = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = out
        start = time.perf_counter()
        reply = {"ok": True}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
                    reply["value"] = fn()
            except BaseException as e:  # SystemExit and KeyboardInterrupt included
                reply = {"ok": False, "error_type": type(e).__name__,
                         "error": str(e)[:500] if not isinstance(e, SystemExit) else f"exit({e.code})",
                         "tb": _short_tb(e)}
        reply["seconds"] = time.perf_counter() - start
        sys.stdout, sys.stderr = old
        reply["warnings"] = [f"{w.category.__name__}: {str(w.message)[:200]}" for w in caught[:5]]
        reply["stdout"] = out.text()
        reply["output_chars"] = out.size
        return reply

    def handle(self, req):
        op = req.get("op")
        if op == "ping":
            return {"ok": True, "value": os.getpid()}
        if op == "exec":
            ns = self.namespace(req["lab"])
            code = compile("\n" * (req["line"] - 1) + req["source"], f"<cell {req['cell'] + 1}>", "exec")
            reply = self.guarded(lambda: exec(code, ns))
            reply.pop("value", None)
            return reply
        if op == "call":
            ns = self.namespace(req["lab"])
            args, kwargs = req.get("args", ()), req.get("kwargs", {})
            try:            # no driver named: the plain call (`drivers.drive_call`)
                driver = drivers.resolve(req.get("driver") or drivers.name_of(drivers.drive_call))
            except LookupError as e:
                return {"ok": False, "error_type": "ProtocolError", "error": str(e), "tb": ""}
            saved = {n: ns[n] for n in req.get("substitute", ()) if n in ns and n != req["fn"]}
            ns.update({n: OracleStandIn(self, n) for n in saved})
            try:
                with drivers.contract(req.get("contract", True)):
                    reply = self.guarded(lambda: driver(ns, req["fn"], *args, **kwargs))
            finally:
                ns.update(saved)
            return reply
        return {"ok": False, "error_type": "ProtocolError", "error": f"unknown op {op!r}", "tb": ""}


def detach():
    """Fork once more and let the parent exit: the worker's parent is then init, not the
    grader, so `os.kill(os.getppid(), ...)` cannot reach the grader."""
    if hasattr(os, "fork") and os.fork() > 0:
        os._exit(0)


def walls(limits, scratch) -> tuple[dict, list]:
    """Every layer this platform has, in order: resource limits, the kernel's walls (which raise
    PermissionError rather than leave graded code running as root), the import finder and the
    audit hook. Returns which were on (`sandbox.isolation()`) and the notes for the student."""
    notes = apply_limits(limits)
    iso = sandbox.enclose(limits, scratch)
    iso["rlimits"] = not any("not set" in n or "no resource" in n for n in notes)
    sys.meta_path.insert(0, BlockFrameworks())
    iso["audit_hook"] = bool(limits.get("audit", True))
    if iso["audit_hook"]:
        install_audit_hook(scratch)
    return iso, notes


def serve(rfd, wfd, limits):
    """Become the student's worker: limits and guards first, then a hello, then requests."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):       # student output never reaches the terminal or the pipes
        os.dup2(devnull, fd)
    drivers.import_all()
    try:
        iso, notes = walls(limits, os.getcwd())
    except PermissionError as e:       # fail closed: no graded code runs as root
        wire.send(wfd, {"ok": False, "error_type": "SandboxError", "error": str(e), "tb": ""})
        os._exit(0)
    worker = Worker(limits, rfd, wfd)
    wire.send(wfd, {"ok": True, "value": {"pid": os.getpid(), "notes": notes, "isolation": iso}})
    while True:
        try:
            req = wire.recv(rfd)
        except wire.WireError:
            os._exit(0)
        reply = worker.handle(req)
        try:
            wire.send(wfd, reply)
        except BaseException as e:  # an unencodable value: say so rather than die
            wire.send(wfd, {"ok": False, "error_type": "EncodingError", "error": str(e)[:300], "tb": ""})


# What graded code may import beyond NumPy: loaded once by the zygote, shared by every worker it forks.
PRELOAD = ("scipy.special",)


def zygote(sock_fd):
    """A clean process that never runs student code: it imports what notebooks import, once,
    then forks a fresh worker for each request (the pipes arrive over a Unix socket), so a
    worker starts in milliseconds instead of paying for NumPy and SciPy again."""
    import signal
    import socket
    sock = socket.socket(fileno=sock_fd)
    for name in PRELOAD:
        try:
            __import__(name)
        except Exception:
            pass
    drivers.import_all()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)      # the kernel reaps the workers
    while True:
        try:
            msg, fds, _, _ = socket.recv_fds(sock, 1 << 16, 2)
        except OSError:
            os._exit(0)
        if not msg or len(fds) != 2:
            os._exit(0)
        req = json.loads(msg)
        pid = os.fork()
        if pid == 0:
            try:
                sock.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                os.setsid()
                os.chdir(req["scratch"])
                os.environ["HOME"] = req["scratch"]
                serve(fds[0], fds[1], req["limits"])
            finally:
                os._exit(0)
        for fd in fds:
            os.close(fd)
        sock.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def main(argv):
    if argv[0] == "--zygote":
        zygote(int(argv[1]))
        return
    if argv[0] == "--stdio":        # the pipes are stdin and stdout; serve() points 0, 1 and 2 at devnull
        rfd, wfd, limits = transport.binary(os.dup(0)), transport.binary(os.dup(1)), json.loads(argv[1])
    else:
        rfd, wfd, limits = int(argv[0]), int(argv[1]), json.loads(argv[2])
    detach()
    serve(rfd, wfd, limits)


if __name__ == "__main__":
    main(sys.argv[1:])

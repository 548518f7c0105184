"""Run a command inside a memory and CPU limit of its own, as Gradescope's container would, and
measure it: `make bench` grades the Gradescope way under 768 MB and one CPU with this.

The limit is a control group made for the command and removed after it: with cgroup v2
(`/sys/fs/cgroup/cgroup.controllers` lists memory and cpu) `memory.max`, `memory.swap.max` and
`cpu.max`; on a machine whose memory and cpu controllers are cgroup v1 hierarchies (a hybrid
layout), `memory.limit_in_bytes`, `memory.memsw.limit_in_bytes` and `cpu.cfs_quota_us`. Every
process the command starts stays in it (the grader's worker, the oracle process), so the limit and
the peak are the whole tree's. Needs root (or a delegated cgroup); `available()` says why not.

Measured: wall time, the group's peak memory (the kernel's count, which includes page cache
the kernel may reclaim under the limit), how often the limit was reached (the kernel reclaimed
memory to stay under it), and how many processes the kernel killed for want of memory.
"""
from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

V2 = Path("/sys/fs/cgroup")
V1 = {"memory": Path("/sys/fs/cgroup/memory"), "cpu": Path("/sys/fs/cgroup/cpu")}
PERIOD_US = 100_000


@dataclass
class Run:
    """What one limited command did."""
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    peak_bytes: int          # the group's peak memory, page cache included
    limit_hits: int          # times the group reached its memory limit (v1 failcnt, v2 memory.events max)
    oom_kills: int           # processes the kernel killed for want of memory

    @property
    def peak_mb(self) -> float:
        return self.peak_bytes / 2 ** 20


def _own(controller: str | None) -> str:
    """This process's cgroup path in a hierarchy (v1: by controller name; v2: the `0::` line)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        num, names, path = line.split(":", 2)
        if (controller is None and num == "0") or (controller is not None and controller in names.split(",")):
            return path.lstrip("/")
    raise OSError(f"no {controller or 'cgroup v2'} line in /proc/self/cgroup")


def _v2() -> bool:
    try:
        return {"memory", "cpu"} <= set((V2 / "cgroup.controllers").read_text().split())
    except OSError:
        return False


def available() -> str | None:
    """None if a limit can be set up here, else why not."""
    if not hasattr(os, "geteuid"):
        return "not Linux"
    if _v2():
        return None if os.access(V2 / _own(None), os.W_OK) else "no write access to this process's cgroup"
    for controller, base in V1.items():
        if not (base / "cgroup.procs").exists():
            return f"neither cgroup v2 with memory and cpu nor a cgroup v1 {controller} hierarchy is mounted"
        if not os.access(base / _own(controller), os.W_OK):
            return f"no write access to the {controller} cgroup (run as root)"
    return None


class Limit:
    """A cgroup with `memory_mb` of memory (no swap) and `cpus` CPUs; a context manager."""

    def __init__(self, memory_mb: int, cpus: float, name: str | None = None):
        why = available()
        if why:
            raise OSError(f"cannot limit memory and CPU here: {why}")
        self.name = name or f"nngrade-budget-{os.getpid()}-{time.monotonic_ns()}"
        self.memory = memory_mb * 2 ** 20
        self.quota = int(cpus * PERIOD_US)
        self.v2 = _v2()
        self.dirs: list[Path] = []

    def __enter__(self):
        if self.v2:
            parent = V2 / _own(None)
            d = parent / self.name
            d.mkdir()
            self.dirs = [d]
            # the controllers must be enabled for the parent's children (fails if the parent holds
            # processes itself and is not the root: then run the bench from a cgroup of its own)
            (parent / "cgroup.subtree_control").write_text("+memory +cpu")
            (d / "memory.max").write_text(str(self.memory))
            if (d / "memory.swap.max").exists():
                (d / "memory.swap.max").write_text("0")
            (d / "cpu.max").write_text(f"{self.quota} {PERIOD_US}")
        else:
            mem, cpu = (V1[c] / _own(c) / self.name for c in ("memory", "cpu"))
            mem.mkdir()
            cpu.mkdir()
            self.dirs = [mem, cpu]
            (mem / "memory.limit_in_bytes").write_text(str(self.memory))
            if (mem / "memory.memsw.limit_in_bytes").exists():
                (mem / "memory.memsw.limit_in_bytes").write_text(str(self.memory))
            (cpu / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (cpu / "cpu.cfs_quota_us").write_text(str(self.quota))
        return self

    def join(self):
        """In the child, before exec: into the group (every hierarchy)."""
        for d in self.dirs:
            with open(d / "cgroup.procs", "w") as f:
                f.write(str(os.getpid()))

    def counts(self) -> tuple[int, int, int]:
        d = self.dirs[0]
        if self.v2:
            events = dict(line.split() for line in (d / "memory.events").read_text().splitlines())
            peak = int((d / "memory.peak").read_text()) if (d / "memory.peak").exists() else 0
            return peak, int(events.get("max", 0)), int(events.get("oom_kill", 0))
        oom = dict(line.split() for line in (d / "memory.oom_control").read_text().splitlines())
        return (int((d / "memory.max_usage_in_bytes").read_text()), int((d / "memory.failcnt").read_text()),
                int(oom.get("oom_kill", 0)))

    def run(self, cmd, timeout=900, **kwargs) -> Run:
        """`cmd` in the group; one command per group (the peak is the group's since it was made)."""
        start = time.perf_counter()
        p = subprocess.run(cmd, preexec_fn=self.join, capture_output=True, text=True, timeout=timeout, **kwargs)
        seconds = time.perf_counter() - start
        return Run(seconds, p.returncode, p.stdout, p.stderr, *self.counts())

    def __exit__(self, *exc):
        for d in self.dirs:
            procs = (d / "cgroup.procs").read_text().split()
            for pid in procs:           # what the command left behind (a daemon) ends with it
                try:
                    os.kill(int(pid), 9)
                except OSError:
                    pass
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except OSError:
                    time.sleep(0.05)

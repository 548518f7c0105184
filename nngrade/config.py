"""One place for the grader's limits and tolerances, each with a default and a help text.

`python -m nngrade limits` lists them; `--limit NAME=VALUE` sets one for a run (`make grade
LIMITS="call_seconds=20"`, `grade-class`, `mutants`).
"""
from __future__ import annotations

import json
import os
from dataclasses import MISSING, dataclass, field, fields, replace


def option(default, help):
    return field(default=default, metadata={"help": help})


def env_option(variable, help):
    """A switch that is on when the environment variable is set to anything but "" or "0" (for CI)."""
    return field(default_factory=lambda: os.environ.get(variable, "0") not in ("", "0"),
                 metadata={"help": f"{help} (default: on when {variable}=1)"})


@dataclass
class Limits:
    call_seconds: float = option(5.0, "wall time for one call of a student function")
    exec_seconds: float = option(10.0, "wall time for one top-level statement of a notebook")
    start_seconds: float = option(30.0, "wall time for the worker process to start")
    cpu_seconds: int = option(900, "CPU seconds for a whole worker process (a backstop)")
    memory_bytes: int = option(4 * 1024 ** 3, "address space of the worker process")
    file_bytes: int = option(64 * 1024 ** 2, "largest file the worker may write")
    open_files: int = option(256, "open file descriptors in the worker")
    processes: int = option(0, "RLIMIT_NPROC for the worker (0: leave as is; forks are "
                               "stopped by an at-fork hook either way)")
    output_chars: int = option(100_000, "characters a call may print before it fails")
    drop_privileges: bool = option(True, "when the grader runs as root, run the worker as nobody")
    zygote: bool = option(False, "fork workers from a process that has NumPy and scipy.special "
                                 "loaded (POSIX; grade-class turns it on: it pays off from the "
                                 "second student); otherwise start each worker as a new process")
    portable_worker: bool = env_option("NNGRADE_PORTABLE_WORKER",
                                       "start every worker the way that works on every platform, Windows "
                                       "included: a new process whose stdin and stdout are the pipes, replies "
                                       "awaited by a reader thread, no fork server; where fork and select "
                                       "exist they are only quicker (CI runs both ways)")
    oracle_process: bool = option(True, "compute the Keras oracles in a second process, on the other core, "
                                        "while this one imports torch and grades (a class's plan is "
                                        "computed once either way)")
    slow_factor: float = option(10.0, "a note when a function is this many times slower than "
                                      "the oracle on the large input")
    speed_seconds: float = option(2.0, "wall time for the large-input call that only feeds that note")
    lab_seconds: float = option(180.0, "wall time for grading one lab of one submission; past it, the "
                                       "lab's remaining checks are not run (and earn nothing)")
    restarts: int = option(60, "worker restarts while grading one lab (after a timeout or a crash); "
                               "past it, the lab's remaining checks are not run")
    stand_in_calls: int = option(20_000, "calls of the grader's stand-ins (the other graded functions) "
                                         "that one call of a student function may make")

    def worker_json(self) -> str:
        keys = ("cpu_seconds", "memory_bytes", "file_bytes", "open_files", "processes",
                "output_chars", "drop_privileges")
        return json.dumps({k: getattr(self, k) for k in keys})

    @classmethod
    def describe(cls) -> str:
        """Every limit with its default and help text (`python -m nngrade limits`)."""
        return "\n".join(f"{f.name} = {_default(f)!r}: {f.metadata['help']}" for f in fields(cls))

    def with_settings(self, settings: list[str]) -> "Limits":
        """These limits with `NAME=VALUE` settings applied (`--limit call_seconds=20`), each value
        parsed as its field's type; an unknown name or a bad value raises ValueError."""
        known = {f.name: f for f in fields(self)}
        changes = {}
        for item in settings:
            name, sep, text = item.partition("=")
            name = name.strip()
            if not sep or name not in known:
                raise ValueError(f"--limit {item!r}: expected NAME=VALUE with NAME one of {', '.join(known)}")
            kind = type(_default(known[name]))
            try:
                if kind is bool:
                    if text.strip().lower() not in ("true", "false", "1", "0", "yes", "no"):
                        raise ValueError(text)
                    value = text.strip().lower() in ("true", "1", "yes")
                else:
                    value = kind(text)
            except ValueError:
                raise ValueError(f"--limit {item!r}: {name} takes a {kind.__name__}") from None
            changes[name] = value
        return replace(self, **changes)


def _default(f):
    return f.default if f.default is not MISSING else f.default_factory()


DEFAULT_RTOL = 1e-7
DEFAULT_ATOL = 1e-9

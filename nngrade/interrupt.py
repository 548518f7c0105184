"""Ctrl-C (SIGINT) and SIGTERM as a request to stop a class run cleanly.

The first signal ends every student worker at once (`client.stop_all`: none is started from then
on), so the students being graded stop within a moment and their half-done results are thrown
away; the run then writes the gradebook of everyone graded so far and exits non-zero. During a
phase that has nothing to finish (`raising()`: the oracles' precompute) the signal also raises
KeyboardInterrupt. A second signal raises KeyboardInterrupt wherever the run is. Slurm and
Kubernetes send SIGTERM before they kill a job: a shard that runs out of time stops the same way.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from nngrade import client

SIGNALS = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s)


class Interrupt:
    """The signal handler of one run (installed only in the main thread, where Python runs them)."""

    def __init__(self):
        self.requested = False
        self._raising = False
        self._old = {}

    def __enter__(self):
        client.STOP.clear()          # a new run in this process starts workers again
        if threading.current_thread() is threading.main_thread():
            self._old = {sig: signal.signal(sig, self._handle) for sig in SIGNALS}
        return self

    def __exit__(self, *exc):
        for sig, handler in self._old.items():
            signal.signal(sig, handler)

    def _handle(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        client.stop_all()
        if self._raising:
            raise KeyboardInterrupt

    @contextmanager
    def raising(self):
        """Within: the first signal raises KeyboardInterrupt here too."""
        self._raising = True
        try:
            if self.requested:
                raise KeyboardInterrupt
            yield
        finally:
            self._raising = False

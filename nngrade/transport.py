"""How the grader hears from a worker within a time limit: two inboxes with one interface.

- `Threaded` (every platform; the only one on Windows): a thread of its own reads whole frames
  from the pipe into a queue, and `recv` waits on the queue with a timeout. Nothing in it needs
  `select` on a pipe (Windows has none) or a POSIX call.
- `Polled` (POSIX): `select` on the pipe before each read, in the calling thread; the path the
  fork server (`client.Zygote`) and a default POSIX run take.

Either way a reply is one `wire` frame, read whole or not at all, at most `limit` bytes; on a
timeout the caller kills the worker (and starts a new one with a new inbox, so a late reply of
the old worker is never read as the new one's).
"""
from __future__ import annotations

import os
import queue
import threading
import time

from nngrade import wire


class Timeout(Exception):
    """No whole reply within the time asked."""


def binary(fd: int) -> int:
    """`fd` in binary mode: on Windows a C runtime descriptor may translate line ends."""
    if os.name == "nt":
        import msvcrt
        msvcrt.setmode(fd, os.O_BINARY)
    return fd


class Polled:
    """Replies read in the caller's thread, each read preceded by `select` (POSIX pipes)."""

    def __init__(self, fd: int, limit: int):
        self.fd, self.limit = fd, limit

    def recv(self, seconds: float):
        import select
        deadline = time.monotonic() + seconds

        def wait(fd):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise Timeout()
        return wire.recv(self.fd, wait, limit=self.limit)

    def close(self):
        pass


class Threaded:
    """Replies read by a thread into a queue; `recv` waits on the queue. The queue holds one
    reply: past it the thread stops reading, the pipe fills and the worker blocks, so a worker
    that floods the pipe costs the grader no more memory than one reply (as with `Polled`). The
    thread reads its own duplicate of the pipe and closes it when the pipe ends or the inbox is
    closed, so the caller may close `fd` at any time without the thread reading another pipe."""

    def __init__(self, fd: int, limit: int):
        self.limit = limit
        self.replies: queue.Queue = queue.Queue(maxsize=1)
        self.closed = threading.Event()
        self.ended: wire.WireError | None = None
        self.thread = threading.Thread(target=self._read, args=(binary(os.dup(fd)),), daemon=True,
                                       name="worker-replies")
        self.thread.start()

    def _read(self, fd: int):
        try:
            while not self.closed.is_set():
                self._put(wire.recv(fd, limit=self.limit))
        except (wire.WireError, OSError, ValueError) as e:     # the pipe ended, or a frame the grader refuses
            self._put(_Ended(e if isinstance(e, wire.WireError) else wire.WireError(str(e))))
        finally:
            os.close(fd)

    def _put(self, item):
        while not self.closed.is_set():
            try:
                self.replies.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def recv(self, seconds: float):
        if self.ended is not None:
            raise self.ended
        try:
            item = self.replies.get(timeout=max(0.0, seconds))
        except queue.Empty:
            raise Timeout() from None
        if isinstance(item, _Ended):
            self.ended = item.error
            raise self.ended
        return item

    def close(self):
        """The worker is gone or going: the thread ends at the pipe's end or within 0.2 s."""
        self.closed.set()


class _Ended:
    """The last item a reader thread queues: why its pipe ended."""

    def __init__(self, error: wire.WireError):
        self.error = error

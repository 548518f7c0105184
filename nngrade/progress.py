"""What a class run shows while it works, from its first second.

A line as soon as the class is read (how many students, how many to grade and why), a spinner
with the elapsed time while the oracles' answers are computed (tens of seconds, once for the
class; their count is not known ahead, so no bar), then a bar over the students. Messages go to
stdout; the spinner and the bar to `stream` (stderr; none with `--no-progress`).
"""
from __future__ import annotations

import sys
import threading
from contextlib import contextmanager

FRAMES = "|/-\\"


class Progress:
    def __init__(self, stream=None):
        self.stream = stream

    def say(self, text: str):
        print(text, flush=True)

    @contextmanager
    def spinner(self, desc: str, seconds: float = 0.25):
        """A line that turns and counts the seconds until the block ends."""
        if self.stream is None:
            yield
            return
        from tqdm import tqdm
        bar = tqdm(total=None, desc=f"{FRAMES[0]} {desc}", file=self.stream, bar_format="{desc} {elapsed}",
                   dynamic_ncols=True)
        stop = threading.Event()

        def turn():
            frame = 0
            while not stop.wait(seconds):
                frame += 1
                bar.set_description_str(f"{FRAMES[frame % len(FRAMES)]} {desc}", refresh=True)
        thread = threading.Thread(target=turn, daemon=True, name="spinner")
        thread.start()
        ended = "done in"
        try:
            yield
        except BaseException:
            ended = "stopped after"
            raise
        finally:
            stop.set()
            thread.join()
            bar.set_description_str(f"{desc}: {ended}", refresh=False)
            bar.close()

    def bar(self, total: int, desc: str):
        """A bar over `total` items (an object with `update` and `close` either way)."""
        if self.stream is None:
            return _Quiet()
        from tqdm import tqdm
        return tqdm(total=total, desc=desc, unit="student", file=self.stream, dynamic_ncols=True)


class _Quiet:
    def update(self, n=1):
        pass

    def close(self):
        pass


def stream_for(progress) -> object | None:
    """`progress` as given to grade_class: True (stderr), False (none) or a stream."""
    if progress is True:
        return sys.stderr
    return progress or None

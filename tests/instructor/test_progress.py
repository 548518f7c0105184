"""Progress from the first second: what the run is about to do is printed before any oracle is
computed, the precompute has its own spinner that moves while it runs, then a bar over the
students, then the summary."""
from __future__ import annotations

import io
import time

from instructor.helpers import LAB4, cells, student
from nngrade.classroom import grade_class, summary_text
from nngrade.config import Limits
from nngrade.oracles import Oracles


class Recorder(io.StringIO):
    """A stream that remembers when each write came."""

    def __init__(self):
        super().__init__()
        self.writes = []

    def write(self, s):
        self.writes.append((time.monotonic(), s))
        return super().write(s)


def test_progress_from_the_first_second_and_a_summary(tmp_path, monkeypatch, capsys):
    subs = tmp_path / "subs"
    for i in range(3):
        student(subs, f"s{i}", {f"{LAB4}.ipynb": cells(LAB4) if i else None})
    stream, seen = Recorder(), {}
    real = Oracles.precompute

    def slow_precompute(oracles, *a, **k):
        if "start" in seen:             # each student's worker thread asks again: all computed by then
            return real(oracles, *a, **k)
        seen["start"], seen["stdout"] = time.monotonic(), capsys.readouterr().out
        time.sleep(1.5)                 # a long precompute: the spinner must move meanwhile
        real(oracles, *a, **k)
        seen["end"] = time.monotonic()
    monkeypatch.setattr(Oracles, "precompute", slow_precompute)
    s = grade_class(subs, [LAB4], tmp_path / "out", progress=stream, limits=Limits(zygote=True, oracle_process=False))
    assert "grade-class: reading" in seen["stdout"] and f"{LAB4}: grading 3 student(s)" in seen["stdout"]
    spinner = [(t, w) for t, w in stream.writes if "computing the oracles' answers" in w]
    during = [w for t, w in spinner if seen["start"] <= t <= seen["end"]]
    assert spinner[0][0] <= seen["start"] and len(set(during)) >= 3, during
    bar = [(t, w) for t, w in stream.writes if "grading" in w and "student" in w]
    assert bar and bar[0][0] >= seen["end"] and "3/3" in bar[-1][1]
    import psutil
    mine = []
    for child in psutil.Process().children(recursive=True):     # the zygote and its workers ended
        try:
            mine += [" ".join(child.cmdline())] if "nngrade" in " ".join(child.cmdline()) else []
        except psutil.Error:
            pass
    assert mine == []
    text = summary_text(s, tmp_path / "out")
    assert text.startswith("Graded 3 students (3 now, 0 unchanged since the last run)")
    assert f"{LAB4}" in text and "report.html" in text

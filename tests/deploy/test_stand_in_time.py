"""The time the grader spends answering a stand-in (an oracle call, and the framework import the
first one may need: with shipped answers the frameworks load lazily, on Gradescope on half a CPU)
does not count against the student's call limit."""
from __future__ import annotations

import time

from conftest import grade_cells, solution_cells
from nngrade.config import Limits
from nngrade.oracles import Oracles

LAB = "lab07_metrics"     # precision calls confusion_counts: the grader stands in for it


def test_a_slow_stand_in_does_not_time_the_students_call_out(monkeypatch):
    real = Oracles.call
    calls = []

    def slow(self, fn, args=(), kwargs=None):
        calls.append(fn)
        if len(calls) == 1:
            time.sleep(1.5)       # the first, as a framework import: longer than the whole call may take
        return real(self, fn, args, kwargs)
    monkeypatch.setattr(Oracles, "call", slow)
    by_fn, _ = grade_cells(LAB, solution_cells(LAB), functions={"precision"}, limits=Limits(call_seconds=1.0))
    score, top, texts = by_fn["precision"]
    assert calls, "precision called no stand-in: the test no longer tests anything"
    assert score == top, "\n".join(texts)

"""`OUT/report.html`: the class as a whole, in one self-contained page that opens offline.

Read from each student's results JSON (`nngrade.records`), one student at a time (memory does
not grow with the class beyond a few numbers per student): the score distribution per lab, the
pass rate per function and per check, the most common diagnosed mistakes (the `diagnoses` the
grader names for a wrong value, `extra_data` of each test) with their counts and one example,
the checks that no one or everyone passes (a check no one passes may be broken, or its lab text
unclear), the students whose grading failed, and the grading times. The figures are PNGs made
with matplotlib (Agg) and embedded as data: URIs; the page has no external CSS, script or font.
The numbers themselves are embedded too, as JSON (`<script type="application/json"
id="class-summary">`), for scripts. All text from submissions is escaped.
"""
from __future__ import annotations

import base64
import html
import io
import json
import os
from pathlib import Path

EXAMPLE_CHARS = 1500


def parse_name(name: str) -> tuple[str, str, str]:
    """`labNN_<topic>.<function>: <what>` (the results JSON's test names) -> (lab, function, what)."""
    lab, _, rest = name.partition(".")
    function, _, what = rest.partition(": ")
    return lab, function, what


class ClassStats:
    """The numbers of the report, added to one student at a time."""

    def __init__(self, labs: list[str]):
        self.labs = labs
        self.students = 0
        self.failed: list[tuple[str, str]] = []
        self.scores = {lab: [] for lab in labs}
        self.max_points = {lab: 0.0 for lab in labs}
        self.lab_seconds = {lab: [] for lab in labs}
        self.times: list[tuple[float, str]] = []
        self.checks: dict[str, dict] = {}
        self.functions: dict[tuple, list] = {}
        self.mistakes: dict[tuple, dict] = {}

    def add(self, data: dict):
        self.students += 1
        who = data["student"] + (f" ({data['id']})" if data.get("id") else "")
        if data.get("status") != "graded":
            self.failed.append((who, data.get("status", "")))
            return
        self.times.append((float(data.get("execution_time", 0.0)), who))
        passed_fn: dict[tuple, bool] = {}
        seen_mistakes = set()
        for t in data.get("tests", []):
            lab, function, what = parse_name(t["name"])
            if lab not in self.scores:
                continue
            c = self.checks.setdefault(t["name"], {"lab": lab, "function": function, "check": what,
                                                   "points": t["max_score"], "passed": 0, "students": 0})
            c["students"] += 1
            c["passed"] += t["status"] == "passed"
            passed_fn[(lab, function)] = passed_fn.get((lab, function), True) and t["status"] == "passed"
            for text in (t.get("extra_data") or {}).get("diagnoses", []):
                m = self.mistakes.setdefault((lab, function, text), {
                    "lab": lab, "function": function, "mistake": text, "students": 0, "checks": 0,
                    "example": {"student": who, "check": t["name"], "output": t["output"][:EXAMPLE_CHARS]}})
                m["checks"] += 1
                if (lab, function, text) not in seen_mistakes:
                    seen_mistakes.add((lab, function, text))
                    m["students"] += 1
        for key, ok in passed_fn.items():
            counts = self.functions.setdefault(key, [0, 0])
            counts[0] += ok
            counts[1] += 1
        for lab in self.labs:
            tests = [t for t in data.get("tests", []) if t["name"].startswith(lab + ".")]
            self.scores[lab].append(sum(t["score"] for t in tests))
            self.max_points[lab] = max(self.max_points[lab], sum(t["max_score"] for t in tests))
            part = (data.get("labs") or {}).get(lab)
            if part:
                self.lab_seconds[lab].append(float(part.get("seconds", 0.0)))

    def summary(self) -> dict:
        """Plain data: what the page shows (and embeds as JSON)."""
        graded = self.students - len(self.failed)
        checks = sorted(self.checks.values(), key=lambda c: (c["lab"], c["function"], c["check"]))
        for c in checks:
            c["pass_rate"] = c["passed"] / c["students"] if c["students"] else 0.0
        return {
            "labs": self.labs, "students": self.students, "graded": graded,
            "failed": [{"student": s, "status": st} for s, st in self.failed],
            "scores": {lab: {"max": self.max_points[lab], "values": sorted(v)} for lab, v in self.scores.items()},
            "functions": [{"lab": lab, "function": fn, "passed": p, "students": n, "pass_rate": p / n if n else 0.0}
                          for (lab, fn), (p, n) in sorted(self.functions.items())],
            "checks": checks,
            "never_passed": [c["name"] for c in self._named(checks) if c["passed"] == 0],
            "always_passed": [c["name"] for c in self._named(checks) if c["passed"] == c["students"]],
            "mistakes": sorted(self.mistakes.values(), key=lambda m: (-m["students"], -m["checks"], m["lab"],
                                                                      m["function"], m["mistake"])),
            "seconds": {"per_student": sorted(t for t, _ in self.times),
                        "slowest": [{"student": s, "seconds": t} for t, s in sorted(self.times, reverse=True)[:5]],
                        "per_lab_mean": {lab: sum(v) / len(v) for lab, v in self.lab_seconds.items() if v}},
        }

    @staticmethod
    def _named(checks):
        return [dict(c, name=f"{c['lab']}.{c['function']}: {c['check']}") for c in checks if c["students"]]


# -- the page ------------------------------------------------------------------------------
def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, bbox_inches="tight")
    import matplotlib.pyplot as plt
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def figures(s: dict) -> dict[str, str]:
    """The plots, as data: URIs."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    out = {}
    labs = s["labs"]
    fig, axes = plt.subplots(1, len(labs), figsize=(4 * len(labs), 3), squeeze=False)
    for ax, lab in zip(axes[0], labs):
        top = s["scores"][lab]["max"] or 1
        ax.hist(s["scores"][lab]["values"], bins=20, range=(0, top), color="#4878a8")
        ax.set_title(lab, fontsize=9)
        ax.set_xlabel("points")
    axes[0][0].set_ylabel("students")
    out["scores"] = _png(fig)
    for lab in labs:
        rows = sorted((f for f in s["functions"] if f["lab"] == lab), key=lambda f: f["pass_rate"])  # worst on top
        if not rows:
            continue
        fig, ax = plt.subplots(figsize=(6, 0.3 * len(rows) + 0.8))
        ax.barh([f["function"] for f in rows], [100 * f["pass_rate"] for f in rows], color="#59a14f")
        ax.set_xlim(0, 100)
        ax.invert_yaxis()
        ax.set_xlabel("% of students with every check passed")
        ax.set_title(lab, fontsize=9)
        out[f"functions {lab}"] = _png(fig)
    fig, ax = plt.subplots(figsize=(6, 2.5))
    ax.hist(s["seconds"]["per_student"] or [0], bins=30, color="#e15759")
    ax.set_xlabel("seconds to grade one student")
    ax.set_ylabel("students")
    out["seconds"] = _png(fig)
    return out


def _table(head: list[str], rows: list[list]) -> str:
    cells = "".join(f"<th>{html.escape(str(h))}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{cells}</tr>{body}</table>"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


CSS = """body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}pre{white-space:pre-wrap;
font-size:85%;margin:0}img{display:block;margin:1em 0;max-width:100%}"""
# The page marks itself once every figure has decoded (a test reads this from Chromium's DOM).
SCRIPT = """window.addEventListener("load", function () {
  var imgs = Array.prototype.slice.call(document.images);
  var ok = imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
  document.body.setAttribute("data-figures", ok + "/" + imgs.length);
});"""


def page(s: dict, title: str) -> str:
    e = html.escape
    figs = figures(s)
    img = lambda key, alt: f'<img alt="{e(alt)}" src="{figs[key]}">'
    parts = [f"<h1>{e(title)}</h1>",
             f"<p>{s['students']} students: {s['graded']} graded, {len(s['failed'])} failed to grade.</p>",
             "<h2>Score distribution per lab</h2>", img("scores", "score distribution per lab"),
             _table(["lab", "max", "mean", "median"], [
                 [e(lab), f"{v['max']:g}", f"{sum(v['values']) / len(v['values']):.1f}" if v["values"] else "-",
                  f"{v['values'][len(v['values']) // 2]:g}" if v["values"] else "-"] for lab, v in s["scores"].items()]),
             "<h2>Pass rate per function</h2>"]
    parts += [img(f"functions {lab}", f"pass rate per function, {lab}") for lab in s["labs"] if f"functions {lab}" in figs]
    parts += [_table(["lab", "function", "passed", "pass rate"],
                     [[e(f["lab"]), e(f["function"]), f"{f['passed']}/{f['students']}", _pct(f["pass_rate"])]
                      for f in s["functions"]]),
              "<h2>Most common diagnosed mistakes</h2>",
              _table(["students", "checks", "function", "mistake", "example"],
                     [[str(m["students"]), str(m["checks"]), e(f"{m['lab']}.{m['function']}"), e(m["mistake"]),
                       f"{e(m['example']['student'])}, {e(m['example']['check'])}<pre>{e(m['example']['output'])}</pre>"]
                      for m in s["mistakes"][:30]]) if s["mistakes"] else "<p>None diagnosed.</p>",
              "<h2>Checks no one passes</h2>",
              "<p>A check that no one passes may be broken, or its lab text unclear.</p>",
              _list(s["never_passed"]), "<h2>Checks everyone passes</h2>", _list(s["always_passed"]),
              "<h2>Pass rate per check</h2>",
              _table(["lab", "function", "check", "points", "passed", "pass rate"],
                     [[e(c["lab"]), e(c["function"]), e(c["check"]), f"{c['points']:g}",
                       f"{c['passed']}/{c['students']}", _pct(c["pass_rate"])] for c in s["checks"]]),
              "<h2>Failed to grade</h2>",
              _list([f"{f['student']}: {f['status']}" for f in s["failed"]]),
              "<h2>Grading times</h2>", img("seconds", "seconds per student"),
              _table(["lab", "mean seconds per student"],
                     [[e(lab), f"{t:.2f}"] for lab, t in s["seconds"]["per_lab_mean"].items()]),
              _table(["slowest students", "seconds"],
                     [[e(x["student"]), f"{x['seconds']:.1f}"] for x in s["seconds"]["slowest"]])]
    data = json.dumps(s).replace("<", "\\u003c")     # no "</script>" from a name can end the block
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>'
            f"<style>{CSS}</style></head><body>\n" + "\n".join(parts)
            + f'\n<script type="application/json" id="class-summary">{data}</script>'
            + f"\n<script>{SCRIPT}</script>\n</body></html>\n")


def _list(items: list[str]) -> str:
    if not items:
        return "<p>None.</p>"
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def write(path: Path, stats: ClassStats, title: str):
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(page(stats.summary(), title), encoding="utf-8")
    os.replace(tmp, path)


def read_summary(path: Path) -> dict:
    """The numbers embedded in a report page."""
    text = path.read_text(encoding="utf-8")
    start = text.index('<script type="application/json" id="class-summary">') + len(
        '<script type="application/json" id="class-summary">')
    return json.loads(text[start:text.index("</script>", start)])

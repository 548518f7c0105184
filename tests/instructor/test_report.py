"""The class report: its numbers match the class as built (who was given which known mistake),
it is self-contained, and headless Chromium renders it offline with every figure; text from
submissions (here, a student's name) is shown, never run."""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from instructor.helpers import LAB2, cells, mutant, student
from nngrade.class_report import ClassStats, read_summary
from nngrade.classroom import grade_class
from nngrade.config import Limits
from nngrade.registry import load_checks

HOSTILE = "<img src=x onerror=document.body.setAttribute('data-pwned','1')>"
FUNCTIONS = sorted({c.function for c in load_checks(LAB2)})


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    """Seven students of lab02: who has which mistake is the oracle of every number below."""
    root = tmp_path_factory.mktemp("report")
    subs = root / "subs"
    not_deriv, not_deriv_says = mutant(LAB2, "sigmoid_grad", "the activation in place")
    step, step_says = mutant(LAB2, "relu_grad", ">= instead of >")
    broken = "def gaussian(z):\n    raise NotImplementedError('gaussian')\n"   # no one passes gaussian
    given = {"full0": [], "full1": [], "sg0": [not_deriv], "sg1": [not_deriv], "sg2": [not_deriv, step],
             HOSTILE: [step], "half": [step, not_deriv]}
    for name, mistakes in given.items():
        student(subs, name, {f"{LAB2}.ipynb": cells(LAB2, *mistakes, broken)})
    out = root / "grades"
    grade_class(subs, [LAB2], out, progress=False, limits=Limits(zygote=True, oracle_process=False), jobs=2)
    return out, given, {"sigmoid_grad": (not_deriv, not_deriv_says), "relu_grad": (step, step_says)}


def test_report_numbers_match_the_class(klass):
    out, given, mistakes = klass
    s = read_summary(out / "report.html")
    n = len(given)
    assert s["students"] == s["graded"] == n and s["failed"] == []
    rates = {f["function"]: (f["passed"], f["students"]) for f in s["functions"]}
    assert set(rates) == set(FUNCTIONS)
    for function, (source, _) in mistakes.items():
        wrong = sum(source in m for m in given.values())
        assert rates[function] == (n - wrong, n)
    assert rates["gaussian"] == (0, n)
    for function in set(FUNCTIONS) - set(mistakes) - {"gaussian"}:
        assert rates[function] == (n, n), function
    for function, (source, says) in mistakes.items():      # diagnosed, counted, with an example
        wrong = [name for name, m in given.items() if source in m]
        rows = [m for m in s["mistakes"] if m["function"] == function and says in m["mistake"]]
        assert rows and rows[0]["students"] == len(wrong), (function, rows)
        assert rows[0]["example"]["student"] in wrong and rows[0]["example"]["check"].startswith(f"{LAB2}.{function}:")
    assert s["mistakes"][0]["students"] == max(m["students"] for m in s["mistakes"])    # most common first
    gaussian = {f"{c.lab}.{c.function}: {c.what}" for c in load_checks(LAB2) if c.function == "gaussian"}
    assert gaussian <= set(s["never_passed"])
    untouched = {f"{c.lab}.{c.function}: {c.what}" for c in load_checks(LAB2) if c.function == "tanh"}
    assert untouched <= set(s["always_passed"]) and not untouched & set(s["never_passed"])
    per_check = {f"{c['lab']}.{c['function']}: {c['check']}": c for c in s["checks"]}
    assert all(per_check[name]["passed"] == 0 for name in gaussian)
    lab = s["scores"][LAB2]
    assert lab["max"] == sum(c.points for c in load_checks(LAB2)) and len(lab["values"]) == n
    assert len(s["seconds"]["per_student"]) == n and all(t > 0 for t in s["seconds"]["per_student"])


def test_failed_students_are_listed():
    stats = ClassStats([LAB2])
    stats.add({"student": "Cy", "id": "", "status": "failed to grade: RuntimeError: the sandbox could not start",
               "tests": []})
    s = stats.summary()
    assert s["failed"] == [{"student": "Cy", "status": "failed to grade: RuntimeError: the sandbox could not start"}]
    assert s["graded"] == 0 and s["students"] == 1


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.imgs, self.links, self.scripts = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.imgs.append(a.get("src", ""))
        if tag == "link":
            self.links.append(a)
        if tag == "script":
            self.scripts.append(a)


def test_report_is_self_contained(klass):
    out, _, _ = klass
    text = (out / "report.html").read_text()
    page = Page()
    page.feed(text)
    assert len(page.imgs) >= 3 and all(src.startswith("data:image/png;base64,") for src in page.imgs)
    assert page.links == [] and all("src" not in s for s in page.scripts)
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//|url\(", text)
    assert html.escape(HOSTILE) in text and HOSTILE not in text


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.fail("chromium is not installed, and this test opens the report in it: "
                    "apt-get install -y chromium (README, instructors' quick start)")
    return exe


def test_report_renders_offline_in_headless_chromium_with_every_figure(klass, tmp_path):
    out, _, _ = klass
    page = Page()
    page.feed((out / "report.html").read_text())
    env = dict(os.environ, HOME=str(tmp_path))
    p = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                        f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", "--dump-dom",
                        (out / "report.html").as_uri()], capture_output=True, text=True, timeout=120, env=env)
    dom = p.stdout
    body = re.search(r"<body[^>]*>", dom)
    assert body, f"Chromium showed no page (exit {p.returncode}): {p.stderr[-1500:]}"
    assert f'data-figures="{len(page.imgs)}/{len(page.imgs)}"' in body.group(0), body.group(0)
    assert "data-pwned" not in body.group(0)              # the name is text, not an element
    assert html.escape(HOSTILE, quote=False) in dom


def test_a_hidden_checks_diagnosis_stays_out_of_the_results(tmp_path):
    """A diagnosis can tell an input's shape ("N = 7 (the batch size)"): the results JSON names the
    mistakes of visible checks only."""
    from conftest import write_hidden
    from nngrade import load, report
    from nngrade.engine import grade_lab
    from nngrade.oracles import Oracles
    from nngrade.plan import Plan
    from nngrade.student import Student
    hidden = write_hidden(tmp_path / "hidden", LAB2, "identity", 2, "rng.normal(size=(7, 13))")
    times_n = "def identity(z):\n    z = np.array(z, dtype=np.float64)\n    return z * len(np.atleast_1d(z))\n"
    says = "(the batch size) times too large"
    plan = Plan([LAB2], 5, hidden)
    with Student(Limits()) as worker, Oracles(plan) as oracles:
        res = grade_lab(worker, plan, oracles, LAB2, load.Notebook(LAB2, None, cells(LAB2, times_n)),
                        functions={"identity"})
    assert any("N = 7 " + says in m for r in res.results if r.check.hidden and r.failure
               for m in r.failure.diagnoses)   # found, kept back
    tests = report.results_json([res], 5, 1.0)["tests"]
    visible = [t for t in tests if "hidden: " not in t["name"] and t["status"] == "failed"]
    secret = [t for t in tests if "hidden: " in t["name"]]
    assert any(says in m for t in visible for m in t["extra_data"].get("diagnoses", []))
    assert secret and all("diagnoses" not in t["extra_data"] for t in secret)


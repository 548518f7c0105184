"""`make bench`: how fast grading is, measured side by side on this machine.

1. `python -m nngrade grade` of one complete submission (the solutions, every lab), the median
   of three runs;
2. the way nbgrader's autograde and otter-grader grade: each notebook executed top to bottom
   in a fresh Jupyter kernel (nbclient), then the same checks run inside that kernel, on the
   kernel's own functions, against the same oracles;
3. `python -m nngrade grade-class` on 50 submissions: the marginal seconds per student;
4. the peak memory of the grader and of one student worker.
Prints a table with the ratios and writes it as JSON.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class PeakMemory:
    """Polls the RSS of a process and, separately, of the grader's worker processes and of its
    Keras oracle processes (the oracle process and its fork: the largest of them)."""

    def __init__(self, pid):
        import psutil
        self.psutil, self.pid = psutil, pid
        self.grader = self.worker = self.oracles = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                self.grader = max(self.grader, self.psutil.Process(self.pid).memory_info().rss)
            except self.psutil.Error:
                pass
            for p in self.psutil.process_iter(["cmdline"]):
                try:
                    cmdline = " ".join(p.info["cmdline"] or [])
                    if "nngrade.worker" in cmdline:
                        self.worker = max(self.worker, p.memory_info().rss)
                    elif "nngrade.remote" in cmdline:
                        self.oracles = max(self.oracles, p.memory_info().rss)
                except self.psutil.Error:
                    pass
            time.sleep(0.05)

    def stop(self):
        self._stop.set()
        self._thread.join()


def timed(cmd, cwd=ROOT, memory=False):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", TF_ENABLE_ONEDNN_OPTS="0")
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    mem = PeakMemory(p.pid) if memory else None
    out, err = p.communicate()
    seconds = time.perf_counter() - start
    if mem:
        mem.stop()
    if p.returncode:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{err[-2000:]}")
    return seconds, out, mem


def in_kernel_checks(lab: str, seed: int, namespace: dict) -> str:
    """The baseline's test cell: the same checks, run inside the student's own kernel on its
    own function objects (as nbgrader and otter do), against the same oracles."""
    from nngrade import drivers
    from nngrade.compare import compare
    from nngrade.engine import Plan
    drivers.import_all()
    plan = Plan([lab], seed)
    passed = total = 0
    for check in plan.checks[lab]:
        total += check.points
        ok = True
        for i, case in enumerate(plan.cases(check)):
            try:
                got = drivers.resolve(check.driver)(namespace, check.function, *case.args, **case.kwargs)
            except Exception:
                ok = False
                break
            for which in (check.primary, check.secondary):
                exp = plan.expected(check, i, which)
                if exp is None or (which != check.primary and check.differs):
                    continue
                bad = check.compare(got, exp, case) if check.compare else \
                    compare(got, exp, check.rtol, check.atol, structure_only=check.structure_only)
                ok = ok and not bad
        passed += check.points if ok else 0
    return f"{passed:g}/{total:g}"


BASELINE = """
import sys, time, nbformat, nbclient
path, lab, seed, root = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
nb = nbformat.read(path, as_version=4)
nb.cells.append(nbformat.v4.new_code_cell(
    f"import sys; sys.path.insert(0, {root!r})\\n"
    f"from nngrade.bench import in_kernel_checks\\nprint('SCORE', in_kernel_checks({lab!r}, {seed}, globals()))"))
nbclient.NotebookClient(nb, timeout=900, kernel_name="nnlabs",
                        resources={"metadata": {"path": str(__import__('pathlib').Path(path).parent)}}).execute()
print("".join(o.get("text", "") for o in nb.cells[-1].outputs))
"""


def make_class(dest: Path, n: int, labs: list[str]):
    """n students: every fifth a blank, the rest the solutions (the grader's work is the same)."""
    for i in range(n):
        d = dest / f"student{i:03d}"
        d.mkdir(parents=True)
        src = ROOT / ("labs" if i % 5 == 4 else "solutions")
        for lab in labs:
            shutil.copy(src / f"{lab}.ipynb", d / f"{lab}.ipynb")


def run(seed=1, students=50, out=ROOT / "docs" / "bench.json") -> dict:
    import compileall
    from nngrade.registry import available_labs
    labs = [lab for lab in available_labs() if (ROOT / "solutions" / f"{lab}.ipynb").exists()]
    py = sys.executable
    for package in ("nngrade", "reference"):   # as `make install` does: no run pays for compiling
        compileall.compile_dir(ROOT / package, quiet=1)
    tmp = Path(tempfile.mkdtemp(prefix="nngrade-bench-"))
    res = {"labs": labs, "cores": os.cpu_count(), "python": sys.version.split()[0]}

    grade_all = [py, "-m", "nngrade", "grade", "--submission", "solutions", "--seed", str(seed),
                 "--out", str(tmp / "r.json"), "--quiet"]
    # the median of three runs; memory is polled in a fourth (polling costs CPU: not timed)
    imports = [timed([py, "-c", "import torch, keras"])[0] for _ in range(2)]
    res["import_torch_keras_s"] = min(imports)
    runs = [timed(grade_all)[0] for _ in range(3)]
    res["grade_all_labs_runs_s"] = runs
    res["grade_all_labs_s"] = sorted(runs)[1]
    res["grade_blank_labs_s"], _, _ = timed([py, "-m", "nngrade", "grade", "--submission", "labs", "--seed",
                                             str(seed), "--out", str(tmp / "r.json"), "--quiet"])
    _, _, mem = timed(grade_all, memory=True)
    res["grader_peak_rss_mb"] = mem.grader / 2 ** 20
    res["worker_peak_rss_mb"] = mem.worker / 2 ** 20
    res["oracle_process_peak_rss_mb"] = mem.oracles / 2 ** 20
    per_lab = {}
    for lab in labs:
        t_lab, _, _ = timed([py, "-m", "nngrade", "grade", "--submission", "solutions", "--lab", lab[3:5],
                             "--seed", str(seed), "--out", str(tmp / "r.json"), "--quiet", "--oracles", "primary"])
        per_lab[lab] = t_lab
    res["grade_one_lab_primary_s"] = per_lab

    base = {}
    for lab in labs:
        t_b, text, _ = timed([py, "-c", BASELINE, str(ROOT / "solutions" / f"{lab}.ipynb"), lab, str(seed), str(ROOT)])
        base[lab] = {"seconds": t_b, "score": text.split("SCORE")[-1].strip()}
    res["baseline_per_lab"] = base
    res["baseline_all_labs_s"] = sum(b["seconds"] for b in base.values())

    times = {}
    for n in (1, students):
        klass = tmp / f"class{n}"
        make_class(klass, n, labs)
        times[n], _, _ = timed([py, "-m", "nngrade", "grade-class", "--submissions", str(klass), "--out",
                                str(tmp / f"grades{n}"), "--seed", str(seed), "--no-progress"])
    res["students"] = students
    res["grade_class_1_s"], res[f"grade_class_{students}_s"] = times[1], times[students]
    res["marginal_s_per_student"] = (times[students] - times[1]) / (students - 1)
    res["speedup_vs_baseline"] = res["baseline_all_labs_s"] / res["grade_all_labs_s"]
    res["targets"] = targets(res, labs)
    shutil.rmtree(tmp, ignore_errors=True)
    from nngrade import bench_class   # a generated class of 1,000: docs/bench-class.json, the README
    res["class_of_1000"] = bench_class.run()
    out.write_text(json.dumps(res, indent=1))
    update_readme(res)
    return res


def readme_table(res: dict) -> str:
    """The summary that README.md shows between its bench markers."""
    n = res.get("students", 50)
    free = keras_free(res["labs"])
    quick = " / ".join(f"{res['grade_one_lab_primary_s'][lab]:.1f}" for lab in free)
    rows = [
        ("`make grade`, solutions, every lab, both oracles (median of 3 runs)", f"{res['grade_all_labs_s']:.1f} s"),
        ("baseline: nbclient, a fresh kernel per notebook, the same checks in the kernel",
         f"{res['baseline_all_labs_s']:.1f} s: **{res['speedup_vs_baseline']:.1f}x** slower"),
        ("`make grade` of `labs/` as released (nothing written yet: no oracle is waited for)",
         f"{res.get('grade_blank_labs_s', 0):.1f} s"),
        (f"`make grade-class`, 1 student / {n} students", f"{res['grade_class_1_s']:.1f} s / "
         f"{res[f'grade_class_{n}_s']:.1f} s: **{res['marginal_s_per_student']:.2f} s** per additional student"),
        ("`make grade LAB=" + "/".join(lab[3:5] for lab in free) + "` with `--oracles primary` (no Keras)",
         quick + " s"),
        ("peak memory: grader / Keras oracle process / one student worker",
         f"{res['grader_peak_rss_mb']:.0f} MB / {res.get('oracle_process_peak_rss_mb', 0):.0f} MB / "
         f"{res['worker_peak_rss_mb']:.0f} MB"),
    ]
    rows += [(f"target: {what}", "met" if ok else "**not met**") for what, (_, ok) in res.get("targets", {}).items()]
    return "\n".join(["| measurement | result |", "| --- | --- |"] + [f"| {a} | {b} |" for a, b in rows])


def update_readme(res: dict, path=ROOT / "README.md") -> bool:
    """Replace the table between `<!-- bench -->` and `<!-- /bench -->`; False without markers."""
    text = path.read_text()
    start, end = "<!-- bench -->", "<!-- /bench -->"
    if start not in text or end not in text:
        return False
    head, rest = text.split(start, 1)
    path.write_text(head + start + "\n" + readme_table(res) + "\n" + end + rest.split(end, 1)[1])
    return True


def keras_free(labs) -> list[str]:
    """The labs that PyTorch decides throughout: `--oracles primary` grades them without Keras."""
    from nngrade.registry import load_checks
    return [lab for lab in labs if all(c.primary == "torch" for c in load_checks(lab))]


def targets(res: dict, labs) -> dict:
    """The speed targets, each with the measured value and whether it holds: speed is measured
    here, in `make bench`, and never asserted in `make test`."""
    free = {lab: res["grade_one_lab_primary_s"][lab] for lab in keras_free(labs)}
    return {
        "make grade at least 10x faster than the baseline": [round(res["speedup_vs_baseline"], 1),
                                                             res["speedup_vs_baseline"] >= 10],
        "grade-class at most 1 s per additional student": [round(res["marginal_s_per_student"], 2),
                                                           res["marginal_s_per_student"] <= 1.0],
        "grading every solution costs at most 3x importing torch and keras": [
            round(res["grade_all_labs_s"] / res["import_torch_keras_s"], 2),
            res["grade_all_labs_s"] <= 3 * res["import_torch_keras_s"]],
        "a lab without Keras graded in under 3 s (slowest of " + ", ".join(lab[3:5] for lab in free) + ")":
            [round(max(free.values()), 1), max(free.values()) < 3.0],
    }


def table(res: dict) -> str:
    n = res.get("students", 50)
    rows = [
        ("make grade, solutions, every lab (median of 3)", f"{res['grade_all_labs_s']:.1f} s",
         "runs: " + ", ".join(f"{t:.1f}" for t in res.get("grade_all_labs_runs_s", [])) + " s"),
        ("make grade, labs/ as released (nothing written yet)", f"{res.get('grade_blank_labs_s', 0):.1f} s",
         "no oracle waited for"),
        ("baseline: nbclient, fresh kernel per notebook, checks in the kernel",
         f"{res['baseline_all_labs_s']:.1f} s", f"{res['speedup_vs_baseline']:.1f}x slower than make grade"),
        ("grade-class, 1 student", f"{res['grade_class_1_s']:.1f} s", ""),
        (f"grade-class, {n} students", f"{res[f'grade_class_{n}_s']:.1f} s",
         f"{res['marginal_s_per_student']:.2f} s per additional student ({res['cores']} cores)"),
        ("peak memory: grader", f"{res['grader_peak_rss_mb']:.0f} MB", ""),
        ("peak memory: one student worker", f"{res['worker_peak_rss_mb']:.0f} MB", ""),
        ("peak memory: the Keras oracle process (each of two)", f"{res.get('oracle_process_peak_rss_mb', 0):.0f} MB",
         "a fork: most pages are shared"),
    ]
    rows += [(f"make grade LAB={lab[3:5]} --oracles primary", f"{s:.1f} s", "")
             for lab, s in res["grade_one_lab_primary_s"].items()]
    rows += [(f"baseline {lab}", f"{b['seconds']:.1f} s", f"in-kernel score {b['score']}")
             for lab, b in res["baseline_per_lab"].items()]
    rows += [(f"target: {what}", f"{value:g}", "met" if ok else "NOT MET")
             for what, (value, ok) in res.get("targets", {}).items()]
    w = max(len(r[0]) for r in rows)
    return "\n".join(f"| {a:<{w}} | {b:>8} | {c} |" for a, b, c in
                     [("measurement", "time", "note"), ("-" * w, "-" * 8, "---")] + rows)

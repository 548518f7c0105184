"""`make bench`: how fast grading is and what it costs, measured side by side on this machine.

Each measurement is a function of a `Bench` (the machine, the seed, a scratch folder) that adds
its numbers to the results; `MEASUREMENTS` lists them in order, one line each:

1. `python -m nngrade grade` of one complete submission (the solutions, every lab), both oracles:
   the median of `runs` runs, and peak memory per process in one more (polling costs CPU);
2. the same for the labs as released (nothing written: no oracle is waited for);
3. Gradescope's default budget: the autograder's way (the course seed, the answers shipped with
   the zip, `nngrade.answers`), inside a cgroup of 768 MB and one CPU (`nngrade.budget`): every
   lab in one submission and each lab alone (medians), with every process's peak memory and the
   group's; then the same on two CPUs without a limit;
4. each lab alone with `--oracles primary` (no Keras for a lab PyTorch decides);
5. the way nbgrader's autograde and otter-grader grade: each notebook executed top to bottom in
   a fresh Jupyter kernel (nbclient), then the same checks inside that kernel, on the kernel's own
   functions and fresh copies of the inputs (median of `runs`); its scores must be 100%;
6. `python -m nngrade grade-class` on 1 and on 50 submissions: the marginal seconds per student.

The machine's load is measured too: the CPU time that other processes used while the bench ran
(/proc/stat's busy time less the bench's own). Only a run on a quiet machine (others used at most
`QUIET_CORES` of a core on average) and whose baseline scored 100% rewrites docs/bench.json and
README's table; any other run is printed and kept in dist/bench-busy.json.
"""
from __future__ import annotations

import copy
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUIET_CORES = 0.15          # others' average CPU use (in cores) above which a run is not published
GRADESCOPE = {"memory_mb": 768, "cpus": 1.0, "lab_s": 5.0, "all_s": 20.0}
GRADESCOPE_SEED = 2026      # the course seed, as `make gradescope` uses by default


class PeakMemory:
    """Polls the RSS of a process and, separately, of its own worker processes and of its Keras
    oracle processes (the oracle process and its fork: the largest of them): its descendants only,
    never another grader's on the same machine."""

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
            try:
                family = self.psutil.Process(self.pid).children(recursive=True)
            except self.psutil.Error:
                family = []
            for p in family:
                try:
                    cmdline = " ".join(p.cmdline() or [])
                    if "nngrade.worker" in cmdline:
                        self.worker = max(self.worker, p.memory_info().rss)
                    elif "nngrade.oracle_server" in cmdline:
                        self.oracles = max(self.oracles, p.memory_info().rss)
                except self.psutil.Error:
                    pass
            time.sleep(0.05)

    def stop(self):
        self._stop.set()
        self._thread.join()

    def mb(self) -> dict:
        return {"grader": self.grader / 2 ** 20, "worker": self.worker / 2 ** 20, "oracles": self.oracles / 2 ** 20}


def timed(cmd, cwd=ROOT, memory=False, preexec_fn=None, check=True):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", TF_ENABLE_ONEDNN_OPTS="0")
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=preexec_fn)
    mem = PeakMemory(p.pid) if memory else None
    out, err = p.communicate()
    seconds = time.perf_counter() - start
    if mem:
        mem.stop()
    if p.returncode and check:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{err[-2000:]}")
    return seconds, out, mem


class MachineLoad:
    """The CPU time other processes used between `start()` and `stop()`: the machine's busy time
    (/proc/stat) less this process's and its children's."""

    @staticmethod
    def _busy() -> float:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        idle = fields[3] + fields[4]                      # idle + iowait
        return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _ours() -> float:
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    def start(self):
        self.t0, self.busy0, self.ours0, self.loadavg0 = time.monotonic(), self._busy(), self._ours(), os.getloadavg()
        return self

    def stop(self) -> dict:
        wall = time.monotonic() - self.t0
        others = max(0.0, (self._busy() - self.busy0) - (self._ours() - self.ours0))
        return {"wall_s": wall, "others_cpu_s": others, "others_cores": others / wall if wall else 0.0,
                "loadavg_start": list(self.loadavg0), "loadavg_end": list(os.getloadavg())}


def median(values) -> float:
    return statistics.median(values)


def copied(case):
    """Fresh copies of a case's inputs: a function that changes its arguments in place (an
    optimizer's step) must not change the inputs the oracles are asked about."""
    return copy.deepcopy(case.args), copy.deepcopy(case.kwargs)


def in_kernel_checks(lab: str, seed: int, namespace: dict) -> str:
    """The baseline's test cell: the same checks, run inside the student's own kernel on its
    own function objects (as nbgrader and otter do), against the same oracles, each call on fresh
    copies of the inputs (as the grader's worker gets them over its pipe)."""
    from nngrade import drivers
    from nngrade.compare import compare
    from nngrade.oracles import Oracles
    from nngrade.plan import Plan
    drivers.import_all()
    plan = Plan([lab], seed)
    oracles = Oracles(plan)
    passed = total = 0
    for check in plan.checks[lab]:
        total += check.points
        ok = True
        for i, case in enumerate(plan.cases(check)):
            args, kwargs = copied(case)
            try:
                got = check.driver(namespace, check.function, *args, **kwargs)
            except Exception:
                ok = False
                break
            for which in (check.primary, *check.others):
                exp = oracles.expected(check, i, which)
                if exp is None or (which != check.primary and check.differs):
                    continue
                bad = check.compare(got, exp, case, oracles) if check.compare else \
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


@dataclass
class Bench:
    """What every measurement shares: the labs, the seed, the repetitions, a scratch folder."""
    labs: list
    seed: int = 1
    runs: int = 3
    students: int = 50
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="nngrade-bench-")))
    py: str = sys.executable

    def grade(self, *args, submission="solutions") -> list:
        return [self.py, "-m", "nngrade", "grade", "--submission", submission, "--out", str(self.tmp / "r.json"),
                "--quiet", *map(str, args)]

    def score(self) -> tuple[float, float]:
        data = json.loads((self.tmp / "r.json").read_text())
        return data["score"], data["max_score"]


def grade_all(b: Bench, res: dict):
    imports = [timed([b.py, "-c", "import torch, keras"])[0] for _ in range(2)]
    res["import_torch_keras_s"] = min(imports)
    runs = [timed(b.grade("--seed", b.seed))[0] for _ in range(b.runs)]
    res["grade_all_labs_runs_s"] = runs
    res["grade_all_labs_s"] = median(runs)
    _, _, mem = timed(b.grade("--seed", b.seed), memory=True)
    res["grader_peak_rss_mb"], res["worker_peak_rss_mb"], res["oracle_process_peak_rss_mb"] = mem.mb().values()


def grade_blank(b: Bench, res: dict):
    res["grade_blank_labs_s"] = median([timed(b.grade("--seed", b.seed, submission="labs"))[0]
                                        for _ in range(b.runs)])


def _limited(b: Bench, cmd, memory_mb, cpus) -> dict:
    """One command in a cgroup of its own: seconds, every process's peak RSS, the group's peak."""
    from nngrade.budget import Limit
    (b.tmp / "r.json").unlink(missing_ok=True)
    with Limit(memory_mb, cpus) as lim:     # a grader the kernel killed writes no results: no marks
        seconds, _, mem = timed(cmd, memory=True, preexec_fn=lim.join, check=False)
        peak, hits, kills = lim.counts()
    score, max_score = b.score() if (b.tmp / "r.json").exists() else (0, 1)
    per = mem.mb()
    return {"seconds": seconds, "peak_rss_mb": per, "rss_sum_mb": sum(per.values()), "group_peak_mb": peak / 2 ** 20,
            "limit_hits": hits, "oom_kills": kills, "score": score, "max_score": max_score}


def _budget_runs(b: Bench, cmd, memory_mb, cpus) -> dict:
    runs = [_limited(b, cmd, memory_mb, cpus) for _ in range(b.runs)]
    out = {"seconds": median([r["seconds"] for r in runs]), "runs_s": [r["seconds"] for r in runs]}
    for k in ("rss_sum_mb", "group_peak_mb", "limit_hits", "oom_kills"):
        out[k] = max(r[k] for r in runs)
    out["peak_rss_mb"] = {k: max(r["peak_rss_mb"][k] for r in runs) for k in runs[0]["peak_rss_mb"]}
    out["full_marks"] = all(r["score"] == r["max_score"] for r in runs)
    return out


def gradescope_budget(b: Bench, res: dict):
    """The autograder's command (its seed, its shipped answers) under Gradescope's default memory
    and one CPU, then on every core without a memory limit."""
    from nngrade.answers import write
    from nngrade.budget import available
    why = available()
    if why:
        res["gradescope"] = {"skipped": why}
        return
    folder = b.tmp / "answers"
    write(folder, b.labs, GRADESCOPE_SEED)
    out = {"seed": GRADESCOPE_SEED, "unlimited_cpus": os.cpu_count() or 1, **GRADESCOPE}
    for name, memory_mb, cpus in (("limited", GRADESCOPE["memory_mb"], GRADESCOPE["cpus"]),
                                  ("unlimited", 64 * 1024, float(out["unlimited_cpus"]))):
        base = ["--seed", GRADESCOPE_SEED, "--answers", folder]
        out[name] = {"all": _budget_runs(b, b.grade(*base), memory_mb, cpus),
                     "labs": {lab: _budget_runs(b, b.grade(*base, "--lab", lab[3:5]), memory_mb, cpus)
                              for lab in b.labs}}
    # Gradescope's default share is half a virtual CPU: every lab once more at 0.5 CPU
    out["half_cpu"] = _budget_runs(b, b.grade(*base), GRADESCOPE["memory_mb"], 0.5)
    res["gradescope"] = out


def per_lab_primary(b: Bench, res: dict):
    res["grade_one_lab_primary_s"] = {
        lab: median([timed(b.grade("--lab", lab[3:5], "--seed", b.seed, "--oracles", "primary"))[0]
                     for _ in range(b.runs)]) for lab in b.labs}


def baseline(b: Bench, res: dict):
    base = {}
    for lab in b.labs:
        runs = [timed([b.py, "-c", BASELINE, str(ROOT / "solutions" / f"{lab}.ipynb"), lab, str(b.seed), str(ROOT)])
                for _ in range(b.runs)]
        base[lab] = {"seconds": median([r[0] for r in runs]), "score": runs[0][1].split("SCORE")[-1].strip()}
    res["baseline_per_lab"] = base
    res["baseline_all_labs_s"] = sum(v["seconds"] for v in base.values())
    res["baseline_full_marks"] = all(_full(v["score"]) for v in base.values())


def _full(score: str) -> bool:
    got, _, total = score.partition("/")
    return bool(total) and float(got) == float(total)


def grade_class(b: Bench, res: dict):
    times = {}
    for n in (1, b.students):
        klass = b.tmp / f"class{n}"
        make_class(klass, n, b.labs)
        times[n], _, _ = timed([b.py, "-m", "nngrade", "grade-class", "--submissions", str(klass), "--out",
                                str(b.tmp / f"grades{n}"), "--seed", str(b.seed), "--no-progress"])
    res["students"] = b.students
    res["grade_class_1_s"], res[f"grade_class_{b.students}_s"] = times[1], times[b.students]
    res["marginal_s_per_student"] = (times[b.students] - times[1]) / (b.students - 1)


MEASUREMENTS = [grade_all, grade_blank, gradescope_budget, per_lab_primary, baseline, grade_class]


def run(seed=1, students=50, runs=3, out=ROOT / "docs" / "bench.json", readme=ROOT / "README.md") -> dict:
    import compileall
    from nngrade.registry import available_labs
    labs = [lab for lab in available_labs() if (ROOT / "solutions" / f"{lab}.ipynb").exists()]
    for package in ("nngrade", "reference"):   # as `make install` does: no run pays for compiling
        compileall.compile_dir(ROOT / package, quiet=1)
    b = Bench(labs, seed, runs, students)
    res = {"labs": labs, "cores": os.cpu_count(), "python": sys.version.split()[0], "runs": runs}
    load = MachineLoad().start()
    try:
        for measure in MEASUREMENTS:
            measure(b, res)
    finally:
        shutil.rmtree(b.tmp, ignore_errors=True)
    res["machine"] = load.stop()
    res["speedup_vs_baseline"] = res["baseline_all_labs_s"] / res["grade_all_labs_s"]
    res["targets"] = targets(res, labs)
    res["published"], res["why_not_published"] = publishable(res)
    if res["published"]:
        out.write_text(json.dumps(res, indent=1))
        update_readme(res, readme)
    else:
        busy = ROOT / "dist" / "bench-busy.json"
        busy.parent.mkdir(exist_ok=True)
        busy.write_text(json.dumps(res, indent=1))
    return res


def publishable(res: dict) -> tuple[bool, str]:
    """A run rewrites the README only on a quiet machine and with a baseline that scored 100%."""
    if not res.get("baseline_full_marks"):
        return False, "the baseline did not score the solutions 100%: its time is not like for like"
    others = res["machine"]["others_cores"]
    if others > QUIET_CORES:
        return False, (f"the machine was busy: other processes used {others:.2f} cores on average "
                       f"(at most {QUIET_CORES} for a published run)")
    return True, ""


def keras_free(labs) -> list[str]:
    """The labs that PyTorch decides throughout: `--oracles primary` grades them without Keras."""
    from nngrade.registry import load_checks
    return [lab for lab in labs if all(c.primary == "torch" for c in load_checks(lab))]


def targets(res: dict, labs) -> dict:
    """The targets, each with the measured value and whether it holds: speed is measured here, in
    `make bench`, and never asserted in `make test`."""
    free = {lab: res["grade_one_lab_primary_s"][lab] for lab in keras_free(labs)}
    out = {
        "make grade at least 10x faster than the baseline": [round(res["speedup_vs_baseline"], 1),
                                                             res["speedup_vs_baseline"] >= 10],
        "make grade of every lab, both oracles, in at most 7 s": [round(res["grade_all_labs_s"], 1),
                                                                   res["grade_all_labs_s"] <= 7.0],
        "grading every solution costs at most 3x importing torch and keras": [
            round(res["grade_all_labs_s"] / res["import_torch_keras_s"], 2),
            res["grade_all_labs_s"] <= 3 * res["import_torch_keras_s"]],
        "grade-class at most 1 s per additional student": [round(res["marginal_s_per_student"], 2),
                                                           res["marginal_s_per_student"] <= 1.0],
        "a lab without Keras graded in under 3 s (slowest of " + ", ".join(lab[3:5] for lab in free) + ")":
            [round(max(free.values()), 1), max(free.values()) < 3.0],
    }
    gs = res.get("gradescope", {})
    if "limited" in gs:
        lim = gs["limited"]
        slowest = max(v["seconds"] for v in lim["labs"].values())
        within = [lim["all"]] + list(lim["labs"].values())
        out[f"Gradescope, 1 CPU: every lab in one submission in at most {gs['all_s']:g} s"] = [
            round(lim["all"]["seconds"], 1), lim["all"]["seconds"] <= gs["all_s"]]
        out[f"Gradescope, 1 CPU: each lab alone in at most {gs['lab_s']:g} s (the slowest)"] = [
            round(slowest, 1), slowest <= gs["lab_s"]]
        out[f"Gradescope, {gs['memory_mb']} MB: no process killed, every process together under it, full marks"] = [
            round(max(r["rss_sum_mb"] for r in within)),
            all(r["oom_kills"] == 0 and r["rss_sum_mb"] <= gs["memory_mb"] and r["full_marks"] for r in within)]
    return out


def readme_table(res: dict) -> str:
    """The summary that README.md shows between its bench markers."""
    n = res.get("students", 50)
    runs = res.get("runs", 3)
    free = keras_free(res["labs"])
    quick = " / ".join(f"{res['grade_one_lab_primary_s'][lab]:.1f}" for lab in free)
    rows = [
        (f"`make grade`, solutions, every lab, both oracles (median of {runs} runs)",
         f"{res['grade_all_labs_s']:.1f} s"),
        ("baseline: nbclient, a fresh kernel per notebook, the same checks in the kernel (scores 100%)",
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
    rows += gradescope_rows(res.get("gradescope", {}))
    machine = res.get("machine", {})
    if machine:
        rows.append(("machine: cores / other processes' CPU during the run",
                     f"{res['cores']} / {machine['others_cores']:.2f} cores"))
    rows += [(f"target: {what}", "met" if ok else "**not met**") for what, (_, ok) in res.get("targets", {}).items()]
    return "\n".join(["| measurement | result |", "| --- | --- |"] + [f"| {a} | {b} |" for a, b in rows])


def gradescope_rows(gs: dict) -> list:
    if "limited" not in gs:
        return [("Gradescope budget", f"not measured: {gs.get('skipped', 'no cgroup')}")] if gs else []
    lim, free = gs["limited"], gs["unlimited"]
    slow = max(lim["labs"], key=lambda lab: lim["labs"][lab]["seconds"])
    p = lim["all"]["peak_rss_mb"]
    return [
        (f"Gradescope's way (seed {gs['seed']}, shipped answers), every lab: {gs['memory_mb']} MB and "
         f"{gs['cpus']:g} CPU / {gs['unlimited_cpus']} CPUs, no memory limit",
         f"{lim['all']['seconds']:.1f} s / {free['all']['seconds']:.1f} s"),
        (f"... every lab at Gradescope's default half CPU, {gs['memory_mb']} MB",
         f"{gs['half_cpu']['seconds']:.1f} s" if "half_cpu" in gs else "not measured"),
        (f"... each lab alone, slowest ({slow[:5]}), {gs['cpus']:g} CPU / no limit",
         f"{lim['labs'][slow]['seconds']:.1f} s / {free['labs'][slow]['seconds']:.1f} s"),
        ("... peak memory under the limit: grader / oracle process / worker (sum); the group's, page cache "
         "included; processes killed",
         f"{p['grader']:.0f} / {p['oracles']:.0f} / {p['worker']:.0f} MB ({lim['all']['rss_sum_mb']:.0f} MB); "
         f"{lim['all']['group_peak_mb']:.0f} MB; {lim['all']['oom_kills']}"),
    ]


def update_readme(res: dict, path=ROOT / "README.md") -> bool:
    """Replace the table between `<!-- bench -->` and `<!-- /bench -->`; False without markers."""
    text = path.read_text()
    start, end = "<!-- bench -->", "<!-- /bench -->"
    if start not in text or end not in text:
        return False
    head, rest = text.split(start, 1)
    path.write_text(head + start + "\n" + readme_table(res) + "\n" + end + rest.split(end, 1)[1])
    return True


def table(res: dict) -> str:
    n = res.get("students", 50)
    rows = [
        ("make grade, solutions, every lab (median)", f"{res['grade_all_labs_s']:.1f} s",
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
    gs = res.get("gradescope", {})
    if "half_cpu" in gs:
        r = gs["half_cpu"]
        rows.append((f"Gradescope way, {gs['memory_mb']} MB, 0.5 CPU: every lab", f"{r['seconds']:.1f} s",
                     f"limit hits {r['limit_hits']}, killed {r['oom_kills']}, full marks {r['full_marks']}"))
    for name in ("limited", "unlimited"):
        if name in gs:
            where = f"{gs['memory_mb']} MB, {gs['cpus']:g} CPU" if name == "limited" else "no limit"
            for lab, r in [("every lab", gs[name]["all"])] + list(gs[name]["labs"].items()):
                p = r["peak_rss_mb"]
                rows.append((f"Gradescope way, {where}: {lab}", f"{r['seconds']:.1f} s",
                             f"grader/oracles/worker {p['grader']:.0f}/{p['oracles']:.0f}/{p['worker']:.0f} MB, "
                             f"group {r['group_peak_mb']:.0f} MB, limit hits {r['limit_hits']}, "
                             f"killed {r['oom_kills']}, full marks {r['full_marks']}"))
    rows += [(f"make grade LAB={lab[3:5]} --oracles primary", f"{s:.1f} s", "")
             for lab, s in res["grade_one_lab_primary_s"].items()]
    rows += [(f"baseline {lab}", f"{b['seconds']:.1f} s", f"in-kernel score {b['score']}")
             for lab, b in res["baseline_per_lab"].items()]
    m = res.get("machine", {})
    if m:
        rows.append(("machine load", f"{m['others_cores']:.2f}",
                     f"cores used by other processes on average; load average {m['loadavg_start'][0]:.2f} at the "
                     f"start, {m['loadavg_end'][0]:.2f} at the end"))
    rows += [(f"target: {what}", f"{value:g}", "met" if ok else "NOT MET")
             for what, (value, ok) in res.get("targets", {}).items()]
    w = max(len(r[0]) for r in rows)
    return "\n".join(f"| {a:<{w}} | {b:>8} | {c} |" for a, b, c in
                     [("measurement", "time", "note"), ("-" * w, "-" * 8, "---")] + rows)

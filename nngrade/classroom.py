"""`make grade-class`: a class's submissions graded in one run, resumable and shardable.

The class is a folder of student folders, or an LMS's bulk download (`nngrade.lms`); each student
gets a file name of their own (`nngrade.roster`). All students are graded on the same inputs (one
Plan: the instructor's seed, the oracles computed once before the first student), in parallel
over the machine's cores (threads in the grader, one worker process per student). In OUT:

- `<stem>.json` (the results JSON, kept per lab: `nngrade.records`) and `<stem>.md` (the
  feedback the student reads);
- `gradebook.csv`, and an LMS's import file on request (`nngrade.gradebooks`);
- `report.html`, the class as a whole (`nngrade.class_report`);
- `.nngrade/class.json`, the run's manifest (students, stems, seed, labs, their fingerprints,
  shard), which `python -m nngrade merge` reads; for an LMS download, `.nngrade/submissions/
  <stem>/` holds the notebooks as graded.

A rerun grades only the labs whose key changed (`records.stale`: notebook, checks, grader, seed,
frameworks) and says which and why. Ctrl-C stops the run cleanly (`nngrade.interrupt`): the
gradebook of everyone graded so far is written, and a rerun continues. `--shard i/n` grades the
students whose name hashes to shard i of n (`roster.shard_of`).
"""
from __future__ import annotations

import dataclasses
import json
import os
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

import nngrade
from nngrade import class_report, client, gradebooks, lms, records, roster
from nngrade.config import Limits
from nngrade.engine import grade_submission
from nngrade.interrupt import Interrupt
from nngrade.oracles import Oracles
from nngrade.plan import Plan
from nngrade.progress import Progress, stream_for

DEFAULT_CLASS_SEED = 2026
STATE = ".nngrade"          # OUT/.nngrade: the manifest, and an LMS download's notebooks as graded
STOP_SECONDS = 30.0         # after Ctrl-C, how long the students being graded may take to end


@dataclasses.dataclass
class Job:
    """One student of the run: what is stored of them, and the labs to grade with the reason."""
    student: roster.Student
    stem: str
    stored: dict | None
    todo: dict
    hashes: dict


@dataclasses.dataclass
class Export:
    """An LMS grade import file to write beside gradebook.csv (`nngrade.gradebooks`)."""
    platform: str
    assignment: str
    points: float | None = None


def read_class(source: Path, platform: str | None, out: Path, shard) -> tuple[list, dict, list]:
    """This shard's students (for an LMS download, with their notebooks copied out of it), every
    student's file stem (stems are made over the whole class, so shards agree), and warnings."""
    if platform is None:
        everyone = roster.folders(source)
        stems, warnings = roster.file_stems(everyone)
        return [s for s in everyone if _mine(s, shard)], stems, warnings
    with lms.Download(source) as download:
        submitted, unmatched = lms.collect(platform, download)
        everyone = [roster.Student(s.name, Path(), s.lms_id, s.late, tuple(s.notes)) for s in submitted]
        stems, warnings = roster.file_stems(everyone)
        if unmatched:
            warnings.append(f"warning: {len(unmatched)} file(s) of {source} follow no {platform} naming and "
                            "belong to no student: " + ", ".join(unmatched[:5]) + (" ..." if len(unmatched) > 5 else ""))
        mine = []
        for sub, s in zip(submitted, everyone):
            if _mine(s, shard):
                folder = out / STATE / "submissions" / stems[s.ident]
                notes = lms.stage(download, sub, folder)
                mine.append(dataclasses.replace(s, folder=folder, notes=s.notes + tuple(notes)))
    return mine, stems, warnings


def _mine(student, shard) -> bool:
    return shard is None or roster.shard_of(student.ident, shard[1]) == shard[0]


def grade_class(submissions: Path, labs: list[str], out: Path, seed: int | None = None, hidden=None,
                jobs: int | None = None, progress=True, limits: Limits | None = None, platform: str | None = None,
                shard: tuple[int, int] | None = None, export: Export | None = None) -> dict:
    """Grade a class into `out`; returns the run's summary (`summary_text` prints it). `progress`:
    True (stderr), False, or a stream for the spinner and the bar."""
    seed = DEFAULT_CLASS_SEED if seed is None else seed
    limits = limits or Limits(zygote=True)
    show = Progress(stream_for(progress))
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    where = f"the {platform} download {submissions}" if platform else str(submissions)
    show.say(f"grade-class: reading {where}" + (f" (shard {shard[0]}/{shard[1]})" if shard else ""))
    students, stems, warnings = read_class(Path(submissions), platform, out, shard)
    for w in warnings:
        show.say(w)
    keys = records.lab_keys(labs, seed, hidden)
    work = [_job(s, stems[s.ident], out, keys, labs) for s in students]
    todo = [j for j in work if j.todo]
    for line in why_lines(work, labs):
        show.say(line)
    written, interrupted = grade_jobs(todo, labs, keys, seed, hidden, limits, out, jobs, show)
    done = {j.stem for j in work if not j.todo} | written
    entries = [{"name": s.name, "id": s.lms_id, "stem": stems[s.ident], "graded": stems[s.ident] in done}
               for s in students]
    manifest = {"grader": nngrade.__version__, "seed": seed, "labs": labs,
                "fingerprints": {lab: k["fingerprint"] for lab, k in keys.items()}, "from": platform,
                "shard": f"{shard[0]}/{shard[1]}" if shard else None}
    summary = write_outputs(out, manifest, entries, export, show)
    summary.update(graded_now=len(written), reused=len(work) - len(todo), interrupted=interrupted,
                   warnings=warnings, seconds=time.perf_counter() - started)
    return summary


def _job(student: roster.Student, stem: str, out: Path, keys: dict, labs: list[str]) -> Job:
    stored = records.read(out / f"{stem}.json")
    hashes = records.notebook_hashes(student.folder, labs)
    return Job(student, stem, stored, records.stale(stored, student, keys, hashes), hashes)


def grade_jobs(todo: list[Job], labs, keys, seed, hidden, limits: Limits, out: Path, jobs, show) -> tuple[set, bool]:
    """One Plan for the labs to grade (its oracles computed first, the Keras ones in the oracle
    process), then the students; Ctrl-C stops either phase. Returns the stems written and
    whether the run was interrupted. The oracle process and the zygote end here, however it ends."""
    if not todo:
        return set(), False
    with Interrupt() as stop:
        plan = Plan([lab for lab in labs if any(lab in j.todo for j in todo)], seed, hidden)
        oracles = Oracles(plan)
        try:
            try:
                with stop.raising(), show.spinner("computing the oracles' answers (once for the class)"):
                    if limits.oracle_process:
                        oracles.start()   # Keras beside torch; then it serves the class's calls
                    oracles.precompute()
            except KeyboardInterrupt:
                return set(), True
            written = _grade_all(plan, oracles, todo, labs, keys, seed, limits, out, jobs, show, stop)
            return written, stop.requested
        finally:
            oracles.close()
            client.Zygote.stop()


def why_lines(work: list[Job], labs: list[str]) -> list[str]:
    """Per lab: how many students are graded now, and why; how many are reused."""
    lines = []
    for lab in labs:
        reasons = Counter(j.todo[lab] for j in work if lab in j.todo)
        kept = sum(lab not in j.todo for j in work)
        said = "; ".join(f"{why} ({n})" for why, n in reasons.most_common())
        lines.append(f"{lab}: " + (f"grading {sum(reasons.values())} student(s): {said}" if reasons else "")
                     + ("; " if reasons and kept else "") + (f"{kept} unchanged since the last run: reused" if kept else ""))
    return lines


def _grade_all(plan, oracles, todo, labs, keys, seed, limits, out, jobs, show, stop) -> set:
    """Grade the students of `todo`, a few more queued than there are threads; after Ctrl-C, queue
    none and wait (at most STOP_SECONDS) for those being graded to end. Returns the stems written."""
    workers = jobs or max(1, os.cpu_count() or 1)
    bar = show.bar(len(todo), "grading")
    queue, pending, written = iter(todo), set(), set()
    stopped_at = None
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        while True:
            while not stop.requested and len(pending) < 2 * workers and (job := next(queue, None)) is not None:
                pending.add(pool.submit(grade_one, job, plan, oracles, labs, keys, seed, limits, out))
            if not pending:
                break
            finished, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for f in finished:
                stem = f.result()
                if stem is not None:
                    written.add(stem)
                    bar.update(1)
            if stop.requested:
                stopped_at = stopped_at or time.monotonic()
                if time.monotonic() - stopped_at > STOP_SECONDS:
                    break
    except BaseException:        # the run ends here (a second Ctrl-C, a full disk): so do its workers
        client.stop_all()
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        bar.close()
    return written


def grade_one(job: Job, plan: Plan, oracles: Oracles, labs, keys, seed, limits: Limits, out: Path) -> str | None:
    """Grade one student's stale labs and write their files; the stem, or None when the run was
    interrupted meanwhile (then nothing is written: its workers may have been killed mid-grading,
    and the rerun grades it)."""
    try:
        fresh = grade_submission(job.student.folder, plan, oracles, limits, labs=list(job.todo))
        data, page = records.combine(job.student, labs, job.stored, fresh, keys, job.hashes, seed)
    except Exception as e:   # one student's failure is recorded, never fatal to the batch
        if client.STOP.is_set():
            return None
        data, page = records.failed(job.student, f"{type(e).__name__}: {e}")
    if client.STOP.is_set():
        return None
    records.write(out, job.stem, data, page)
    return job.stem


def write_outputs(out: Path, manifest: dict, entries: list[dict], export: Export | None, show: Progress) -> dict:
    """gradebook.csv, the LMS file, report.html and the manifest, from the results JSON of the
    graded students (read one at a time); returns the summary. Shared by grade_class and merge."""
    labs = manifest["labs"]
    stats = class_report.ClassStats(labs)
    rows = []
    for e in entries:
        data = records.read(out / f"{e['stem']}.json") if e["graded"] else None
        if data is not None:
            rows.append(gradebooks.row(data, labs))
            stats.add(data)
    gradebooks.write_plain(out / "gradebook.csv", rows, labs)
    if export is not None:
        for w in gradebooks.write_lms(export.platform, out / f"gradebook-{export.platform}.csv", rows, labs,
                                      export.assignment, export.points):
            show.say(w)
    shard = f", shard {manifest['shard']}" if manifest.get("shard") else ""
    class_report.write(out / "report.html", stats, f"Class report: {', '.join(labs)}, seed {manifest['seed']}{shard}")
    state = out / STATE
    state.mkdir(exist_ok=True)
    tmp = state / "class.json.tmp"
    tmp.write_text(json.dumps(dict(manifest, students=entries), indent=1), encoding="utf-8")
    os.replace(tmp, state / "class.json")
    s = stats.summary()
    means = {lab: sum(v["values"]) / len(v["values"]) if v["values"] else 0.0 for lab, v in s["scores"].items()}
    return {"students": len(entries), "done": len(rows), "failed": [(f["student"], f["status"]) for f in s["failed"]],
            "mean_per_lab": means, "max_per_lab": {lab: v["max"] for lab, v in s["scores"].items()},
            "seed": manifest["seed"], "out": str(out), "export": export.platform if export else None}


def summary_text(s: dict, out: Path) -> str:
    if s.get("interrupted"):
        head = f"interrupted: {s['done']} of {s['students']} graded; rerun to continue"
    else:
        head = (f"Graded {s['students']} students ({s['graded_now']} now, {s['reused']} unchanged since the "
                f"last run) with seed {s['seed']}; {len(s['failed'])} failed to grade.")
    lines = [head]
    for student, status in s["failed"]:
        lines.append(f"  {student}: {status}")
    for lab, mean in s["mean_per_lab"].items():
        lines.append(f"  {lab:26s} mean {mean:6.1f} / {s['max_per_lab'][lab]:g}")
    extra = f", {out / ('gradebook-' + s['export'] + '.csv')}" if s.get("export") else ""
    lines.append(f"Gradebook: {out / 'gradebook.csv'}{extra}; report: {out / 'report.html'}; "
                 f"per student: {out}/<student>.json and .md; {s.get('seconds', 0):.0f} s")
    if s.get("interrupted"):
        lines.append(head)
    return "\n".join(lines)

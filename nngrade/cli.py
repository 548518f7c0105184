"""The command line behind every Make target: `python -m nngrade COMMAND ...`."""
from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


def _labs(arg) -> list[str]:
    from nngrade import names
    from nngrade.registry import available_labs
    if not arg:
        return available_labs()
    return [names.lab(a) for a in str(arg).replace(",", " ").split()]


def _submission(arg) -> Path:
    """The folder given, else labs/ where there is one (a checkout, a release), else the current
    folder (a hub or Colab, where the notebooks sit beside the student)."""
    if arg:
        return Path(arg)
    return Path("labs") if Path("labs").is_dir() else Path(".")


def grade_once(submission: Path, plan, limits, answers=None):
    """One submission graded with its own oracles (`answers`: a folder of answers computed ahead,
    used where they still hold): the lab results, and the answers' store or None."""
    from nngrade.engine import grade_submission
    from nngrade.oracles import Oracles
    store = None
    if answers:
        from nngrade.answers import attach
        store = attach(plan, answers)
    with Oracles(plan) as oracles:
        if limits.oracle_process:
            oracles.start()      # Keras in a second process (unless its answers are shipped)
        return grade_submission(submission, plan, oracles, limits), store


def cmd_grade(a) -> int:
    from nngrade import names, report
    from nngrade.config import Limits
    from nngrade.engine import submission_hash
    from nngrade.plan import Plan
    seed = a.seed if a.seed is not None else secrets.randbelow(10 ** 6)
    labs = _labs(a.lab)
    names.functions(labs, a.function, a.hidden)
    start = time.perf_counter()
    plan = Plan(labs, seed, a.hidden, a.function, a.oracles)
    results, store = grade_once(_submission(a.submission), plan, Limits().with_settings(a.limit), a.answers)
    seconds = time.perf_counter() - start
    paths = [r.path for r in results if r.path]
    extra = {"submission_sha256": submission_hash(paths)}
    if store is not None:    # which labs' answers held, and how many were taken from them
        extra["shipped_answers"] = {"labs": sorted(store.labs), "used": store.used}
    data = report.results_json(results, seed, seconds, extra)
    report.write_json(a.out, data)
    print(report.table(results, seed))
    text = report.details(results, verbose=a.verbose)
    if text and not a.quiet:
        print("\n" + text)
    print(f"\nResults written to {a.out} in {seconds:.1f} s")
    _warn_outside_range()
    return 0


def _warn_outside_range():
    from nngrade.versions import outside
    bad = outside(dev=False)
    if bad:
        print("\nNote: graded with packages outside the supported range (`python -m nngrade versions`): "
              + "; ".join(bad) + ". The class's grades come from a set inside it.")


def _export(a):
    from nngrade.classroom import Export
    if not a.gradebook:
        return None
    return Export(a.gradebook, a.assignment or "nnlabs", a.points)


def cmd_grade_class(a) -> int:
    from nngrade.classroom import grade_class, summary_text
    from nngrade.roster import parse_shard
    source = a.source or a.submissions
    if not source or not Path(source).exists():
        raise SystemExit(f"grade-class: no submissions at {source!r}: give a folder of student folders, or with "
                         "--from, an LMS's bulk download (its folder or the zip)")
    try:
        shard = parse_shard(a.shard)
    except ValueError as e:
        raise SystemExit(f"grade-class: {e}") from None
    out = Path(a.out)
    from nngrade.config import Limits
    try:
        s = grade_class(Path(source), _labs(a.lab), out, a.seed, a.hidden, a.jobs, progress=not a.no_progress,
                        limits=Limits(zygote=True).with_settings(a.limit), platform=a.platform, shard=shard,
                        export=_export(a))
    except KeyboardInterrupt:    # a second Ctrl-C: stopped at once (every process of the run is ended)
        print("interrupted twice: stopped without writing the gradebook; rerun to continue")
        return 130
    print(summary_text(s, out))
    return 130 if s["interrupted"] else 0


def cmd_merge(a) -> int:
    from nngrade.classroom import summary_text
    from nngrade.merge import merge
    out = Path(a.out)
    try:
        s = merge([Path(d) for d in a.dirs], out, _export(a))
    except ValueError as e:      # not a grade-class output, or shards graded differently
        raise SystemExit(f"merge: {e}") from None
    print(summary_text(s, out))
    return 0


def _gradebook_options(p):
    p.add_argument("--gradebook", choices=["canvas", "moodle", "blackboard"], default=None,
                   help="also write gradebook-<platform>.csv, the LMS's grade import file (one assignment column)")
    p.add_argument("--assignment", default=None, help="the assignment column's title (default: nnlabs)")
    p.add_argument("--points", type=float, default=None,
                   help="scale each student's total to this many points (default: the labs' points)")


def cmd_gradescope(a) -> int:
    from nngrade.classroom import DEFAULT_CLASS_SEED
    from nngrade.gradescope import build
    labs = _labs(a.lab) if a.lab else None
    root = Path(__file__).resolve().parent.parent
    dest = build(Path(a.out), root, DEFAULT_CLASS_SEED if a.seed is None else a.seed, labs,
                 Path(a.hidden) if a.hidden else None)
    from nngrade.answers import pinned_differences
    differ = pinned_differences(root)
    if differ:
        print("Note: the shipped answers were computed with " + ", ".join(differ) + "; the autograder's "
              "setup.sh computes them again with the pinned versions (a slower image build)")
    print(f"wrote {dest}: upload it as the assignment's autograder (Configure Autograder > Zip file upload)")
    return 0


def cmd_answers(a) -> int:
    from nngrade.answers import refresh
    stale = refresh(Path(a.folder), _labs(a.lab), a.seed, a.hidden)
    print(f"answers in {a.folder}: " + (f"computed again for {', '.join(stale)}" if stale else "all hold"))
    return 0


def cmd_release(a) -> int:
    from nngrade.release import build, lab_list
    labs = lab_list(a.labs)
    dest = build(Path(__file__).resolve().parent.parent, Path(a.dest), labs, a.grader_url)
    print(f"wrote the student release of {', '.join(labs)} to {dest}")
    return 0


def cmd_update(a) -> int:
    from nngrade.release import update
    for line in update(Path(a.source), Path(".")):
        print(line)
    return 0


def cmd_conventions(a) -> int:
    from nngrade.conventions import write
    return write(Path(a.out), check=a.check)


def cmd_bench(a) -> int:
    from nngrade import bench, bench_class
    if not a.class_only:
        res = bench.run(seed=a.seed, students=a.students, runs=a.runs)
        print(bench.table(res))
        if res["published"]:
            print("\nwritten to docs/bench.json and the README's performance section")
        else:
            print(f"\nnot published ({res['why_not_published']}): written to dist/bench-busy.json only")
    print(bench_class.table(bench_class.run(a.class_size)))   # a generated class of 1,000
    print("\nwritten to docs/bench-class.json and the README's \"Grading a class\" section")
    return 0


def cmd_labs(a) -> int:
    from nngrade.notebooks import generate_all
    return generate_all(Path("solutions"), Path("labs"), force=a.force, check=a.check)


def cmd_contract(a) -> int:
    from nngrade import architecture
    from nngrade.docs import write_contract_page
    stale = write_contract_page(Path(a.out), check=a.check)
    return stale | architecture.write(Path(a.out).with_name("architecture.md"), check=a.check)


def cmd_mutants(a) -> int:
    from nngrade.mutants import run_lab, summary
    labs = [lab for lab in _labs(a.lab) if Path("solutions", f"{lab}.ipynb").exists()]
    text, ok = summary({lab: run_lab(lab) for lab in labs})
    print(text)
    return 0 if ok else 1


def cmd_new_lab(a) -> int:
    import subprocess
    from nngrade.newlab import scaffold
    from nngrade.notebooks import generate_all
    root = Path(__file__).resolve().parent.parent
    try:
        written = scaffold(root, a.lab, a.title)
    except (FileExistsError, ValueError) as e:
        print(f"new-lab: {e}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path.relative_to(root)}")
    generate_all(root / "solutions", root / "labs")          # its student notebook
    subprocess.run([sys.executable, "-m", "nngrade", "contract"], cwd=root, check=True)   # a new process: it finds the lab
    print(f"Next: edit the files above (docs/adding-a-lab.md), then `make labs`, `make contract`, "
          f"`make mutants LAB={a.lab[3:5]}` and `make test`.")
    return 0


def cmd_limits(a) -> int:
    from nngrade.config import Limits
    print(Limits.describe())
    return 0


def cmd_versions(a) -> int:
    from nngrade.versions import main as versions
    return versions()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m nngrade", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("grade", help="grade one submission folder")
    g.add_argument("--submission", default=None,
                   help="folder holding the notebooks (default: labs/ if there is one, else the current folder)")
    g.add_argument("--lab", default=None, help="lab number(s), e.g. 02 or '01 03' (default: all)")
    g.add_argument("--out", default="results.json", help="results JSON (Gradescope's schema)")
    g.add_argument("--seed", type=int, default=None, help="the inputs' seed (default: a new one)")
    g.add_argument("--hidden", default=None, help="folder of hidden checks")
    g.add_argument("--quiet", action="store_true", help="the table only")
    g.add_argument("--verbose", action="store_true",
                   help="also say where PyTorch and Keras differ on a check (it costs nothing)")
    g.add_argument("--function", action="append", default=[], help="grade only this function (repeatable)")
    g.add_argument("--oracles", choices=["both", "primary"], default="both",
                   help="both (default, the official grade): every check also runs the other framework; "
                        "primary: only the deciding one (a quick run: a PyTorch-decided lab then needs no "
                        "TensorFlow)")
    g.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE",
                   help="set one of the grader's limits for this run (repeatable; `limits` lists them)")
    g.add_argument("--answers", default=None,
                   help="folder of oracle answers computed ahead (the Gradescope autograder ships one): "
                        "used where the seed, the frameworks' versions and the lab's checks still match")
    g.set_defaults(run=cmd_grade)

    gc = sub.add_parser("grade-class", help="grade a class: every sub-folder of a folder, or an LMS's bulk download")
    gc.add_argument("source", nargs="?", default=None,
                    help="folder of student folders; with --from, the LMS's bulk download (folder or zip)")
    gc.add_argument("--submissions", default=None, help="the same as SOURCE")
    gc.add_argument("--from", dest="platform", choices=["canvas", "moodle", "blackboard"], default=None,
                    help="SOURCE is this LMS's bulk download of the assignment: its files are grouped into "
                         "students by the platform's naming")
    gc.add_argument("--shard", default=None,
                    help="i/n: grade only shard i (0 <= i < n) of the class, by a hash of each student's name; "
                         "`merge` combines the shards' outputs")
    gc.add_argument("--lab", default=None, help="lab number(s) (default: all)")
    gc.add_argument("--out", default="grades", help="output folder (default grades/)")
    gc.add_argument("--seed", type=int, default=None, help="the class's seed (default: fixed, 2026)")
    gc.add_argument("--hidden", default=None, help="folder of hidden checks")
    gc.add_argument("--jobs", type=int, default=None, help="students graded at once (default: cores)")
    gc.add_argument("--no-progress", action="store_true", help="no progress bar")
    gc.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE",
                    help="set one of the grader's limits for this run (repeatable; `limits` lists them)")
    _gradebook_options(gc)
    gc.set_defaults(run=cmd_grade_class)

    mg = sub.add_parser("merge", help="combine the outputs of grade-class --shard runs into one")
    mg.add_argument("dirs", nargs="+", help="the shards' output folders")
    mg.add_argument("--out", required=True, help="the merged output folder (may be one of the shards')")
    _gradebook_options(mg)
    mg.set_defaults(run=cmd_merge)

    gs = sub.add_parser("gradescope", help="build the Gradescope autograder zip")
    gs.add_argument("--lab", default=None, help="the assignment's lab number(s) (default: all)")
    gs.add_argument("--out", default="dist/gradescope_autograder.zip")
    gs.add_argument("--seed", type=int, default=None, help="the assignment's seed (default: 2026)")
    gs.add_argument("--hidden", default=None, help="folder of hidden checks to bundle")
    gs.set_defaults(run=cmd_gradescope)

    an = sub.add_parser("answers", help="compute the oracle answers of a seed ahead, where the stored ones "
                                         "no longer hold (the Gradescope autograder's setup.sh runs it)")
    an.add_argument("--folder", required=True, help="the answers' folder (one file per lab)")
    an.add_argument("--seed", type=int, required=True)
    an.add_argument("--lab", default=None, help="lab number(s) (default: all)")
    an.add_argument("--hidden", default=None, help="folder of hidden checks")
    an.set_defaults(run=cmd_answers)

    r = sub.add_parser("release", help="write the student repository (no solutions, no instructor tests)")
    r.add_argument("--dest", required=True)
    r.add_argument("--labs", default=None, help="the labs to release: '01-03', '1,2,5' (default: all)")
    r.add_argument("--grader-url", default=None,
                   help="what the notebooks' first cell pip-installs on Colab or a hub without the grader: "
                        "where students get this release (git+https://github.com/course/nnlabs-student, or a "
                        "wheel's address)")
    r.set_defaults(run=cmd_release)

    u = sub.add_parser("update", help="bring a new release's labs in without overwriting your answers")
    u.add_argument("--from", dest="source", required=True, help="the new release's folder")
    u.set_defaults(run=cmd_update)

    cv = sub.add_parser("conventions", help="measure PyTorch against Keras and write docs/conventions.md")
    cv.add_argument("--out", default="docs/conventions.md")
    cv.add_argument("--check", action="store_true", help="fail if the page is stale")
    cv.set_defaults(run=cmd_conventions)

    b = sub.add_parser("bench", help="measure grading against the nbgrader/otter way (nbclient)")
    b.add_argument("--seed", type=int, default=1)
    b.add_argument("--students", type=int, default=50)
    b.add_argument("--runs", type=int, default=3, help="runs of each timing; the median is reported")
    b.add_argument("--class-only", action="store_true", help="only the generated class (nngrade/bench_class.py)")
    b.add_argument("--class-size", type=int, default=1000, help="its size (default 1000)")
    b.set_defaults(run=cmd_bench)

    lb = sub.add_parser("labs", help="generate labs/ from solutions/")
    lb.add_argument("--force", action="store_true", help="overwrite notebooks a student has edited")
    lb.add_argument("--check", action="store_true", help="only report notebooks out of sync")
    lb.set_defaults(run=cmd_labs)

    c = sub.add_parser("contract", help="write docs/labs.md (the graded functions of each lab) and docs/architecture.md")
    c.add_argument("--out", default="docs/labs.md")
    c.add_argument("--check", action="store_true", help="fail if the page is stale")
    c.set_defaults(run=cmd_contract)

    m = sub.add_parser("mutants", help="grade every mutant and valid alternative in tests/labs/<lab>/mutants.py")
    m.add_argument("--lab", default=None, help="lab number(s) (default: all)")
    m.set_defaults(run=cmd_mutants)

    nl = sub.add_parser("new-lab", help="the files of a new lab, with one example function that grades green")
    nl.add_argument("lab", help="its name, labNN_topic (e.g. lab10_regularization)")
    nl.add_argument("--title", default=None, help="the notebook's title (default: Lab NN: Topic)")
    nl.set_defaults(run=cmd_new_lab)

    lm = sub.add_parser("limits", help="every limit of the grader with its default and help text")
    lm.set_defaults(run=cmd_limits)

    v = sub.add_parser("versions", help="the installed NumPy, torch, TensorFlow, Keras... against the supported range")
    v.set_defaults(run=cmd_versions)

    a = p.parse_args(argv)
    from nngrade.names import UnknownName
    try:
        return a.run(a)
    except UnknownName as e:          # a mistyped lab or function: one line, as argparse does
        print(f"{p.prog} {a.command}: {e}", file=sys.stderr)
        return 2
    except ValueError as e:
        if not str(e).startswith("--limit"):
            raise
        p.error(str(e))


if __name__ == "__main__":
    sys.exit(main())

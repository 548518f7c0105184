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


def cmd_grade(a) -> int:
    from nngrade import report
    from nngrade.config import Limits
    from nngrade.engine import Plan, grade_submission, submission_hash

    from nngrade import names
    seed = a.seed if a.seed is not None else secrets.randbelow(10 ** 6)
    labs = _labs(a.lab)
    names.functions(labs, a.function, a.hidden)
    start = time.perf_counter()
    plan = Plan(labs, seed, a.hidden, a.function, a.oracles)
    results = grade_submission(_submission(a.submission), plan, Limits())
    seconds = time.perf_counter() - start
    paths = [r.path for r in results if r.path]
    data = report.results_json(results, seed, seconds, {"submission_sha256": submission_hash(paths)})
    report.write_json(a.out, data)
    print(report.table(results, seed))
    text = report.details(results)
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


def cmd_grade_class(a) -> int:
    from nngrade.classroom import grade_class, summary_text
    out = Path(a.out)
    s = grade_class(Path(a.submissions), _labs(a.lab), out, a.seed, a.hidden, a.jobs,
                    progress=not a.no_progress)
    print(summary_text(s, out))
    return 0


def cmd_gradescope(a) -> int:
    from nngrade.classroom import DEFAULT_CLASS_SEED
    from nngrade.gradescope import build
    labs = _labs(a.lab) if a.lab else None
    dest = build(Path(a.out), Path(__file__).resolve().parent.parent,
                 DEFAULT_CLASS_SEED if a.seed is None else a.seed, labs, Path(a.hidden) if a.hidden else None)
    print(f"wrote {dest}: upload it as the assignment's autograder (Configure Autograder > Zip file upload)")
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
    from nngrade import bench
    res = bench.run(seed=a.seed, students=a.students)
    print(bench.table(res))
    print("\nwritten to docs/bench.json and the README's performance section")
    return 0


def cmd_labs(a) -> int:
    from nngrade.notebooks import generate_all
    return generate_all(Path("solutions"), Path("labs"), force=a.force, check=a.check)


def cmd_contract(a) -> int:
    from nngrade.docs import write_contract_page
    return write_contract_page(Path(a.out), check=a.check)


def cmd_mutants(a) -> int:
    from nngrade.mutants import run_lab, summary
    labs = [lab for lab in _labs(a.lab) if Path("solutions", f"{lab}.ipynb").exists()]
    text, ok = summary({lab: run_lab(lab) for lab in labs})
    print(text)
    return 0 if ok else 1


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
    g.add_argument("--function", action="append", default=[], help="grade only this function (repeatable)")
    g.add_argument("--oracles", choices=["both", "primary"], default="both",
                   help="both (default, the official grade): every check also runs the other framework; "
                        "primary: only the deciding one (a quick run: a PyTorch-decided lab then needs no "
                        "TensorFlow)")
    g.set_defaults(run=cmd_grade)

    gc = sub.add_parser("grade-class", help="grade every sub-folder of a folder (one per student)")
    gc.add_argument("--submissions", required=True, help="folder of student folders")
    gc.add_argument("--lab", default=None, help="lab number(s) (default: all)")
    gc.add_argument("--out", default="grades", help="output folder (default grades/)")
    gc.add_argument("--seed", type=int, default=None, help="the class's seed (default: fixed, 2026)")
    gc.add_argument("--hidden", default=None, help="folder of hidden checks")
    gc.add_argument("--jobs", type=int, default=None, help="students graded at once (default: cores)")
    gc.add_argument("--no-progress", action="store_true", help="no progress bar")
    gc.set_defaults(run=cmd_grade_class)

    gs = sub.add_parser("gradescope", help="build the Gradescope autograder zip")
    gs.add_argument("--lab", default=None, help="the assignment's lab number(s) (default: all)")
    gs.add_argument("--out", default="dist/gradescope_autograder.zip")
    gs.add_argument("--seed", type=int, default=None, help="the assignment's seed (default: 2026)")
    gs.add_argument("--hidden", default=None, help="folder of hidden checks to bundle")
    gs.set_defaults(run=cmd_gradescope)

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
    b.set_defaults(run=cmd_bench)

    lb = sub.add_parser("labs", help="generate labs/ from solutions/")
    lb.add_argument("--force", action="store_true", help="overwrite notebooks a student has edited")
    lb.add_argument("--check", action="store_true", help="only report notebooks out of sync")
    lb.set_defaults(run=cmd_labs)

    c = sub.add_parser("contract", help="write docs/labs.md, the graded functions of each lab")
    c.add_argument("--out", default="docs/labs.md")
    c.add_argument("--check", action="store_true", help="fail if the page is stale")
    c.set_defaults(run=cmd_contract)

    m = sub.add_parser("mutants", help="grade every mutant and valid alternative in tests/mutants/")
    m.add_argument("--lab", default=None, help="lab number(s) (default: all)")
    m.set_defaults(run=cmd_mutants)

    v = sub.add_parser("versions", help="the installed NumPy, torch, TensorFlow, Keras... against the supported range")
    v.set_defaults(run=cmd_versions)

    a = p.parse_args(argv)
    from nngrade.names import UnknownName
    try:
        return a.run(a)
    except UnknownName as e:          # a mistyped lab or function: one line, as argparse does
        print(f"{p.prog} {a.command}: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""Checks from inside a notebook: `check()` grades the saved notebook this kernel belongs to.

    from nngrade.selfcheck import check
    check("sigmoid")        # one function (or several: check("relu", "relu_grad"))
    check()                 # the whole lab

The grader reads files, so `check()` grades the notebook as saved, the file `make grade` reads,
in a separate process (the student's kernel never holds the grader or the frameworks), with the
same worker, checks and feedback. It prints a short report of the asked functions only and
returns a `Report`, whose repr is one line. When this kernel's definition of a function differs
from the saved file's, it says so first ("save the notebook: the grader reads the file").

Which file: the one the front end names (jupyter_server's `JPY_SESSION_NAME`, IPython's
`__session__`, VS Code's `__vsc_ipynb_file__`); on Colab, the notebook as Colab holds it (there
is no file on the machine); else the lab's notebook in the current folder, chosen as
`make grade` chooses (`nngrade.load`). `check(notebook="labs/lab02_activations.ipynb")` names it.
A mistyped function or lab gets one line ("no graded function `msee` in lab03_losses; did you
mean `mse`?"), not a silent 0/0.
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from nngrade import load, names

SAVE = "save the notebook: the grader reads the file"


class NotFound(ValueError):
    """No saved notebook to grade; the message says where check() looked."""


@dataclass
class Report:
    """What one `check()` found. `text` is the printed report; `results` the results JSON
    (Gradescope's schema, as `make grade` writes it); `error` the one line when nothing was graded."""
    lab: str | None = None
    notebook: Path | None = None
    score: float = 0.0
    max_score: float = 0.0
    functions: dict = field(default_factory=dict)      # function -> (score, max_score)
    results: dict = field(default_factory=dict)
    text: str = ""
    error: str | None = None
    printed_in: int | None = None      # the notebook cell (execution count) that printed `text`

    def __repr__(self) -> str:
        if self.error:
            return f"<check: {self.error}>"
        return f"<check {self.lab}: {self.score:g}/{self.max_score:g} from the saved {self.notebook.name}>"

    def _ipython_display_(self):
        """Jupyter shows a cell's last value: in the cell that ran check() the report is printed
        already, so nothing more is shown; elsewhere (`r` in a later cell) the report is."""
        if _execution_count() != self.printed_in:
            print(self.text)


def check(*functions, lab=None, seed=None, notebook=None, quiet=False, oracles="primary") -> Report:
    """Grade `functions` (default: every graded function of the lab) of the saved notebook, as
    `make grade` would; print the short report and return it. `oracles="primary"` (the default):
    only the framework that decides each check answers, so a lab PyTorch decides needs no
    TensorFlow (a quick run; the frameworks agree wherever a check does not say they differ);
    "both" as `make grade`. Without a `seed`, the inputs are the practice seed's
    (`answers.PRACTICE_SEED`), whose oracle answers are kept in this installation once computed
    (`answers.keep`, in the background after the first check of a lab): later checks then wait
    for no framework."""
    try:
        lab, path, notes = locate(functions, lab, notebook)
        names.functions([lab], functions)
    except (names.UnknownName, NotFound) as e:
        report = Report(lab=lab if isinstance(lab, str) else None, error=str(e), text=str(e))
    else:
        shown = _shown(path)
        data, text = _grade(path, lab, functions, seed, shown, oracles)
        head = notes + unsaved(path, lab, functions)
        report = Report(lab, path, data.get("score", 0.0), data.get("max_score", 0.0), per_function(data), data,
                        "\n".join([f"! {n}" for n in head] + [text]).strip())
    if not quiet:
        print(report.text)
        report.printed_in = _execution_count()
    return report


# -- which notebook ------------------------------------------------------------------------
def _shell():
    """The IPython shell this runs in, or None (plain Python; IPython not even installed)."""
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None


def _execution_count():
    shell = _shell()
    return getattr(shell, "execution_count", None) if shell is not None else None


def session_files() -> list[Path]:
    """The notebook files the front end says this kernel belongs to, that exist. A relative
    `JPY_SESSION_NAME` is relative to the server's root, and the kernel starts in the
    notebook's folder: its name is looked up there too."""
    shell = _shell()
    ns = shell.user_ns if shell is not None else {}
    said = [os.environ.get("JPY_SESSION_NAME"), ns.get("__session__"), ns.get("__vsc_ipynb_file__")]
    out = []
    for value in said:
        if not isinstance(value, str) or not value.endswith(".ipynb"):
            continue
        p = Path(value)
        found = next((c for c in ([p] if p.is_absolute() else [Path.cwd() / p, Path.cwd() / p.name]) if c.is_file()),
                     None)
        if found is not None and found not in out:
            out.append(found)
    return out


def locate(functions, lab=None, notebook=None) -> tuple[str, Path, list[str]]:
    """(lab, the saved notebook to grade, notes on what else was found)."""
    lab = names.lab(lab) if lab is not None else None
    if notebook is not None:
        path = Path(notebook)
        if not path.is_file():
            raise NotFound(f"no notebook {notebook}")
        return lab or load.lab_of(path.name) or names.which_lab(functions), path, []
    for path in session_files():
        own = load.lab_of(path.name)
        if own and lab in (None, own):
            return own, path, []
    colab = colab_notebook()
    if colab is not None:
        lab = lab or names.which_lab(functions)
        return lab, colab, [f"graded the notebook as Colab holds it ({lab})"]
    here = {load.lab_of(p.name) for p in Path.cwd().glob("*.ipynb")} - {None}
    lab = lab or (here.pop() if len(here) == 1 else names.which_lab(functions))
    nb = load.find(Path.cwd(), [lab])[lab]
    if nb.path is None:
        raise NotFound(f"no saved {lab[:5]} notebook here ({Path.cwd()}): check() grades the saved notebook; "
                       f"run it in the lab's notebook, or name the file: check(notebook='path/to/{lab}.ipynb')")
    return lab, nb.path, nb.notes


def colab_notebook() -> Path | None:
    """On Colab the notebook lives in Drive or the browser, not on this machine: Colab hands the
    kernel its JSON on request (`get_ipynb`), written here to a file for the grader."""
    if "google.colab" not in sys.modules:
        return None
    from google.colab import _message     # noqa: the front end's own channel
    data = _message.blocking_request("get_ipynb", request="", timeout_sec=30)
    if not isinstance(data, dict) or not isinstance(data.get("ipynb"), dict):
        return None
    path = Path(tempfile.gettempdir()) / f"nngrade-colab-{os.getpid()}.ipynb"     # one per kernel, rewritten
    path.write_text(json.dumps(data["ipynb"]), encoding="utf-8")
    return path


def _shown(path: Path) -> str:
    """The notebook's path as the student knows it: relative to the current folder if inside."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


# -- is the kernel's code the saved code? ---------------------------------------------------
def kernel_cells() -> list[str]:
    """The cells this kernel has run, in the order it ran them (IPython's input history)."""
    shell = _shell()
    return [c for c in shell.user_ns.get("In", [])[1:] if isinstance(c, str)] if shell is not None else []


def unsaved(path: Path, lab: str, functions) -> list[str]:
    """A note when a function this kernel ran is not the saved file's: the graded functions and
    the file's own definitions (helpers). What the kernel ran and the file never had beyond those
    (the framework comparisons, scratch work) is none of the grader's business."""
    from nngrade.contract import FUNCTIONS
    from nngrade.extract import extract
    ran = kernel_cells()
    if not ran:
        return []
    saved = extract(load.read(lab, path).cells).functions
    mine = extract(ran).functions
    graded = set(functions or FUNCTIONS.get(lab, ()))
    differ = [(n, saved[n].cell + 1 if n in saved else None) for n, unit in mine.items()
              if (n in saved or n in graded) and not (n in saved and _same(unit.source, saved[n].source))]
    if not differ:
        return []
    where = ", ".join(f"`{n}` (cell {c})" if c else f"`{n}` (not in the file)" for n, c in differ)
    return [f"{SAVE}. This kernel's {where} {'is' if len(differ) == 1 else 'are'} not what {path.name} holds "
            "(or you changed the cell and have not run it); this report is about the saved file."]


def _same(a: str, b: str) -> bool:
    """Equal code, whatever the comments and blank lines."""
    try:
        return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))
    except SyntaxError:
        return a.strip() == b.strip()


def per_function(data: dict) -> dict:
    out: dict = {}
    for t in data.get("tests", []):
        fn = t["name"].split(".", 1)[1].split(":", 1)[0]
        s, m = out.get(fn, (0.0, 0.0))
        out[fn] = (s + t["score"], m + t["max_score"])
    return out


# -- the grading call ------------------------------------------------------------------------
def _grade(path: Path, lab: str, functions, seed, shown: str, oracles: str) -> tuple[dict, str]:
    """The one call that grades: `python -m nngrade.selfcheck` in a new process, on the saved
    file. Returns the results JSON and the short report."""
    from nngrade import answers
    kept = seed is None
    seed = answers.PRACTICE_SEED if kept else seed
    with tempfile.TemporaryDirectory(prefix="nngrade-check-") as tmp:
        out = Path(tmp) / "results.json"
        cmd = [sys.executable, "-m", "nngrade.selfcheck", "--notebook", str(path), "--shown", shown, "--lab", lab,
               "--out", str(out), "--seed", str(seed), "--oracles", oracles]
        cmd += ["--answers", str(answers.cache_folder())] if kept else []
        for f in functions:
            cmd += ["--function", f]
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", TF_ENABLE_ONEDNN_OPTS="0")
        env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH", "")])
        p = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if kept:
            answers.keep(answers.cache_folder(), lab, seed, env)
        if p.returncode or not out.exists():
            return {}, f"the grader failed (exit code {p.returncode}):\n{p.stderr[-2000:]}"
        return json.loads(out.read_text(encoding="utf-8")), p.stdout.strip()


def short_report(results: list, seed: int) -> str:
    """The table of the graded functions, what to fix, and a note when a package lies outside
    the supported range (a hub's own versions); not the sandbox line, not where results went."""
    from nngrade import report
    from nngrade.versions import outside
    parts = [report.table(results, seed, again="check(..., seed={seed})", sandbox=False).strip(),
             report.details(results)]
    bad = outside(dev=False)
    if bad:
        parts.append("Note: packages outside the supported range (`python -m nngrade versions`): " + "; ".join(bad))
    return "\n\n".join(p for p in parts if p)


def main(argv=None) -> int:
    """`python -m nngrade.selfcheck --notebook FILE --lab NN ...`: grade one saved notebook
    file (whatever its name) as lab NN; print the short report, write the results JSON."""
    import argparse
    import secrets
    import shutil
    import time
    from nngrade import report
    from nngrade.config import Limits
    from nngrade.cli import grade_once
    from nngrade.plan import Plan
    p = argparse.ArgumentParser(prog="python -m nngrade.selfcheck")
    p.add_argument("--notebook", required=True)
    p.add_argument("--shown", default=None, help="the notebook's name in the report")
    p.add_argument("--lab", required=True)
    p.add_argument("--function", action="append", default=[])
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--out", required=True)
    p.add_argument("--oracles", choices=["primary", "both"], default="both")
    p.add_argument("--answers", default=None, help="a folder of answers computed ahead")
    a = p.parse_args(argv)
    lab = names.lab(a.lab)
    seed = a.seed if a.seed is not None else secrets.randbelow(10 ** 6)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nngrade-check-") as tmp:
        shutil.copyfile(a.notebook, Path(tmp) / f"{lab}.ipynb")      # graded under the lab's own name
        plan = Plan([lab], seed, functions=a.function or None, oracles=a.oracles)
        results, store = grade_once(Path(tmp), plan, Limits(), a.answers)
    for r in results:
        r.path = Path(a.shown or a.notebook)
    extra = None if store is None else {"shipped_answers": {"labs": sorted(store.labs), "used": store.used}}
    report.write_json(a.out, report.results_json(results, seed, time.perf_counter() - start, extra))
    print(short_report(results, seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Checks from inside a notebook: `check()` grades the definitions currently in the kernel.

    from nngrade.selfcheck import check
    check("sigmoid")        # one function (or several: check("relu", "relu_grad"))
    check()                 # the whole lab

It takes the cells this kernel has run (IPython's input history, in order), so the notebook
need not be saved, and runs the same command as `make grade` on them in a separate process,
with the same worker and the same feedback. The official grade is still `make grade` on the
saved notebook.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from nngrade.contract import FUNCTIONS
from nngrade.registry import lab_name


def _history() -> list[str]:
    try:
        from IPython import get_ipython
    except ImportError:
        get_ipython = None
    shell = get_ipython() if get_ipython else None
    if shell is None:
        raise RuntimeError("check() reads the cells this Jupyter kernel has run: call it from a notebook")
    return [c for c in shell.user_ns.get("In", [])[1:] if c.strip()]


def _guess_lab(functions) -> str:
    session = os.environ.get("JPY_SESSION_NAME", "")
    name = Path(session).name
    if name[:3].lower() == "lab" and name[3:5].isdigit():
        return lab_name(name[3:5])
    labs = [lab for lab, fs in FUNCTIONS.items() if all(f in fs for f in functions)] if functions else []
    if len(labs) == 1:
        return labs[0]
    raise ValueError("say which lab: check(lab='02') or check('sigmoid', lab='02')")


def check(*functions, lab=None, seed=None, history=None, quiet=False, oracles="primary") -> dict:
    """Grade `functions` (default: every function of the lab) as `make grade` would; prints the
    feedback and returns the results JSON. `oracles="primary"` (the default): only the framework
    that decides each check answers, so a lab PyTorch decides needs no TensorFlow (a quick run;
    the frameworks agree wherever a check does not say they differ); "both" as `make grade`.
    Without a `seed`, the inputs are the practice seed's (`answers.PRACTICE_SEED`), whose oracle
    answers are kept in this installation once computed (`answers.keep`, in the background after
    the first check of a lab): later checks then wait for no framework."""
    from nngrade import answers
    lab = lab_name(lab) if lab else _guess_lab(functions)
    kept = seed is None
    seed = answers.PRACTICE_SEED if kept else seed
    cells = history if history is not None else _history()
    with tempfile.TemporaryDirectory(prefix="nngrade-check-") as tmp:
        nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                         "source": c} for c in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        (Path(tmp) / f"{lab}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
        out = Path(tmp) / "results.json"
        cmd = [sys.executable, "-m", "nngrade", "grade", "--submission", tmp, "--lab", lab[3:5],
               "--out", str(out), "--oracles", oracles]
        cmd += ["--seed", str(seed)] + (["--answers", str(answers.cache_folder())] if kept else [])
        for f in functions:
            cmd += ["--function", f]
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", TF_ENABLE_ONEDNN_OPTS="0")
        env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parent.parent),
                                             env.get("PYTHONPATH", "")])
        p = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if kept:
            answers.keep(answers.cache_folder(), lab, seed, env)
        if not quiet:
            text = p.stdout.replace(f"{tmp}/", "").replace(tmp, "the kernel's cells")
            print(text.split("\nResults written to")[0].strip())
            if p.returncode:
                print(p.stderr[-2000:])
        return json.loads(out.read_text()) if out.exists() else {}

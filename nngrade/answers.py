"""Oracle answers computed ahead: shipped with the Gradescope autograder, used when they still hold.

On Gradescope the seed is fixed when the autograder is built, so the inputs of every check are
known then, and so is what PyTorch and Keras answer on them. `write` computes those answers on
the instructor's machine (both frameworks, in this process) and stores them, one file per lab:
`answers/<lab>.wire`. At grading time `load` reads them back and `Plan.cases`, `Oracles.expected`
and `Oracles.speed_reference` take them before they ask a framework, so grading a correct
submission needs no TensorFlow and no oracle process (Gradescope's default container has 768 MB
and half a CPU); torch is imported only where the student's own values need an oracle (a
stand-in, a custom comparison, a diagnosis of a wrong answer). `check()` keeps the answers of its
practice seed the same way, computed on the student's machine (`keep`, `cache_folder`).

An answer is used only while it is the one the frameworks would compute now: a lab's file holds
its key (the seed, the installed versions of the frameworks and of NumPy, and
`registry.lab_fingerprint(lab, hidden)`: the checks, drivers, oracles, input generators and
hidden checks), and a lab whose key differs is computed live, as without this module. Within a
lab, a check's answers are used only if its inputs are as many as when they were stored.

Also stored: each `SPEED` row's oracle time (for the speed notes), with the time of a fixed
NumPy workload on the same machine; at grading time the stored time is scaled by the ratio of
that workload's time here to its time there, so no framework is loaded to time it.

Files are `nngrade.wire` frames (a JSON header and raw array bytes; never pickle). Anything that
is not plain data (`wire.plain`) is not stored: it is computed live.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import numpy as np

from nngrade import labs as lab_packages
from nngrade import wire
from nngrade.oracle_client import MISSING
from nngrade.registry import Case, lab_fingerprint

FORMAT = 1
# the packages whose versions decide the answers, each with the distributions that provide it
VERSIONED = {"numpy": ("numpy",), "scipy": ("scipy",), "torch": ("torch",),
             "tensorflow": ("tensorflow", "tensorflow-cpu"), "keras": ("keras",), "scikit-learn": ("scikit-learn",)}
LIMIT = 64 * 1024 * 1024     # bytes of one lab's file
PRACTICE_SEED = 1            # check()'s inputs when it is given no seed (nngrade.selfcheck)
KEEP_SECONDS = 300           # a `keep` started this recently is not started again


def versions() -> dict:
    """The installed versions that decide the answers, read from package metadata (no import)."""
    out = {}
    for name, distributions in VERSIONED.items():
        out[name] = None
        for dist in distributions:
            try:
                out[name] = metadata.version(dist)
                break
            except metadata.PackageNotFoundError:
                continue
    return out


def key(lab: str, seed: int, hidden_dir=None) -> dict:
    return {"format": FORMAT, "lab": lab, "seed": int(seed), "versions": versions(),
            "fingerprint": lab_fingerprint(lab, hidden_dir)}


def calibration() -> float:
    """Seconds of a fixed single-threaded NumPy workload (elementwise, the best of five): the
    yardstick that carries an oracle's time from the machine that built the store to this one."""
    z = np.linspace(-5.0, 5.0, 400_000)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(4):
            np.tanh(z).sum()
            np.exp(-z * z).sum()
        best = min(best, time.perf_counter() - start)
    return best


def speed_oracle(lab: str, function: str, check):
    """The oracle a function's speed is measured against, as `engine.speed_notes` picks it:
    PyTorch where the lab has a PyTorch oracle for it, else the deciding one."""
    module = lab_packages.checks_module(lab)
    return next((c.torch for c in module.CHECKS if c.function == function and c.torch), check.oracle())


class Store:
    """The answers of some labs of one plan, read from their files: `get` one, `has` all of a check's."""

    def __init__(self, labs: dict, scale: float | None):
        self.labs = labs          # lab -> {"checks": {name: {"cases": n, which: [answers]}}, "speed": {...}}
        self.scale = scale        # this machine's calibration / the building machine's
        self.used = 0             # answers handed out (for the tests and the bench)

    def _entry(self, check, count: int):
        """The check's stored answers, if its inputs are as many as when they were stored."""
        entry = self.labs.get(check.lab, {}).get("checks", {}).get(check.name)
        return entry if entry is not None and entry.get("cases") == count else None

    def get(self, check, i: int, which: str, count: int):
        """The stored answer of `which` on case i of `check` (whose inputs are `count` cases), or MISSING."""
        entry = self._entry(check, count)
        if entry is None or which not in entry:
            return MISSING
        self.used += 1
        return entry[which][i]

    def has(self, check, which: str) -> bool:
        """Every answer of `which` for this check is here, with the inputs they answer (which the
        plan takes from here too: no framework is needed for them). Makes no input."""
        entry = self.labs.get(check.lab, {}).get("checks", {}).get(check.name)
        return entry is not None and "inputs" in entry and which in entry

    def inputs(self, check) -> list | None:
        """The check's inputs as stored (the same `Case`s its generator makes from the seed, which for
        some checks calls an oracle), or None."""
        entry = self.labs.get(check.lab, {}).get("checks", {}).get(check.name)
        if entry is None or "inputs" not in entry:
            return None
        return [Case(tuple(args), dict(kwargs), note) for args, kwargs, note in entry["inputs"]]

    def speed(self, lab: str, function: str):
        """The oracle's seconds on the function's large input, scaled to this machine, or None."""
        seconds = self.labs.get(lab, {}).get("speed", {}).get(function)
        if seconds is None:
            return None
        if self.scale is None:
            self.scale = calibration() / self.labs[lab]["calibration"]
        return seconds * self.scale


def _answers(oracles, check) -> dict:
    """The inputs of `check` and both oracles' answers on them, where they are plain data."""
    cases = oracles.plan.cases(check)
    n = len(cases)
    entry = {"cases": n}
    inputs = [[list(c.args), c.kwargs, c.note] for c in cases]
    if wire.plain(inputs):
        entry["inputs"] = inputs
    for which in ("torch", "keras"):
        if check.oracle(which) is None:
            continue
        values = [oracles.expected(check, i, which) for i in range(n)]
        if wire.plain(values):
            entry[which] = values
    return entry


def write(dest: Path, labs: list[str], seed: int, hidden_dir=None) -> list[Path]:
    """Compute and store every oracle answer of `labs` on `seed` (both frameworks, here), one file
    per lab in `dest`; the speed rows' oracle times with this machine's calibration."""
    from nngrade.oracles import Oracles
    from nngrade.plan import Plan
    oracles = Oracles(Plan(labs, seed, hidden_dir))
    plan = oracles.plan
    dest.mkdir(parents=True, exist_ok=True)
    yardstick = calibration()
    written = []
    for lab in labs:
        checks = plan.checks[lab]
        speed = {}
        for function, make_case in getattr(lab_packages.checks_module(lab), "SPEED", {}).items():
            check = next((c for c in checks if c.function == function), None)
            if check is not None:
                oracle = speed_oracle(lab, function, check)
                warm = make_case(np.random.default_rng(seed))
                oracle(*warm.args, **warm.kwargs)     # the first call of a framework pays for its warm-up
                _, speed[function] = oracles.speed_reference(lab, function, oracle, make_case)
        data = {"key": key(lab, seed, hidden_dir), "checks": {c.name: _answers(oracles, c) for c in checks},
                "speed": speed, "calibration": yardstick}
        path = dest / f"{lab}.wire"
        part = path.with_name(f"{path.name}.{os.getpid()}.part")
        encoded = wire.encode(data)
        wire.decode(encoded)            # within the wire's limits, or an error here rather than unused later
        part.write_bytes(encoded)
        os.replace(part, path)          # a reader sees the old file or the new one, never half of one
        written.append(path)
    return written


def load(folder: Path, labs: list[str], seed: int, hidden_dir=None) -> Store:
    """The stored answers of `labs` whose key still holds here (the others are left out: computed
    live). Reading costs no framework import."""
    good = {}
    for lab in labs:
        path = Path(folder) / f"{lab}.wire"
        try:
            if path.stat().st_size > LIMIT:
                continue
            data = wire.decode(path.read_bytes())
        except (OSError, wire.WireError):
            continue
        if isinstance(data, dict) and data.get("key") == key(lab, seed, hidden_dir):
            good[lab] = data
    return Store(good, None)


def refresh(folder: Path, labs: list[str], seed: int, hidden_dir=None) -> list[str]:
    """Compute again the labs whose stored answers no longer hold here (another seed, other
    versions, changed checks); returns them."""
    stale = [lab for lab in labs if lab not in load(folder, [lab], seed, hidden_dir).labs]
    if stale:
        write(Path(folder), stale, seed, hidden_dir)
    return stale


def cache_folder() -> Path:
    """Where this installation keeps the answers of check()'s practice seed: in its venv (whose
    versions they are), or NNGRADE_ANSWERS_CACHE."""
    return Path(os.environ.get("NNGRADE_ANSWERS_CACHE") or Path(sys.prefix) / "nngrade-answers")


def keep(folder: Path, lab: str, seed: int, env=None):
    """Compute a lab's answers on `seed` into `folder` in a process of its own (both frameworks),
    unless they hold there already or such a process started less than KEEP_SECONDS ago; returns
    that process, or None. check() calls it after each check of a lab."""
    folder = Path(folder)
    if lab in load(folder, [lab], seed).labs:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    started = folder / f"{lab}.started"
    try:
        if time.time() - started.stat().st_mtime < KEEP_SECONDS:
            return None
    except OSError:
        pass
    started.touch()
    return subprocess.Popen([sys.executable, "-m", "nngrade", "answers", "--folder", str(folder), "--seed", str(seed),
                             "--lab", lab[3:5]], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def pinned_differences(root: Path) -> list[str]:
    """The packages whose installed version is not the one `requirements-grader.txt` pins: answers
    computed here would not hold where that file is installed (the Gradescope image)."""
    out = []
    here = versions()
    for line in (root / "requirements-grader.txt").read_text().splitlines():
        line = line.split("#")[0].split(";")[0].strip()
        if "==" in line:
            name, pin = (s.strip() for s in line.split("=="))
            name = next((k for k, dists in VERSIONED.items() if name in dists), name)
            installed = here.get(name)
            if name in here and (installed or "").split("+")[0] != pin:
                out.append(f"{name} {installed} (pinned {pin})")
    return out


def attach(plan, folder) -> Store:
    """Give `plan` the answers stored in `folder` that still hold (see `load`): its inputs, and
    its `Oracles`' answers."""
    store = load(Path(folder), plan.labs, plan.seed, plan.spec.get("hidden"))
    plan.shipped = store
    return store

"""Hidden checks: extra registry rows an instructor keeps outside the repository.

`HIDDEN=dir` points at a folder of modules named as the labs (`lab02_activations.py`), each
with a list `CHECKS` of `nngrade.registry.Check` rows, the same API as the public checks.
Their feedback shows the check's name and points, never its inputs, unless the module sets
`SHOW_INPUTS = True`.
"""
from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path


def load_hidden(folder, lab: str) -> list:
    path = Path(folder) / f"{lab}.py"
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location(f"nngrade_hidden_{lab}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    show = bool(getattr(module, "SHOW_INPUTS", False))
    checks = list(module.CHECKS)
    for c in checks:
        c.hidden = not show
        if not c.what.startswith("hidden: "):
            c.what = "hidden: " + c.what
    return checks


def fingerprint(folder) -> str:
    """A hash of the hidden checks, so that a resumed class run notices when they change."""
    if not folder:
        return ""
    h = hashlib.sha256()
    for p in sorted(Path(folder).glob("*.py")):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:16]

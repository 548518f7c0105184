"""`make release DEST=dir LABS=01-03`: the repository students receive, and `update`, which
brings a later release into a student's copy without touching their answers.

A release holds the notebooks of the labs it names, the grading package with only those labs'
checks and drivers, the oracles those checks import, the install files, a student Makefile and
a student README; no solutions, no instructor tests, no mutants, no hidden checks, and no
other lab. A course releases lab01-03 in week one and lab04 later: `update` adds it.
"""
from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

from nngrade.notebooks import dumps, is_pristine, lines_of, stamped
from nngrade.registry import LABS, available_labs, lab_name, reference_modules

COPY = ["requirements.txt", "environment.yml", "pyproject.toml"]
# What each notebook's first cell pip-installs where the grader is missing (Colab, a hub): the
# solutions say this, and `make release GRADER_URL=...` puts the course's own address there
GRADER_PLACEHOLDER = "git+https://github.com/YOUR-COURSE/nnlabs-student"
SKIP = {"mutants.py", "bench.py", "bench_class.py", "newlab.py", "__pycache__"}   # instructor tools


def lab_list(text: str | None) -> list[str]:
    """'01-03', '1,2,5', '01 04-06' or None (every lab there is) -> lab names, in order."""
    if not text:
        return available_labs()
    chosen = set()
    for part in str(text).replace(",", " ").split():
        first, _, last = part.partition("-")
        lo, hi = lab_name(first), lab_name(last or first)
        chosen |= {lab for lab in LABS.values() if lo <= lab <= hi}
    missing = sorted(chosen - set(available_labs()))
    if missing:
        raise ValueError(f"no checks for {', '.join(missing)}: it cannot be released yet")
    return sorted(chosen)


def without_answers_of(nb: dict, lab: str, labs: list[str]) -> dict:
    """`lab`'s notebook with every given definition of a function graded in another lab of the
    release turned into a stub to fill with one's own (lab05 gives lab02's activations: in a
    release that also holds lab02, they would be lab02's answers). While `lab` is graded the
    grader stands in for those functions (`stand_ins.substitutes`), so they cost no points here."""
    from nngrade.contract import SIGNATURES
    elsewhere = {fn: other for other in labs if other != lab for fn in SIGNATURES.get(other, {})}
    elsewhere = {fn: other for fn, other in elsewhere.items() if fn not in SIGNATURES.get(lab, {})}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        stubbed = _stub_definitions(text, elsewhere)
        if stubbed != text:
            cell["source"] = lines_of(stubbed)
    return stamped(nb, f"labs/{lab}.ipynb")


def with_grader_url(nb: dict, url: str | None) -> dict:
    """`nb` with its install cell pointing at `url` (a pip requirement: `git+https://...`, a wheel's
    address) instead of the placeholder; unchanged when `url` is None."""
    if url:
        for cell in nb["cells"]:
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if cell["cell_type"] == "code" and GRADER_PLACEHOLDER in text:
                cell["source"] = lines_of(text.replace(GRADER_PLACEHOLDER, url))
    return nb


def _stub_definitions(text: str, elsewhere: dict) -> str:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    lines = text.split("\n")
    for node in reversed(tree.body):        # from the bottom: earlier line numbers stay right
        if not (isinstance(node, ast.FunctionDef) and node.name in elsewhere):
            continue
        first = node.body[0]
        keep = node.body[1] if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
            and isinstance(first.value.value, str) and len(node.body) > 1 else first   # after a docstring
        indent = " " * keep.col_offset
        body = [f"{indent}# your `{node.name}` from {elsewhere[node.name]} goes here: copy it from that notebook",
                f"{indent}# (while this lab is graded, the grader uses its own `{node.name}`)",
                f'{indent}raise NotImplementedError("{node.name}")']
        lines[keep.lineno - 1: node.end_lineno] = body
    return "\n".join(lines)


def _ignore_for(root: Path, labs: list[str]):
    other = {lab for lab in LABS.values() if lab not in labs}     # nngrade/labs/<lab>/: one package per lab
    wanted = {f"{m}.py" for m in reference_modules(root, labs)} | {"__init__.py"}

    def ignore(directory, names):
        d = Path(directory)
        out = [n for n in names if n in SKIP or n.endswith((".pyc", ".egg-info"))]
        if d.name == "labs" and d.parent.name == "nngrade":
            out += [n for n in names if n in other]
        if d.name == "reference":
            out += [n for n in names if n.endswith(".py") and n not in wanted]
        return out
    return ignore


def build(root: Path, dest: Path, labs: list[str] | None = None, grader_url: str | None = None) -> Path:
    labs = labs or available_labs()
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(f"{dest} exists and is not empty")
    dest.mkdir(parents=True, exist_ok=True)
    ignore = _ignore_for(root, labs)
    for name in ("nngrade", "reference"):
        shutil.copytree(root / name, dest / name, ignore=ignore)
    (dest / "labs").mkdir()
    for lab in labs:
        nb = with_grader_url(json.loads((root / "labs" / f"{lab}.ipynb").read_text(encoding="utf-8")), grader_url)
        (dest / "labs" / f"{lab}.ipynb").write_text(dumps(without_answers_of(nb, lab, labs)), encoding="utf-8")
    for name in COPY:
        shutil.copy2(root / name, dest / name)
    shutil.copy2(root / "docs" / "student-README.md", dest / "README.md")
    shutil.copy2(root / "docs" / "student-Makefile", dest / "Makefile")
    (dest / "docs").mkdir(exist_ok=True)
    from nngrade.docs import render
    (dest / "docs" / "labs.md").write_text(render(labs), encoding="utf-8")
    (dest / ".gitignore").write_text(".venv/\n__pycache__/\n*.egg-info/\nresults.json\n.ipynb_checkpoints/\n")
    return dest


def _stamp(path: Path) -> str | None:
    """The hash `make labs` stamped on a notebook when it generated it: which version it is."""
    import json
    try:
        return json.loads(path.read_text(encoding="utf-8"))["metadata"]["nngrade"]["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def update(release: Path, mine: Path) -> list[str]:
    """Bring `release`'s labs into `mine`: a new lab is copied; a lab you have not edited (run
    it all you like: outputs and metadata do not count) is replaced; a lab whose code or text
    you changed is kept, and the new version is written beside it as `updated_<name>` (not
    graded: the grader reads files named labNN_*). The grader, the Makefile and the README are
    replaced by the release's."""
    lines = []
    (mine / "labs").mkdir(exist_ok=True)
    for new in sorted((release / "labs").glob("lab[0-9][0-9]_*.ipynb")):
        target = mine / "labs" / new.name
        if not target.exists():
            shutil.copy2(new, target)
            lines.append(f"new lab: {target}")
        elif target.read_bytes() == new.read_bytes() or _stamp(target) == _stamp(new) is not None:
            continue          # the version you have (perhaps with your answers in it)
        elif is_pristine(target):
            shutil.copy2(new, target)
            lines.append(f"updated (you had not started it): {target}")
        else:
            side = target.with_name("updated_" + new.name)
            shutil.copy2(new, side)
            lines.append(f"kept your {target.name}; the new version is {side.name}: copy your answers "
                         "into it, then rename it")
    for name in ("nngrade", "reference"):
        shutil.rmtree(mine / name, ignore_errors=True)
        shutil.copytree(release / name, mine / name, ignore=lambda d, names: [n for n in names if n in SKIP])
    for name in ("Makefile", "README.md", *COPY, "docs/labs.md"):
        if (release / name).exists():
            (mine / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(release / name, mine / name)
    lines.append("updated the grader (nngrade/, reference/), the Makefile and the README")
    return lines

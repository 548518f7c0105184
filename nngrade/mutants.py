"""`make mutants`: prove the checks reject plausible wrong answers and accept right ones.

A catalog per lab, `tests/labs/<lab>/mutants.py`, lists `Mutant` rows (a wrong implementation a
student might write, and optionally a phrase the feedback must contain: the diagnosis, from
`nngrade.mistakes` or the lab's checks) and `Alternative` rows (a different but correct
implementation that must earn full points). A row's code is a patch of the solution's own
definition (`replace("np.mean(", "np.sum(")`: the mistake is the only difference, and a patch
that no longer applies fails loudly), or, where the mistake is a different way of writing the
whole function, its complete source. Each row is graded as the solution notebook with the row's
code appended as a last cell (a later definition replaces an earlier one), on the function it
names only, in a namespace of its own inside one worker.
"""
from __future__ import annotations

import importlib.util
import textwrap
from dataclasses import dataclass
from pathlib import Path

from nngrade import load
from nngrade.config import Limits
from nngrade.engine import grade_lab
from nngrade.oracles import Oracles
from nngrade.plan import Plan
from nngrade.student import Student

CATALOGS = Path("tests") / "labs"


@dataclass(frozen=True)
class Replace:
    """Replace `old` by `new` in the solution's definition of the row's function; `old` must occur
    exactly `count` times (every occurrence is replaced)."""
    old: str
    new: str
    count: int = 1


def replace(old: str, new: str, count: int = 1) -> tuple:
    """A row's code as one patch of the solution (several: `replace(...) + replace(...)`)."""
    return (Replace(old, new, count),)


class PatchError(Exception):
    """A patch that no longer applies to the solution: the row must be updated with it."""


@dataclass(frozen=True)
class Mutant:
    function: str
    mistake: str
    source: str | tuple           # the whole definition, or patches of the solution's (`replace`)
    expect: str | None = None     # a phrase the feedback must contain (a diagnosis)
    also: tuple = ()              # other diagnoses that are true of this mistake too (see `misnamed`)


@dataclass(frozen=True)
class Alternative:
    function: str
    idea: str
    source: str | tuple


def definitions(cells: list[str]) -> dict[str, str]:
    """The source of each top-level function or class of the notebook's cells (the last one wins)."""
    import ast
    found = {}
    for cell in cells:
        try:
            tree = ast.parse(cell)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                start = node.decorator_list[0].lineno if node.decorator_list else node.lineno
                found[node.name] = "\n".join(cell.splitlines()[start - 1:node.end_lineno]) + "\n"
    return found


def code(row, solution: dict[str, str]) -> str:
    """The cell a row appends to the solution notebook: its source, or the solution's definition of
    its function with the row's patches applied."""
    if isinstance(row.source, str):
        return textwrap.dedent(row.source)
    text = solution.get(row.function)
    if text is None:
        raise PatchError(f"{row.function}: the solution has no definition of it to patch")
    for p in row.source:
        found = text.count(p.old)
        if found != p.count:
            raise PatchError(f"{row.function} ({getattr(row, 'mistake', getattr(row, 'idea', ''))}): "
                             f"{p.old!r} occurs {found} times in the solution's definition, not {p.count}")
        text = text.replace(p.old, p.new)
    if text == solution[row.function]:
        raise PatchError(f"{row.function}: the patches change nothing")
    return text


@dataclass
class Outcome:
    row: object
    score: float
    max_score: float
    output: str
    diagnoses: tuple = ()       # the likely mistakes the feedback named

    @property
    def ok(self) -> bool:
        if isinstance(self.row, Alternative):
            return self.score == self.max_score
        caught = self.score < self.max_score
        return caught and (self.row.expect is None or self.row.expect in self.output)


def catalog(lab: str, root: Path = CATALOGS):
    path = root / lab / "mutants.py"
    if not path.exists():
        return [], []
    spec = importlib.util.spec_from_file_location(f"mutants_{lab}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(getattr(module, "MUTANTS", [])), list(getattr(module, "ALTERNATIVES", []))


def run_lab(lab: str, seed: int = 2024, solutions=Path("solutions"), rows=None) -> list[Outcome]:
    mutants, alternatives = catalog(lab) if rows is None else rows
    base = load.read(lab, solutions / f"{lab}.ipynb")
    if base.error:
        raise RuntimeError(base.error)
    plan = Plan([lab], seed)
    solution = definitions(base.cells)
    outcomes = []
    with Oracles(plan) as oracles, Student(Limits()) as student:
        for i, row in enumerate(mutants + alternatives):
            nb = load.Notebook(lab, base.path, base.cells + [code(row, solution)])
            res = grade_lab(student, plan, oracles, lab, nb, functions={row.function}, space=f"{lab}#{i}")
            score = sum(r.score for r in res.results)
            max_score = sum(r.check.points for r in res.results)
            output = "\n".join(r.output for r in res.results if not r.passed)
            if max_score == 0:
                output = f"no checks for `{row.function}` in {lab}"
            # a diagnosis named alone (one named among others that explain the values equally is an ambiguity, said as such)
            named = tuple(dict.fromkeys(r.failure.diagnoses[0] for r in res.results
                                        if r.failure and len(r.failure.diagnoses) == 1))
            outcomes.append(Outcome(row, score, max_score, output, named))
    return outcomes


def misnamed(outcomes: list[Outcome]) -> list[str]:
    """Diagnoses named for a mistake that was not made: a mutant's expected diagnosis named, alone,
    in the feedback of another mutant of the same function, which makes another mistake. (The
    generic shapes of `nngrade.mistakes`, a factor or a sign, are true of any mistake that has them.)"""
    from nngrade import mistakes
    generic = {v for k, v in vars(mistakes).items() if k.isupper() and isinstance(v, str)}
    out = []
    mutants = [o for o in outcomes if isinstance(o.row, Mutant)]
    for o in mutants:
        expect = o.row.expect
        if not expect or any(g in expect for g in generic) or not any(expect in d for d in o.diagnoses):
            continue          # a generic shape, or a phrase of the check or of the engine, not a diagnosis
        for other in mutants:
            if other is not o and other.row.function == o.row.function and other.row.expect != expect \
                    and expect not in other.row.also and any(expect in d for d in other.diagnoses):
                out.append(f"{o.row.function}: '{expect}' (the diagnosis of '{o.row.mistake}') is also named "
                           f"for '{other.row.mistake}'")
    return out


def summary(results: dict[str, list[Outcome]]) -> tuple[str, bool]:
    """The table of `make mutants`, and whether every lab is at 100% and 100% with no diagnosis
    named for a mistake that was not made."""
    lines, all_ok = [], True
    tm = tc = ta = tac = 0
    for lab, outs in results.items():
        muts = [o for o in outs if isinstance(o.row, Mutant)]
        alts = [o for o in outs if isinstance(o.row, Alternative)]
        caught = sum(o.ok for o in muts)
        accepted = sum(o.ok for o in alts)
        tm, tc, ta, tac = tm + len(muts), tc + caught, ta + len(alts), tac + accepted
        pct = lambda a, b: f"{100 * a / b:.0f}%" if b else "-"
        lines.append(f"{lab:26s} mutants caught {caught:3d}/{len(muts):<3d} ({pct(caught, len(muts))})   "
                     f"alternatives accepted {accepted:3d}/{len(alts):<3d} ({pct(accepted, len(alts))})")
        for o in outs:
            if not o.ok:
                all_ok = False
                if isinstance(o.row, Mutant):
                    why = ("not caught: it earned full points" if o.score == o.max_score
                           else f"caught, but the feedback lacks {o.row.expect!r}")
                    lines.append(f"    MUTANT {o.row.function} ({o.row.mistake}): {why}")
                    if o.score < o.max_score:
                        lines.append("      " + o.output.replace("\n", "\n      ")[:800])
                else:
                    lines.append(f"    ALTERNATIVE {o.row.function} ({o.row.idea}): rejected, "
                                 f"{o.score:g}/{o.max_score:g}")
                    lines.append("      " + o.output.replace("\n", "\n      ")[:800])
        for line in misnamed(outs):
            all_ok = False
            lines.append(f"    MISNAMED {line}")
    lines.append(f"{'total':26s} mutants caught {tc:3d}/{tm:<3d}         alternatives accepted {tac:3d}/{ta:<3d}")
    return "\n".join(lines), all_ok and tm > 0

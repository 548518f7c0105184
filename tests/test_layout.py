"""One lab, one name everywhere: every lab package has its notebook pair, its oracles and its
tests, found by name; the contract's signatures in each package are the solution's own."""
import ast

import pytest

from conftest import ROOT, solution_cells
from nngrade import labs
from nngrade.contract import SIGNATURES
from nngrade.registry import LABS

LAB_NAMES = list(labs.discover().values())


def test_labs_are_discovered_not_listed():
    on_disk = sorted(p.name for p in (ROOT / "nngrade" / "labs").iterdir()
                     if p.is_dir() and labs.NAME.match(p.name))
    assert sorted(LAB_NAMES) == on_disk == sorted(LABS.values()) == sorted(SIGNATURES)


@pytest.mark.parametrize("lab", LAB_NAMES)
def test_every_part_of_a_lab_is_found_by_its_name(lab):
    parts = [ROOT / "solutions" / f"{lab}.ipynb", ROOT / "labs" / f"{lab}.ipynb",
             ROOT / "reference" / f"{labs.topic(lab)}.py", ROOT / "nngrade" / "labs" / lab / "checks.py",
             ROOT / "tests" / "labs" / lab / f"test_{lab}.py", ROOT / "tests" / "labs" / lab / "mutants.py"]
    missing = [str(p.relative_to(ROOT)) for p in parts if not p.exists()]
    assert not missing, f"{lab} lacks {missing}"


def _value(node):
    try:
        return ast.literal_eval(node)
    except ValueError:       # a name or a call (a given helper's default): compared as written
        return ast.unparse(node)


def _parameters(args: ast.arguments, skip_self=False) -> list:
    """[(name, default or NO_DEFAULT)] of a def's positional and keyword parameters."""
    positional = args.posonlyargs + args.args
    if skip_self:
        positional = positional[1:]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    out = [(a.arg, "NO_DEFAULT" if d is None else _value(d)) for a, d in zip(positional, defaults)]
    out += [(a.arg, "NO_DEFAULT" if d is None else _value(d)) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    return out


def _contract(signature: str) -> list:
    call = ast.parse(signature, mode="eval").body
    return [(a.id, "NO_DEFAULT") for a in call.args] + [(k.arg, ast.literal_eval(k.value)) for k in call.keywords]


def _definitions(lab) -> dict:
    """The solution's last definition of each name: a function's parameters, or its class's __init__'s."""
    found = {}
    for cell in solution_cells(lab):
        try:
            tree = ast.parse(cell)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                found[node.name] = _parameters(node.args)
            elif isinstance(node, ast.ClassDef):
                init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
                found[node.name] = [] if init is None else _parameters(init.args, skip_self=True)
    return found


@pytest.mark.parametrize("lab", LAB_NAMES)
def test_the_contracts_signatures_are_the_solutions(lab):
    defined = _definitions(lab)
    wrong = {}
    for name, signature in SIGNATURES[lab].items():
        if defined.get(name) != _contract(signature):
            wrong[name] = (signature, defined.get(name))
    assert not wrong, f"{lab}: signature in nngrade/labs/{lab}/__init__.py vs the solution notebook: {wrong}"

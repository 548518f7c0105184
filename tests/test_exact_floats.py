"""The project's tests pass on any CPU and any BLAS kernel: no test compares floats for exact
equality unless the value involves no rounding that could differ between machines (an
unmodified copy, a lossless round trip, a selection, a threshold, a small dyadic number). Such a
place says so with `# exact: <why>` on its line or the line above; anywhere else, compare with a
stated tolerance."""
import ast
from pathlib import Path

from conftest import ROOT

EXACT_CALLS = {"array_equal", "array_equiv", "assert_array_equal", "assert_equal"}
MARK = "# exact:"


def exact_float_comparisons(source: str):
    """(line, what) for each exact comparison of floats in `source`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
            if name in EXACT_CALLS:
                yield node.lineno, name
        elif isinstance(node, ast.Compare) and any(isinstance(op, (ast.Eq, ast.NotEq)) for op in node.ops):
            for side in [node.left, *node.comparators]:
                values = side.elts if isinstance(side, (ast.List, ast.Tuple)) else [side]
                for value in values:
                    value = value.operand if isinstance(value, ast.UnaryOp) else value
                    if isinstance(value, ast.Constant) and type(value.value) is float:
                        yield node.lineno, f"== {value.value!r}"
                        break


def unmarked(source: str):
    lines = source.splitlines()
    return [(n, what) for n, what in exact_float_comparisons(source)
            if MARK not in lines[n - 1] and not (n > 1 and lines[n - 2].strip().startswith(MARK))]


def test_the_scan_finds_exact_float_comparisons():
    src = ("import numpy as np\nassert x.max() == 0.0\nassert np.array_equal(a, b)\nassert n == 3\n"
           "assert g.tolist() == [0.0, -1.5]\nassert shape == (2, 3)\n")
    assert [n for n, _ in unmarked(src)] == [2, 3, 5]
    assert unmarked("assert np.array_equal(a, b)  # exact: a copy\n") == []


def test_no_test_compares_floats_exactly_without_saying_why():
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path.name == "mutants.py":        # student code, not tests
            continue
        found += [f"{path.relative_to(ROOT)}:{n}: {what}" for n, what in unmarked(path.read_text(encoding="utf-8"))]
    # exact: no rounding to differ between CPUs: a selection, a threshold, a zero or a small dyadic number
    assert not found, ("exact float comparisons (compare with a tolerance, or mark `# exact: why`):\n"
                       + "\n".join(found))

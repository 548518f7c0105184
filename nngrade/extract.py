"""Stage 2: keep the definitions of a notebook, drop the demos.

Every code cell is read in order. What stays: imports, `def`, `class`, and top-level
assignments whose right side calls nothing defined in the notebook (so
`C = np.sqrt(2 / np.pi)` stays and `history = train(...)` goes). Imports of the
frameworks the student must not use, and of the grader's own packages, are dropped and
remembered, so that a graded function that relies on them can be told why it earns
nothing. A cell that does not parse is skipped with a message.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

FORBIDDEN = ("torch", "tensorflow", "keras", "tf_keras", "jax", "jaxlib", "flax", "autograd",
             "nngrade", "reference")
KEPT_CELL_MAGICS = ("%%time", "%%timeit", "%%capture")


@dataclass
class Unit:
    """One top-level statement that will run in the worker."""
    cell: int
    line: int          # first line, 1-based, inside the cell
    source: str
    defines: tuple = ()
    names_used: frozenset = frozenset()   # global names a def/class body reads


@dataclass
class Extracted:
    units: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    forbidden_names: dict = field(default_factory=dict)   # bound name -> module
    functions: dict = field(default_factory=dict)         # def/class name -> last Unit

    def uses_forbidden(self, name: str, stand_ins=()) -> str | None:
        """The forbidden module a notebook function reaches, directly or via helpers (not
        through `stand_ins`, the functions the grader replaces by its own while grading)."""
        seen, todo = set(), [name]
        while todo:
            n = todo.pop()
            if n in seen or n not in self.functions or (n != name and n in stand_ins):
                continue
            seen.add(n)
            for used in self.functions[n].names_used:
                if used in self.forbidden_names:
                    return self.forbidden_names[used]
                if used.startswith("import:"):
                    return used[len("import:"):]
                todo.append(used)
        return None


def _is_forbidden(module: str | None) -> bool:
    return bool(module) and module.split(".")[0] in FORBIDDEN


def strip_magics(source: str) -> str | None:
    """Comment out IPython line magics and shell escapes; None for a cell to skip."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        if not lines[0].split()[0] in KEPT_CELL_MAGICS:
            return None
        lines = ["# " + lines[0]] + lines[1:]
    out = []
    for line in lines:
        s = line.lstrip()
        out.append(line[: len(line) - len(s)] + "pass  # " + s if s[:1] in ("%", "!") else line)
    return "\n".join(out)


def _root_name(node):
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _calls_any(node, names) -> bool:
    return any(isinstance(n, ast.Call) and _root_name(n.func) in names for n in ast.walk(node))


def _names_used(node) -> frozenset:
    used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    for n in ast.walk(node):
        if isinstance(n, ast.Import):
            used |= {"import:" + a.name for a in n.names if _is_forbidden(a.name)}
        elif isinstance(n, ast.ImportFrom) and _is_forbidden(n.module):
            used.add("import:" + n.module)
        elif isinstance(n, ast.Constant) and isinstance(n.value, str) and _is_forbidden(n.value):
            used.add("import:" + n.value)   # __import__("torch"), importlib.import_module(...)
    return frozenset(used)


def _segment(lines, node, siblings) -> tuple[int, str]:
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    shared = any(s is not node and (s.lineno <= node.end_lineno and s.end_lineno >= start)
                 for s in siblings)
    if shared:   # two statements on one line: keep this one alone
        return start, ast.unparse(node)
    return start, "\n".join(lines[start - 1: node.end_lineno])


def extract(cells: list[str]) -> Extracted:
    """`cells`: the source of each code cell, in order."""
    out = Extracted()
    parsed = []
    for i, raw in enumerate(cells):
        src = strip_magics(raw)
        if src is None:
            out.messages.append(f"cell {i + 1}: a cell magic ({raw.split()[0]}) is not graded; skipped")
            continue
        try:
            parsed.append((i, src, ast.parse(src)))
        except SyntaxError as e:
            out.messages.append(f"cell {i + 1} has a syntax error (line {e.lineno}: {e.msg}); "
                                "it was skipped and the rest of the notebook was graded")
    defined = set()
    for _, _, tree in parsed:
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined.add(node.name)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
                defined.update(t.id for t in node.targets if isinstance(t, ast.Name))

    for i, src, tree in parsed:
        lines = src.splitlines()
        for node in tree.body:
            line, text = _segment(lines, node, tree.body)
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
                if any(_is_forbidden(m) for m in modules):
                    for a in node.names:
                        bound = a.asname or a.name.split(".")[0]
                        out.forbidden_names[bound] = modules[0] if isinstance(node, ast.ImportFrom) else a.name
                    out.messages.append(f"cell {i + 1}: `{ast.unparse(node)}` was not run: the labs are "
                                        "NumPy only (torch, tensorflow, keras, jax and autograd are "
                                        "for the grader's oracles)")
                    continue
                out.units.append(Unit(i, line, text))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                unit = Unit(i, line, text, (node.name,), _names_used(node))
                out.units.append(unit)
                out.functions[node.name] = unit
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                if node.value is None or _calls_any(node.value, defined):
                    continue
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = tuple(n.id for t in targets for n in ast.walk(t)
                              if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
                unit = Unit(i, line, text, names, _names_used(node.value))
                out.units.append(unit)
                if isinstance(node.value, ast.Lambda):
                    for n in names:
                        out.functions[n] = unit
    return out

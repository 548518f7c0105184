"""Stage 2: keep the definitions of a notebook, drop the demos.

Every code cell is read in order. What stays: imports, `def`, `class`, and top-level
assignments whose right side calls nothing defined in the notebook (so
`C = np.sqrt(2 / np.pi)` stays and `history = train(...)` goes). Imports of the
frameworks the student must not use, and of the grader's own packages, are dropped and
remembered, so that a graded function that relies on them can be told why it earns
nothing. A cell that does not parse is skipped with a message. Of what stays, the worker runs
only what the graded functions need (`Extracted.needed_by`): a plot helper's
`import matplotlib.pyplot` does not run when nothing graded uses it.
"""
from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache

# What graded code may import, the one list (the notebooks and the README print ALLOWED_TEXT):
# NumPy, scipy.special and the standard library. Anything else (scikit-learn, scipy.stats,
# pandas, the frameworks, the grading package, `reference/`) costs the function that uses it its
# points, with the reason; the worker's import finder refuses it too.
ALLOWED_TEXT = "NumPy, `scipy.special` and the Python standard library"
ALLOWED_PACKAGES = ("numpy", "scipy.special")
STDLIB = frozenset(sys.stdlib_module_names)
# the frameworks reserved for the oracles: importing one is also said at extraction
FORBIDDEN = ("torch", "tensorflow", "keras", "tf_keras", "jax", "jaxlib", "flax", "autograd",
             "nngrade", "reference")
KEPT_CELL_MAGICS = ("%%time", "%%timeit", "%%capture")
DYNAMIC = frozenset({"globals", "vars", "eval", "exec", "__import__", "__name__", "__dict__"})
# A lab's notebook has a few hundred statements and tens of kilobytes of code; past these
# the rest is not read (it would only cost the grader's time)
MAX_CODE_CHARS = 1_000_000
MAX_STATEMENTS = 5_000          # in one cell


@dataclass
class Unit:
    """One top-level statement that will run in the worker."""
    cell: int
    line: int          # first line, 1-based, inside the cell
    source: str
    defines: tuple = ()
    names_used: frozenset = frozenset()   # global names a def/class body reads
    binds: tuple = ()      # top-level names it binds or modifies (`x = ...`, `import a as x`, `x.y = ...`)
    always: bool = False   # binds names nobody can know (`from m import *`): always run


@dataclass
class Extracted:
    units: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    forbidden_names: dict = field(default_factory=dict)   # bound name -> module
    functions: dict = field(default_factory=dict)         # def/class name -> last Unit
    broken: dict = field(default_factory=dict)            # def/class name -> the cell that does not parse

    @staticmethod
    def cell(i: int) -> str:
        """"cell 14": cell i as JupyterLab numbers it (`load.Notebook.cells` has one entry per cell)."""
        return f"cell {i + 1}"

    def needed_by(self, functions) -> list:
        """The units that the graded `functions` need, in notebook order: their definitions and,
        transitively, every top-level name those read. Plots, demo data and the imports only they
        use are not run (a notebook's `import matplotlib.pyplot` costs the worker most of a
        second). Code that looks names up at run time (`globals()`, `eval`) keeps every unit."""
        binders: dict[str, list] = {}
        for u in self.units:
            for n in u.binds:
                binders.setdefault(n, []).append(u)
        needed, todo, keep = set(functions), list(functions), set()
        while todo:
            for u in binders.get(todo.pop(), ()):
                if id(u) in keep:
                    continue
                keep.add(id(u))
                if u.names_used & DYNAMIC:
                    return list(self.units)
                for n in u.names_used - needed:
                    needed.add(n)
                    todo.append(n)
        return [u for u in self.units if id(u) in keep or u.always]

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

    def stand_ins_called(self, name: str, stand_ins) -> frozenset | None:
        """The `stand_ins` that the function `name` calls by name, directly, through helpers or
        through the top-level data it reads (a table of functions):
        the only ones the grader answers while `name` is graded. `name` itself is never one, and a
        function that looks names up at run time (`globals()`, `eval`) gets None: no stand-in."""
        data = {}          # top-level names bound by an assignment (`ACTIVATIONS = {"relu": ...}`)
        for u in self.units:
            if not u.defines or u.defines[0] not in self.functions:
                for n in u.binds:
                    data.setdefault(n, set()).update(u.names_used)
        seen, todo, called = set(), [name], set()
        while todo:
            n = todo.pop()
            if n in seen or (n not in self.functions and n not in data):
                continue
            seen.add(n)
            used = self.functions[n].names_used if n in self.functions else frozenset(data[n])
            if used & DYNAMIC:
                return None
            called |= {u for u in used if u in stand_ins and u != name}
            todo += [u for u in used if u not in stand_ins]
        return frozenset(called)


def allowed(module: str) -> bool:
    """May graded code import `module`? (`scipy` alone is allowed: it is how `scipy.special` is reached.)"""
    top = module.split(".")[0]
    if top in STDLIB and top not in FORBIDDEN:
        return True
    return module == "scipy" or any(module == p or module.startswith(p + ".") for p in ALLOWED_PACKAGES)


@lru_cache(maxsize=1)
def _installed() -> frozenset:
    """The top-level modules this Python could import beyond the standard library."""
    import pkgutil
    return frozenset(m.name for m in pkgutil.iter_modules() if m.name not in STDLIB) | frozenset(FORBIDDEN)


def _is_forbidden(module: str | None) -> bool:
    return bool(module) and not allowed(module)


def _names_a_module(text: str) -> bool:
    """A string constant that names an importable module graded code may not import
    (`__import__("sklearn")`, `importlib.import_module("scipy.stats")`)."""
    return text.isascii() and text.replace(".", "").replace("_", "").isalnum() and \
        text.split(".")[0] in _installed() and _is_forbidden(text)


def strip_magics(source: str) -> str | None:
    """Comment out IPython line magics and shell escapes; None for a cell to skip.

    A magic is recognised where IPython recognises one: at the start of a logical line (its
    first physical line; in an indented block too). A line inside brackets, a string or after a
    backslash is part of the statement above it, so `    % (a, b)` and `    != x` there stay code.
    The magic's own continuation lines are commented out with it."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        if not lines[0].split()[0] in KEPT_CELL_MAGICS:
            return None
        lines = ["# " + lines[0]] + lines[1:]
    for first, last in _logical_lines(lines):
        s = lines[first].lstrip()
        if s[:1] in ("%", "!"):
            indent = lines[first][: len(lines[first]) - len(s)]
            lines[first] = indent + "pass  # " + s
            lines[first + 1: last + 1] = [indent + "# " + line for line in lines[first + 1: last + 1]]
    return "\n".join(lines)


def _logical_lines(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) physical line, 0-based, of each logical line Python's tokenizer finds. Where
    the tokenizer gives up (an unclosed bracket or string; on Python 3.12, a character such as an
    unmatched quote in a shell command), each line from the unfinished one on counts alone."""
    import io
    import tokenize
    out, first = [], None
    skip = (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)
    try:
        for tok in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            if tok.type == tokenize.NEWLINE:
                if first is not None:
                    out.append((first, tok.start[0] - 1))
                first = None
            elif first is None and tok.type not in skip:
                first = tok.start[0] - 1
    except (tokenize.TokenError, SyntaxError):
        rest = first if first is not None else (out[-1][1] + 1 if out else 0)
        out += [(i, i) for i in range(rest, len(lines))]
    return out


def _root_name(node):
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _bound(alias) -> str:
    """The name an import binds: `import a.b` binds a, `import a.b as c` and `from a import b as c` bind c."""
    return alias.asname or alias.name.split(".")[0]


def _names_used(node) -> frozenset:
    used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    for n in ast.walk(node):
        if isinstance(n, ast.Import):
            used |= {"import:" + a.name for a in n.names if _is_forbidden(a.name)}
        elif isinstance(n, ast.ImportFrom) and _is_forbidden(n.module):
            used.add("import:" + n.module)
        elif isinstance(n, ast.Constant) and isinstance(n.value, str) and _names_a_module(n.value):
            used.add("import:" + n.value)   # __import__("torch"), importlib.import_module(...)
    return frozenset(used)


def _walk_now(node):
    """The nodes of an expression that run when it is evaluated: not the bodies of its lambdas
    (`{"relu": lambda z: relu(z)}` calls nothing yet)."""
    todo = [node]
    while todo:
        n = todo.pop()
        yield n
        todo += [c for c in ast.iter_child_nodes(n) if not isinstance(c, ast.Lambda)]


def _start(node) -> int:
    return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])


def _segment(lines, body, i) -> tuple[int, str]:
    """The source of the cell's i-th statement. Statements follow each other, so only the
    neighbours can share a line with it (linear in the cell, whatever its size)."""
    node, start = body[i], _start(body[i])
    shared = (i > 0 and body[i - 1].end_lineno >= start) or \
             (i + 1 < len(body) and _start(body[i + 1]) <= node.end_lineno)
    if shared:   # two statements on one line: keep this one alone
        return start, ast.unparse(node)
    return start, "\n".join(lines[start - 1: node.end_lineno])


@lru_cache(maxsize=4096)
def _read_cell(raw: str) -> tuple:
    """What one cell holds, statement by statement, as plain records. Cached by the cell's text:
    a class's notebooks share most cells (explanations, demos, given helpers), so each is parsed
    and walked once per run."""
    src = strip_magics(raw)
    if src is None:
        return ("magic", raw.split()[0])
    try:
        tree = ast.parse(src)
    except SyntaxError as e:
        return ("syntax", e.lineno, e.msg)
    if len(tree.body) > MAX_STATEMENTS:
        return ("long", len(tree.body))
    lines, records = src.splitlines(), []
    for i, node in enumerate(tree.body):
        line, text = _segment(lines, tree.body, i)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            forbidden = None
            if any(_is_forbidden(m) for m in modules):
                forbidden = tuple((_bound(a), modules[0] if isinstance(node, ast.ImportFrom) else a.name)
                                  for a in node.names)
            records.append(("import", line, text, forbidden, ast.unparse(node),
                            tuple(_bound(a) for a in node.names), any(a.name == "*" for a in node.names)))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            records.append(("def", line, text, node.name, _names_used(node)))
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            if node.value is None:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = tuple(n.id for t in targets for n in ast.walk(t)
                          if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
            touched = tuple(r for t in targets if not isinstance(t, ast.Name) and (r := _root_name(t)))
            used = _names_used(node.value) | (set(names) if isinstance(node, ast.AugAssign) else set())
            calls = frozenset(_root_name(n.func) for n in _walk_now(node.value) if isinstance(n, ast.Call))
            records.append(("assign", line, text, names, frozenset(used | set(touched)), touched, calls,
                            isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda)))
    return ("ok", tuple(records))


DEFINITION = re.compile(r"^(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)", re.MULTILINE)


def extract(cells: list[str]) -> Extracted:
    """`cells`: the source of each cell, in order ("" for a Markdown cell: the messages number
    cells as JupyterLab does)."""
    out = Extracted()
    parsed = []
    chars = 0
    for i, raw in enumerate(cells):
        chars += len(raw)
        if chars > MAX_CODE_CHARS:
            out.messages.append(f"the notebook has more than {MAX_CODE_CHARS:,} characters of code: "
                                f"{out.cell(i)} and those after it were not read")
            break
        read = _read_cell(raw)
        if read[0] == "long":
            out.messages.append(f"{out.cell(i)} has {read[1]:,} statements, more than the "
                                f"{MAX_STATEMENTS:,} a cell may have; skipped")
        elif read[0] == "magic":
            out.messages.append(f"{out.cell(i)}: a cell magic ({read[1]}) is not graded; skipped")
        elif read[0] == "syntax":
            where = f"{out.cell(i)}, which has a syntax error (line {read[1]}: {read[2]})"
            out.messages.append(f"{out.cell(i)} has a syntax error (line {read[1]}: {read[2]}); "
                                "it was skipped and the rest of the notebook was graded")
            out.broken.update({name: where for name in DEFINITION.findall(raw)})
        else:
            parsed.append((i, read[1]))
    defined = set()   # names the notebook defines as functions: an assignment calling one is a demo
    for _, records in parsed:
        for r in records:
            if r[0] == "def":
                defined.add(r[3])
            elif r[0] == "assign" and r[7]:
                defined.update(r[3])

    for i, records in parsed:
        for r in records:
            kind, line, text = r[:3]
            if kind == "import":
                forbidden, unparsed, binds, star = r[3:]
                if forbidden:      # not run; a graded function that uses it earns nothing, and is told why
                    out.forbidden_names.update(forbidden)
                    if any(m.split(".")[0] in FORBIDDEN for _, m in forbidden):
                        out.messages.append(f"{out.cell(i)}: `{unparsed}` was not run: graded code may import "
                                            f"{ALLOWED_TEXT} only (torch, tensorflow, keras, jax and autograd "
                                            "are for the grader's oracles)")
                    continue
                out.units.append(Unit(i, line, text, binds=binds, always=star))
            elif kind == "def":
                unit = Unit(i, line, text, (r[3],), r[4], binds=(r[3],))
                out.units.append(unit)
                out.functions[r[3]] = unit
            else:
                names, used, touched, calls, is_lambda = r[3:]
                if calls & defined:
                    continue
                unit = Unit(i, line, text, names, used, binds=names + touched)
                out.units.append(unit)
                if is_lambda:
                    for n in names:
                        out.functions[n] = unit
    return out

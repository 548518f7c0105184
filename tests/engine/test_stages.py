"""The engine is plain stages: no module of the grading package imports, even inside a function,
a module that imports it back (nngrade.remote was once both the oracle server and a client of
the engine that imported it); docs/architecture.md, drawn from the imports, is current."""
from conftest import ROOT
from nngrade.architecture import STAGES, cycles, import_graph, render


def test_the_finder_sees_a_planted_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_of_the_grader_imports_one_that_imports_it():
    graph = import_graph(ROOT)
    assert "nngrade.plan" in graph["nngrade.engine"] and graph["nngrade.oracles"]   # the scan reads imports
    assert not cycles(graph), cycles(graph)


def test_every_stage_module_exists_and_the_page_is_current():
    assert all((ROOT / "nngrade" / f"{m}.py").exists() or (ROOT / "nngrade" / m).is_dir()
               for group in STAGES.values() for m in group)
    page = (ROOT / "docs" / "architecture.md").read_text()
    assert page == render(ROOT), "docs/architecture.md is stale: run `make contract`"
    for path in (ROOT / "nngrade").glob("*.py"):
        if path.stem not in ("__init__", "__main__"):
            assert f"`nngrade/{path.name}`" in page


def test_the_readme_names_every_stage_and_only_modules_that_exist():
    import re
    text = (ROOT / "README.md").read_text()
    section = text[text.index("### How it is organised"):text.index("### What the grader trusts")]
    named = set(re.findall(r"`([a-z_]+)(?:\.[a-z_]+)?`", section))
    modules = {p.stem for p in (ROOT / "nngrade").glob("*.py")}
    stages = {m for group in STAGES.values() for m in group}
    assert stages <= named, stages - named
    assert {n for n in named if n in modules or n in stages} <= modules | {"labs"}
    for path in re.findall(r"`((?:nngrade|reference|tests|docs)/[^`<>*]+)`", section):
        assert (ROOT / path).exists(), path

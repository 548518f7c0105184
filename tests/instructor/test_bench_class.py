"""The generated class of `make bench` (its timing is measured there, never asserted here): the
mixture it promises, and the README table it rewrites in place."""
from __future__ import annotations

import json

from conftest import ROOT
from nngrade import bench_class, load


def test_the_generated_class_is_the_promised_mixture(tmp_path):
    kinds = bench_class.make_class(tmp_path, 60)
    assert sum(kinds.values()) == 60 and all(kinds.values())
    solution = json.loads((ROOT / "solutions" / f"{bench_class.LAB}.ipynb").read_text())
    released = (ROOT / "labs" / f"{bench_class.LAB}.ipynb").read_bytes()
    seen = {"solution": 0, "blank": 0, "mistakes": 0}
    for folder in sorted(tmp_path.iterdir()):
        path = folder / f"{bench_class.LAB}.ipynb"
        assert load.read(bench_class.LAB, path).error is None
        nb = json.loads(path.read_text())
        if path.read_bytes() == released:
            seen["blank"] += 1
        elif nb["cells"] == solution["cells"]:
            seen["solution"] += 1
        else:
            assert nb["cells"][:len(solution["cells"])] == solution["cells"]
            assert 1 <= len(nb["cells"]) - len(solution["cells"]) <= 2          # one or two known mistakes
            seen["mistakes"] += 1
    assert seen == kinds
    assert bench_class.make_class(tmp_path / "again", 60) == kinds             # the same class every time


def test_the_readme_table_is_replaced_in_place(tmp_path):
    res = json.loads((ROOT / "docs" / "bench-class.json").read_text())
    readme = tmp_path / "README.md"
    readme.write_text("before\n<!-- bench-class -->\n<!-- /bench-class -->\nafter\n")
    assert bench_class.update_readme(res, readme)
    once = readme.read_text()
    assert bench_class.update_readme(res, readme) and readme.read_text() == once
    assert once.startswith("before\n<!-- bench-class -->\n| measurement |") and once.endswith("<!-- /bench-class -->\nafter\n")
    assert f"{res[str(res['students'])]['per_student_s']:.2f}" in once
    assert bench_class.table(res) in (ROOT / "README.md").read_text()          # the README shows the last run

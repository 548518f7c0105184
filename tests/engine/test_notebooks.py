"""`make labs`: stubs from solution blocks; a student's edited notebook is never overwritten
without FORCE=1, an untouched generated one is refreshed."""
import json

from nngrade.notebooks import dumps, generate_all, new_notebook, stub_source


def test_solution_blocks_become_stubs_naming_the_function():
    src = "def f(x):\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION\n\n" \
          "class Opt:\n    def step(self, g):\n        ### BEGIN SOLUTION\n        pass\n        ### END SOLUTION\n"
    out = stub_source(src)
    assert "return x + 1" not in out and "BEGIN SOLUTION" not in out
    assert '    # YOUR CODE HERE\n    raise NotImplementedError("f")' in out
    assert 'raise NotImplementedError("Opt.step")' in out


def test_edited_labs_are_kept_unless_forced(tmp_path, capsys):
    sols, labs = tmp_path / "solutions", tmp_path / "labs"
    sols.mkdir()
    nb = new_notebook([("md", "# Lab"), ("code", "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION")])
    (sols / "lab01_x.ipynb").write_text(dumps(nb))
    assert generate_all(sols, labs) == 0
    assert generate_all(sols, labs, check=True) == 0
    # the solution changes: an untouched generated lab is refreshed
    nb["cells"][0]["source"] = ["# Lab, revised"]
    (sols / "lab01_x.ipynb").write_text(dumps(nb))
    assert generate_all(sols, labs, check=True) == 1
    assert generate_all(sols, labs) == 0
    assert "revised" in (labs / "lab01_x.ipynb").read_text()
    # a student's edit is kept, and reported, until FORCE=1
    student = json.loads((labs / "lab01_x.ipynb").read_text())
    student["cells"][1]["source"] = ["def f(x):\n", "    return x  # mine\n"]
    (labs / "lab01_x.ipynb").write_text(json.dumps(student))
    nb["cells"][0]["source"] = ["# Lab, revised again"]
    (sols / "lab01_x.ipynb").write_text(dumps(nb))
    assert generate_all(sols, labs) == 1
    assert "# mine" in (labs / "lab01_x.ipynb").read_text()
    assert "FORCE=1" in capsys.readouterr().out
    assert generate_all(sols, labs, force=True) == 0
    assert "# mine" not in (labs / "lab01_x.ipynb").read_text()

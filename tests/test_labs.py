"""Every lab in the repository, through the same registry: the solutions earn every point,
the blank labs none, the committed labs/ match the solutions, every solution notebook runs
top to bottom, the oracles agree with each other, and the tolerances leave a 100x margin."""
from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest

from conftest import LABS, ROOT, SEED, oracles_for
from nngrade import load
from nngrade.compare import compare
from nngrade.config import Limits
from nngrade.engine import NOT_WRITTEN, grade_lab
from nngrade.oracles import Oracles
from nngrade.plan import Plan
from nngrade.student import Student
from nngrade.notebooks import KERNEL, generate_all

from nngrade.contract import FUNCTIONS as CONTRACT_FUNCTIONS


def test_there_are_labs():
    assert "lab02_activations" in LABS


def _grade(lab, folder, oracles=None):
    nb = load.read(lab, ROOT / folder / f"{lab}.ipynb")
    oracles = oracles or oracles_for(lab)
    with Student(Limits()) as student:
        return grade_lab(student, oracles.plan, oracles, lab, nb)


@pytest.mark.parametrize("lab", LABS)
def test_solutions_earn_every_point(lab):
    res = _grade(lab, "solutions")
    lost = [r.output for r in res.results if not r.passed]
    assert not lost, "\n\n".join(lost[:5])
    slow = [n for r in res.results for n in r.notes if "speed costs no points" in n]
    assert not slow, slow
    graded = {r.check.function for r in res.results}
    missing = set(CONTRACT_FUNCTIONS[lab]) - graded
    assert not missing, f"{lab}: functions of the contract without checks: {sorted(missing)}"


@pytest.mark.parametrize("lab", LABS)
def test_blank_labs_earn_nothing_and_say_not_implemented(lab):
    """...and wait for no oracle: a student's first runs are as fast as the worker."""
    oracles = Oracles(Plan([lab], SEED))

    def no_oracle(*args):
        raise AssertionError("grading a blank lab asked an oracle for an answer")
    oracles.expected = no_oracle
    res = _grade(lab, "labs", oracles)
    assert sum(r.score for r in res.results) == 0
    assert all(r.outcome == NOT_WRITTEN for r in res.results)
    assert all("not implemented yet" in r.output for r in res.results), \
        [r.output for r in res.results if "not implemented yet" not in r.output][:3]
    assert not any("Traceback" in r.output for r in res.results)


@pytest.mark.parametrize("lab", LABS)
def test_tolerances_leave_a_100x_margin_for_the_solution(lab):
    """The solution still passes against the deciding oracle with every tolerance / 100."""
    plan = Plan([lab], SEED)
    plan.checks[lab] = [dataclasses.replace(c, rtol=c.rtol / 100, atol=c.atol / 100,
                                            **dict.fromkeys(c.others)) for c in plan.checks[lab]]
    for c in plan.checks[lab]:
        c.lab = lab
    res = _grade(lab, "solutions", Oracles(plan))
    lost = [r.output for r in res.results if not r.passed]
    assert not lost, "\n\n".join(lost[:5])


def test_committed_labs_are_in_sync_with_the_solutions(capsys):
    assert generate_all(ROOT / "solutions", ROOT / "labs", check=True) == 0, capsys.readouterr().out


@pytest.mark.parametrize("lab", LABS)
def test_notebooks_name_the_project_kernel_and_have_no_outputs(lab):
    for folder in ("solutions", "labs"):
        nb = json.loads((ROOT / folder / f"{lab}.ipynb").read_text())
        assert nb["metadata"]["kernelspec"]["name"] == KERNEL["name"]
        assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.parametrize("lab", LABS)
def test_oracles_agree_with_each_other_where_the_frameworks_agree(lab):
    """Torch and Keras on every check's inputs (custom comparisons excepted: their lab tests
    cross-check them): equal within the check's tolerance, or the check says why not
    (`differs`). The measured differences themselves are pinned by the lab tests and by the
    live conventions page, which goes stale when a framework upgrade moves one."""
    oracles = oracles_for(lab)
    plan = oracles.plan
    for check in plan.checks[lab]:
        if check.torch is None or check.keras is None:
            continue
        diffs = []
        for i in range(len(plan.cases(check))):
            a, b = oracles.expected(check, i, "torch"), oracles.expected(check, i, "keras")
            if check.compare is None:
                problem = compare(b, a, check.rtol, check.atol, structure_only=check.structure_only)
                diffs.append(problem)
        if check.differs is None:
            bad = [p for p in diffs if p is not None]
            assert not bad, f"{check.name}: torch and keras oracles disagree: {bad[0].message} " \
                            f"{bad[0].details}"


def test_the_conventions_page_is_a_fresh_measurement(capsys):
    """docs/conventions.md is measured live; a framework upgrade that moves a number, or a new
    piece, makes it stale, and this says which page to regenerate."""
    from nngrade.conventions import write
    assert write(ROOT / "docs" / "conventions.md", check=True) == 0, capsys.readouterr().out


def test_the_contract_page_is_up_to_date(capsys):
    from nngrade.docs import write_contract_page
    assert write_contract_page(ROOT / "docs" / "labs.md", check=True) == 0, capsys.readouterr().out


def test_the_kernel_jupyter_finds_is_this_checkouts_venv():
    """`make install` registers the kernel inside the venv, and Jupyter run from the venv looks
    there first: another checkout's kernel (registered user-wide, its venv since deleted) can
    neither replace this one nor break the notebooks here."""
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec(KERNEL["name"])
    assert Path(spec.argv[0]).resolve() == Path(sys.executable).resolve()
    assert Path(spec.resource_dir).resolve().is_relative_to(Path(sys.prefix).resolve())


@pytest.mark.parametrize("lab", LABS)
def test_solution_notebook_runs_top_to_bottom(lab, tmp_path):
    """As a student would run it: a fresh kernel (the one `make install` registers), every cell."""
    import nbclient
    import nbformat
    nb = nbformat.read(ROOT / "solutions" / f"{lab}.ipynb", as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name=KERNEL["name"],
                                     resources={"metadata": {"path": str(ROOT / "solutions")}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors


def test_a_generated_page_is_stale_by_its_content_not_by_the_versions_it_records(tmp_path, capsys):
    """The same numbers measured on Python 3.11.2 instead of 3.11.7 are not stale; a moved number is."""
    from nngrade.conventions import MEASURED_WITH
    from nngrade.docs import write_page
    page = tmp_path / "page.md"
    text = f"# t\n{MEASURED_WITH}python 3.11.7, torch 2.13.0+cpu.\n| a | 0 |\n"
    page.write_text(text.replace("3.11.7", "3.11.2"))
    assert write_page(page, text, True, "make x", volatile=MEASURED_WITH) == 0
    page.write_text(text.replace("| 0 |", "| 1e-07 |"))
    assert write_page(page, text, True, "make x", volatile=MEASURED_WITH) == 1
    out = capsys.readouterr().out
    assert "stale" in out
    assert "-| a | 1e-07 |" in out and "+| a | 0 |" in out, out   # the row that moved, both ways


def test_a_change_across_the_range_reads_the_same_on_both_sides_until_a_probe_contradicts_it():
    """A CHANGES row renders identically on releases before and after `since` when each behaves
    as its side says; a release that does not (a wrong `since`) marks the row, so the page is stale."""
    from nngrade.conventions import Change, change_row
    def row(new_behaviour):
        return Change("x", "torch", "2.15", "old", "new", "grader", lambda: new_behaviour)
    assert change_row(row(False), "2.14.1+cpu") == change_row(row(True), "2.15.0+cu132")
    assert change_row(row(True), "2.15.0rc1") == change_row(row(False), "2.9.1")
    marked = change_row(row(True), "2.14.1")[0]
    assert "measured otherwise on torch 2.14.1" in marked and "from 2.15" in marked
    assert "before 2.15" in change_row(row(False), "2.16.0")[0]


def test_every_change_holds_on_the_installed_release():
    from nngrade.conventions import change_row, changes
    from nngrade.report import versions
    found = changes()
    assert found, "reference/losses.py lists torch.clamp's gradient at its bounds"
    for c in found:
        assert "measured otherwise" not in change_row(c, versions()[c.package])[0]


def test_oracles_step_torch_optimizers_without_torch_dynamo_beside_tensorflow():
    """torch.optim's wrappers import torch._dynamo, and with it triton on a CUDA build of torch;
    from torch 2.15, triton's LLVM and TensorFlow's abort the process when both are loaded
    ("Option 'bitcode-mdindex-threshold' registered more than once"). The grader keeps both
    frameworks in one process, so its optimizers step through optim_step, never importing it."""
    import subprocess
    import sys
    code = ("import sys\n"
            "from reference._frameworks import optim_step, tf, torch\n"
            "tf(); t = torch()\n"
            "p = t.nn.Parameter(t.ones(3, dtype=t.float64))\n"
            "for opt in (t.optim.SGD([p], lr=0.5, momentum=0.9), t.optim.Adam([p]), t.optim.RMSprop([p])):\n"
            "    (p ** 2).sum().backward(); optim_step(opt); p.grad = None\n"
            "print(sorted(m for m in sys.modules if m.startswith(('torch._dynamo', 'triton'))))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]", out.stdout

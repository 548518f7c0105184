"""The README's "Grading a class" says what the code does: every command it shows (the Slurm array,
the GitHub Actions matrix, the Make targets) is one the command line accepts, and its examples
are the grader's own output."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from nngrade import cli
from nngrade.roster import Student, file_stems, parse_shard

SECTION = (ROOT / "README.md").read_text().split("### Grading a class", 1)[1].split("\n### ", 1)[0]
# what the shell or the runner puts in place of the scripts' variables
VARIABLES = {"$SLURM_ARRAY_TASK_ID": "3", "$SLURM_ARRAY_TASK_COUNT": "10", "${{ matrix.shard }}": "1",
             "grades/shard-*": "grades/shard-0 grades/shard-1"}


def commands(prefix: str) -> list[str]:
    lines = [line.strip().lstrip("# ") for line in SECTION.replace("\\\n", " ").splitlines()]
    lines = [re.sub(r"^- run: ", "", line) for line in lines]
    found = [line for line in lines if re.match(prefix, line)]
    for var, value in VARIABLES.items():
        found = [line.replace(var, value) for line in found]
    return [re.sub(r"\[(--\w+ \w+)\]", r"\1", line) for line in found]      # optional parts: given


def parsed(argv: list[str], monkeypatch) -> dict:
    """What `python -m nngrade ARGV` hands to its command (which is not run)."""
    got = {}

    def record(a):
        got.update(vars(a))
        return 0
    for name in ("cmd_grade_class", "cmd_merge"):
        monkeypatch.setattr(cli, name, record)
    assert cli.main(argv) == 0
    return got


PYTHON = commands(r"(\.venv/bin/)?python -m nngrade ")


@pytest.mark.parametrize("line", PYTHON)
def test_every_command_shown_is_accepted(line, monkeypatch):
    argv = shlex.split(line, comments=True)[3:]
    a = parsed(argv, monkeypatch)
    assert a["command"] in ("grade-class", "merge")
    if a.get("shard"):
        assert parse_shard(a["shard"]) == (int(a["shard"].split("/")[0]), int(a["shard"].split("/")[1]))


def test_the_readme_shows_sharding_on_slurm_and_github_actions():
    argvs = [shlex.split(line, comments=True)[3:] for line in PYTHON]
    shards = [argv[argv.index("--shard") + 1] for argv in argvs if "--shard" in argv]
    assert "3/10" in shards and "1/4" in shards            # a Slurm array task, a matrix job
    assert sum(argv[0] == "merge" for argv in argvs) >= 2


@pytest.mark.parametrize("line", commands(r"make (grade-class|merge) "))
def test_every_make_line_shown_runs_a_command_that_is_accepted(line, monkeypatch):
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}   # also under make test
    dry = subprocess.run(["make", "-n", "--no-print-directory", *shlex.split(line, comments=True)[1:]], cwd=ROOT,
                         capture_output=True, text=True, env=env)
    assert dry.returncode == 0, dry.stderr
    argv = shlex.split(dry.stdout.replace("\\\n", " "))
    assert argv[1:3] == ["-m", "nngrade"]
    parsed(argv[3:], monkeypatch)


def test_the_collision_example_is_the_grader_s():
    stems, _ = file_stems([Student("Ann Lee", Path(".")), Student("Ann_Lee", Path("."))])
    assert f"`{stems['Ann Lee']}.json`" in SECTION and stems["Ann_Lee"] == "Ann_Lee"


@pytest.mark.parametrize("argv, says", [
    (["grade-class", "/no/such/folder"], "no submissions at '/no/such/folder'"),
    (["grade-class", str(ROOT / "labs"), "--shard", "3/3"], "--shard takes i/n with 0 <= i < n"),
    (["merge", str(ROOT / "labs"), "--out", "/tmp/unused"], "is not the output of a grade-class run"),
])
def test_a_wrong_command_line_gets_a_sentence(argv, says):
    with pytest.raises(SystemExit) as e:
        cli.main(argv)
    assert says in str(e.value.code)

"""Every limit has a default and a help text, and a run can set any of them by name."""
import json
import subprocess
import sys
from dataclasses import fields

import pytest

from conftest import ROOT, write_notebook
from nngrade.config import Limits


def test_every_limit_has_a_help_text_and_is_listed():
    text = subprocess.run([sys.executable, "-m", "nngrade", "limits"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout
    defaults = Limits()
    for f in fields(Limits):
        assert f.metadata["help"] and f"{f.name} = {getattr(defaults, f.name)!r}: {f.metadata['help']}" in text


def test_settings_are_parsed_as_their_fields_type():
    limits = Limits().with_settings(["call_seconds=0.5", "restarts=3", "zygote=yes", "oracle_process=false"])
    # exact: parsed from short decimal strings, no arithmetic
    assert (limits.call_seconds, limits.restarts, limits.zygote, limits.oracle_process) == (0.5, 3, True, False)
    # exact: the dataclass default itself
    assert Limits().call_seconds == 5.0          # the defaults are not touched


@pytest.mark.parametrize("bad", ["call_second=1", "call_seconds", "restarts=many", "zygote=maybe"])
def test_an_unknown_name_or_a_bad_value_is_refused(bad):
    with pytest.raises(ValueError, match="--limit"):
        Limits().with_settings([bad])


def test_a_limit_set_on_the_command_line_is_the_one_applied(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    write_notebook(sub / "lab02_activations.ipynb",
                   ["import time\nimport numpy as np\n", "def relu(z):\n    time.sleep(1.5)\n    return np.maximum(z, 0.0)\n"])
    out = tmp_path / "r.json"
    p = subprocess.run([sys.executable, "-m", "nngrade", "grade", "--submission", str(sub), "--lab", "02",
                        "--function", "relu", "--oracles", "primary", "--out", str(out), "--limit", "call_seconds=0.5"],
                       cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    outputs = " ".join(t["output"] for t in json.loads(out.read_text())["tests"])
    assert "did not return within 0.5 s" in outputs
    p = subprocess.run([sys.executable, "-m", "nngrade", "grade", "--submission", str(sub), "--lab", "02",
                        "--limit", "call_secs=1"], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 2 and "call_seconds" in p.stderr and "Traceback" not in p.stderr

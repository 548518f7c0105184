"""A lab's fingerprint changes when what decides its checks changes, and only then."""
import shutil

from nngrade.registry import LABS, ROOT, lab_fingerprint


def _copy(tmp_path):
    for part in ("nngrade", "reference"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_a_changed_check_changes_its_labs_fingerprint_only(tmp_path):
    root = _copy(tmp_path)
    before = {lab: lab_fingerprint(lab, root=root) for lab in LABS.values()}
    assert before == {lab: lab_fingerprint(lab) for lab in LABS.values()}
    assert len(set(before.values())) == len(before)
    path = root / "nngrade" / "labs" / "lab03_losses" / "checks.py"
    path.write_text(path.read_text() + "\n# a changed check\n")
    after = {lab: lab_fingerprint(lab, root=root) for lab in LABS.values()}
    assert [lab for lab in LABS.values() if after[lab] != before[lab]] == ["lab03_losses"]


def test_an_oracle_a_lab_imports_is_part_of_its_fingerprint(tmp_path):
    root = _copy(tmp_path)
    before = {lab: lab_fingerprint(lab, root=root) for lab in LABS.values()}
    path = root / "reference" / "activations.py"
    path.write_text(path.read_text() + "\n# changed\n")
    changed = {lab for lab in LABS.values() if lab_fingerprint(lab, root=root) != before[lab]}
    assert "lab02_activations" in changed and "lab09_convolution" not in changed


def test_hidden_checks_are_part_of_the_fingerprint(tmp_path):
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    plain = lab_fingerprint("lab02_activations", hidden)
    (hidden / "lab02_activations.py").write_text("CHECKS = []\n")
    assert lab_fingerprint("lab02_activations", hidden) != plain
    assert lab_fingerprint("lab03_losses", hidden) == lab_fingerprint("lab03_losses")

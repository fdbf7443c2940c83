"""pyproject.toml declares the dependencies; requirements/*.txt lock them with hashes
(``python3 dev.py lock``). These tests fail when one is edited and the other forgotten."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# pyproject's groups ("" for the main dependencies) and the lock files that must hold each.
LOCKS_OF_GROUP = {
    "": ["base.txt", "dev.txt", "bench.txt"],
    "dev": ["dev.txt"],
    "bench": ["bench.txt"],
    "lock": ["lock.txt"],
}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(group):
    requirements = (
        PYPROJECT["dependencies"] if group == "" else PYPROJECT["optional-dependencies"][group]
    )
    pins = {}
    for requirement in requirements:
        match = PIN.match(requirement)
        assert match, f"pyproject.toml: pin {requirement!r} to one version (name==version)"
        pins[normalise(match[1])] = match[3]
    return pins


def locked(file_name):
    """{package: version} of a lock file; every package must be pinned and carry its hashes."""
    text = (REQUIREMENTS / file_name).read_text(encoding="utf-8")
    pins = {}
    # One entry per package: its pin line and the continuation lines that follow it.
    for entry in re.split(r"\n(?=\S)", text):
        if entry.startswith("#") or not entry.strip():
            continue
        match = PIN.match(entry)
        assert match, f"{file_name}: not pinned: {entry.splitlines()[0]!r}"
        assert "--hash=sha256:" in entry, f"{file_name}: {match[1]} has no hash"
        pins[normalise(match[1])] = match[3]
    return pins


def test_the_groups_here_are_the_groups_of_pyproject():
    assert set(LOCKS_OF_GROUP) == {"", *PYPROJECT["optional-dependencies"]}


@pytest.mark.parametrize(
    ("group", "file_name"),
    [(group, name) for group, names in LOCKS_OF_GROUP.items() for name in names],
)
def test_every_declared_pin_is_locked_at_the_same_version(group, file_name):
    lock = locked(file_name)
    disagree = {
        name: (version, lock.get(name))
        for name, version in declared(group).items()
        if lock.get(name) != version
    }
    assert not disagree, (
        f"pyproject.toml and requirements/{file_name} disagree ({{name: (declared, locked)}}): "
        f"{disagree}; run python3 dev.py lock"
    )


def test_the_runtime_lock_is_exactly_part_of_the_development_lock():
    base, dev = locked("base.txt"), locked("dev.txt")
    assert base
    assert {name: dev.get(name) for name in base} == base


def test_locked_reads_a_pin_with_its_hashes_and_refuses_one_without(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.REQUIREMENTS", tmp_path)
    (tmp_path / "ok.txt").write_text(
        "# header\nDjango==5.2.19 \\\n    --hash=sha256:ab\n    # via x\n", encoding="utf-8"
    )
    assert locked("ok.txt") == {"django": "5.2.19"}
    (tmp_path / "bad.txt").write_text("django==5.2.19\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="no hash"):
        locked("bad.txt")

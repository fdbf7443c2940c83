"""The layers of docs/architecture.md hold: each package imports only those below it.

The contract itself is import-linter's, in pyproject.toml. The second test proves it is not a
contract that cannot fail: the same check, on a copy of the code with one import added
against the layers, is broken and names the import.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]["root_packages"]

pytestmark = pytest.mark.slow


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_layers_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "added"),
    [
        ("core/wareki.py", "from councils import models"),  # the shared layer imports an app
        ("accounts/roles.py", "from councils.models import Area"),  # the old cycle, back
        ("councils/views.py", "from reports import status"),  # a domain app imports reports
        ("coordinators/views.py", "from needs_survey import models"),  # siblings
    ],
)
def test_an_import_against_the_layers_breaks_the_contract(tmp_path, module, added):
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "migrations"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{added}\n", encoding="utf-8")

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    assert "0 kept, 1 broken" in result.stdout
    importer = module.removesuffix(".py").replace("/", ".")
    assert importer in result.stdout

#!/usr/bin/env python3
"""Set up and run the project with nothing but Python 3.11+ and git.

    python3 dev.py serve   # .venv, install, migrate, load the 2017 data, demo logins, serve :8000
    python3 dev.py test    # .venv, install, run the whole test suite (extra args go to pytest)
    python3 dev.py lint    # ruff check, ruff format --check, migrations check

Every step is safe to repeat: the install runs again only when pyproject.toml changed.
Standard library only, since it runs before anything is installed.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
FIXTURES_2017 = sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "fixtures" / "2017").glob("*.json")
)
CHROMIUM = "/usr/bin/chromium"


def run(*args, env=None, check=True):
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=check)


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs before the venv exists
        sys.exit(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]}).")
    if not PYTHON.exists():
        print(f"Creating {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["dev"]
    stamp = VENV / f".installed-{hashlib.sha256(repr(requirements).encode()).hexdigest()[:16]}"
    if not stamp.exists():
        run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q", *requirements)
        for old in VENV.glob(".installed-*"):
            old.unlink()
        stamp.touch()


def django_env(**extra) -> dict:
    env = dict(os.environ)
    env.update(extra)
    return env


def manage(*args, env=None):
    return run(PYTHON, "manage.py", *args, env=env)


def serve() -> None:
    ensure_venv()
    # A developer's machine: DEBUG on (so no SECRET_KEY is needed), SQLite unless DATABASE_URL says else.
    env = django_env(DEBUG=os.environ.get("DEBUG", "1"))
    manage("migrate", "--noinput", env=env)
    manage("loaddata", *FIXTURES_2017, env=env)
    # Fixtures load raw: give each record its first history entry, once (later runs add none).
    manage("populate_history", "--auto", env=env)
    manage("demo_accounts", env=env)
    manage("runserver", "127.0.0.1:8000", env=env)


def ensure_chromium() -> None:
    """Browser tests drive Debian's Chromium. Install it when we can (root with apt-get)."""
    if Path(CHROMIUM).exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        run("apt-get", "update", "-qq", check=False)
        run("apt-get", "install", "-y", "-qq", "chromium", check=False)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: browser tests will be skipped (CI requires them).")


def test(pytest_args) -> int:
    ensure_venv()
    ensure_chromium()
    return subprocess.run([str(PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT).returncode


def lint() -> int:
    ensure_venv()
    env = django_env(DEBUG="1")
    steps = [
        [PYTHON, "-m", "ruff", "check", "."],
        [PYTHON, "-m", "ruff", "format", "--check", "."],
        [PYTHON, "manage.py", "makemigrations", "--check", "--dry-run"],
        [PYTHON, "manage.py", "check"],
    ]
    failed = [s for s in steps if run(*s, env=env, check=False).returncode != 0]
    return 1 if failed else 0


def main(argv) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command == "serve":
        serve()
        return 0
    if command == "test":
        return test(rest)
    if command == "lint":
        return lint()
    print(__doc__)
    return 0 if command in {"help", "-h", "--help"} else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Set up and run the project with nothing but Python 3.11+ and git.

    python3 dev.py serve   # .venv, install, migrate, load the 2017 data, demo logins, serve :8000
    python3 dev.py test    # .venv, install, the whole test suite on every core (extra args go to pytest)
    python3 dev.py lint    # ruff, import contract, migrations check, system check
    python3 dev.py lock    # rewrite requirements/*.txt from pyproject.toml (see requirements/README.md)

Every step is safe to repeat: the install runs again only when requirements/dev.txt changed.
It installs exactly the locked files (pip --require-hashes --no-deps), so nothing but pip is needed.
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
REQUIREMENTS = ROOT / "requirements"
LOCK = REQUIREMENTS / "dev.txt"
FIXTURES_2017 = sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "fixtures" / "2017").glob("*.json")
)
CHROMIUM = "/usr/bin/chromium"


def run(*args, env=None, check=True):
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=check)


def make_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs before the venv exists
        sys.exit(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]}).")
    if not PYTHON.exists():
        print(f"Creating {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)


def ensure_venv() -> None:
    make_venv()
    install_locked(LOCK, "installed")


def install_locked(lock: Path, stamp_name: str) -> None:
    """Install a lock file into .venv unless this very file is installed already."""
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()[:16]
    stamp = VENV / f".{stamp_name}-{digest}"
    if stamp.exists():
        return
    run(
        PYTHON,
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "-q",
        "--require-hashes",
        "--no-deps",
        "-r",
        lock.relative_to(ROOT),
    )
    for old in VENV.glob(f".{stamp_name}-*"):
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
    """The whole suite, browser tests and slow tests included. It runs on every core (pytest-xdist,
    one test database per worker; ``-n 0`` for one process) and names the slowest tests at the end.
    """
    ensure_venv()
    ensure_chromium()
    # worksteal: an idle worker takes tests queued for a busy one, so the slow tests that
    # come last in file order do not leave one core waiting on the other.
    defaults = ["-n", "auto", "--dist", "worksteal", "--durations=15"]
    return subprocess.run(
        [str(PYTHON), "-m", "pytest", *defaults, *pytest_args], cwd=ROOT
    ).returncode


def lint() -> int:
    ensure_venv()
    env = django_env(DEBUG="1")
    steps = [
        [PYTHON, "-m", "ruff", "check", "."],
        [PYTHON, "-m", "ruff", "format", "--check", "."],
        # The layer contract in pyproject.toml ([tool.importlinter]).
        [VENV / "bin" / "lint-imports"],
        [PYTHON, "manage.py", "makemigrations", "--check", "--dry-run"],
        [PYTHON, "manage.py", "check"],
    ]
    failed = [s for s in steps if run(*s, env=env, check=False).returncode != 0]
    return 1 if failed else 0


# What each lock file holds: pyproject's dependencies plus these optional groups. dev.txt first:
# the others are resolved within its versions, so that base.txt is exactly a part of dev.txt.
LOCKS = {"dev.txt": ["dev"], "base.txt": [], "bench.txt": ["bench"]}
# The Python and machine the locks are for: CPython 3.11 on Linux x86_64, as CI runs.
LOCK_TARGET = ["--python-version", "3.11", "--python-platform", "x86_64-unknown-linux-gnu"]


def lock(uv_args) -> int:
    """Rewrite requirements/*.txt from pyproject.toml, every package pinned with its hashes.

    Extra arguments go to ``uv pip compile``: ``--upgrade-package NAME`` to move one transitive
    package, ``--upgrade`` for all of them; without them the versions already locked are kept.
    """
    make_venv()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # The locking tool's own lock, from pyproject's "lock" group, is written with the tool already
    # installed from it; a new uv version is installed unhashed once, to write its own lock.
    tool_lock = REQUIREMENTS / "lock.txt"
    (tool,) = project["optional-dependencies"]["lock"]
    locked_lines = tool_lock.read_text(encoding="utf-8").splitlines() if tool_lock.exists() else []
    if any(line.startswith(f"{tool} ") for line in locked_lines):
        install_locked(tool_lock, "lock-tool")
    else:
        run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q", tool)
    uv = VENV / "bin" / "uv"
    common = [
        *LOCK_TARGET,
        "--generate-hashes",
        "--quiet",
        "--custom-compile-command",
        "python3 dev.py lock",
    ]
    compile_tool = [
        uv,
        "pip",
        "compile",
        "-",
        *common,
        "--output-file",
        tool_lock.relative_to(ROOT),
    ]
    print("+", " ".join(map(str, compile_tool)), flush=True)
    subprocess.run(
        [str(a) for a in (*compile_tool, *uv_args)],
        cwd=ROOT,
        input=tool + "\n",
        text=True,
        check=True,
    )
    for name, groups in LOCKS.items():
        extras = [arg for group in groups for arg in ("--extra", group)]
        within = [] if name == "dev.txt" else ["--constraint", "requirements/dev.txt"]
        run(
            uv,
            "pip",
            "compile",
            "pyproject.toml",
            *extras,
            *within,
            *common,
            "--output-file",
            f"requirements/{name}",
            *uv_args,
        )
    return 0


def main(argv) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command == "serve":
        serve()
        return 0
    if command == "test":
        return test(rest)
    if command == "lint":
        return lint()
    if command == "lock":
        return lock(rest)
    print(__doc__)
    return 0 if command in {"help", "-h", "--help"} else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

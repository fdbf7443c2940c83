"""Backing up and restoring the whole database (`manage.py backup` / `manage.py restore`).

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists`, connecting with the
DATABASES settings (the password goes through PGPASSWORD, never on a command line).
SQLite: the online backup API (`sqlite3.Connection.backup`), which copies a consistent
snapshot even while the app is writing.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(Exception):
    """Something an operator must fix; the message says what."""


def vendor(alias="default"):
    return connections[alias].vendor


def backup(path, alias="default"):
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise BackupError(f"Directory {path.parent} does not exist.")
    if vendor(alias) == "postgresql":
        _pg_dump(path, alias)
    elif vendor(alias) == "sqlite":
        _sqlite_backup(path, alias)
    else:
        raise BackupError(f"No backup method for the {vendor(alias)} database.")


def restore(path, alias="default"):
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    magic = path.read_bytes()[:16]
    if vendor(alias) == "postgresql":
        if not magic.startswith(PG_CUSTOM_MAGIC):
            raise BackupError(f"{path} is not a PostgreSQL custom-format dump (pg_dump -Fc).")
        _pg_restore(path, alias)
    elif vendor(alias) == "sqlite":
        if not magic.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} is not an SQLite database backup.")
        _sqlite_restore(path, alias)
    else:
        raise BackupError(f"No restore method for the {vendor(alias)} database.")


# --- PostgreSQL ---------------------------------------------------------------------------


def _pg_environment(alias):
    settings = connections[alias].settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def _pg_tool(name):
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return tool


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed:\n{result.stderr.strip()}")
    return result


def _pg_dump(path, alias):
    _run(
        [
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={path}",
        ],
        _pg_environment(alias),
    )


def _pg_restore(path, alias):
    # The app's connections to the database are closed first; other servers must be stopped.
    connections[alias].close()
    env = _pg_environment(alias)
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={env['PGDATABASE']}",
            str(path),
        ],
        env,
    )


# --- SQLite -------------------------------------------------------------------------------


def _sqlite_backup(path, alias):
    connection = connections[alias]
    connection.ensure_connection()
    # Through Django's own connection, so an in-memory database (the test suite's) works too.
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def _sqlite_restore(path, alias):
    connection = connections[alias]
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()

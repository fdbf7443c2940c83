"""Backing up and restoring the whole database (`manage.py backup` / `manage.py restore`).

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists`, connecting with the
DATABASES settings (the password goes through PGPASSWORD, never on a command line).
SQLite: the online backup API (`sqlite3.Connection.backup`), which copies a consistent
snapshot even while the app is writing.

A backup holds supporters' personal data: it is written to a temporary file created readable
and writable by its owner only (0600, whatever the umask) and then renamed onto the path, so
no other account can read it at any moment and a failed backup leaves nothing behind.
`restore` reads the first bytes to tell what the file is, checks an SQLite file is complete
and undamaged before touching the database, and turns what the tools refuse into a
`BackupError` (a command error, never a traceback).
"""

import os
import shutil
import sqlite3
import struct
import subprocess
import uuid
from contextlib import contextmanager
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
    if vendor(alias) not in ("postgresql", "sqlite"):
        raise BackupError(f"No backup method for the {vendor(alias)} database.")
    with _private_file(path) as partial:
        if vendor(alias) == "postgresql":
            _pg_dump(partial, alias)
        else:
            _sqlite_backup(partial, alias)


@contextmanager
def _private_file(path):
    """A new empty file beside ``path``, mode 0600, renamed onto ``path`` when the block
    succeeds and removed when it fails."""
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(descriptor)
    try:
        yield partial
        os.chmod(partial, 0o600)  # in case a tool recreated it
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _header(path, size=100) -> bytes:
    with open(path, "rb") as file:
        return file.read(size)


def restore(path, alias="default"):
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    magic = _header(path, 16)
    if vendor(alias) == "postgresql":
        if not magic.startswith(PG_CUSTOM_MAGIC):
            raise BackupError(f"{path} is not a PostgreSQL custom-format dump (pg_dump -Fc).")
        _pg_restore(path, alias)
    elif vendor(alias) == "sqlite":
        if not magic.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} is not an SQLite database backup.")
        _sqlite_check(path)
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


def _sqlite_check(path):
    """Refuse an SQLite file shorter than its header says, or that SQLite finds damaged,
    before the database is touched."""
    damaged = BackupError(
        f"{path} is an incomplete or damaged SQLite backup (cut off while copying?). "
        "Nothing was restored; use another backup."
    )
    header = _header(path)
    if len(header) < 100:
        raise damaged
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    (pages,) = struct.unpack(">I", header[28:32])
    if pages and path.stat().st_size < page_size * pages:
        raise damaged
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = source.execute("PRAGMA quick_check").fetchall()
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise damaged from error
    if result != [("ok",)]:
        raise damaged


def _sqlite_restore(path, alias):
    connection = connections[alias]
    connection.ensure_connection()
    source = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not restore {path}: {error}") from error
    finally:
        source.close()

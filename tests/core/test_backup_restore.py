"""manage.py backup / restore: a backup restored into an empty database holds every table,
row for row. SQLite always (in files, through subprocesses, whatever database the suite
runs on); PostgreSQL when the suite runs on PostgreSQL (as CI's second pass does)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
FIXTURES_2017 = sorted(str(p) for p in (ROOT / "fixtures" / "2017").glob("*.json"))


def add_extra_rows():
    """Rows the 2017 data lacks, personal data and an access record among them (made up)."""
    from django.contrib.auth.models import User

    from activities.models import Supporter, SupportGroup
    from audit.models import AccessRecord

    group = SupportGroup.objects.order_by("pk").first()
    user = User.objects.create_user("backup-check", password="pw-backup-check")
    Supporter.objects.create(
        group=group, name="見本 花子", kana="ミホン ハナコ", phone="0246-00-0000"
    )
    AccessRecord.objects.create(
        user=user, action="export", what="サポーター名簿", group=group, rows=1
    )


EXTRA_ROWS = "from tests.core.test_backup_restore import add_extra_rows; add_extra_rows()"


def manage(*args, database_url, stdin=None):
    env = dict(os.environ, DATABASE_URL=database_url)
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def contents(cursor, tables, quote):
    """Every table's rows, in a stable order, as the database driver returns them."""
    found = {}
    for table in tables:
        cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - table names from introspection
        found[table] = sorted(cursor.fetchall(), key=repr)
    return found


def sqlite_tables(cursor):
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [name for (name,) in cursor.fetchall()]


@pytest.mark.slow
def test_sqlite_backup_restored_into_an_empty_database_holds_every_table(tmp_path):
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    manage("migrate", "--noinput", database_url=source)
    manage("loaddata", *FIXTURES_2017, database_url=source)
    manage("shell", "-c", EXTRA_ROWS, database_url=source)
    backup_file = tmp_path / "iwaki.sqlite3.bak"
    manage("backup", str(backup_file), database_url=source)

    empty = tmp_path / "empty.sqlite3"
    manage("restore", str(backup_file), "--noinput", database_url=f"sqlite:///{empty}")

    with (
        sqlite3.connect(tmp_path / "source.sqlite3") as original,
        sqlite3.connect(empty) as restored,
    ):
        tables = sqlite_tables(original.cursor())
        assert "activities_supporter" in tables and "django_migrations" in tables
        assert sqlite_tables(restored.cursor()) == tables
        quote = lambda name: f'"{name}"'  # noqa: E731
        before = contents(original.cursor(), tables, quote)
        after = contents(restored.cursor(), tables, quote)
    for table in tables:
        assert len(after[table]) == len(before[table]), table
        assert after[table] == before[table], table
    assert len(before["activities_supporter"]) == 1
    assert len(before["councils_area"]) == 13


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the in-process path of SQLite")
def test_backup_of_the_running_sqlite_database_is_a_database_file(data_2017, tmp_path):
    call_command("backup", str(tmp_path / "now.sqlite3"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    with sqlite3.connect(tmp_path / "now.sqlite3") as copy:
        assert copy.execute("SELECT count(*) FROM councils_area").fetchone() == (13,)


@pytest.mark.slow
@pytest.mark.postgresql
def test_postgresql_backup_restored_into_an_empty_database_holds_every_table(
    transactional_db, data_2017, tmp_path
):
    import psycopg

    add_extra_rows()
    backup_file = tmp_path / "iwaki.dump"
    call_command("backup", str(backup_file), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert backup_file.read_bytes().startswith(b"PGDMP")

    settings = connection.settings_dict
    empty_name = f"{settings['NAME']}_restore"
    server = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{empty_name}"')
        admin.execute(f'CREATE DATABASE "{empty_name}"')
    try:
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        url = (
            f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{empty_name}"
        )
        manage("restore", str(backup_file), "--noinput", database_url=url)

        tables = sorted(connection.introspection.table_names())
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            before = contents(cursor, tables, quote)
        with psycopg.connect(dbname=empty_name, **server) as restored:
            restored_tables = sorted(
                name
                for (name,) in restored.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            )
            assert restored_tables == tables
            after = contents(restored.cursor(), tables, quote)
        for table in tables:
            assert len(after[table]) == len(before[table]), table
            assert after[table] == before[table], table
        assert len(before["activities_supporter"]) == 1
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{empty_name}"')


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    not_a_backup = tmp_path / "supporters.csv"
    not_a_backup.write_text("氏名,電話\n")
    with pytest.raises(CommandError, match="not a"):
        call_command("restore", str(not_a_backup), "--noinput")


def test_restore_stops_unless_the_operator_types_yes(db, tmp_path, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(tmp_path / "whatever.bak"))


def test_backup_names_a_missing_directory(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "missing" / "x.bak"))


# --- what the backup file is and what restore refuses ---------------------------------------


def _mode(path):
    return path.stat().st_mode & 0o777


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the in-process path of SQLite")
def test_a_backup_is_readable_by_its_owner_only_whatever_the_umask(data_2017, tmp_path):
    previous = os.umask(0o022)  # what most shells and crons run with: files -rw-r--r--
    try:
        call_command("backup", str(tmp_path / "now.sqlite3"), stdout=open(os.devnull, "w"))  # noqa: SIM115
        existing = tmp_path / "again.sqlite3"
        existing.write_bytes(b"")
        existing.chmod(0o644)
        call_command("backup", str(existing), stdout=open(os.devnull, "w"))  # noqa: SIM115
    finally:
        os.umask(previous)
    assert _mode(tmp_path / "now.sqlite3") == 0o600
    assert _mode(existing) == 0o600
    # Nothing else is left in the directory (no temporary file, no journal).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.sqlite3", "now.sqlite3"]


@pytest.mark.postgresql
def test_a_postgresql_dump_is_readable_by_its_owner_only(data_2017, tmp_path):
    previous = os.umask(0o022)
    try:
        call_command("backup", str(tmp_path / "now.dump"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    finally:
        os.umask(previous)
    assert _mode(tmp_path / "now.dump") == 0o600
    assert (tmp_path / "now.dump").read_bytes().startswith(b"PGDMP")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the in-process path of SQLite")
def test_a_truncated_sqlite_backup_is_a_clear_command_error_and_changes_nothing(
    data_2017, tmp_path
):
    from councils.models import Area

    whole = tmp_path / "whole.sqlite3"
    call_command("backup", str(whole), stdout=open(os.devnull, "w"))  # noqa: SIM115
    cut = tmp_path / "cut.sqlite3"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])

    with pytest.raises(CommandError, match="incomplete or damaged"):
        call_command("restore", str(cut), "--noinput")
    assert Area.objects.count() == 13


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the in-process path of SQLite")
def test_a_damaged_sqlite_backup_is_a_clear_command_error(data_2017, tmp_path):
    whole = tmp_path / "whole.sqlite3"
    call_command("backup", str(whole), stdout=open(os.devnull, "w"))  # noqa: SIM115
    data = bytearray(whole.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # a page of garbage after an intact header
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="incomplete or damaged"):
        call_command("restore", str(damaged), "--noinput")


def test_restore_checks_the_header_without_reading_the_whole_file(db, tmp_path):
    import tracemalloc

    big = tmp_path / "big.bak"
    with big.open("wb") as file:
        file.write(b"not a backup at all")
        file.truncate(200 * 1024 * 1024)  # sparse: 200 MB that take no disk
    tracemalloc.start()
    try:
        with pytest.raises(CommandError, match="not a"):
            call_command("restore", str(big), "--noinput")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024

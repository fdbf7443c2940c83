"""Every file of the corpus (tests/corpus) through every import: a Japanese message, nothing
written, never a 500 or a traceback.

The paths: the reader itself, the supporter import page and its admin twin,
``manage.py import_supporters`` (in process, and as a real process for its exit status and
output), the needs-survey import page and the admin's reference-table import.
"""

import html
import io
import re
import subprocess
import sys
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from activities.models import PendingImport, Supporter, SupporterImport, SupportGroup
from core.spreadsheets import Column, SpreadsheetError, read_table
from needs_survey.models import HelpCategory, Survey, SurveyResult
from tests.admin_files import preview, snapshot
from tests.corpus import ALLOWED, CASES, SHEET, rewrite, roster_xlsx
from tests.spreadsheet_files import csv_bytes, xlsx_bytes

COLUMNS = [
    Column("name", "氏名", (), required=True),
    Column("kana", "ふりがな", ()),
    Column("address", "住所", ()),
]
SUPPORTER_IMPORT = reverse("activities:supporterimport-create")
SURVEY_IMPORT = reverse("needs_survey:survey-import")


def text_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_reader_refuses_each_case_with_its_message(case):
    with pytest.raises(SpreadsheetError) as refused:
        read_table(case.data, COLUMNS, filename=case.name)
    assert case.message in str(refused.value)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("case", ALLOWED, ids=str)
def test_a_crlf_line_break_and_a_tab_in_a_cell_are_read(case):
    table = read_table(case.data, COLUMNS, filename=case.name)
    assert [row.values["address"] for row in table.rows] == [case.message]


def test_a_far_cell_with_only_a_style_and_a_wide_sheet_within_the_limit_are_read():
    # A style alone at XFD1048576 is nothing the reader allocates for.
    end = b"</row></sheetData>"
    styled = rewrite(
        roster_xlsx(), SHEET, lambda c: c.replace(end, b'<c r="XFD1048576" s="0"/>' + end)
    )
    assert b'r="XFD1048576"' in zipfile.ZipFile(io.BytesIO(styled)).read(SHEET)
    table = read_table(styled, COLUMNS, filename="名簿.xlsx")
    assert [row.values["name"] for row in table.rows] == ["山田 太郎"]
    # Values out to column BZ (78 columns) on 300 rows: scanned cell by cell, and read.
    wide = [["氏名", *(f"列{i}" for i in range(77))]]
    wide += [[f"山田 {n}", *range(77)] for n in range(300)]
    table = read_table(xlsx_bytes(wide), COLUMNS, filename="名簿.xlsx")
    assert len(table.rows) == 300


def test_a_far_value_in_a_second_sheet_is_refused_too():
    data = xlsx_bytes([["氏名"], ["山田 太郎"]], extra_sheets=[("別", [["a"]])])
    data = rewrite(data, "xl/worksheets/sheet2.xml", lambda c: c.replace(b'r="A1"', b'r="ZZ99999"'))
    with pytest.raises(SpreadsheetError, match="A1からZZ99999まで"):
        read_table(data, COLUMNS, filename="名簿.xlsx")


def nothing_written():
    return (
        Supporter.objects.count(),
        SupporterImport.objects.count(),
        PendingImport.objects.count(),
        Survey.objects.count(),
        SurveyResult.objects.count(),
    )


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_supporter_import_page_shows_the_message_and_writes_nothing(
    client, coordinator_taira, case
):
    client.force_login(coordinator_taira)
    before = nothing_written()
    response = client.post(
        SUPPORTER_IMPORT,
        {
            "file": SimpleUploadedFile(case.name, case.data),
            "group": SupportGroup.objects.get(name="城山").pk,
        },
    )
    assert response.status_code == 200
    assert case.message in text_of(response)
    assert nothing_written() == before
    assert not PendingImport.objects.exists()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_supporter_import_in_the_admin_shows_the_message_and_writes_nothing(
    client, administrator, data_2017, case
):
    client.force_login(administrator)
    before = nothing_written()
    response = client.post(
        reverse("admin:activities_supporter_import"),
        {
            "file": SimpleUploadedFile(case.name, case.data),
            "group": SupportGroup.objects.get(name="城山").pk,
        },
    )
    assert response.status_code == 200
    assert case.message in text_of(response)
    assert nothing_written() == before


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_survey_import_page_shows_the_message_and_writes_nothing(
    client, coordinator_taira, case
):
    client.force_login(coordinator_taira)
    before = nothing_written()
    response = client.post(SURVEY_IMPORT, {"file": SimpleUploadedFile(case.name, case.data)})
    assert response.status_code == 200
    # The survey's columns are not the roster's: a cell is named by its column letter.
    expected = case.survey_message or re.sub(r"「[^」]+」（([A-Z]+列)）", r" \1", case.message)
    assert expected in text_of(response)
    assert 'name="token"' not in response.content.decode()  # nothing to confirm
    assert nothing_written() == before


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_command_ends_with_the_message_in_one_line(tmp_path, data_2017, case):
    path = tmp_path / case.name
    path.write_bytes(case.data)
    before = nothing_written()
    with pytest.raises(CommandError) as refused:
        call_command("import_supporters", str(path), "--group", "城山")
    assert case.message in str(refused.value)
    assert "\n" not in str(refused.value)
    assert nothing_written() == before


def test_a_nul_past_the_first_4_kb_of_a_survey_csv_is_refused_with_row_and_column(
    client, coordinator_taira
):
    lines = ["圏域,年度,項目,希望者数,分類,備考"]
    lines += [f"平,H29,①声かけ,{n},○,備考{'あ' * 20}" for n in range(100)]
    lines.append("平,H29,②見守り,3,○,民生委員\x00と分担")
    data = "\r\n".join(lines).encode("cp932")
    assert data.index(b"\x00") > 4096
    client.force_login(coordinator_taira)
    response = client.post(SURVEY_IMPORT, {"file": SimpleUploadedFile("集計.csv", data)})
    assert response.status_code == 200
    assert "102行目「備考」（F列）に制御文字 U+0000（NUL）があります" in text_of(response)
    assert not Survey.objects.exists()


ADMIN_CASES = [case for case in CASES if "制御文字" not in case.message]


@pytest.mark.parametrize("case", ADMIN_CASES, ids=str)
def test_the_admin_import_shows_the_message_on_the_file_and_writes_nothing(
    admin_client, data_2017, case
):
    before = snapshot(HelpCategory)
    fmt = "csv" if case.name.endswith(".csv") else "xlsx"
    response = preview(admin_client, HelpCategory, case.data, fmt=fmt, name=case.name)
    assert response.status_code == 200
    assert case.message in text_of(response)
    assert response.context.get("confirm_form") is None
    assert snapshot(HelpCategory) == before


def test_the_admin_import_names_the_row_and_header_of_a_control_character(admin_client, data_2017):
    before = snapshot(HelpCategory)
    rows = [["番号", "項目名"], [1, "声かけ"], [2, "見守り\x00"]]
    response = preview(admin_client, HelpCategory, csv_bytes(rows), fmt="csv", name="項目.csv")
    assert response.status_code == 200
    assert "3行目「項目名」（B列）に制御文字 U+0000（NUL）があります" in text_of(response)
    assert snapshot(HelpCategory) == before


def test_the_corpus_is_the_one_on_disk_when_written(tmp_path):
    from tests.corpus import write

    write(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(c.name for c in (*CASES, *ALLOWED))
    assert all((tmp_path / c.name).read_bytes() == c.data for c in CASES)


AS_A_PROCESS = {
    "doctype-entities.xlsx",
    "unclosed-sheet.xlsx",
    "missing-sheet.xlsx",
    "cell-address-overflow.xlsx",
    "nul-after-4k.csv",
}


@pytest.mark.slow
@pytest.mark.timeout(300)  # a migration and a process per case on a shared machine
def test_the_command_as_a_process_prints_one_japanese_line_and_exits_1(tmp_path):
    """As cron runs it: exit status 1, one line on stderr, no traceback (nor a Rust panic)."""
    database = tmp_path / "db.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "x" * 50, "PATH": "/usr/bin:/bin"}

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    assert manage("migrate", "-v0").returncode == 0
    fixtures = ["01_councils", "02_needs_survey", "03_coordinators", "04_activities"]
    loaded = manage("loaddata", *(f"fixtures/2017/{name}.json" for name in fixtures), "-v0")
    assert loaded.returncode == 0, loaded.stderr
    folder = tmp_path / "corpus"
    folder.mkdir()
    # The cases that gave a traceback before (the reader's own errors, a Rust panic, a NUL
    # the database refuses); every case is run in process above.
    for case in (case for case in CASES if case.name in AS_A_PROCESS):
        path = folder / case.name
        path.write_bytes(case.data)
        done = manage("import_supporters", str(path), "--group", "城山")
        assert done.returncode == 1, (case.name, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, (case.name, done.stderr)
        assert case.message in lines[0]
        assert "Traceback" not in done.stderr and "panicked" not in done.stderr

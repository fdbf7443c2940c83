"""manage.py import_supporters: exit status 0 only when everything imported (or would)."""

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from activities.models import Supporter, SupporterImport
from tests.spreadsheet_files import csv_bytes, xlsx_bytes

ROWS = [
    ["城山 名簿"],
    ["氏名", "フリガナ", "生年月日"],
    ["山田 太郎", "ﾔﾏﾀﾞ", "H1.1.8"],
    ["佐藤", "さとう", ""],
]


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "名簿.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))
    return path


def test_command_imports_into_the_named_group(roster, capsys, data_2017):
    call_command("import_supporters", str(roster), "--group", "平 城山")
    out = capsys.readouterr().out
    assert "取り込みました" in out and "新規 2件" in out
    assert set(Supporter.objects.values_list("group__name", flat=True)) == {"城山"}
    record = SupporterImport.objects.get()
    assert (record.source, record.user, record.file_name) == ("command", None, "名簿.xlsx")


def test_dry_run_writes_nothing(roster, capsys, data_2017):
    call_command("import_supporters", str(roster), "--group", "城山", "--dry-run")
    assert "確認のみ（書き込んでいません）: 新規 2件" in capsys.readouterr().out
    assert not Supporter.objects.exists()
    assert not SupporterImport.objects.exists()


def test_errors_are_all_listed_and_nothing_is_written(tmp_path, capsys, data_2017):
    path = tmp_path / "名簿.csv"
    rows = [*ROWS, ["鈴木", "すずき", "平成31年5月1日"], ["", "タナカ", "2月30日"]]
    path.write_bytes(csv_bytes(rows))
    with pytest.raises(CommandError, match="エラーがあるため何も取り込んでいません"):
        call_command("import_supporters", str(path), "--group", "城山")
    err = capsys.readouterr().err
    assert "5行目「生年月日」: 平成31年5月1日は平成の期間外です。" in err
    assert "6行目「氏名」: 氏名が空欄です。" in err
    assert "6行目「生年月日」" in err
    assert not Supporter.objects.exists()


def test_encoding_option_overrides_detection(tmp_path, data_2017):
    path = tmp_path / "名簿.csv"
    path.write_bytes(csv_bytes([["氏名"], ["髙橋"]], encoding="cp932"))
    with pytest.raises(CommandError):
        call_command("import_supporters", str(path), "--group", "城山", "--encoding", "utf-8")
    call_command("import_supporters", str(path), "--group", "城山", "--encoding", "cp932")
    assert Supporter.objects.get().name == "髙橋"


def test_unknown_group_and_missing_file_are_errors(roster, tmp_path, data_2017):
    with pytest.raises(CommandError, match="団体「どこにもない」が見つかりません"):
        call_command("import_supporters", str(roster), "--group", "どこにもない")
    with pytest.raises(CommandError, match="ファイルを読めません"):
        call_command("import_supporters", str(tmp_path / "none.xlsx"))


@pytest.mark.slow
def test_exit_status_is_zero_only_when_everything_imports(tmp_path):
    """Run as a real process against its own file database, to see the exit status itself."""
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
    assert (
        manage(
            "loaddata",
            "fixtures/2017/01_councils.json",
            "fixtures/2017/02_needs_survey.json",
            "fixtures/2017/03_coordinators.json",
            "fixtures/2017/04_activities.json",
            "-v0",
        ).returncode
        == 0
    )
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx_bytes(ROWS))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([*ROWS, ["鈴木", "", "H29.2.30"]]))
    dry = manage("import_supporters", str(good), "--group", "城山", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    failed = manage("import_supporters", str(bad), "--group", "城山")
    assert failed.returncode != 0
    assert "5行目「生年月日」" in failed.stderr
    done = manage("import_supporters", str(good), "--group", "城山")
    assert done.returncode == 0, done.stderr
    again = manage("import_supporters", str(good), "--group", "城山")
    assert "変更なし 2件" in again.stdout


def test_command_keeps_blank_cells_unless_told_and_reports_losses(tmp_path, capsys, data_2017):
    from activities.models import SupportGroup

    shiroyama = SupportGroup.objects.get(name="城山")
    Supporter.objects.create(group=shiroyama, name="山田 太郎", address="いわき市平1-1")
    Supporter.objects.create(group=shiroyama, name="佐藤 花子")
    Supporter.objects.create(group=shiroyama, name="鈴木")
    path = tmp_path / "名簿.csv"
    path.write_bytes(
        csv_bytes([["氏名", "住所", "状態"], ["山田 太郎", "", ""], ["鈴木", "", "退会"]])
    )

    call_command("import_supporters", str(path), "--group", "城山", "--dry-run")
    out = capsys.readouterr().out
    assert "3行目: 登録を終了します。" in out
    assert "登録終了 1件、空欄になる値 0件" in out

    call_command(
        "import_supporters", str(path), "--group", "城山", "--blank-clears", "--end-missing"
    )
    out = capsys.readouterr().out
    assert "2行目「住所」: 空欄になります。" in out
    assert "ファイルにないため登録を終了する人: 1人" in out
    assert "佐藤" not in out  # names are not printed
    assert "登録終了 2件、空欄になる値 1件" in out
    assert Supporter.objects.get(name="山田 太郎").address == ""
    assert set(Supporter.objects.filter(active=False).values_list("name", flat=True)) == {
        "佐藤 花子",
        "鈴木",
    }
    assert SupporterImport.objects.get().ended == 2


def test_command_prints_warnings_and_still_imports(tmp_path, capsys, data_2017):
    path = tmp_path / "名簿.csv"
    path.write_bytes(
        csv_bytes([["氏名", "電話"], ["山田 太郎", "9087654321"], ["※続きは別紙", ""]])
    )
    call_command("import_supporters", str(path), "--group", "城山")
    out = capsys.readouterr().out
    assert "注意: 2行目「電話」: 先頭の0が抜けているようです" in out
    assert "注意: 3行目は注記（「※続きは別紙」）だけの行のため取り込みません。" in out
    assert Supporter.objects.get().phone == "9087654321"

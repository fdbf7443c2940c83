"""The import engine on a corpus of realistic and broken spreadsheets, each with exact counts
and the database afterwards."""

import io
from datetime import date, datetime

import pytest

from activities.imports import prepare
from activities.models import Supporter, SupporterImport, SupportGroup
from activities.services import apply_import, import_file
from audit.models import AccessRecord
from tests.spreadsheet_files import (
    csv_bytes,
    encrypted_xlsx_bytes,
    xlsx_bytes,
    zip_bomb_bytes,
)


def counts(result):
    c = result.counts
    return {k: c[k] for k in ("new", "update", "unchanged", "duplicate", "error")}


def run(data, filename="名簿.xlsx", **kwargs):
    kwargs.setdefault("user", None)
    return import_file(data, filename=filename, **kwargs)


@pytest.fixture
def shiroyama(db):
    return SupportGroup.objects.get(name="城山")


@pytest.fixture
def kamata(db):
    return SupportGroup.objects.get(name="鎌田")


# A roster as a district council keeps it: title rows, full-width digits, half-width kana,
# era dates, an Excel date, a serial number, a category list, a column nobody asked for.
OFFICE_ROSTER = [
    ["平成29年度 城山地区 支え合いサポーター名簿"],
    ["", "", "", "", "", "平成29年10月31日現在"],
    ["No.", "地区", "氏　名", "フリガナ", "ＴＥＬ", "生年月日", "登録年月日", "できること", "備考"],
    [
        1,
        "平 城山",
        "山田　太郎",
        "ﾔﾏﾀﾞ ﾀﾛｳ",
        "０２４６－２２－１１１１",
        "昭和20年5月1日",
        "H29.7.1",
        "①声かけ・ごみ出し",
        "",
    ],
    [
        2,
        "城山",
        "髙橋 﨑子",
        "たかはし さきこ",
        "0246-22-2222",
        datetime(1950, 3, 3),
        42917,
        "買物、通院・外出",
        "車あり",
    ],
    [None, None, None, None, None, None, None, None, None],
    [3, "平城山", "鈴木 一郎", "スズキ イチロウ", "090-1111-2222", "S25/4/1", "2017-07-01", "", ""],
]


def test_office_roster_imports_with_every_value_normalised(shiroyama):
    result, record = run(xlsx_bytes(OFFICE_ROSTER))
    assert result.errors == []
    assert counts(result) == {"new": 3, "update": 0, "unchanged": 0, "duplicate": 0, "error": 0}
    assert result.header_row == 3
    assert result.notices == ["次の列は取り込みません: 「No.」"]
    yamada = Supporter.objects.get(name_key="山田太郎")
    assert (yamada.group, yamada.name, yamada.kana, yamada.phone) == (
        shiroyama,
        "山田 太郎",
        "ヤマダ タロウ",
        "0246-22-1111",
    )
    assert (yamada.birth_date, yamada.registered_on) == (date(1945, 5, 1), date(2017, 7, 1))
    assert sorted(yamada.help_categories.values_list("number", flat=True)) == [1, 5]
    takahashi = Supporter.objects.get(name="髙橋 﨑子")
    assert (takahashi.kana, takahashi.birth_date, takahashi.registered_on, takahashi.note) == (
        "タカハシ サキコ",
        date(1950, 3, 3),
        date(2017, 7, 1),
        "車あり",
    )
    assert sorted(takahashi.help_categories.values_list("number", flat=True)) == [2, 3]
    assert Supporter.objects.get(name_key="鈴木一郎").birth_date == date(1950, 4, 1)
    assert (record.created, record.rows, record.file_name) == (3, 3, "名簿.xlsx")
    history = Supporter.history.get(name_key="山田太郎")
    assert (history.history_type, history.phone, history.history_change_reason) == (
        "+",
        "0246-22-1111",
        f"サポーター名簿の取込 #{record.pk}",
    )
    assert Supporter.history.count() == 3


def test_importing_the_same_file_twice_changes_nothing(shiroyama):
    data = xlsx_bytes(OFFICE_ROSTER)
    run(data)
    before = list(Supporter.objects.values())
    result, record = run(data)
    assert counts(result) == {"new": 0, "update": 0, "unchanged": 3, "duplicate": 0, "error": 0}
    assert list(Supporter.objects.values()) == before
    assert Supporter.history.count() == 3
    assert record.unchanged == 3


def test_a_changed_phone_number_updates_only_that_supporter(shiroyama):
    run(xlsx_bytes(OFFICE_ROSTER))
    rows = [list(r) for r in OFFICE_ROSTER]
    rows[3][4] = "0246-99-9999"
    result, _ = run(xlsx_bytes(rows))
    assert counts(result) == {"new": 0, "update": 1, "unchanged": 2, "duplicate": 0, "error": 0}
    assert [e.changed for e in result.entries if e.action == "update"] == [["電話番号"]]
    assert Supporter.objects.get(name_key="山田太郎").phone == "0246-99-9999"
    assert list(
        Supporter.history.filter(name_key="山田太郎").values_list("history_type", "phone")
    ) == [("~", "0246-99-9999"), ("+", "0246-22-1111")]


def test_registered_counts_follow_the_import(shiroyama):
    run(xlsx_bytes(OFFICE_ROSTER))
    counts_by_group = dict(
        SupportGroup.objects.with_registered_counts().values_list("name", "registered_supporters")
    )
    assert counts_by_group["城山"] == 3
    assert counts_by_group["鎌田"] == 0


def test_columns_absent_from_the_file_are_left_alone(shiroyama):
    Supporter.objects.create(group=shiroyama, name="山田 太郎", address="いわき市平1-1", phone="1")
    result, _ = run(
        csv_bytes([["氏名", "電話"], ["山田太郎", "2"]]), "a.csv", default_group=shiroyama
    )
    assert counts(result)["update"] == 1
    yamada = Supporter.objects.get()
    assert (yamada.phone, yamada.address) == ("2", "いわき市平1-1")


def test_changed_help_categories_are_replaced(shiroyama):
    run(xlsx_bytes(OFFICE_ROSTER))
    rows = [list(r) for r in OFFICE_ROSTER]
    rows[3][7] = "庭手入れ 窓拭き"
    result, _ = run(xlsx_bytes(rows))
    assert counts(result)["update"] == 1
    yamada = Supporter.objects.get(name_key="山田太郎")
    assert sorted(yamada.help_categories.values_list("name", flat=True)) == ["庭手入れ", "窓拭き"]


def test_an_inactive_supporter_listed_again_is_active_again(shiroyama):
    Supporter.objects.create(group=shiroyama, name="山田 太郎", active=False)
    result, _ = run(csv_bytes([["氏名"], ["山田 太郎"]]), "a.csv", default_group=shiroyama)
    assert [e.changed for e in result.entries] == [["登録中"]]
    assert Supporter.objects.get().active


def test_exact_duplicate_row_imported_once_with_a_notice(shiroyama):
    rows = [["氏名", "電話"], ["山田 太郎", "1"], ["山田　太郎", "1"], ["佐藤", "2"]]
    result, record = run(csv_bytes(rows), "a.csv", default_group=shiroyama)
    assert counts(result) == {"new": 2, "update": 0, "unchanged": 0, "duplicate": 1, "error": 0}
    assert result.entries[1].notice == "2行目と同じ内容のため、1件として取り込みます。"
    assert Supporter.objects.count() == 2
    assert record.duplicates == 1


def test_conflicting_duplicates_are_an_error_and_nothing_is_written(shiroyama):
    rows = [["氏名", "電話"], ["山田 太郎", "1"], ["佐藤", "2"], ["山田太郎", "3"]]
    result, record = run(csv_bytes(rows), "a.csv", default_group=shiroyama)
    assert counts(result) == {"new": 2, "update": 0, "unchanged": 0, "duplicate": 0, "error": 1}
    assert result.errors == [
        "4行目: 2行目と同じ氏名で内容が異なります（電話番号）。どちらかを直すか、別の人なら氏名で区別してください。"
    ]
    assert record is None
    assert not Supporter.objects.exists()


def test_same_name_in_two_groups_is_two_people(shiroyama, kamata):
    rows = [["団体", "氏名"], ["城山", "山田 太郎"], ["鎌田", "山田 太郎"]]
    result, _ = run(csv_bytes(rows), "a.csv")
    assert counts(result)["new"] == 2
    assert set(Supporter.objects.values_list("group__name", flat=True)) == {"城山", "鎌田"}


def test_cp932_csv_with_characters_shift_jis_cannot_encode(shiroyama):
    rows = [["団体名", "氏名", "備考"], ["城山", "髙橋 﨑子", "①㈱～"]]
    result, _ = run(csv_bytes(rows, encoding="cp932"), "a.csv")
    assert result.encoding == "cp932"
    assert Supporter.objects.get().name == "髙橋 﨑子"
    assert Supporter.objects.get().note == "①㈱～"  # free text is kept as written


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("平成31年5月1日", "5行目「生年月日」: 平成31年5月1日は平成の期間外です。"),
        (
            "2017/2/30",
            "5行目「生年月日」: 2017年2月30日は存在しない日付です（2017年2月は28日まで）。",
        ),
        (
            "H29.2.30",
            "5行目「生年月日」: 平成29年2月30日は存在しない日付です（平成29年2月は28日まで）。",
        ),
        ("きのう", "5行目「生年月日」: 日付の形式が読み取れません"),
    ],
)
def test_bad_dates_are_errors_with_row_and_column(shiroyama, cell, message):
    rows = [["名簿"], [], ["氏名", "生年月日"], ["山田", "S20.1.1"], ["佐藤", cell]]
    result, record = run(xlsx_bytes(rows), default_group=shiroyama)
    assert counts(result) == {"new": 1, "update": 0, "unchanged": 0, "duplicate": 0, "error": 1}
    assert result.errors[0].startswith(message)
    assert record is None
    assert not Supporter.objects.exists()


def test_every_error_is_listed_not_only_the_first(shiroyama):
    rows = [
        ["氏名", "フリガナ", "生年月日", "活動内容", "電話番号"],
        ["山田", "山田", "S20.1.1", "", ""],
        ["", "サトウ", "", "", ""],
        ["鈴木", "", "2099/1/1", "草むしり", "0" * 51],
    ]
    result, _ = run(xlsx_bytes(rows), default_group=shiroyama)
    assert counts(result)["error"] == 3
    assert [e.split(":")[0] for e in result.errors] == [
        "2行目「フリガナ」",
        "3行目「氏名」",
        "4行目「生年月日」",
        "4行目「活動内容」",
        "4行目「電話番号」",
    ]
    assert "「草むしり」は項目にありません" in result.errors[3]


def test_unknown_group_and_missing_group_are_errors(shiroyama):
    rows = [["団体名", "氏名"], ["城山", "山田"], ["どこか", "佐藤"], ["", "鈴木"]]
    result, _ = run(csv_bytes(rows), "a.csv")
    assert result.errors == [
        "3行目「団体名」: 団体「どこか」が見つかりません。団体名か地区名（例: 城山、平 城山）で書いてください。",
        "4行目「団体名」: 団体が空欄です。",
    ]
    # With a chosen group, blank group cells take it; named groups still win.
    result, _ = run(csv_bytes([rows[0], rows[1], rows[3]]), "a.csv", default_group=None)
    assert counts(result)["error"] == 1


def test_file_without_a_group_column_needs_a_chosen_group(shiroyama):
    result, _ = run(csv_bytes([["氏名"], ["山田"]]), "a.csv")
    # One message for the file, not one per row.
    assert result.errors == ["ファイルに団体の列がありません。取り込む団体を選んでください。"]


def test_rows_outside_the_allowed_groups_are_errors(shiroyama):
    rows = [["団体名", "氏名"], ["城山", "山田"], ["玉川", "佐藤"]]
    allowed = SupportGroup.objects.filter(council__area__name="平")
    result, _ = run(csv_bytes(rows), "a.csv", allowed_groups=allowed)
    assert result.errors == [
        "3行目「団体名」: 団体「小名浜 玉川町西区」（小名浜）は担当する圏域外のため取り込めません。"
    ]
    assert not Supporter.objects.exists()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (encrypted_xlsx_bytes(), "名簿.xlsx", "パスワードで保護"),
        (xlsx_bytes(OFFICE_ROSTER)[:3000], "名簿.xlsx", "途中までしか保存されていません"),
        (b"%PDF-1.4\n\x00\x00", "名簿.pdf", "表計算のファイルではない"),
        (b"", "名簿.csv", "ファイルが空です"),
        (xlsx_bytes([["名簿"], ["氏名", "電話"]]), "名簿.xlsx", "データの行がありません"),
        (zip_bomb_bytes(60), "名簿.xlsx", "展開すると大きすぎる"),
    ],
    ids=["encrypted", "truncated", "not-a-spreadsheet", "empty", "header-only", "zip-bomb"],
)
def test_broken_files_write_nothing(shiroyama, data, filename, message):
    result, record = run(data, filename, default_group=shiroyama)
    assert len(result.file_errors) == 1 and message in result.file_errors[0]
    assert counts(result) == {"new": 0, "update": 0, "unchanged": 0, "duplicate": 0, "error": 0}
    assert record is None
    assert not Supporter.objects.exists()
    assert not SupporterImport.objects.exists()


def test_too_big_and_too_many_rows(shiroyama, settings):
    settings.SPREADSHEET_MAX_ROWS = 5
    rows = [["氏名"]] + [[f"名前{i}"] for i in range(5)]
    result, _ = run(csv_bytes(rows), "a.csv", default_group=shiroyama)
    assert "5行までのファイルにしてください" in result.file_errors[0]
    settings.SPREADSHEET_MAX_BYTES = 10
    result, _ = run(csv_bytes(rows[:2]), "a.csv", default_group=shiroyama)
    assert "大きすぎます" in result.file_errors[0]
    assert not Supporter.objects.exists()


def test_apply_refuses_when_the_database_no_longer_matches_the_preview(shiroyama):
    data = csv_bytes([["氏名", "電話"], ["山田", "1"]])
    result = prepare(data, filename="a.csv", allowed_groups=[shiroyama], default_group=shiroyama)
    digest = result.digest
    Supporter.objects.create(group=shiroyama, name="山田", phone="0")
    from activities.imports import ImportRefused

    with pytest.raises(ImportRefused, match="確認の後に"):
        apply_import(
            result,
            user=None,
            source="web",
            file_name="a.csv",
            file_checksum="x",
            expected_digest=digest,
        )
    assert Supporter.objects.get().phone == "0"


def test_import_records_access_per_group_without_personal_data(shiroyama, kamata, administrator):
    rows = [["団体", "氏名"], ["城山", "山田 太郎"], ["鎌田", "佐藤 花子"], ["鎌田", "鈴木"]]
    _, record = run(csv_bytes(rows), "a.csv", user=administrator, address="192.0.2.1")
    access = list(
        AccessRecord.objects.order_by("group__name").values_list(
            "group__name", "rows", "action", "address", "what"
        )
    )
    assert sorted(access) == [
        ("城山", 1, "import", "192.0.2.1", f"サポーター名簿の取込 #{record.pk}"),
        ("鎌田", 2, "import", "192.0.2.1", f"サポーター名簿の取込 #{record.pk}"),
    ]


def test_import_writes_with_a_bounded_number_of_queries(shiroyama, django_assert_max_num_queries):
    rows = [["氏名", "フリガナ", "活動内容"]] + [
        [f"山田 {i}", "ヤマダ", "声かけ、買物"] for i in range(300)
    ]
    data = csv_bytes(rows)
    with django_assert_max_num_queries(30):
        result, _ = run(data, "a.csv", default_group=shiroyama)
    assert counts(result)["new"] == 300
    rows[1][1] = "ヤマダ イチ"
    with django_assert_max_num_queries(30):
        result, _ = run(csv_bytes(rows), "a.csv", default_group=shiroyama)
    assert counts(result) == {"new": 0, "update": 1, "unchanged": 299, "duplicate": 0, "error": 0}


# --- what an import may lose: blank cells, ended registrations -------------------------------


def _yamada(group, **fields):
    values = {"name": "山田 太郎", "address": "いわき市平1-1", "phone": "0246-22-1111"}
    return Supporter.objects.create(group=group, **{**values, **fields})


def test_a_blank_cell_keeps_the_stored_value_by_default(shiroyama):
    _yamada(shiroyama)
    data = csv_bytes([["氏名", "電話", "住所"], ["山田 太郎", "0246-99-9999", ""]])
    result, record = run(data, "a.csv", default_group=shiroyama)
    (entry,) = result.entries
    assert entry.changed == ["電話番号"]
    assert entry.kept == {"address": "いわき市平1-1"}
    assert result.emptied_count == 0
    assert result.kept_count == 1
    (row,) = result.preview_rows()
    assert row["cells"][2] == {"new": "", "old": "いわき市平1-1", "emptied": False, "kept": True}
    yamada = Supporter.objects.get()
    assert (yamada.phone, yamada.address) == ("0246-99-9999", "いわき市平1-1")
    assert record.updated == 1


def test_blank_cells_clear_stored_values_when_chosen(shiroyama):
    _yamada(shiroyama)
    Supporter.objects.get().help_categories.set([1, 2])
    data = csv_bytes([["氏名", "電話", "住所", "活動内容"], ["山田 太郎", "0246-22-1111", "", ""]])
    result, _ = run(data, "a.csv", default_group=shiroyama, blank_clears=True)
    (entry,) = result.entries
    assert [(c.label, c.old, c.new, c.emptied) for c in entry.changes] == [
        ("住所", "いわき市平1-1", "", True),
        ("活動内容", (1, 2), (), True),
    ]
    assert result.emptied_count == 2
    (row,) = result.preview_rows()
    assert row["cells"][2] == {"new": "", "old": "いわき市平1-1", "emptied": True}
    yamada = Supporter.objects.get()
    assert (yamada.phone, yamada.address) == ("0246-22-1111", "")
    assert not yamada.help_categories.exists()
    assert yamada.history.first().address == ""


def test_the_choice_about_blank_cells_is_part_of_the_digest(shiroyama):
    _yamada(shiroyama)
    data = csv_bytes([["氏名", "住所"], ["山田 太郎", ""]])
    kwargs = {"filename": "a.csv", "allowed_groups": [shiroyama], "default_group": shiroyama}
    keep = prepare(data, **kwargs)
    clear = prepare(data, blank_clears=True, **kwargs)
    assert keep.digest != clear.digest
    assert keep.counts["unchanged"] == 1 and clear.counts["update"] == 1


def test_changed_cells_carry_the_stored_value_for_the_preview(shiroyama):
    _yamada(shiroyama, birth_date=date(1945, 5, 1))
    data = csv_bytes([["氏名", "電話", "生年月日"], ["山田 太郎", "0246-99-9999", "S20.5.2"]])
    result = prepare(data, filename="a.csv", allowed_groups=[shiroyama], default_group=shiroyama)
    (row,) = result.preview_rows()
    assert row["cells"][1:] == [
        {"new": "0246-99-9999", "old": "0246-22-1111", "emptied": False},
        {"new": "昭和20年5月2日", "old": "昭和20年5月1日", "emptied": False},
    ]


@pytest.mark.parametrize("written", ["登録終了", "退会", "終了", "脱退", "退会済"])
def test_a_row_marked_ended_ends_the_registration(shiroyama, written):
    from django.utils import timezone

    _yamada(shiroyama)
    data = csv_bytes([["氏名", "状態"], ["山田 太郎", written], ["佐藤", "在籍"]])
    result, record = run(data, "a.csv", default_group=shiroyama)
    assert result.errors == []
    yamada, _sato = result.entries
    assert (yamada.action, yamada.changed, yamada.ends) == ("update", ["登録終了"], True)
    assert result.preview_rows()[0]["status"] == {"new": "登録終了", "old": "登録中", "ends": True}
    assert result.ended_count == 1
    assert record.ended == 1
    ended = Supporter.objects.get(name_key="山田太郎")
    assert (ended.active, ended.ended_on) == (False, timezone.localdate())
    assert ended.address == "いわき市平1-1"  # not in the file: left alone
    assert ended.history.first().history_change_reason == f"サポーター名簿の取込 #{record.pk}"
    assert ended.history.first().active is False
    assert Supporter.objects.get(name_key="佐藤").active


def test_an_ended_supporter_stays_ended_with_their_date(shiroyama):
    _yamada(shiroyama, active=False, ended_on=date(2017, 3, 31))
    data = csv_bytes([["氏名", "状態"], ["山田 太郎", "登録終了"]])
    result, _record = run(data, "a.csv", default_group=shiroyama)
    assert result.counts["unchanged"] == 1 and result.ended_count == 0
    assert Supporter.objects.get().ended_on == date(2017, 3, 31)


@pytest.mark.parametrize("written", ["登録中", "活動中", ""])
def test_re_registering_an_ended_supporter(shiroyama, written):
    _yamada(shiroyama, active=False, ended_on=date(2017, 3, 31))
    result, _ = run(
        csv_bytes([["氏名", "状態"], ["山田 太郎", written]]), "a.csv", default_group=shiroyama
    )
    assert result.entries[0].changed == ["登録中"]
    yamada = Supporter.objects.get()
    assert (yamada.active, yamada.ended_on) == (True, None)


def test_a_new_supporter_already_ended_is_created_ended(shiroyama):
    from django.utils import timezone

    result, _record = run(
        csv_bytes([["氏名", "状態"], ["山田 太郎", "退会"]]), "a.csv", default_group=shiroyama
    )
    assert result.counts["new"] == 1
    yamada = Supporter.objects.get()
    assert (yamada.active, yamada.ended_on) == (False, timezone.localdate())


def test_an_unreadable_status_is_an_error_with_row_and_column(shiroyama):
    result, _ = run(
        csv_bytes([["氏名", "状態"], ["山田 太郎", "休み"]]), "a.csv", default_group=shiroyama
    )
    assert result.errors[0].startswith("2行目「状態」: 「休み」は状態として読めません。")
    assert not Supporter.objects.exists()


def test_supporters_missing_from_the_file_are_ended_only_when_chosen(shiroyama, kamata):
    from django.utils import timezone

    _yamada(shiroyama)
    Supporter.objects.create(group=shiroyama, name="佐藤 花子")
    Supporter.objects.create(group=shiroyama, name="鈴木", active=False, ended_on=None)
    Supporter.objects.create(group=kamata, name="田中")  # another group: never touched
    data = csv_bytes([["氏名"], ["山田 太郎"]])

    result, record = run(data, "a.csv", default_group=shiroyama)
    assert result.missing == [] and record.ended == 0
    assert Supporter.objects.filter(active=True).count() == 3

    result, record = run(data, "a.csv", default_group=shiroyama, end_missing=True)
    assert [(m["group"], m["name"]) for m in result.missing] == [("平 城山", "佐藤 花子")]
    assert result.ended_count == 1 and record.ended == 1
    sato = Supporter.objects.get(name="佐藤 花子")
    assert (sato.active, sato.ended_on) == (False, timezone.localdate())
    assert sato.history.first().history_change_reason == f"サポーター名簿の取込 #{record.pk}"
    assert Supporter.objects.get(name="鈴木").ended_on is None  # already ended: left alone
    assert Supporter.objects.get(name="田中").active
    assert set(Supporter.objects.filter(active=True).values_list("name", flat=True)) == {
        "山田 太郎",
        "田中",
    }


def test_ending_missing_supporters_is_part_of_the_digest(shiroyama):
    _yamada(shiroyama)
    Supporter.objects.create(group=shiroyama, name="佐藤 花子")
    data = csv_bytes([["氏名"], ["山田 太郎"]])
    kwargs = {"filename": "a.csv", "allowed_groups": [shiroyama], "default_group": shiroyama}
    result = prepare(data, end_missing=True, **kwargs)
    digest = result.digest
    Supporter.objects.create(group=shiroyama, name="高橋")  # someone else registered since
    from activities.imports import ImportRefused

    with pytest.raises(ImportRefused, match="確認の後に"):
        apply_import(
            result,
            user=None,
            source="web",
            file_name="a.csv",
            file_checksum="x",
            expected_digest=digest,
        )
    assert Supporter.objects.filter(active=True).count() == 3


# --- warnings that do not stop an import -------------------------------------------------------


def test_warnings_are_listed_and_the_import_still_goes_ahead(shiroyama):
    from django.utils import timezone

    today = timezone.localdate()
    child = date(today.year - 10, 1, 1)
    rows = [
        ["城山地区 サポーター名簿"],
        ["No.", "氏名", "電話番号", "登録日", "生年月日"],
        [1, "山田 太郎", 9087654321, "2030/4/1", "S20.5.1"],
        [2, "佐藤 花子", "245551234", "H29.7.1", child],
        [3, "鈴木 一郎", "0246-22-1111", "H29.7.1", "明治30年1月1日"],
        [None, "※20名分は別シート", None, None, None],
    ]
    result, record = run(xlsx_bytes(rows), default_group=shiroyama)
    assert result.ok and result.errors == []
    assert result.notices == ["次の列は取り込みません: 「No.」"]
    warnings = result.warnings
    assert (
        warnings[0]
        == "6行目は注記（「※20名分は別シート」）だけの行のため取り込みません。人の行なら氏名を書いてください。"
    )
    assert warnings[1].startswith(
        "3行目「電話番号」: 先頭の0が抜けているようです（「9087654321」→ 09087654321?）"
    )
    assert (
        warnings[2]
        == "3行目「登録日」: 登録日が未来の日付です（令和12年4月1日）。誤りでないか確かめてください。"
    )
    assert warnings[3].startswith("4行目「電話番号」: 先頭の0が抜けているようです")
    assert warnings[4].startswith("4行目「生年月日」: この生年月日では10歳です")
    assert warnings[5].startswith("5行目「生年月日」: この生年月日では")
    assert len(warnings) == 6
    assert record.created == 3
    assert Supporter.objects.get(name_key="山田太郎").phone == "9087654321"  # as written


@pytest.mark.parametrize(
    "row",
    [
        ["", "", "※20名分は別シート"],
        ["", "", "＊裏面に続く"],
        ["", "", "", "以上 20名"],
        ["※20名分は別シート", "", ""],
    ],
)
def test_rows_holding_only_a_note_are_skipped_and_listed(shiroyama, row):
    data = csv_bytes([["団体", "氏名", "電話", "備考"], ["城山", "山田", "0246-22-1111", ""], row])
    result, record = run(data, "a.csv")
    assert result.errors == []
    assert result.warnings[0].startswith("3行目は注記（")
    assert record.created == 1


def test_a_row_without_a_name_is_still_an_error(shiroyama):
    data = csv_bytes([["氏名", "電話"], ["山田", "0246-22-1111"], ["", "0246-22-2222"]])
    result, _ = run(data, "a.csv", default_group=shiroyama)
    assert result.errors == ["3行目「氏名」: 氏名が空欄です。"]


def test_a_missing_group_is_one_message_and_the_title_names_the_group(shiroyama):
    rows = [["城山地区 サポーター名簿"], ["氏名"], *([f"山田 {i}"] for i in range(20))]
    result = prepare(
        csv_bytes(rows),
        filename="a.csv",
        allowed_groups=SupportGroup.objects.all(),
    )
    assert result.errors == ["ファイルに団体の列がありません。取り込む団体を選んでください。"]
    assert result.suggested_group == shiroyama
    assert all(e.action == "" and not e.errors for e in result.entries)


def test_the_title_suggests_no_group_when_it_names_none_or_several(shiroyama, kamata):
    from activities.imports import group_named_in

    groups = list(SupportGroup.objects.select_related("council__area"))
    assert group_named_in("サポーター名簿", groups) is None
    assert group_named_in("城山・鎌田 合同名簿", groups) is None
    assert group_named_in("平成29年度 平 城山 名簿", groups) == shiroyama
    assert group_named_in("鎌田地区", groups) == kamata


def test_a_missing_group_suggests_the_only_allowed_group(shiroyama):
    result = prepare(
        csv_bytes([["サポーター名簿"], ["氏名"], ["山田"]]),
        filename="a.csv",
        allowed_groups=[shiroyama],
    )
    assert result.suggested_group == shiroyama
    assert not result.ok


def test_the_template_has_a_status_column_and_reads_back(shiroyama):
    from openpyxl import load_workbook

    from activities.imports import template_workbook

    data = template_workbook()
    sheet = load_workbook(io.BytesIO(data)).active
    headers = [c.value for c in sheet[3]]
    assert headers[-1] == "状態"
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    rows.append(["城山", "山田 太郎", "", "", "", "", "", "", "", "退会"])
    result, record = run(xlsx_bytes(rows))
    assert result.errors == []
    assert record.created == 1 and not Supporter.objects.get().active

from datetime import date, datetime

import pytest

from core.spreadsheets import (
    CellError,
    Column,
    SpreadsheetError,
    ValueProblem,
    excel_serial_to_date,
    normalise_header,
    normalise_kana,
    normalise_text,
    parse_date_value,
    read_rows,
    read_table,
)
from tests.spreadsheet_files import (
    csv_bytes,
    encrypted_xlsx_bytes,
    lying_zip_bomb_bytes,
    xlsx_bytes,
    zip_bomb_bytes,
)

COLUMNS = [
    Column("name", "氏名", ("名前", "サポーター氏名"), required=True),
    Column("kana", "フリガナ", ("ふりがな", "よみがな")),
    Column("phone", "電話番号", ("電話", "TEL", "連絡先")),
    Column("birth_date", "生年月日", ()),
]

ROSTER = [
    ["城山地区 サポーター名簿"],
    ["平成29年10月31日現在"],
    [],
    ["氏　名", "ﾌﾘｶﾞﾅ", "ＴＥＬ", "生年月日", "趣味", None, None],
    ["山田 太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "０２４６－２２－１１１１", "昭和20年5月1日"],
    [None, None, None, None],
    ["髙橋 花子", "たかはし はなこ", "0246-22-2222", "S22.3.3", "園芸"],
]


# --- finding the header, counting rows ------------------------------------------------


def test_xlsx_header_found_under_title_rows_and_rows_numbered_as_excel_shows():
    table = read_table(xlsx_bytes(ROSTER), COLUMNS, filename="名簿.xlsx")
    assert table.header_row == 4
    assert table.headers == {
        "name": "氏 名",
        "kana": "フリガナ",
        "phone": "TEL",
        "birth_date": "生年月日",
    }
    assert table.ignored_headers == ["趣味"]
    assert [row.number for row in table.rows] == [5, 7]
    assert table.rows[1].values["name"] == "髙橋 花子"
    assert table.sheet == "名簿"


def test_cp932_csv_detected_and_decoded_with_the_characters_shift_jis_loses():
    rows = [["氏名", "備考"], ["髙橋 﨑子", "①㈱～"]]
    data = csv_bytes(rows, encoding="cp932")
    with pytest.raises(UnicodeEncodeError):
        "髙".encode("shift_jis")
    table = read_table(data, [*COLUMNS, Column("note", "備考", ())], filename="名簿.csv")
    assert table.encoding == "cp932"
    assert table.rows[0].values == {"name": "髙橋 﨑子", "note": "①㈱～"}


@pytest.mark.parametrize(("encoding", "detected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig")])
def test_utf8_csv_with_and_without_bom_detected(encoding, detected):
    table = read_table(csv_bytes(ROSTER, encoding=encoding), COLUMNS, filename="a.csv")
    assert table.encoding == detected
    assert table.header_row == 4  # the blank row is counted: the BOM does not shift rows
    assert table.headers["name"] == "氏 名"


def test_encoding_override_is_used_and_a_wrong_one_names_the_line():
    data = csv_bytes([["氏名"], ["山田"], ["髙橋"]], encoding="cp932")
    assert read_table(data, COLUMNS, filename="a.csv", encoding="Shift_JIS").encoding == "cp932"
    with pytest.raises(SpreadsheetError, match=r"UTF-8.*1行目が読めません"):
        read_table(data, COLUMNS, filename="a.csv", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="文字コード「latin-1」には対応していません"):
        read_table(data, COLUMNS, filename="a.csv", encoding="latin-1")


def test_chosen_sheet_is_read_and_an_unknown_one_lists_the_sheets():
    data = xlsx_bytes([["メモ"]], extra_sheets=[("名簿", ROSTER)], sheet_title="表紙")
    assert read_table(data, COLUMNS, filename="a.xlsx", sheet="名簿").header_row == 4
    with pytest.raises(
        SpreadsheetError, match="シート「2018」がありません。あるシート: 「表紙」、「名簿」"
    ):
        read_table(data, COLUMNS, filename="a.xlsx", sheet="2018")


def test_missing_required_column_names_the_header_row_and_the_synonyms():
    data = xlsx_bytes([["タイトル"], ["フリガナ", "電話"], ["ヤマダ", "1"]])
    with pytest.raises(SpreadsheetError, match="2行目の見出しに「氏名」の列がありません"):
        read_table(data, COLUMNS, filename="a.xlsx")


def test_no_header_at_all_is_an_error():
    data = xlsx_bytes([["あ", "い"]] * 25)
    with pytest.raises(SpreadsheetError, match="見出しの行が見つかりません"):
        read_table(data, COLUMNS, filename="a.xlsx")


def test_header_only_is_an_error():
    with pytest.raises(SpreadsheetError, match="1行目の見出しの下にデータの行がありません"):
        read_table(xlsx_bytes([["氏名", "電話"], [None, None]]), COLUMNS, filename="a.xlsx")


@pytest.mark.parametrize(
    "data",
    [b"", xlsx_bytes([]), csv_bytes([[], [""]])],
    ids=["zero-bytes", "empty-sheet", "blank-csv"],
)
def test_empty_files_are_errors(data):
    with pytest.raises(SpreadsheetError, match=r"ファイルが空です|何も書かれていません"):
        read_table(data, COLUMNS, filename="a.xlsx" if data.startswith(b"PK") else "a.csv")


# --- refused files ------------------------------------------------------------------


def test_encrypted_xlsx_refused_with_a_japanese_message():
    with pytest.raises(SpreadsheetError, match="パスワードで保護"):
        read_table(encrypted_xlsx_bytes(), COLUMNS, filename="名簿.xlsx")


def test_old_xls_refused():
    from tests.spreadsheet_files import OLE_MAGIC

    with pytest.raises(SpreadsheetError, match=r"古い形式.*\.xls"):
        read_table(OLE_MAGIC + b"\x00" * 1000, COLUMNS, filename="名簿.xls")


def test_truncated_xlsx_refused():
    data = xlsx_bytes(ROSTER)
    with pytest.raises(SpreadsheetError, match="途中までしか保存されていません"):
        read_table(data[: len(data) // 2], COLUMNS, filename="名簿.xlsx")


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"%PDF-1.7\n\x00\x01\x02", "名簿.pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "名簿.csv"),
        (b"not a workbook", "名簿.xlsx"),
    ],
)
def test_not_a_spreadsheet_refused(data, filename):
    with pytest.raises(
        SpreadsheetError, match=r"表計算のファイルではない|xlsxファイルとして読めません"
    ):
        read_table(data, COLUMNS, filename=filename)


def test_a_zip_that_is_not_a_workbook_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(SpreadsheetError, match="Excelのブック"):
        read_table(buffer.getvalue(), COLUMNS, filename="名簿.xlsx")


def test_zip_bomb_refused_from_its_declared_size_before_it_is_opened(monkeypatch):
    data = zip_bomb_bytes(60)
    assert len(data) < 400_000
    opened = []
    monkeypatch.setattr(
        "python_calamine.CalamineWorkbook.from_filelike", lambda *a, **k: opened.append(1)
    )
    with pytest.raises(SpreadsheetError, match=r"展開すると大きすぎるファイル.*上限50\.0MB"):
        read_table(data, COLUMNS, filename="名簿.xlsx")
    assert opened == []


def test_zip_bomb_that_lies_about_its_size_refused_before_the_reader_sees_it(monkeypatch):
    data = lying_zip_bomb_bytes(60)
    opened = []
    monkeypatch.setattr(
        "python_calamine.CalamineWorkbook.from_filelike", lambda *a, **k: opened.append(1)
    )
    with pytest.raises(SpreadsheetError, match="途中までしか保存されていません"):
        read_table(data, COLUMNS, filename="名簿.xlsx")
    assert opened == []


def test_file_over_the_size_limit_refused(settings):
    settings.SPREADSHEET_MAX_BYTES = 1000
    with pytest.raises(SpreadsheetError, match=r"大きすぎます.*0\.0MBまで"):
        read_table(csv_bytes([["氏名"]] + [["山田 太郎"]] * 200), COLUMNS, filename="a.csv")


def test_rows_over_the_limit_refused_counting_title_and_header_rows(settings):
    settings.SPREADSHEET_MAX_ROWS = 10
    rows = [["名簿"], ["氏名"]] + [[f"名前{i}"] for i in range(8)]
    assert len(read_table(xlsx_bytes(rows), COLUMNS, filename="a.xlsx").rows) == 8
    with pytest.raises(
        SpreadsheetError, match="10行までのファイルにしてください（11行目以降があります）"
    ):
        read_table(xlsx_bytes([*rows, ["もう一人"]]), COLUMNS, filename="a.xlsx")


def test_broken_csv_quoting_names_the_line():
    data = '氏名\r\n山田\r\n"閉じない"引用符\r\n'.encode()
    with pytest.raises(SpreadsheetError, match="CSVとして読めません"):
        list(read_rows(data, filename="a.csv"))


# --- values ---------------------------------------------------------------------


def test_text_normalised_nfkc_with_spaces_collapsed():
    assert normalise_text("　ＡＢＣ　１２３　ｼﾛﾔﾏ ") == "ABC 123 シロヤマ"
    assert normalise_text(246221111.0) == "246221111"
    assert normalise_text(None) == ""


def test_headers_match_whatever_the_width_spaces_or_case():
    assert normalise_header(" 電 話　番号 ") == normalise_header("電話番号")
    assert normalise_header("ＴＥＬ") == normalise_header("tel")


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("ｼﾛﾔﾏ ﾀﾛｳ", "シロヤマ タロウ"),
        ("しろやま　はなこ", "シロヤマ ハナコ"),
        ("ヴァイオリン", "ヴァイオリン"),
    ],
)
def test_kana_stored_as_full_width_katakana(written, stored):
    assert normalise_kana(written) == stored


def test_kanji_in_the_kana_column_is_a_problem():
    with pytest.raises(ValueProblem, match="カタカナかひらがなで"):
        normalise_kana("山田")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2017, 7, 1, 0, 0), date(2017, 7, 1)),
        (date(2017, 7, 1), date(2017, 7, 1)),
        (42917, date(2017, 7, 1)),
        (42917.5, date(2017, 7, 1)),
        ("42917", date(2017, 7, 1)),
        ("2017-07-01", date(2017, 7, 1)),
        ("2017/7/1", date(2017, 7, 1)),
        ("２０１７／７／１", date(2017, 7, 1)),
        ("平成29年7月1日", date(2017, 7, 1)),
        ("H29.7.1", date(2017, 7, 1)),
        ("H29/7/1", date(2017, 7, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R1.5.1", date(2019, 5, 1)),
        ("2017-07-01 00:00:00", date(2017, 7, 1)),
        ("", None),
        (None, None),
    ],
)
def test_dates_read_in_every_form_offices_use(value, expected):
    assert parse_date_value(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("平成31年5月1日", "平成の期間外"),
        ("2017/2/30", "存在しない日付"),
        ("H29.2.30", "存在しない日付"),
        ("2017", "読み取れません"),
        ("来週", "読み取れません"),
    ],
)
def test_impossible_or_unreadable_dates_are_problems(value, message):
    with pytest.raises(ValueProblem, match=message):
        parse_date_value(value)


def test_excel_serials_follow_the_1900_system_with_its_missing_leap_day():
    assert excel_serial_to_date(1) == date(1900, 1, 1)
    assert excel_serial_to_date(59) == date(1900, 2, 28)
    assert excel_serial_to_date(61) == date(1900, 3, 1)
    with pytest.raises(ValueProblem):
        excel_serial_to_date(60)


def test_xlsx_dates_arrive_as_dates_and_serials_as_numbers():
    rows = [["氏名", "生年月日"], ["山田", datetime(1945, 5, 1)], ["佐藤", 16558]]
    table = read_table(xlsx_bytes(rows), COLUMNS, filename="a.xlsx")
    assert [parse_date_value(r.values["birth_date"]) for r in table.rows] == [
        date(1945, 5, 1),
        date(1945, 5, 1),
    ]


def test_cell_error_reads_as_row_and_column():
    assert (
        str(CellError(7, "生年月日", "存在しない日付です"))
        == "7行目「生年月日」: 存在しない日付です"
    )
    assert str(CellError(7, "", "重複")) == "7行目: 重複"

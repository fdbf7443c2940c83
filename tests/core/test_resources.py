"""core.resources: the widgets and file formats of the reference tables' files."""

from datetime import date
from decimal import Decimal

import pytest
import tablib

from core.resources import (
    BooleanWidget,
    ChoiceWidget,
    CsvFormat,
    DecimalWidget,
    FiscalYearWidget,
    IntegerWidget,
    TextWidget,
    WarekiDateWidget,
    XlsxFormat,
)
from core.spreadsheets import SpreadsheetError
from councils.models import Tier
from tests.admin_files import sheet_rows
from tests.spreadsheet_files import csv_bytes, xlsx_bytes


@pytest.mark.parametrize(
    ("written", "number"),
    [("12", 12), ("１２", 12), ("1,200", 1200), (3.0, 3), (7, 7), ("", None), (None, None)],
)
def test_integers_are_read_as_people_write_them(written, number):
    assert IntegerWidget().clean(written) == number


@pytest.mark.parametrize("written", ["abc", 3.5, "1.5", True])
def test_what_is_not_a_whole_number_is_refused_in_japanese(written):
    with pytest.raises(ValueError, match="整数"):
        IntegerWidget().clean(written)


@pytest.mark.parametrize(
    ("written", "number"),
    [(29.2, Decimal("29.2")), ("327,491", Decimal(327491)), ("２９．２", Decimal("29.2"))],
)
def test_decimals_keep_what_the_cell_shows(written, number):
    assert DecimalWidget().clean(written) == number


def test_a_decimal_that_is_not_a_number_is_refused_and_whole_values_render_as_integers():
    with pytest.raises(ValueError, match="「1,2,x」は数値として読めません"):
        DecimalWidget().clean("1,2,x")
    assert DecimalWidget().render(Decimal("327491.0")) == 327491
    assert DecimalWidget().render(Decimal("29.2")) == Decimal("29.2")


@pytest.mark.parametrize(
    ("written", "value"),
    [("はい", True), ("いいえ", False), ("○", True), ("TRUE", True), (0, False), ("", False)],
)
def test_yes_and_no(written, value):
    assert BooleanWidget().clean(written) is value


def test_yes_and_no_render_in_japanese_and_anything_else_is_refused():
    assert (BooleanWidget().render(True), BooleanWidget().render(False)) == ("はい", "いいえ")
    with pytest.raises(ValueError, match="「たぶん」は「はい」か「いいえ」で書いてください"):
        BooleanWidget().clean("たぶん")


def test_dates_are_written_in_era_form_and_read_in_any_form():
    widget = WarekiDateWidget()
    assert widget.render(date(2017, 10, 1)) == "平成29年10月1日"
    assert widget.render(None) == ""
    for written in ["平成29年10月1日", "H29.10.1", "2017/10/1", "2017-10-01", date(2017, 10, 1)]:
        assert widget.clean(written) == date(2017, 10, 1)
    with pytest.raises(ValueError, match="存在しない日付"):
        widget.clean("2017/2/30")


def test_fiscal_years_are_written_in_era_form():
    widget = FiscalYearWidget()
    assert widget.render(2017) == "平成29年度"
    assert widget.clean("平成29年度") == widget.clean("H29") == widget.clean(2017) == 2017
    with pytest.raises(ValueError, match="年度"):
        widget.clean("来年")


def test_choices_by_label_or_value():
    widget = ChoiceWidget(Tier.choices)
    assert widget.render(2) == "第2層"
    assert widget.clean("第2層") == widget.clean("2") == widget.clean(2.0) == 2
    with pytest.raises(
        ValueError, match="「第9層」は選べません。次のどれかを書いてください: 「第1層」"
    ):
        widget.clean("第9層")
    with pytest.raises(ValueError, match="空欄です"):
        widget.clean("")


def test_text_is_kept_as_written():
    assert TextWidget().clean("一行目\n二行目 ") == "一行目\n二行目 "
    assert TextWidget().clean(246.0) == "246"
    assert TextWidget().clean(None) == ""


HEADERS = ["地区名", "表示順"]


@pytest.mark.parametrize(
    "data",
    [
        csv_bytes([HEADERS, ["平", 1]], encoding="cp932"),
        csv_bytes([HEADERS, ["平", 1]], encoding="utf-8"),
        csv_bytes([HEADERS, ["平", 1]], encoding="utf-8-sig"),
    ],
    ids=["cp932", "utf-8", "utf-8 with BOM"],
)
def test_csv_is_read_in_every_encoding_offices_save(data):
    dataset = CsvFormat().create_dataset(data)
    assert dataset.headers == HEADERS
    assert list(dataset) == [("平", "1")]


def test_a_csv_in_no_known_encoding_is_refused_in_japanese():
    with pytest.raises(SpreadsheetError, match="文字コードを判別できません"):
        CsvFormat().create_dataset("地区名,表示順\n".encode() + b"\x85\x40,1\n")


def test_rows_keep_the_numbers_the_spreadsheet_shows():
    rows = [[], HEADERS, ["平", 1], [], ["小名浜", 2.0]]
    dataset = XlsxFormat().create_dataset(xlsx_bytes(rows))
    assert dataset.row_numbers == [3, 5]
    assert list(dataset) == [("平", 1), ("小名浜", 2)]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([HEADERS], "見出しの行の下に取り込む行がありません"),
        ([["地区名", "", "表示順"], ["平", "", 1]], "見出しの行の2列目が空欄です"),
        ([["地区名", "地区 名"], ["平", "平"]], "見出し「地区 名」が2回あります"),
        ([HEADERS, ["平", 1, "余り"]], "2行目に見出しのない列の値があります"),
    ],
)
def test_a_file_whose_headers_cannot_be_read_is_refused(rows, message):
    with pytest.raises(SpreadsheetError, match=message):
        XlsxFormat().create_dataset(xlsx_bytes(rows))


def test_exported_text_never_becomes_a_formula_and_reads_back_as_written():
    dataset = tablib.Dataset(["=1+1", "-3件"], headers=["項目", "注記"])
    for fmt in (XlsxFormat(), CsvFormat()):
        data = fmt.export_data(dataset)
        assert list(fmt.create_dataset(data)) == [("=1+1", "-3件")]
    assert sheet_rows(XlsxFormat().export_data(dataset))[1] == ["=1+1", "-3件"]
    assert CsvFormat().export_data(dataset).startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM

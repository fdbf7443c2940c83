import csv
import html
import io
import re
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import parse_qs, quote

import django_filters
import django_tables2 as tables
import openpyxl
import pytest
from django.test import RequestFactory
from django.utils.safestring import mark_safe
from django_filters.views import FilterView

from core.exports import (
    ExportEncodingError,
    ExportInfo,
    TableExportMixin,
    content_disposition,
    export_filename,
    export_filenames,
    export_response,
    export_title,
    filters_in_words,
    to_csv,
    to_xlsx,
)
from councils.models import Area

HEADERS = ["圏域", "人数", "設置日", "備考"]


def read_xlsx(data):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def read_csv(data, encoding="utf-8-sig"):
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


FORMULAS = ["=1+1", "+81-246", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", '=HYPERLINK("http://x")']


def test_xlsx_keeps_numbers_dates_and_text_types():
    sheet = read_xlsx(
        to_xlsx(
            HEADERS, [["平", 33, date(2017, 7, 28), "説明"], ["小名浜", Decimal("29.2"), None, ""]]
        )
    )
    assert [c.value for c in sheet[1]] == HEADERS
    name, count, established, note = sheet[2]
    assert (name.data_type, name.value) == ("s", "平")
    assert (count.data_type, count.value) == ("n", 33)
    assert count.data_type == "n"
    assert established.is_date and established.value == datetime(2017, 7, 28)
    assert note.value == "説明"
    assert sheet["B3"].value == pytest.approx(29.2)
    assert sheet["B3"].data_type == "n"


def test_xlsx_leaves_none_and_empty_text_as_empty_cells_never_the_text_none():
    sheet = read_xlsx(to_xlsx(HEADERS, [["平", None, None, ""]]))
    assert sheet["B2"].value is None
    assert sheet["C2"].value is None
    assert sheet["D2"].value is None


@pytest.mark.parametrize("text", FORMULAS)
def test_xlsx_writes_formula_like_text_as_a_string_cell(text):
    sheet = read_xlsx(to_xlsx(HEADERS, [[text, -5, None, None]]))
    cell = sheet["A2"]
    assert cell.data_type == "s"
    # XML stores a lone CR as a line break; what matters is that the cell is text.
    assert cell.value == text.replace("\r", "\n")
    # a negative number is a number, not text to defuse
    assert sheet["B2"].data_type == "n"
    assert sheet["B2"].value == -5


def test_xlsx_file_contains_no_formula_element():
    import zipfile

    data = to_xlsx(["=header"], [["=1+1"], ["@x"]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_xlsx_drops_control_characters_excel_cannot_store():
    sheet = read_xlsx(to_xlsx(["a"], [["平\x00\x07城山"]]))
    assert sheet["A2"].value == "平城山"


def test_xlsx_reduces_safe_html_to_text():
    sheet = read_xlsx(to_xlsx(["a"], [[mark_safe('<a href="/x">平</a>')]]))
    assert sheet["A2"].value == "平"


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_prefixes_formula_like_text_with_an_apostrophe(text):
    rows = read_csv(to_csv(HEADERS, [[text, -5, None, ""]]))
    assert rows[1][0] == "'" + text
    assert rows[1][1] == "-5"


def test_csv_is_utf8_with_bom_and_keeps_empty_cells_empty():
    data = to_csv(HEADERS, [["平", 33, date(2017, 7, 28), None]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert read_csv(data) == [HEADERS, ["平", "33", "2017-07-28", ""]]
    assert b"None" not in data
    assert data.endswith(b"\r\n")


def test_csv_in_cp932_encodes_japanese_and_maps_look_alikes():
    data = to_csv(["圏域", "備考"], [["髙﨑 ① ㈱", "7月〜9月 −1"]], encoding="cp932")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "髙﨑 ① ㈱".encode("cp932") in data
    assert read_csv(data, "cp932")[1] == ["髙﨑 ① ㈱", "7月～9月 －1"]


def test_csv_in_cp932_refuses_an_unencodable_character_naming_row_and_column():
    with pytest.raises(ExportEncodingError) as error:
        to_csv(["圏域", "備考"], [["平", "可"], ["小名浜", "𠮷野家"]], encoding="cp932")
    message = str(error.value)
    assert "3行目" in message
    assert "「備考」" in message
    assert "𠮷" in message
    assert "U+20BB7" in message


def test_csv_in_cp932_can_replace_unencodable_characters_with_geta():
    data = to_csv(["備考"], [["𠮷野家"]], encoding="cp932", replace_unencodable=True)
    assert read_csv(data, "cp932")[1] == ["〓野家"]


def test_export_filename_carries_the_date_and_a_safe_name():
    assert (
        export_filename("地区別状況", "xlsx", on=date(2017, 10, 31)) == "地区別状況_20171031.xlsx"
    )
    assert export_filename('a/b:"c"', "csv", on=date(2017, 10, 31)) == "a_b_c_20171031.csv"


def test_content_disposition_has_ascii_fallback_and_rfc5987_name():
    header = content_disposition("地区別状況_20171031.xlsx")
    assert header.startswith('attachment; filename="')
    assert "filename*=UTF-8''" + quote("地区別状況_20171031.xlsx") in header
    assert content_disposition("status.csv") == 'attachment; filename="status.csv"'


def test_export_response_sets_type_disposition_and_no_store():
    response = export_response(HEADERS, [["平", 1, None, None]], name="地区別状況", fmt="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    response = export_response(HEADERS, [], name="地区別状況", fmt="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = read_xlsx(response.content)
    assert sheet["A1"].value.startswith("地区別状況 ／ ")
    assert sheet["A3"].value == "圏域"


def test_export_response_refuses_unknown_format():
    with pytest.raises(ValueError):
        export_response(HEADERS, [], name="x", fmt="pdf")


# --- the table mixin ------------------------------------------------------------------


class AreaTable(tables.Table):
    name = tables.Column(verbose_name="圏域")
    position = tables.Column(verbose_name="表示順")
    link = tables.TemplateColumn(
        "<a href='#'>x</a>", verbose_name="リンク", exclude_from_export=True
    )

    class Meta:
        model = Area
        fields = ["name", "position"]


class AreaFilter(django_filters.FilterSet):
    class Meta:
        model = Area
        fields = ["district"]


class AreaExportView(TableExportMixin, tables.SingleTableMixin, FilterView):
    table_class = AreaTable
    filterset_class = AreaFilter
    model = Area
    export_name = "圏域"
    table_pagination = {"per_page": 2}
    template_name = "reports/home.html"


def export_areas(query):
    request = RequestFactory().get("/areas/", query)
    return AreaExportView.as_view()(request)


def test_table_export_holds_every_row_of_the_filter_in_the_current_sort_not_one_page(data_2017):
    from councils.models import District

    district = District.objects.get(name="内郷")
    response = export_areas({"district": district.pk, "sort": "-position", "_export": "xlsx"})
    sheet = read_xlsx(response.content)
    assert sheet["A1"].value.startswith("圏域 ／ 絞り込み: 地区「内郷」 ／ ")
    assert [c.value for c in sheet[3]] == ["圏域", "表示順"]
    assert [row[0].value for row in sheet.iter_rows(min_row=4)] == ["三和", "好間", "内郷"]
    assert sheet["B4"].data_type == "n"


def test_table_export_in_cp932_with_unencodable_text_answers_400_in_japanese(data_2017):
    from councils.models import District

    Area.objects.filter(name="平").update(name="平𠮷")
    district = District.objects.get(name="平")
    response = export_areas(
        {"district": district.pk, "sort": "-position", "_export": "csv", "encoding": "cp932"}
    )
    response.render()
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    # The row as the table shows it (its first column), the column and the character.
    assert "「平𠮷」の行(CSVの2行目)の「圏域」にある文字「𠮷」(U+20BB7)" in body
    assert "Shift_JIS(cp932)で表せない" in body
    # The way out: the same rows (same filter, same sort) as UTF-8 CSV or as xlsx.
    links = dict(
        (text, parse_qs(href.lstrip("?")))
        for href, text in re.findall(r'<a class="button" href="([^"]+)">([^<]+)</a>', body)
    )
    utf8 = links["UTF-8(BOM付き)のCSVで出力"]
    xlsx = links["Excel形式(xlsx)で出力"]
    assert utf8 == {"district": [str(district.pk)], "sort": ["-position"], "_export": ["csv"]}
    assert xlsx == {"district": [str(district.pk)], "sort": ["-position"], "_export": ["xlsx"]}
    again = export_areas({k: v[0] for k, v in utf8.items()})
    assert again.status_code == 200
    assert read_csv(again.content)[1] == ["平𠮷", "1"]


def test_a_single_table_opens_titled_and_ready_to_print():
    sheet = read_xlsx(
        to_xlsx(HEADERS, [["平", 1, None, None]], title="圏域 ／ 令和8年11月30日出力")
    )
    assert sheet["A1"].value == "圏域 ／ 令和8年11月30日出力"
    assert sheet["A1"].font.bold
    assert [c.value for c in sheet[3]] == HEADERS
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$1:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_a_table_without_title_keeps_its_header_first_for_importing_again():
    sheet = read_xlsx(to_xlsx(HEADERS, [["平", 1, None, None]]))
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"


def test_the_title_names_table_year_filters_and_output_day_in_era_form():
    info = ExportInfo(
        "圏域別状況",
        fiscal_year=2017,
        filters=[("地区", "平"), ("圏域", "平、小名浜")],
        on=date(2026, 11, 30),
    )
    assert export_title(info) == (
        "圏域別状況 平成29年度 ／ 絞り込み: 地区「平」、圏域「平、小名浜」 ／ 令和8年11月30日出力"
    )
    every = ExportInfo("圏域別状況", fiscal_year=2017, filters=[], on=date(2026, 11, 30))
    assert (
        export_title(every) == "圏域別状況 平成29年度 ／ 絞り込みなし(全件) ／ 令和8年11月30日出力"
    )
    assert export_title(ExportInfo("協議体一覧", on=date(2019, 5, 1))) == (
        "協議体一覧 ／ 令和元年5月1日出力"
    )


def test_file_names_say_table_year_filter_encoding_and_day_alike_in_ascii():
    day = date(2026, 11, 30)
    filtered = ExportInfo(
        "圏域別状況",
        ascii_name="district-status",
        fiscal_year=2017,
        filters=[("地区", "平")],
        on=day,
    )
    every = ExportInfo(
        "圏域別状況", ascii_name="district-status", fiscal_year=2017, filters=[], on=day
    )
    assert export_filenames(filtered, "csv", encoding="cp932") == (
        "圏域別状況_平成29年度_絞り込み_Shift_JIS_20261130.csv",
        "district-status_FY2017_filtered_sjis_20261130.csv",
    )
    names = {
        export_filenames(info, fmt, encoding=encoding)
        for info in (filtered, every)
        for fmt, encoding in (("xlsx", "utf-8"), ("csv", "utf-8"), ("csv", "cp932"))
    }
    assert len(names) == 6
    assert len({japanese for japanese, _ in names}) == 6
    assert len({ascii_name for _, ascii_name in names}) == 6
    assert export_filenames(every, "xlsx") == (
        "圏域別状況_平成29年度_全件_20261130.xlsx",
        "district-status_FY2017_all_20261130.xlsx",
    )


def test_content_disposition_takes_the_readable_ascii_name():
    header = content_disposition(
        "圏域別状況_平成29年度_全件_20261130.xlsx", "district-status_FY2017_all_20261130.xlsx"
    )
    assert header == (
        'attachment; filename="district-status_FY2017_all_20261130.xlsx"; '
        "filename*=UTF-8''" + quote("圏域別状況_平成29年度_全件_20261130.xlsx", safe="")
    )
    # Nothing but plain words, digits, dots, hyphens and underscores reaches the header.
    assert 'filename="a-b-c.csv"' in content_disposition("表.csv", 'a"b\r\nc.csv')


def test_filters_are_written_in_words_as_the_form_shows_them(data_2017):
    from django import forms

    from core.forms import FiscalYearField
    from councils.models import District

    class Form(forms.Form):
        fiscal_year = forms.IntegerField(label="年度", required=False)
        district = forms.ModelChoiceField(District.objects.all(), label="地区", required=False)
        status = forms.ChoiceField(
            label="状況", choices=[("", "すべて"), ("open", "未対応")], required=False
        )
        since = forms.DateField(label="開始日", required=False)
        established_in = FiscalYearField(label="設置の年度", required=False)
        q = forms.CharField(label="検索", required=False)

    district = District.objects.get(name="内郷")
    form = Form(
        {
            "fiscal_year": "2017",
            "district": district.pk,
            "status": "open",
            "since": "2018-02-01",
            "established_in": "H28",
        }
    )
    assert filters_in_words(form) == [
        ("地区", "内郷"),
        ("状況", "未対応"),
        ("開始日", "平成30年2月1日"),
        ("設置の年度", "平成28年度"),
    ]
    assert filters_in_words(Form({})) == []
    assert filters_in_words(Form()) == []


def test_a_month_column_exports_era_month_text_not_the_first_day():
    from core.tables import WarekiDateColumn

    assert WarekiDateColumn("予定", month=True).value(date(2018, 2, 1)) == "平成30年2月"
    assert WarekiDateColumn("予定", month=True).value(None) is None
    assert WarekiDateColumn("開催日").value(date(2018, 2, 1)) == date(2018, 2, 1)


def test_xlsx_cuts_text_excel_could_not_hold_and_marks_the_cut():
    sheet = read_xlsx(to_xlsx(["a"], [["あ" * 40000]]))
    assert len(sheet["A2"].value) == 32767
    assert sheet["A2"].value.endswith("…")


def test_a_book_has_a_titled_typed_sheet_per_table_set_up_to_print_on_a4():
    from core.exports import Sheet, to_xlsx_book

    data = to_xlsx_book(
        [
            Sheet(
                "圏域",
                HEADERS,
                [["平", 33, date(2017, 7, 28), "=1+1"]],
                caption="平成29年10月31日現在",
            ),
            Sheet("圏域", ["x"], [[None]]),  # a second sheet of the same name
            Sheet("a" * 40 + "[]", ["y"], []),
        ],
        title="試験の報告",
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["圏域", "圏域 (2)", "a" * 31]
    sheet = book["圏域"]
    assert sheet["A1"].value == "試験の報告 圏域"
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == "平成29年10月31日現在"
    assert [c.value for c in sheet[3]] == HEADERS
    name, count, day, note = sheet[4]
    assert name.value == "平"
    assert (count.value, count.data_type) == (33, "n")
    assert day.is_date and day.value == datetime(2017, 7, 28)
    assert (note.value, note.data_type) == ("=1+1", "s")  # text, never a formula
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$1:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert book["圏域 (2)"]["A2"].value is None
    assert book["圏域 (2)"]["A4"].value is None  # None stays an empty cell


def test_a_book_response_is_an_attachment_with_the_date_in_its_name():
    from core.exports import Sheet, book_response

    response = book_response(
        [Sheet("表", ["a"], [[1]])], name="市町村の取組_平成29年度", on=date(2018, 1, 5)
    )
    assert response["Content-Disposition"].endswith(
        quote("市町村の取組_平成29年度_20180105.xlsx", safe="")
    )
    assert response["Cache-Control"] == "no-store"

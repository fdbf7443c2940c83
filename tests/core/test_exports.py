import csv
import io
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

import django_filters
import django_tables2 as tables
import openpyxl
import pytest
from django.test import RequestFactory
from django.utils.safestring import mark_safe
from django_filters.views import FilterView

from core.exports import (
    ExportEncodingError,
    TableExportMixin,
    content_disposition,
    export_filename,
    export_response,
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
    assert read_xlsx(response.content)["A1"].value == "圏域"


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
    assert [c.value for c in sheet[1]] == ["圏域", "表示順"]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["三和", "好間", "内郷"]
    assert sheet["B2"].data_type == "n"


def test_table_export_in_cp932_with_unencodable_text_answers_400_in_japanese(data_2017):
    Area.objects.filter(name="平").update(name="平𠮷")
    response = export_areas({"_export": "csv", "encoding": "cp932"})
    response.render()
    assert response.status_code == 400
    assert "Shift_JIS(cp932)で表せない" in response.content.decode()


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

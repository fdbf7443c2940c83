"""Every export of the site, found by walking it: each xlsx opens ready to print and file.

The walk opens every URL of the permission matrix (which must hold every URL of the site) as
an administrator and follows every download the page offers: the links carrying ``_export=``
and the buttons named ``_export`` of its forms. So a new export is checked here as soon as a
page offers it. Each file must have

* a descriptive name, alike in Japanese (``filename*``) and in ASCII (``filename``): table,
  fiscal year, 全件 / 絞り込み, the CSV's encoding and the day, the names of one page's
  files all different;
* in xlsx, on every sheet: A4 landscape, fit to one page wide, the rows down to the header
  repeated on each page, panes frozen below the header, a title row naming the table and the
  output date in era form; no formula anywhere, no number or date written as text, no
  total such as 「開催 13 / 13」 in one cell, every header Japanese.
"""

import csv
import html
import io
import re
from datetime import datetime
from urllib.parse import unquote, urljoin, urlsplit

import openpyxl
import pytest
from django.urls import resolve
from django.utils import timezone

from core import wareki
from core.exports import TableExportMixin
from tests.test_permission_matrix import EXPORTS, MATRIX, Objects, url_patterns

pytestmark = pytest.mark.django_db

EXPORT_LINK = re.compile(r'href="([^"]*[?&](?:amp;)?_export=[^"]*)"')
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
EXPORT_BUTTON = re.compile(r'<button[^>]*name="_export"[^>]*value="([^"]+)"')
ACTION = re.compile(r'action="([^"]*)"')
METHOD_POST = re.compile(r'method="post"', re.I)

ASCII_NAME = re.compile(
    r"^(?P<table>[a-z][a-z0-9-]+)(?:_FY(?P<year>\d{4}))?(?:_(?P<filter>all|filtered))?"
    r"(?:_(?P<encoding>utf8|sjis))?_(?P<day>\d{8})\.(?P<ext>xlsx|csv)$"
)
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
ERA_MONTH = re.compile(r"^(明治|大正|昭和|平成|令和)(元|\d+)年\d+月")
NUMBER_AS_TEXT = re.compile(r"^-?[1-9]\d*(\.\d+)?$")
# A total such as 「開催 13 / 13」 in one cell, or a date written as text.
RATIO_AS_TEXT = re.compile(r"^\D{0,12}\d+\s*/\s*\d+$")
DATE_AS_TEXT = re.compile(r"^\d{4}[/-]\d{1,2}([/-]\d{1,2})?$")


def offers(page_url, text):
    """The downloads a page offers: ("get", url, {}) and ("post", url, data)."""
    found = []
    for href in EXPORT_LINK.findall(text):
        found.append(("get", urljoin(page_url, html.unescape(href)), {}))
    for attributes, body in FORM.findall(text):
        if not METHOD_POST.search(attributes):
            continue
        action = ACTION.search(attributes)
        target = urljoin(page_url, html.unescape(action.group(1))) if action else page_url
        for value in EXPORT_BUTTON.findall(body):
            found.append(("post", target, {"_export": value}))
    return found


def disposition_names(header):
    ascii_name = re.search(r'filename="([^"]+)"', header).group(1)
    starred = re.search(r"filename\*=UTF-8''(\S+)", header)
    return ascii_name, unquote(starred.group(1)) if starred else ascii_name


_WALKED = {}


@pytest.fixture
def walk(client, administrator, coordinator_taira, data_2017):
    """{URL name of the page: [(method, url, data, response)]} for every download offered.

    The walk reads only; its answers are kept for the other tests of this module (a walk
    takes seconds)."""
    if "walk" not in _WALKED:
        _WALKED["walk"] = _walk(client, administrator)
    return _WALKED["walk"]


class BuiltOnce:
    """The matrix's objects, each built once: the matrix builds a URL per test, the walk every
    URL in one test (a second 山田 太郎 in one group would be refused)."""

    def __init__(self, objects):
        self._objects = objects
        self._built = {}

    def __getattr__(self, name):
        if name not in self._built:
            self._built[name] = getattr(self._objects, name)
        return self._built[name]


def _walk(client, administrator):
    objects = BuiltOnce(Objects(""))
    client.force_login(administrator)
    found = {}
    for name, case in sorted(MATRIX.items()):
        if "calendar" in name:
            continue  # the calendar feed is a file of its own, not a table
        url = case.url(objects)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for method, target, data in offers(url, response.content.decode()):
            key = (method, target, tuple(sorted(data.items())))
            if any(key == seen[:3] for seens in found.values() for seen in seens):
                continue
            download = getattr(client, method)(target, data)
            found.setdefault(name, []).append((*key, download))
    return found


def test_the_walk_finds_every_export_the_site_has(walk):
    # Every page the permission matrix knows to export, and every table view that can.
    assert {name for name, _, _ in EXPORTS} <= walk.keys()
    table_views = {
        name
        for name, callback in url_patterns().items()
        if issubclass(getattr(callback, "view_class", object), TableExportMixin)
    }
    assert table_views <= walk.keys()


def test_every_export_is_a_file_with_a_descriptive_name(walk):
    today = timezone.localdate()
    for page, downloads in walk.items():
        names = []
        for method, url, data, response in downloads:
            where = f"{page} {method} {url} {data}"
            assert response.status_code == 200, where
            assert "no-store" in response["Cache-Control"], where
            ascii_name, name = disposition_names(response["Content-Disposition"])
            parts = ASCII_NAME.match(ascii_name)
            assert parts, f"{where}: ASCII name {ascii_name!r}"
            assert parts["table"] != "export", f"{where}: set the view's export_ascii_name"
            assert parts["day"] == f"{today:%Y%m%d}", where
            assert JAPANESE.search(name), f"{where}: {name!r}"
            assert name.endswith(f"_{today:%Y%m%d}.{parts['ext']}"), where
            if parts["year"]:
                assert wareki.format_fiscal_year(int(parts["year"])) in name, where
            if parts["filter"]:
                assert ("絞り込み" if parts["filter"] == "filtered" else "全件") in name, where
            if parts["ext"] == "csv":
                assert parts["encoding"], where
                assert ("Shift_JIS" if parts["encoding"] == "sjis" else "UTF-8") in name, where
            else:
                assert not parts["encoding"], where
            names += [ascii_name, name]
        assert len(names) == len(set(names)), f"{page}: two files of one name: {names}"


def _xlsx_downloads(walk):
    for page, downloads in walk.items():
        for *_, response in downloads:
            if response["Content-Disposition"].split(";")[1].strip().endswith('.xlsx"'):
                yield page, response


def test_every_xlsx_opens_ready_to_print(walk):
    today = wareki.format_date(timezone.localdate())
    checked = 0
    for page, response in _xlsx_downloads(walk):
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        for sheet in book.worksheets:
            where = f"{page} / {sheet.title}"
            assert sheet.page_setup.orientation == "landscape", where
            assert int(sheet.page_setup.paperSize) == 9, where  # A4
            assert sheet.page_setup.fitToWidth == 1, where
            assert sheet.page_setup.fitToHeight == 0, where
            assert sheet.sheet_properties.pageSetUpPr.fitToPage, where
            header_row = int(sheet.freeze_panes[1:]) - 1
            assert sheet.freeze_panes == f"A{header_row + 1}", where
            assert sheet.print_title_rows == f"$1:${header_row}", where
            title = sheet["A1"].value
            assert header_row == 3 and title, f"{where}: no title row"
            assert f"{today}出力" in title, f"{where}: {title!r}"
            headers = [c.value for c in sheet[header_row] if c.value is not None]
            assert headers, where
            for header in headers:
                assert JAPANESE.search(str(header)), f"{where}: header {header!r}"
            checked += 1
    assert checked >= len(EXPORTS) - 2  # the books have several sheets; most pages one


def test_every_xlsx_keeps_types_and_writes_no_formula(walk):
    era_months = 0
    for page, response in _xlsx_downloads(walk):
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        for sheet in book.worksheets:
            header_row = int(sheet.freeze_panes[1:]) - 1
            headers = {c.column: str(c.value or "") for c in sheet[header_row]}
            for row in sheet.iter_rows(min_row=header_row + 1):
                for cell in row:
                    where = f"{page} / {sheet.title} {cell.coordinate}: {cell.value!r}"
                    assert cell.data_type != "f", where
                    value = cell.value
                    if isinstance(value, str):
                        assert not NUMBER_AS_TEXT.match(value), where
                        assert not RATIO_AS_TEXT.match(value), where
                        assert not DATE_AS_TEXT.match(value), where
                        era_months += bool(ERA_MONTH.match(value))
                    if isinstance(value, datetime):
                        assert cell.is_date, where
                        header = headers.get(cell.column, "")
                        # A month only planned is never written as its first day.
                        assert "予定" not in header or value.day != 1, where
    assert era_months, "no planned month written as 平成30年2月 in any export"


def test_every_csv_decodes_in_its_encoding_with_the_header_first(walk):
    for page, downloads in walk.items():
        for *_, response in downloads:
            ascii_name, _ = disposition_names(response["Content-Disposition"])
            if not ascii_name.endswith(".csv"):
                continue
            sjis = "_sjis_" in ascii_name
            assert response["Content-Type"].endswith("shift_jis" if sjis else "utf-8")
            text = response.content.decode("cp932" if sjis else "utf-8-sig")
            header = next(csv.reader(io.StringIO(text)))
            assert all(JAPANESE.search(h) for h in header), f"{page}: {header}"


def test_planned_month_stays_a_month_and_totals_are_numbers(client, administrator, data_2017):
    """The status table of 2017: the months only planned are 平成30年2月 text, the totals a
    table of numbers."""
    client.force_login(administrator)
    response = client.get("/status/", {"fiscal_year": 2017, "_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    headers = rows[0]
    meetings = [headers.index(f"第{n}回") for n in (1, 2, 3)]
    blank = rows.index((None,) * len(headers))
    areas_rows, totals = rows[1:blank], rows[blank + 1 :]
    values = [r[i] for r in areas_rows for i in meetings if r[i] is not None]
    assert any(isinstance(v, str) for v in values), "no month only planned in 2017"
    assert all(isinstance(v, datetime) or ERA_MONTH.match(v) for v in values), values
    assert totals[0][:3] == ("合計", "件数・人数", "対象の圏域数")
    by_label = {r[0]: r[1:3] for r in totals[1:]}
    areas = by_label["圏域"][0]
    assert isinstance(areas, int) and areas == len(areas_rows)
    held, out_of = by_label["第1回 開催"]
    assert isinstance(held, int) and out_of == areas


def test_a_filtered_export_says_so_in_its_title_and_name(client, administrator, data_2017):
    from councils.models import District

    client.force_login(administrator)
    district = District.objects.get(name="内郷")
    every = client.get("/status/", {"fiscal_year": 2017, "_export": "xlsx"})
    some = client.get("/status/", {"fiscal_year": 2017, "district": district.pk, "_export": "xlsx"})
    every_name = disposition_names(every["Content-Disposition"])[0]
    some_name = disposition_names(some["Content-Disposition"])[0]
    assert every_name.startswith("district-status_FY2017_all_")
    assert some_name.startswith("district-status_FY2017_filtered_")
    title = openpyxl.load_workbook(io.BytesIO(some.content)).active["A1"].value
    assert title.startswith("圏域別状況 平成29年度")
    assert "地区「内郷」" in title
    assert "絞り込みなし" in openpyxl.load_workbook(io.BytesIO(every.content)).active["A1"].value


def test_utf8_and_shift_jis_csv_have_different_names(client, administrator, data_2017):
    client.force_login(administrator)
    utf8 = client.get("/status/", {"fiscal_year": 2017, "_export": "csv"})
    sjis = client.get("/status/", {"fiscal_year": 2017, "_export": "csv", "encoding": "cp932"})
    assert disposition_names(utf8["Content-Disposition"])[0].endswith(
        f"_utf8_{timezone.localdate():%Y%m%d}.csv"
    )
    assert "_sjis_" in disposition_names(sjis["Content-Disposition"])[0]
    assert "Shift_JIS" in disposition_names(sjis["Content-Disposition"])[1]


def test_a_path_of_every_offer_resolves(walk):
    for downloads in walk.values():
        for _, url, _, _ in downloads:
            resolve(urlsplit(url).path)

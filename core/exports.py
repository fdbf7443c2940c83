"""Spreadsheet exports (xlsx and CSV) shared by every table of the site.

Give it column headers and rows of Python values; it writes a workbook or a CSV that
Japanese Excel opens as it is:

* **Types are kept.** Numbers stay numbers, dates stay dates (xlsx date cells, CSV
  ``2017-07-28``), ``None`` and ``""`` stay empty cells, never the text "None".
* **No formula injection.** A text value beginning with ``= + - @``, a tab or a carriage
  return is written as text: in xlsx an explicit string cell (``data_type == "s"``, so
  Excel never evaluates it), in CSV behind a leading apostrophe (the OWASP advice; Excel
  hides the apostrophe). Numbers, including negative ones, are not text and are left alone.
  We do not use ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` (strips only ``=`` and turns
  empty cells into "None") nor django-tables2's export (escapes nothing).
* **CSV encodings.** UTF-8 with a BOM by default, so Excel detects it. ``cp932``
  (Windows Shift_JIS) for older systems: a few look-alike characters that cp932 lacks are
  first mapped to the ones it has (〜 → ～, − → －, …); any other character cp932 cannot
  encode raises ``ExportEncodingError`` with a Japanese message naming row, column and
  character, unless ``replace_unencodable=True`` asks for 〓 (geta, the customary mark
  for a missing glyph) instead.
* **Filenames** carry the date (``地区別状況_20171031.xlsx``) and go out in a
  ``Content-Disposition`` with an ASCII fallback and an RFC 5987 ``filename*`` for the
  Japanese name.

``TableExportMixin`` adds all of this to a django-tables2 + django-filter list view: the
export holds the rows the page shows (current filter and sort), all of them, not one page.

A page of several tables (the year's report, the national survey's figures) is one workbook
with a sheet per table: ``to_xlsx_book`` with a ``Sheet`` each, and ``book_response``. Every
sheet of a book opens with its title (and a caption: the date, the source), then the bold
header row, frozen below it; it prints on A4 landscape, one page wide, the header repeated on
every page and the page number in the footer.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "CSV",
    "ENCODINGS",
    "FORMATS",
    "XLSX",
    "ExportEncodingError",
    "Sheet",
    "TableExportMixin",
    "book_response",
    "content_disposition",
    "export_filename",
    "export_response",
    "to_csv",
    "to_xlsx",
    "to_xlsx_book",
]

XLSX = "xlsx"
CSV = "csv"
FORMATS = (XLSX, CSV)
UTF8 = "utf-8"
CP932 = "cp932"
ENCODINGS = {UTF8: "UTF-8 (BOM付き)", CP932: "Shift_JIS (cp932)"}

CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv",
}

# Characters that make a spreadsheet treat text as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Characters people type that cp932 has only as a look-alike at another code point
# (the well-known differences between cp932 and Unicode mappings of JIS X 0208).
CP932_LOOKALIKES = str.maketrans(
    {
        "\u301c": "\uff5e",  # 〜 WAVE DASH -> ～ FULLWIDTH TILDE
        "\u2212": "\uff0d",  # − MINUS SIGN -> － FULLWIDTH HYPHEN-MINUS
        "\u2016": "\u2225",  # ‖ DOUBLE VERTICAL LINE -> ∥ PARALLEL TO
        "\u2014": "\u2015",  # — EM DASH -> ― HORIZONTAL BAR
        "\u00a2": "\uffe0",  # ¢ -> ￠
        "\u00a3": "\uffe1",  # £ -> ￡
        "\u00ac": "\uffe2",  # ¬ -> ￢
    }
)
CP932_REPLACEMENT = "〓"

DATE_FORMAT = "yyyy/mm/dd"
DATETIME_FORMAT = "yyyy/mm/dd hh:mm"
SHEET_TITLE_LIMIT = 31  # Excel refuses longer sheet names
CELL_TEXT_LIMIT = 32767  # Excel calls a file with longer cell text damaged
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class ExportEncodingError(ValueError):
    """A value cannot be written in the chosen CSV encoding; the message is Japanese."""


# --- values --------------------------------------------------------------------------


def cell_value(value):
    """A Python value as a spreadsheet cell value: number, date, datetime, bool, str or None.

    HTML marked safe (a rendered template fragment) is reduced to its text, lazy strings and
    other objects to ``str``; aware datetimes become naive local time (xlsx has no zones).
    """
    if value is None:
        return None
    if isinstance(value, bool | int | float | Decimal | date | time):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, SafeData):
        value = strip_tags(str(value))
    text = force_str(value)
    return text if text != "" else None


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


# --- xlsx ----------------------------------------------------------------------------


def to_xlsx(headers: Sequence, rows: Iterable[Sequence], *, sheet_title: str = "") -> bytes:
    """A workbook with one sheet: a bold header row, then ``rows``; text is never a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title)
    _write_table(sheet, headers, rows, header_row=1)
    return _saved(workbook)


@dataclass
class Sheet:
    """One table of a workbook: its title (the tab's name and the title row), the headers and
    rows, and a caption under the title (the date the figures are as of, their source)."""

    title: str
    headers: Sequence
    rows: Iterable[Sequence]
    caption: str = ""


def to_xlsx_book(sheets: Sequence[Sheet], *, title: str = "") -> bytes:
    """A workbook with a sheet per ``Sheet``, each titled, typed and set up to print.

    Row 1 is ``title`` and the sheet's title, row 2 the caption (empty when there is none),
    row 3 the header row, then the rows. Tab names are made unique and short enough for Excel
    (31 characters).
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for item in sheets:
        sheet = workbook.create_sheet(_unique_title(_sheet_title(item.title), used))
        heading = f"{title} {item.title}".strip() if title else item.title
        sheet.cell(row=1, column=1, value=_text(heading)).font = Font(bold=True, size=14)
        sheet.cell(row=1, column=1).data_type = "s"
        header_row = 3
        if item.caption:
            caption = sheet.cell(row=2, column=1, value=_text(item.caption))
            caption.data_type = "s"
        _write_table(sheet, item.headers, item.rows, header_row=header_row)
        _print_setup(sheet, header_row=header_row, title=heading)
    if not workbook.sheetnames:
        workbook.create_sheet("Sheet1")
    return _saved(workbook)


def _write_table(sheet: Worksheet, headers: Sequence, rows: Iterable[Sequence], *, header_row):
    """The header row (bold, text) at ``header_row``, the rows under it, panes frozen below the
    header and columns as wide as their contents (up to 60 characters)."""
    header_texts = [force_str(h) for h in headers]
    for column_index, text in enumerate(header_texts, start=1):
        cell = sheet.cell(row=header_row, column=column_index, value=text)
        cell.font = Font(bold=True)
        # Headers are text too: a header such as "-" must not become a formula.
        cell.data_type = "s"
    sheet.freeze_panes = f"A{header_row + 1}"

    widths = [_display_width(h) for h in header_texts]
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_index, row in enumerate(rows, start=header_row + 1):
        for column_index, raw in enumerate(row, start=1):
            value = cell_value(raw)
            if value is None:
                continue
            if isinstance(value, str):
                value = _text(value)
            cell = sheet.cell(row=row_index, column=column_index, value=value)
            if isinstance(value, str):
                # openpyxl makes any text starting with "=" a formula; this makes it text.
                cell.data_type = "s"
                if "\n" in value or _display_width(value) > 60:
                    cell.alignment = wrap
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            if column_index <= len(widths):
                widths[column_index - 1] = max(widths[column_index - 1], _display_width(value))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 6), 60)


def _text(value: str) -> str:
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > CELL_TEXT_LIMIT:
        value = value[: CELL_TEXT_LIMIT - 1] + "…"
    return value


def _print_setup(sheet: Worksheet, *, header_row: int, title: str) -> None:
    """A4 landscape, one page wide (as many pages tall as it takes), narrow margins, the rows
    down to the header repeated on every page, the title and page number in the margins."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_title_rows = f"1:{header_row}"
    sheet.oddHeader.center.text = title.replace("&", "&&")
    sheet.oddFooter.center.text = "&P / &N"


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _unique_title(title: str, used: set[str]) -> str:
    candidate, number = title, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate = title[: SHEET_TITLE_LIMIT - len(suffix)] + suffix
        number += 1
    used.add(candidate.lower())
    return candidate


def _sheet_title(title: str) -> str:
    cleaned = SHEET_TITLE_FORBIDDEN.sub("_", force_str(title)).strip("'")
    return (cleaned or "Sheet1")[:SHEET_TITLE_LIMIT]


def _display_width(value) -> int:
    if isinstance(value, date):
        return 11
    text = force_str(value)
    longest = max((len(line) for line in text.splitlines()), default=0)
    # Wide (CJK) characters take about two columns.
    return longest + sum(1 for ch in text if ord(ch) > 0x2E7F)


# --- CSV -----------------------------------------------------------------------------


def csv_text(value) -> str:
    """A value as CSV text: empty for None, ISO dates, and text defused with an apostrophe."""
    value = cell_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if is_formula_like(value) else value
    return str(value)


def to_csv(
    headers: Sequence,
    rows: Iterable[Sequence],
    *,
    encoding: str = UTF8,
    replace_unencodable: bool = False,
) -> bytes:
    """CSV bytes with CRLF line ends: UTF-8 with a BOM, or cp932.

    With cp932, a character it cannot encode raises ``ExportEncodingError`` naming the row
    (as the spreadsheet numbers it, header = 1), the column and the character; with
    ``replace_unencodable`` it becomes 〓 instead.
    """
    if encoding not in ENCODINGS:
        raise ValueError(f"unsupported CSV encoding: {encoding!r}")
    header_texts = [force_str(h) for h in headers]
    lines = [[csv_text(h) for h in header_texts]]
    lines.extend([csv_text(v) for v in row] for row in rows)

    if encoding == CP932:
        lines = [
            [
                _cp932_safe(text, row_number, header_texts, column, replace_unencodable)
                for column, text in enumerate(line)
            ]
            for row_number, line in enumerate(lines, start=1)
        ]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(lines)
    text = buffer.getvalue()
    if encoding == CP932:
        return text.encode(CP932)
    return text.encode("utf-8-sig")


def _cp932_safe(text: str, row_number: int, headers: list[str], column: int, replace: bool):
    text = text.translate(CP932_LOOKALIKES)
    try:
        text.encode(CP932)
    except UnicodeEncodeError:
        pass
    else:
        return text
    out = []
    for ch in text:
        try:
            ch.encode(CP932)
        except UnicodeEncodeError:
            if not replace:
                column_name = headers[column] if column < len(headers) else f"{column + 1}列目"
                raise ExportEncodingError(
                    f"{row_number}行目「{column_name}」の文字「{ch}」(U+{ord(ch):04X}) は"
                    "Shift_JIS(cp932)で表せないため、CSVを出力できません。"
                    "UTF-8(BOM付き)またはExcel形式で出力してください。"
                ) from None
            ch = CP932_REPLACEMENT
        out.append(ch)
    return "".join(out)


# --- HTTP ----------------------------------------------------------------------------


def export_filename(base: str, fmt: str, *, on: date | None = None) -> str:
    """``地区別状況_20171031.xlsx``: the name of the table and the day of the export."""
    on = on or timezone.localdate()
    safe_base = re.sub(r'[\\/:*?"<>|\s]+', "_", base).strip("_") or "export"
    return f"{safe_base}_{on:%Y%m%d}.{fmt}"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and RFC 5987 ``filename*``."""
    ascii_name = filename.encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r'["\\\r\n]', "", ascii_name).lstrip("_") or "export"
    if "." not in ascii_name and "." in filename:
        ascii_name = "export." + filename.rsplit(".", 1)[1]
    if ascii_name == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def export_response(
    headers: Sequence,
    rows: Iterable[Sequence],
    *,
    name: str,
    fmt: str,
    encoding: str = UTF8,
    replace_unencodable: bool = False,
    on: date | None = None,
) -> HttpResponse:
    """An attachment response holding ``rows`` as xlsx or CSV, named ``name`` and the date.

    Raises ``ExportEncodingError`` (see ``to_csv``) before any response is made.
    """
    if fmt == XLSX:
        body = to_xlsx(headers, rows, sheet_title=name)
        content_type = CONTENT_TYPES[XLSX]
    elif fmt == CSV:
        body = to_csv(headers, rows, encoding=encoding, replace_unencodable=replace_unencodable)
        charset = "shift_jis" if encoding == CP932 else "utf-8"
        content_type = f"{CONTENT_TYPES[CSV]}; charset={charset}"
    else:
        raise ValueError(f"unsupported export format: {fmt!r}")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition(export_filename(name, fmt, on=on))
    # An export reflects the data of the moment; never serve one from a cache.
    response["Cache-Control"] = "no-store"
    return response


def book_response(
    sheets: Sequence[Sheet], *, name: str, title: str = "", on: date | None = None
) -> HttpResponse:
    """An attachment response holding ``sheets`` as one xlsx workbook (``to_xlsx_book``)."""
    response = HttpResponse(to_xlsx_book(sheets, title=title), content_type=CONTENT_TYPES[XLSX])
    response["Content-Disposition"] = content_disposition(export_filename(name, XLSX, on=on))
    response["Cache-Control"] = "no-store"
    return response


# --- django-tables2 ------------------------------------------------------------------


class TableExportMixin:
    """Export a ``SingleTableMixin`` view's table as the page shows it: ``?_export=xlsx``.

    The table is built the normal way (``get_table``: the filtered queryset, the ``sort``
    parameter), and every row is exported, not only the current page. Columns with
    ``exclude_from_export=True`` are left out; a column whose cell renders HTML should
    define ``value_<column>`` on the table returning the plain value (a number or a date,
    so that the spreadsheet keeps its type). ``&encoding=cp932`` selects Shift_JIS for CSV.

    Set ``export_name`` (the file name's base and the sheet title). A CSV that cannot be
    written in cp932 gets a 400 page with the Japanese message and links to the other forms.
    """

    export_name = "export"
    export_trigger_param = "_export"
    export_encoding_param = "encoding"
    export_error_template = "includes/export_error.html"

    def get_export_name(self):
        return self.export_name

    def get_export_format(self):
        fmt = self.request.GET.get(self.export_trigger_param)
        return fmt if fmt in FORMATS else None

    def get_export_rows(self, table):
        """Headers and rows of ``table`` with Python values, as ``as_values`` gives them."""
        values = iter(table.as_values())
        headers = next(values)
        return headers, values

    def export_table(self, fmt, table=None):
        if table is None:
            table = self.get_table(**self.get_table_kwargs())
        headers, rows = self.get_export_rows(table)
        encoding = self.request.GET.get(self.export_encoding_param, UTF8)
        if encoding not in ENCODINGS:
            encoding = UTF8
        return export_response(
            headers, rows, name=self.get_export_name(), fmt=fmt, encoding=encoding
        )

    def render_to_response(self, context, **response_kwargs):
        fmt = self.get_export_format()
        if fmt is None:
            return super().render_to_response(context, **response_kwargs)
        # The table the page would show (filtered, sorted); as_values() reads all its rows,
        # not the current page.
        table = context.get(getattr(self, "context_table_name", None) or "table")
        try:
            return self.export_table(fmt, table)
        except ExportEncodingError as error:
            from django.template.response import TemplateResponse

            query = self.request.GET.copy()
            query.pop(self.export_encoding_param, None)
            back = query.copy()
            back.pop(self.export_trigger_param, None)
            return TemplateResponse(
                self.request,
                self.export_error_template,
                {
                    "message": str(error),
                    "utf8_query": query.urlencode(),
                    "back_query": back.urlencode(),
                },
                status=400,
            )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for param in (self.export_trigger_param, self.export_encoding_param, "page"):
            query.pop(param, None)
        context["export_query"] = query.urlencode()
        context["current_sort"] = self.request.GET.get("sort", "")
        return context

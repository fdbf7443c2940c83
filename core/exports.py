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

from core import wareki
from core.forms import FiscalYearField

__all__ = [
    "CSV",
    "ENCODINGS",
    "FORMATS",
    "XLSX",
    "ExportEncodingError",
    "ExportInfo",
    "Sheet",
    "TableExportMixin",
    "book_response",
    "content_disposition",
    "encoding_refusal",
    "export_filename",
    "export_filenames",
    "export_response",
    "export_subtitle",
    "export_title",
    "filters_in_words",
    "refusal_context",
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
ROW_LABEL_LIMIT = 30  # a refusal names a row by at most this much of its text
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class ExportEncodingError(ValueError):
    """A value cannot be written in the chosen CSV encoding; the message is Japanese.

    ``row_number`` is the CSV's line (header = 1), ``column_name`` the header of the cell,
    ``char`` the character and ``row`` the row's texts, for a page to name the row as it
    shows it (``encoding_refusal``).
    """

    def __init__(self, message, *, row_number=0, column_name="", char="", row=()):
        super().__init__(message)
        self.row_number = row_number
        self.column_name = column_name
        self.char = char
        self.row = list(row)


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


def to_xlsx(
    headers: Sequence,
    rows: Iterable[Sequence],
    *,
    sheet_title: str = "",
    title: str = "",
    caption: str = "",
) -> bytes:
    """A workbook with one sheet set up to print (A4 landscape, one page wide, the header
    repeated): a bold header row, then ``rows``; text is never a formula.

    With ``title`` (``export_title``: the table, the year, the filters, the output date) row 1
    holds it, row 2 the ``caption`` and row 3 the headers; without it the headers are row 1,
    as a file meant to be imported again needs them.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title)
    header_row = 1
    if title:
        _write_heading(sheet, title, caption)
        header_row = 3
    _write_table(sheet, headers, rows, header_row=header_row)
    _print_setup(sheet, header_row=header_row, title=title or sheet_title)
    return _saved(workbook)


def _write_heading(sheet: Worksheet, title: str, caption: str = "") -> None:
    cell = sheet.cell(row=1, column=1, value=_text(title))
    cell.font = Font(bold=True, size=14)
    cell.data_type = "s"
    if caption:
        sheet.cell(row=2, column=1, value=_text(caption)).data_type = "s"


@dataclass
class Sheet:
    """One table of a workbook: its title (the tab's name and the title row), the headers and
    rows, and a caption under the title (the date the figures are as of, their source)."""

    title: str
    headers: Sequence
    rows: Iterable[Sequence]
    caption: str = ""


def to_xlsx_book(sheets: Sequence[Sheet], *, title: str = "", subtitle: str = "") -> bytes:
    """A workbook with a sheet per ``Sheet``, each titled, typed and set up to print.

    Row 1 is ``title`` and the sheet's title (then ``subtitle``: the filters and the output
    date, ``export_subtitle``), row 2 the caption (empty when there is none),
    row 3 the header row, then the rows. Tab names are made unique and short enough for Excel
    (31 characters).
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for item in sheets:
        sheet = workbook.create_sheet(_unique_title(_sheet_title(item.title), used))
        heading = f"{title} {item.title}".strip() if title else item.title
        if subtitle:
            heading = f"{heading} ／ {subtitle}"
        _write_heading(sheet, heading, item.caption)
        header_row = 3
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
    if title:
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
                _cp932_safe(text, row_number, header_texts, column, replace_unencodable, line)
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


def _cp932_safe(
    text: str, row_number: int, headers: list[str], column: int, replace: bool, line=()
):
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
                    "UTF-8(BOM付き)またはExcel形式で出力してください。",
                    row_number=row_number,
                    column_name=column_name,
                    char=ch,
                    row=line,
                ) from None
            ch = CP932_REPLACEMENT
        out.append(ch)
    return "".join(out)


# --- names and titles ------------------------------------------------------------------


@dataclass(frozen=True)
class ExportInfo:
    """What a file says about itself: in its title row and in its name.

    ``name`` is the table's Japanese name (圏域別状況), ``ascii_name`` the same in plain
    words for clients that cannot take a Japanese file name (``district-status``).
    ``fiscal_year`` the year the table shows (None for a table without one); ``filters``
    the filters applied, in words, as ``(label, value)`` pairs — an empty sequence says the
    file holds every row, ``None`` that the table has no filters to speak of.
    """

    name: str
    ascii_name: str = "export"
    fiscal_year: int | None = None
    filters: Sequence[tuple[str, str]] | None = None
    on: date | None = None

    @property
    def day(self) -> date:
        return self.on or timezone.localdate()

    @property
    def filtered(self) -> bool:
        return bool(self.filters)


def export_subtitle(info: ExportInfo) -> str:
    """``絞り込み: 地区「平」 ／ 令和8年11月30日出力``: the filters in words and the day."""

    parts = []
    if info.filters is not None:
        if info.filters:
            parts.append(
                "絞り込み: " + "、".join(f"{label}「{value}」" for label, value in info.filters)
            )
        else:
            parts.append("絞り込みなし(全件)")
    parts.append(f"{wareki.format_date(info.day)}出力")
    return " ／ ".join(parts)


def export_title(info: ExportInfo) -> str:
    """The title row of a file: the table, the fiscal year in era form, the filters and the
    output date (``圏域別状況 平成29年度 ／ 絞り込み: 地区「平」 ／ 令和8年11月30日出力``)."""

    heading = info.name
    if info.fiscal_year is not None:
        heading = f"{heading} {wareki.format_fiscal_year(info.fiscal_year)}"
    return f"{heading} ／ {export_subtitle(info)}"


ENCODING_WORDS = {UTF8: ("UTF-8", "utf8"), CP932: ("Shift_JIS", "sjis")}


def export_filenames(info: ExportInfo, fmt: str, *, encoding: str = UTF8) -> tuple[str, str]:
    """The file's Japanese name and its ASCII fallback, alike in every part:
    ``圏域別状況_平成29年度_絞り込み_Shift_JIS_20261130.csv`` and
    ``district-status_FY2017_filtered_sjis_20261130.csv``.

    The parts: the table, the fiscal year, whether rows were filtered (全件 / all when the
    table has filters and none was applied), the CSV encoding, the output date.
    """

    japanese, ascii_ = [info.name], [info.ascii_name]
    if info.fiscal_year is not None:
        japanese.append(wareki.format_fiscal_year(info.fiscal_year))
        ascii_.append(f"FY{info.fiscal_year}")
    if info.filters is not None:
        japanese.append("絞り込み" if info.filtered else "全件")
        ascii_.append("filtered" if info.filtered else "all")
    if fmt == CSV:
        words = ENCODING_WORDS.get(encoding, ENCODING_WORDS[UTF8])
        japanese.append(words[0])
        ascii_.append(words[1])
    stamp = f"{info.day:%Y%m%d}"
    japanese.append(stamp)
    ascii_.append(stamp)
    return (
        f"{_safe_name('_'.join(japanese))}.{fmt}",
        f"{_ascii_safe('_'.join(ascii_))}.{fmt}",
    )


def _safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_") or "export"


def _ascii_safe(text: str) -> str:
    text = text.encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text)
    return re.sub(r"-{2,}", "-", text).strip("-_") or "export"


# --- HTTP ----------------------------------------------------------------------------


def export_filename(base: str, fmt: str, *, on: date | None = None) -> str:
    """``地区別状況_20171031.xlsx``: the name of the table and the day of the export."""
    on = on or timezone.localdate()
    return f"{_safe_name(base)}_{on:%Y%m%d}.{fmt}"


def content_disposition(filename: str, ascii_filename: str = "") -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and RFC 5987 ``filename*``.

    ``ascii_filename`` is the readable fallback (``export_filenames``); without one, the
    ASCII characters of ``filename`` are used.
    """
    if ascii_filename:
        ascii_name = _ascii_safe(ascii_filename)
    else:
        ascii_name = filename.encode("ascii", "ignore").decode("ascii")
        ascii_name = re.sub(r'["\\\r\n]', "", ascii_name).lstrip("_") or "export"
    if "." not in ascii_name and "." in filename:
        ascii_name = "export." + filename.rsplit(".", 1)[1]
    if ascii_name == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _attachment(response: HttpResponse, info: ExportInfo, fmt: str, encoding: str = UTF8):
    name, ascii_name = export_filenames(info, fmt, encoding=encoding)
    response["Content-Disposition"] = content_disposition(name, ascii_name)
    # An export reflects the data of the moment; never serve one from a cache.
    response["Cache-Control"] = "no-store"
    return response


def export_response(
    headers: Sequence,
    rows: Iterable[Sequence],
    *,
    name: str | ExportInfo,
    fmt: str,
    encoding: str = UTF8,
    replace_unencodable: bool = False,
    on: date | None = None,
) -> HttpResponse:
    """An attachment response holding ``rows`` as xlsx or CSV.

    ``name`` is an ``ExportInfo`` (or only the table's name): the xlsx opens with its title
    row (``export_title``), and the file is named after it (``export_filenames``).
    Raises ``ExportEncodingError`` (see ``to_csv``) before any response is made.
    """
    info = name if isinstance(name, ExportInfo) else ExportInfo(name, on=on)
    if fmt == XLSX:
        body = to_xlsx(headers, rows, sheet_title=info.name, title=export_title(info))
        content_type = CONTENT_TYPES[XLSX]
    elif fmt == CSV:
        body = to_csv(headers, rows, encoding=encoding, replace_unencodable=replace_unencodable)
        charset = "shift_jis" if encoding == CP932 else "utf-8"
        content_type = f"{CONTENT_TYPES[CSV]}; charset={charset}"
    else:
        raise ValueError(f"unsupported export format: {fmt!r}")
    return _attachment(HttpResponse(body, content_type=content_type), info, fmt, encoding)


def book_response(
    sheets: Sequence[Sheet],
    *,
    name: str | ExportInfo,
    title: str = "",
    on: date | None = None,
) -> HttpResponse:
    """An attachment response holding ``sheets`` as one xlsx workbook (``to_xlsx_book``);
    every sheet's title row ends with the filters and the output date (``export_subtitle``)."""
    info = name if isinstance(name, ExportInfo) else ExportInfo(name, on=on)
    body = to_xlsx_book(sheets, title=title, subtitle=export_subtitle(info))
    return _attachment(HttpResponse(body, content_type=CONTENT_TYPES[XLSX]), info, XLSX)


def encoding_refusal(error: ExportEncodingError, row_label: str = "") -> str:
    """The Japanese message of a Shift_JIS refusal, naming the row as the page shows it
    (``row_label``: the person, the area), the column and the character, and the way out."""
    if len(row_label) > ROW_LABEL_LIMIT:
        row_label = row_label[: ROW_LABEL_LIMIT - 1] + "…"
    where = f"「{row_label}」の行" if row_label else f"{error.row_number}行目"
    return (
        f"{where}(CSVの{error.row_number}行目)の「{error.column_name}」にある文字"
        f"「{error.char}」(U+{ord(error.char):04X})はShift_JIS(cp932)で表せないため、"
        "Shift_JISのCSVは出力できません。"
        "UTF-8(BOM付き)のCSVかExcel形式(xlsx)なら、すべての文字をそのまま出力できます。"
    )


# --- django-tables2 ------------------------------------------------------------------


def filters_in_words(form, *, skip=("fiscal_year",)) -> list[tuple[str, str]]:
    """The filters a bound, valid filter form applies, as ``(label, value)`` in words:
    ``[("地区", "平"), ("状況", "未対応")]``. Fields named in ``skip`` (the fiscal year, which
    the title shows on its own) and empty ones are left out."""

    if form is None or not form.is_bound or not form.is_valid():
        return []
    words = []
    for name, field in form.fields.items():
        if name in skip:
            continue
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()) or (hasattr(value, "exists") and not value.exists()):
            continue
        words.append((force_str(field.label or name), _value_in_words(field, value)))
    return words


def _value_in_words(field, value) -> str:
    if hasattr(value, "start") and hasattr(value, "stop"):  # a range (slice) of dates
        ends = [
            wareki.format_date(v) if isinstance(v, date) else "" for v in (value.start, value.stop)
        ]
        return "～".join(ends)
    if isinstance(value, date):
        return wareki.format_date(value)
    if isinstance(field, FiscalYearField) and isinstance(value, int):
        return wareki.format_fiscal_year(value)
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, list | tuple) or hasattr(value, "model"):
        return "、".join(_value_in_words(field, v) for v in value)
    choices = getattr(field, "choices", None)
    if choices is not None and not hasattr(field, "queryset"):
        flat = {}
        for key, label in choices:
            if isinstance(label, list | tuple):
                flat.update({force_str(k): v for k, v in label})
            else:
                flat[force_str(key)] = label
        if force_str(value) in flat:
            return force_str(flat[force_str(value)])
    return force_str(value)


class TableExportMixin:
    """Export a ``SingleTableMixin`` view's table as the page shows it: ``?_export=xlsx``.

    The table is built the normal way (``get_table``: the filtered queryset, the ``sort``
    parameter), and every row is exported, not only the current page. Columns with
    ``exclude_from_export=True`` are left out; a column whose cell renders HTML should
    define ``value_<column>`` on the table returning the plain value (a number or a date,
    so that the spreadsheet keeps its type). ``&encoding=cp932`` selects Shift_JIS for CSV.

    Set ``export_name`` (the file name's base, the sheet's title) and ``export_ascii_name``
    (the same in plain words, for the ASCII file name); a table of a fiscal year returns it
    from ``get_export_fiscal_year``. The filters of the view's filterset go into the title
    row in words and make the file name say 絞り込み / filtered.

    A CSV that cannot be written in cp932 gets a 400 page naming the row as the table shows
    it (its ``export_row_label`` column, the first one by default), the column and the
    character, with links to the same rows as UTF-8 CSV and as xlsx.
    """

    export_name = "export"
    export_ascii_name = "export"
    export_row_label = None  # the header of the column that names a row; None: the first
    export_trigger_param = "_export"
    export_encoding_param = "encoding"
    export_error_template = "includes/export_error.html"

    def get_export_name(self):
        return self.export_name

    def get_export_fiscal_year(self):
        return None

    def get_export_filters(self):
        filterset = getattr(self, "filterset", None)
        if filterset is None:
            return None
        return filters_in_words(filterset.form)

    def get_export_info(self):
        return ExportInfo(
            self.get_export_name(),
            ascii_name=self.export_ascii_name,
            fiscal_year=self.get_export_fiscal_year(),
            filters=self.get_export_filters(),
        )

    def get_export_format(self):
        fmt = self.request.GET.get(self.export_trigger_param)
        return fmt if fmt in FORMATS else None

    def get_export_rows(self, table):
        """Headers and rows of ``table`` with Python values, as ``as_values`` gives them."""
        values = iter(table.as_values())
        headers = next(values)
        return headers, values

    def get_export_encoding(self):
        encoding = self.request.GET.get(self.export_encoding_param, UTF8)
        return encoding if encoding in ENCODINGS else UTF8

    def export_table(self, fmt, table=None):
        if table is None:
            table = self.get_table(**self.get_table_kwargs())
        headers, rows = self.get_export_rows(table)
        return export_response(
            headers, rows, name=self.get_export_info(), fmt=fmt, encoding=self.get_export_encoding()
        )

    def export_row_label_of(self, error: ExportEncodingError, headers) -> str:
        """The text naming the refused row as the page shows it."""
        column = 0
        if self.export_row_label and self.export_row_label in headers:
            column = list(headers).index(self.export_row_label)
        return error.row[column] if column < len(error.row) else ""

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

            headers = [
                force_str(c.header) for c in table.columns if not c.column.exclude_from_export
            ]
            return TemplateResponse(
                self.request,
                self.export_error_template,
                refusal_context(
                    self.request,
                    error,
                    self.export_row_label_of(error, headers),
                    trigger=self.export_trigger_param,
                    encoding_param=self.export_encoding_param,
                ),
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


def refusal_context(request, error, row_label="", *, trigger="_export", encoding_param="encoding"):
    """The context of ``includes/export_error.html`` for a GET export: the message, and the
    query strings of the same rows (same filters, same sort) as UTF-8 CSV, as xlsx, and of
    the table itself."""
    query = request.GET.copy()
    query.pop(encoding_param, None)
    query[trigger] = CSV
    xlsx = query.copy()
    xlsx[trigger] = XLSX
    back = query.copy()
    back.pop(trigger, None)
    return {
        "message": encoding_refusal(error, row_label),
        "utf8_query": query.urlencode(),
        "xlsx_query": xlsx.urlencode(),
        "back_query": back.urlencode(),
    }

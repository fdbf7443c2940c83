"""Reading the spreadsheets that offices keep: xlsx and CSV, as people really save them.

Site-wide and independent of the apps: the supporter import and the needs-survey tallies both
read through here. What it copes with:

* ``.xlsx`` (the first sheet unless one is named), read with python-calamine (Rust; about 25
  times faster than openpyxl's read-only mode, and nothing of the file is executed), and CSV
  in UTF-8, UTF-8 with BOM or Shift_JIS, decoded with Python's ``cp932`` codec (``shift_jis``
  loses 髙 﨑 ① ㈱ ～). The caller may force an encoding.
* Files that must be refused before anything is parsed: over the size limit, an xlsx whose
  zip members declare more unpacked bytes than the limit (a zip bomb: a 0.4 MB file can
  unpack into a million rows), encrypted xlsx (an OLE compound file), the old ``.xls``,
  truncated zips, anything that is not a spreadsheet, over the row limit.
* A title row or two above the header, blank rows, trailing empty columns. Headers are
  matched against synonyms after NFKC normalisation with spaces removed.
* Values: NFKC text, kana as full-width katakana, dates from Excel dates, Excel serial
  numbers, ISO dates, slashes and era forms (via ``core.wareki.parse_date``).
* Hostile or damaged files (tests/corpus): whatever the xlsx reader raises while opening the
  workbook or reading a sheet (XML that is unclosed or has a DOCTYPE, a workbook pointing at a
  missing sheet, cell addresses far outside any real sheet) becomes a ``SpreadsheetError``;
  the extent of the used cells is checked before the reader allocates it. A control
  character in any cell (``core.validators``) refuses the file, naming its row and column.

Every problem is a ``SpreadsheetError`` (the whole file) or a ``CellError`` (one cell) with a
Japanese message meant to be shown as it is. Row numbers are the ones the spreadsheet shows:
the title and header rows are counted, the first row is 1.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings

from core.validators import control_character_label, find_control_character
from core.wareki import WarekiError, parse_date

__all__ = [
    "CellError",
    "Column",
    "ControlCharacterError",
    "Row",
    "SpreadsheetError",
    "Table",
    "ValueProblem",
    "checksum",
    "excel_serial_to_date",
    "normalise_header",
    "normalise_kana",
    "normalise_text",
    "parse_date_value",
    "read_rows",
    "read_table",
]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
DEFAULT_MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# Cells of the rectangle from A1 to the last cell with a value, which the xlsx reader
# allocates at once (about 32 bytes each): 30,000 rows of 100 columns. A file naming a cell
# at XFD1048576 is refused before. Above A1:Z99999, which fits, so that sheets whose cells
# all lie within it need no exact scan (see _Extent).
DEFAULT_MAX_CELLS = 3_000_000
EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COLUMN = 16_384
# The header is looked for in this many non-blank rows from the top.
HEADER_SEARCH_ROWS = 20

ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "cp932": "cp932",
    # Offices say Shift_JIS and mean Windows' variant of it; cp932 reads both.
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "ms932": "cp932",
    "windows-31j": "cp932",
}
ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM付き)", "cp932": "Shift_JIS (cp932)"}

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message is Japanese and says what to do."""


class ControlCharacterError(SpreadsheetError):
    """A cell holds a control character; ``read_table`` adds the column's header."""

    def __init__(self, row: int, index: int, character: str, header: str = ""):
        self.row, self.index, self.character, self.header = row, index, character, header
        column = f"{column_letter(index)}列"
        place = f"{row}行目「{header}」（{column}）" if header else f"{row}行目 {column}"
        super().__init__(
            f"{place}に制御文字 {control_character_label(character)}があります。"
            "表計算ソフトでこのセルを入力し直して保存してから選んでください。"
            "このファイルは何も取り込んでいません。"
        )

    def with_header(self, header: str) -> ControlCharacterError:
        return ControlCharacterError(self.row, self.index, self.character, header)


def column_letter(index: int) -> str:
    """The column letter Excel shows for a 0-based cell index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class ValueProblem(ValueError):
    """One value cannot be read; the message is Japanese. The caller adds row and column."""


@dataclass(frozen=True)
class CellError:
    """A problem at one place in the file, as the person who made the file would find it."""

    row: int
    column: str
    message: str

    def __str__(self):
        if not self.row:  # the file as a whole: the message names its own place, if any
            return self.message
        if self.column:
            return f"{self.row}行目「{self.column}」: {self.message}"
        return f"{self.row}行目: {self.message}"


@dataclass(frozen=True)
class Column:
    """A column the caller wants, with the headers that mean it."""

    key: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False

    def matches(self, header: str) -> bool:
        return normalise_header(header) in {
            normalise_header(s) for s in (self.label, *self.synonyms)
        }


@dataclass
class Row:
    number: int
    values: dict[str, object]

    def is_blank(self) -> bool:
        return all(_is_empty(v) for v in self.values.values())


@dataclass
class Table:
    """The rows under the header, keyed by ``Column.key``."""

    header_row: int
    headers: dict[str, str]  # column key -> the header as written in the file
    ignored_headers: list[str]
    rows: list[Row] = field(default_factory=list)
    encoding: str = ""  # for CSV: the encoding used
    sheet: str = ""  # for xlsx: the sheet read
    positions: dict[str, int] = field(default_factory=dict, repr=False)  # key -> cell index

    def header_of(self, key: str) -> str:
        return self.headers.get(key, key)


# --- reading ---------------------------------------------------------------


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def checksum(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def read_rows(
    data: bytes,
    *,
    filename: str = "",
    encoding: str | None = None,
    sheet: str | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
    info: dict | None = None,
) -> Iterator[tuple[int, list]]:
    """Yield ``(row number, cell values)`` for every row of the file, trailing empty cells dropped.

    Raises ``SpreadsheetError`` before yielding anything when the file is refused outright,
    and while reading when it turns out to be truncated or longer than ``max_rows``.
    ``info`` (a dict), when given, receives ``encoding`` or ``sheet``.
    """
    max_bytes = (
        _setting("SPREADSHEET_MAX_BYTES", DEFAULT_MAX_BYTES) if max_bytes is None else max_bytes
    )
    max_rows = _setting("SPREADSHEET_MAX_ROWS", DEFAULT_MAX_ROWS) if max_rows is None else max_rows
    info = {} if info is None else info
    if not data:
        raise SpreadsheetError("ファイルが空です。")
    if len(data) > max_bytes:
        raise SpreadsheetError(
            f"ファイルが大きすぎます（{_megabytes(len(data))}）。"
            f"{_megabytes(max_bytes)}までのファイルにしてください。"
        )
    if _kind_of(data, filename) == "xlsx":
        rows = _xlsx_rows(data, sheet, info, max_rows)
    else:
        rows = _csv_rows(data, encoding, info)
    try:
        for number, cells in rows:
            # Counted in rows of the file, title and header rows included: simple to explain.
            # Blank rows past the limit (formatting dragged down a sheet) are let through, up
            # to a point: the unpacked-size check already bounds how many there can be.
            if number > max_rows and (cells or number > 2 * max_rows):
                raise _too_many_rows(max_rows)
            _check_controls(number, cells)
            yield number, cells
    finally:
        rows.close()  # closes the workbook when the caller stops early


def _check_controls(number: int, cells: list) -> None:
    texts = [cell for cell in cells if isinstance(cell, str)]
    # One search per row; a tab joins the cells (allowed, and it ends a lone CR's match).
    if texts and find_control_character("\t".join(texts)) is not None:
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and (found := find_control_character(cell)) is not None:
                raise ControlCharacterError(number, index, found[1])


def _too_many_rows(max_rows: int) -> SpreadsheetError:
    return SpreadsheetError(
        f"行数が多すぎます。{max_rows:,}行までのファイルにしてください"
        f"（{max_rows + 1:,}行目以降があります）。"
    )


def _kind_of(data: bytes, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(_ZIP_MAGIC):
        return "xlsx"
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in data:
            raise SpreadsheetError(
                "パスワードで保護（暗号化）されたExcelファイルは読み込めません。"
                "Excelでパスワードを解除して保存し直してから選んでください。"
            )
        raise SpreadsheetError(
            "古い形式のExcelファイル（.xls）は読み込めません。"
            "Excelで「Excelブック（*.xlsx）」として保存し直してください。"
        )
    if extension == "xlsx":
        raise SpreadsheetError(
            "xlsxファイルとして読めません。ファイルが壊れているか、途中までしか保存されていません。"
        )
    # A binary file is full of control bytes; a CSV with a stray one is read, so that the
    # control-character check names its row and column.
    if extension in {"csv", "txt", ""} and len(_BINARY_BYTES.findall(data[:4096])) <= 2:
        return "csv"
    raise SpreadsheetError(
        "表計算のファイルではないようです。Excelのブック（.xlsx）かCSV（.csv）を選んでください。"
    )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}MB"


# xlsx


def _xlsx_rows(
    data: bytes, sheet: str | None, info: dict, max_rows: int
) -> Iterator[tuple[int, list]]:
    _check_zip(data)
    from python_calamine import CalamineWorkbook

    workbook = _calamine(CalamineWorkbook.from_filelike, io.BytesIO(data))
    try:
        names = _calamine(lambda: list(workbook.sheet_names))
        if sheet:
            if sheet not in names:
                listed = "、".join(f"「{name}」" for name in names)
                raise SpreadsheetError(f"シート「{sheet}」がありません。あるシート: {listed}")
            worksheet = _calamine(workbook.get_sheet_by_name, sheet)
        else:
            worksheet = _calamine(workbook.get_sheet_by_index, 0)
        info["sheet"] = worksheet.name
        # The used range is known before any row becomes Python objects: refuse early.
        end = _calamine(lambda: worksheet.end)
        if end is not None and end[0] + 1 > 2 * max_rows:
            raise _too_many_rows(max_rows)
        # iter_rows() starts at row 1 whatever the used range, so numbers are Excel's.
        rows = _calamine(worksheet.iter_rows)
        number = 0
        while True:
            # Only the reader's calls are guarded: the yield stays outside, so that closing
            # this generator early is not taken for a broken file.
            try:
                cells = next(rows)
            except StopIteration:
                break
            except (KeyboardInterrupt, SystemExit, GeneratorExit):
                raise
            except BaseException as error:  # see _calamine
                raise _truncated() from error
            number += 1
            yield number, _trim(cells)
    finally:
        with contextlib.suppress(Exception):  # closing a broken workbook may fail as well
            workbook.close()


def _calamine(call, *args):
    """Call the xlsx reader; whatever it raises becomes a ``SpreadsheetError``.

    python-calamine raises its own errors (XmlError, WorksheetNotFound, CalamineError, …),
    ValueError, and for some malformed files a Rust panic, which reaches Python as
    ``pyo3_runtime.PanicException``, a ``BaseException``; all of them mean a damaged file.
    """
    try:
        return call(*args)
    except SpreadsheetError:
        raise
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as error:  # see the docstring
        raise _truncated() from error


def _check_zip(data: bytes) -> None:
    """Refuse a broken zip, a zip that is not a workbook, or one that would unpack too far."""
    limit = _setting("SPREADSHEET_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise _truncated() from error
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise SpreadsheetError(
            "Excelのブック（.xlsx）ではありません。Excelで開いて「Excelブック」として保存し直してください。"
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > limit:
        raise SpreadsheetError(
            f"展開すると大きすぎるファイルです（展開後{_megabytes(unpacked)}、上限{_megabytes(limit)}）。"
            "不要なシートや書式を削除し、名簿の行だけにして保存し直してください。"
        )
    # The declared sizes could lie. Python's zipfile never inflates a member past its
    # declared size and checks the CRC at the end, so inflating every member once here
    # (bounded by the limit just checked) proves them before the fast reader sees the file.
    # The same pass looks for values far from A1: the reader allocates the whole rectangle
    # up to the last one, so a cell written at XFD1048576 must be refused here.
    far = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in members:
                with archive.open(member) as stream:
                    tail = b""
                    while chunk := stream.read(1 << 20):
                        text = tail + chunk
                        if (not far or far[-1] is not member) and _FAR_CELL.search(text):
                            far.append(member)
                        tail = text[-512:]
            for member in far:
                extent = _Extent()
                with archive.open(member) as stream:
                    tail = b""
                    while chunk := stream.read(1 << 20):
                        tail = extent.scan(tail + chunk)
                extent.check()
    except SpreadsheetError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,
        RuntimeError,  # an encrypted member
        ValueError,
    ) as error:
        raise _truncated() from error


# A cell with a value: <c r="B2" ...><v>…  or <c r="B2" t="inlineStr"><is>… (a prefix such
# as x: allowed). Cells with only a style (<c r="B2" s="1"/>) are not values; a row's own
# r="2" has no letters.
_VALUE_CELL = re.compile(
    rb"\sr=[\"']([A-Za-z]+)([0-9]+)[\"'][^>]*>\s*<(?:[A-Za-z_][\w.-]*:)?(?:v|is)\b"
)
# A value outside A1:Z99999: two letters or more, or six digits or more.
_FAR_CELL = re.compile(
    rb"\sr=[\"'](?:[A-Za-z]{2}|[A-Za-z][0-9]{6})[^\"']*[\"'][^>]*>\s*"
    rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|is)\b"
)


class _Extent:
    """The farthest row and column holding a value in one member of the zip (a sheet).

    A roster's cells lie within A1:Z99999 (2.6 million cells, under the limit): the inflating
    pass only looks for a value outside it (``_FAR_CELL``), and a member with one is inflated
    again and scanned cell by cell here.
    """

    def __init__(self):
        self.rows = 0
        self.columns = 0
        self.cells = _setting("SPREADSHEET_MAX_CELLS", DEFAULT_MAX_CELLS)

    def scan(self, text: bytes) -> bytes:
        """Scan ``text``; return its tail, to be scanned again with the next chunk (a tag cut
        by the chunk's end is found then; one found twice changes nothing)."""
        refs = _VALUE_CELL.findall(text)
        if refs:
            # map() over builtins, no Python call per cell: a sheet has tens of thousands.
            letters, digits = zip(*refs, strict=True)
            if max(map(len, letters)) > 3 or max(map(len, digits)) > 7:
                raise _truncated()
            # Right-aligned with spaces, letters compare as the columns' numbers: " Z" < "AA".
            last = max(map(bytes.rjust, map(bytes.upper, letters), itertools.repeat(3)))
            column = 0
            for letter in last.decode().strip():
                column = column * 26 + ord(letter) - ord("A") + 1
            self.columns = max(self.columns, column)
            self.rows = max(self.rows, *map(int, digits))
        return text[-512:]

    def check(self) -> None:
        if self.rows > EXCEL_MAX_ROW or self.columns > EXCEL_MAX_COLUMN:
            raise _truncated()
        if self.rows * self.columns > self.cells:
            last = f"{column_letter(self.columns - 1)}{self.rows}"
            raise SpreadsheetError(
                f"値のあるセルの範囲が広すぎます（A1から{last}まで）。"
                "名簿の表から離れたセルに値があれば削除して、保存し直してから選んでください。"
            )


def _truncated() -> SpreadsheetError:
    return SpreadsheetError(
        "xlsxファイルを読めません。ファイルが壊れているか、途中までしか保存されていません。"
        "Excelで開けるか確かめて、保存し直してください。"
    )


# csv


def _csv_rows(data: bytes, encoding: str | None, info: dict) -> Iterator[tuple[int, list]]:
    text, used = _decode(data, encoding)
    info["encoding"] = used
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for cells in reader:
            yield reader.line_num, _trim(cells)
    except csv.Error as error:
        raise SpreadsheetError(
            f'CSVとして読めません（{reader.line_num}行目付近）。引用符（"）の対応を確かめてください。'
        ) from error


def _decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding:
        codec = ENCODINGS.get(encoding.strip().lower())
        if codec is None:
            raise SpreadsheetError(
                f"文字コード「{encoding}」には対応していません。UTF-8 か Shift_JIS を指定してください。"
            )
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise SpreadsheetError(
                f"指定された文字コード（{ENCODING_LABELS[codec]}）では{line}行目が読めません。"
                "文字コードの指定を外すか、別の文字コードを選んでください。"
            ) from error
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig", errors="strict"), "utf-8-sig"
    for codec in ("utf-8", "cp932"):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(
        "CSVの文字コードを判別できません。UTF-8 か Shift_JIS で保存するか、文字コードを指定してください。"
    )


def _trim(cells: Sequence) -> list:
    cells = list(cells)
    while cells and _is_empty(cells[-1]):
        cells.pop()
    return cells


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# header


def read_table(
    data: bytes,
    columns: Sequence[Column],
    *,
    filename: str = "",
    encoding: str | None = None,
    sheet: str | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
) -> Table:
    """Read a file into a ``Table`` of ``columns``: find the header, drop blank rows.

    The header is the first of the top non-blank rows in which some cell names a column;
    a required column missing from it, or no header at all, is a ``SpreadsheetError``.
    A header row with nothing under it is an error too ("header only").
    """
    info: dict = {}
    rows = read_rows(
        data,
        filename=filename,
        encoding=encoding,
        sheet=sheet,
        max_bytes=max_bytes,
        max_rows=max_rows,
        info=info,
    )
    table = None
    seen = 0
    try:
        for number, cells in rows:
            if not cells:
                continue
            if table is None:
                table = _header(number, cells, columns)
                seen += 1
                if table is None and seen >= HEADER_SEARCH_ROWS:
                    break
                continue
            values = {
                key: (cells[i] if i < len(cells) else None) for key, i in table.positions.items()
            }
            if all(_is_empty(v) for v in values.values()):
                continue
            table.rows.append(Row(number, values))
    except ControlCharacterError as error:
        # Named by the column's header once the header is known.
        headers = {i: table.header_of(key) for key, i in table.positions.items()} if table else {}
        if error.index in headers:
            raise error.with_header(headers[error.index]) from None
        raise
    finally:
        rows.close()
    if table is None:
        if seen == 0:
            raise SpreadsheetError("ファイルに何も書かれていません。")
        wanted = "、".join(f"「{c.label}」" for c in columns if c.required) or "見出し"
        raise SpreadsheetError(
            f"見出しの行が見つかりません。上から{HEADER_SEARCH_ROWS}行以内に{wanted}などの見出しを置いてください。"
        )
    missing = [c for c in columns if c.required and c.key not in table.headers]
    if missing:
        names = "、".join(f"「{c.label}」" for c in missing)
        raise SpreadsheetError(
            f"{table.header_row}行目の見出しに{names}の列がありません。"
            f"使える見出し: {_synonym_list(missing)}"
        )
    if not table.rows:
        raise SpreadsheetError(f"{table.header_row}行目の見出しの下にデータの行がありません。")
    table.encoding = info.get("encoding", "")
    table.sheet = info.get("sheet", "")
    return table


def _header(number: int, cells: list, columns: Sequence[Column]) -> Table | None:
    by_header = {}
    for column in columns:
        for synonym in (column.label, *column.synonyms):
            by_header.setdefault(normalise_header(synonym), column)
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        if _is_empty(cell):
            continue
        written = normalise_text(cell)
        column = by_header.get(normalise_header(written))
        if column is None or column.key in positions:
            ignored.append(written)
            continue
        positions[column.key] = index
        headers[column.key] = written
    if not positions:
        return None
    return Table(header_row=number, headers=headers, ignored_headers=ignored, positions=positions)


def _synonym_list(columns: Iterable[Column]) -> str:
    return "; ".join(" / ".join((c.label, *c.synonyms)) for c in columns)


# --- values ----------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def normalise_text(value) -> str:
    """Text as stored: NFKC (full-width digits and letters to half-width, half-width kana to
    full-width), runs of spaces (full-width too) to one space, trimmed. Numbers are written
    without a spurious ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()
    text = unicodedata.normalize("NFKC", str(value))
    return _SPACES.sub(" ", text).strip()


def normalise_header(value) -> str:
    """A header as matched: NFKC, no spaces at all, case folded (TEL = tel = ＴＥＬ)."""
    return "".join(unicodedata.normalize("NFKC", str(value or "")).split()).casefold()


_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)}
_HIRAGANA_TO_KATAKANA.update({ord("ゝ"): "ヽ", ord("ゞ"): "ヾ"})
_KANA_ALLOWED = re.compile(r"[\u30a0-\u30ff\u31f0-\u31ff A-Za-z・ー]*")


def normalise_kana(value) -> str:
    """Kana as stored: full-width katakana (ｼﾛﾔﾏ → シロヤマ, しろやま → シロヤマ).

    Raises ``ValueProblem`` for characters that are not kana (a name in kanji typed into
    the reading column, say). Latin letters and ・ are allowed for foreign names.
    """
    text = normalise_text(value).translate(_HIRAGANA_TO_KATAKANA)
    if not _KANA_ALLOWED.fullmatch(text):
        raise ValueProblem(f"カタカナかひらがなで入力してください: {_quote(text)}")
    return text


# Excel's 1900 date system; serial 60 is the 29 February 1900 that never was.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31


def excel_serial_to_date(serial: float) -> date:
    """An Excel serial day number (1900 date system, as Windows Excel saves) as a date."""
    whole = int(serial)
    if whole < 1 or whole > _EXCEL_MAX_SERIAL or whole == 60:
        raise ValueProblem(f"日付のシリアル値として読めません: {serial}")
    if whole < 60:
        return date(1899, 12, 31) + timedelta(days=whole)
    return _EXCEL_EPOCH + timedelta(days=whole)


# As text, only five-digit serials (1927-05-18 to 2173-10-14) are taken for dates: "2017"
# typed alone must not become 1905-07-09.
_SERIAL_TEXT = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")


def parse_date_value(value) -> date | None:
    """A date from a cell: an Excel date, a serial number, ISO, 2017/7/1 or an era form.

    Empty is ``None``. Raises ``ValueProblem`` with the reason (impossible dates included:
    平成31年5月1日, 2月30日).
    """
    if _is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueProblem(f"日付として読めません: {value}")
    if isinstance(value, int | float):
        return excel_serial_to_date(value)
    text = normalise_text(value)
    if _SERIAL_TEXT.fullmatch(text):
        return excel_serial_to_date(float(text))
    # A datetime written as text by some exports: 2017-07-01 00:00:00.
    text = re.sub(r"[ T]0?0:00(:00)?$", "", text)
    try:
        return parse_date(text)
    except WarekiError as error:
        raise ValueProblem(str(error)) from error


def _quote(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"

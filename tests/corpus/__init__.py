"""A corpus of broken and hostile spreadsheet files, made here byte for byte.

Every case is a file a person (or an attacker) could upload to any import of the site: the
supporter import (page and ``manage.py import_supporters``), the needs-survey import and the
admin's reference-table imports. Each must end in a Japanese message that names what is wrong
(and, for a control character, its row and column), status 200 on a page, exit status 1 and
no traceback from the command, and nothing written. tests/core/test_broken_files.py drives
every case through every path; docs/security.md ("Hostile uploads") refers here.

The files are built from a small valid roster by changing one thing, so that each case
proves one refusal. ``python -m tests.corpus DIRECTORY`` writes them out to look at.
"""

from __future__ import annotations

import functools
import io
import random
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tests.spreadsheet_files import (
    csv_bytes,
    encrypted_xlsx_bytes,
    lying_zip_bomb_bytes,
    xlsx_bytes,
    zip_bomb_bytes,
)

SHEET = "xl/worksheets/sheet1.xml"
HEADER = ["氏名", "ふりがな", "住所"]
ROWS = [["城山 サポーター名簿"], HEADER, ["山田 太郎", "やまだ たろう", "平字三倉1"]]


@dataclass(frozen=True)
class Case:
    name: str  # the file name, which also says what kind of file it claims to be
    make: object  # () -> bytes
    message: str  # a part of the Japanese message every path must show
    # Where the survey import (whose columns are not the roster's) says something else.
    survey_message: str = ""

    @functools.cached_property
    def data(self) -> bytes:
        return self.make()

    def __str__(self):
        return self.name


def roster_xlsx(rows=ROWS) -> bytes:
    return xlsx_bytes(rows)


def rewrite(data: bytes, member: str, change) -> bytes:
    """``data`` (an xlsx) with ``member`` replaced by ``change(its bytes)``, or left out when
    ``change`` returns ``None``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = change(source.read(info)) if info.filename == member else source.read(info)
            if content is not None:
                archive.writestr(info.filename, content)
    return out.getvalue()


def _in_sheet(old: bytes, new: bytes):
    def change(content: bytes) -> bytes:
        assert old in content, old
        return content.replace(old, new, 1)

    return change


_ADDRESS = "平字三倉1".encode()
_DOCTYPE = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'


def _doctype(content: bytes) -> bytes:
    return _DOCTYPE + content.replace(_ADDRESS, b"&b;", 1)


def _external_entity(content: bytes) -> bytes:
    doctype = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return doctype + content.replace(_ADDRESS, b"&x;", 1)


def _garbage_zip() -> bytes:
    return b"PK\x03\x04" + random.Random(13).randbytes(4000)


def _nul_after_4k() -> bytes:
    rows = [HEADER] + [[f"支援者{i}", "しえんしゃ", "平"] for i in range(300)]
    data = csv_bytes(rows, encoding="utf-8")
    assert len(data) > 4096
    return data + "佐藤 花子,さとう はなこ,平\x00字\r\n".encode()


_BROKEN = "ファイルが壊れているか"
_CONTROL = "に制御文字"

CASES = [
    Case("empty.csv", lambda: b"", "空です"),
    Case("empty.xlsx", lambda: b"", "空です"),
    Case("garbage.xlsx", _garbage_zip, _BROKEN),
    Case("truncated.xlsx", lambda: roster_xlsx()[:1500], _BROKEN),
    Case(
        "not-a-workbook.xlsx",
        lambda: rewrite(roster_xlsx(), "xl/workbook.xml", lambda c: None),
        "Excelのブック（.xlsx）ではありません",
    ),
    Case("doctype-entities.xlsx", lambda: rewrite(roster_xlsx(), SHEET, _doctype), _BROKEN),
    Case("external-entity.xlsx", lambda: rewrite(roster_xlsx(), SHEET, _external_entity), _BROKEN),
    Case(
        "unclosed-sheet.xlsx",
        lambda: rewrite(roster_xlsx(), SHEET, lambda c: c[: len(c) // 2]),
        _BROKEN,
    ),
    Case("missing-sheet.xlsx", lambda: rewrite(roster_xlsx(), SHEET, lambda c: None), _BROKEN),
    Case(
        "invalid-utf8-in-sheet.xlsx",
        lambda: rewrite(roster_xlsx(), SHEET, _in_sheet(_ADDRESS, b"\xff\xfe")),
        _BROKEN,
    ),
    Case(
        "cell-at-xfd1048576.xlsx",
        lambda: rewrite(roster_xlsx(), SHEET, _in_sheet(b'r="C3"', b'r="XFD1048576"')),
        "値のあるセルの範囲が広すぎます",
    ),
    Case(
        "cell-address-overflow.xlsx",
        lambda: rewrite(roster_xlsx(), SHEET, _in_sheet(b'r="C3"', b'r="ZZZZZZZ99999999999"')),
        _BROKEN,
    ),
    Case("zip-bomb.xlsx", lambda: zip_bomb_bytes(60), "展開すると大きすぎるファイルです"),
    Case("lying-zip-bomb.xlsx", lambda: lying_zip_bomb_bytes(60), _BROKEN),
    Case("encrypted.xlsx", encrypted_xlsx_bytes, "パスワードで保護"),
    Case(
        "old-format.xls",
        lambda: encrypted_xlsx_bytes().replace("EncryptionInfo".encode("utf-16-le"), b"\x00" * 28),
        "古い形式のExcelファイル",
    ),
    Case("binary.csv", lambda: b"\x00\x01\x02" * 100, "表計算のファイルではない"),
    Case(
        "invalid-bytes.csv",
        lambda: "氏名,住所\r\n".encode() + b"\x82\xa0\xff\xfe\x81\x20\r\n",
        "文字コードを判別できません",
    ),
    Case(
        "unclosed-quote.csv",
        lambda: '氏名,住所\r\n"山田 太郎,平\r\n'.encode(),
        "CSVとして読めません",
    ),
    Case(
        "nul-after-4k.csv",
        _nul_after_4k,
        "302行目「住所」（C列）に制御文字 U+0000（NUL）",
        # No survey header in the first 20 rows; test_broken_files has a survey's own case.
        survey_message="見出しの行が見つかりません",
    ),
    Case(
        "escape-in-cell.csv",
        lambda: csv_bytes([*ROWS[:2], ["山田\x1b太郎", "", ""]]),
        "3行目「氏名」（A列）に制御文字 U+001B（ESC）",
    ),
    Case(
        "delete-in-cell.csv",
        lambda: csv_bytes([*ROWS[:2], ["山田 太郎", "", "平\x7f"]], encoding="utf-8"),
        "3行目「住所」（C列）に制御文字 U+007F（DEL）",
    ),
    Case(
        "control-in-title.csv",
        lambda: csv_bytes([["名簿\x07"], *ROWS[1:]]),
        "1行目 A列に制御文字 U+0007（BEL）",
    ),
    Case(
        "escaped-control.xlsx",
        lambda: rewrite(roster_xlsx(), SHEET, _in_sheet(_ADDRESS, b"_x0000_" + _ADDRESS)),
        "3行目「住所」（C列）に制御文字 U+0000（NUL）",
    ),
    Case(
        "lone-cr.xlsx",
        # Excel escapes a CR kept in a cell as _x000D_ (a literal CR in XML reads as LF).
        lambda: rewrite(roster_xlsx(), SHEET, _in_sheet(_ADDRESS, "平_x000D_字".encode())),
        "3行目「住所」（C列）に制御文字 U+000D（CR）",
    ),
]

# Files that look alike but must be read: a CR LF line break and a tab in a cell.
ALLOWED = [
    Case(
        "crlf-in-cell.xlsx",
        lambda: rewrite(roster_xlsx(), SHEET, _in_sheet(_ADDRESS, "平_x000D_\n字\t三倉".encode())),
        "平\r\n字\t三倉",  # the address as read
    ),
    Case(
        "crlf-in-cell.csv",
        lambda: csv_bytes([*ROWS[:2], ["山田 太郎", "", "平\r\n字\t三倉"]]),
        "平\r\n字\t三倉",
    ),
]


def write(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for case in (*CASES, *ALLOWED):
        (directory / case.name).write_bytes(case.data)


if __name__ == "__main__":
    write(Path(sys.argv[1]))

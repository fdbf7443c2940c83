"""Spreadsheets made by the tests, as offices really save them: xlsx from openpyxl, CSV as real
cp932 / UTF-8 bytes, and broken files (encrypted, truncated, zip bombs)."""

import io
import zipfile

from openpyxl import Workbook

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def xlsx_bytes(rows, *, sheet_title="名簿", number_formats=None, extra_sheets=()):
    """An xlsx whose first sheet holds ``rows`` (lists of cell values) from row 1.

    ``number_formats`` maps a 1-based column to an Excel number format, applied to every row.
    """
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet_title
    for row in rows:
        worksheet.append(list(row))
    for column, number_format in (number_formats or {}).items():
        for (cell,) in worksheet.iter_rows(min_col=column, max_col=column):
            cell.number_format = number_format
    for title, extra_rows in extra_sheets:
        extra = workbook.create_sheet(title)
        for row in extra_rows:
            extra.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, *, encoding="cp932", newline="\r\n"):
    """CSV as Excel writes it on Japanese Windows: CRLF, quoted only when needed."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def encrypted_xlsx_bytes():
    """The start of what Excel writes for a password-protected workbook: an OLE compound file
    holding the EncryptionInfo and EncryptedPackage streams."""
    directory = "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")
    return OLE_MAGIC + b"\x00" * 504 + directory + b"\x00" * 2048


def zip_bomb_bytes(unpacked_megabytes):
    """A valid-looking xlsx with one member of zeros that inflates to ``unpacked_megabytes``."""
    buffer = io.BytesIO(xlsx_bytes([["氏名"], ["山田 太郎"]]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\x00" * (unpacked_megabytes * 1024 * 1024))
    return buffer.getvalue()


def lying_zip_bomb_bytes(unpacked_megabytes):
    """A zip bomb whose central directory declares a tiny unpacked size for its big member,
    so that a check of the declared sizes alone would let it through."""
    import struct

    data = bytearray(zip_bomb_bytes(unpacked_megabytes))
    name = b"xl/media/padding.bin"
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    assert data[central + 46 : central + 46 + len(name)] == name
    data[central + 24 : central + 28] = struct.pack("<I", 100)  # uncompressed size
    return bytes(data)

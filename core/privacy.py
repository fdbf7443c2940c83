"""Hints that free text may hold a resident's personal data: a telephone number, an address.

Some records (the coordinators' activity journal) must hold no resident's personal data, yet
are written in free text. ``personal_data_hints`` finds what looks like a telephone number or
an address so that the form can warn before saving. It is a hint, not a filter: a warning the
writer reads, and may answer "this is not personal data" (a council office's number, the
address of a public hall), never an error and never a change to the text.

Only the shape of the text is looked at; nothing is logged. Full-width digits and dashes are
read as their ASCII forms first (NFKC), as people type both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Hint", "personal_data_hints"]

# Dashes people put between the parts of a number, after NFKC: ‐, −, ー, ―, –, —, -.
_DASH_CHARS = "‐−ー―–—-"  # "-" last: literal inside a character class
_DASH = f"[{_DASH_CHARS}]"
_SEP = rf"(?:\s*{_DASH}\s*|\s*[()]\s*|\s+)"

# 0246-22-1111, 090-1234-5678, (0246)22-1111, 0246 22 1111, 09012345678: a leading 0 and
# 10 or 11 digits in all (counted below).
_PHONE_WITH_AREA_CODE = re.compile(
    rf"(?<!\d)\(?0\d{{1,4}}(?:{_SEP}?\d{{1,4}}){{1,2}}{_SEP}?\d{{3,4}}(?!\d)"
)
# 22-1111: a local number without the area code. A year range (2017-2018) is not one.
_PHONE_LOCAL = re.compile(
    rf"(?<![\d{_DASH_CHARS}])(?!(?:19|20)\d\d{_DASH})\d{{2,4}}{_DASH}\d{{4}}(?![\d{_DASH_CHARS}])"
)
_PHONE_WORD = re.compile(rf"(?:TEL|Tel|tel|電話|℡|携帯)\s*[:：]?\s*\d[\d\s(){_DASH_CHARS}]{{3,}}\d")

_ADDRESS_PATTERNS = [
    re.compile(r"〒\s*\d{3}-?\d{4}"),
    re.compile(r"\d+\s*丁目"),
    re.compile(r"\d+\s*番地"),
    re.compile(r"\d+\s*番\s*\d+\s*号"),
    # 平字田町120, 小名浜花畑町1-2, 大字上市萱12の3: a place name, then a house number.
    re.compile(
        rf"[一-龥々ァ-ヶー]{{0,8}}(?:町|字|村)[一-龥々ァ-ヶー]{{0,8}}\d{{1,5}}(?:(?:{_DASH}|の)\d{{1,5}}){{0,2}}"
        r"(?![\d\s]*(?:人|名|件|回|か所|箇所|ヶ所|歳|年|月|日|時|分|%|団体|地区|世帯))"
    ),
    re.compile(r"\d+\s*号室"),
]


@dataclass(frozen=True)
class Hint:
    kind: str  # "phone" or "address"
    text: str  # the part of the text that looks so

    @property
    def message(self) -> str:
        what = "電話番号" if self.kind == "phone" else "住所"
        return f"「{self.text}」は{what}のように見えます。"


def personal_data_hints(text: str) -> list[Hint]:
    """What in ``text`` looks like a telephone number or an address, in order, each once."""
    if not text:
        return []
    normal = unicodedata.normalize("NFKC", text)
    found: list[tuple[int, Hint]] = []
    for match in _PHONE_WITH_AREA_CODE.finditer(normal):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) in (10, 11):
            found.append((match.span(), "phone"))
    for pattern in (_PHONE_LOCAL, _PHONE_WORD):
        found += [(match.span(), "phone") for match in pattern.finditer(normal)]
    for pattern in _ADDRESS_PATTERNS:
        found += [(match.span(), "address") for match in pattern.finditer(normal)]
    # Where two overlap, the longer says more (携帯090-1234-5678 rather than 090-1234-5678).
    kept: list[tuple[tuple[int, int], str]] = []
    for (start, end), kind in sorted(found, key=lambda item: item[0][0] - item[0][1]):
        if not any(start < other_end and other_start < end for (other_start, other_end), _ in kept):
            kept.append(((start, end), kind))
    return [Hint(kind, _shown(normal[start:end])) for (start, end), kind in sorted(kept)]


def _shown(text: str) -> str:
    text = text.strip()
    if text.count("(") != text.count(")"):
        text = text.strip("()")
    return text

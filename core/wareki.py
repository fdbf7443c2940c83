"""Japanese era (和暦) dates and fiscal years (年度).

Dates are always stored as Gregorian ``datetime.date``; the era is only a way of
reading and writing them. This module is pure Python so that models, forms,
templates, imports and management commands can share it and it can be tested
without Django.

Choices worth knowing:

* The supported range starts with 明治. 明治 is taken to begin on 1868-01-25, the
  Gregorian date of 慶応4年1月1日: the era was proclaimed on 1868-10-23 (明治元年9月8日)
  but applied retroactively to the whole of 慶応4年, so documents date events from
  1868-01-25 onwards as 明治元年. Using the proclamation date instead would make
  genuine 明治元年 dates in old registers unreadable.
* Japan switched from the lunisolar calendar on 明治6年1月1日 (1873-01-01). Earlier
  明治 dates are read and written with Gregorian month and day; we do not convert
  lunisolar dates. Birth dates in these records are decades later, so this matters
  only for the edges of the era table.
* Anything ``parse_date`` returns can be written by ``format_date``: dates before
  明治 are refused on input too.
* Fiscal years (April to March) are named as explained in ``format_fiscal_year``.

Every error is a ``WarekiError`` (a ``ValueError``) whose message is Japanese and
meant to be shown to staff as it is.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = [
    "ERAS",
    "Era",
    "WarekiError",
    "era_year",
    "fiscal_year_bounds",
    "fiscal_year_of",
    "format_date",
    "format_date_with_weekday",
    "format_fiscal_year",
    "format_month",
    "parse_date",
    "parse_fiscal_year",
]


class WarekiError(ValueError):
    """A date or fiscal year that cannot be read or written; the message is Japanese."""


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    start: date
    end: date | None  # last day; None for the current era

    def year_of(self, d: date) -> int:
        return d.year - self.start.year + 1

    def gregorian_year(self, year_in_era: int) -> int:
        return self.start.year + year_in_era - 1


def _build_eras() -> tuple[Era, ...]:
    starts = [
        ("明治", "M", date(1868, 1, 25)),
        ("大正", "T", date(1912, 7, 30)),
        ("昭和", "S", date(1926, 12, 25)),
        ("平成", "H", date(1989, 1, 8)),
        ("令和", "R", date(2019, 5, 1)),
    ]
    ends = [following - timedelta(days=1) for _, _, following in starts[1:]] + [None]
    return tuple(
        Era(name, letter, start, end)
        for (name, letter, start), end in zip(starts, ends, strict=True)
    )


ERAS: tuple[Era, ...] = _build_eras()
_ERA_BY_KEY = {key: era for era in ERAS for key in (era.name, era.letter)}
_FIRST_DAY = ERAS[0].start
# fiscal_year_bounds(fy) needs date(fy + 1, 3, 31).
_LAST_FISCAL_YEAR = date.max.year - 1

_ERA_PATTERN = "|".join(_ERA_BY_KEY)
# Four digits at most: enough for any year, and int() of a huge string is slow or refused.
_YEAR_PATTERN = r"(?P<year>[0-9]{1,4}|元)"
_KANJI_DATE = re.compile(
    rf"(?P<era>{_ERA_PATTERN})?{_YEAR_PATTERN}年(?P<month>[0-9]{{1,2}})月(?P<day>[0-9]{{1,2}})日"
)
_SEPARATED_DATE = re.compile(
    rf"(?P<era>{_ERA_PATTERN})?{_YEAR_PATTERN}(?P<sep>[-./])(?P<month>[0-9]{{1,2}})"
    rf"(?P=sep)(?P<day>[0-9]{{1,2}})"
)
# 20261129: eight digits with no separator, as typed on a numeric keypad.
_COMPACT_DATE = re.compile(r"(?P<year>[0-9]{4})(?P<month>[0-9]{2})(?P<day>[0-9]{2})")
_FISCAL_YEAR = re.compile(rf"(?P<era>{_ERA_PATTERN})?{_YEAR_PATTERN}(?:年度)?")

WEEKDAYS = "月火水木金土日"  # date.weekday(): Monday is 0
# A weekday after the date, as format_date_with_weekday writes it: (日), （日）, (日曜), (日曜日).
_WEEKDAY_SUFFIX = re.compile(rf"\((?P<weekday>[{WEEKDAYS}])(?:曜日?)?\)$")

# NFKC leaves these dash look-alikes alone; people type them for "-" all the same.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc", "-"))

_DATE_EXAMPLES = "例: 令和8年11月29日、R8.11.29、2026-11-29、20261129"
_FISCAL_YEAR_EXAMPLES = "例: 令和6年度、R6、2024年度"


# --- dates -----------------------------------------------------------------


def parse_date(text: str) -> date:
    """Read a date written in 和暦 or 西暦, as staff type it.

    Accepts 平成29年7月28日, H29.7.28, H29/7/28, H29-7-28 (any of M/T/S/H/R, either
    case), 元年, 2017-07-28, 2017/7/28, 2017.7.28, 2017年7月28日 and 20170728, in
    full-width or half-width characters, with spaces around the parts, and followed by
    the weekday as ``format_date_with_weekday`` writes it (令和8年11月29日(日)); a
    weekday that is not the date's is refused, since one of the two is a mistake.
    Raises ``WarekiError`` naming the problem otherwise.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_date() expects a str, not {type(text).__name__}")
    normalised = _normalise(text)
    if not normalised:
        raise WarekiError("日付が入力されていません。")
    weekday = _WEEKDAY_SUFFIX.search(normalised)
    if weekday:
        normalised = normalised[: weekday.start()]
    match = (
        _KANJI_DATE.fullmatch(normalised)
        or _SEPARATED_DATE.fullmatch(normalised)
        or _COMPACT_DATE.fullmatch(normalised)
    )
    if match is None:
        raise WarekiError(f"日付の形式が読み取れません: {_quote(text)}（{_DATE_EXAMPLES}）")
    year_text, month, day = match["year"], int(match["month"]), int(match["day"])
    era = match.groupdict().get("era")
    if era is None:
        d = _western_date(text, year_text, month, day)
    else:
        d = _era_date(_ERA_BY_KEY[era], year_text, month, day)
    if weekday and WEEKDAYS[d.weekday()] != weekday["weekday"]:
        raise WarekiError(
            f"{format_date(d)}は{WEEKDAYS[d.weekday()]}曜日です（{weekday['weekday']}曜日と"
            "入力されています）。日付か曜日を確かめてください。"
        )
    return d


def _western_date(text: str, year_text: str, month: int, day: int) -> date:
    if len(year_text) != 4 or not year_text.isdigit():
        raise WarekiError(
            f"年は元号付き（H29、令和元年など）か西暦4桁で入力してください: {_quote(text)}"
        )
    year = int(year_text)
    written = f"{year}年{month}月{day}日"
    if year < _FIRST_DAY.year:
        raise _before_first_day(written)
    _check_calendar(written, f"{year}年{month}月", year, month, day)
    d = date(year, month, day)
    if d < _FIRST_DAY:
        raise _before_first_day(written)
    return d


def _era_date(era: Era, year_text: str, month: int, day: int) -> date:
    year_in_era = 1 if year_text == "元" else int(year_text)
    label = f"{era.name}{_year_label(year_in_era)}年"
    written = f"{label}{month}月{day}日"
    if year_in_era == 0:
        raise WarekiError(f"{era.name}0年という年はありません。最初の年は{era.name}元年です。")
    year = era.gregorian_year(year_in_era)
    if era.end is not None and year > era.end.year:
        raise _after_era_end(written, era)
    if year > date.max.year:
        raise WarekiError(f"{written}は扱える範囲を超えています。")
    _check_calendar(written, f"{label}{month}月", year, month, day)
    d = date(year, month, day)
    if d < era.start:
        raise _before_era_start(written, era)
    if era.end is not None and d > era.end:
        raise _after_era_end(written, era)
    return d


def _check_calendar(written: str, month_label: str, year: int, month: int, day: int) -> None:
    if not 1 <= month <= 12:
        raise WarekiError(f"{written}は存在しない日付です（月は1〜12）。")
    last_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        raise WarekiError(f"{written}は存在しない日付です（{month_label}は{last_day}日まで）。")


def _before_first_day(written: str) -> WarekiError:
    return WarekiError(
        f"{written}は扱える範囲外です。"
        f"{_western(_FIRST_DAY)}（{format_date(_FIRST_DAY)}）以降の日付を入力してください。"
    )


def _before_era_start(written: str, era: Era) -> WarekiError:
    index = ERAS.index(era)
    if index == 0:
        return _before_first_day(written)
    return WarekiError(
        f"{written}は{era.name}の期間外です。"
        f"{era.name}は{format_date(era.start)}からで、前日までは{ERAS[index - 1].name}です。"
    )


def _after_era_end(written: str, era: Era) -> WarekiError:
    following = ERAS[ERAS.index(era) + 1]
    return WarekiError(
        f"{written}は{era.name}の期間外です。"
        f"{era.name}は{format_date(era.end)}までで、翌日からは{following.name}です。"
    )


def era_year(d: date) -> tuple[str, int]:
    """The era in force on ``d`` and the year within it: date(2019, 5, 1) -> ("令和", 1)."""
    d = _as_date(d)
    era = _era_on(d)
    if era is None:
        raise WarekiError(f"{_western(d)}は明治より前の日付のため、和暦で表せません。")
    return era.name, era.year_of(d)


def format_date(d: date) -> str:
    """平成29年7月28日; the first year of an era is 元年 (令和元年5月1日)."""
    d = _as_date(d)
    name, year = era_year(d)
    return f"{name}{_year_label(year)}年{d.month}月{d.day}日"


def format_date_with_weekday(d: date) -> str:
    """令和8年11月29日(日): a date people plan around, with its weekday."""
    d = _as_date(d)
    return f"{format_date(d)}({WEEKDAYS[d.weekday()]})"


def format_month(d: date) -> str:
    """平成30年2月, for dates that only mean a month (stored as its first day).

    The era is the one in force on ``d`` itself, so 2019-04-01 is 平成31年4月 and
    2019-05-01 is 令和元年5月.
    """
    d = _as_date(d)
    name, year = era_year(d)
    return f"{name}{_year_label(year)}年{d.month}月"


# --- fiscal years ----------------------------------------------------------


def fiscal_year_of(d: date) -> int:
    """The Japanese fiscal year (April to March) containing ``d``: 2018-02-15 -> 2017."""
    d = _as_date(d)
    return d.year if d.month >= 4 else d.year - 1


def default_fiscal_year(years, today: date) -> int:
    """The fiscal year a page shows when none is chosen: the current one if ``years`` (the
    years that have records) holds it, else the latest recorded one before it, else the
    current one. One rule for the status table, the schedule, the home page and the survey
    pages, so that moving between them keeps the year."""
    current = fiscal_year_of(today)
    earlier = [y for y in years if y <= current]
    if current in years or not earlier:
        return current
    return max(earlier)


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """First and last day of fiscal year ``fy``: (date(fy, 4, 1), date(fy + 1, 3, 31))."""
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def format_fiscal_year(fy: int) -> str:
    """平成29年度 for 2017.

    A fiscal year carries the number of the calendar year in which it starts, so
    its name is that calendar year written in 和暦 the way it is written at the
    year's end, i.e. with the era in force on 31 December of ``fy``:

    * FY2019 started on 2019-04-01 under 平成, but 令和 began on 2019-05-01 and the
      government named the year 令和元年度 from then on; we do the same.
    * FY1988 ended under 平成 (which began on 1989-01-08), yet it is 昭和63年度:
      naming it by the era in force on its last day would give the impossible
      "平成0年度". Taking 31 December handles both kinds of change.

    Old documents may still say 平成31年度 (or 大正15年度, 明治45年度);
    ``parse_fiscal_year`` accepts those.
    """
    if fy < _FIRST_DAY.year or fy > _LAST_FISCAL_YEAR:
        raise WarekiError(f"{fy}年度は扱える範囲外です（{_FIRST_DAY.year}年度以降）。")
    name, year = era_year(date(fy, 12, 31))
    return f"{name}{_year_label(year)}年度"


def parse_fiscal_year(text: str) -> int:
    """Read a fiscal year: 平成29年度, H29, 令和元年度, 2017, 2017年度 -> its starting year.

    An era year is accepted when the era was in force during some part of that
    fiscal year, so 平成31年度 (April 2019) means 2019 just as 令和元年度 does, but
    昭和64年度 is refused: 昭和 ended in January 1989, before FY1989 began.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_fiscal_year() expects a str, not {type(text).__name__}")
    normalised = _normalise(text)
    if not normalised:
        raise WarekiError("年度が入力されていません。")
    match = _FISCAL_YEAR.fullmatch(normalised)
    if match is None:
        raise WarekiError(f"年度の形式が読み取れません: {_quote(text)}（{_FISCAL_YEAR_EXAMPLES}）")
    year_text = match["year"]
    if match["era"] is None:
        if len(year_text) != 4 or not year_text.isdigit():
            raise WarekiError(
                f"年度は元号付き（H29、令和元年度など）か西暦4桁で入力してください: {_quote(text)}"
            )
        fy = int(year_text)
        if not _FIRST_DAY.year <= fy <= _LAST_FISCAL_YEAR:
            raise WarekiError(f"{fy}年度は扱える範囲外です（{_FIRST_DAY.year}年度以降）。")
        return fy

    era = _ERA_BY_KEY[match["era"]]
    year_in_era = 1 if year_text == "元" else int(year_text)
    written = f"{era.name}{_year_label(year_in_era)}年度"
    if year_in_era == 0:
        raise WarekiError(
            f"{era.name}0年度という年度はありません。最初の年度は{era.name}元年度です。"
        )
    if era.end is not None:
        # The last fiscal year during which the era was in force, counted in that era.
        last = fiscal_year_of(era.end) - era.start.year + 1
        if year_in_era > last:
            raise WarekiError(
                f"{written}は{era.name}の期間外です。"
                f"{era.name}の年度は{era.name}{_year_label(last)}年度までです。"
            )
    fy = era.gregorian_year(year_in_era)
    if fy > _LAST_FISCAL_YEAR:
        raise WarekiError(f"{written}は扱える範囲を超えています。")
    return fy


# --- helpers ---------------------------------------------------------------


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).upper().strip()
    # Spaces beside a non-digit are padding ("平成 29 年"); spaces between digits are kept
    # so that "20 17-07-28" stays unreadable instead of becoming 2017.
    return re.sub(r"\s*([^0-9\s])\s*", r"\1", text)


def _as_date(value: date) -> date:
    # A datetime is a date, but comparing it with one raises TypeError.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date, not {type(value).__name__}")


def _era_on(d: date) -> Era | None:
    for era in reversed(ERAS):
        if d >= era.start:
            return era
    return None


def _year_label(year: int) -> str:
    return "元" if year == 1 else str(year)


def _western(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _quote(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"

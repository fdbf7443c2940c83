"""core.wareki: reading and writing 和暦 dates and fiscal years (no Django needed)."""

from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest

from core.wareki import (
    ERAS,
    WarekiError,
    era_year,
    fiscal_year_bounds,
    fiscal_year_of,
    format_date,
    format_date_with_weekday,
    format_fiscal_year,
    format_month,
    parse_date,
    parse_fiscal_year,
)

# --- parse_date: what it accepts ----------------------------------------------------------------

ACCEPTED = [
    # era name with 年月日
    ("平成29年7月28日", date(2017, 7, 28)),
    ("令和5年4月1日", date(2023, 4, 1)),
    ("昭和20年8月15日", date(1945, 8, 15)),
    ("大正12年9月1日", date(1923, 9, 1)),
    ("明治33年1月1日", date(1900, 1, 1)),
    # era letter with . / -
    ("H29.7.28", date(2017, 7, 28)),
    ("H29/7/28", date(2017, 7, 28)),
    ("H29-7-28", date(2017, 7, 28)),
    ("h29.7.28", date(2017, 7, 28)),
    ("H29.07.08", date(2017, 7, 8)),
    ("R1.5.1", date(2019, 5, 1)),
    ("R5/4/1", date(2023, 4, 1)),
    ("S20.8.15", date(1945, 8, 15)),
    ("s20.8.15", date(1945, 8, 15)),
    ("T12.9.1", date(1923, 9, 1)),
    ("M33.1.1", date(1900, 1, 1)),
    ("H29年7月28日", date(2017, 7, 28)),
    ("平成29.7.28", date(2017, 7, 28)),
    # 元年
    ("令和元年5月1日", date(2019, 5, 1)),
    ("平成元年2月1日", date(1989, 2, 1)),
    ("R元.5.1", date(2019, 5, 1)),
    # 西暦
    ("2017-07-28", date(2017, 7, 28)),
    ("2017/7/28", date(2017, 7, 28)),
    ("2017.7.28", date(2017, 7, 28)),
    ("2017年7月28日", date(2017, 7, 28)),
    ("2017-7-8", date(2017, 7, 8)),
    # leap days
    ("平成28年2月29日", date(2016, 2, 29)),
    ("2000-02-29", date(2000, 2, 29)),
    # full-width digits, letters and punctuation
    ("平成２９年７月２８日", date(2017, 7, 28)),
    ("Ｈ２９．７．２８", date(2017, 7, 28)),
    ("ｈ２９／７／２８", date(2017, 7, 28)),
    ("Ｒ元．５．１", date(2019, 5, 1)),
    ("２０１７－０７－２８", date(2017, 7, 28)),
    ("２０１７年７月２８日", date(2017, 7, 28)),
    # dash look-alikes that NFKC leaves alone
    ("2017\u221207\u221228", date(2017, 7, 28)),  # minus sign
    ("2017ー07ー28", date(2017, 7, 28)),  # katakana long vowel mark
    ("H29\u20107\u201028", date(2017, 7, 28)),  # hyphen
    # one-character era names
    ("㍻29年7月28日", date(2017, 7, 28)),
    ("㋿元年5月1日", date(2019, 5, 1)),
    # spaces around and inside
    ("  平成29年7月28日  ", date(2017, 7, 28)),
    ("\u3000平成29年7月28日\u3000", date(2017, 7, 28)),
    ("平成 29 年 7 月 28 日", date(2017, 7, 28)),
    ("平成\u3000２９\u3000年\u3000７\u3000月\u3000２８\u3000日", date(2017, 7, 28)),
    ("H 29 . 7 . 28", date(2017, 7, 28)),
    ("2017 - 07 - 28", date(2017, 7, 28)),
    ("\t2017-07-28\n", date(2017, 7, 28)),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_parse_date_reads_every_accepted_notation(text, expected):
    assert parse_date(text) == expected


# --- era boundaries ------------------------------------------------------------------------------

# The last day of each era and the first day of the next, written in their own era.
ERA_EDGES = [
    ("明治元年1月25日", date(1868, 1, 25)),
    ("明治45年7月29日", date(1912, 7, 29)),
    ("大正元年7月30日", date(1912, 7, 30)),
    ("大正15年12月24日", date(1926, 12, 24)),
    ("昭和元年12月25日", date(1926, 12, 25)),
    ("昭和64年1月7日", date(1989, 1, 7)),
    ("平成元年1月8日", date(1989, 1, 8)),
    ("平成31年4月30日", date(2019, 4, 30)),
    ("令和元年5月1日", date(2019, 5, 1)),
]


@pytest.mark.parametrize(("text", "expected"), ERA_EDGES)
def test_parse_date_accepts_first_and_last_day_of_each_era(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(("expected", "d"), ERA_EDGES)
def test_format_date_switches_era_on_the_exact_day(expected, d):
    assert format_date(d) == expected


# A day on the wrong side of a transition, and what the message must tell the user.
OUTSIDE_ERA = [
    ("明治45年7月30日", "明治は明治45年7月29日まで"),
    ("大正元年7月29日", "大正は大正元年7月30日から"),
    ("大正15年12月25日", "大正は大正15年12月24日まで"),
    ("昭和元年12月24日", "昭和は昭和元年12月25日から"),
    ("昭和64年1月8日", "昭和は昭和64年1月7日まで"),
    ("平成元年1月7日", "平成は平成元年1月8日から"),
    ("平成31年5月1日", "平成は平成31年4月30日まで"),
    ("H31.5.1", "平成は平成31年4月30日まで"),
    ("令和元年4月30日", "令和は令和元年5月1日から"),
    ("R1.4.30", "令和は令和元年5月1日から"),
    # a year the era never reached
    ("平成32年1月1日", "平成は平成31年4月30日まで"),
    ("昭和65年1月1日", "昭和は昭和64年1月7日まで"),
    ("大正16年1月1日", "大正は大正15年12月24日まで"),
]


@pytest.mark.parametrize(("text", "explanation"), OUTSIDE_ERA)
def test_parse_date_rejects_a_day_outside_its_era_and_says_where_the_era_ends(text, explanation):
    with pytest.raises(WarekiError) as raised:
        parse_date(text)
    assert explanation in str(raised.value)


def test_parse_date_names_the_era_that_follows_when_a_date_is_past_the_era_end():
    with pytest.raises(WarekiError, match="翌日からは令和"):
        parse_date("平成31年5月1日")


@pytest.mark.parametrize(
    "text", ["明治元年1月24日", "M1.1.1", "1868-01-24", "1867-12-31", "1800/1/1"]
)
def test_parse_date_rejects_dates_before_meiji_and_names_the_first_supported_day(text):
    with pytest.raises(WarekiError, match="1868年1月25日"):
        parse_date(text)


# --- impossible and unreadable input -------------------------------------------------------------

IMPOSSIBLE = [
    ("平成29年2月30日", "平成29年2月30日は存在しない日付です"),
    ("H29.2.29", "平成29年2月29日は存在しない日付です"),
    ("2017-02-30", "2017年2月30日は存在しない日付です"),
    ("2017年2月29日", "2017年2月29日は存在しない日付です"),
    ("2017-04-31", "2017年4月31日は存在しない日付です"),
    ("令和5年6月31日", "令和5年6月31日は存在しない日付です"),
    ("2017-13-01", "2017年13月1日は存在しない日付です"),
    ("2017-00-10", "2017年0月10日は存在しない日付です"),
    ("2017-01-00", "2017年1月0日は存在しない日付です"),
    ("1900-02-29", "1900年2月29日は存在しない日付です"),  # not a leap year: divisible by 100
]


@pytest.mark.parametrize(("text", "message"), IMPOSSIBLE)
def test_parse_date_rejects_days_that_do_not_exist(text, message):
    with pytest.raises(WarekiError) as raised:
        parse_date(text)
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("2017-02-30", "2017年2月は28日まで"),
        ("2016-02-30", "2016年2月は29日まで"),
        ("H29.4.31", "平成29年4月は30日まで"),
    ],
)
def test_impossible_day_message_says_how_many_days_the_month_has(text, hint):
    with pytest.raises(WarekiError) as raised:
        parse_date(text)
    assert hint in str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("平成0年1月1日", "平成0年という年はありません"),
        ("H0.1.1", "平成0年という年はありません"),
        ("令和0年5月1日", "令和0年という年はありません"),
        ("S00.1.1", "昭和0年という年はありません"),
    ],
)
def test_parse_date_rejects_era_year_zero(text, message):
    with pytest.raises(WarekiError) as raised:
        parse_date(text)
    assert message in str(raised.value)


def test_parse_date_rejects_western_year_zero():
    with pytest.raises(WarekiError, match="0年1月1日は扱える範囲外です"):
        parse_date("0000-01-01")


UNREADABLE = [
    "abc",
    "2017",
    "平成29年7月",
    "平成29年7月28",
    "2017-07-28T10:00",
    "2017/07-28",
    "H29.7.28.1",
    "X29.7.28",
    "20 17-07-28",
    "平成二十九年七月二十八日",
    "28/7/2017",
    "2017-07-028",
]


@pytest.mark.parametrize("text", UNREADABLE)
def test_parse_date_rejects_unreadable_text_quoting_it(text):
    with pytest.raises(WarekiError) as raised:
        parse_date(text)
    assert str(raised.value).startswith(f"日付の形式が読み取れません: {text}")


@pytest.mark.parametrize("text", ["29.7.28", "29年7月28日", "17-07-28", "元年5月1日"])
def test_parse_date_asks_for_an_era_when_the_year_is_short(text):
    with pytest.raises(WarekiError, match="元号付き"):
        parse_date(text)


@pytest.mark.parametrize("text", ["", "   ", "\u3000", "\t\n"])
def test_parse_date_rejects_empty_text(text):
    with pytest.raises(WarekiError, match="日付が入力されていません"):
        parse_date(text)


def test_parse_date_shortens_very_long_input_in_its_message():
    with pytest.raises(WarekiError) as raised:
        parse_date("x" * 500)
    assert "x" * 40 + "…" in str(raised.value)
    assert "x" * 41 not in str(raised.value)


@pytest.mark.parametrize("text", ["R" + "9" * 5000 + ".1.1", "9" * 5000 + "-01-01"])
def test_parse_date_rejects_absurdly_long_years_as_unreadable(text):
    with pytest.raises(WarekiError, match="日付の形式が読み取れません"):
        parse_date(text)


def test_parse_fiscal_year_rejects_absurdly_long_years_as_unreadable():
    with pytest.raises(WarekiError, match="年度の形式が読み取れません"):
        parse_fiscal_year("R" + "9" * 5000)


def test_wareki_error_can_be_caught_as_value_error():
    with pytest.raises(ValueError, match="存在しない日付"):
        parse_date("2017-02-30")


def test_parse_date_refuses_non_strings():
    with pytest.raises(TypeError):
        parse_date(None)


def test_parse_date_refuses_an_era_year_beyond_the_calendar():
    with pytest.raises(WarekiError, match="令和9000年1月1日は扱える範囲を超えています"):
        parse_date("R9000.1.1")


# --- format_date, format_month, era_year ---------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2017, 7, 28), "平成29年7月28日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(2019, 12, 31), "令和元年12月31日"),
        (date(1945, 8, 15), "昭和20年8月15日"),
        (datetime(2017, 7, 28, 23, 59), "平成29年7月28日"),
    ],
)
def test_format_date_writes_era_year_month_day_with_gannen(d, expected):
    assert format_date(d) == expected


def test_format_date_refuses_dates_before_meiji():
    with pytest.raises(WarekiError, match="明治より前"):
        format_date(date(1868, 1, 24))


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2018, 2, 1), "平成30年2月"),
        (date(2019, 4, 1), "平成31年4月"),
        (date(2019, 5, 1), "令和元年5月"),
        (date(2024, 12, 1), "令和6年12月"),
        (date(1989, 1, 1), "昭和64年1月"),
        (date(1989, 2, 1), "平成元年2月"),
    ],
)
def test_format_month_writes_era_year_and_month(d, expected):
    assert format_month(d) == expected


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2017, 7, 28), ("平成", 29)),
        (date(2019, 4, 30), ("平成", 31)),
        (date(2019, 5, 1), ("令和", 1)),
        (date(1926, 12, 24), ("大正", 15)),
        (date(1926, 12, 25), ("昭和", 1)),
        (date(1868, 1, 25), ("明治", 1)),
        (datetime(1989, 1, 8, 0, 0), ("平成", 1)),
    ],
)
def test_era_year_returns_era_name_and_year_within_it(d, expected):
    assert era_year(d) == expected


def test_era_year_refuses_dates_before_meiji():
    with pytest.raises(WarekiError):
        era_year(date(1868, 1, 24))


def test_era_table_has_no_gaps_or_overlaps():
    for earlier, later in pairwise(ERAS):
        assert earlier.end + timedelta(days=1) == later.start
    assert ERAS[-1].end is None


# --- round trips ---------------------------------------------------------------------------------


def _days(start, end, step=1):
    return [start + timedelta(days=n) for n in range(0, (end - start).days + 1, step)]


ROUND_TRIP_SPANS = {
    "meiji-taisho": _days(date(1912, 7, 1), date(1912, 8, 31)),
    "taisho-showa": _days(date(1926, 12, 1), date(1927, 1, 31)),
    "showa-heisei": _days(date(1988, 12, 15), date(1989, 1, 31)),
    "heisei-reiwa": _days(date(2019, 4, 1), date(2019, 5, 31)),
    "leap-days": [date(y, 2, 29) for y in range(1872, 2101, 4) if y % 100 or y % 400 == 0],
    "whole-range": _days(date(1868, 1, 25), date(2100, 12, 31), step=11),
}


@pytest.mark.parametrize("span", ROUND_TRIP_SPANS)
def test_format_then_parse_gives_back_the_same_date(span):
    dates = ROUND_TRIP_SPANS[span]
    assert len(dates) > 20
    wrong = [(d, format_date(d)) for d in dates if parse_date(format_date(d)) != d]
    assert wrong == []


@pytest.mark.parametrize("span", ROUND_TRIP_SPANS)
def test_parse_iso_format_gives_back_the_same_date(span):
    wrong = [d for d in ROUND_TRIP_SPANS[span] if parse_date(d.isoformat()) != d]
    assert wrong == []


# --- fiscal years --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "fy"),
    [
        (date(2018, 2, 15), 2017),
        (date(2017, 3, 31), 2016),
        (date(2017, 4, 1), 2017),
        (date(2017, 12, 31), 2017),
        (date(2018, 1, 1), 2017),
        (date(2018, 3, 31), 2017),
        (date(2018, 4, 1), 2018),
        (datetime(2018, 3, 31, 23, 59), 2017),
    ],
)
def test_fiscal_year_of_runs_april_to_march(d, fy):
    assert fiscal_year_of(d) == fy


def test_fiscal_year_bounds_are_first_of_april_to_end_of_march():
    assert fiscal_year_bounds(2017) == (date(2017, 4, 1), date(2018, 3, 31))


@pytest.mark.parametrize("fy", [1868, 1988, 2017, 2019, 2023])
def test_fiscal_year_bounds_agree_with_fiscal_year_of(fy):
    first, last = fiscal_year_bounds(fy)
    assert fiscal_year_of(first) == fiscal_year_of(last) == fy
    assert fiscal_year_of(first - timedelta(days=1)) == fy - 1
    assert fiscal_year_of(last + timedelta(days=1)) == fy + 1


@pytest.mark.parametrize(
    ("fy", "expected"),
    [
        (2017, "平成29年度"),
        (2018, "平成30年度"),
        (2019, "令和元年度"),  # began under 平成, named after 令和 (began 2019-05-01)
        (2020, "令和2年度"),
        (1988, "昭和63年度"),  # ended under 平成 (began 1989-01-08), still 昭和63年度
        (1989, "平成元年度"),
        (1925, "大正14年度"),
        (1926, "昭和元年度"),
        (1912, "大正元年度"),
        (1868, "明治元年度"),
    ],
)
def test_format_fiscal_year_uses_the_era_of_the_starting_calendar_year_end(fy, expected):
    assert format_fiscal_year(fy) == expected


def test_format_fiscal_year_refuses_years_before_meiji():
    with pytest.raises(WarekiError, match="1867年度は扱える範囲外です"):
        format_fiscal_year(1867)


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("平成29年度", 2017),
        ("H29", 2017),
        ("h29", 2017),
        ("H29年度", 2017),
        ("平成29", 2017),
        ("2017", 2017),
        ("2017年度", 2017),
        ("令和元年度", 2019),
        ("R1", 2019),
        ("R元", 2019),
        ("令和6年度", 2024),
        ("平成31年度", 2019),  # what FY2019 was called until 令和 began
        ("昭和63年度", 1988),
        ("平成元年度", 1989),
        ("大正15年度", 1926),
        ("昭和元年度", 1926),
        ("明治元年度", 1868),
        ("　平成２９年度　", 2017),
        ("Ｈ２９", 2017),
        ("平成 29 年度", 2017),
    ],
)
def test_parse_fiscal_year_reads_every_accepted_notation(text, fy):
    assert parse_fiscal_year(text) == fy


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "年度が入力されていません"),
        ("  ", "年度が入力されていません"),
        ("平成0年度", "平成0年度という年度はありません"),
        ("R0", "令和0年度という年度はありません"),
        ("平成32年度", "平成の年度は平成31年度まで"),
        ("昭和64年度", "昭和の年度は昭和63年度まで"),  # 昭和 was over before FY1989 began
        ("大正16年度", "大正の年度は大正15年度まで"),
        ("17", "元号付き"),
        ("17年度", "元号付き"),
        ("1867", "1867年度は扱える範囲外です"),
        ("平成29年", "年度の形式が読み取れません: 平成29年"),
        ("2017-18", "年度の形式が読み取れません: 2017-18"),
        ("abc", "年度の形式が読み取れません: abc"),
    ],
)
def test_parse_fiscal_year_rejects_impossible_or_unreadable_text(text, message):
    with pytest.raises(WarekiError) as raised:
        parse_fiscal_year(text)
    assert message in str(raised.value)


def test_format_then_parse_fiscal_year_gives_back_the_same_year():
    years = range(1868, 2101)
    wrong = [
        (fy, format_fiscal_year(fy))
        for fy in years
        if parse_fiscal_year(format_fiscal_year(fy)) != fy
    ]
    assert wrong == []


# --- the weekday and eight digits ---------------------------------------------------------------


def test_format_date_with_weekday_writes_the_weekday_in_brackets():
    assert format_date_with_weekday(date(2026, 11, 29)) == "令和8年11月29日(日)"
    assert format_date_with_weekday(date(2017, 7, 28)) == "平成29年7月28日(金)"


@pytest.mark.parametrize(
    "text",
    [
        "20261129",
        "２０２６１１２９",
        "令和8年11月29日(日)",
        "令和8年11月29日（日）",
        "令和8年11月29日 (日曜日)",
        "R8.11.29(日曜)",
        "2026-11-29(日)",
    ],
)
def test_parse_date_reads_eight_digits_and_a_written_weekday(text):
    assert parse_date(text) == date(2026, 11, 29)


def test_parse_date_reads_back_what_format_date_with_weekday_writes():
    for d in (date(2019, 5, 1), date(2026, 11, 29), date(1989, 1, 7)):
        assert parse_date(format_date_with_weekday(d)) == d


def test_parse_date_refuses_a_weekday_that_is_not_the_dates():
    with pytest.raises(
        WarekiError, match="令和8年11月29日は日曜日です（月曜日と入力されています）"
    ):
        parse_date("令和8年11月29日(月)")


@pytest.mark.parametrize("text", ["2026112", "202611290", "20261329", "20260230"])
def test_parse_date_refuses_eight_digits_that_are_no_date(text):
    with pytest.raises(WarekiError):
        parse_date(text)


def test_the_examples_in_messages_are_of_the_current_era():
    with pytest.raises(WarekiError, match="例: 令和"):
        parse_date("いつか")

"""The wareki template filters, loaded the way templates load them: {% load wareki %}."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone


def render(source, **context):
    return Template("{% load wareki %}" + source).render(Context(context))


# --- wareki ------------------------------------------------------------------------------------


def test_wareki_renders_a_time_element_with_iso_date_and_western_title():
    assert render("{{ d|wareki }}", d=date(2017, 7, 28)) == (
        '<time datetime="2017-07-28" title="2017年7月28日">平成29年7月28日</time>'
    )


def test_wareki_with_weekday_shows_the_weekday():
    assert render('{{ d|wareki:"weekday" }}', d=date(2026, 11, 29)) == (
        '<time datetime="2026-11-29" title="2026年11月29日">令和8年11月29日(日)</time>'
    )
    assert render('{{ d|wareki_text:"weekday" }}', d=date(2026, 11, 29)) == "令和8年11月29日(日)"


def test_wareki_writes_the_first_year_of_an_era_as_gannen():
    assert render("{{ d|wareki }}", d=date(2019, 5, 1)) == (
        '<time datetime="2019-05-01" title="2019年5月1日">令和元年5月1日</time>'
    )


@pytest.mark.parametrize("value", [None, ""])
def test_wareki_renders_nothing_for_a_missing_date(value):
    assert render("[{{ d|wareki }}]", d=value) == "[]"


def test_wareki_escapes_a_value_that_is_not_a_date():
    assert render("{{ d|wareki }}", d="<b>不明</b>") == "&lt;b&gt;不明&lt;/b&gt;"


def test_wareki_leaves_a_non_date_alone_when_autoescape_is_off():
    source = "{% autoescape off %}{{ d|wareki }}{% endautoescape %}"
    assert render(source, d="<b>不明</b>") == "<b>不明</b>"


@pytest.mark.parametrize(
    ("zone", "expected_day"),
    [("Asia/Tokyo", "2017-07-28"), ("UTC", "2017-07-27")],
)
def test_wareki_shows_an_aware_datetime_on_its_local_day(zone, expected_day):
    moment = datetime(2017, 7, 27, 15, 30, tzinfo=UTC)  # 00:30 on the 28th in Japan
    with timezone.override(zone):
        html = render("{{ d|wareki }}", d=moment)
    assert f'datetime="{expected_day}"' in html


def test_wareki_falls_back_to_western_calendar_before_meiji():
    assert render("{{ d|wareki }}", d=date(1850, 1, 1)) == (
        '<time datetime="1850-01-01" title="1850年1月1日">1850年1月1日</time>'
    )


# --- wareki_text -------------------------------------------------------------------------------


def test_wareki_text_renders_plain_text():
    assert render("{{ d|wareki_text }}", d=date(2017, 7, 28)) == "平成29年7月28日"


def test_wareki_text_can_go_inside_an_attribute():
    html = render('<input value="{{ d|wareki_text }}">', d=date(2019, 5, 1))
    assert html == '<input value="令和元年5月1日">'


@pytest.mark.parametrize("value", [None, ""])
def test_wareki_text_renders_nothing_for_a_missing_date(value):
    assert render("[{{ d|wareki_text }}]", d=value) == "[]"


def test_wareki_text_escapes_a_value_that_is_not_a_date():
    assert render("{{ d|wareki_text }}", d='"><script>') == "&quot;&gt;&lt;script&gt;"


def test_wareki_text_falls_back_to_western_calendar_before_meiji():
    assert render("{{ d|wareki_text }}", d=date(1850, 1, 1)) == "1850年1月1日"


# --- wareki_month ------------------------------------------------------------------------------


def test_wareki_month_renders_a_time_element_with_month_precision():
    assert render("{{ d|wareki_month }}", d=date(2018, 2, 1)) == (
        '<time datetime="2018-02" title="2018年2月">平成30年2月</time>'
    )


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (date(2019, 4, 1), "平成31年4月"),
        (date(2019, 5, 1), "令和元年5月"),
        (date(1989, 1, 1), "昭和64年1月"),
    ],
)
def test_wareki_month_uses_the_era_in_force_on_the_stored_day(d, text):
    assert render("{{ d|wareki_month }}", d=d).endswith(f">{text}</time>")


@pytest.mark.parametrize("value", [None, ""])
def test_wareki_month_renders_nothing_for_a_missing_date(value):
    assert render("[{{ d|wareki_month }}]", d=value) == "[]"


def test_wareki_month_escapes_a_value_that_is_not_a_date():
    assert render("{{ d|wareki_month }}", d="<i>未定</i>") == "&lt;i&gt;未定&lt;/i&gt;"


# --- fiscal_year -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fy", "text"),
    [(2017, "平成29年度"), (2019, "令和元年度"), (1988, "昭和63年度"), ("2017", "平成29年度")],
)
def test_fiscal_year_names_the_year_in_wareki(fy, text):
    assert render("{{ fy|fiscal_year }}", fy=fy) == text


@pytest.mark.parametrize("value", [None, ""])
def test_fiscal_year_renders_nothing_for_a_missing_year(value):
    assert render("[{{ fy|fiscal_year }}]", fy=value) == "[]"


def test_fiscal_year_falls_back_to_western_year_before_meiji():
    assert render("{{ fy|fiscal_year }}", fy=1800) == "1800年度"


def test_fiscal_year_escapes_a_value_that_is_not_a_year():
    assert render("{{ fy|fiscal_year }}", fy="<b>") == "&lt;b&gt;"

"""Template filters that write dates the way the city does: in 和暦.

    {% load wareki %}
    {{ held_on|wareki }}
        <time datetime="2017-07-28" title="2017年7月28日">平成29年7月28日</time>
    {{ held_on|wareki:"weekday" }}
        <time datetime="2017-07-28" title="2017年7月28日">平成29年7月28日(金)</time>
    {{ planned|wareki_month }}
        <time datetime="2018-02" title="2018年2月">平成30年2月</time>
    {{ held_on|wareki_text }}   平成29年7月28日 (also takes "weekday")
    {{ fy|fiscal_year }}        平成29年度

None and "" render as "". Values that are not dates are shown unchanged (escaped)
rather than hidden, and dates before 明治 fall back to 西暦, so a filter never
breaks a page.
"""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html

from core.wareki import (
    WarekiError,
    format_date,
    format_date_with_weekday,
    format_fiscal_year,
    format_month,
)

register = template.Library()


@register.filter(needs_autoescape=True)
def wareki(value, arg="", autoescape=True):
    """A date as a <time> element: 平成29年7月28日, with the ISO date and 西暦 as title;
    ``|wareki:"weekday"`` adds the weekday: 平成29年7月28日(金)."""
    if value is None or value == "":
        return ""
    d = _as_date(value)
    if d is None:
        return conditional_escape(value) if autoescape else value
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        d.isoformat(),
        _western_day(d),
        _or_western(_formatter(arg), d, _western_day(d)),
    )


@register.filter
def wareki_text(value, arg=""):
    """A date as plain text: 平成29年7月28日 (for titles, CSV, attributes); ``"weekday"``
    adds the weekday."""
    if value is None or value == "":
        return ""
    d = _as_date(value)
    if d is None:
        return value
    return _or_western(_formatter(arg), d, _western_day(d))


def _formatter(arg):
    return format_date_with_weekday if arg == "weekday" else format_date


@register.filter(needs_autoescape=True)
def wareki_month(value, autoescape=True):
    """A month as a <time> element: 平成30年2月, for dates stored as the first of the month."""
    if value is None or value == "":
        return ""
    d = _as_date(value)
    if d is None:
        return conditional_escape(value) if autoescape else value
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        f"{d.year:04d}-{d.month:02d}",
        _western_month(d),
        _or_western(format_month, d, _western_month(d)),
    )


@register.filter
def fiscal_year(value):
    """A fiscal year (the year it starts in) as 平成29年度."""
    if value is None or value == "":
        return ""
    try:
        fy = int(value)
    except (TypeError, ValueError):
        return value
    try:
        return format_fiscal_year(fy)
    except WarekiError:
        return f"{fy}年度"


def _as_date(value):
    if isinstance(value, datetime):
        # Show the day as it was where the user is, not in UTC.
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _or_western(formatter, d, western):
    try:
        return formatter(d)
    except WarekiError:
        return western


def _western_day(d):
    return f"{d.year}年{d.month}月{d.day}日"


def _western_month(d):
    return f"{d.year}年{d.month}月"

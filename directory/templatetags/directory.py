"""Template filters of the public directory: names with their readings as furigana.

{% load directory %}
{{ area|area_ruby }}        <ruby>勿来<rp>(</rp><rt>なこそ</rt><rp>)</rp></ruby>
{{ entry|entry_ruby }}      the entry's name over its 名称のよみ, when it has one
"""

from django import template
from django.utils.html import format_html

from directory.readings import area_reading

register = template.Library()


def ruby(text, reading):
    if not reading:
        return format_html("{}", text)
    return format_html("<ruby>{}<rp>(</rp><rt>{}</rt><rp>)</rp></ruby>", text, reading)


@register.filter
def area_ruby(area):
    name = getattr(area, "name", area)
    return ruby(name, area_reading(str(name)))


@register.filter
def entry_ruby(entry):
    return ruby(entry.name, entry.name_kana)


@register.filter
def get_count(counts, key):
    """``counts|get_count:area.pk``: a count from a dict keyed by id, 0 when absent."""
    return counts.get(key, 0)

"""Template helpers of the meeting log: the small update forms' choices, a year's 第n回."""

from django import template

from councils.models import ResponseStatus

register = template.Library()


@register.simple_tag
def response_choices():
    """The statuses an opinion can take, for the small update form (value, label)."""
    return ResponseStatus.choices


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def planned_month(row, sequence):
    """The month a schedule row plans for 第``sequence``回."""
    return row.planned_month(sequence)


@register.filter
def log_url(row, sequence):
    """Where to log 第``sequence``回 of a schedule row, for those who may; else None."""
    return row.log_url(sequence)

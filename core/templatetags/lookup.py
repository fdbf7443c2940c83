"""``{{ mapping|get_item:key }}``: a dictionary's value for a key held in a variable."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or None when there is no such key (or no mapping)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None

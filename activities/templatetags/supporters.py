"""Template helpers for supporters' pages."""

from django import template

from iwaki_support.roles import personal_data_areas

register = template.Library()


@register.filter
def sees_personal_data(user) -> bool:
    """Whether ``user`` may see supporters' personal data (and so import and export it)."""
    return bool(user.is_authenticated) and personal_data_areas(user).exists()

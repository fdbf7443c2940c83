"""Template helpers for supporters' pages."""

from django import template

from accounts import roles

register = template.Library()


@register.filter
def sees_personal_data(user) -> bool:
    """Whether ``user`` may see supporters' personal data (and so import and export it)."""
    return roles.sees_personal_data(user)

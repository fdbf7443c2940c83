"""Template helpers that ask accounts.roles what a user may do (navigation, buttons)."""

from django import template

from accounts import roles

register = template.Library()


@register.filter
def sees_personal_data(user) -> bool:
    """Whether ``user`` may see supporters' personal data (and so import and export it)."""
    return roles.sees_personal_data(user)


@register.filter
def plans_the_year(user) -> bool:
    """Whether ``user`` sets up a fiscal year's plan (city staff and administrators)."""
    return roles.plans_the_year(user)

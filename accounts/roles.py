"""Who a user is in this programme.

Three roles (docs/security.md, "Roles"): administrators (superusers), city staff (members of
the group named CITY_STAFF_GROUP) and coordinators (users linked to a coordinators.Coordinator).
A signed-in account with none of these has no part in the programme yet.

Which *records* a role may read or change is decided in one place, ``accounts.access``; this
module only answers who the user is. It imports no domain app: the coordinator placement is
reached through the user's reverse relation (``user.coordinator``).
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import TextChoices

CITY_STAFF_GROUP = "市職員"


class Role(TextChoices):
    ADMINISTRATOR = "administrator", "管理者"
    CITY_STAFF = "city_staff", "市職員"
    COORDINATOR = "coordinator", "生活支援コーディネーター"
    NONE = "none", "権限なし"


def role_of(user) -> Role:
    """The user's role. Remembered on the user object, which lives for one request, so that
    the navigation and every access check of a page share one lookup."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Role.NONE
    cached = getattr(user, "_iwaki_role", None)
    if cached is None:
        cached = user._iwaki_role = _lookup_role(user)
    return cached


def _lookup_role(user) -> Role:
    if user.is_superuser:
        return Role.ADMINISTRATOR
    if coordinator_of(user) is not None:
        return Role.COORDINATOR
    if user.groups.filter(name=CITY_STAFF_GROUP).exists():
        return Role.CITY_STAFF
    return Role.NONE


def coordinator_of(user):
    """The Coordinator placement linked to ``user``, or None."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.coordinator
    except ObjectDoesNotExist:
        return None


def coordinator_model():
    """The coordinator placement model, named by the setting COORDINATOR_MODEL as the user
    model is by AUTH_USER_MODEL: the account commands create placements' logins without
    importing the coordinators app (docs/architecture.md)."""
    return apps.get_model(settings.COORDINATOR_MODEL)


def is_administrator(user) -> bool:
    return role_of(user) == Role.ADMINISTRATOR


def can_read(user) -> bool:
    """Every signed-in member of the programme reads the aggregated records."""
    return role_of(user) != Role.NONE


def covers_some_area(user) -> bool:
    """Whether ``user`` answers for at least one area: administrators, and coordinators whose
    placement covers an area. They change those areas' records and see their supporters'
    personal data; city staff read everything and change nothing."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return True
    if role != Role.COORDINATOR:
        return False
    cached = getattr(user, "_iwaki_covers_some_area", None)
    if cached is None:
        cached = user._iwaki_covers_some_area = coordinator_of(user).covered_areas().exists()
    return cached


def publishes_entries(user) -> bool:
    """Whether ``user`` may publish or withdraw entries of the public directory: city staff
    (every entry: the city answers for what it publishes) and those who answer for an area
    (that area's entries)."""
    return role_of(user) == Role.CITY_STAFF or covers_some_area(user)


def plans_the_year(user) -> bool:
    """Whether ``user`` sets up a fiscal year's plan (its phases and the planned meetings of
    every council): city staff, who plan the year, and administrators. Coordinators then log
    the meetings."""
    return role_of(user) in (Role.ADMINISTRATOR, Role.CITY_STAFF)


def writes_report(user) -> bool:
    """Administrators and city staff: the city writes the year's report (市町村の取組) and its
    answers to the national survey, so they write its texts (今後の予定), enter its key figures
    and choose its main opinions. Coordinators read them."""
    return role_of(user) in (Role.ADMINISTRATOR, Role.CITY_STAFF)


# The two questions the navigation and the guards ask; one answer, two names for readers.
sees_personal_data = covers_some_area
changes_records = covers_some_area

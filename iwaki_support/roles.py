"""Who a user is in this programme, and which areas they answer for.

Three roles (README, "Roles"): administrators (superusers), city staff (members of the
group named CITY_STAFF_GROUP) and coordinators (users linked to a coordinators.Coordinator).
Every view asks these helpers, or the QuerySet methods built on them, rather than
looking at the user itself.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import TextChoices

from councils.models import Area

CITY_STAFF_GROUP = "市職員"


class Role(TextChoices):
    ADMINISTRATOR = "administrator", "管理者"
    CITY_STAFF = "city_staff", "市職員"
    COORDINATOR = "coordinator", "生活支援コーディネーター"
    NONE = "none", "権限なし"


def role_of(user) -> Role:
    """The user's role. Remembered on the user object, which lives for one request, so that
    the navigation and every access check of a page share one lookup."""
    if not user.is_authenticated or not user.is_active:
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
    """The Coordinator record linked to ``user``, or None."""
    if not user.is_authenticated:
        return None
    try:
        return user.coordinator
    except ObjectDoesNotExist:
        return None


def editable_areas(user):
    """Areas whose records ``user`` may create and change: all for administrators and the
    headquarters coordinator, the covered areas for a district coordinator, none otherwise."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return Area.objects.all()
    if role == Role.COORDINATOR:
        return coordinator_of(user).covered_areas()
    return Area.objects.none()


def can_read(user) -> bool:
    """Every signed-in member of the programme reads the aggregated records."""
    return role_of(user) != Role.NONE


def personal_data_areas(user):
    """Areas whose supporters' personal data ``user`` may see: city staff see none."""
    return editable_areas(user)


def sees_personal_data(user) -> bool:
    """Whether ``user`` may see some supporters' personal data (administrators and
    coordinators; a coordinator placement always covers at least one area)."""
    return role_of(user) in {Role.ADMINISTRATOR, Role.COORDINATOR}


def scope(queryset, user, area_path, *, editing=False, personal_data=False):
    """Filter ``queryset`` to the rows ``user`` may read, change, or see personal data of.

    ``area_path`` leads from the queryset's model to its Area (e.g. ``"council__area"``).
    Reading: every member of the programme reads every aggregated record. Changing, and
    personal data: only the rows in the user's areas. Rows without an area (the tier-1 council,
    the programme-wide opinions) are for administrators only. Every ``visible_to`` /
    ``editable_by`` QuerySet method is built on this.
    """
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return queryset.all()
    if personal_data:
        return queryset.filter(**{f"{area_path}__in": personal_data_areas(user)})
    if not editing:
        return queryset.all() if role != Role.NONE else queryset.none()
    return queryset.filter(**{f"{area_path}__in": editable_areas(user)})

"""May this user see or change this record? One answer for every view, the admin included.

Every record of the programme belongs to an area (旧市町村圏域), or to none (the tier-1 council,
the programme-wide opinions). A model says how to reach its area in ``area_path``
(``Meeting.area_path = "council__area"``) and whether its rows are personal data
(``holds_personal_data = True`` for supporters). From that and the user's role:

* **read**: every member of the programme reads every aggregated record;
* **change**: administrators change everything; a coordinator changes the rows of the areas
  their placement covers (all of them for the headquarters coordinator); city staff none;
* **personal data**: the same rows as *change*; city staff see none.
* **publish** (the public directory's entries, going public or not): the rows a user may
  change, and for city staff every row: the city answers for what it publishes.

Rows without an area are for administrators only, for change and personal data.

A record that belongs to one coordinator's placement rather than to an area (a coordinator's
今後の課題や提案 of a year) says so in ``placement_path`` (``"coordinator"``): a coordinator
changes only their own placement's rows.

The year's report is the city's: administrators and city staff write its texts and choose what
it shows (``report_writer_required``); coordinators read it.

``scope(queryset, user, Access.CHANGE)`` filters a queryset; ``ScopedQuerySet`` gives every
domain queryset ``visible_to`` / ``editable_by`` built on it; ``get_object_for`` answers 404
outside the user's scope, as if the record did not exist; ``may`` asks about one object.

Page guards (``reader_required``, ``PersonalDataRequiredMixin``, …) decide who may open a page
at all. Anonymous visitors are sent to sign in. A signed-in account with no role gets 403: the
page exists and the account is known, it simply has no part in the programme yet. Pages for
administrators only answer 404 to everyone else.
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import (
    Role,
    can_read,
    coordinator_of,
    covers_some_area,
    plans_the_year,
    publishes_entries,
    role_of,
    writes_report,
)


class Access(StrEnum):
    READ = "read"
    CHANGE = "change"
    PERSONAL_DATA = "personal_data"
    PUBLISH = "publish"


def scope(queryset, user, access: Access = Access.READ):
    """The rows of ``queryset`` that ``user`` may read, change, or see the personal data of."""
    model = queryset.model
    if access == Access.READ and getattr(model, "holds_personal_data", False):
        access = Access.PERSONAL_DATA
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return queryset.all()
    if role == Role.NONE:
        return queryset.none()
    if access == Access.READ:
        return queryset.all()
    if access == Access.PUBLISH and role == Role.CITY_STAFF:
        return queryset.all()
    coordinator = coordinator_of(user)
    if coordinator is None:
        return queryset.none()
    placement_path = getattr(model, "placement_path", None)
    if placement_path:
        return queryset.filter(**{placement_path: coordinator})
    inside = queryset.filter(**{f"{model.area_path}__in": coordinator.covered_areas()})
    if _reaches_many(model, model.area_path):
        # A record in several areas (a journal entry) would come back once per area covered.
        return queryset.filter(pk__in=inside.values("pk"))
    return inside


def _reaches_many(model, path: str) -> bool:
    """Whether ``path`` crosses a many-to-many or reverse foreign key from ``model``."""
    for name in path.split("__"):
        if name == "pk":
            return False
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
        if model is None:
            return False
    return False


def may(user, obj, access: Access = Access.READ) -> bool:
    """Whether ``user`` may read / change / see the personal data of ``obj``."""
    manager = type(obj)._default_manager
    return scope(manager.filter(pk=obj.pk), user, access).exists()


def may_write_for_placement(user, placement) -> bool:
    """Whether ``user`` may write a record of ``placement`` (a coordinator's yearly issues and
    proposals) that may not exist yet: administrators, and that placement's coordinator."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return True
    if role != Role.COORDINATOR:
        return False
    mine = coordinator_of(user)
    return mine is not None and mine.pk == placement.pk


def get_object_for(user, queryset, access: Access = Access.READ, **lookup):
    """The object of ``queryset`` matching ``lookup`` within ``user``'s scope, else 404."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    return get_object_or_404(scope(queryset, user, access), **lookup)


class ScopedQuerySet(models.QuerySet):
    """``visible_to`` / ``editable_by`` for every model with an ``area_path``."""

    def visible_to(self, user):
        return scope(self, user, Access.READ)

    def editable_by(self, user):
        return scope(self, user, Access.CHANGE)

    def with_personal_data_for(self, user):
        return scope(self, user, Access.PERSONAL_DATA)

    def publishable_by(self, user):
        return scope(self, user, Access.PUBLISH)


# --- page guards -----------------------------------------------------------------------------


def _guard(allowed, *, outsiders_see_404=False):
    """A decorator and a mixin that let a signed-in ``allowed(user)`` through: anonymous
    visitors go to the sign-in page, anyone else gets 403 (or 404)."""

    def refuse():
        raise Http404 if outsiders_see_404 else PermissionDenied

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                refuse()
            return view(request, *args, **kwargs)

        return wrapped

    class Mixin(LoginRequiredMixin):
        def dispatch(self, request, *args, **kwargs):
            if request.user.is_authenticated and not allowed(request.user):
                refuse()
            return super().dispatch(request, *args, **kwargs)

    return decorator, Mixin


# Every member of the programme: administrators, city staff, coordinators.
reader_required, ReaderRequiredMixin = _guard(can_read)
# Those who answer for an area: they change its records and see its supporters.
editor_required, EditorRequiredMixin = _guard(covers_some_area)
personal_data_required, PersonalDataRequiredMixin = _guard(covers_some_area)
# Those who may put directory entries online or take them off: city staff and editors.
publisher_required, PublisherRequiredMixin = _guard(publishes_entries)
# Those who plan the fiscal year: city staff and administrators.
planner_required, PlannerRequiredMixin = _guard(plans_the_year)
# The city's yearly report: administrators and city staff write it; coordinators read it.
report_writer_required, ReportWriterRequiredMixin = _guard(writes_report)
# Administrators only; to anyone else the page does not exist.
administrator_required, AdministratorRequiredMixin = _guard(
    lambda user: role_of(user) == Role.ADMINISTRATOR, outsiders_see_404=True
)


# --- the admin ------------------------------------------------------------------------------


class ScopedAdminMixin:
    """The admin asks the same question as the pages: a staff account sees and changes in the
    admin only what ``scope`` gives it (administrators: everything)."""

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user, Access.READ)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may(request.user, obj, Access.CHANGE))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may(request.user, obj, Access.CHANGE))


class AdministratorImportMixin:
    """Imports in the admin (django-import-export) replace reference data or write personal
    data: administrators only. Put it before the import mixin."""

    def has_import_permission(self, request):
        return role_of(request.user) == Role.ADMINISTRATOR

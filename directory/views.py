"""Keeping the directory current: the coordinators' and staff's pages (signed in).

Coordinators create and edit the entries of their areas, confirm them with the provider
(最終確認日) and publish them; city staff read every entry and publish or withdraw any; the
needs-against-supply table shows what residents asked for beside what the entries give.
Access is asked of ``accounts.access`` only; an entry outside your areas is 404.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView
from django_filters.views import FilterView

from accounts.access import (
    Access,
    ReaderRequiredMixin,
    editor_required,
    get_object_for,
    may,
    publisher_required,
    reader_required,
)
from audit import history
from coordinators.models import Coordinator
from core.exports import TableExportMixin
from core.tables import SingleTableMixin
from core.wareki import default_fiscal_year, format_date
from councils.models import Area
from directory import services
from directory.filters import EntryFilter, SupplyAreaFilter
from directory.forms import ContactOfficeForm, EntryForm, ScheduleFormSet
from directory.models import ContactOffice, Entry, Schedule, office_contact
from directory.supply import needs_and_supply
from directory.tables import EntryTable
from needs_survey.models import Survey


class EntryListView(ReaderRequiredMixin, TableExportMixin, SingleTableMixin, FilterView):
    filterset_class = EntryFilter
    table_class = EntryTable
    table_pagination = {"per_page": 50}
    template_name = "directory/entry_list.html"
    export_name = "地域資源"
    export_ascii_name = "local-resources"

    def get_queryset(self):
        return Entry.objects.select_related("area").prefetch_related("help_categories")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=Area.objects.editable_by(self.request.user).exists(), **kwargs
        )


class EntryDetailView(ReaderRequiredMixin, DetailView):
    template_name = "directory/entry_detail.html"
    context_object_name = "entry"

    def get_queryset(self):
        return Entry.objects.for_display().select_related("support_group", "confirmed_by")

    def get_context_data(self, **kwargs):
        entry, user = self.object, self.request.user
        can_edit = may(user, entry, Access.CHANGE)
        entry.how_to_ask = entry.contact()
        entry_history = None
        if can_edit:
            entry_history = history.record_entries(
                entry.history.all(), Schedule.history.filter(entry_id=entry.pk)
            )
        return super().get_context_data(
            can_edit=can_edit,
            can_publish=may(user, entry, Access.PUBLISH),
            due=entry.due_for_confirmation(timezone.localdate()),
            history=entry_history,
            **kwargs,
        )


def _entry_form_page(request, entry=None):
    user = request.user
    form = EntryForm(request.POST or None, instance=entry, user=user)
    schedule_kind = request.POST.get("schedule_kind") if request.method == "POST" else None
    schedules = ScheduleFormSet(
        request.POST or None,
        instance=entry or Entry(),
        prefix="schedules",
        schedule_kind=schedule_kind,
    )
    if request.method == "POST" and form.is_valid() and schedules.is_valid():
        saved = services.save_entry(
            form=form,
            schedules=schedules,
            user=user,
            confirmed_today=form.cleaned_data["confirmed_today"],
        )
        messages.success(request, f"「{saved.name}」を保存しました。")
        return redirect(saved)
    return render(
        request,
        "directory/entry_form.html",
        {"form": form, "schedules": schedules, "entry": entry},
    )


@editor_required
def entry_create(request):
    return _entry_form_page(request)


@editor_required
def entry_update(request, pk):
    entry = get_object_for(request.user, Entry, Access.CHANGE, pk=pk)
    return _entry_form_page(request, entry)


def _back(request, entry):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(entry)


@editor_required
@require_POST
def entry_confirm(request, pk):
    """「今日確認した」: the provider confirmed the entry today; 最終確認日 becomes today."""
    entry = get_object_for(request.user, Entry, Access.CHANGE, pk=pk)
    services.confirm_entry(entry=entry, user=request.user)
    messages.success(
        request, f"「{entry.name}」の最終確認日を{format_date(entry.confirmed_on)}にしました。"
    )
    return _back(request, entry)


def _set_published(request, pk, published):
    entry = get_object_for(request.user, Entry, Access.PUBLISH, pk=pk)
    services.set_published(entry=entry, published=published, user=request.user)
    if published:
        messages.success(request, f"「{entry.name}」を公開しました。誰でも見られます。")
    else:
        messages.success(request, f"「{entry.name}」の公開をやめました。")
    return _back(request, entry)


@publisher_required
@require_POST
def entry_publish(request, pk):
    return _set_published(request, pk, True)


@publisher_required
@require_POST
def entry_unpublish(request, pk):
    return _set_published(request, pk, False)


@reader_required
@require_GET
def needs_supply(request):
    """Per area: the needs survey's wished-for help beside the entries that provide it."""
    years = Survey.objects.of_areas().fiscal_years()
    try:
        fiscal_year = int(request.GET.get("fiscal_year", ""))
    except ValueError:
        fiscal_year = None
    if fiscal_year not in years:
        fiscal_year = default_fiscal_year(years, timezone.localdate())
    area_filter = SupplyAreaFilter(request.GET or None, queryset=Area.objects.all())
    categories, rows = needs_and_supply(fiscal_year, area_filter.qs)
    context = {
        "fiscal_year": fiscal_year,
        "fiscal_years": sorted(set(years) | {fiscal_year}, reverse=True),
        "filter": area_filter,
        "categories": categories,
        "rows": rows,
        "surveyed": sum(1 for row in rows if row.survey is not None),
    }
    return render(request, "directory/needs_supply.html", context)


def offices_editable_by(user):
    """The coordinators' offices ``user`` may keep the contact of: those covering an area the
    user may change (accounts.access decides which). The headquarters office covers no area of
    its own: administrators keep it in the admin."""
    return Coordinator.objects.filter(areas__in=Area.objects.editable_by(user)).distinct()


@reader_required
@require_GET
def office_list(request):
    """The coordinators' offices as residents see them: each area's default contact."""
    coordinators = Coordinator.objects.prefetch_related("areas").select_related("contact_office")
    editable = set(offices_editable_by(request.user).values_list("pk", flat=True))
    rows = [
        {
            "coordinator": coordinator,
            "contact": office_contact(coordinator),
            "can_edit": coordinator.pk in editable,
        }
        for coordinator in coordinators
    ]
    return render(request, "directory/office_list.html", {"rows": rows})


@editor_required
def office_update(request, pk):
    """The public contact of a coordinator's office: name, phone, hours, address, web page."""
    coordinator = get_object_or_404(offices_editable_by(request.user), pk=pk)
    try:
        office = coordinator.contact_office
    except ContactOffice.DoesNotExist:
        office = ContactOffice(coordinator=coordinator)
    form = ContactOfficeForm(request.POST or None, instance=office)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{office.display_name}の連絡先を保存しました。")
        return redirect("directory:office-list")
    return render(request, "directory/office_form.html", {"form": form, "coordinator": coordinator})

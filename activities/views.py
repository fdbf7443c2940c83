"""Support groups (tier 3): their services and supporter counts. Counts only, never names."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from activities.filters import SupportGroupFilter
from activities.forms import SupporterImportForm
from activities.imports import (
    Action,
    Entry,
    ImportPlan,
    ImportRefused,
    apply,
    prepare,
    template_workbook,
)
from activities.models import (
    GroupService,
    ImportSource,
    PendingImport,
    SupporterImport,
    SupportGroup,
)
from activities.supporter_totals import SupporterTotals
from activities.tables import SupportGroupTable
from iwaki_support.access import ReaderRequiredMixin
from iwaki_support.exports import TableExportMixin
from iwaki_support.roles import personal_data_areas
from iwaki_support.spreadsheets import checksum


def _groups():
    return (
        SupportGroup.objects.select_related("council__area__district")
        .prefetch_related(
            Prefetch(
                "services",
                queryset=GroupService.objects.prefetch_related("help_categories").order_by(
                    "position"
                ),
            )
        )
        .with_registered_counts()
        .with_latest_reported_count()
    )


class SupportGroupListView(ReaderRequiredMixin, TableExportMixin, SingleTableMixin, FilterView):
    filterset_class = SupportGroupFilter
    table_class = SupportGroupTable
    table_pagination = {"per_page": 50}
    template_name = "activities/supportgroup_list.html"
    export_name = "支え合い活動団体"

    def get_queryset(self):
        return _groups()

    def get_context_data(self, **kwargs):
        return super().get_context_data(totals=SupporterTotals.compute(), **kwargs)


class SupportGroupDetailView(ReaderRequiredMixin, DetailView):
    template_name = "activities/supportgroup_detail.html"
    context_object_name = "group"

    def get_queryset(self):
        return _groups()

    def get_context_data(self, **kwargs):
        group = self.object
        return super().get_context_data(
            counts=group.supporter_counts.order_by("as_of"),
            meetings=group.council.meetings.order_by("-fiscal_year", "sequence"),
            **kwargs,
        )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def client_address(request):
    return request.META.get("REMOTE_ADDR") or None


def require_personal_data_access(user):
    """Supporters' personal data is for coordinators of their areas and administrators."""
    if not personal_data_areas(user).exists():
        raise PermissionDenied


# --- supporter import ------------------------------------------------------------------


@login_required
def supporterimport_create(request):
    """Step 1 and 2: choose a file, see every row and error; a clean file can be confirmed."""
    require_personal_data_access(request.user)
    form = SupporterImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method != "POST" or not form.is_valid():
        return render(request, "activities/supporterimport_form.html", {"form": form})
    upload = form.cleaned_data["file"]
    data = upload.read()
    result = prepare(
        data,
        filename=upload.name,
        allowed_groups=SupportGroup.objects.in_areas(personal_data_areas(request.user)),
        default_group=form.cleaned_data["group"],
        encoding=form.cleaned_data["encoding"] or None,
        sheet=form.cleaned_data["sheet"] or None,
    )
    pending = None
    # Stale previews (and this user's earlier ones) go: their rows are personal data.
    PendingImport.objects.stale().delete()
    PendingImport.objects.filter(user=request.user).delete()
    if result.ok:
        pending = PendingImport.objects.create(
            user=request.user,
            file_name=upload.name[:255],
            checksum=checksum(data),
            digest=result.digest,
            payload={
                "fields": result.fields,
                "notices": result.notices,
                "entries": [entry.to_json() for entry in result.entries],
            },
        )
    context = {
        "form": form,
        "result": result,
        "pending": pending,
        "file_name": upload.name,
        "rows": _preview_rows(result),
        "counts": _counts(result),
    }
    return render(request, "activities/supporterimport_preview.html", context)


def _counts(result: ImportPlan):
    counts = result.counts
    return [(Action.LABELS[action], counts[action], action) for action in Action.LABELS]


def _preview_rows(result: ImportPlan):
    return [
        {
            "entry": entry,
            "cells": [
                entry.display_values(result.categories).get(key, "") for key in result.fields
            ],
            "errors": [
                error.message if not error.column else f"「{error.column}」{error.message}"
                for error in entry.errors
            ],
        }
        for entry in result.entries
    ]


@require_POST
@login_required
def supporterimport_confirm(request):
    """Step 3: import exactly what the preview showed, or nothing."""
    require_personal_data_access(request.user)
    try:
        token = uuid.UUID(request.POST.get("token", ""))
    except ValueError as error:
        raise Http404 from error
    pending = get_object_or_404(PendingImport, token=token, user=request.user)
    payload = pending.payload
    result = ImportPlan(
        entries=[Entry.from_json(item) for item in payload["entries"]],
        fields=payload["fields"],
        notices=payload["notices"],
    )
    allowed = set(
        SupportGroup.objects.in_areas(personal_data_areas(request.user)).values_list(
            "pk", flat=True
        )
    )
    try:
        if not result.group_ids <= allowed:
            raise ImportRefused("担当する圏域外の団体が含まれているため取り込めません。")
        record = apply(
            result,
            user=request.user,
            source=ImportSource.WEB,
            file_name=pending.file_name,
            file_checksum=pending.checksum,
            address=client_address(request),
            expected_digest=pending.digest,
        )
    except ImportRefused as error:
        messages.error(request, str(error))
        return redirect("activities:supporterimport-create")
    finally:
        pending.delete()
    messages.success(request, "取り込みました。")
    return redirect(record)


@login_required
def supporterimport_detail(request, pk):
    require_personal_data_access(request.user)
    record = get_object_or_404(
        SupporterImport.objects.visible_to(request.user).select_related("user"), pk=pk
    )
    groups = record.groups.select_related("council__area")
    return render(
        request, "activities/supporterimport_detail.html", {"record": record, "groups": groups}
    )


@login_required
def supporterimport_list(request):
    require_personal_data_access(request.user)
    records = (
        SupporterImport.objects.visible_to(request.user)
        .select_related("user")
        .prefetch_related("groups")[:100]
    )
    return render(request, "activities/supporterimport_list.html", {"records": records})


@login_required
def supporterimport_template(request):
    require_personal_data_access(request.user)
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = (
        "attachment; filename=supporters-template.xlsx; "
        "filename*=UTF-8''%E3%82%B5%E3%83%9D%E3%83%BC%E3%82%BF%E3%83%BC%E5%90%8D%E7%B0%BF_%E5%8F%96%E8%BE%BC%E7%94%A8.xlsx"
    )
    return response

"""The administrators' pages of the audit: deleted records with restore, and the review of
personal-data access records (個人情報の利用記録).

The city's security policy asks for a periodic review of who viewed, exported or imported
supporters' personal data: the review lists the records with filters (period, user, action,
area) and exports the filtered list. Only administrators see these pages; to anyone else
they answer 404.
"""

from django.apps import apps
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_filters.views import FilterView

from accounts.access import AdministratorRequiredMixin, administrator_required
from audit import history
from audit.filters import AccessRecordFilter
from audit.models import AccessAction, AccessRecord
from audit.records import record_access
from audit.tables import AccessRecordTable
from core.exports import TableExportMixin
from core.tables import SingleTableMixin


def _record_personal_data(request, model, records, what):
    """One access record when a page shows deleted records that hold personal data
    (supporters' names), with the area and group when they are one; never the names."""
    if not getattr(model, "holds_personal_data", False) or not records:
        return
    shown = model.history.filter(history_id__in=[record.history_id for record in records])
    areas = set(shown.values_list(model.area_path, flat=True))
    groups = {getattr(record, "group_id", None) for record in records}
    record_access(
        request,
        action=AccessAction.VIEW,
        what=what,
        rows=len(records),
        area_id=areas.pop() if len(areas) == 1 else None,
        group_id=groups.pop() if len(groups) == 1 else None,
    )


@administrator_required
@require_GET
def deleted_list(request):
    groups = history.deleted_groups()
    for group in groups:
        if group["personal_data"]:
            _record_personal_data(
                request,
                apps.get_model(group["name"]),
                [item.record for item in group["records"]],
                f"削除された記録: {group['verbose_name']}",
            )
    return render(request, "audit/deleted_list.html", {"groups": groups})


@administrator_required
@require_GET
def deleted_versions(request, model_name, object_id):
    """Every deletion of one record, the older ones with how they differ from the latest."""
    try:
        model, versions = history.versions(model_name, object_id)
    except LookupError as error:
        raise Http404 from error
    _record_personal_data(
        request,
        model,
        [version.record for version in versions],
        f"削除された記録: {model._meta.verbose_name}の以前の版",
    )
    return render(
        request,
        "audit/deleted_versions.html",
        {
            "model_name": model_name,
            "verbose_name": model._meta.verbose_name,
            "label": history.label_of(versions[0].record),
            "versions": versions,
        },
    )


@require_POST
@administrator_required
def restore(request, model_name, history_id):
    try:
        result = history.restore(
            model_name,
            history_id,
            older=request.POST.get("older") == "1",
            with_related=request.POST.get("with_related") == "1",
        )
    except LookupError as error:
        raise Http404 from error
    except history.OlderVersion as error:
        messages.error(request, str(error))
        record = apps.get_model(model_name).history.get(history_id=history_id)
        return redirect("deleted-record-versions", model_name=model_name, object_id=record.id)
    except history.RestoreRefused as error:
        messages.error(request, str(error))
        return redirect("deleted-records")
    instance = result.instance
    verbose_name = type(instance)._meta.verbose_name
    text = f"{verbose_name}「{instance}」を元に戻しました。"
    if result.related:
        text += f"一緒に削除された記録{result.related}件も元に戻しました。"
    messages.success(request, text)
    for note in result.notes:
        messages.warning(request, note)
    url = getattr(instance, "get_absolute_url", None)
    return redirect(url() if url else "deleted-records")


class AccessRecordListView(
    AdministratorRequiredMixin, TableExportMixin, SingleTableMixin, FilterView
):
    model = AccessRecord
    filterset_class = AccessRecordFilter
    table_class = AccessRecordTable
    template_name = "audit/accessrecord_list.html"
    paginate_by = 100
    export_name = "個人情報の利用記録"
    export_ascii_name = "personal-data-access-records"

    def get_queryset(self):
        return AccessRecord.objects.select_related("user", "area", "group__council__area")

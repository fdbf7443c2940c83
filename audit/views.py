"""The administrators' pages of the audit: deleted records with restore, and the review of
personal-data access records (個人情報の利用記録).

The city's security policy asks for a periodic review of who viewed, exported or imported
supporters' personal data: the review lists the records with filters (period, user, action,
area) and exports the filtered list. Only administrators see these pages; to anyone else
they answer 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_filters.views import FilterView
from django_tables2.views import SingleTableMixin

from accounts.access import AdministratorRequiredMixin, administrator_required
from audit import history
from audit.filters import AccessRecordFilter
from audit.models import AccessRecord
from audit.tables import AccessRecordTable
from core.exports import TableExportMixin


@administrator_required
@require_GET
def deleted_list(request):
    return render(request, "audit/deleted_list.html", {"groups": history.deleted_groups()})


@require_POST
@administrator_required
def restore(request, model_name, history_id):
    try:
        instance = history.restore(model_name, history_id)
    except LookupError as error:
        raise Http404 from error
    except history.RestoreRefused as error:
        messages.error(request, str(error))
        return redirect("deleted-records")
    verbose_name = type(instance)._meta.verbose_name
    messages.success(request, f"{verbose_name}「{instance}」を元に戻しました。")
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

    def get_queryset(self):
        return AccessRecord.objects.select_related("user", "area", "group__council__area")

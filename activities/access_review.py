"""The administrators' review of personal-data access records (個人情報の利用記録).

The city's security policy asks for a periodic review of who viewed, exported or imported
supporters' personal data. This page lists the records with filters (period, user, action,
area) and exports the filtered list. Only administrators see it; anyone else gets 404.
The filter, table and view live together here, apart from the app's other pages, so that
the whole of the review reads in one place.
"""

import csv
import io
from datetime import datetime
from urllib.parse import quote

import django_filters
import django_tables2 as tables
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.utils import timezone
from django_filters.views import FilterView
from django_tables2.views import SingleTableMixin

from activities.models import AccessAction, AccessRecord
from councils.models import Area
from iwaki_support.filters import NameChoiceFilter
from iwaki_support.forms import WarekiDateField
from iwaki_support.roles import Role, role_of
from iwaki_support.wareki import format_date


class WarekiDateFilter(django_filters.DateFilter):
    field_class = WarekiDateField


class AccessRecordFilter(django_filters.FilterSet):
    since = WarekiDateFilter(field_name="at", lookup_expr="date__gte", label="期間(から)")
    until = WarekiDateFilter(field_name="at", lookup_expr="date__lte", label="期間(まで)")
    user = django_filters.ModelChoiceFilter(
        label="利用者",
        queryset=get_user_model().objects.order_by("username"),
        empty_label="すべての利用者",
    )
    action = django_filters.ChoiceFilter(
        label="操作", choices=AccessAction.choices, empty_label="すべての操作"
    )
    area = NameChoiceFilter(label="圏域", queryset=Area.objects.all(), empty_label="すべての圏域")

    class Meta:
        model = AccessRecord
        fields = ["since", "until", "user", "action", "area"]


class AccessRecordTable(tables.Table):
    at = tables.Column("日時")
    user = tables.Column("利用者", default="(不明)")
    action = tables.Column("操作")
    what = tables.Column("対象")
    area = tables.Column("圏域", default="")
    group = tables.Column("団体", default="")
    rows = tables.Column("件数", attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    address = tables.Column("接続元", default="")

    class Meta:
        model = AccessRecord
        fields = ["at", "user", "action", "what", "area", "group", "rows", "address"]
        order_by = "-at"

    def render_at(self, value):
        local = timezone.localtime(value)
        return f"{format_date(local.date())} {local:%H:%M:%S}"

    def value_at(self, value):
        return timezone.localtime(value).replace(tzinfo=None)

    def value_user(self, value):
        return value.get_username() if value else ""

    def value_area(self, value):
        return str(value) if value else ""

    def value_group(self, value):
        return str(value) if value else ""


# A text cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_response(table, name):
    """The whole table (every page, as filtered and sorted) as CSV that Excel opens: UTF-8 + BOM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in table.as_values():
        writer.writerow([csv_cell(value) for value in row])
    filename = f"{name}_{timezone.localdate():%Y%m%d}.csv"
    response = HttpResponse(("\ufeff" + out.getvalue()).encode(), content_type="text/csv")
    response["Content-Disposition"] = (
        f"attachment; filename=\"access_records.csv\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


class AdministratorOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and role_of(request.user) != Role.ADMINISTRATOR:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class AccessRecordListView(AdministratorOnlyMixin, SingleTableMixin, FilterView):
    model = AccessRecord
    filterset_class = AccessRecordFilter
    table_class = AccessRecordTable
    template_name = "activities/accessrecord_list.html"
    paginate_by = 100

    export_name = "個人情報の利用記録"

    def get_queryset(self):
        return AccessRecord.objects.select_related("user", "area", "group__council__area")

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("_export") == "csv":
            return csv_response(self.get_table(**self.get_table_kwargs()), self.export_name)
        return super().render_to_response(context, **response_kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query["_export"] = "csv"
        context["export_query"] = query.urlencode()
        return context

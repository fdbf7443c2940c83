"""Site-wide pages: home, the district status table, the city profile and outcomes."""

import itertools
from functools import cached_property

from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.access import ReaderRequiredMixin, reader_required
from activities.models import (
    FigureCategory,
    KeyFigure,
    NoteTopic,
    ProgrammeNote,
    SupportGroup,
)
from activities.supporter_totals import SupporterTotals
from coordinators.models import Coordinator
from core.charts import bar_chart
from core.exports import TableExportMixin
from core.wareki import default_fiscal_year, fiscal_year_of, format_fiscal_year
from councils.models import Council, Meeting, MeetingStatus, Opinion, Tier
from councils.schedule import fiscal_years_with_records
from directory.home import reconfirm_section
from needs_survey.models import Classification, HelpCategory
from reports.filters import StatusFilter
from reports.status import (
    StatusTotals,
    area_status_rows,
    district_totals,
)
from reports.tables import StatusTable


@reader_required
@require_GET
def home(request):
    years = fiscal_years_with_records()
    fiscal_year = default_fiscal_year(years, timezone.localdate())
    councils = Council.objects.filter(tier=Tier.SECOND).aggregate(
        total=Count("pk"), established=Count("pk", filter=Q(is_established=True))
    )
    meetings = Meeting.objects.filter(council__tier=Tier.SECOND, fiscal_year=fiscal_year).aggregate(
        held=Count("pk", filter=Q(status=MeetingStatus.HELD)),
        planned=Count("pk", filter=Q(status=MeetingStatus.PLANNED)),
    )
    groups = SupportGroup.objects.aggregate(
        total=Count("pk"), model=Count("pk", filter=Q(model_number__isnull=False))
    )
    context = {
        "fiscal_year": fiscal_year,
        "councils": councils,
        "meetings": meetings,
        "groups": groups,
        "supporters": SupporterTotals.compute(),
        "coordinators": Coordinator.objects.count(),
        "figures": KeyFigure.objects.filter(category=FigureCategory.PROFILE),
        "reconfirm": reconfirm_section(request.user),
    }
    return render(request, "reports/home.html", context)


class StatusTableView(ReaderRequiredMixin, TableExportMixin, SingleTableMixin, FilterView):
    """圏域別の状況: one row per area for a fiscal year, filterable, sortable, exportable."""

    filterset_class = StatusFilter
    table_class = StatusTable
    # Iwaki's 13 areas fit one page; at a hundred times the size, rendering every row of the
    # city on one page is what makes it slow (bench/README.md, "Load test"). Totals and exports still
    # cover every row.
    table_pagination = {"per_page": 100}
    template_name = "reports/status_table.html"

    @cached_property
    def recorded_years(self):
        return fiscal_years_with_records()

    @cached_property
    def default_year(self):
        return default_fiscal_year(self.recorded_years, timezone.localdate())

    @cached_property
    def fiscal_years(self):
        current = fiscal_year_of(timezone.localdate())
        return sorted(set(self.recorded_years) | {current}, reverse=True)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["fiscal_years"] = self.fiscal_years
        if not self.request.GET.get("fiscal_year"):
            # Show the year the table shows, not the first option of the list.
            kwargs["data"] = self.request.GET.copy()
            kwargs["data"]["fiscal_year"] = self.default_year
        return kwargs

    @property
    def fiscal_year(self):
        form = self.filterset.form
        if form.is_valid() and form.cleaned_data.get("fiscal_year"):
            return form.cleaned_data["fiscal_year"]
        return self.default_year

    @cached_property
    def rows(self):
        return area_status_rows(self.object_list, fiscal_year=self.fiscal_year)

    def get_table_data(self):
        return list(self.rows)

    def get_table_kwargs(self):
        return {"totals": StatusTotals.of(self.rows)}

    def get_export_name(self):
        return f"圏域別状況_{format_fiscal_year(self.fiscal_year)}"

    def get_export_rows(self, table):
        headers, rows = super().get_export_rows(table)
        columns = [c for c in table.columns.iterall() if not c.column.exclude_from_export]
        totals = [c.footer if c.has_footer() else None for c in columns]
        return headers, itertools.chain(rows, [totals])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["fiscal_year"] = self.fiscal_year
        page_rows = [bound.record for bound in context["table"].page.object_list]
        context["chart"] = supporters_chart(page_rows, self.fiscal_year)
        context["district_totals"] = district_totals(self.rows)
        context["supervisors"] = Coordinator.objects.filter(supervises_all=True)
        return context


def supporters_chart(rows, fiscal_year):
    items = [(row.area.name, row.reported_supporters, row.area.get_absolute_url()) for row in rows]
    total = sum(value or 0 for _, value, _ in items)
    return bar_chart(
        items,
        title=f"圏域別のサポーター数(報告値) {format_fiscal_year(fiscal_year)}",
        description=(
            "第3層の支え合い活動団体が報告した登録サポーター数を圏域ごとに合計した棒グラフ。"
            f"合計{total}人。"
            + "、".join(f"{label} {value or 0}人" for label, value, _ in items)
            + "。"
        ),
        unit="人",
    )


def programme_notes():
    """Every ProgrammeNote by topic: ``{"plan_ahead": {"key", "label", "notes"}, …}``."""
    notes = list(ProgrammeNote.objects.all())
    return {
        value: {"key": value, "label": label, "notes": [n for n in notes if n.topic == value]}
        for value, label in NoteTopic.choices
    }


@reader_required
@require_GET
def outcomes(request):
    """City profile and programme outcomes: every figure with its date and source, the model
    project, the opinions and plan ahead, the portal いごく and every note of the report."""
    figures = KeyFigure.objects.all()
    figures_by_category = [
        (label, [f for f in figures if f.category == value])
        for value, label in FigureCategory.choices
    ]
    context = {"notes": programme_notes()}
    opinions = Opinion.objects.filter(meeting__isnull=True).prefetch_related("help_categories")
    opinion_years = sorted({o.fiscal_year for o in opinions}, reverse=True)
    context |= {
        "figures_by_category": figures_by_category,
        "model_groups": SupportGroup.objects.model_districts()
        .select_related("council__area")
        .order_by("model_number"),
        "opinions_by_year": [
            (fy, [o for o in opinions if o.fiscal_year == fy]) for fy in opinion_years
        ],
        "tier1": Council.objects.filter(tier=Tier.FIRST).first(),
        "help_categories": HelpCategory.objects.all(),
        "classifications": Classification.choices,
        "supporters": SupporterTotals.compute(),
        "links": {
            "status": reverse("status"),
            "groups": reverse("activities:supportgroup-list"),
        },
    }
    return render(request, "reports/outcomes.html", context)

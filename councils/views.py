"""Councils, areas and the fiscal-year meeting schedule: pages every programme member reads."""

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from councils.filters import AreaFilter, CouncilFilter
from councils.models import Area, Council, Meeting, Membership, Opinion, SchedulePhase, Tier
from councils.schedule import schedule_phases, schedule_rows, sequences_of
from councils.tables import CouncilTable, ScheduleTable
from iwaki_support.access import ReaderRequiredMixin, reader_required
from iwaki_support.exports import TableExportMixin
from iwaki_support.wareki import WarekiError, fiscal_year_of, format_fiscal_year


def _schedule_years():
    years = set(SchedulePhase.objects.order_by().values_list("fiscal_year", flat=True).distinct())
    years |= set(Meeting.objects.order_by().values_list("fiscal_year", flat=True).distinct())
    return sorted(years, reverse=True)


@reader_required
def schedule_current(request):
    """The schedule of the current fiscal year, or of the latest one recorded before it."""
    current = fiscal_year_of(timezone.localdate())
    years = [y for y in _schedule_years() if y <= current]
    return redirect(
        "councils:schedule", fiscal_year=current if current in years or not years else years[0]
    )


class ScheduleView(ReaderRequiredMixin, TableExportMixin, SingleTableMixin, FilterView):
    """年間スケジュール: the year's plan and, per area, the meetings planned against held."""

    filterset_class = AreaFilter
    table_class = ScheduleTable
    table_pagination = False
    template_name = "councils/schedule.html"

    def dispatch(self, request, *args, **kwargs):
        self.fiscal_year = kwargs["fiscal_year"]
        try:
            format_fiscal_year(self.fiscal_year)
        except WarekiError:
            raise Http404("年度が範囲外です") from None
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return Area.objects.select_related("district")

    def get_table_data(self):
        return self.rows

    def get_table_kwargs(self):
        self.phases = schedule_phases(self.fiscal_year)
        self.rows = schedule_rows(
            self.object_list, fiscal_year=self.fiscal_year, phases=self.phases
        )
        return {"sequences": sequences_of(self.phases, self.rows)}

    def get_export_name(self):
        return f"開催状況_{format_fiscal_year(self.fiscal_year)}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = _schedule_years()
        context.update(
            fiscal_year=self.fiscal_year,
            phases=self.phases,
            previous_year=max((y for y in years if y < self.fiscal_year), default=None),
            next_year=min((y for y in years if y > self.fiscal_year), default=None),
            held_total=sum(row.held_count for row in self.rows),
            recorded_total=sum(len(row.meetings) for row in self.rows),
        )
        return context


class CouncilListView(ReaderRequiredMixin, TableExportMixin, SingleTableMixin, FilterView):
    filterset_class = CouncilFilter
    table_class = CouncilTable
    table_pagination = {"per_page": 50}
    template_name = "councils/council_list.html"
    export_name = "協議体一覧"

    def get_queryset(self):
        return (
            Council.objects.select_related("area__district", "support_group")
            .annotate(
                organisation_count=Count("memberships", distinct=True),
                # A subquery, not a Sum over the join: the meetings join would multiply it.
                member_count=Subquery(
                    Membership.objects.filter(council=OuterRef("pk"))
                    .values("council")
                    .annotate(total=Sum("members"))
                    .values("total")
                ),
                meeting_count=Count("meetings", distinct=True),
            )
            .order_by("tier", "area__position", "name")
        )


class CouncilDetailView(ReaderRequiredMixin, DetailView):
    """A council: members by organisation, its meetings by fiscal year, the opinions voiced."""

    template_name = "councils/council_detail.html"

    def get_queryset(self):
        return Council.objects.select_related("area__district", "support_group")

    def get_context_data(self, **kwargs):
        council = self.object
        meetings = list(
            council.meetings.order_by("-fiscal_year", "sequence").prefetch_related(
                Prefetch("opinions", queryset=Opinion.objects.prefetch_related("help_categories")),
                "organisations_present",
            )
        )
        memberships = Membership.objects.filter(council=council).select_related("organisation_type")
        return super().get_context_data(
            memberships=memberships,
            members_known=sum(m.members or 0 for m in memberships),
            meetings=meetings,
            opinions=[o for m in meetings for o in m.opinions.all()],
            group=getattr(council, "support_group", None),
            **kwargs,
        )


class AreaDetailView(ReaderRequiredMixin, DetailView):
    """An area: its district, coordinators, tier-2 council and meetings, tier-3 groups.

    Reads coordinators and groups through their reverse relations, so that councils does
    not import the apps that depend on it.
    """

    template_name = "councils/area_detail.html"
    queryset = Area.objects.select_related("district")

    def get_context_data(self, **kwargs):
        area = self.object
        council = Council.objects.filter(tier=Tier.SECOND, area=area).first()
        meetings = (
            council.meetings.order_by("-fiscal_year", "sequence")
            if council
            else Meeting.objects.none()
        )
        group_councils = (
            Council.objects.filter(tier=Tier.THIRD, area=area, support_group__isnull=False)
            .select_related("support_group")
            .prefetch_related("support_group__supporter_counts")
            .annotate(
                registered=Count(
                    "support_group__supporters",
                    filter=Q(support_group__supporters__active=True),
                )
            )
            .order_by("support_group__model_number", "name")
        )
        return super().get_context_data(
            council=council,
            meetings=meetings,
            group_councils=group_councils,
            coordinators=area.coordinators.order_by("number"),
            **kwargs,
        )

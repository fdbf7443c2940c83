"""Support groups (tier 3): their services and supporter counts. Counts only, never names."""

from django.db.models import Prefetch
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from activities.filters import SupportGroupFilter
from activities.models import GroupService, SupportGroup
from activities.supporter_totals import SupporterTotals
from activities.tables import SupportGroupTable
from iwaki_support.access import ReaderRequiredMixin
from iwaki_support.exports import TableExportMixin


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

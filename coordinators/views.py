"""The coordinators: placement, areas covered, since when."""

from django.views.generic import DetailView
from django_tables2 import SingleTableView

from coordinators.models import Coordinator
from coordinators.tables import CoordinatorTable
from councils.models import Council, Tier
from iwaki_support.access import ReaderRequiredMixin
from iwaki_support.exports import TableExportMixin


class CoordinatorListView(ReaderRequiredMixin, TableExportMixin, SingleTableView):
    table_class = CoordinatorTable
    table_pagination = {"per_page": 50}
    template_name = "coordinators/coordinator_list.html"
    export_name = "生活支援コーディネーター"

    def get_queryset(self):
        return Coordinator.objects.select_related("district").prefetch_related("areas")


class CoordinatorDetailView(ReaderRequiredMixin, DetailView):
    template_name = "coordinators/coordinator_detail.html"

    def get_queryset(self):
        return Coordinator.objects.select_related("district")

    def get_context_data(self, **kwargs):
        areas = self.object.covered_areas().select_related("district")
        councils = {c.area_id: c for c in Council.objects.filter(tier=Tier.SECOND, area__in=areas)}
        return super().get_context_data(
            areas=[(area, councils.get(area.pk)) for area in areas], **kwargs
        )

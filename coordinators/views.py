"""The coordinators: placement, areas covered, since when."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, ListView

from accounts.access import ReaderRequiredMixin, reader_required
from accounts.roles import can_read, coordinator_of
from coordinators.calendar import meeting_calendar
from coordinators.models import CalendarToken, Coordinator
from coordinators.tables import CoordinatorTable
from core.exports import TableExportMixin
from core.tables import SingleTableMixin
from councils.models import Area, Council, Meeting, Tier


class CoordinatorListView(ReaderRequiredMixin, TableExportMixin, SingleTableMixin, ListView):
    table_class = CoordinatorTable
    table_pagination = {"per_page": 50}
    template_name = "coordinators/coordinator_list.html"
    export_name = "生活支援コーディネーター"
    export_ascii_name = "coordinators"
    export_row_label = "配置場所"

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


@reader_required
@require_GET
def calendar_links(request):
    """The user's feed URLs (their own areas, and each area), with a reset button."""
    token = CalendarToken.for_user(request.user).token
    coordinator = coordinator_of(request.user)

    def absolute(name, pk):
        return request.build_absolute_uri(reverse(name, args=[token, pk]))

    return render(
        request,
        "coordinators/calendartoken_detail.html",
        {
            "mine": absolute("coordinators:calendar-coordinator", coordinator.pk)
            if coordinator
            else None,
            "coordinators": [
                (c, absolute("coordinators:calendar-coordinator", c.pk))
                for c in Coordinator.objects.all()
            ],
            "areas": [
                (area, absolute("coordinators:calendar-area", area.pk))
                for area in Area.objects.all()
            ],
        },
    )


@require_POST
@reader_required
def calendar_reset(request):
    CalendarToken.for_user(request.user).reset()
    messages.success(
        request,
        "カレンダーのURLを新しくしました。これまでのURLは使えません。カレンダーアプリに登録し直してください。",
    )
    return redirect("coordinators:calendar")


def _feed_user(token):
    found = CalendarToken.objects.select_related("user").filter(token=token).first()
    if found is None or not can_read(found.user):
        raise Http404
    return found.user


def _feed(request, meetings, title):
    body = meeting_calendar(meetings, title=title, build_absolute_uri=request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def coordinator_feed(request, token, pk):
    """Planned and held meetings of the areas a coordinator covers."""
    user = _feed_user(token)
    coordinator = get_object_or_404(Coordinator, pk=pk)
    meetings = (
        Meeting.objects.visible_to(user)
        .for_calendar()
        .filter(council__area__in=coordinator.covered_areas())
    )
    return _feed(request, meetings, f"{coordinator.placement} 担当圏域の会議")


@require_GET
def area_feed(request, token, pk):
    user = _feed_user(token)
    area = get_object_or_404(Area, pk=pk)
    meetings = Meeting.objects.visible_to(user).for_calendar().filter(council__area=area)
    return _feed(request, meetings, f"{area.name} の会議")

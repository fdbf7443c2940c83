"""The district status table (圏域別の状況): one row per area for a fiscal year.

It draws on councils, coordinators, needs_survey and activities at once, so it lives in
``reports``, above every domain app: it may import them all and none imports it
(docs/architecture.md, "The import rule and how it is enforced").

``area_status_rows`` builds the rows with a fixed number of queries whatever the number of
areas, groups or meetings: each ``_add_*`` step makes one or two queries for all the areas at
once and fills its fields on the rows. To add a column group (survey progress, open items),
declare its fields on ``AreaStatus``, write one such step, call it from ``area_status_rows``
and add the column to ``reports.tables.StatusTable`` (and to ``StatusTotals`` if it sums).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from activities.models import SupportGroup
from coordinators.models import Coordinator
from core.wareki import fiscal_year_bounds
from councils.models import (
    Area,
    Council,
    District,
    Meeting,
    MeetingStatus,
    Opinion,
    Tier,
)
from needs_survey.models import ProgressStatus, Survey, SurveyProgress

# The tier-2 councils meet three times a fiscal year (第1回 July, 第2回 November, 第3回 February).
MEETING_SEQUENCES = (1, 2, 3)


@dataclass
class AreaStatus:
    """What the status table shows for one area in one fiscal year."""

    area: Area
    coordinators: list[Coordinator] = field(default_factory=list)
    council: Council | None = None
    meetings: dict[int, Meeting] = field(default_factory=dict)
    groups: int = 0
    reported_supporters: int | None = None
    reported_as_of_first: date | None = None
    reported_as_of_last: date | None = None
    registered_supporters: int = 0
    survey_progress: SurveyProgress | None = None
    # Opinions and needs raised in the area's meetings (up to this fiscal year) still open.
    open_items: int = 0

    @property
    def district(self) -> District:
        return self.area.district

    @property
    def established_on(self) -> date | None:
        return self.council.established_on if self.council else None

    @property
    def coordinator_names(self) -> str:
        return "、".join(str(c) for c in self.coordinators)

    @property
    def coordinator_order(self) -> int | None:
        """Sort key: the placement number of the first coordinator (the report's order)."""
        return min((c.number for c in self.coordinators), default=None)

    @property
    def survey_progress_order(self) -> tuple[int, int]:
        """Sort key: not started, then entered by categories classified, then complete."""
        progress = self.survey_progress
        if progress is None:
            return (0, 0)
        rank = list(ProgressStatus).index(progress.status)
        return (rank, progress.classified)

    def meeting(self, sequence: int) -> Meeting | None:
        return self.meetings.get(sequence)

    # One attribute per meeting column, so that tables can sort and export them by accessor.
    @property
    def meeting_1(self):
        return self.meeting(1)

    @property
    def meeting_2(self):
        return self.meeting(2)

    @property
    def meeting_3(self):
        return self.meeting(3)

    @property
    def meeting_1_date(self):
        return _meeting_date(self.meeting(1))

    @property
    def meeting_2_date(self):
        return _meeting_date(self.meeting(2))

    @property
    def meeting_3_date(self):
        return _meeting_date(self.meeting(3))


def _meeting_date(meeting):
    return meeting.date if meeting else None


def area_status_rows(areas, *, fiscal_year: int) -> list[AreaStatus]:
    """The status rows of ``areas`` (a QuerySet of Area) for ``fiscal_year``, in area order."""
    rows = [AreaStatus(area=area) for area in areas.select_related("district").order_by("position")]
    by_area = {row.area.pk: row for row in rows}
    if not rows:
        return rows
    _add_coordinators(by_area)
    _add_councils_and_meetings(by_area, fiscal_year)
    _add_groups_and_supporters(by_area, fiscal_year)
    _add_survey_progress(by_area, fiscal_year)
    _add_open_items(by_area, fiscal_year)
    return rows


def _add_coordinators(by_area):
    """The coordinators whose areas include each area (the headquarters one is noted once)."""
    links = (
        Coordinator.areas.through.objects.filter(area_id__in=by_area)
        .select_related("coordinator")
        .order_by("coordinator__number")
    )
    for link in links:
        by_area[link.area_id].coordinators.append(link.coordinator)


# What a status row shows of a meeting (its cell, status and link): the long texts stay in the
# database, which matters when the table covers a whole city of a thousand areas.
MEETING_FIELDS = ("council", "fiscal_year", "sequence", "status", "planned_month", "held_on")


def _add_councils_and_meetings(by_area, fiscal_year):
    councils = Council.objects.filter(tier=Tier.SECOND, area_id__in=by_area)
    area_of = {}
    for council in councils:
        by_area[council.area_id].council = council
        area_of[council.pk] = council.area_id
    meetings = (
        Meeting.objects.filter(council_id__in=area_of, fiscal_year=fiscal_year)
        .only(*MEETING_FIELDS)
        .order_by()
    )
    for meeting in meetings:
        row = by_area[area_of[meeting.council_id]]
        meeting.council = row.council  # the same object: no query when a cell asks for it
        row.meetings[meeting.sequence] = meeting


def _add_open_items(by_area, fiscal_year):
    """Opinions and needs of meetings up to ``fiscal_year`` whose response is still open."""
    counts = Opinion.objects.filter(
        meeting__council__area_id__in=by_area, meeting__fiscal_year__lte=fiscal_year
    ).open_counts_by_area()
    for area_id, count in counts.items():
        by_area[area_id].open_items = count


def _add_groups_and_supporters(by_area, fiscal_year):
    """Tier-3 groups, their latest reported supporter counts (as of the fiscal year's end at the
    latest) and the supporters registered in the system now."""
    _, year_end = fiscal_year_bounds(fiscal_year)
    groups = (
        SupportGroup.objects.filter(council__area_id__in=by_area)
        .with_registered_counts()
        .with_latest_reported_count(until=year_end)
        .values("council__area_id", "registered_supporters", "reported_count", "reported_as_of")
    )
    for group in groups:
        row = by_area[group["council__area_id"]]
        row.groups += 1
        row.registered_supporters += group["registered_supporters"]
        if group["reported_count"] is not None:
            row.reported_supporters = (row.reported_supporters or 0) + group["reported_count"]
            as_of = group["reported_as_of"]
            row.reported_as_of_first = min(filter(None, [row.reported_as_of_first, as_of]))
            row.reported_as_of_last = max(filter(None, [row.reported_as_of_last, as_of]))


def _add_survey_progress(by_area, fiscal_year):
    """Each area's needs survey of the year: 未着手 / 入力中 (n/13) / 分類済み. Two queries."""
    progress = Survey.objects.progress_by_area(
        fiscal_year, areas=[row.area for row in by_area.values()]
    )
    for area_id, row in by_area.items():
        row.survey_progress = progress[area_id]


@dataclass
class StatusTotals:
    """The totals row: sums over the rows shown."""

    areas: int
    councils_established: int
    meetings_held: dict[int, int]
    meetings_recorded: dict[int, int]
    groups: int
    reported_supporters: int
    registered_supporters: int
    surveys_started: int = 0
    surveys_complete: int = 0
    open_items: int = 0

    @classmethod
    def of(cls, rows: list[AreaStatus]) -> StatusTotals:
        return cls(
            areas=len(rows),
            councils_established=sum(1 for r in rows if r.council and r.council.is_established),
            meetings_held={
                n: sum(1 for r in rows if (m := r.meeting(n)) and m.status == MeetingStatus.HELD)
                for n in MEETING_SEQUENCES
            },
            meetings_recorded={n: sum(1 for r in rows if r.meeting(n)) for n in MEETING_SEQUENCES},
            groups=sum(r.groups for r in rows),
            reported_supporters=sum(r.reported_supporters or 0 for r in rows),
            registered_supporters=sum(r.registered_supporters for r in rows),
            surveys_started=sum(1 for r in rows if r.survey_progress and r.survey_progress.survey),
            surveys_complete=sum(
                1
                for r in rows
                if r.survey_progress and r.survey_progress.status == ProgressStatus.COMPLETE
            ),
            open_items=sum(r.open_items for r in rows),
        )


def district_totals(rows: list[AreaStatus]) -> list[tuple[District, StatusTotals]]:
    """Subtotals per district, in district order, over the rows given."""
    districts: dict[int, tuple[District, list[AreaStatus]]] = {}
    for row in rows:
        districts.setdefault(row.district.pk, (row.district, []))[1].append(row)
    ordered = sorted(districts.values(), key=lambda item: item[0].position)
    return [(district, StatusTotals.of(district_rows)) for district, district_rows in ordered]

"""The meeting schedule of a fiscal year: the plan, and per area what was planned and held."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.urls import reverse

from councils.models import Area, Council, Meeting, MeetingStatus, SchedulePhase, Tier


@dataclass
class ScheduleRow:
    """One area: its tier-2 council's meetings of the year by sequence, with the plan beside."""

    area: Area
    meetings: dict[int, Meeting] = field(default_factory=dict)
    phases: dict[int, SchedulePhase] = field(default_factory=dict)
    council: Council | None = None  # the area's tier-2 council
    fiscal_year: int | None = None
    can_log: bool = False  # whether the user may log this area's meetings

    def planned_month(self, sequence):
        """The month planned: the meeting's own, or else the year's plan for that sequence."""
        meeting = self.meetings.get(sequence)
        if meeting and meeting.planned_month:
            return meeting.planned_month
        phase = self.phases.get(sequence)
        return phase.starts_in if phase else None

    def held_on(self, sequence):
        meeting = self.meetings.get(sequence)
        return meeting.held_on if meeting and meeting.status == MeetingStatus.HELD else None

    def status(self, sequence):
        meeting = self.meetings.get(sequence)
        return meeting.get_status_display() if meeting else "記録なし"

    def meeting_url(self, sequence):
        meeting = self.meetings.get(sequence)
        return meeting.get_absolute_url() if meeting else None

    def log_url(self, sequence):
        """Where to log 第n回, for those who may: the planned meeting whose day came or month
        is over, or a new one with council, year and number filled in; else None."""
        if not self.can_log or self.council is None:
            return None
        meeting = self.meetings.get(sequence)
        if meeting is not None:
            return reverse("councils:meeting-update", args=[meeting.pk]) if meeting.is_due else None
        return (
            f"{reverse('councils:meeting-create')}?council={self.council.pk}"
            f"&fiscal_year={self.fiscal_year}&sequence={sequence}"
        )

    @property
    def held_count(self):
        return sum(1 for m in self.meetings.values() if m.status == MeetingStatus.HELD)

    def __getattr__(self, name):
        # planned_1, held_1, status_1, … for table accessors.
        for prefix, method in (("planned_", self.planned_month), ("held_", self.held_on)):
            if name.startswith(prefix) and name[len(prefix) :].isdigit():
                return method(int(name[len(prefix) :]))
        if name.startswith("status_") and name[7:].isdigit():
            return self.status(int(name[7:]))
        raise AttributeError(name)


def schedule_phases(fiscal_year):
    return list(SchedulePhase.objects.filter(fiscal_year=fiscal_year))


def schedule_rows(areas, *, fiscal_year, phases, loggable_area_ids=()) -> list[ScheduleRow]:
    """Rows for ``areas`` in ``fiscal_year``: three queries whatever the number of areas.
    Rows of ``loggable_area_ids`` offer to log their missing and due meetings."""
    loggable = set(loggable_area_ids)
    rows = [
        ScheduleRow(area=area, fiscal_year=fiscal_year, can_log=area.pk in loggable)
        for area in areas.select_related("district")
    ]
    by_area = {row.area.pk: row for row in rows}
    by_sequence = {phase.sequence: phase for phase in phases if phase.sequence}
    for row in rows:
        row.phases = by_sequence
    for council in Council.objects.filter(tier=Tier.SECOND, area_id__in=by_area):
        by_area[council.area_id].council = council
    meetings = Meeting.objects.filter(
        council__tier=Tier.SECOND, council__area_id__in=by_area, fiscal_year=fiscal_year
    ).select_related("council")
    for meeting in meetings:
        by_area[meeting.council.area_id].meetings[meeting.sequence] = meeting
    return rows


def sequences_of(phases, rows):
    """第n回 numbers to show: those of the plan and of any meeting recorded."""
    numbers = {p.sequence for p in phases if p.sequence}
    for row in rows:
        numbers |= set(row.meetings)
    return sorted(numbers) or [1, 2, 3]


def fiscal_years_with_records() -> list[int]:
    """Fiscal years that have a schedule or meetings, newest first."""
    years = set(_distinct_meeting_years())
    years |= set(SchedulePhase.objects.order_by().values_list("fiscal_year", flat=True).distinct())
    return sorted(years, reverse=True)


def _distinct_meeting_years() -> list[int]:
    """The distinct fiscal years of all meetings, by a loose index scan: one probe of the
    fiscal_year index per year instead of a pass over every meeting (138,000 at a hundred
    times Iwaki's size took 40 ms; this takes well under one). Portable SQL: PostgreSQL and
    SQLite both run recursive CTEs."""
    table = connection.ops.quote_name(Meeting._meta.db_table)
    sql = f"""
        WITH RECURSIVE years(fiscal_year) AS (
            SELECT MIN(fiscal_year) FROM {table}
            UNION ALL
            SELECT (SELECT MIN(fiscal_year) FROM {table} WHERE fiscal_year > years.fiscal_year)
            FROM years WHERE years.fiscal_year IS NOT NULL
        )
        SELECT fiscal_year FROM years WHERE fiscal_year IS NOT NULL
    """  # noqa: S608 - the table name is the model's, not input
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def year_row(council, fiscal_year, *, can_log=False) -> ScheduleRow:
    """One tier-2 council's 第n回 of ``fiscal_year`` against the year's plan, as the schedule
    shows an area: for the area and council pages. Two queries."""
    phases = schedule_phases(fiscal_year)
    row = ScheduleRow(
        area=council.area,
        council=council,
        fiscal_year=fiscal_year,
        can_log=can_log,
        phases={phase.sequence: phase for phase in phases if phase.sequence},
    )
    for meeting in council.meetings.filter(fiscal_year=fiscal_year):
        row.meetings[meeting.sequence] = meeting
    row.sequences = sequences_of(phases, [row])
    return row

"""A fiscal year's plan made from the previous one: read and planned here, written by
``councils.services.create_year_plan`` (a plan shown in the preview is the plan confirmed).

The plan of a year is its phases (``SchedulePhase``: 第1回 from July, 第2回 from November, …,
and the year-round tasks) and, for every tier-2 council, a planned meeting of each 第n回 with
its month. ``draft_from`` copies the phases a year on, and gives each council's 第n回 the
month it met in the source year (a year on), or, when it has no meeting of that number,
the month its phase starts. The schedule, the status table and the coordinators' home pages
then show the new year's planned meetings; staff adjust them on the plan's edit page.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from core.wareki import format_fiscal_year
from councils.models import Council, Meeting, SchedulePhase, Tier


class PlanRefused(Exception):
    """The plan cannot be made as asked; the message says why, in Japanese."""


@dataclass
class PlannedMeeting:
    """One council's 第n回 in the new year: its month and where the month came from, or the
    meeting already recorded (then left as it is)."""

    council: Council
    sequence: int
    month: date | None
    source: str
    existing: Meeting | None = None

    @property
    def created(self) -> bool:
        return self.existing is None


@dataclass
class PlanDraft:
    fiscal_year: int
    source_year: int
    phases: list[SchedulePhase] = field(default_factory=list)
    meetings: list[PlannedMeeting] = field(default_factory=list)

    @property
    def sequences(self) -> list[int]:
        return sorted({p.sequence for p in self.phases if p.sequence})

    def rows(self):
        """Per council, its planned meetings in 第n回 order: the preview's grid."""
        by_council: dict[int, list[PlannedMeeting]] = {}
        councils = {}
        for planned in self.meetings:
            by_council.setdefault(planned.council.pk, []).append(planned)
            councils[planned.council.pk] = planned.council
        return [
            (councils[pk], sorted(items, key=lambda p: p.sequence))
            for pk, items in by_council.items()
        ]

    @property
    def to_create(self) -> list[PlannedMeeting]:
        return [m for m in self.meetings if m.created]

    def digest(self) -> str:
        """What the preview showed, as a hash: confirming writes only this very plan."""
        content = {
            "year": self.fiscal_year,
            "source": self.source_year,
            "phases": [
                [p.position, p.sequence, _iso(p.starts_in), p.title, p.topics, p.note]
                for p in self.phases
            ],
            "meetings": [
                [m.council.pk, m.sequence, _iso(m.month), m.existing.pk if m.existing else None]
                for m in self.meetings
            ],
        }
        encoded = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(encoded).hexdigest()


def _iso(value):
    return value.isoformat() if value else None


def source_year_for(fiscal_year: int) -> int | None:
    """The latest fiscal year before ``fiscal_year`` that has a plan."""
    return (
        SchedulePhase.objects.filter(fiscal_year__lt=fiscal_year)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .first()
    )


def shift_years(month: date | None, years: int) -> date | None:
    return month.replace(year=month.year + years, day=1) if month else None


def draft_from(*, fiscal_year: int, source_year: int) -> PlanDraft:
    """The plan of ``fiscal_year`` made from that of ``source_year``; nothing is written.

    Raises ``PlanRefused`` when ``fiscal_year`` has a plan already or ``source_year`` none.
    Four queries whatever the number of councils.
    """
    if SchedulePhase.objects.filter(fiscal_year=fiscal_year).exists():
        raise PlanRefused("この年度の計画はすでにあります。計画の編集で変えてください。")
    years = fiscal_year - source_year
    source_phases = list(SchedulePhase.objects.filter(fiscal_year=source_year))
    if not source_phases:
        raise PlanRefused("元にする年度の計画がありません。")
    phases = [
        SchedulePhase(
            fiscal_year=fiscal_year,
            position=phase.position,
            sequence=phase.sequence,
            starts_in=shift_years(phase.starts_in, years),
            title=phase.title,
            topics=phase.topics,
            note=phase.note,
        )
        for phase in source_phases
    ]
    phase_month = {p.sequence: p.starts_in for p in phases if p.sequence}
    councils = list(
        Council.objects.filter(tier=Tier.SECOND, is_established=True)
        .select_related("area")
        .order_by("area__position")
    )
    source_meetings = {
        (m.council_id, m.sequence): m
        for m in Meeting.objects.filter(council__in=councils, fiscal_year=source_year)
    }
    existing = {
        (m.council_id, m.sequence): m
        for m in Meeting.objects.filter(council__in=councils, fiscal_year=fiscal_year)
    }
    met_in = (
        "前年度に開いた月"
        if years == 1
        else f"{format_fiscal_year(source_year)}に開いた月({years}年後)"
    )
    meetings = []
    for council in councils:
        for sequence, month in sorted(phase_month.items()):
            key = (council.pk, sequence)
            if key in existing:
                meeting = existing[key]
                meetings.append(
                    PlannedMeeting(
                        council, sequence, meeting.date, "記録済み(変更しません)", meeting
                    )
                )
                continue
            before = source_meetings.get(key)
            earlier_month = shift_years(before.date, years) if before and before.date else None
            if earlier_month:
                meetings.append(PlannedMeeting(council, sequence, earlier_month, met_in))
            else:
                meetings.append(PlannedMeeting(council, sequence, month, "計画の開始月"))
    return PlanDraft(
        fiscal_year=fiscal_year, source_year=source_year, phases=phases, meetings=meetings
    )

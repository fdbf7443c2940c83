"""The year's report, 生活支援体制整備事業に関する市町村の取組, built from the records of a fiscal year.

Laid out like the city's December 2017 report (the seed of the 2017 data): 基礎データ, the
councils (set-up, background, the year's plan, establishment and meeting dates, the tier-3
groups with their supporters, the main opinions, 今後の予定), the coordinators (set-up, the
placement table, their activity, the effects and related figures) and the city's publishing.

What is a record of one year is that year's: the report's prose (``ProgrammeNote`` of the
year), the main opinions, the plan ahead, the schedule, the meetings, the journal. What is a
state (councils, coordinators, groups) is read as of the year's end. Key figures are each
figure's latest value up to the year (``KeyFigure.objects.latest_per_key``), marked when it
was recorded for an earlier year. Supporter counts are the latest on or before a date the
reader picks (by default the latest date counted within the year). Where nothing is recorded
the section says so; nothing is filled in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q

from activities.models import (
    FigureCategory,
    GroupService,
    KeyFigure,
    NoteTopic,
    ProgrammeNote,
    SupporterCount,
    SupportGroup,
)
from activities.supporter_totals import SupporterTotals
from coordinators.models import Coordinator, CoordinatorTier
from core import wareki
from councils.models import (
    Area,
    Council,
    MeetingStatus,
    Membership,
    Opinion,
    OrganisationType,
    SchedulePhase,
    Tier,
)
from councils.schedule import schedule_rows, sequences_of
from journal.rollup import Rollup, journal_rollup
from needs_survey.models import Classification, HelpCategory


@dataclass
class FigureLine:
    """A key figure as the report of a year shows it."""

    figure: KeyFigure
    fiscal_year: int

    @property
    def carried(self) -> bool:
        """Recorded for an earlier year's report: no newer value is recorded."""
        return self.figure.report_year < self.fiscal_year


@dataclass
class CouncilSetup:
    tier1: Council | None
    tier2: list[Council]
    tier2_first: date | None
    tier2_last: date | None
    tier2_undated: int
    member_types: list[OrganisationType]
    tier3_count: int
    tier3_undated: int

    @property
    def tier2_count(self) -> int:
        return len(self.tier2)

    @property
    def tier2_same_month(self) -> bool:
        first, last = self.tier2_first, self.tier2_last
        return bool(first and last and (first.year, first.month) == (last.year, last.month))


@dataclass
class GroupLine:
    group: SupportGroup
    services: list[GroupService]
    count: int | None
    count_as_of: date | None
    count_source: str


@dataclass
class CoordinatorSetup:
    coordinators: list[Coordinator]
    tier1_count: int
    tier2_count: int
    first_since: date | None
    undated: int


@dataclass
class YearReport:
    fiscal_year: int
    first_day: date
    last_day: date
    figures: dict[str, list[FigureLine]]
    notes: dict[str, list[ProgrammeNote]]
    councils: CouncilSetup
    model_groups: list[SupportGroup]
    help_categories: list[HelpCategory]
    classifications: list[tuple[str, str]]
    phases: list[SchedulePhase]
    schedule: list
    sequences: list[int]
    counts_as_of: date | None
    counts_dates: list[date]
    groups: list[GroupLine]
    supporters: SupporterTotals
    main_opinions: list[Opinion]
    coordinators: CoordinatorSetup
    activity: Rollup
    earlier_notes: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return wareki.format_fiscal_year(self.fiscal_year)

    @property
    def plan_ahead(self) -> list[ProgrammeNote]:
        return self.notes[NoteTopic.PLAN_AHEAD]

    @property
    def setup_differences(self) -> list[tuple[Council, object]]:
        """Tier-2 councils set up within the year on another day than their first meeting of
        the year held (小名浜 in 2017: 7/27 and 7/28), with that meeting."""
        rows = {row.area.pk: row for row in self.schedule}
        found = []
        for council in self.councils.tier2:
            day = council.established_on
            if not day or not self.first_day <= day <= self.last_day:
                continue
            row = rows.get(council.area_id)
            meetings = row.meetings.values() if row else []
            held = sorted(
                (m for m in meetings if m.held_on and m.status == MeetingStatus.HELD),
                key=lambda m: m.sequence,
            )
            if held and held[0].held_on != day:
                found.append((council, held[0]))
        return found

    @property
    def groups_total(self) -> int:
        return sum(line.count or 0 for line in self.groups)

    @property
    def supporters_difference(self) -> int | None:
        """The groups' sum minus the programme's own figure (299 − 288 = 11 in 2017)."""
        if self.supporters.programme_value is None or not self.groups_counted:
            return None
        return self.groups_total - self.supporters.programme_value

    @property
    def groups_counted(self) -> int:
        return sum(1 for line in self.groups if line.count is not None)


def counts_dates(fiscal_year: int) -> list[date]:
    """The dates groups' supporter counts were reported on, up to the year's end, newest first."""
    _first, last = wareki.fiscal_year_bounds(fiscal_year)
    return list(
        SupporterCount.objects.filter(as_of__lte=last)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .distinct()
    )


def default_counts_date(fiscal_year: int, dates: list[date]) -> date | None:
    """The latest date counted within the year, else the latest before it, else None."""
    first, last = wareki.fiscal_year_bounds(fiscal_year)
    within = [d for d in dates if first <= d <= last]
    if within:
        return max(within)
    return max(dates, default=None)


def figures_for(fiscal_year: int) -> dict[str, list[FigureLine]]:
    figures = KeyFigure.objects.latest_per_key(fiscal_year).order_by("category", "position", "key")
    by_category = {value: [] for value, _ in FigureCategory.choices}
    for figure in figures:
        by_category[figure.category].append(FigureLine(figure, fiscal_year))
    return by_category


def notes_for(fiscal_year: int) -> tuple[dict[str, list[ProgrammeNote]], dict[str, int]]:
    """The year's notes by topic, and for topics without any, the latest earlier year that has
    some (to point to, never to fill in)."""
    notes = {value: [] for value, _ in NoteTopic.choices}
    for note in ProgrammeNote.objects.of_year(fiscal_year).order_by("topic", "position"):
        notes[note.topic].append(note)
    empty = [topic for topic, items in notes.items() if not items]
    earlier = {}
    if empty:
        for row in (
            ProgrammeNote.objects.filter(topic__in=empty, report_year__lt=fiscal_year)
            .order_by("topic", "-report_year")
            .values("topic", "report_year")
        ):
            earlier.setdefault(row["topic"], row["report_year"])
    return notes, earlier


def council_setup(fiscal_year: int) -> CouncilSetup:
    _first, last = wareki.fiscal_year_bounds(fiscal_year)
    standing = Q(is_established=True) & (
        Q(established_on__isnull=True) | Q(established_on__lte=last)
    )
    tier2 = list(
        Council.objects.filter(standing, tier=Tier.SECOND)
        .select_related("area")
        .order_by("area__position")
    )
    dated = [c.established_on for c in tier2 if c.established_on]
    member_types = list(
        OrganisationType.objects.filter(
            pk__in=Membership.objects.filter(council__in=[c.pk for c in tier2]).values(
                "organisation_type"
            )
        ).order_by("position")
    )
    tier3 = Council.objects.filter(standing, tier=Tier.THIRD)
    return CouncilSetup(
        tier1=Council.objects.filter(tier=Tier.FIRST).first(),
        tier2=tier2,
        tier2_first=min(dated, default=None),
        tier2_last=max(dated, default=None),
        tier2_undated=len(tier2) - len(dated),
        member_types=member_types,
        tier3_count=tier3.count(),
        tier3_undated=tier3.filter(established_on__isnull=True).count(),
    )


def group_lines(fiscal_year: int, counts_as_of: date | None) -> list[GroupLine]:
    """The tier-3 groups standing at the year's end, their services and their supporter count
    on or before ``counts_as_of`` (none when no date is chosen)."""
    _first, last = wareki.fiscal_year_bounds(fiscal_year)
    groups = (
        SupportGroup.objects.filter(
            Q(council__established_on__isnull=True) | Q(council__established_on__lte=last),
            council__is_established=True,
        )
        .select_related("council__area")
        .prefetch_related(
            Prefetch(
                "services",
                queryset=GroupService.objects.filter(
                    Q(started_on__isnull=True) | Q(started_on__lte=last)
                ).order_by("position"),
            )
        )
        .order_by("council__area__position", "model_number", "name")
    )
    if counts_as_of is not None:
        groups = groups.with_latest_reported_count(until=counts_as_of)
    return [
        GroupLine(
            group=group,
            services=list(group.services.all()),
            count=getattr(group, "reported_count", None),
            count_as_of=getattr(group, "reported_as_of", None),
            count_source=getattr(group, "reported_source", None) or "",
        )
        for group in groups
    ]


def coordinator_setup(fiscal_year: int) -> CoordinatorSetup:
    _first, last = wareki.fiscal_year_bounds(fiscal_year)
    coordinators = list(
        Coordinator.objects.filter(Q(since__isnull=True) | Q(since__lte=last))
        .select_related("district")
        .order_by("number")
    )
    dated = [c.since for c in coordinators if c.since]
    return CoordinatorSetup(
        coordinators=coordinators,
        tier1_count=sum(1 for c in coordinators if c.tier == CoordinatorTier.FIRST),
        tier2_count=sum(1 for c in coordinators if c.tier == CoordinatorTier.SECOND),
        first_since=min(dated, default=None),
        undated=len(coordinators) - len(dated),
    )


def year_report(fiscal_year: int, *, counts_as_of: date | None = None) -> YearReport:
    """The report of ``fiscal_year``. ``counts_as_of``: the date of the supporter counts
    (``default_counts_date`` when None)."""
    first, last = wareki.fiscal_year_bounds(fiscal_year)
    dates = counts_dates(fiscal_year)
    if counts_as_of is None:
        counts_as_of = default_counts_date(fiscal_year, dates)
    notes, earlier = notes_for(fiscal_year)
    phases = list(SchedulePhase.objects.filter(fiscal_year=fiscal_year))
    schedule = schedule_rows(Area.objects.all(), fiscal_year=fiscal_year, phases=phases)
    return YearReport(
        fiscal_year=fiscal_year,
        first_day=first,
        last_day=last,
        figures=figures_for(fiscal_year),
        notes=notes,
        earlier_notes=earlier,
        councils=council_setup(fiscal_year),
        model_groups=list(
            SupportGroup.objects.model_districts()
            .select_related("council__area")
            .order_by("model_number")
        ),
        help_categories=list(HelpCategory.objects.all()),
        classifications=list(Classification.choices),
        phases=phases,
        schedule=schedule,
        sequences=sequences_of(phases, schedule),
        counts_as_of=counts_as_of,
        counts_dates=dates,
        groups=group_lines(fiscal_year, counts_as_of),
        supporters=SupporterTotals.compute(until=counts_as_of, fiscal_year=fiscal_year)
        if counts_as_of
        else SupporterTotals.compute(until=date.min, fiscal_year=fiscal_year),
        main_opinions=list(
            Opinion.objects.main()
            .in_fiscal_year(fiscal_year)
            .select_related("meeting__council__area")
            .order_by("meeting__council__area__position", "meeting__sequence", "position", "pk")
        ),
        coordinators=coordinator_setup(fiscal_year),
        activity=journal_rollup(fiscal_year),
    )

"""The home page: for each role, what needs doing first, as a list of sections.

A coordinator sees the work of their areas: meetings to log, follow-ups by due date, open
opinions and needs, supporter lists not updated for a year, needs surveys still to enter.
City staff see the fiscal year's progress across the areas and where attention is needed.
An administrator sees both (every area is theirs). Everyone sees the headline figures, each
with its year or as-of date.

A section is one template under ``reports/templates/reports/home/`` and the context one
builder function makes for it. To add a section (another feature's item on the home page):

1. write ``def my_section(home: Home) -> Section | None`` (None: nothing to show),
   making a fixed number of queries whatever the size of the data (``home.areas`` is the
   user's areas, ``home.today`` and ``home.fiscal_year`` the date and year shown);
2. add it to ``COORDINATOR_SECTIONS`` or ``STAFF_SECTIONS`` where it should appear;
3. write its template, ``reports/home/<name>.html``, which gets ``section`` and ``home``.

``tests/reports/test_home.py`` asserts each role's home costs the same number of queries
when the programme grows tenfold: keep it so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from django.db.models import Count, Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role, role_of
from activities.models import (
    FigureCategory,
    KeyFigure,
    Supporter,
    SupportGroup,
)
from activities.supporter_totals import SupporterTotals
from coordinators.models import Coordinator
from core.wareki import default_fiscal_year, fiscal_year_of, format_fiscal_year
from councils.models import (
    Area,
    Council,
    FollowUp,
    Meeting,
    MeetingStatus,
    Opinion,
    SchedulePhase,
    Tier,
)
from councils.schedule import fiscal_years_with_records
from directory.home import reconfirm_section
from journal.views import quick_entry_context
from needs_survey.models import ProgressStatus, Survey

# How many rows a list on the home page shows; the rest are one click away.
LIST_LIMIT = 10
# A supporter list untouched for longer than this is worth a look.
ROSTER_STALE_AFTER = timedelta(days=365)
# A stretch without any meeting that city staff should hear about.
QUIET_MONTHS = 6


@dataclass
class Section:
    """One part of the home page: ``template`` rendered with ``section`` (this) in context."""

    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)
    subtitle: str = ""  # the year or as-of date the section speaks of, beside its title
    # False: the template brings its own <section> and heading (an include of another app).
    framed: bool = True


@dataclass
class Home:
    """What every section builder needs: who is looking, on which day, for which year."""

    user: object
    role: Role
    today: date

    @cached_property
    def fiscal_year(self) -> int:
        """The year the home page reports: the current fiscal year (its plan and meetings),
        or the latest one recorded before it, as the status table and schedule choose."""
        return default_fiscal_year(fiscal_years_with_records(), self.today)

    @cached_property
    def current_fiscal_year(self) -> int:
        return fiscal_year_of(self.today)

    @property
    def areas(self):
        """The areas whose records the user changes: a coordinator's, or all for an
        administrator; none for city staff."""
        return Area.objects.editable_by(self.user)

    @property
    def answers_for_areas(self) -> bool:
        return self.role in (Role.ADMINISTRATOR, Role.COORDINATOR)

    @property
    def oversees(self) -> bool:
        return self.role in (Role.ADMINISTRATOR, Role.CITY_STAFF)


# --- a coordinator's work ---------------------------------------------------------------


@dataclass
class MeetingSlot:
    """A meeting to log or coming up: a planned record, or a 第n回 of the year's plan that
    has no record yet (``meeting`` None)."""

    council: Council
    fiscal_year: int
    sequence: int
    held_on: date | None = None
    planned_month: date | None = None
    meeting: Meeting | None = None

    @property
    def sort_key(self):
        return (self.held_on or self.planned_month or date.max, self.council.pk, self.sequence)

    @property
    def log_url(self) -> str:
        if self.meeting is not None:
            return reverse("councils:meeting-update", args=[self.meeting.pk])
        return (
            f"{reverse('councils:meeting-create')}?council={self.council.pk}"
            f"&fiscal_year={self.fiscal_year}&sequence={self.sequence}"
        )


def meetings_to_log(home: Home) -> Section | None:
    """Planned meetings whose date has come or whose month is over, and 第n回 of this year's
    plan whose month is over with no record at all; then the next planned ones."""
    if not home.answers_for_areas:
        return None
    today = home.today
    in_areas = Meeting.objects.filter(council__area__in=home.areas).select_related("council__area")
    due_meetings = in_areas.due(today).order_by("held_on", "planned_month", "council__area")
    due = [_slot(m) for m in due_meetings[: LIST_LIMIT + 1]]
    due_total = due_meetings.count()
    gaps = _plan_gaps(home)
    due = sorted(due + gaps, key=lambda slot: slot.sort_key)
    upcoming_meetings = in_areas.upcoming(today).order_by(
        Coalesce("held_on", "planned_month"), "council__area__position", "sequence"
    )
    return Section(
        key="meetings-to-log",
        title="記録する会議",
        template="reports/home/meetings_to_log.html",
        context={
            "due": due[:LIST_LIMIT],
            "due_total": due_total + len(gaps),
            "upcoming": [_slot(m) for m in upcoming_meetings[:LIST_LIMIT]],
            "upcoming_total": upcoming_meetings.count(),
        },
    )


def _slot(meeting: Meeting) -> MeetingSlot:
    return MeetingSlot(
        council=meeting.council,
        fiscal_year=meeting.fiscal_year,
        sequence=meeting.sequence,
        held_on=meeting.held_on,
        planned_month=meeting.planned_month,
        meeting=meeting,
    )


def _plan_gaps(home: Home) -> list[MeetingSlot]:
    """第n回 of the current fiscal year's plan whose month is over while a tier-2 council of
    the user's areas has no record of it. Three queries."""
    fiscal_year, first_of_month = home.current_fiscal_year, home.today.replace(day=1)
    phases = [
        phase
        for phase in SchedulePhase.objects.filter(fiscal_year=fiscal_year, sequence__isnull=False)
        if phase.starts_in and phase.starts_in < first_of_month
    ]
    if not phases:
        return []
    councils = list(
        Council.objects.filter(tier=Tier.SECOND, area__in=home.areas).select_related("area")
    )
    recorded = set(
        Meeting.objects.filter(council__in=councils, fiscal_year=fiscal_year).values_list(
            "council_id", "sequence"
        )
    )
    return [
        MeetingSlot(
            council=council,
            fiscal_year=fiscal_year,
            sequence=phase.sequence,
            planned_month=phase.starts_in,
        )
        for council in councils
        for phase in phases
        if (council.pk, phase.sequence) not in recorded
    ]


def follow_ups(home: Home) -> Section | None:
    """Follow-ups not done in the user's areas, by due date: the overdue ones first."""
    if not home.answers_for_areas:
        return None
    pending = FollowUp.objects.pending().in_areas(home.areas)
    counts = pending.aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=home.today))
    )
    rows = pending.select_related("meeting__council__area").by_due_date()[:LIST_LIMIT]
    return Section(
        key="follow-ups",
        title="今後の取組(期限順)",
        template="reports/home/follow_ups.html",
        context={"rows": list(rows), **counts},
    )


def open_opinions(home: Home) -> Section | None:
    """Opinions and needs raised in the user's areas' meetings whose response is still open,
    the longest waiting first."""
    if not home.answers_for_areas:
        return None
    still_open = Opinion.objects.open().filter(meeting__council__area__in=home.areas)
    rows = still_open.select_related("meeting__council__area").order_by(
        "meeting__fiscal_year", "meeting__held_on", "meeting__sequence", "position"
    )[:LIST_LIMIT]
    return Section(
        key="open-opinions",
        title="未対応の意見・ニーズ",
        template="reports/home/open_opinions.html",
        context={"rows": list(rows), "total": still_open.count()},
    )


def stale_rosters(home: Home) -> Section | None:
    """Groups of the user's areas whose supporter list has not changed for a year: no
    import and no supporter added, changed or removed since. Never one: 名簿の登録なし."""
    if not home.answers_for_areas:
        return None
    last_change = (
        Supporter.history.model.objects.filter(group_id=OuterRef("pk"))
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    never = timezone.make_aware(datetime(1900, 1, 1))
    groups = (
        SupportGroup.objects.in_areas(home.areas)
        .annotate(last_import=Max("imports__at"), last_change=Subquery(last_change))
        .annotate(
            last_update=Greatest(
                Coalesce("last_import", Value(never)), Coalesce("last_change", Value(never))
            )
        )
        .filter(last_update__lt=timezone.now() - ROSTER_STALE_AFTER)
        .select_related("council__area")
        .order_by("last_update", "council__area__position", "name")
    )
    rows = list(groups[:LIST_LIMIT])
    for group in rows:
        group.last_update = None if group.last_update == never else group.last_update
    return Section(
        key="stale-rosters",
        title="1年以上更新されていないサポーター名簿",
        template="reports/home/stale_rosters.html",
        context={"rows": rows, "total": groups.count()},
    )


def surveys_to_enter(home: Home) -> Section | None:
    """The user's areas whose needs survey of the current fiscal year is not entered or not
    yet classified in full."""
    if not home.answers_for_areas:
        return None
    fiscal_year = home.current_fiscal_year
    areas = list(home.areas.order_by("position"))
    progress = Survey.objects.progress_by_area(fiscal_year, areas=areas)
    councils = dict(
        Council.objects.filter(tier=Tier.SECOND, area__in=areas).values_list("area_id", "pk")
    )
    rows = [
        {"area": area, "progress": progress[area.pk], "council_id": councils.get(area.pk)}
        for area in areas
        if progress[area.pk].status != ProgressStatus.COMPLETE
    ]
    return Section(
        key="surveys-to-enter",
        title="ニーズ調査の入力",
        template="reports/home/surveys_to_enter.html",
        context={
            "rows": rows[:LIST_LIMIT],
            "total": len(rows),
            "survey_year": fiscal_year,
        },
    )


def journal_quick_entry(home: Home) -> Section | None:
    """The coordinators' activity journal: a quick entry of what they did besides meetings
    (journal.views.quick_entry_context: coordinators only)."""
    context = quick_entry_context(home.user)
    if not context:
        return None
    return Section(
        key="journal",
        title="活動を記録する",
        template="reports/home/journal_quick_entry.html",
        context=context,
        framed=False,
    )


def directory_reconfirm(home: Home) -> Section | None:
    """The public directory's entries not confirmed with their providers for six months
    (directory.home.reconfirm_section): a coordinator's to re-confirm, a count for staff."""
    context = reconfirm_section(home.user, home.today)
    if not context:
        return None
    return Section(
        key="directory",
        title="確認が必要な地域資源",
        template="reports/home/directory_reconfirm.html",
        context={"reconfirm": context},
        framed=False,
    )


# --- city staff: the year across areas --------------------------------------------------


@dataclass
class AreaAttention:
    area: Area
    last_held: date | None = None
    overdue: int = 0
    oldest_due: date | None = None
    due_meetings: int = 0


def year_progress(home: Home) -> Section | None:
    """The fiscal year across the areas: tier-2 meetings held and planned by 第n回, and the
    areas that need attention: no meeting for six months, follow-ups overdue, meetings whose
    date passed unrecorded. A fixed handful of queries, whatever the number of areas."""
    if not home.oversees:
        return None
    fiscal_year, today = home.fiscal_year, home.today
    areas = {area.pk: AreaAttention(area) for area in Area.objects.order_by("position")}
    recorded = {
        row["sequence"]: row
        for row in Meeting.objects.filter(council__tier=Tier.SECOND, fiscal_year=fiscal_year)
        .values("sequence")
        .annotate(
            recorded=Count("pk"),
            held=Count("pk", filter=Q(status=MeetingStatus.HELD)),
            planned=Count("pk", filter=Q(status=MeetingStatus.PLANNED)),
            cancelled=Count("pk", filter=Q(status=MeetingStatus.CANCELLED)),
        )
        .order_by()
    }
    planned_sequences = set(
        SchedulePhase.objects.filter(fiscal_year=fiscal_year, sequence__isnull=False).values_list(
            "sequence", flat=True
        )
    )
    councils = Council.objects.filter(tier=Tier.SECOND).count()
    by_sequence = []
    for sequence in sorted(planned_sequences | set(recorded)):
        row = recorded.get(sequence, {"recorded": 0, "held": 0, "planned": 0, "cancelled": 0})
        by_sequence.append(
            {**row, "sequence": sequence, "missing": max(councils - row["recorded"], 0)}
        )
    last_held = (
        Meeting.objects.held()
        .filter(council__area__isnull=False)
        .values("council__area")
        .annotate(last=Max("held_on"))
        .order_by()
    )
    for row in last_held:
        areas[row["council__area"]].last_held = row["last"]
    overdue = (
        FollowUp.objects.overdue(today)
        .values("meeting__council__area")
        .annotate(n=Count("pk"), oldest_due=Min("due_on"))
        .order_by()
    )
    for row in overdue:
        if row["meeting__council__area"] in areas:
            attention = areas[row["meeting__council__area"]]
            attention.overdue = row["n"]
            attention.oldest_due = row["oldest_due"]
    due = (
        Meeting.objects.due(today)
        .filter(council__area__isnull=False)
        .values("council__area")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in due:
        areas[row["council__area"]].due_meetings = row["n"]
    quiet_since = _months_before(today, QUIET_MONTHS)
    quiet = [a for a in areas.values() if a.last_held is None or a.last_held < quiet_since]
    behind = sorted(
        (a for a in areas.values() if a.overdue),
        key=lambda a: (-a.overdue, a.area.position),
    )
    unrecorded = [a for a in areas.values() if a.due_meetings]
    current = home.current_fiscal_year
    return Section(
        key="year-progress",
        title=f"{format_fiscal_year(fiscal_year)}の進み具合",
        subtitle=""
        if fiscal_year == current
        else f"今年度({format_fiscal_year(current)})の会議と計画はまだ記録がありません",
        template="reports/home/year_progress.html",
        context={
            "by_sequence": by_sequence,
            "council_count": councils,
            "area_count": len(areas),
            "quiet": quiet[: LIST_LIMIT * 3],
            "quiet_total": len(quiet),
            "quiet_since": quiet_since,
            "behind": behind[:LIST_LIMIT],
            "behind_total": len(behind),
            "overdue_total": sum(a.overdue for a in areas.values()),
            "unrecorded": unrecorded[: LIST_LIMIT * 3],
            "unrecorded_total": len(unrecorded),
        },
    )


def _months_before(d: date, months: int) -> date:
    month_index = d.year * 12 + d.month - 1 - months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, 1)


def year_plan(home: Home) -> Section | None:
    """Whether this fiscal year and the next have a plan, with the way to make one."""
    if not home.oversees:
        return None
    current = home.current_fiscal_year
    planned_years = set(
        SchedulePhase.objects.filter(fiscal_year__in=[current, current + 1])
        .values_list("fiscal_year", flat=True)
        .distinct()
    )
    return Section(
        key="year-plan",
        title="年間の計画",
        template="reports/home/year_plan.html",
        context={
            "years": [(year, year in planned_years) for year in (current, current + 1)],
        },
    )


# --- everyone ---------------------------------------------------------------------------


def headline(home: Home) -> Section:
    """The programme in figures, each with its year or its as-of date."""
    fiscal_year = home.fiscal_year
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
    return Section(
        key="headline",
        title="事業の概況",
        template="reports/home/headline.html",
        context={
            "fiscal_year": fiscal_year,
            "councils": councils,
            "meetings": meetings,
            "groups": groups,
            "supporters": SupporterTotals.compute(),
            "coordinators": Coordinator.objects.count(),
            "figures": KeyFigure.objects.filter(category=FigureCategory.PROFILE).latest_per_key(),
        },
    )


SectionBuilder = Callable[[Home], "Section | None"]

# The order in which each part of the home page appears. A coordinator's work comes first
# for those who answer for areas; city staff begin with the year across the areas.
COORDINATOR_SECTIONS: list[SectionBuilder] = [
    meetings_to_log,
    follow_ups,
    open_opinions,
    journal_quick_entry,
    stale_rosters,
    surveys_to_enter,
    directory_reconfirm,
]
STAFF_SECTIONS: list[SectionBuilder] = [year_progress, year_plan, directory_reconfirm]


def sections_for(user, today: date | None = None) -> tuple[Home, list[Section]]:
    """The home page of ``user``: their role's sections in order, then the headline."""
    home = Home(user=user, role=role_of(user), today=today or timezone.localdate())
    builders = {
        Role.COORDINATOR: COORDINATOR_SECTIONS,
        Role.CITY_STAFF: STAFF_SECTIONS,
        Role.ADMINISTRATOR: COORDINATOR_SECTIONS + STAFF_SECTIONS,
    }.get(home.role, [])
    # An administrator's list holds a section of both lists once.
    builders = list(dict.fromkeys(builders))
    sections = [section for build in builders if (section := build(home)) is not None]
    sections.append(headline(home))
    return home, sections

"""Synthetic records at N times Iwaki's size, for load tests and query-count tests.

One unit of scale is Iwaki in 2017: 7 districts, 13 areas (each with its tier-2 council),
8 coordinators, 15 support groups (with their tier-3 councils, two services and a reported
supporter count each) and 300 supporters, and 200 entries of the public directory (so that
N=100 gives the 20,000 entries of the directory's load test: mostly published and active,
some suspended or ended, most with a weekly or monthly time). Meetings cover ``years`` fiscal years up to the
current one: three tier-2 meetings and two group meetings a year, the past ones held, the
future ones planned, with an opinion on each tier-2 council's first meeting of a year.

Every name says it is synthetic (合成 太郎0001, 合成圏域0001); phone numbers are 000-…
and addresses 合成市…, so no record can be mistaken for a real person or place.
Rows are written with ``bulk_create``: at N=100 about 30,000 supporters and 100,000+ meetings.
"""

import random
from datetime import date, time

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from activities.models import GroupService, Supporter, SupporterCount, SupportGroup
from coordinators.models import Coordinator
from core.wareki import fiscal_year_of
from councils.models import (
    Area,
    Council,
    District,
    Meeting,
    MeetingStatus,
    Membership,
    MinutesStatus,
    Opinion,
    OrganisationType,
    Tier,
)
from directory.models import (
    ContactKind,
    Entry,
    EntryKind,
    EntryStatus,
    Frequency,
    LocationKind,
    Schedule,
    ScheduleKind,
)
from needs_survey.models import HelpCategory

PREFIX = "合成"
DISTRICTS, AREAS, COORDINATORS, GROUPS, SUPPORTERS = 7, 13, 8, 15, 300
ENTRIES = 200
BATCH = 2000
# (sequence, month, day) of the tier-2 meetings of a fiscal year, as in the 2017 schedule.
TIER2_MEETINGS = [(1, 7, 20), (2, 11, 15), (3, 2, 10)]
GROUP_MEETINGS = [(1, 6, 5), (2, 12, 5)]


def holds_real_data():
    """Whether the database holds records that are not synthetic (the 2017 data, or real use)."""
    return Area.objects.exclude(name__startswith=PREFIX).exists()


def holds_synthetic_data():
    return Area.objects.filter(name__startswith=PREFIX).exists()


def _next_position(model):
    return (model.objects.aggregate(top=Max("position"))["top"] or 0) + 1


def _meeting_date(fiscal_year, month, day):
    return date(fiscal_year + 1 if month < 4 else fiscal_year, month, day)


@transaction.atomic
def seed(scale: int, *, years: int = 20, today: date | None = None, seed: int = 2017) -> dict:
    """Write ``scale`` units of synthetic records; returns how many rows of each kind."""
    rng = random.Random(seed)  # noqa: S311 - reproducible made-up numbers, not secrets
    today = today or timezone.localdate()
    last_year = fiscal_year_of(today)
    fiscal_years = range(last_year - years + 1, last_year + 1)

    district_start = _next_position(District)
    districts = District.objects.bulk_create(
        District(name=f"{PREFIX}地区{i:04d}", position=district_start + i - 1)
        for i in range(1, DISTRICTS * scale + 1)
    )
    area_start = _next_position(Area)
    areas = Area.objects.bulk_create(
        (
            Area(
                name=f"{PREFIX}圏域{i:04d}",
                district=districts[(i - 1) * len(districts) // (AREAS * scale)],
                position=area_start + i - 1,
            )
            for i in range(1, AREAS * scale + 1)
        ),
        batch_size=BATCH,
    )
    councils = Council.objects.bulk_create(
        (
            Council(
                name=f"{area.name} 第2層協議体",
                tier=Tier.SECOND,
                area=area,
                is_established=True,
                established_on=date(last_year - years + 1, 7, 1),
            )
            for area in areas
        ),
        batch_size=BATCH,
    )
    organisation_types = list(
        OrganisationType.objects.all()
    ) or OrganisationType.objects.bulk_create(
        OrganisationType(name=f"{PREFIX}団体種別{i:02d}", position=i) for i in range(1, 10)
    )
    Membership.objects.bulk_create(
        (
            Membership(council=council, organisation_type=kind, members=rng.randint(1, 5))
            for council in councils
            for kind in organisation_types[:5]
        ),
        batch_size=BATCH,
    )

    number_start = (Coordinator.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    coordinators = Coordinator.objects.bulk_create(
        Coordinator(
            number=number_start + i,
            placement=f"{PREFIX}地区協議会{i + 1:04d}",
            district=districts[i * len(districts) // (COORDINATORS * scale)],
            coverage_label=f"{PREFIX}担当{i + 1:04d}",
        )
        for i in range(COORDINATORS * scale)
    )
    areas_by_district = {}
    for area in areas:
        areas_by_district.setdefault(area.district_id, []).append(area)
    Coordinator.areas.through.objects.bulk_create(
        (
            Coordinator.areas.through(coordinator=coordinator, area=area)
            for coordinator in coordinators
            for area in areas_by_district.get(coordinator.district_id, [])
        ),
        batch_size=BATCH,
    )

    group_councils = Council.objects.bulk_create(
        (
            Council(
                name=f"{PREFIX}団体{i:04d} 第3層協議体",
                tier=Tier.THIRD,
                area=areas[(i - 1) * len(areas) // (GROUPS * scale)],
                is_established=True,
            )
            for i in range(1, GROUPS * scale + 1)
        ),
        batch_size=BATCH,
    )
    groups = SupportGroup.objects.bulk_create(
        (
            SupportGroup(
                name=f"{PREFIX}団体{i:04d}",
                council=council,
                district_label=f"{PREFIX}地区 団体{i:04d}",
            )
            for i, council in enumerate(group_councils, start=1)
        ),
        batch_size=BATCH,
    )
    services = GroupService.objects.bulk_create(
        (
            GroupService(group=group, position=position, name=f"{PREFIX}サービス{position}")
            for group in groups
            for position in (1, 2)
        ),
        batch_size=BATCH,
    )
    # The 13 help categories are reference data (fixtures/2017/02_needs_survey.json); a fresh
    # synthetic database gets 13 of its own, numbered as the survey numbers them.
    categories = list(HelpCategory.objects.all()) or HelpCategory.objects.bulk_create(
        HelpCategory(number=i, name=f"{PREFIX}項目{i:02d}") for i in range(1, 14)
    )
    if categories:
        GroupService.help_categories.through.objects.bulk_create(
            (
                GroupService.help_categories.through(
                    groupservice=service, helpcategory=rng.choice(categories)
                )
                for service in services
            ),
            batch_size=BATCH,
        )
    per_group = SUPPORTERS // GROUPS
    SupporterCount.objects.bulk_create(
        (
            SupporterCount(
                group=group,
                count=per_group,
                as_of=today,
                source=f"{PREFIX}データ",
            )
            for group in groups
        ),
        batch_size=BATCH,
    )
    supporters = []
    for g, group in enumerate(groups):
        for k in range(per_group):
            n = g * per_group + k + 1
            name = f"{PREFIX} 太郎{n:04d}"
            supporters.append(
                Supporter(
                    group=group,
                    name=name,
                    name_key=Supporter.normalise_name(name),
                    kana=f"ゴウセイ タロウ{n:04d}",
                    phone=f"000-0000-{n % 10000:04d}",
                    address=f"{PREFIX}市{PREFIX}町{n}",
                    birth_date=date(1940 + n % 30, 1 + n % 12, 1 + n % 28),
                    registered_on=date(last_year, 4, 1),
                )
            )
    Supporter.objects.bulk_create(supporters, batch_size=BATCH)

    def meetings():
        for fiscal_year in fiscal_years:
            for council in councils:
                yield from _meetings_of(council, fiscal_year, TIER2_MEETINGS, today, rng)
            for council in group_councils:
                yield from _meetings_of(council, fiscal_year, GROUP_MEETINGS, today, rng)

    meeting_count = 0
    opinions = []
    batch = []
    for meeting in meetings():
        batch.append(meeting)
        if len(batch) == BATCH:
            meeting_count += _write_meetings(batch, opinions)
            batch = []
    meeting_count += _write_meetings(batch, opinions)
    Opinion.objects.bulk_create(opinions, batch_size=BATCH)

    entries = _seed_entries(scale, areas, categories, today, rng)

    return {
        "districts": len(districts),
        "areas": len(areas),
        "coordinators": len(coordinators),
        "groups": len(groups),
        "supporters": len(supporters),
        "meetings": meeting_count,
        "opinions": len(opinions),
        "fiscal_years": len(fiscal_years),
        "directory entries": entries,
    }


WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA"]


def _seed_entries(scale, areas, categories, today, rng):
    """ENTRIES × scale directory entries spread over the areas, as the load test reads them."""
    kinds, statuses = (
        list(EntryKind.values),
        [EntryStatus.ACTIVE] * 27
        + [
            EntryStatus.SUSPENDED,
            EntryStatus.SUSPENDED,
            EntryStatus.ENDED,
        ],
    )
    made = []
    for n in range(1, ENTRIES * scale + 1):
        area = areas[(n - 1) * len(areas) // (ENTRIES * scale)]
        schedule_kind = rng.choice(
            [ScheduleKind.REGULAR] * 3 + [ScheduleKind.ARRANGEMENT, ScheduleKind.UNKNOWN]
        )
        provider_window = n % 3 == 0
        status = rng.choice(statuses)
        name = f"{PREFIX}資源{n:05d}"
        made.append(
            Entry(
                name=name,
                sort_key=name,
                kind=rng.choice(kinds),
                provider=f"{PREFIX}の会{n:05d}",
                services=f"{PREFIX}サービス、{PREFIX}の手伝い",
                area=area,
                location_kind=LocationKind.PUBLIC,
                place_name=f"{PREFIX}公民館{n:05d}",
                address=f"{PREFIX}市{PREFIX}町{n}",
                schedule_kind=schedule_kind,
                fees="無料" if n % 2 else "",
                contact_kind=ContactKind.PROVIDER if provider_window else ContactKind.AREA_OFFICE,
                contact_name=f"{PREFIX}の会{n:05d} 事務局" if provider_window else "",
                contact_phone=f"000-1111-{n % 10000:04d}" if provider_window else "",
                status=status,
                suspended_notice=f"{PREFIX}のお知らせ" if status == EntryStatus.SUSPENDED else "",
                confirmed_on=None if n % 4 == 0 else date.fromordinal(today.toordinal() - n % 300),
                is_published=n % 10 != 0,
            )
        )
    entries = Entry.objects.bulk_create(made, batch_size=BATCH)
    position = {area.pk: i for i, area in enumerate(areas)}
    Entry.service_areas.through.objects.bulk_create(
        (
            Entry.service_areas.through(entry=entry, area=area)
            for entry in entries
            for area in {entry.area, areas[(position[entry.area_id] + 1) % len(areas)]}
            if area == entry.area or entry.pk % 5 == 0
        ),
        batch_size=BATCH,
    )
    if categories:
        Entry.help_categories.through.objects.bulk_create(
            (
                Entry.help_categories.through(entry=entry, helpcategory=category)
                for entry in entries
                for category in rng.sample(categories, k=1 + entry.pk % 3)
            ),
            batch_size=BATCH,
        )
    Schedule.objects.bulk_create(
        (
            Schedule(
                entry=entry,
                frequency=Frequency.MONTHLY if entry.pk % 4 == 0 else Frequency.WEEKLY,
                weekdays=WEEKDAY_CODES[entry.pk % 6],
                weeks="2" if entry.pk % 4 == 0 else "",
                opens_at=time(10) if entry.pk % 2 else None,
                closes_at=time(12) if entry.pk % 2 else None,
            )
            for entry in entries
            if entry.schedule_kind == ScheduleKind.REGULAR
        ),
        batch_size=BATCH,
    )
    return len(entries)


def _meetings_of(council, fiscal_year, plan, today, rng):
    for sequence, month, day in plan:
        when = _meeting_date(fiscal_year, month, day)
        held = when <= today
        yield Meeting(
            council=council,
            fiscal_year=fiscal_year,
            sequence=sequence,
            status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
            held_on=when if held else None,
            planned_month=None if held else when.replace(day=1),
            venue=f"{PREFIX}公民館",
            attendance=rng.randint(8, 30) if held else None,
            agenda=f"{PREFIX}議題 第{sequence}回" if held else "",
            summary=f"{PREFIX}の概要です。" if held else "",
            minutes_status=MinutesStatus.CONFIRMED if held else "",
        )


def _write_meetings(batch, opinions):
    if not batch:
        return 0
    written = Meeting.objects.bulk_create(batch)
    opinions.extend(
        Opinion(
            meeting=meeting,
            fiscal_year=meeting.fiscal_year,
            position=1,
            text=f"{PREFIX}の意見です。",
        )
        for meeting in written
        if meeting.sequence == 1
        and meeting.status == MeetingStatus.HELD
        and meeting.council.tier == Tier.SECOND
    )
    return len(written)

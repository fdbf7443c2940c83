"""Grow the 2017 data tenfold, so that query-count tests show any per-row query.

``grow_programme(times=10)`` adds districts, areas with tier-2 councils and three meetings,
coordinators, support groups with services, help categories, supporter counts and
supporters, memberships and opinions: roughly ``times`` as many rows of each kind as the
2017 data has. The names are clearly synthetic (``試験圏域7``) and live only in tests.
"""

from datetime import date

from activities.models import GroupService, Supporter, SupporterCount, SupportGroup
from coordinators.models import Coordinator
from councils.models import (
    Area,
    Council,
    District,
    Meeting,
    MeetingStatus,
    Membership,
    Opinion,
    OrganisationType,
    Tier,
)
from needs_survey.models import HelpCategory


def grow_programme(times=10):
    """Add (times − 1) × 13 areas, each with what a 2017 area has. Returns the new areas.

    Uses bulk_create throughout: the tests that call it measure the views, not this.
    """
    count = 13 * max(times - 1, 1)
    categories = list(HelpCategory.objects.all()[:3])
    organisation_types = list(OrganisationType.objects.all()[:3])
    first_number = Coordinator.objects.count() + 1

    districts = District.objects.bulk_create(
        District(name=f"試験地区{i}", position=1000 + i) for i in range(0, count, 2)
    )
    areas = Area.objects.bulk_create(
        Area(name=f"試験圏域{i}", district=districts[i // 2], position=1000 + i)
        for i in range(count)
    )
    coordinators = Coordinator.objects.bulk_create(
        Coordinator(number=first_number + n, placement=f"{d.name}地区協議会", district=d)
        for n, d in enumerate(districts)
    )
    Coordinator.areas.through.objects.bulk_create(
        Coordinator.areas.through(coordinator=coordinators[i // 2], area=area)
        for i, area in enumerate(areas)
    )
    councils = Council.objects.bulk_create(
        Council(
            name=f"{area.name} 第2層協議体",
            tier=Tier.SECOND,
            area=area,
            is_established=True,
            established_on=date(2017, 7, 1),
        )
        for area in areas
    )
    Membership.objects.bulk_create(
        Membership(council=council, organisation_type=t, members=2)
        for council in councils
        for t in organisation_types
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(
            council=council,
            fiscal_year=2017,
            sequence=sequence,
            status=MeetingStatus.HELD if sequence < 3 else MeetingStatus.PLANNED,
            held_on=date(2017, 4 * sequence + 3, 10) if sequence < 3 else None,
            planned_month=None if sequence < 3 else date(2018, 2, 1),
        )
        for council in councils
        for sequence in (1, 2, 3)
    )
    Opinion.objects.bulk_create(
        Opinion(meeting=meeting, fiscal_year=2017, text="試験の意見") for meeting in meetings
    )
    # New groups only (model numbers ①–⑮ belong to the 2017 groups): one or two per area.
    group_keys = [(i, g) for i in range(count) for g in range(1 + i % 2)]
    group_councils = Council.objects.bulk_create(
        Council(name=f"試験団体{i}-{g}", tier=Tier.THIRD, area=areas[i]) for i, g in group_keys
    )
    groups = SupportGroup.objects.bulk_create(
        SupportGroup(name=c.name, council=c, district_label=f"{c.area.name} {c.name}")
        for c in group_councils
    )
    services = GroupService.objects.bulk_create(
        GroupService(group=group, position=position, name=f"試験サービス{position}")
        for group in groups
        for position in (1, 2)
    )
    GroupService.help_categories.through.objects.bulk_create(
        GroupService.help_categories.through(groupservice=service, helpcategory=category)
        for service in services
        for category in categories
    )
    SupporterCount.objects.bulk_create(
        SupporterCount(group=group, count=10, as_of=as_of, source="試験")
        for group in groups
        for as_of in (date(2016, 10, 31), date(2017, 10, 31))
    )
    Supporter.objects.bulk_create(
        Supporter(group=group, name=name, name_key=Supporter.normalise_name(name))
        for group in groups
        for name in (f"試験 太郎{group.pk}", f"試験 花子{group.pk}")
    )
    return areas

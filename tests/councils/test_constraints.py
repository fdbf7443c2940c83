"""The database refuses bad data even when a form forgets to check."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from activities.models import SupportGroup
from councils.models import Area, Council, District, Meeting, MeetingStatus, Tier

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    district = District.objects.create(name="試験地区", position=99)
    return Area.objects.create(name="試験圏域", district=district, position=99)


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Council.objects.create(**fields)


def test_council_tier_must_be_one_two_or_three(area):
    refused(name="x", tier=4, area=area)


def test_tier1_has_no_area_and_tiers_2_3_need_one(area):
    refused(name="x", tier=Tier.FIRST, area=area)
    refused(name="y", tier=Tier.SECOND, area=None)


def test_one_tier2_council_per_area(area):
    Council.objects.create(name="a", tier=Tier.SECOND, area=area)
    refused(name="b", tier=Tier.SECOND, area=area)
    Council.objects.create(name="c", tier=Tier.THIRD, area=area)  # tier 3: many per area


def test_establishment_date_only_when_established(area):
    refused(
        name="x",
        tier=Tier.SECOND,
        area=area,
        is_established=False,
        established_on=datetime.date(2017, 7, 1),
    )


def test_one_sequence_number_per_council_and_fiscal_year(area):
    council = Council.objects.create(name="a", tier=Tier.SECOND, area=area)
    Meeting.objects.create(council=council, fiscal_year=2017, sequence=1)
    Meeting.objects.create(council=council, fiscal_year=2018, sequence=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(council=council, fiscal_year=2017, sequence=1)


def test_held_meeting_needs_a_date_and_status_must_be_known(area):
    council = Council.objects.create(name="a", tier=Tier.SECOND, area=area)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            council=council, fiscal_year=2017, sequence=1, status=MeetingStatus.HELD
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(council=council, fiscal_year=2017, sequence=2, status="finished")


def test_model_numbers_run_from_one_to_fifteen(area):
    council = Council.objects.create(name="g", tier=Tier.THIRD, area=area)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportGroup.objects.create(
            name="g", council=council, district_label="試験 g", model_number=16
        )
    group = SupportGroup.objects.create(name="g", council=council, district_label="試験 g")
    assert group.area == area
    assert not group.is_model
    assert SupportGroup.objects.get(model_number=15).model_mark == "⑮"

"""visible_to / editable_by: the QuerySet methods every view uses to decide access."""

import pytest

from activities.models import Supporter, SupportGroup
from councils.models import Council, Meeting, Opinion, Tier

pytestmark = pytest.mark.django_db


def area_names(queryset, path):
    return sorted({str(value) for value in queryset.values_list(path, flat=True)})


def test_coordinator_edits_only_the_meetings_of_their_area(coordinator_taira):
    editable = Meeting.objects.editable_by(coordinator_taira)
    assert editable.exists()
    assert area_names(editable, "council__area__name") == ["平"]


def test_coordinator_reads_every_meeting(coordinator_taira):
    assert Meeting.objects.visible_to(coordinator_taira).count() == Meeting.objects.count()


def test_city_staff_read_everything_and_edit_nothing(city_staff):
    assert Council.objects.visible_to(city_staff).count() == Council.objects.count()
    assert not Council.objects.editable_by(city_staff).exists()
    assert not Meeting.objects.editable_by(city_staff).exists()
    assert not Opinion.objects.editable_by(city_staff).exists()


def test_a_user_without_a_role_sees_nothing(make_user, data_2017):
    nobody = make_user("nobody")
    assert not Council.objects.visible_to(nobody).exists()
    assert not Meeting.objects.visible_to(nobody).exists()


def test_only_administrators_edit_the_tier1_council_and_programme_wide_opinions(
    administrator, coordinator_hq
):
    tier1 = Council.objects.filter(tier=Tier.FIRST)
    assert tier1.exists()
    assert set(tier1) <= set(Council.objects.editable_by(administrator))
    assert not Council.objects.editable_by(coordinator_hq).filter(tier=Tier.FIRST).exists()
    wide = Opinion.objects.filter(meeting__isnull=True)
    assert wide.exists()
    assert not Opinion.objects.editable_by(coordinator_hq).filter(meeting__isnull=True).exists()
    assert Opinion.objects.editable_by(administrator).filter(meeting__isnull=True).exists()


def test_headquarters_coordinator_edits_councils_of_every_area(coordinator_hq):
    tier2 = Council.objects.editable_by(coordinator_hq).filter(tier=Tier.SECOND)
    assert tier2.count() == 13


def test_groups_follow_their_council_area(coordinator_onahama):
    editable = SupportGroup.objects.editable_by(coordinator_onahama)
    assert editable.exists()
    assert area_names(editable, "council__area__name") == ["小名浜"]
    assert SupportGroup.objects.visible_to(coordinator_onahama).count() == (
        SupportGroup.objects.count()
    )


def test_supporters_personal_data_only_for_the_covered_areas(
    coordinator_taira, city_staff, administrator
):
    taira = SupportGroup.objects.filter(council__area__name="平").first()
    onahama = SupportGroup.objects.filter(council__area__name="小名浜").first()
    mine = Supporter.objects.create(group=taira, name="試験 一郎")
    theirs = Supporter.objects.create(group=onahama, name="試験 二郎")
    assert list(Supporter.objects.visible_to(coordinator_taira)) == [mine]
    assert not Supporter.objects.visible_to(city_staff).exists()
    assert set(Supporter.objects.visible_to(administrator)) == {mine, theirs}

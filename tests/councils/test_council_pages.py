"""The council list, a council's page (members by organisation, meetings, opinions), an area's page."""

import io

import openpyxl
import pytest
from django.urls import reverse

from councils.models import Area, Council, Meeting, Opinion, Tier
from tests.growth import grow_programme

pytestmark = pytest.mark.django_db

COUNCILS = reverse("councils:council-list")


def test_council_list_shows_tier_1_unestablished_and_the_13_tier_2(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(COUNCILS, {"tier": Tier.SECOND})
    assert len(response.context["table"].rows) == 13
    response = client.get(COUNCILS, {"tier": Tier.FIRST})
    (row,) = response.context["table"].rows
    assert row.record.is_established is False
    assert "未設置" in response.content.decode()


def test_council_list_exports_counts_as_numbers(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(COUNCILS, {"tier": Tier.SECOND, "_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert "絞り込み: 層「第2層」" in sheet["A1"].value
    headers = [c.value for c in sheet[3]]  # under the title row (core.exports)
    taira = dict(zip(headers, sheet[4], strict=True))
    assert taira["名称"].value == "平 第2層協議体"
    assert taira["会議の記録数"].value == 3
    assert taira["会議の記録数"].data_type == "n"
    assert taira["設置日"].is_date


@pytest.mark.parametrize("query", [{}, {"_export": "csv"}, {"sort": "-meeting_count"}])
def test_council_list_makes_the_same_few_queries_when_councils_grow_tenfold(
    client, city_staff, data_2017, django_assert_max_num_queries, query
):
    client.force_login(city_staff)
    with django_assert_max_num_queries(12):
        client.get(COUNCILS, query)
    grow_programme(times=10)
    with django_assert_max_num_queries(12):
        assert client.get(COUNCILS, query).status_code == 200


def test_council_page_lists_members_by_organisation_meetings_and_opinions(
    client, city_staff, data_2017
):
    council = Council.objects.get(name="平 第2層協議体")
    meeting = Meeting.objects.get(council=council, fiscal_year=2017, sequence=1)
    Opinion.objects.create(meeting=meeting, fiscal_year=2017, text="買い物の支援が必要")
    client.force_login(city_staff)
    response = client.get(council.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    for membership in council.memberships.select_related("organisation_type"):
        assert str(membership.organisation_type) in body
    assert '<time datetime="2017-07-28" title="2017年7月28日">平成29年7月28日</time>' in body
    assert "第3回" in body
    assert "買い物の支援が必要" in body


def test_a_tier_3_council_page_links_to_its_group(client, city_staff, data_2017):
    council = Council.objects.get(name="城山")
    client.force_login(city_staff)
    body = client.get(council.get_absolute_url()).content.decode()
    assert council.support_group.get_absolute_url() in body


def test_council_page_makes_a_fixed_number_of_queries(
    client, city_staff, data_2017, django_assert_max_num_queries
):
    council = Council.objects.get(name="平 第2層協議体")
    client.force_login(city_staff)
    # 17: the year's 第n回 against its plan adds the year shown, its plan and its meetings.
    with django_assert_max_num_queries(17):
        client.get(council.get_absolute_url())
    for fy in range(2018, 2028):
        for sequence in (1, 2, 3):
            meeting = Meeting.objects.create(council=council, fiscal_year=fy, sequence=sequence)
            Opinion.objects.create(meeting=meeting, fiscal_year=fy, text="意見")
    client.force_login(city_staff)
    with django_assert_max_num_queries(17):
        assert client.get(council.get_absolute_url()).status_code == 200


def test_area_page_shows_coordinator_council_meetings_and_groups(client, city_staff, data_2017):
    area = Area.objects.get(name="平")
    client.force_login(city_staff)
    body = client.get(area.get_absolute_url()).content.decode()
    assert "平地区協議会" in body
    assert "平 第2層協議体" in body
    assert "城山" in body and "鎌田" in body
    assert "33人" in body and "24人" in body


def test_area_page_makes_a_fixed_number_of_queries(
    client, city_staff, data_2017, django_assert_max_num_queries
):
    from activities.models import SupportGroup

    area = Area.objects.get(name="平")
    client.force_login(city_staff)
    # 20: the open opinions and needs section adds its list and its help-category prefetch,
    # the year's 第n回 the year shown, its plan and meetings, the small updates the areas
    # the user may change.
    with django_assert_max_num_queries(20):
        client.get(area.get_absolute_url())
    for index in range(20):
        council = Council.objects.create(name=f"追加{index}", tier=Tier.THIRD, area=area)
        SupportGroup.objects.create(name=f"追加{index}", council=council, district_label="平")
        meeting = council.meetings.create(fiscal_year=2017, sequence=1)
        meeting.opinions.create(fiscal_year=2017, text=f"未対応{index}")
    with django_assert_max_num_queries(20):
        assert client.get(area.get_absolute_url()).status_code == 200


def test_council_and_area_pages_need_a_role(client, make_user, data_2017):
    client.force_login(make_user("nobody"))
    council = Council.objects.get(name="平 第2層協議体")
    assert client.get(council.get_absolute_url()).status_code == 403
    assert client.get(council.area.get_absolute_url()).status_code == 403
    assert client.get(COUNCILS).status_code == 403


def test_unknown_council_and_area_are_404(client, city_staff, data_2017):
    client.force_login(city_staff)
    assert client.get(reverse("councils:council-detail", args=[999999])).status_code == 404
    assert client.get(reverse("councils:area-detail", args=[999999])).status_code == 404


def test_member_total_appears_only_once_a_head_count_is_known(client, city_staff, data_2017):
    council = Council.objects.get(name="平 第2層協議体")
    client.force_login(city_staff)
    assert (
        "人数が判明している構成員の計"
        not in client.get(council.get_absolute_url()).content.decode()
    )
    council.memberships.filter(organisation_type__name="大学").update(members=2)
    body = client.get(council.get_absolute_url()).content.decode()
    assert "人数が判明している構成員の計" in body
    assert ">2人<" in body.replace("\n", "")

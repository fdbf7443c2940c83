"""Districts, areas and groups beyond a select's limit (core.forms.SearchableModelChoiceField):
no page lists more than the limit in one select, and the district-first and search paths
narrow the lists. At Iwaki's size the same pages show plain selects of all 7 districts and
13 areas (tests/core/test_searchable_choices.py compares them with Django's own)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import SupportGroup
from core.forms import SELECT_OPTIONS_LIMIT
from core.wareki import fiscal_year_of
from councils.models import Area, Council, District, Meeting
from tests.growth import grow_programme

pytestmark = pytest.mark.django_db


def pages():
    return {
        "status table": reverse("status"),
        "schedule": reverse("councils:schedule", args=[fiscal_year_of(timezone.localdate())]),
        "councils": reverse("councils:council-list"),
        "meetings": reverse("councils:meeting-list"),
        "opinions": reverse("councils:opinion-list"),
        "groups": reverse("activities:supportgroup-list"),
        "supporters": reverse("activities:supporter-list"),
        "supporter import": reverse("activities:supporterimport-create"),
        "access records": reverse("accessrecord-list"),
        "surveys": reverse("needs_survey:survey-list"),
        "survey matrix": reverse("needs_survey:survey-matrix"),
        "survey compare": reverse("needs_survey:survey-compare"),
        "survey can do": reverse("needs_survey:survey-can-do"),
        "survey form": reverse("needs_survey:survey-create"),
        "survey import": reverse("needs_survey:survey-import"),
        "directory entries": reverse("directory:entry-list"),
        "directory entry form": reverse("directory:entry-create"),
        "needs and supply": reverse("directory:needs-supply"),
    }


def select_sizes(html):
    return {
        name: len(re.findall(r"<option\b", body))
        for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S)
    }


def search_boxes(html):
    return re.findall(r'<input type="search" name="([^"]+)_q"', html)


@pytest.fixture
def grown(data_2017):
    """130 areas, 106 districts, about 190 groups and 500 councils: all beyond the limit."""
    grow_programme(times=10)
    District.objects.bulk_create(
        District(name=f"試験追加地区{i}", position=2000 + i) for i in range(40)
    )
    assert min(District.objects.count(), Area.objects.count(), SupportGroup.objects.count()) > (
        SELECT_OPTIONS_LIMIT
    )


@pytest.mark.parametrize("page", list(pages()))
def test_at_iwaki_size_every_district_and_area_select_lists_them_all(
    client, administrator, data_2017, page
):
    client.force_login(administrator)
    html = client.get(pages()[page]).content.decode()
    sizes = select_sizes(html)
    assert sizes.get("district", 8) == 1 + 7
    assert sizes.get("area", 14) == 1 + 13
    assert not search_boxes(html)


@pytest.mark.parametrize("page", list(pages()))
def test_no_page_lists_more_than_the_limit_in_a_select(client, administrator, grown, page):
    client.force_login(administrator)
    response = client.get(pages()[page])
    assert response.status_code == 200
    html = response.content.decode()
    assert all(size <= SELECT_OPTIONS_LIMIT + 1 for size in select_sizes(html).values())
    assert {"district", "area", "group", "council"} & set(search_boxes(html))


def test_group_list_takes_the_district_first_then_its_areas(client, city_staff, grown):
    district = District.objects.get(name="試験地区4")
    areas = list(district.areas.order_by("position"))
    client.force_login(city_staff)
    groups = reverse("activities:supportgroup-list")
    html = client.get(groups, {"district": district.pk}).content.decode()
    assert select_sizes(html)["area"] == 1 + len(areas) == 3
    assert "area" not in search_boxes(html)
    response = client.get(groups, {"district": district.pk, "area": areas[1].pk})
    shown = {row.record for row in response.context["table"].rows}
    assert shown == set(SupportGroup.objects.filter(council__area=areas[1]))
    assert f'<option value="{areas[1].pk}" selected>' in response.content.decode()


def test_group_list_searches_areas_by_name_when_no_district_is_chosen(client, city_staff, grown):
    client.force_login(city_staff)
    groups = reverse("activities:supportgroup-list")
    html = client.get(groups).content.decode()
    assert "area" not in select_sizes(html) and "area" in search_boxes(html)
    response = client.get(groups, {"area_q": "試験圏域11"})  # 11 and 110–116
    shown = {row.record.council.area.name for row in response.context["table"].rows}
    assert shown == {"試験圏域11", *(f"試験圏域{i}" for i in range(110, 117))}


def test_status_table_searches_districts_by_name_and_still_reads_a_district_key(
    client, city_staff, grown
):
    client.force_login(city_staff)
    status = reverse("status")
    district = District.objects.get(name="試験地区4")
    by_key = client.get(status, {"district": district.pk})
    assert {row.area.name for row in by_key.context["table"].data} == {"試験圏域4", "試験圏域5"}
    by_name = client.get(status, {"district_q": "試験地区5"})  # the even ones: 50–58
    districts = {row.area.district.name for row in by_name.context["table"].data}
    assert districts == {f"試験地区{i}" for i in range(50, 59, 2)}
    assert select_sizes(by_name.content.decode())["district"] == 1 + 5


@pytest.mark.parametrize("query", [{"district": "abc"}, {"district": "99999"}, {"area": "x"}])
def test_bad_choices_are_form_errors_not_crashes(client, city_staff, grown, query):
    client.force_login(city_staff)
    for url in (reverse("status"), reverse("activities:supportgroup-list")):
        assert client.get(url, query).status_code == 200


def test_meeting_list_searches_areas_by_name(client, city_staff, grown):
    client.force_login(city_staff)
    response = client.get(reverse("councils:meeting-list"), {"area_q": "試験圏域7"})
    shown = {row.record.council.area.name for row in response.context["table"].rows}
    assert shown <= {"試験圏域7", *(f"試験圏域{i}" for i in range(70, 80))}
    assert shown and Meeting.objects.filter(council__area__name="試験圏域7").exists()


def test_survey_form_finds_its_council_by_name_when_there_are_many(client, administrator, grown):
    council = Council.objects.get(name="試験圏域12 第2層協議体")
    client.force_login(administrator)
    url = reverse("needs_survey:survey-create")
    html = client.get(url, {"council": council.pk}).content.decode()
    assert select_sizes(html)["council"] == 2  # the chosen council beside the empty choice
    assert f'<option value="{council.pk}" selected>' in html
    html = client.get(url).content.decode()
    assert "council" not in select_sizes(html) and "council" in search_boxes(html)


def test_survey_matrix_takes_a_district_by_name_and_says_when_the_name_is_ambiguous(
    client, city_staff, grown
):
    client.force_login(city_staff)
    matrix = reverse("needs_survey:survey-matrix")
    response = client.get(matrix, {"fiscal_year": "2017", "district_q": "試験地区50"})
    assert [row.area.name for row in response.context["matrix"].rows] == [
        "試験圏域50",
        "試験圏域51",
    ]
    html = client.get(matrix, {"fiscal_year": "2017", "district_q": "試験地区5"}).content.decode()
    assert "「試験地区5」を含む地区が5件あります。一覧から選んでください。" in html
    assert select_sizes(html)["district"] == 1 + 5

"""From need to response: open opinions and needs, counted per area, listed for follow-up."""

import pytest
from django.urls import reverse

from councils.models import Area, Meeting, Opinion, ResponseStatus

pytestmark = pytest.mark.django_db


def meeting_in(area_name):
    return Meeting.objects.filter(council__area__name=area_name, council__tier=2).first()


def test_open_counts_by_area_count_only_open_items_of_meetings(data_2017):
    taira, onahama = meeting_in("平"), meeting_in("小名浜")
    Opinion.objects.create(meeting=taira, fiscal_year=2017, text="a")
    Opinion.objects.create(meeting=taira, fiscal_year=2017, text="b", kind="need")
    Opinion.objects.create(meeting=taira, fiscal_year=2017, text="c", status=ResponseStatus.MEASURE)
    Opinion.objects.create(meeting=onahama, fiscal_year=2017, text="d", status=ResponseStatus.GROUP)
    counts = Opinion.objects.open_counts_by_area()
    assert counts[Area.objects.get(name="平").pk] == 2
    assert Area.objects.get(name="小名浜").pk not in counts
    assert set(Opinion.objects.open().filter(meeting=taira).values_list("text", flat=True)) == {
        "a",
        "b",
    }


def test_open_items_list_shows_open_ones_by_default(client, city_staff, data_2017):
    taira = meeting_in("平")
    Opinion.objects.create(meeting=taira, fiscal_year=2017, text="未対応のニーズ")
    Opinion.objects.create(
        meeting=taira, fiscal_year=2017, text="決まった対応", status=ResponseStatus.MEASURE
    )
    client.force_login(city_staff)
    response = client.get(reverse("councils:opinion-list"))
    assert "未対応のニーズ" in response.text
    assert "決まった対応" not in response.text
    done = client.get(reverse("councils:opinion-list"), {"status": "measure"})
    assert "決まった対応" in done.text


def test_open_items_list_makes_a_fixed_number_of_queries(
    client, city_staff, data_2017, django_assert_max_num_queries
):
    for meeting in Meeting.objects.all()[:20]:
        for n in range(3):
            Opinion.objects.create(meeting=meeting, fiscal_year=meeting.fiscal_year, text=f"{n}")
    client.force_login(city_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("councils:opinion-list"))
    assert len(response.context["object_list"]) == 60


def test_meeting_list_makes_a_fixed_number_of_queries(
    client, city_staff, data_2017, django_assert_max_num_queries
):
    for meeting in Meeting.objects.all():
        Opinion.objects.create(meeting=meeting, fiscal_year=meeting.fiscal_year, text="x")
    client.force_login(city_staff)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("councils:meeting-list"))
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == 39

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


def test_the_area_page_lists_its_open_items(client, city_staff, data_2017):
    taira = meeting_in("平")
    Opinion.objects.create(meeting=taira, fiscal_year=2017, text="見守りの担い手が足りない")
    Opinion.objects.create(
        meeting=taira, fiscal_year=2017, text="解決済みの件", status=ResponseStatus.GROUP
    )
    client.force_login(city_staff)
    response = client.get(taira.council.area.get_absolute_url())
    assert "未対応の意見・ニーズ" in response.text
    assert "見守りの担い手が足りない" in response.text
    assert "解決済みの件" not in response.text


def test_the_status_table_counts_open_items_per_area(client, city_staff, data_2017):
    taira = meeting_in("平")
    for text in ["a", "b"]:
        Opinion.objects.create(meeting=taira, fiscal_year=2017, text=text)
    client.force_login(city_staff)
    response = client.get(reverse("status"), {"fiscal_year": 2017})
    rows = {row.area.name: row for row in response.context["table"].data}
    assert rows["平"].open_items == 2
    assert rows["小名浜"].open_items == 0
    assert "未対応の意見・ニーズ" in response.text
    assert f"?area={taira.council.area_id}&amp;status=open" in response.text


def test_the_council_page_offers_logging_only_to_its_editors(
    client, coordinator_taira, coordinator_onahama, data_2017
):
    council = meeting_in("平").council
    client.force_login(coordinator_taira)
    assert "この協議体の会議を記録する" in client.get(council.get_absolute_url()).text
    client.force_login(coordinator_onahama)
    assert "この協議体の会議を記録する" not in client.get(council.get_absolute_url()).text


def test_an_item_followed_up_at_a_later_meeting_counts_once_by_its_latest_status(data_2017):
    first, second = Meeting.objects.filter(council__name="平 第2層協議体").order_by("sequence")[:2]
    earlier = Opinion.objects.create(meeting=first, fiscal_year=2017, text="買い物が大変")
    later = Opinion.objects.create(
        meeting=second, fiscal_year=2017, text="買い物の対応を検討中", follows=earlier
    )
    assert list(Opinion.objects.open().filter(meeting__council=first.council)) == [later]
    later.status = ResponseStatus.MEASURE
    later.save()
    assert not Opinion.objects.open().filter(meeting__council=first.council).exists()
    area = first.council.area_id
    assert area not in Opinion.objects.open_counts_by_area()

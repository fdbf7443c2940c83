"""The coordinators' list and page: placement, areas covered, since when."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from coordinators.models import Coordinator
from tests.growth import grow_programme

pytestmark = pytest.mark.django_db

COORDINATORS = reverse("coordinators:coordinator-list")


def test_coordinator_list_shows_the_8_placements_areas_and_since(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(COORDINATORS)
    body = response.content.decode()
    assert len(response.context["table"].rows) == 8
    assert "内郷地区協議会" in body
    assert ">好間</a>" in body
    assert "各圏域の統括" in body
    assert '<time datetime="2015-04-01" title="2015年4月1日">平成27年4月1日</time>' in body


def test_coordinator_list_exports_since_as_a_date_and_areas_as_text(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(COORDINATORS, {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[3]]  # under the title row (core.exports)
    rows = [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=4)]
    uchigo = next(r for r in rows if r["配置場所"].value == "内郷地区協議会")
    assert uchigo["担当圏域"].value == "内郷・好間・三和"
    assert uchigo["設置年月日"].value.date() == date(2015, 4, 1)
    assert uchigo["番号"].data_type == "n"


def test_headquarters_coordinator_page_lists_every_area(client, city_staff, data_2017):
    client.force_login(city_staff)
    hq = Coordinator.objects.get(supervises_all=True)
    response = client.get(hq.get_absolute_url())
    assert len(response.context["areas"]) == 13
    assert "川前 第2層協議体" in response.content.decode()


@pytest.mark.parametrize("query", [{}, {"_export": "xlsx"}, {"sort": "-since"}])
def test_coordinator_list_makes_the_same_few_queries_when_coordinators_grow_tenfold(
    client, city_staff, data_2017, django_assert_max_num_queries, query
):
    client.force_login(city_staff)
    with django_assert_max_num_queries(10):
        client.get(COORDINATORS, query)
    grow_programme(times=10)
    with django_assert_max_num_queries(10):
        assert client.get(COORDINATORS, query).status_code == 200


def test_coordinator_page_makes_the_same_few_queries_however_many_areas(
    client, city_staff, data_2017, django_assert_max_num_queries
):
    client.force_login(city_staff)
    hq = Coordinator.objects.get(supervises_all=True)
    with django_assert_max_num_queries(10):
        client.get(hq.get_absolute_url())
    grow_programme(times=10)
    with django_assert_max_num_queries(10):
        assert client.get(hq.get_absolute_url()).status_code == 200


def test_coordinator_pages_need_a_role(client, make_user, data_2017):
    assert client.get(COORDINATORS).status_code == 302
    client.force_login(make_user("nobody"))
    assert client.get(COORDINATORS).status_code == 403
    assert client.get(Coordinator.objects.first().get_absolute_url()).status_code == 403

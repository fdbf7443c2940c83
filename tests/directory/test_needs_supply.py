"""Needs against supply: the survey's wished-for help beside the entries that give it; a gap
where residents asked and no active entry of the area helps."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.models import Area, Council, Tier
from directory.models import Entry, EntryStatus
from directory.supply import needs_and_supply
from needs_survey.models import HelpCategory, Survey, SurveyResult
from tests.growth import grow_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def onahama_survey(data_2017):
    council = Council.objects.get(area__name="小名浜", tier=Tier.SECOND)
    survey = Survey.objects.create(council=council, fiscal_year=2017)
    for number, requests in ((5, 12), (9, 5), (1, 0)):
        SurveyResult.objects.create(
            survey=survey, category=HelpCategory.objects.get(number=number), requests=requests
        )
    return survey


def cell(rows, area, number):
    row = next(row for row in rows if row.area.name == area)
    return next(c for c in row.cells if c.category.number == number)


def test_needs_beside_the_entries_that_give_them(onahama_survey):
    Entry.objects.filter(support_group__name="永崎").update(is_published=True)
    _, rows = needs_and_supply(2017, Area.objects.all())
    garbage = cell(rows, "小名浜", 5)
    assert (garbage.requests, garbage.active, garbage.published) == (12, 2, 1)
    assert not garbage.is_gap
    laundry = cell(rows, "小名浜", 9)
    assert (laundry.requests, laundry.active) == (5, 0) and laundry.is_gap
    assert not cell(rows, "小名浜", 1).is_gap  # nobody asked
    assert cell(rows, "平", 9).requests is None and not cell(rows, "平", 9).is_gap
    assert [c.category.name for c in next(r for r in rows if r.area.name == "小名浜").gaps] == [
        "洗濯"
    ]


def test_a_suspended_or_ended_entry_does_not_count_as_supply(onahama_survey):
    Entry.objects.filter(area__name="小名浜").update(status=EntryStatus.SUSPENDED)
    _, rows = needs_and_supply(2017, Area.objects.all())
    assert cell(rows, "小名浜", 5).is_gap


def test_the_page_shows_the_gaps_to_staff_and_coordinators(client, city_staff, onahama_survey):
    client.force_login(city_staff)
    body = client.get(reverse("directory:needs-supply"), {"fiscal_year": 2017}).content.decode()
    assert "ニーズと地域資源 平成29年度" in body
    onahama_row = re.search(r"<th scope=\"row\">小名浜.*?</tr>", body, re.S).group(0)
    assert "12人" in onahama_row and "不足" in onahama_row
    assert re.search(r"<td>洗濯</td>\s*</tr>", onahama_row)
    assert "調査未入力" in re.search(r"<th scope=\"row\">平.*?</tr>", body, re.S).group(0)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_with_ten_times_the_areas(
    client, city_staff, onahama_survey
):
    client.force_login(city_staff)
    url = reverse("directory:needs-supply")
    queries(client, url)  # the session's first touch
    before = queries(client, url)
    grow_programme(times=10)
    assert queries(client, url) == before <= 16

"""The fiscal-year meeting schedule: the plan, and per area planned against held."""

import io
import re
from datetime import date

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from councils.models import District, Meeting, MeetingStatus
from tests.growth import grow_programme

pytestmark = pytest.mark.django_db


def schedule(fy=2017):
    return reverse("councils:schedule", args=[fy])


def test_schedule_shows_the_plan_with_themes_and_year_round_tasks(client, city_staff, data_2017):
    client.force_login(city_staff)
    body = client.get(schedule()).content.decode()
    assert "第1回第2層協議体の開催" in body
    assert "地域ニーズ調査結果報告" in body
    assert "担い手の養成やフォローアップ" in body
    assert "通年" in body
    assert "第3層との連携" in body
    assert '<time datetime="2018-02" title="2018年2月">平成30年2月</time>〜' in body
    # the note that reads the scan's 「第3回第3層協議体」 as the tier-2 councils' third meeting
    assert "文脈上は第2層協議体の第3回と読む" in body


def test_schedule_shows_per_area_planned_month_held_date_and_status(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(schedule())
    rows = {row.record.area.name: row.record for row in response.context["table"].rows}
    assert len(rows) == 13
    taira = rows["平"]
    assert taira.planned_month(1) == date(2017, 7, 1)
    assert taira.held_on(1) == date(2017, 7, 28)
    assert taira.planned_month(3) == date(2018, 2, 1)
    assert taira.held_on(3) is None
    assert taira.status(3) == "予定"
    assert taira.held_count == 2
    assert "開催済み 26回 / 記録 39回" in response.content.decode()


def test_schedule_status_follows_a_meeting_being_held(client, city_staff, data_2017):
    Meeting.objects.filter(council__area__name="平", fiscal_year=2017, sequence=3).update(
        status=MeetingStatus.HELD, held_on=date(2018, 2, 20)
    )
    client.force_login(city_staff)
    rows = {r.record.area.name: r.record for r in client.get(schedule()).context["table"].rows}
    assert rows["平"].held_on(3) == date(2018, 2, 20)
    assert rows["平"].held_count == 3


def test_schedule_filters_by_district(client, city_staff, data_2017):
    client.force_login(city_staff)
    district = District.objects.get(name="四倉")
    response = client.get(schedule(), {"district": district.pk})
    assert [r.record.area.name for r in response.context["table"].rows] == ["四倉", "久之浜大久"]


def test_schedule_exports_dates_as_dates(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(schedule(), {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.startswith("開催状況 平成29年度 ／ 絞り込みなし(全件) ／ ")
    headers = [c.value for c in sheet[3]]  # under the title row (core.exports)
    assert headers[:4] == ["地区", "圏域", "第1回 予定", "第1回 開催日"]
    taira = dict(zip(headers, sheet[4], strict=True))
    # A month planned is a month in era text, never its first day as a date.
    assert re.fullmatch(r"平成\d+年\d+月", taira["第1回 予定"].value)
    assert taira["第1回 開催日"].is_date
    assert taira["第1回 開催日"].value.date() == date(2017, 7, 28)
    assert taira["第3回 開催日"].value is None
    assert taira["第3回 状況"].value == "予定"
    assert taira["開催回数"].data_type == "n"


def test_schedule_of_a_year_without_records_says_so(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(schedule(2016))
    assert response.status_code == 200
    assert "この年度の計画は登録されていません" in response.content.decode()


def test_schedule_of_an_impossible_year_is_404(client, city_staff, data_2017):
    client.force_login(city_staff)
    assert client.get(schedule(99999)).status_code == 404
    assert client.get(schedule(1000)).status_code == 404


def test_current_schedule_goes_to_the_latest_recorded_year(client, city_staff, data_2017):
    client.force_login(city_staff)
    with time_machine.travel(date(2026, 11, 26)):
        response = client.get(reverse("councils:schedule-current"))
    assert response["Location"] == schedule(2017)
    with time_machine.travel(date(2018, 1, 10)):
        response = client.get(reverse("councils:schedule-current"))
    assert response["Location"] == schedule(2017)


def test_schedule_needs_a_role(client, make_user, data_2017):
    assert client.get(schedule()).status_code == 302
    client.force_login(make_user("nobody"))
    assert client.get(schedule()).status_code == 403
    assert client.get(reverse("councils:schedule-current")).status_code == 403


@pytest.mark.parametrize("query", [{}, {"_export": "xlsx"}, {"sort": "-held_1"}])
def test_schedule_makes_the_same_few_queries_when_areas_grow_tenfold(
    client, city_staff, data_2017, django_assert_max_num_queries, query
):
    client.force_login(city_staff)
    # 16: the tier-2 councils and the areas the user may log (the 「記録する」 links), and
    # whether the next year has a plan (for city staff, who make it).
    with django_assert_max_num_queries(16):
        client.get(schedule(), query)
    grow_programme(times=10)
    with django_assert_max_num_queries(16):
        assert client.get(schedule(), query).status_code == 200

"""Logging from where the gap shows: an empty (or due) meeting cell on the status table, the
schedule, the area and council pages is a 「記録する」 link for those who may log it, with the
council, year and 第n回 filled in."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from councils.models import Council, Meeting, SchedulePhase

pytestmark = pytest.mark.django_db


@pytest.fixture
def taira():
    return Council.objects.get(name="平 第2層協議体")


@pytest.fixture
def plan_2019():
    """The plan of FY2019 with 第1回 in July and 第2回 in November, and no meeting yet."""
    for position, (sequence, month) in enumerate([(1, 7), (2, 11)], start=1):
        SchedulePhase.objects.create(
            fiscal_year=2019,
            position=position,
            sequence=sequence,
            starts_in=date(2019, month, 1),
            title=f"第{sequence}回",
            topics="x",
        )


def create_link(council, fiscal_year, sequence):
    return (
        f"{reverse('councils:meeting-create')}?council={council.pk}"
        f"&amp;fiscal_year={fiscal_year}&amp;sequence={sequence}"
    )


def test_the_status_tables_empty_cell_links_to_log_that_meeting(
    client, coordinator_taira, taira, plan_2019
):
    client.force_login(coordinator_taira)
    body = client.get(reverse("status") + "?fiscal_year=2019").content.decode()
    assert create_link(taira, 2019, 1) in body
    onahama = Council.objects.get(name="小名浜 第2層協議体")
    assert create_link(onahama, 2019, 1) not in body  # not theirs to log


def test_city_staff_see_no_log_links(client, city_staff, taira, plan_2019):
    client.force_login(city_staff)
    for url in (
        reverse("status") + "?fiscal_year=2019",
        reverse("councils:schedule", args=[2019]),
        taira.get_absolute_url(),
        taira.area.get_absolute_url(),
    ):
        assert "log-link" not in client.get(url).content.decode(), url


def test_the_link_opens_the_form_with_year_and_number_filled_in(
    client, coordinator_taira, taira, plan_2019
):
    client.force_login(coordinator_taira)
    response = client.get(
        f"{reverse('councils:meeting-create')}?council={taira.pk}&fiscal_year=2019&sequence=2"
    )
    form = response.context["form"]
    assert (form.initial["fiscal_year"], form.initial["sequence"]) == (2019, 2)
    assert 'value="令和元年度"' in response.content.decode()


def test_the_link_to_a_meeting_recorded_meanwhile_opens_that_meeting(
    client, coordinator_taira, taira
):
    meeting = Meeting.objects.create(council=taira, fiscal_year=2019, sequence=1)
    client.force_login(coordinator_taira)
    response = client.get(
        f"{reverse('councils:meeting-create')}?council={taira.pk}&fiscal_year=2019&sequence=1"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("councils:meeting-update", args=[meeting.pk])


@time_machine.travel(date(2018, 3, 10), tick=False)
def test_a_due_planned_meeting_offers_to_log_it_on_the_status_table_and_schedule(
    client, coordinator_taira, taira
):
    meeting = Meeting.objects.get(council=taira, fiscal_year=2017, sequence=3)
    edit = reverse("councils:meeting-update", args=[meeting.pk])
    client.force_login(coordinator_taira)
    status = client.get(reverse("status") + "?fiscal_year=2017").content.decode()
    schedule = client.get(reverse("councils:schedule", args=[2017])).content.decode()
    assert f'href="{edit}"' in status
    assert f'href="{edit}"' in schedule


@time_machine.travel(date(2017, 12, 10), tick=False)
def test_a_planned_meeting_not_yet_due_offers_nothing(client, coordinator_taira, taira):
    meeting = Meeting.objects.get(council=taira, fiscal_year=2017, sequence=3)
    client.force_login(coordinator_taira)
    status = client.get(reverse("status") + "?fiscal_year=2017").content.decode()
    assert reverse("councils:meeting-update", args=[meeting.pk]) not in status


def test_the_schedule_offers_to_log_the_missing_meetings_and_exports_the_status_alone(
    client, coordinator_taira, taira, plan_2019
):
    client.force_login(coordinator_taira)
    body = client.get(reverse("councils:schedule", args=[2019])).content.decode()
    assert create_link(taira, 2019, 1) in body
    assert create_link(taira, 2019, 2) in body
    export = client.get(reverse("councils:schedule", args=[2019]), {"_export": "csv"})
    text = export.content.decode("utf-8-sig")
    assert "記録する" not in text
    assert "記録なし" in text


@time_machine.travel(date(2019, 12, 1), tick=False)
def test_the_area_and_council_pages_show_the_years_meetings_against_the_plan(
    client, coordinator_taira, taira, plan_2019
):
    Meeting.objects.create(
        council=taira, fiscal_year=2019, sequence=1, status="held", held_on=date(2019, 7, 26)
    )
    client.force_login(coordinator_taira)
    for url in (taira.get_absolute_url(), taira.area.get_absolute_url()):
        body = client.get(url).content.decode()
        assert "令和元年度の第n回" in body, url
        assert "令和元年7月26日(金)" in body, url
        assert "記録なし(計画: " in body, url
        assert create_link(taira, 2019, 2) in body, url
        assert create_link(taira, 2019, 1) not in body, url

"""A meeting record that cannot mislead: a meeting dated today or earlier and not cancelled is
held; minutes are unknown unless someone set them; a save writes history only for what changed."""

import importlib
from datetime import date

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from councils.models import Council, FollowUp, Meeting, MeetingStatus, Opinion
from tests.councils.meeting_data import meeting_post

pytestmark = pytest.mark.django_db

# A Monday in 令和8年度 (FY2026).
TODAY = date(2026, 11, 30)


@pytest.fixture
def taira():
    return Council.objects.get(name="平 第2層協議体")


def create_url(council):
    return f"{reverse('councils:meeting-create')}?council={council.pk}"


def post_new(client, council, **fields):
    data = meeting_post(fiscal_year="令和8年度", sequence="1", minutes_status="", **fields)
    return client.post(create_url(council), data, follow=True)


@time_machine.travel(TODAY, tick=False)
def test_a_meeting_of_today_left_planned_is_recorded_as_held_and_the_page_says_so(
    client, coordinator_taira, taira
):
    client.force_login(coordinator_taira)
    response = post_new(client, taira, status="planned", held_on="20261130")
    meeting = Meeting.objects.get(council=taira, fiscal_year=2026)
    assert meeting.status == MeetingStatus.HELD
    assert meeting.held_on == TODAY
    body = response.content.decode()
    assert "今日以前のため、状況を「開催済み」として記録しました" in body
    assert "令和8年11月30日(月)" in body


@time_machine.travel(TODAY, tick=False)
def test_the_status_table_shows_a_meeting_of_today_as_held(client, coordinator_taira, taira):
    client.force_login(coordinator_taira)
    post_new(client, taira, status="planned", held_on="令和8年11月30日")
    row = next(
        r for r in client.get(reverse("status")).context["table"].data if r.area.name == "平"
    )
    assert row.meeting_1.status == MeetingStatus.HELD


@time_machine.travel(TODAY, tick=False)
def test_a_cancelled_meeting_of_a_past_date_stays_cancelled(client, coordinator_taira, taira):
    client.force_login(coordinator_taira)
    post_new(client, taira, status="cancelled", held_on="令和8年11月29日(日)")
    meeting = Meeting.objects.get(council=taira, fiscal_year=2026)
    assert meeting.status == MeetingStatus.CANCELLED


@time_machine.travel(TODAY, tick=False)
def test_a_meeting_planned_for_tomorrow_stays_planned(client, coordinator_taira, taira):
    client.force_login(coordinator_taira)
    response = post_new(client, taira, status="planned", held_on="令和8年12月1日")
    meeting = Meeting.objects.get(council=taira, fiscal_year=2026)
    assert meeting.status == MeetingStatus.PLANNED
    assert "開催済み」として記録しました" not in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_the_held_rule_holds_in_the_model_for_the_admin_too(taira):
    meeting = Meeting(council=taira, fiscal_year=2026, sequence=1, held_on=date(2026, 11, 1))
    meeting.full_clean()
    assert meeting.status == MeetingStatus.HELD


@time_machine.travel(TODAY, tick=False)
def test_a_planned_meeting_whose_date_passed_is_due_and_its_page_says_to_record_it(
    client, coordinator_taira, taira
):
    meeting = Meeting.objects.create(
        council=taira, fiscal_year=2026, sequence=1, held_on=date(2026, 11, 20)
    )
    assert meeting.is_due
    assert Meeting.objects.due(TODAY).filter(pk=meeting.pk).exists()
    client.force_login(coordinator_taira)
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "まだ開催の記録がありません" in body
    assert reverse("councils:meeting-update", args=[meeting.pk]) in body


def test_a_new_meeting_has_unknown_minutes_shown_as_a_dash(client, coordinator_taira, taira):
    client.force_login(coordinator_taira)
    page = client.get(create_url(taira)).content.decode()
    assert '<option value="" selected>— (未記録)</option>' in page
    response = client.post(create_url(taira), meeting_post(minutes_status=""), follow=True)
    meeting = Meeting.objects.get(council=taira, fiscal_year=2018)
    assert meeting.minutes_status == ""
    assert "<dt>議事録</dt><dd>—</dd>" in response.content.decode()


def test_the_2017_meetings_say_nothing_of_minutes(client, city_staff):
    assert not Meeting.objects.filter(fiscal_year=2017).exclude(minutes_status="").exists()
    client.force_login(city_staff)
    meeting = Meeting.objects.get(council__name="平 第2層協議体", fiscal_year=2017, sequence=1)
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "下書き" not in body
    assert "<dt>議事録</dt><dd>—</dd>" in body


def test_the_migration_makes_a_default_draft_unknown_and_keeps_a_confirmed_one(taira):
    migration = importlib.import_module("councils.migrations.0006_minutes_unknown_versions")
    draft = Meeting.objects.create(
        council=taira, fiscal_year=2030, sequence=1, minutes_status="draft"
    )
    confirmed = Meeting.objects.create(
        council=taira,
        fiscal_year=2030,
        sequence=2,
        status=MeetingStatus.HELD,
        held_on=date(2018, 5, 1),
        minutes_status="confirmed",
    )
    migration.draft_becomes_unknown(apps, None)
    draft.refresh_from_db()
    confirmed.refresh_from_db()
    assert draft.minutes_status == ""
    assert confirmed.minutes_status == "confirmed"
    assert not draft.history.filter(minutes_status="draft").exists()


def test_saving_the_whole_meeting_writes_history_only_for_what_changed(
    client, coordinator_taira, taira
):
    client.force_login(coordinator_taira)
    client.post(
        create_url(taira),
        meeting_post(
            opinions=[{"text": "一つ目"}, {"text": "二つ目"}],
            follow_ups=[{"action": "名簿を作る"}, {"action": "広報する"}],
        ),
    )
    meeting = Meeting.objects.get(council=taira, fiscal_year=2018)
    first, second = meeting.opinions.order_by("position")
    follow_up_1, follow_up_2 = meeting.follow_ups.order_by("position")
    form = client.get(reverse("councils:meeting-update", args=[meeting.pk])).context["form"]
    data = meeting_post(
        base_version=str(meeting.version),
        began_at=form.initial["began_at"],
        initial_opinions=2,
        initial_follow_ups=2,
        opinions=[
            {"id": str(first.pk), "text": "一つ目"},
            {"id": str(second.pk), "text": "二つ目", "status": "measure"},
        ],
        follow_ups=[
            {"id": str(follow_up_1.pk), "action": "名簿を作る"},
            {"id": str(follow_up_2.pk), "action": "広報する", "done": "on"},
        ],
    )
    response = client.post(reverse("councils:meeting-update", args=[meeting.pk]), data)
    assert response.status_code == 302
    assert first.history.count() == 1  # created only
    assert second.history.count() == 2  # created, then its status
    assert follow_up_1.history.count() == 1
    assert follow_up_2.history.count() == 2
    assert meeting.history.count() == 1  # the meeting itself did not change
    second.refresh_from_db()
    assert second.status == "measure"
    assert second.version == 2
    first.refresh_from_db()
    assert first.version == 1


def test_an_opinion_of_a_deleted_row_moves_up_and_is_saved_for_its_new_position(
    client, coordinator_taira, taira
):
    client.force_login(coordinator_taira)
    client.post(create_url(taira), meeting_post(opinions=[{"text": "一"}, {"text": "二"}]))
    meeting = Meeting.objects.get(council=taira, fiscal_year=2018)
    first, second = meeting.opinions.order_by("position")
    form = client.get(reverse("councils:meeting-update", args=[meeting.pk])).context["form"]
    data = meeting_post(
        base_version=str(meeting.version),
        began_at=form.initial["began_at"],
        initial_opinions=2,
        opinions=[
            {"id": str(first.pk), "text": "一", "DELETE": "on"},
            {"id": str(second.pk), "text": "二"},
        ],
    )
    client.post(reverse("councils:meeting-update", args=[meeting.pk]), data)
    assert not Opinion.objects.filter(pk=first.pk).exists()
    second.refresh_from_db()
    assert second.position == 1


def test_follow_ups_sort_by_due_date_with_the_overdue_first_and_undated_last(taira):
    meeting = Meeting.objects.create(council=taira, fiscal_year=2030, sequence=1)
    later = FollowUp.objects.create(meeting=meeting, action="後", due_on=date(2031, 1, 10))
    undated = FollowUp.objects.create(meeting=meeting, action="未定")
    overdue = FollowUp.objects.create(meeting=meeting, action="先", due_on=date(2020, 1, 1))
    ordered = list(FollowUp.objects.filter(meeting=meeting).by_due_date())
    assert ordered == [overdue, later, undated]
    assert list(FollowUp.objects.filter(meeting=meeting).overdue(date(2026, 1, 1))) == [overdue]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_minutes_migration_runs_backwards_and_forwards_on_the_2017_data():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tests.conftest import load_2017

    load_2017()
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    before = [("councils", "0005_text_limits")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("councils", "Meeting")
    assert set(old.objects.values_list("minutes_status", flat=True)) == {"draft"}
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    assert set(Meeting.objects.values_list("minutes_status", flat=True)) == {""}


def test_earlier_opinions_are_offered_with_their_year_in_era_form(client, coordinator_taira, taira):
    earlier = Meeting.objects.get(council=taira, fiscal_year=2017, sequence=1)
    Opinion.objects.create(meeting=earlier, fiscal_year=2017, text="移動販売の一覧がほしい")
    client.force_login(coordinator_taira)
    body = client.get(create_url(taira)).content.decode()
    assert ">平成29年度 第1回: 移動販売の一覧がほしい</option>" in body
    assert "2017年度" not in body
    assert "— (続きではない)" in body

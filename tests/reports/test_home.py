"""The home page: each role sees its own work first, every figure with its year or as-of
date, and the page costs the same number of queries however large the programme grows."""

from datetime import date

import pytest
import time_machine
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Supporter, SupportGroup
from councils.models import Council, FollowUp, Meeting, MeetingStatus, Opinion, SchedulePhase
from needs_survey.models import Survey

pytestmark = pytest.mark.django_db

# 平成30年3月10日: in FY2017, after the month (February 2018) planned for every 第3回.
MARCH_2018 = date(2018, 3, 10)


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def section_keys(response):
    return [section.key for section in response.context["sections"]]


def section(response, key):
    return next(s for s in response.context["sections"] if s.key == key)


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_home_refuses_a_user_without_a_role(client, make_user, data_2017):
    client.force_login(make_user("nobody"))
    assert client.get(reverse("home")).status_code == 403


# --- what each role sees ------------------------------------------------------------------


def test_a_coordinator_sees_their_work_first(client, coordinator_taira):
    keys = section_keys(home(client, coordinator_taira))
    assert keys == [
        "meetings-to-log",
        "follow-ups",
        "open-opinions",
        "journal",  # the activity journal's quick entry (journal.views.quick_entry_context)
        "stale-rosters",
        "surveys-to-enter",
        "directory",  # public directory entries to re-confirm (directory.home)
        "headline",
    ]


def test_city_staff_see_the_year_across_areas_and_the_plan(client, city_staff, data_2017):
    assert section_keys(home(client, city_staff)) == [
        "year-progress",
        "year-plan",
        "directory",
        "headline",
    ]


def test_an_administrator_sees_both(client, administrator, data_2017):
    keys = section_keys(home(client, administrator))
    assert keys[:5] == [
        "meetings-to-log",
        "follow-ups",
        "open-opinions",
        "stale-rosters",
        "surveys-to-enter",
    ]
    # The directory section comes once, among the coordinator's, though both lists hold it.
    assert keys[5:] == ["directory", "year-progress", "year-plan", "headline"]


# --- a coordinator's work -----------------------------------------------------------------


@time_machine.travel(MARCH_2018, tick=False)
def test_meetings_whose_month_passed_are_due_with_a_link_to_log_them(client, coordinator_taira):
    response = home(client, coordinator_taira)
    due = section(response, "meetings-to-log").context["due"]
    # 平's 第3回 was planned for 平成30年2月 and has no record of what happened.
    assert [(slot.council.name, slot.sequence) for slot in due] == [("平 第2層協議体", 3)]
    meeting = Meeting.objects.get(council__name="平 第2層協議体", fiscal_year=2017, sequence=3)
    body = response.content.decode()
    assert f'href="{reverse("councils:meeting-update", args=[meeting.pk])}"' in body
    assert "記録する" in body


@time_machine.travel(date(2018, 1, 20), tick=False)
def test_the_next_planned_meetings_are_listed_before_their_month(client, coordinator_taira):
    context = section(home(client, coordinator_taira), "meetings-to-log").context
    assert context["due"] == []
    assert [(s.council.name, s.sequence) for s in context["upcoming"]] == [("平 第2層協議体", 3)]


@time_machine.travel(date(2019, 9, 2), tick=False)
def test_a_planned_phase_without_any_record_is_due_with_council_year_and_number_filled_in(
    client, coordinator_taira
):
    SchedulePhase.objects.create(
        fiscal_year=2019,
        position=1,
        sequence=1,
        starts_in=date(2019, 7, 1),
        title="第1回",
        topics="x",
    )
    council = Council.objects.get(name="平 第2層協議体")
    response = home(client, coordinator_taira)
    due = section(response, "meetings-to-log").context["due"]
    # (平成29年度 第3回, planned for February 2018 and never recorded, is due as well.)
    assert [(s.council, s.sequence, s.meeting) for s in due if s.fiscal_year == 2019] == [
        (council, 1, None)
    ]
    link = f"{reverse('councils:meeting-create')}?council={council.pk}&amp;fiscal_year=2019&amp;sequence=1"
    assert link in response.content.decode()


def test_another_areas_work_is_not_on_a_coordinators_home(client, coordinator_onahama):
    taira = Council.objects.get(name="平 第2層協議体")
    meeting = Meeting.objects.create(council=taira, fiscal_year=2018, sequence=1)
    FollowUp.objects.create(meeting=meeting, action="平の取組")
    Opinion.objects.create(meeting=meeting, fiscal_year=2018, text="平の意見")
    body = home(client, coordinator_onahama).content.decode()
    assert "平の取組" not in body
    assert "平の意見" not in body


@time_machine.travel(date(2019, 6, 1), tick=False)
def test_follow_ups_come_by_due_date_overdue_first_each_with_a_done_button(
    client, coordinator_taira
):
    taira = Council.objects.get(name="平 第2層協議体")
    meeting = Meeting.objects.create(
        council=taira, fiscal_year=2018, sequence=1, status="held", held_on=date(2018, 7, 1)
    )
    later = FollowUp.objects.create(meeting=meeting, action="先の取組", due_on=date(2019, 8, 1))
    overdue = FollowUp.objects.create(meeting=meeting, action="遅れた取組", due_on=date(2019, 5, 1))
    FollowUp.objects.create(meeting=meeting, action="済んだ取組", done=True)
    response = home(client, coordinator_taira)
    context = section(response, "follow-ups").context
    assert context["rows"] == [overdue, later]
    assert context["overdue"] == 1
    body = response.content.decode()
    assert "期限切れ 1件" in body
    assert "令和元年5月1日(水)" in body
    assert reverse("councils:followup-done", args=[overdue.pk]) in body
    assert "済んだ取組" not in body


def test_open_opinions_come_with_the_form_to_record_a_response(client, coordinator_taira):
    taira = Council.objects.get(name="平 第2層協議体")
    meeting = Meeting.objects.create(council=taira, fiscal_year=2018, sequence=1)
    opinion = Opinion.objects.create(meeting=meeting, fiscal_year=2018, text="ごみ出しが難しい")
    Opinion.objects.create(meeting=meeting, fiscal_year=2018, text="決まった", status="measure")
    response = home(client, coordinator_taira)
    assert section(response, "open-opinions").context["rows"] == [opinion]
    assert reverse("councils:opinion-response", args=[opinion.pk]) in response.content.decode()


def test_groups_whose_roster_never_changed_or_not_for_a_year_are_listed(client, coordinator_taira):
    fresh = SupportGroup.objects.filter(council__area__name="平").order_by("pk").first()
    Supporter.objects.create(group=fresh, name="山田 花子")  # a change today: not stale
    response = home(client, coordinator_taira)
    rows = section(response, "stale-rosters").context["rows"]
    names = {group.name for group in rows}
    assert fresh.name not in names
    stale = SupportGroup.objects.filter(council__area__name="平").exclude(pk=fresh.pk)
    assert names == {group.name for group in stale}
    assert all(group.last_update is None for group in rows)  # never a list here
    body = response.content.decode()
    assert "名簿の登録なし" in body
    some = rows[0]
    assert f"{reverse('activities:supporterimport-create')}?group={some.pk}" in body


def test_a_roster_changed_more_than_a_year_ago_shows_when(client, coordinator_taira):
    group = SupportGroup.objects.filter(council__area__name="平").order_by("pk").first()
    with time_machine.travel(date(2024, 4, 1), tick=False):
        Supporter.objects.create(group=group, name="山田 花子")
    rows = section(home(client, coordinator_taira), "stale-rosters").context["rows"]
    row = next(r for r in rows if r.pk == group.pk)
    assert row.last_update.date() == date(2024, 4, 1)


@time_machine.travel(date(2018, 5, 1), tick=False)
def test_the_needs_survey_of_the_current_year_is_asked_for_until_entered(client, coordinator_taira):
    council = Council.objects.get(name="平 第2層協議体")
    response = home(client, coordinator_taira)
    context = section(response, "surveys-to-enter").context
    assert context["survey_year"] == 2018
    assert [row["area"].name for row in context["rows"]] == ["平"]
    body = response.content.decode()
    assert (
        f"{reverse('needs_survey:survey-create')}?council={council.pk}&amp;fiscal_year=2018" in body
    )
    survey = Survey.objects.create(council=council, fiscal_year=2018)
    response = home(client, coordinator_taira)
    assert reverse("needs_survey:survey-update", args=[survey.pk]) in response.content.decode()


# --- city staff -----------------------------------------------------------------------------


@time_machine.travel(date(2018, 3, 10), tick=False)
def test_staff_see_progress_by_meeting_and_the_areas_needing_attention(client, city_staff):
    taira = Council.objects.get(name="平 第2層協議体")
    meeting = Meeting.objects.get(council=taira, fiscal_year=2017, sequence=2)
    FollowUp.objects.create(meeting=meeting, action="遅れ", due_on=date(2018, 1, 31))
    response = home(client, city_staff)
    context = section(response, "year-progress").context
    assert context["by_sequence"] == [
        {"sequence": 1, "recorded": 13, "held": 13, "planned": 0, "cancelled": 0, "missing": 0},
        {"sequence": 2, "recorded": 13, "held": 13, "planned": 0, "cancelled": 0, "missing": 0},
        {"sequence": 3, "recorded": 13, "held": 0, "planned": 13, "cancelled": 0, "missing": 0},
    ]
    assert context["quiet_total"] == 0  # every area met in November 2017
    assert [(a.area.name, a.overdue) for a in context["behind"]] == [("平", 1)]
    assert context["unrecorded_total"] == 13  # every 第3回 was due in February
    body = response.content.decode()
    assert "平成29年9月1日</time>以降" in body


@time_machine.travel(date(2026, 11, 30), tick=False)
def test_areas_without_a_meeting_for_six_months_are_named(client, city_staff):
    context = section(home(client, city_staff), "year-progress").context
    assert context["quiet_total"] == 13
    assert context["quiet"][0].last_held == date(2017, 11, 27)  # 平's last


@time_machine.travel(date(2026, 11, 30), tick=False)
def test_staff_are_offered_to_make_this_and_next_years_plan(client, city_staff):
    response = home(client, city_staff)
    assert section(response, "year-plan").context["years"] == [(2026, False), (2027, False)]
    body = response.content.decode()
    assert f"{reverse('councils:plan-create')}?fiscal_year=2027" in body


# --- the headline: a year or an as-of date on every figure --------------------------------


@time_machine.travel(date(2026, 11, 30), tick=False)
def test_every_headline_figure_says_its_year_or_as_of_date(client, city_staff, coordinator_taira):
    taira = Council.objects.get(name="平 第2層協議体")
    Meeting.objects.create(
        council=taira, fiscal_year=2026, sequence=1, status="held", held_on=date(2026, 7, 1)
    )
    response = home(client, city_staff)
    headline = section(response, "headline").context
    assert headline["fiscal_year"] == 2026
    assert headline["meetings"] == {"held": 1, "planned": 0}
    assert headline["groups"] == {"total": 15, "model": 15}
    assert headline["supporters"].groups_reported == 299
    assert headline["supporters"].programme_value == 288
    body = response.content.decode()
    figures = body[body.index('class="headline-figures"') :]
    assert '第2層協議体の会議 <small class="as-of">令和8年度</small>' in figures
    assert "令和8年11月30日</time>現在の登録" in figures  # 15 groups: registered today
    assert "平成29年10月31日" in figures  # 299: the groups' reports of that day
    assert "差11人" in figures
    assert "327,491" in body
    assert "H29.10.1現在" in body


def test_home_links_to_every_staff_page(client, city_staff, data_2017):
    body = home(client, city_staff).content.decode()
    for name, args in [
        ("status", []),
        ("councils:schedule", [2017]),
        ("activities:supportgroup-list", []),
        ("councils:council-list", []),
        ("councils:followup-list", []),
        ("coordinators:coordinator-list", []),
        ("outcomes", []),
    ]:
        assert f'href="{reverse(name, args=args)}"' in body, name


@pytest.mark.browser
def test_home_renders_in_a_real_browser(page, sign_in, city_staff, live_server):
    sign_in(city_staff)
    page.goto("/")
    assert page.locator("h1").inner_text() == "いわき市 生活支援体制整備事業の記録"
    assert "327,491" in page.locator(".figures").inner_text()


# --- the same queries however large the programme grows -----------------------------------


def _add_work_to_the_grown_areas(areas):
    """Follow-ups, a plan and planned meetings for the areas tests.growth added, so that
    every list of the home pages has rows to show (and a per-row query would show)."""
    meetings = list(Meeting.objects.filter(council__area__in=areas))
    FollowUp.objects.bulk_create(
        FollowUp(meeting=meeting, action="試験の取組", due_on=date(2018, 1, 1 + i % 28))
        for i, meeting in enumerate(meetings)
    )


def _queries(client, user):
    client.force_login(user)
    client.get(reverse("home"))  # warm per-process caches first
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


@time_machine.travel(MARCH_2018, tick=False)
@pytest.mark.parametrize(
    "persona", ["administrator", "city_staff", "coordinator_taira", "coordinator_hq"]
)
def test_each_home_makes_the_same_queries_when_the_programme_grows_tenfold(
    request, client, data_2017, persona
):
    from tests.growth import grow_programme

    user = request.getfixturevalue(persona)
    before = _queries(client, user)
    areas = grow_programme(times=10)
    _add_work_to_the_grown_areas(areas)
    Meeting.objects.filter(council__area__in=areas, sequence=3).update(status=MeetingStatus.PLANNED)
    after = _queries(client, user)
    assert after == before, f"{persona}: {before} queries, then {after} at ten times the size"
    assert before <= 40

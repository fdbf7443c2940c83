"""The next fiscal year: city staff make a year's plan from the previous one (phases, themes,
planned meetings per council and month), edit it, and the schedule, status table and
coordinators' homes pick it up."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from councils.models import Council, Meeting, MeetingStatus, SchedulePhase
from councils.services import PlanChanged, create_year_plan
from councils.year_plan import PlanRefused, draft_from

pytestmark = pytest.mark.django_db


def create_url(year):
    return f"{reverse('councils:plan-create')}?fiscal_year={year}"


def edit_url(year):
    return reverse("councils:plan-update", args=[year])


def confirm(client, year):
    preview = client.get(create_url(year))
    form = preview.context["form"]
    return client.post(
        create_url(year),
        {"source_year": form.initial["source_year"], "digest": form.initial["digest"]},
    )


def test_the_preview_shows_the_plan_a_year_on_and_writes_nothing(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(create_url(2018))
    assert response.status_code == 200
    draft = response.context["draft"]
    assert draft.source_year == 2017
    assert [p.starts_in for p in draft.phases] == [
        date(2018, 7, 1),
        date(2018, 11, 1),
        date(2019, 2, 1),
        None,
    ]
    assert [p.title for p in draft.phases][3] == "通年実施"
    assert len(draft.to_create) == 39  # 13 councils × 3 meetings
    body = response.content.decode()
    assert "平成30年7月" in body
    assert "前年度に開いた月" in body
    assert not SchedulePhase.objects.filter(fiscal_year=2018).exists()
    assert not Meeting.objects.filter(fiscal_year=2018).exists()


def test_confirming_creates_the_phases_and_every_councils_planned_meetings(
    client, city_staff, data_2017
):
    client.force_login(city_staff)
    response = confirm(client, 2018)
    assert response.status_code == 302
    assert response["Location"] == edit_url(2018)
    assert SchedulePhase.objects.filter(fiscal_year=2018).count() == 4
    taira = Meeting.objects.filter(council__name="平 第2層協議体", fiscal_year=2018)
    assert [(m.sequence, m.status, m.planned_month) for m in taira.order_by("sequence")] == [
        (1, MeetingStatus.PLANNED, date(2018, 7, 1)),  # 平 met on 平成29年7月28日
        (2, MeetingStatus.PLANNED, date(2018, 11, 1)),
        (3, MeetingStatus.PLANNED, date(2019, 2, 1)),  # planned for February, a year on
    ]
    assert Meeting.objects.filter(fiscal_year=2018).count() == 39
    created = taira.first().history.earliest()
    assert created.history_type == "+"
    assert created.history_user == city_staff


def test_a_month_comes_from_the_councils_own_meeting_of_the_year_before(data_2017):
    council = Council.objects.get(name="平 第2層協議体")
    Meeting.objects.filter(council=council, fiscal_year=2017, sequence=2).update(
        held_on=date(2017, 12, 5)
    )
    draft = draft_from(fiscal_year=2018, source_year=2017)
    planned = next(m for m in draft.meetings if m.council == council and m.sequence == 2)
    assert planned.month == date(2018, 12, 1)
    assert planned.source == "前年度に開いた月"


def test_a_meeting_already_recorded_in_the_new_year_is_kept_as_it_is(client, city_staff):
    council = Council.objects.get(name="平 第2層協議体")
    logged = Meeting.objects.create(
        council=council, fiscal_year=2018, sequence=1, status="held", held_on=date(2018, 7, 3)
    )
    client.force_login(city_staff)
    assert "記録済み(変更しません)" in client.get(create_url(2018)).content.decode()
    confirm(client, 2018)
    logged.refresh_from_db()
    assert logged.status == MeetingStatus.HELD
    assert logged.held_on == date(2018, 7, 3)
    assert Meeting.objects.filter(council=council, fiscal_year=2018).count() == 3


def test_a_plan_changed_after_the_preview_is_not_written(data_2017):
    draft = draft_from(fiscal_year=2018, source_year=2017)
    council = Council.objects.get(name="平 第2層協議体")
    Meeting.objects.create(council=council, fiscal_year=2018, sequence=1)
    with pytest.raises(PlanChanged):
        create_year_plan(fiscal_year=2018, source_year=2017, digest=draft.digest())
    assert not SchedulePhase.objects.filter(fiscal_year=2018).exists()


def test_a_second_confirmation_does_not_make_a_second_plan(client, city_staff, data_2017):
    client.force_login(city_staff)
    preview = client.get(create_url(2018)).context["form"]
    data = {"source_year": preview.initial["source_year"], "digest": preview.initial["digest"]}
    client.post(create_url(2018), data)
    response = client.post(create_url(2018), data)
    assert response.status_code == 302  # to the plan that exists
    assert SchedulePhase.objects.filter(fiscal_year=2018).count() == 4
    assert Meeting.objects.filter(fiscal_year=2018).count() == 39
    with pytest.raises(PlanRefused):
        draft_from(fiscal_year=2018, source_year=2017)


def test_a_year_without_an_earlier_plan_starts_empty_on_the_edit_page(client, city_staff):
    SchedulePhase.objects.all().delete()
    client.force_login(city_staff)
    response = client.get(create_url(2018))
    assert response["Location"] == edit_url(2018)
    page = client.get(edit_url(2018))
    assert page.status_code == 200
    assert "この年度の計画はまだありません" in page.content.decode()


def phases_post(phases, *, initial=0):
    data = {"phases-TOTAL_FORMS": str(len(phases)), "phases-INITIAL_FORMS": str(initial)}
    for index, phase in enumerate(phases):
        row = {"sequence": "", "starts_in": "", "title": "", "topics": "", "note": "", **phase}
        for key, value in row.items():
            data[f"phases-{index}-{key}"] = value
    return data


def edit_post(client, year, *, phases=None, months=None):
    page = client.get(edit_url(year))
    data = {"state": page.context["state"]}
    existing = list(SchedulePhase.objects.filter(fiscal_year=year))
    rows = phases
    if rows is None:
        rows = [
            {
                "id": str(p.pk),
                "sequence": str(p.sequence or ""),
                "starts_in": p.starts_in.isoformat()[:7] if p.starts_in else "",
                "title": p.title,
                "topics": p.topics,
                "note": p.note,
            }
            for p in existing
        ]
    data.update(phases_post(rows, initial=len(existing)))
    months_form = page.context["months"]
    for name in months_form.fields:
        value = months_form.initial.get(name)
        data[f"plan-{name}"] = value.isoformat()[:7] if value else ""
    data.update({f"plan-{key}": value for key, value in (months or {}).items()})
    return client.post(edit_url(year), data)


def test_staff_change_a_councils_planned_month(client, city_staff, data_2017):
    client.force_login(city_staff)
    confirm(client, 2018)
    council = Council.objects.get(name="平 第2層協議体")
    meeting = Meeting.objects.get(council=council, fiscal_year=2018, sequence=2)
    response = edit_post(client, 2018, months={f"month-{council.pk}-2": "平成31年1月"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.planned_month == date(2019, 1, 1)
    assert meeting.version == 2
    assert meeting.history.count() == 2  # created, then the month
    untouched = Meeting.objects.get(council=council, fiscal_year=2018, sequence=1)
    assert untouched.history.count() == 1


def test_a_month_outside_the_year_is_refused_naming_the_council_and_meeting(
    client, city_staff, data_2017
):
    client.force_login(city_staff)
    confirm(client, 2018)
    council = Council.objects.get(name="平 第2層協議体")
    response = edit_post(client, 2018, months={f"month-{council.pk}-2": "2020-05"})
    assert response.status_code == 400
    assert "平 第2回: 予定月が平成30年度" in response.content.decode()
    meeting = Meeting.objects.get(council=council, fiscal_year=2018, sequence=2)
    assert meeting.planned_month == date(2018, 11, 1)


def test_staff_edit_the_themes_and_add_a_fourth_meeting(client, city_staff, data_2017):
    client.force_login(city_staff)
    confirm(client, 2018)
    phases = list(SchedulePhase.objects.filter(fiscal_year=2018))
    rows = [
        {
            "id": str(p.pk),
            "sequence": str(p.sequence or ""),
            "starts_in": p.starts_in.isoformat()[:7] if p.starts_in else "",
            "title": p.title,
            "topics": p.topics,
            "note": p.note,
        }
        for p in phases
    ]
    rows[0]["topics"] = "支え合いの必要性\n新しい項目"
    rows.append(
        {"sequence": "4", "starts_in": "平成31年3月", "title": "第4回", "topics": "振り返り"}
    )
    response = edit_post(client, 2018, phases=rows)
    assert response.status_code == 302
    first = SchedulePhase.objects.get(fiscal_year=2018, position=1)
    assert first.topic_list() == ["支え合いの必要性", "新しい項目"]
    fourth = SchedulePhase.objects.get(fiscal_year=2018, sequence=4)
    assert fourth.starts_in == date(2019, 3, 1)
    assert fourth.position == 5
    # The grid now has a 第4回 column, empty: a month typed there plans the meeting.
    page = client.get(edit_url(2018))
    council = Council.objects.get(name="平 第2層協議体")
    assert f"month-{council.pk}-4" in page.context["months"].fields
    edit_post(client, 2018, months={f"month-{council.pk}-4": "H31.3"})
    created = Meeting.objects.get(council=council, fiscal_year=2018, sequence=4)
    assert created.planned_month == date(2019, 3, 1)
    assert created.status == MeetingStatus.PLANNED


def test_two_phases_with_one_number_are_refused_naming_the_rows(client, city_staff):
    client.force_login(city_staff)
    rows = [
        {"sequence": "1", "starts_in": "2018-07", "title": "第1回", "topics": "a"},
        {"sequence": "1", "starts_in": "2018-11", "title": "第2回", "topics": "b"},
    ]
    response = edit_post(client, 2018, phases=rows)
    assert response.status_code == 400
    assert "2行目: 第1回は1行目にもあります" in response.content.decode()
    assert not SchedulePhase.objects.filter(fiscal_year=2018).exists()


def test_a_plan_changed_by_someone_else_meanwhile_is_not_overwritten(client, city_staff, data_2017):
    client.force_login(city_staff)
    confirm(client, 2018)
    council = Council.objects.get(name="平 第2層協議体")
    page = client.get(edit_url(2018))
    # Meanwhile a coordinator logs 第1回.
    Meeting.objects.filter(council=council, fiscal_year=2018, sequence=1).update(
        status="held", held_on=date(2018, 7, 3), version=2
    )
    data = {"state": page.context["state"], **phases_post([])}
    data[f"plan-month-{council.pk}-2"] = "2019-01"
    response = client.post(edit_url(2018), data)
    assert response.status_code == 409
    assert "ほかの人が変更しました" in response.content.decode()
    meeting = Meeting.objects.get(council=council, fiscal_year=2018, sequence=2)
    assert meeting.planned_month == date(2018, 11, 1)


def test_coordinators_read_the_plan_but_do_not_make_it(client, coordinator_taira):
    client.force_login(coordinator_taira)
    assert client.get(create_url(2018)).status_code == 403
    assert client.get(edit_url(2017)).status_code == 403
    assert client.get(reverse("councils:schedule", args=[2017])).status_code == 200


@time_machine.travel(date(2018, 3, 20), tick=False)
def test_the_new_year_shows_on_the_schedule_the_status_table_and_the_homes(
    client, city_staff, coordinator_taira, coordinator_onahama
):
    client.force_login(city_staff)
    confirm(client, 2018)
    schedule = client.get(reverse("councils:schedule", args=[2018]))
    assert len(schedule.context["phases"]) == 4
    assert schedule.context["recorded_total"] == 39
    status = client.get(reverse("status") + "?fiscal_year=2018")
    taira_row = next(r for r in status.context["table"].data if r.area.name == "平")
    assert taira_row.meeting_1.planned_month == date(2018, 7, 1)
    for user, name in [(coordinator_taira, "平"), (coordinator_onahama, "小名浜")]:
        client.force_login(user)
        response = client.get(reverse("home"))
        upcoming = next(
            s for s in response.context["sections"] if s.key == "meetings-to-log"
        ).context["upcoming"]
        assert [(s.council.area.name, s.fiscal_year, s.sequence) for s in upcoming] == [
            (name, 2018, 1),
            (name, 2018, 2),
            (name, 2018, 3),
        ]


def test_a_month_of_an_era_that_had_not_begun_says_when_it_began():
    from django.core.exceptions import ValidationError

    from councils.forms import WarekiMonthField

    with pytest.raises(ValidationError, match="令和は令和元年5月1日から"):
        WarekiMonthField().clean("令和元年1月")
    assert WarekiMonthField().clean("平成31年1月") == date(2019, 1, 1)


def test_a_plan_made_from_an_older_year_says_which_and_how_many_years_on(data_2017):
    draft = draft_from(fiscal_year=2026, source_year=2017)
    planned = next(m for m in draft.meetings if m.sequence == 1)
    assert planned.source == "平成29年度に開いた月(9年後)"
    assert planned.month.year == 2026
    assert draft.phases[0].starts_in == date(2026, 7, 1)

"""Logging a meeting: the form, its opinions and follow-ups, and its Japanese validation."""

import pytest
from django.urls import reverse

from councils.models import Council, FollowUp, Meeting, Opinion
from needs_survey.models import HelpCategory
from tests.councils.meeting_data import meeting_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

URL = reverse("councils:meeting-create")


@pytest.fixture
def frozen_today(time_machine):
    time_machine.move_to("2018-08-01 10:00 +09:00", tick=False)


@pytest.fixture
def taira():
    return Council.objects.get(name="平 第2層協議体")


def create_url(council):
    return f"{URL}?council={council.pk}"


def test_coordinator_logs_a_meeting_with_opinions_and_a_follow_up(client, coordinator_taira, taira):
    client.force_login(coordinator_taira)
    shopping = HelpCategory.objects.get(name="買物")
    data = meeting_post(
        opinions=[
            {"text": "移動販売の一覧がほしい", "help_categories": [str(shopping.pk)]},
            {
                "kind": "need",
                "text": "ごみ出しが難しい",
                "status": "group",
                "response": "城山の団体",
            },
        ],
        follow_ups=[{"action": "サービス一覧を作る", "assignee": "SC", "due_on": "H30.9.30"}],
    )
    response = client.post(create_url(taira), data)
    meeting = Meeting.objects.get(council=taira, fiscal_year=2018, sequence=1)
    assert response.status_code == 302
    assert response["Location"].startswith(meeting.get_absolute_url())
    assert meeting.held_on.isoformat() == "2018-07-20"
    assert meeting.status == "held"
    opinions = list(meeting.opinions.order_by("position"))
    assert [o.text for o in opinions] == ["移動販売の一覧がほしい", "ごみ出しが難しい"]
    assert [o.fiscal_year for o in opinions] == [2018, 2018]
    assert list(opinions[0].help_categories.all()) == [shopping]
    assert opinions[1].status == "group"
    follow_up = FollowUp.objects.get(meeting=meeting)
    assert follow_up.due_on.isoformat() == "2018-09-30"
    page = client.get(meeting.get_absolute_url())
    assert "移動販売の一覧がほしい" in page.text
    assert "サービス一覧を作る" in page.text


def test_the_form_opens_with_the_next_sequence_of_the_current_fiscal_year(
    client, coordinator_taira, taira
):
    client.force_login(coordinator_taira)
    response = client.get(create_url(taira))
    assert response.status_code == 200
    assert 'value="平成30年度"' in response.text
    assert response.context["form"].initial["sequence"] == 1


def test_a_held_meeting_in_the_future_is_refused_naming_the_date(client, coordinator_taira, taira):
    client.force_login(coordinator_taira)
    response = client.post(create_url(taira), meeting_post(held_on="平成30年8月2日"))
    assert response.status_code == 200
    assert not Meeting.objects.filter(council=taira, fiscal_year=2018).exists()
    errors = response.context["form"].errors
    assert "開催日が未来の日付です" in errors["held_on"][0]
    assert "開催日" in response.text


def test_a_taken_sequence_is_refused_in_japanese_before_the_database_refuses(
    client, coordinator_taira, taira
):
    client.force_login(coordinator_taira)
    response = client.post(
        create_url(taira), meeting_post(fiscal_year="2017", sequence="1", held_on="2017-07-28")
    )
    assert response.status_code == 200
    message = response.context["form"].errors["sequence"][0]
    assert "平 第2層協議体の平成29年度 第1回はすでに登録されています" in message
    assert "第4回" in message


def test_a_date_outside_the_fiscal_year_is_refused(client, coordinator_taira, taira):
    client.force_login(coordinator_taira)
    response = client.post(create_url(taira), meeting_post(held_on="平成30年3月1日"))
    assert "平成30年度" in response.context["form"].errors["held_on"][0]


def test_a_held_meeting_needs_a_date(client, coordinator_taira, taira):
    client.force_login(coordinator_taira)
    response = client.post(create_url(taira), meeting_post(held_on=""))
    assert "開催日を入力してください" in response.context["form"].errors["held_on"][0]


def test_a_planned_meeting_takes_a_month_typed_in_the_era_form(client, coordinator_taira, taira):
    client.force_login(coordinator_taira)
    data = meeting_post(status="planned", held_on="", planned_month="H31.2")
    response = client.post(create_url(taira), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get(council=taira, fiscal_year=2018)
    assert meeting.planned_month.isoformat() == "2019-02-01"


def test_a_failed_validation_keeps_everything_typed(client, coordinator_taira, taira):
    client.force_login(coordinator_taira)
    data = meeting_post(
        held_on="平成99年1月1日",
        opinions=[{"text": "長い意見の本文をここに書いた"}],
        follow_ups=[{"action": "次回までに調べる", "assignee": "", "due_on": ""}],
    )
    response = client.post(create_url(taira), data)
    assert response.status_code == 200
    for typed in [
        "平成99年1月1日",
        "長い意見の本文をここに書いた",
        "次回までに調べる",
        "平市民会館",
    ]:
        assert typed in response.text
    assert "入力した内容はそのまま残っています" in response.text
    assert not Opinion.objects.filter(text="長い意見の本文をここに書いた").exists()


def test_an_error_in_an_opinion_names_which_opinion(client, coordinator_taira, taira):
    client.force_login(coordinator_taira)
    data = meeting_post(opinions=[{"text": "ok"}, {"text": "", "status": "measure"}])
    response = client.post(create_url(taira), data)
    assert response.status_code == 200
    assert "意見・ニーズ 2件目の内容" in response.text
    assert not Meeting.objects.filter(council=taira, fiscal_year=2018).exists()


def test_coordinator_cannot_log_a_meeting_of_another_area(client, coordinator_onahama, taira):
    client.force_login(coordinator_onahama)
    assert client.get(create_url(taira)).status_code == 404
    assert client.post(create_url(taira), meeting_post()).status_code == 404
    assert not Meeting.objects.filter(council=taira, fiscal_year=2018).exists()


def test_city_staff_cannot_log_meetings(client, city_staff, taira):
    client.force_login(city_staff)
    assert client.get(URL).status_code == 403
    assert client.get(create_url(taira)).status_code == 403


def test_without_a_council_the_form_offers_the_councils_of_your_areas(client, coordinator_taira):
    client.force_login(coordinator_taira)
    response = client.get(URL)
    assert response.status_code == 200
    councils = list(response.context["councils"])
    assert councils
    assert {c.area.name for c in councils} == {"平"}


def test_a_group_council_meeting_can_be_logged(client, coordinator_taira):
    group_council = Council.objects.filter(tier=3, area__name="平").first()
    client.force_login(coordinator_taira)
    response = client.post(create_url(group_council), meeting_post())
    assert response.status_code == 302
    assert Meeting.objects.filter(council=group_council, fiscal_year=2018).exists()


def test_posting_a_council_in_the_body_cannot_move_the_meeting(client, coordinator_taira, taira):
    onahama = Council.objects.get(name="小名浜 第2層協議体")
    client.force_login(coordinator_taira)
    client.post(create_url(taira), meeting_post(council=str(onahama.pk), version="99"))
    meeting = Meeting.objects.get(council=taira, fiscal_year=2018)
    assert meeting.version == 1
    assert not Meeting.objects.filter(council=onahama, fiscal_year=2018).exists()


def test_a_sequence_taken_between_check_and_save_is_reported_not_a_server_error(
    client, coordinator_taira, taira, monkeypatch
):
    Meeting.objects.create(council=taira, fiscal_year=2018, sequence=1)
    monkeypatch.setattr(Meeting, "sequence_taken", lambda self: False)
    client.force_login(coordinator_taira)
    response = client.post(create_url(taira), meeting_post(opinions=[{"text": "残す"}]))
    assert response.status_code == 200
    assert "たった今ほかの人により登録されました" in response.context["form"].errors["sequence"][0]
    assert "残す" in response.text
    assert Meeting.objects.filter(council=taira, fiscal_year=2018).count() == 1

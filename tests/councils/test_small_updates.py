"""Small updates stay small: one opinion's status and response, one follow-up's done flag,
each alone, version-checked, with history only for what changed."""

from datetime import date

import pytest
from django.urls import reverse

from councils.models import Council, FollowUp, Meeting, Opinion, ResponseStatus
from councils.services import EditConflict, set_follow_up_done, update_opinion_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    council = Council.objects.get(name="平 第2層協議体")
    meeting = Meeting.objects.create(
        council=council, fiscal_year=2018, sequence=1, status="held", held_on=date(2018, 7, 20)
    )
    return meeting


@pytest.fixture
def opinion(meeting):
    return Opinion.objects.create(meeting=meeting, fiscal_year=2018, text="移動販売の一覧がほしい")


@pytest.fixture
def follow_up(meeting):
    return FollowUp.objects.create(meeting=meeting, action="サービス一覧を作る")


def respond(client, opinion, *, version=None, status="measure", response="一覧を作る", **extra):
    return client.post(
        reverse("councils:opinion-response", args=[opinion.pk]),
        {
            "status": status,
            "response": response,
            "version": opinion.version if version is None else version,
            **extra,
        },
    )


def mark_done(client, follow_up, *, version=None, done=True, **extra):
    data = {"version": follow_up.version if version is None else version, **extra}
    if done:
        data["done"] = "on"
    return client.post(reverse("councils:followup-done", args=[follow_up.pk]), data)


def test_a_coordinator_sets_one_opinions_response_alone(client, coordinator_taira, opinion):
    client.force_login(coordinator_taira)
    meeting_version = opinion.meeting.version
    response = respond(client, opinion)
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == ResponseStatus.MEASURE
    assert opinion.response == "一覧を作る"
    assert opinion.version == 2
    # The meeting's version moves too: a meeting form opened before cannot overwrite it unseen.
    opinion.meeting.refresh_from_db()
    assert opinion.meeting.version == meeting_version + 1
    latest = opinion.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == coordinator_taira
    assert opinion.history.count() == 2


def test_an_unchanged_response_writes_nothing(client, coordinator_taira, opinion):
    client.force_login(coordinator_taira)
    response = respond(client, opinion, status="open", response="")
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.version == 1
    assert opinion.history.count() == 1
    opinion.meeting.refresh_from_db()
    assert opinion.meeting.version == 1


def test_a_stale_response_is_refused_and_shows_the_current_one(client, coordinator_taira, opinion):
    client.force_login(coordinator_taira)
    update_opinion_response(opinion=opinion, version=1, status="group", response="団体が対応")
    response = respond(client, opinion, version=1, status="measure", response="私の対応")
    assert response.status_code == 409
    body = response.content.decode()
    assert "ほかの人が変更しました" in body
    assert "団体が対応" in body
    assert "私の対応" in body  # what was typed is kept
    opinion.refresh_from_db()
    assert opinion.response == "団体が対応"
    # Saving again after reading is deliberate, and goes through.
    assert response.context["form"]["version"].value() == 2
    assert respond(client, opinion, version=2).status_code == 302


def test_the_same_change_made_twice_is_no_conflict(coordinator_taira, opinion):
    assert update_opinion_response(opinion=opinion, version=1, status="measure", response="")
    assert not update_opinion_response(opinion=opinion, version=1, status="measure", response="")


def test_a_stale_version_with_a_different_value_raises(opinion):
    update_opinion_response(opinion=opinion, version=1, status="group", response="")
    with pytest.raises(EditConflict) as raised:
        update_opinion_response(opinion=opinion, version=1, status="measure", response="")
    assert raised.value.current.status == "group"
    opinion.meeting.refresh_from_db()
    assert opinion.meeting.version == 2  # the refused update raised nothing


def test_the_response_page_opens_alone_for_phones(client, coordinator_taira, opinion):
    client.force_login(coordinator_taira)
    response = client.get(reverse("councils:opinion-response", args=[opinion.pk]))
    assert response.status_code == 200
    assert "移動販売の一覧がほしい" in response.content.decode()


def test_an_invalid_status_is_refused_without_writing(client, coordinator_taira, opinion):
    client.force_login(coordinator_taira)
    assert respond(client, opinion, status="solved").status_code == 400
    opinion.refresh_from_db()
    assert opinion.status == "open"


def test_city_staff_and_other_coordinators_cannot_respond(
    client, city_staff, coordinator_onahama, opinion
):
    for user in (city_staff, coordinator_onahama):
        client.force_login(user)
        assert respond(client, opinion).status_code == 404
    opinion.refresh_from_db()
    assert opinion.status == "open"


def test_a_coordinator_marks_a_follow_up_done_and_comes_back(client, coordinator_taira, follow_up):
    client.force_login(coordinator_taira)
    response = mark_done(client, follow_up, next="/follow-ups/?done=pending")
    assert response.status_code == 302
    assert response["Location"] == "/follow-ups/?done=pending"
    follow_up.refresh_from_db()
    assert follow_up.done
    assert follow_up.version == 2
    assert follow_up.history.count() == 2
    response = mark_done(client, follow_up, done=False)
    follow_up.refresh_from_db()
    assert not follow_up.done


def test_next_must_stay_on_this_site(client, coordinator_taira, follow_up):
    client.force_login(coordinator_taira)
    response = mark_done(client, follow_up, next="https://evil.example/")
    assert response["Location"] == follow_up.get_absolute_url()


def test_a_stale_done_is_refused_with_a_message(client, coordinator_taira, follow_up):
    client.force_login(coordinator_taira)
    FollowUp.objects.filter(pk=follow_up.pk).update(action="書き換えた", version=2)
    FollowUp.objects.filter(pk=follow_up.pk).update(done=False)
    response = mark_done(client, follow_up, version=1)
    follow_up.refresh_from_db()
    assert not follow_up.done
    page = client.get(response["Location"]).content.decode()
    assert "ほかの人が変更しました(いまは未完了)" in page


def test_done_already_is_no_conflict(follow_up):
    set_follow_up_done(follow_up=follow_up, version=1, done=True)
    assert not set_follow_up_done(follow_up=follow_up, version=1, done=True)


def test_follow_up_done_is_a_post(client, coordinator_taira, follow_up):
    client.force_login(coordinator_taira)
    assert client.get(reverse("councils:followup-done", args=[follow_up.pk])).status_code == 405


def test_a_small_update_makes_an_open_meeting_form_conflict(client, coordinator_taira, opinion):
    """The full form, opened before a small update, must not overwrite it unseen."""
    from tests.councils.meeting_data import meeting_post

    client.force_login(coordinator_taira)
    meeting = opinion.meeting
    page = client.get(reverse("councils:meeting-update", args=[meeting.pk]))
    began = page.context["form"].initial["began_at"]
    respond(client, opinion)
    data = meeting_post(
        fiscal_year="2018",
        held_on="2018-07-20",
        base_version="1",
        began_at=began,
        initial_opinions=1,
        opinions=[{"id": str(opinion.pk), "text": opinion.text, "status": "open"}],
    )
    response = client.post(reverse("councils:meeting-update", args=[meeting.pk]), data)
    assert response.status_code == 409
    opinion.refresh_from_db()
    assert opinion.status == "measure"


def test_the_meeting_page_offers_small_updates_to_its_editors_only(
    client, coordinator_taira, city_staff, opinion, follow_up
):
    url = opinion.meeting.get_absolute_url()
    client.force_login(coordinator_taira)
    body = client.get(url).content.decode()
    assert reverse("councils:opinion-response", args=[opinion.pk]) in body
    assert reverse("councils:followup-done", args=[follow_up.pk]) in body
    client.force_login(city_staff)
    body = client.get(url).content.decode()
    assert reverse("councils:opinion-response", args=[opinion.pk]) not in body
    assert reverse("councils:followup-done", args=[follow_up.pk]) not in body


def test_the_open_items_lists_offer_small_updates_for_your_areas(
    client, coordinator_taira, coordinator_onahama, opinion, follow_up
):
    client.force_login(coordinator_taira)
    opinions = client.get(reverse("councils:opinion-list")).content.decode()
    follow_ups = client.get(reverse("councils:followup-list")).content.decode()
    assert reverse("councils:opinion-response", args=[opinion.pk]) in opinions
    assert reverse("councils:followup-done", args=[follow_up.pk]) in follow_ups
    client.force_login(coordinator_onahama)
    opinions = client.get(reverse("councils:opinion-list")).content.decode()
    follow_ups = client.get(reverse("councils:followup-list")).content.decode()
    assert "移動販売の一覧がほしい" in opinions  # they read it
    assert reverse("councils:opinion-response", args=[opinion.pk]) not in opinions
    assert "サービス一覧を作る" in follow_ups
    assert reverse("councils:followup-done", args=[follow_up.pk]) not in follow_ups


def test_the_follow_up_list_shows_pending_ones_overdue_first(
    client, coordinator_taira, meeting, django_assert_max_num_queries
):
    FollowUp.objects.create(meeting=meeting, action="先のもの", due_on=date(2040, 1, 1))
    FollowUp.objects.create(meeting=meeting, action="遅れたもの", due_on=date(2019, 1, 1))
    FollowUp.objects.create(meeting=meeting, action="済んだもの", done=True)
    client.force_login(coordinator_taira)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("councils:followup-list")).content.decode()
    assert body.index("遅れたもの") < body.index("先のもの")
    assert "期限切れ" in body
    assert "済んだもの" not in body
    assert "済んだもの" in client.get(reverse("councils:followup-list") + "?done=done").text


def test_back_on_the_meeting_page_at_the_record_changed(client, coordinator_taira, follow_up):
    client.force_login(coordinator_taira)
    meeting_page = follow_up.meeting.get_absolute_url()
    response = mark_done(client, follow_up, next=meeting_page)
    assert response["Location"] == f"{meeting_page}#follow-up-{follow_up.pk}"

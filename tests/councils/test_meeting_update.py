"""Editing a meeting: scope, opinions kept in order, no lost updates, history shown."""

import pytest
from django.test import Client
from django.urls import reverse

from councils.models import Council, Meeting, Opinion
from tests.councils.meeting_data import meeting_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return Meeting.objects.get(council__name="平 第2層協議体", fiscal_year=2017, sequence=1)


def edit_url(meeting):
    return reverse("councils:meeting-update", args=[meeting.pk])


def form_data(client, meeting, **changes):
    """What the edit page would post back: its current values, with ``changes`` typed in."""
    page = client.get(edit_url(meeting))
    form = page.context["form"]
    data = meeting_post(
        fiscal_year="2017",
        sequence=str(meeting.sequence),
        status=meeting.status,
        held_on=meeting.held_on.isoformat() if meeting.held_on else "",
        venue=meeting.venue,
        attendance="" if meeting.attendance is None else str(meeting.attendance),
        agenda=meeting.agenda,
        summary=meeting.summary,
        needs_found=meeting.needs_found,
        starts_at="",
        base_version=str(form.initial["base_version"]),
        began_at=form.initial["began_at"],
    )
    data.update(changes)
    return data


def test_coordinator_edits_a_meeting_of_their_area(client, coordinator_taira, meeting):
    client.force_login(coordinator_taira)
    response = client.post(edit_url(meeting), form_data(client, meeting, venue="平公民館"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.venue == "平公民館"
    assert meeting.version == 2


def test_coordinator_of_another_area_gets_404_on_edit(client, coordinator_onahama, meeting):
    client.force_login(coordinator_onahama)
    assert client.get(edit_url(meeting)).status_code == 404
    data = meeting_post(fiscal_year="2017", held_on="2017-07-28", venue="小名浜から")
    assert client.post(edit_url(meeting), data).status_code == 404
    meeting.refresh_from_db()
    assert meeting.venue != "小名浜から"


def test_the_later_of_two_saves_is_refused_and_shows_what_changed(
    coordinator_taira, coordinator_hq, meeting
):
    first, second = Client(), Client()
    first.force_login(coordinator_taira)
    second.force_login(coordinator_hq)
    first_data = form_data(first, meeting, summary="最初の人の概要")
    second_data = form_data(second, meeting, summary="二人目の概要")
    assert first.post(edit_url(meeting), first_data).status_code == 302

    refused = second.post(edit_url(meeting), second_data)

    assert refused.status_code == 409
    meeting.refresh_from_db()
    assert meeting.summary == "最初の人の概要"
    assert "ほかの人が保存しました" in refused.text
    assert "coord-taira" in refused.text
    assert "「最初の人の概要」" in refused.text
    # The second person's text is still in the form, and saving again is now deliberate.
    assert "二人目の概要" in refused.text
    again = refused.context["form"].data.copy()
    assert second.post(edit_url(meeting), again).status_code == 302
    meeting.refresh_from_db()
    assert meeting.summary == "二人目の概要"


def test_posting_a_version_does_not_change_it(client, coordinator_taira, meeting):
    client.force_login(coordinator_taira)
    data = form_data(client, meeting, version="42")
    client.post(edit_url(meeting), data)
    meeting.refresh_from_db()
    assert meeting.version == 2


def test_an_opinion_follows_one_from_an_earlier_meeting(client, coordinator_taira, meeting):
    earlier = Opinion.objects.create(meeting=meeting, fiscal_year=2017, text="買い物が大変")
    later_meeting = Meeting.objects.get(council=meeting.council, fiscal_year=2017, sequence=2)
    client.force_login(coordinator_taira)
    data = form_data(
        client,
        later_meeting,
        held_on="2017-11-27",
        sequence="2",
    )
    data.update(
        {
            "opinions-TOTAL_FORMS": "1",
            "opinions-0-kind": "need",
            "opinions-0-text": "買い物支援の対応策を決めた",
            "opinions-0-status": "measure",
            "opinions-0-response": "移動販売の一覧を配る",
            "opinions-0-follows": str(earlier.pk),
        }
    )
    assert client.post(edit_url(later_meeting), data).status_code == 302
    later = Opinion.objects.get(meeting=later_meeting)
    assert later.follows == earlier
    page = client.get(meeting.get_absolute_url())
    assert "その後:" in page.text and "対応策を決定" in page.text


def test_an_opinion_cannot_follow_one_of_another_council(client, coordinator_taira, meeting):
    other = Meeting.objects.filter(council__name="小名浜 第2層協議体").first()
    foreign = Opinion.objects.create(meeting=other, fiscal_year=2017, text="小名浜の意見")
    client.force_login(coordinator_taira)
    data = form_data(client, meeting)
    data.update(
        {"opinions-TOTAL_FORMS": "1", "opinions-0-text": "x", "opinions-0-follows": str(foreign.pk)}
    )
    response = client.post(edit_url(meeting), data)
    assert response.status_code == 200
    assert not Opinion.objects.filter(meeting=meeting, text="x").exists()


def test_history_shows_who_changed_what_to_editors(client, coordinator_taira, meeting):
    client.force_login(coordinator_taira)
    client.post(edit_url(meeting), form_data(client, meeting, venue="平公民館"))
    page = client.get(meeting.get_absolute_url())
    assert "変更履歴" in page.text
    assert "coord-taira" in page.text
    assert "会場: 「(空欄)」→「平公民館」" in page.text


def test_history_is_not_shown_to_readers_who_cannot_edit(client, city_staff, meeting):
    client.force_login(city_staff)
    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 200
    assert "変更履歴" not in page.text
    assert "編集" not in page.text


def test_delete_then_an_administrator_restores_it(client, coordinator_taira, administrator):
    council = Council.objects.get(name="平 第2層協議体")
    meeting = Meeting.objects.create(council=council, fiscal_year=2019, sequence=1)
    client.force_login(coordinator_taira)
    assert client.post(reverse("councils:meeting-delete", args=[meeting.pk])).status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    # Coordinators do not see the deleted-records page.
    assert client.get(reverse("deleted-records")).status_code == 404

    client.force_login(administrator)
    page = client.get(reverse("deleted-records"))
    record = Meeting.history.get(id=meeting.pk, history_type="-")
    assert str(meeting) in page.text
    url = reverse("restore-record", args=["councils.Meeting", record.history_id])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).council == council
    after = client.get(reverse("deleted-records")).context["groups"]
    assert all(item.record.id != meeting.pk for g in after for item in g["records"])


def _with_opinion(client, meeting, text, **changes):
    """The edit page's post with its first opinion row (as loaded) given ``text``."""
    data = form_data(client, meeting, **changes)
    opinion = meeting.opinions.order_by("position", "pk").first()
    data.update(
        {
            "opinions-TOTAL_FORMS": "1",
            "opinions-INITIAL_FORMS": "1",
            "opinions-0-id": str(opinion.pk),
            "opinions-0-kind": opinion.kind,
            "opinions-0-status": opinion.status,
            "opinions-0-text": text,
        }
    )
    return data


def test_an_edit_of_an_opinion_someone_deleted_meanwhile_gets_the_conflict_page_and_saves_after(
    coordinator_taira, coordinator_hq, meeting
):
    opinion = Opinion.objects.create(meeting=meeting, fiscal_year=2017, position=1, text="元の意見")
    mine, theirs = Client(), Client()
    mine.force_login(coordinator_taira)
    theirs.force_login(coordinator_hq)
    my_data = _with_opinion(mine, meeting, "私が書き足した意見")
    their_data = _with_opinion(theirs, meeting, "元の意見")
    their_data["opinions-0-DELETE"] = "on"
    assert theirs.post(edit_url(meeting), their_data).status_code == 302
    assert not Opinion.objects.filter(pk=opinion.pk).exists()

    refused = mine.post(edit_url(meeting), my_data)

    assert refused.status_code == 409
    assert "ほかの人が保存しました" in refused.text
    assert "意見: 「元の意見」→「(空欄)」" in refused.text  # what they deleted
    assert "私が書き足した意見" in refused.text  # what I typed, still in the form
    # Saving again keeps my text (as a new opinion: theirs is gone) instead of failing forever.
    again = mine.post(edit_url(meeting), refused.context["form"].data.copy())
    assert again.status_code == 302
    assert list(meeting.opinions.values_list("text", flat=True)) == ["私が書き足した意見"]


def test_an_opinion_deleted_outside_the_form_also_gives_the_conflict_page(
    client, coordinator_taira, meeting
):
    opinion = Opinion.objects.create(meeting=meeting, fiscal_year=2017, position=1, text="元の意見")
    client.force_login(coordinator_taira)
    data = _with_opinion(client, meeting, "書き足した意見")
    # The admin deletes it: the meeting's version does not move.
    Opinion.objects.filter(pk=opinion.pk).delete()

    refused = client.post(edit_url(meeting), data)

    assert refused.status_code == 409
    again = client.post(edit_url(meeting), refused.context["form"].data.copy())
    assert again.status_code == 302
    assert list(meeting.opinions.values_list("text", flat=True)) == ["書き足した意見"]


def test_a_row_i_deleted_that_someone_else_deleted_too_is_simply_gone(
    client, coordinator_taira, meeting
):
    opinion = Opinion.objects.create(meeting=meeting, fiscal_year=2017, text="消す意見")
    client.force_login(coordinator_taira)
    data = _with_opinion(client, meeting, "消す意見")
    data["opinions-0-DELETE"] = "on"
    Opinion.objects.filter(pk=opinion.pk).delete()
    # Nothing typed is at stake: no conflict, and the row is simply gone.
    assert client.post(edit_url(meeting), data).status_code == 302
    assert not meeting.opinions.exists()

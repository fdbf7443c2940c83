"""Posting fields the meeting form does not offer changes nothing."""

import pytest
from django.urls import reverse

from councils.models import Council, Meeting, Opinion
from tests.councils.test_meeting_update import edit_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return Meeting.objects.get(council__name="平 第2層協議体", fiscal_year=2017, sequence=1)


def test_posting_council_version_or_id_on_edit_changes_none_of_them(
    client, coordinator_taira, meeting
):
    onahama = Council.objects.get(name="小名浜 第2層協議体")
    client.force_login(coordinator_taira)
    data = form_data(client, meeting, council=str(onahama.pk), version="77", id="9999", pk="9999")
    assert client.post(edit_url(meeting), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.council.name == "平 第2層協議体"
    assert meeting.version == 2
    assert meeting.pk != 9999
    assert not Meeting.objects.filter(pk=9999).exists()


def test_an_opinion_of_another_area_cannot_be_edited_through_the_formset(
    client, coordinator_taira, meeting
):
    other_meeting = Meeting.objects.filter(council__name="小名浜 第2層協議体").first()
    theirs = Opinion.objects.create(meeting=other_meeting, fiscal_year=2017, text="小名浜の意見")
    client.force_login(coordinator_taira)
    data = form_data(client, meeting)
    data.update(
        {
            "opinions-TOTAL_FORMS": "1",
            "opinions-INITIAL_FORMS": "1",
            "opinions-0-id": str(theirs.pk),
            "opinions-0-kind": "opinion",
            "opinions-0-status": "open",
            "opinions-0-text": "書き換えた",
            "opinions-0-DELETE": "",
        }
    )
    client.post(edit_url(meeting), data)
    assert not Opinion.objects.filter(text="書き換えた").exists()
    theirs.refresh_from_db()
    assert theirs.text == "小名浜の意見"
    assert theirs.meeting == other_meeting


def test_posting_an_opinion_s_year_or_position_is_ignored(client, coordinator_taira, meeting):
    client.force_login(coordinator_taira)
    data = form_data(client, meeting)
    data.update(
        {
            "opinions-TOTAL_FORMS": "1",
            "opinions-0-kind": "opinion",
            "opinions-0-status": "open",
            "opinions-0-text": "新しい意見",
            "opinions-0-fiscal_year": "1999",
            "opinions-0-position": "50",
        }
    )
    assert client.post(edit_url(meeting), data).status_code == 302
    opinion = Opinion.objects.get(text="新しい意見")
    assert (opinion.fiscal_year, opinion.position, opinion.meeting) == (2017, 1, meeting)


def test_a_coordinator_cannot_restore_records(client, coordinator_hq):
    client.force_login(coordinator_hq)
    url = reverse("restore-record", args=["councils.Meeting", 1])
    assert client.post(url).status_code == 404

"""Who changed what and when, on the record's page, for those who may change the record."""

import pytest
from django.urls import reverse

from activities.models import SupportGroup
from councils.models import Council, Meeting, Opinion
from tests.councils.test_meeting_update import edit_url, form_data

pytestmark = pytest.mark.django_db


def test_the_meeting_history_includes_its_opinions(client, coordinator_taira):
    meeting = Meeting.objects.get(council__name="平 第2層協議体", fiscal_year=2017, sequence=1)
    client.force_login(coordinator_taira)
    data = form_data(client, meeting)
    data.update(
        {
            "opinions-TOTAL_FORMS": "1",
            "opinions-0-kind": "need",
            "opinions-0-status": "open",
            "opinions-0-text": "通院の付き添い",
        }
    )
    client.post(edit_url(meeting), data)
    opinion = Opinion.objects.get(text="通院の付き添い")
    opinion.status = "measure"
    opinion.save()
    page = client.get(meeting.get_absolute_url())
    history = page.context["history"]
    assert any(entry.record == "通院の付き添い" and entry.action == "作成" for entry in history)
    assert "対応状況: 「未対応」→「対応策を決定」" in page.text


def test_the_council_page_shows_history_to_its_editors_only(
    client, coordinator_taira, coordinator_onahama
):
    council = Council.objects.get(name="平 第2層協議体")
    council.note = "会場は平市民会館"
    council.save()
    client.force_login(coordinator_taira)
    assert "変更履歴" in client.get(council.get_absolute_url()).text
    client.force_login(coordinator_onahama)
    assert "変更履歴" not in client.get(council.get_absolute_url()).text


def test_the_group_page_shows_history_and_the_log_link_to_its_editors(
    client, coordinator_taira, city_staff
):
    group = SupportGroup.objects.filter(council__area__name="平").first()
    group.note = "新しい備考"
    group.save()
    client.force_login(coordinator_taira)
    page = client.get(group.get_absolute_url())
    assert "変更履歴" in page.text
    assert f"{reverse('councils:meeting-create')}?council={group.council_id}" in page.text
    client.force_login(city_staff)
    page = client.get(group.get_absolute_url())
    assert "変更履歴" not in page.text
    assert "この団体の会議を記録する" not in page.text


def test_an_opinion_of_a_deleted_meeting_is_restored_after_its_meeting(client, administrator):
    council = Council.objects.get(name="平 第2層協議体")
    meeting = Meeting.objects.create(council=council, fiscal_year=2019, sequence=1)
    opinion = Opinion.objects.create(meeting=meeting, fiscal_year=2019, text="戻したい意見")
    meeting_pk = meeting.pk
    Meeting.objects.filter(pk=meeting_pk).delete()
    client.force_login(administrator)
    opinion_record = Opinion.history.get(id=opinion.pk, history_type="-")
    meeting_record = Meeting.history.get(id=meeting_pk, history_type="-")

    refused = client.post(
        reverse("restore-record", args=["councils.Opinion", opinion_record.history_id]),
        follow=True,
    )
    assert "会議が削除されているため元に戻せません" in refused.text
    assert not Opinion.objects.filter(pk=opinion.pk).exists()

    client.post(reverse("restore-record", args=["councils.Meeting", meeting_record.history_id]))
    client.post(reverse("restore-record", args=["councils.Opinion", opinion_record.history_id]))
    assert Opinion.objects.get(pk=opinion.pk).meeting_id == meeting_pk

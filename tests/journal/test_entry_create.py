"""Logging an activity: as the signed-in coordinator, in the areas they cover, with what it led
to; a warning (not an error) when the text looks like a phone number or an address; the quick
form of the home page."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from activities.models import SupportGroup
from coordinators.models import Coordinator
from councils.models import Area, Council
from journal.models import ActivityKind, JournalEntry

pytestmark = pytest.mark.django_db

CREATE = reverse("journal:entry-create")
TODAY = date(2018, 6, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel("2018-06-15 10:00 +09:00", tick=False):
        yield


def data(**fields):
    return {
        "done_on": "平成30年6月14日",
        "kind": ActivityKind.VISIT,
        "summary": "一人暮らしの高齢者宅を訪問し、買い物の困りごとを聞いた。",
        **fields,
    }


def test_the_form_names_the_coordinator_and_says_to_write_no_personal_data(
    client, coordinator_taira
):
    client.force_login(coordinator_taira)
    body = client.get(CREATE).content.decode()
    assert "個人情報は書きません。" in body
    assert "住民の氏名・電話番号・住所" in body
    # Today in era form, and 平, the one area this coordinator covers, already chosen.
    assert 'value="平成30年6月15日"' in body
    response = client.get(CREATE)
    assert [a.name for a in response.context["form"].initial["areas"]] == ["平"]
    # No kind is chosen for the writer.
    assert '<option value="" selected>選んでください</option>' in body


def test_a_coordinator_logs_an_entry_as_their_own_placement(client, coordinator_taira):
    client.force_login(coordinator_taira)
    area = Area.objects.get(name="平")
    response = client.post(CREATE, data(areas=[area.pk], led_to=["needs", "matching"]))
    entry = JournalEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == entry.get_absolute_url()
    assert entry.coordinator.placement == "平地区協議会"
    assert entry.done_on == date(2018, 6, 14)
    assert list(entry.areas.all()) == [area]
    assert entry.led_to_needs and entry.led_to_matching and not entry.led_to_resources
    assert entry.history.count() == 1
    assert entry.history.first().history_user == coordinator_taira


def test_a_posted_coordinator_is_ignored(client, coordinator_taira):
    client.force_login(coordinator_taira)
    other = Coordinator.objects.get(placement="小名浜地区協議会")
    area = Area.objects.get(name="平")
    client.post(CREATE, data(areas=[area.pk], coordinator=other.pk))
    assert JournalEntry.objects.get().coordinator.placement == "平地区協議会"


def test_an_area_outside_the_coordinators_is_refused_and_nothing_is_written(
    client, coordinator_taira
):
    client.force_login(coordinator_taira)
    onahama = Area.objects.get(name="小名浜")
    response = client.post(CREATE, data(areas=[onahama.pk]))
    assert response.status_code == 200
    assert response.context["form"].errors["areas"] == [
        "担当していない圏域は選べません。一覧にある圏域から選んでください。"
    ]
    assert not JournalEntry.objects.exists()


def test_a_group_brings_its_area(client, coordinator_hq):
    client.force_login(coordinator_hq)
    group = SupportGroup.objects.get(name="玉川")
    council = Council.objects.get(name="平 第2層協議体")
    client.post(CREATE, data(group=group.pk, council=council.pk))
    entry = JournalEntry.objects.get()
    assert sorted(a.name for a in entry.areas.all()) == ["小名浜", "平"]
    assert entry.group == group and entry.council == council


def test_missing_and_wrong_fields_are_named_in_japanese(client, coordinator_taira):
    client.force_login(coordinator_taira)
    response = client.post(
        CREATE, {"done_on": "平成30年7月1日", "kind": "", "summary": "", "areas": []}
    )
    errors = response.context["form"].errors
    assert set(errors) == {"done_on", "kind", "summary", "areas"}
    assert "日付が未来です" in errors["done_on"][0]
    body = response.content.decode()
    assert "保存できませんでした" in body
    assert 'href="#id_kind"' in body
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize(
    ("summary", "shown"),
    [
        ("山田さん(0246-22-1111)宅を訪問", "「0246-22-1111」は電話番号のように見えます。"),
        ("平字田町120の方から相談", "「平字田町120」は住所のように見えます。"),
    ],
)
def test_a_summary_that_looks_personal_is_warned_and_saved_only_when_confirmed(
    client, coordinator_taira, summary, shown
):
    client.force_login(coordinator_taira)
    area = Area.objects.get(name="平")
    response = client.post(CREATE, data(areas=[area.pk], summary=summary))
    assert response.status_code == 200
    body = response.content.decode()
    assert "まだ保存していません。個人情報が含まれていないか確認してください。" in body
    assert shown in body
    assert not JournalEntry.objects.exists()
    # The warning is not an error: the text typed is kept, and saving it as it is works.
    digest = response.context["form"].hints_digest()
    assert f'name="hints_seen" value="{digest}"' in body
    # Enter in a field presses the form's first button: the plain save, which checks again.
    assert body.index('<button type="submit">保存する</button>') < body.index('name="hints_seen"')
    client.post(CREATE, data(areas=[area.pk], summary=summary, hints_seen=digest))
    assert JournalEntry.objects.get().summary == summary


def test_a_confirmation_covers_only_the_text_that_was_seen(client, coordinator_taira):
    client.force_login(coordinator_taira)
    area = Area.objects.get(name="平")
    first = client.post(CREATE, data(areas=[area.pk], summary="090-1111-2222 に連絡"))
    digest = first.context["form"].hints_digest()
    changed = client.post(
        CREATE, data(areas=[area.pk], summary="090-3333-4444 に連絡", hints_seen=digest)
    )
    assert changed.status_code == 200
    assert "090-3333-4444" in changed.content.decode()
    assert not JournalEntry.objects.exists()


def test_the_warning_never_puts_the_text_in_the_log(client, coordinator_taira, caplog):
    client.force_login(coordinator_taira)
    area = Area.objects.get(name="平")
    client.post(CREATE, data(areas=[area.pk], summary="0246-22-1111"))
    assert "0246-22-1111" not in caplog.text


def test_an_administrator_chooses_whose_entry_it_is(client, administrator, data_2017):
    client.force_login(administrator)
    onahama = Coordinator.objects.get(placement="小名浜地区協議会")
    response = client.post(CREATE, data(areas=[Area.objects.get(name="平").pk]))
    assert "coordinator" in response.context["form"].errors
    client.post(CREATE, data(areas=[Area.objects.get(name="平").pk], coordinator=onahama.pk))
    assert JournalEntry.objects.get().coordinator == onahama


def test_city_staff_keep_no_journal(client, city_staff, data_2017):
    client.force_login(city_staff)
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, data()).status_code == 403


def test_the_home_page_offers_the_quick_form_to_coordinators_only(
    client, coordinator_taira, city_staff
):
    client.force_login(coordinator_taira)
    body = client.get(reverse("home")).content.decode()
    assert 'class="entry-form quick-entry-form"' in body
    assert f'action="{CREATE}"' in body
    client.force_login(city_staff)
    assert "quick-entry-form" not in client.get(reverse("home")).content.decode()


def test_the_quick_form_returns_to_the_home_page(client, coordinator_taira):
    client.force_login(coordinator_taira)
    area = Area.objects.get(name="平")
    response = client.post(CREATE, data(areas=[area.pk], next=reverse("home")), follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    body = response.content.decode()
    assert "を記録しました。" in body
    entry = JournalEntry.objects.get()
    assert entry.get_absolute_url() in body  # among the recent entries


def test_next_cannot_send_the_writer_elsewhere(client, coordinator_taira):
    client.force_login(coordinator_taira)
    area = Area.objects.get(name="平")
    response = client.post(CREATE, data(areas=[area.pk], next="https://example.com/"))
    assert response["Location"] == JournalEntry.objects.get().get_absolute_url()

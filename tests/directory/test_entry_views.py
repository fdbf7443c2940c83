"""Keeping the directory current: coordinators create and edit their areas' entries (history
kept), confirm them (最終確認日) and publish them; city staff publish; nobody else."""

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Supporter, SupportGroup
from councils.models import Area
from directory.models import Entry, Frequency, Schedule, ScheduleKind
from needs_survey.models import HelpCategory
from tests.growth import grow_programme

pytestmark = pytest.mark.django_db

CREATE = reverse("directory:entry-create")


def form_data(area, *, schedules=(), **fields):
    data = {
        "name": "玉川ふれあいサロン",
        "name_kana": "たまがわふれあいさろん",
        "kind": "salon",
        "provider": "玉川町西区の会",
        "services": "お茶会、体操",
        "help_categories": [str(HelpCategory.objects.get(number=13).pk)],
        "area": str(area.pk),
        "location_kind": "public",
        "place_name": "玉川公民館",
        "address": "いわき市小名浜試験町1",
        "schedule_kind": "regular" if schedules else "arrangement",
        "contact_kind": "area_office",
        "status": "active",
        "schedules-TOTAL_FORMS": str(max(len(schedules), 1)),
        "schedules-INITIAL_FORMS": "0",
        "schedules-MIN_NUM_FORMS": "0",
        "schedules-MAX_NUM_FORMS": "10",
        "schedules-0-frequency": "weekly",
    }
    for i, row in enumerate(schedules):
        for key, value in row.items():
            data[f"schedules-{i}-{key}"] = value
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_a_coordinator_registers_an_entry_with_its_times(client, coordinator_onahama):
    onahama = Area.objects.get(name="小名浜")
    client.force_login(coordinator_onahama)
    data = form_data(
        onahama,
        schedules=[
            {
                "frequency": "weekly",
                "weekdays": ["TU", "FR"],
                "opens_at": "10:00",
                "closes_at": "12:00",
            },
            {"frequency": "monthly", "weekdays": ["WE"], "weeks": ["2"]},
        ],
    )
    response = client.post(CREATE, data)
    entry = Entry.objects.get(name="玉川ふれあいサロン")
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert entry.schedule_lines() == ["毎週 火・金 10:00〜12:00", "毎月 第2水曜日"]
    assert list(entry.service_areas.all()) == [onahama]
    assert entry.confirmed_on is None and not entry.is_published
    assert entry.history.count() == 1
    assert entry.history.first().history_user == coordinator_onahama


def test_an_entry_outside_your_areas_cannot_be_made_edited_or_confirmed(
    client, coordinator_onahama
):
    client.force_login(coordinator_onahama)
    taira = Area.objects.get(name="平")
    response = client.post(CREATE, form_data(taira))
    assert response.status_code == 200
    assert "担当圏域" in response.content.decode()
    assert not Entry.objects.filter(name="玉川ふれあいサロン").exists()
    shiroyama = Entry.objects.get(support_group__name="城山")
    assert client.get(reverse("directory:entry-update", args=[shiroyama.pk])).status_code == 404
    assert client.post(reverse("directory:entry-confirm", args=[shiroyama.pk])).status_code == 404
    assert client.post(reverse("directory:entry-publish", args=[shiroyama.pk])).status_code == 404
    shiroyama.refresh_from_db()
    assert shiroyama.confirmed_on is None and not shiroyama.is_published


def test_editing_keeps_the_confirmation_date_unless_the_box_says_so(client, coordinator_onahama):
    client.force_login(coordinator_onahama)
    entry = Entry.objects.get(support_group__name="永崎")
    url = reverse("directory:entry-update", args=[entry.pk])
    base = form_data(
        entry.area,
        name=entry.name,
        provider=entry.provider,
        services=entry.services,
        location_kind="unknown",
        place_name="",
        address="",
        schedule_kind="unknown",
    )
    assert client.post(url, base | {"fees": "無料"}).status_code == 302
    entry.refresh_from_db()
    assert entry.fees == "無料" and entry.confirmed_on is None
    assert client.post(url, base | {"confirmed_today": "on"}).status_code == 302
    entry.refresh_from_db()
    assert entry.confirmed_on == timezone.localdate()
    assert entry.confirmed_by == coordinator_onahama
    changes = [record for record in entry.history.all() if record.history_type == "~"]
    assert len(changes) == 2  # both edits are in the history


def test_confirming_sets_today_keeps_history_and_goes_back_only_to_this_site(
    client, coordinator_onahama
):
    client.force_login(coordinator_onahama)
    entry = Entry.objects.get(support_group__name="永崎")
    url = reverse("directory:entry-confirm", args=[entry.pk])
    response = client.post(url, {"next": "/"})
    assert response["Location"] == "/"
    entry.refresh_from_db()
    assert entry.confirmed_on == timezone.localdate()
    assert entry.history.first().history_change_reason == "最終確認"
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == entry.get_absolute_url()
    assert client.get(url).status_code == 405


def test_city_staff_publish_and_withdraw_but_do_not_edit(client, city_staff):
    client.force_login(city_staff)
    entry = Entry.objects.get(support_group__name="城山")
    assert client.get(entry.get_public_url()).status_code == 404
    assert client.post(reverse("directory:entry-publish", args=[entry.pk])).status_code == 302
    assert client.get(entry.get_public_url()).status_code == 200
    assert entry.history.first().history_change_reason == "公開"
    assert client.post(reverse("directory:entry-unpublish", args=[entry.pk])).status_code == 302
    assert client.get(entry.get_public_url()).status_code == 404
    assert client.get(reverse("directory:entry-update", args=[entry.pk])).status_code == 403
    assert client.post(reverse("directory:entry-confirm", args=[entry.pk])).status_code == 403
    detail = client.get(entry.get_absolute_url()).content.decode()
    assert "公開する" in detail and "今日確認した" not in detail and "変更履歴" not in detail


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_phone", "０２４６－２２－１１１１", "サポーター名簿に個人の番号"),
        ("address", "いわき市小名浜字試験 1-2", "サポーター名簿に個人の住所"),
        ("contact_name", "試験 一子", "個人の氏名と同じ"),
        ("provider", "試験一子", "個人の氏名と同じ"),
    ],
)
def test_a_supporters_phone_address_or_name_is_refused_with_a_reason(
    client, coordinator_onahama, field, value, message
):
    Supporter.objects.create(
        group=SupportGroup.objects.get(name="城山"),
        name="試験 一子",
        phone="0246-22-1111",
        address="いわき市小名浜字試験1-2",
    )
    client.force_login(coordinator_onahama)
    extra = {field: value}
    if field.startswith("contact_"):
        extra |= {"contact_kind": "provider", "contact_name": extra.get("contact_name", "事務局")}
    response = client.post(CREATE, form_data(Area.objects.get(name="小名浜"), **extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Entry.objects.filter(name="玉川ふれあいサロン").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"location_kind": "private_home"}, "家主が掲載に同意したときだけ"),
        ({"location_kind": "visit"}, "場所の名前と所在地は"),
        ({"schedule_kind": "regular"}, "曜日を1つ以上選んでください"),
        (
            {"schedule_kind": "arrangement", "schedules-0-weekdays": ["MO"]},
            "曜日の欄に入力があります",
        ),
        (
            {
                "schedule_kind": "regular",
                "schedules-0-weekdays": ["MO"],
                "schedules-0-weeks": ["2"],
            },
            "第何週は「毎月」のとき",
        ),
        (
            {
                "schedule_kind": "regular",
                "schedules-0-frequency": "monthly",
                "schedules-0-weekdays": ["MO"],
            },
            "第何週かを選んでください",
        ),
        ({"contact_kind": "area_office", "contact_phone": "0246-00-0000"}, "空欄にします"),
        ({"contact_kind": "provider"}, "窓口の名前を入力してください"),
        ({"status": "active", "suspended_until": "令和9年4月1日"}, "休止中」のときだけ"),
    ],
)
def test_the_form_explains_what_it_refuses_and_saves_nothing(
    client, coordinator_onahama, fields, message
):
    client.force_login(coordinator_onahama)
    response = client.post(CREATE, form_data(Area.objects.get(name="小名浜"), **fields))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body, body[body.find("error-summary") : body.find("error-summary") + 800]
    assert 'value="玉川公民館"' in body  # what was typed is still there
    assert not Entry.objects.filter(name="玉川ふれあいサロン").exists()


def test_switching_from_regular_to_arrangement_needs_the_rows_deleted(client, coordinator_onahama):
    client.force_login(coordinator_onahama)
    onahama = Area.objects.get(name="小名浜")
    client.post(CREATE, form_data(onahama, schedules=[{"weekdays": ["MO"]}]))
    entry = Entry.objects.get(name="玉川ふれあいサロン")
    row = entry.schedules.get()
    data = form_data(onahama, schedule_kind="arrangement") | {
        "schedules-TOTAL_FORMS": "1",
        "schedules-INITIAL_FORMS": "1",
        "schedules-0-id": str(row.pk),
        "schedules-0-entry": str(entry.pk),
        "schedules-0-frequency": "weekly",
        "schedules-0-weekdays": ["MO"],
    }
    url = reverse("directory:entry-update", args=[entry.pk])
    assert client.post(url, data).status_code == 200
    assert entry.schedules.count() == 1
    response = client.post(url, data | {"schedules-0-DELETE": "on"})
    assert response.status_code == 302
    assert not Schedule.objects.filter(entry=entry).exists()
    entry.refresh_from_db()
    assert entry.schedule_kind == ScheduleKind.ARRANGEMENT


def test_the_list_filters_what_needs_confirming_at_a_fixed_cost(
    client, city_staff, make_entry, django_assert_max_num_queries
):
    make_entry(name="確認済みの会", confirmed_on=timezone.localdate())
    client.force_login(city_staff)
    due = client.get(reverse("directory:entry-list"), {"due": "1"}).content.decode()
    assert "永崎の住民支え合い活動" in due and "確認済みの会" not in due
    grow_programme(times=3)
    for i in range(40):
        make_entry(name=f"試験{i}", categories=(1, 2, 5))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("directory:entry-list"))
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        client.get(reverse("directory:entry-list"), {"_export": "xlsx"})


def test_the_detail_page_shows_history_to_those_who_may_change_it(client, coordinator_onahama):
    entry = Entry.objects.get(support_group__name="永崎")
    Schedule.objects.create(entry=entry, weekdays="MO", frequency=Frequency.WEEKLY)
    client.force_login(coordinator_onahama)
    body = client.get(entry.get_absolute_url()).content.decode()
    assert "変更履歴" in body and "今日確認した" in body and "公開する" in body
    assert "平成29年10月31日" in body  # the report's date, labelled as not a confirmation
    assert "報告書の時点は確認日ではありません" in body


def test_a_coordinator_keeps_their_offices_contact_and_the_public_pages_show_it(
    client, coordinator_onahama, onahama_published
):
    from coordinators.models import Coordinator

    client.force_login(coordinator_onahama)
    office = Coordinator.objects.get(placement="小名浜地区協議会")
    url = reverse("directory:office-update", args=[office.pk])
    response = client.post(url, {"phone": "0246-92-0000", "hours": "平日 8:30〜17:15"})
    assert response.status_code == 302
    taira = Coordinator.objects.get(placement="平地区協議会")
    assert client.get(reverse("directory:office-update", args=[taira.pk])).status_code == 404
    client.logout()
    body = client.get(onahama_published[0].get_public_url()).content.decode()
    assert "0246-92-0000" in body and "平日 8:30〜17:15" in body
    listing = client.get(reverse("directory:public-search"), {"q": "畑作"}).content.decode()
    assert "0246-92-0000" in listing

"""One entry and the list: who reads, who changes (as meetings: by area; outside it 404), the
author kept, history, the filters the survey's links use, the export, the query counts."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from coordinators.models import Coordinator
from councils.models import Area
from journal.models import ActivityKind, JournalEntry

pytestmark = pytest.mark.django_db

LIST = reverse("journal:entry-list")


def make_entry(placement="平地区協議会", areas=("平",), day=date(2018, 5, 10), **fields):
    entry = JournalEntry.objects.create(
        coordinator=Coordinator.objects.get(placement=placement),
        done_on=day,
        kind=fields.pop("kind", ActivityKind.VISIT),
        summary=fields.pop("summary", "サロンを訪問"),
        **fields,
    )
    entry.areas.set(Area.objects.filter(name__in=areas))
    return entry


def edit_data(entry, **fields):
    return {
        "done_on": "2018-05-10",
        "kind": entry.kind,
        "summary": entry.summary,
        "areas": [a.pk for a in entry.areas.all()],
        **fields,
    }


def test_every_member_reads_an_entry_city_staff_included(client, city_staff, data_2017):
    entry = make_entry(led_to_needs=True, outcome="買い物支援の担い手につながった")
    client.force_login(city_staff)
    body = client.get(entry.get_absolute_url()).content.decode()
    assert "サロンを訪問" in body
    assert "ニーズの把握" in body
    assert "買い物支援の担い手につながった" in body
    assert "平成30年5月10日" in body
    assert "変更履歴" not in body  # history is for those who may change it


def test_the_author_edits_and_the_history_says_what_changed(client, coordinator_taira):
    entry = make_entry()
    client.force_login(coordinator_taira)
    response = client.post(
        reverse("journal:entry-update", args=[entry.pk]),
        edit_data(entry, summary="サロンを訪問し、担い手と話した", led_to=["supporters"]),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.summary == "サロンを訪問し、担い手と話した"
    assert entry.led_to_supporters
    body = client.get(entry.get_absolute_url()).content.decode()
    assert "変更履歴" in body
    assert "担い手の養成: 「いいえ」→「はい」" in body


def test_an_entry_of_another_area_is_404_to_change(client, coordinator_onahama):
    entry = make_entry()
    client.force_login(coordinator_onahama)
    assert client.get(reverse("journal:entry-update", args=[entry.pk])).status_code == 404
    assert client.post(reverse("journal:entry-delete", args=[entry.pk])).status_code == 404
    assert JournalEntry.objects.filter(pk=entry.pk).exists()


def test_the_headquarters_coordinator_edits_but_does_not_take_over_an_entry(client, coordinator_hq):
    entry = make_entry()
    client.force_login(coordinator_hq)
    client.post(
        reverse("journal:entry-update", args=[entry.pk]), edit_data(entry, summary="直した")
    )
    entry.refresh_from_db()
    assert entry.summary == "直した"
    assert entry.coordinator.placement == "平地区協議会"


def test_an_entry_of_two_areas_is_listed_once_and_opens_for_either_coordinator(
    client, coordinator_taira, coordinator_onahama
):
    entry = make_entry(areas=("平", "小名浜"))
    for user in (coordinator_taira, coordinator_onahama):
        client.force_login(user)
        assert client.get(reverse("journal:entry-update", args=[entry.pk])).status_code == 200
    assert JournalEntry.objects.editable_by(coordinator_taira).count() == 1
    assert client.get(LIST).context["table"].paginator.count == 1


def test_deleting_asks_first_then_deletes_and_keeps_a_history_row(client, coordinator_taira):
    entry = make_entry()
    client.force_login(coordinator_taira)
    page = client.get(reverse("journal:entry-delete", args=[entry.pk]))
    assert "削除しますか" in page.content.decode()
    assert JournalEntry.objects.filter(pk=entry.pk).exists()
    client.post(reverse("journal:entry-delete", args=[entry.pk]))
    assert not JournalEntry.objects.filter(pk=entry.pk).exists()
    assert JournalEntry.history.filter(id=entry.pk, history_type="-").exists()


def test_the_list_filters_by_year_kind_coordinator_area_and_what_entries_led_to(
    client, city_staff, data_2017
):
    make_entry(day=date(2018, 4, 1), led_to_needs=True)
    make_entry(day=date(2019, 3, 31), kind=ActivityKind.MATCHING)
    make_entry(day=date(2018, 3, 31))  # FY2017
    make_entry(placement="小名浜地区協議会", areas=("小名浜",), day=date(2018, 9, 1))
    client.force_login(city_staff)

    def count(**query):
        return client.get(LIST, query).context["table"].paginator.count

    assert count() == 4
    assert count(fiscal_year=2018) == 3
    assert count(fiscal_year="平成30年度") == 3
    assert count(fiscal_year=2018, kind="matching") == 1
    assert count(fiscal_year=2018, led_to="needs") == 1
    assert count(coordinator=Coordinator.objects.get(number=2).pk) == 1
    assert count(area=Area.objects.get(name="平").pk) == 3
    response = client.get(LIST, {"fiscal_year": "そのうち"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_the_list_exports_typed_rows(client, city_staff, data_2017):
    make_entry(areas=("平", "小名浜"), led_to_needs=True, led_to_matching=True)
    client.force_login(city_staff)
    response = client.get(LIST, {"_export": "xlsx", "fiscal_year": "2018"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.startswith(
        "平成30年度 生活支援コーディネーターの活動記録 ／ 絞り込みなし(全件) ／ "
    )
    assert sheet["A2"].value == "平成30年度の記録(画面の絞り込みのまま)"
    assert sheet.page_setup.orientation == "landscape"
    header = [c.value for c in sheet[3]]
    assert header[:4] == ["日付", "コーディネーター", "活動の種類", "圏域"]
    row = [c for c in sheet[4]]
    assert row[0].is_date and row[0].value.date() == date(2018, 5, 10)
    assert row[2].value == "訪問・相談"
    assert row[3].value == "平、小名浜"
    assert "ニーズの把握、ニーズとサービスのマッチング" in [c.value for c in row]


def test_the_list_makes_the_same_few_queries_for_many_entries(
    client, city_staff, data_2017, django_assert_max_num_queries
):
    client.force_login(city_staff)
    make_entry()
    with django_assert_max_num_queries(12):
        client.get(LIST)
    for day in range(1, 29):
        make_entry(areas=("平", "小名浜"), day=date(2018, 2, day))
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200

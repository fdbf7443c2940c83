"""The open data: CSV (UTF-8 with BOM, the national template's columns) and HSDS 3 JSON, both
parsed back; published entries only; schedules as RRULEs; nothing of a private home."""

import csv
import io
import json
import re
import uuid
from datetime import date, time

import pytest
from django.urls import reverse
from icalendar import vRecur

from councils.models import Area
from directory.models import (
    ContactKind,
    Entry,
    EntryStatus,
    Frequency,
    LocationKind,
    Schedule,
    ScheduleKind,
)
from directory.opendata import CSV_HEADERS

pytestmark = pytest.mark.django_db

ISSUE_COLUMNS = [
    "名称",
    "名称_カナ",
    "実施サービス",
    "住所",
    "電話",
    "利用可能曜日",
    "利用可能日時特記事項",
    "URL",
    "備考",
    "対象圏域",
    "手伝ってほしいことの分類",
    "最終確認日",
]


def read_csv(client, **query):
    response = client.get(reverse("directory:public-csv"), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    # A readable ASCII fallback, not the date alone.
    assert re.search(
        r'filename="local-support-directory(_area\d+)?_\d{8}\.csv"', response["Content-Disposition"]
    )
    assert response.content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, for Excel"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_hsds(client, **query):
    response = client.get(reverse("directory:public-hsds"), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.fixture
def salon(make_entry):
    """A fully described salon, weekly and monthly, with its own window."""
    entry = make_entry(
        name="玉川ふれあいサロン",
        name_kana="たまがわふれあいさろん",
        categories=(1, 13),
        serves=["平"],
        location_kind=LocationKind.PUBLIC,
        place_name="試験公民館",
        address="いわき市小名浜試験町1-1",
        schedule_kind=ScheduleKind.REGULAR,
        schedule_note="祝日は休み",
        fees="1回100円",
        eligibility="65歳以上の方",
        contact_kind=ContactKind.PROVIDER,
        contact_name="試験の会 事務局",
        contact_phone="0246-99-0001",
        contact_hours="平日 9:00〜17:00",
        url="https://example.org/salon",
        confirmed_on=date(2026, 10, 1),
    )
    Schedule.objects.create(entry=entry, weekdays="TU,FR", opens_at=time(10), closes_at=time(12))
    Schedule.objects.create(
        entry=entry, position=2, frequency=Frequency.MONTHLY, weekdays="WE", weeks="2"
    )
    return entry


def test_the_csv_has_the_issues_columns_first_and_parses_back(client, salon, onahama_published):
    rows = read_csv(client)
    assert list(rows[0].keys())[:12] == ISSUE_COLUMNS
    assert list(rows[0].keys()) == CSV_HEADERS
    row = next(r for r in rows if r["名称"] == "玉川ふれあいサロン")
    assert row == row | {
        "名称_カナ": "たまがわふれあいさろん",
        "住所": "いわき市小名浜試験町1-1",
        "電話": "0246-99-0001",
        "利用可能曜日": "火;水;金",
        "利用可能日時特記事項": "毎週 火・金 10:00〜12:00、毎月 第2水曜日、祝日は休み",
        "URL": "https://example.org/salon",
        "対象圏域": "平;小名浜",  # in the report's order of areas
        "手伝ってほしいことの分類": "声かけ;その他",
        "最終確認日": "2026-10-01",
        "費用": "1回100円",
        "問い合わせ先": "試験の会 事務局",
        "ID": str(salon.public_id),
    }
    nagasaki = next(r for r in rows if r["名称"] == "永崎の住民支え合い活動")
    assert nagasaki["電話"] == "" and nagasaki["最終確認日"] == ""
    assert nagasaki["問い合わせ先"] == "小名浜地区協議会(生活支援コーディネーター)"
    assert nagasaki["利用可能日時特記事項"] == "未確認"
    assert "出典: いわき市「生活支援体制整備事業に関する市町村の取組」" in nagasaki["備考"]
    assert "2017-10-31" in nagasaki["備考"]


def test_the_csv_holds_published_entries_only_and_can_be_cut_to_an_area(client, salon):
    names = {row["名称"] for row in read_csv(client)}
    assert names == {"玉川ふれあいサロン"}  # the 2017 entries are not published yet
    taira = Area.objects.get(name="平")
    assert {row["名称"] for row in read_csv(client, area=taira.pk)} == {"玉川ふれあいサロン"}
    kawamae = Area.objects.get(name="川前")
    assert read_csv(client, area=kawamae.pk) == []
    assert client.get(reverse("directory:public-csv"), {"area": "nope"}).status_code == 404


def test_the_csv_defuses_formulas(client, make_entry):
    make_entry(name='=HYPERLINK("http://example.invalid")', services="+買い物")
    row = read_csv(client)[0]
    assert row["名称"].startswith("'=") and row["実施サービス"] == "'+買い物"


def test_the_hsds_json_parses_back_with_its_entities(client, salon, onahama_published):
    document = read_hsds(client)
    assert document["total_items"] == len(document["contents"]) == 3
    service = next(s for s in document["contents"] if s["name"] == "玉川ふれあいサロン")
    assert uuid.UUID(service["id"]) == salon.public_id
    assert service["alternate_name"] == "たまがわふれあいさろん"
    assert service["status"] == "active"
    assert service["assured_date"] == "2026-10-01"
    assert service["fees_description"] == "1回100円"
    assert service["eligibility_description"] == "65歳以上の方"
    assert service["organization"]["id"] == service["organization_id"]
    assert service["organization"]["name"] == "試験の会"
    assert [p["number"] for p in service["phones"]] == ["0246-99-0001"]
    assert {a["name"] for a in service["service_areas"]} == {"小名浜", "平"}
    assert {a["taxonomy_term"]["name"] for a in service["attributes"]} == {"声かけ", "その他"}
    (link,) = service["service_at_locations"]
    assert link["location"]["name"] == "試験公民館"
    assert link["location"]["addresses"][0]["address_1"] == "いわき市小名浜試験町1-1"
    weekly, monthly = service["schedules"]
    assert (weekly["freq"], weekly["byday"]) == ("WEEKLY", "TU,FR")
    assert (weekly["opens_at"], weekly["closes_at"]) == ("10:00+09:00", "12:00+09:00")
    assert weekly["description"] == "毎週 火・金 10:00〜12:00"
    assert (monthly["freq"], monthly["byday"]) == ("MONTHLY", "2WE")
    for schedule in service["schedules"]:
        rule = vRecur.from_ical(f"FREQ={schedule['freq']};BYDAY={schedule['byday']}")
        assert rule["FREQ"] == [schedule["freq"]]
    every_id = [service["id"], *(s["id"] for s in service["schedules"])]
    every_id += [a["id"] for a in service["service_areas"]] + [link["id"], link["location"]["id"]]
    assert all(uuid.UUID(value) for value in every_id)
    assert len(set(every_id)) == len(every_id)


def test_a_report_entry_in_hsds_says_what_is_unknown_and_whom_to_ask(client, onahama_published):
    service = next(
        s for s in read_hsds(client)["contents"] if s["name"] == "永崎の住民支え合い活動"
    )
    assert service["assured_date"] is None
    assert service["schedules"] == [] and service["service_at_locations"] == []
    assert service["phones"] == []
    assert (
        service["application_process"] == "問い合わせ先: 小名浜地区協議会(生活支援コーディネーター)"
    )
    assert "実施サービス: 見守り・声かけ、買い物代行、ごみ出しなど" in service["description"]


def test_hsds_ids_stay_the_same_between_downloads(client, salon):
    first, second = read_hsds(client), read_hsds(client)
    assert first["contents"][0]["schedules"][0]["id"] == second["contents"][0]["schedules"][0]["id"]
    assert first["contents"][0]["organization_id"] == second["contents"][0]["organization_id"]


def test_a_suspended_entry_is_temporarily_closed_with_its_alert(client, make_entry):
    make_entry(
        status=EntryStatus.SUSPENDED,
        suspended_notice="台風の被害のため",
        suspended_until=date(2027, 4, 1),
    )
    service = read_hsds(client)["contents"][0]
    assert service["status"] == "temporarily closed"
    assert service["alert"] == "台風の被害のため(再開の見込み 2027-04-01)"
    assert "休止中: 台風の被害のため" in read_csv(client)[0]["備考"]


def test_a_private_home_without_consent_has_no_location_anywhere(client, make_entry):
    make_entry(name="個人宅サロン", location_kind=LocationKind.PRIVATE_HOME)
    service = read_hsds(client)["contents"][0]
    assert service["service_at_locations"] == []
    row = read_csv(client)[0]
    assert row["住所"] == ""
    assert row["場所"] == "個人宅のため、場所は問い合わせ先でご案内します"


def test_by_arrangement_is_a_schedule_without_a_rule(client, make_entry):
    make_entry(schedule_kind=ScheduleKind.ARRANGEMENT)
    (schedule,) = read_hsds(client)["contents"][0]["schedules"]
    assert schedule["description"] == "要相談" and "freq" not in schedule
    assert read_csv(client)[0]["利用可能日時特記事項"] == "要相談"


def test_feeds_are_linked_from_the_public_pages(client, data_2017):
    body = client.get(reverse("directory:public-about")).content.decode()
    assert reverse("directory:public-csv") in body and reverse("directory:public-hsds") in body
    home = client.get(reverse("directory:public-home")).content.decode()
    assert reverse("directory:public-about") + "#opendata" in home
    assert Entry.objects.count() == 15

"""Entries and schedules: plain Japanese, RRULEs, the six-month rule, private homes, contacts."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from icalendar import vRecur

from coordinators.models import Coordinator
from directory.models import (
    ContactKind,
    ContactOffice,
    Entry,
    EntryStatus,
    Frequency,
    LocationKind,
    Schedule,
    ScheduleKind,
    area_offices,
    months_before,
)

pytestmark = pytest.mark.django_db


def schedule(entry, **fields):
    return Schedule.objects.create(entry=entry, **fields)


@pytest.mark.parametrize(
    ("fields", "text", "rule"),
    [
        (
            {"weekdays": "FR,TU", "opens_at": time(10), "closes_at": time(12)},
            "毎週 火・金 10:00〜12:00",
            "FREQ=WEEKLY;BYDAY=TU,FR",
        ),
        (
            {"frequency": Frequency.MONTHLY, "weekdays": "WE", "weeks": "2"},
            "毎月 第2水曜日",
            "FREQ=MONTHLY;BYDAY=2WE",
        ),
        (
            {
                "frequency": Frequency.MONTHLY,
                "weekdays": "WE",
                "weeks": "3,1",
                "opens_at": time(13, 30),
            },
            "毎月 第1・第3水曜日 13:30から",
            "FREQ=MONTHLY;BYDAY=1WE,3WE",
        ),
        (
            {"frequency": Frequency.MONTHLY, "weekdays": "MO,TH", "weeks": "-1"},
            "毎月 最終 月・木曜日",
            "FREQ=MONTHLY;BYDAY=-1MO,-1TH",
        ),
    ],
)
def test_a_schedule_reads_as_plain_japanese_and_writes_a_valid_rrule(
    make_entry, fields, text, rule
):
    entry = make_entry(schedule_kind=ScheduleKind.REGULAR)
    row = schedule(entry, **fields)
    assert row.describe() == text
    assert row.rrule() == rule
    parsed = vRecur.from_ical(rule)
    assert parsed["FREQ"] == [rule.split(";")[0].split("=")[1]]
    assert len(parsed["BYDAY"]) == len(rule.split("BYDAY=")[1].split(","))


def test_an_entry_by_arrangement_or_unknown_says_so(make_entry):
    entry = make_entry(schedule_kind=ScheduleKind.ARRANGEMENT, schedule_note="前日までに電話で")
    assert entry.schedule_lines() == ["要相談", "前日までに電話で"]
    assert entry.weekday_labels() == []
    unknown = make_entry(name="日時不明")
    assert unknown.schedule_lines() == ["未確認"]
    assert unknown.unknown_facts() == ["日時", "場所", "費用", "利用できる人"]


def test_weekdays_of_several_schedules_come_once_in_week_order(make_entry):
    entry = make_entry(schedule_kind=ScheduleKind.REGULAR)
    schedule(entry, weekdays="FR")
    schedule(entry, frequency=Frequency.MONTHLY, weekdays="TU,FR", weeks="1", position=2)
    assert entry.weekday_labels() == ["火", "金"]


def test_the_database_refuses_a_malformed_schedule(make_entry):
    entry = make_entry(schedule_kind=ScheduleKind.REGULAR)
    bad = [
        {"weekdays": "Tuesday"},
        {"weekdays": "TU", "weeks": "2"},  # weekly with a week number
        {"frequency": Frequency.MONTHLY, "weekdays": "TU", "weeks": ""},
        {"weekdays": "TU", "opens_at": time(12), "closes_at": time(10)},
        {"weekdays": "TU", "closes_at": time(10)},
    ]
    for fields in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            schedule(entry, **fields)


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(date(2026, 11, 30), 6) == date(2026, 5, 30)
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_before(date(2026, 3, 15), 6) == date(2025, 9, 15)


def test_due_for_confirmation_is_never_confirmed_or_older_than_six_months(make_entry):
    today = date(2026, 11, 30)
    never = make_entry(name="未確認")
    old = make_entry(name="古い", confirmed_on=date(2026, 5, 29))
    recent = make_entry(name="最近", confirmed_on=date(2026, 5, 30))
    ended = make_entry(name="終了", status=EntryStatus.ENDED)
    due = set(
        Entry.objects.filter(name__in=["未確認", "古い", "最近", "終了"]).due_for_confirmation(
            today
        )
    )
    assert due == {never, old}
    assert old.due_for_confirmation(today) and not recent.due_for_confirmation(today)
    assert not ended.due_for_confirmation(today)


def test_a_private_home_without_consent_shows_no_place_and_the_database_refuses_one(make_entry):
    entry = make_entry(location_kind=LocationKind.PRIVATE_HOME)
    assert entry.place_text() == "個人宅のため、場所は問い合わせ先でご案内します"
    assert entry.public_address == ""
    entry.address = "いわき市小名浜字試験1"
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "家主が掲載に同意" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()


def test_a_private_home_with_consent_is_shown_and_marked_so(make_entry):
    entry = make_entry(
        location_kind=LocationKind.PRIVATE_HOME,
        host_consent=True,
        place_name="試験さん宅サロン",
        address="いわき市小名浜字試験1",
    )
    assert "家主の同意を得て掲載" in entry.place_text()
    assert entry.public_address == "いわき市小名浜字試験1"


def test_a_visit_has_no_address_in_open_data_even_if_one_was_kept(make_entry):
    entry = make_entry(location_kind=LocationKind.VISIT, address="残った住所")
    assert entry.place_text() == "ご自宅に伺います"
    assert entry.public_address == ""


def test_the_default_contact_is_the_areas_coordinator_office(make_entry):
    entry = make_entry()
    assert entry.contact().name == "小名浜地区協議会(生活支援コーディネーター)"
    assert entry.contact().phone == ""
    coordinator = Coordinator.objects.get(placement="小名浜地区協議会")
    ContactOffice.objects.create(coordinator=coordinator, name="小名浜の窓口", phone="0246-00-0000")
    assert entry.contact() == area_offices([entry.area_id])[entry.area_id]
    assert (entry.contact().name, entry.contact().phone) == ("小名浜の窓口", "0246-00-0000")


def test_an_area_that_no_district_coordinator_covers_falls_back_to_headquarters(make_entry):
    entry = make_entry()
    Coordinator.areas.through.objects.filter(area=entry.area).delete()
    assert entry.contact().name == "社会福祉協議会本部(生活支援コーディネーター)"


def test_a_providers_contact_must_be_named(make_entry):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_entry(contact_kind=ContactKind.PROVIDER, contact_name="")


def test_a_suspended_until_date_needs_the_suspended_status(make_entry):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_entry(suspended_until=date(2027, 4, 1))


def test_sort_key_follows_the_reading_or_the_name(make_entry):
    entry = make_entry(name="漢字の名前")
    assert entry.sort_key == "漢字の名前"
    entry.name_kana = "かんじのなまえ"
    entry.save(update_fields=["name_kana"])
    entry.refresh_from_db()
    assert entry.sort_key == "かんじのなまえ"

"""The 2017 fixtures: what they hold (from the Dec 2017 report) and that they reload cleanly."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models

from activities.models import GroupService, KeyFigure, SupporterCount, SupportGroup
from coordinators.models import Coordinator
from councils.models import Area, Council, District, Meeting, Tier
from needs_survey.models import HelpCategory

FIXTURE_DIR = settings.BASE_DIR / "fixtures" / "2017"
FIXTURES = [
    FIXTURE_DIR / "01_councils.json",
    FIXTURE_DIR / "02_needs_survey.json",
    FIXTURE_DIR / "03_coordinators.json",
    FIXTURE_DIR / "04_activities.json",
    FIXTURE_DIR / "05_directory.json",
]

AREAS = [
    ("平", "平"),
    ("小名浜", "小名浜"),
    ("勿来", "勿来"),
    ("田人", "勿来"),
    ("常磐", "常磐"),
    ("遠野", "常磐"),
    ("内郷", "内郷"),
    ("好間", "内郷"),
    ("三和", "内郷"),
    ("四倉", "四倉"),
    ("久之浜大久", "四倉"),
    ("小川", "小川"),
    ("川前", "小川"),
]

# 第2層協議体設置状況
ESTABLISHED = {
    "平": 28,
    "小名浜": 27,
    "勿来": 21,
    "田人": 26,
    "常磐": 24,
    "遠野": 19,
    "内郷": 26,
    "好間": 21,
    "三和": 19,
    "四倉": 31,
    "久之浜大久": 28,
    "小川": 26,
    "川前": 28,
}


def load():
    call_command("loaddata", *FIXTURES, verbosity=0)


@pytest.fixture
def loaded(data_2017):
    """The fixtures as the test database already holds them (see tests/conftest.py)."""


def fixture_models():
    labels = []
    for path in FIXTURES:
        for item in json.loads(path.read_text(encoding="utf-8")):
            if item["model"] not in labels:
                labels.append(item["model"])
    return [apps.get_model(label) for label in labels]


def counts():
    """Rows per model of the fixtures, and per auto-created M2M table."""
    result = {}
    for model in fixture_models():
        result[model._meta.label] = model._default_manager.count()
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                result[through._meta.label] = through.objects.count()
    return result


def test_fixtures_have_no_pks_and_every_model_has_natural_keys():
    for path in FIXTURES:
        for item in json.loads(path.read_text(encoding="utf-8")):
            assert "pk" not in item, (path.name, item)
    for model in fixture_models():
        assert hasattr(model, "natural_key"), model
        assert hasattr(model._default_manager, "get_by_natural_key"), model


@pytest.mark.django_db
def test_natural_keys_find_every_loaded_row(loaded):
    for model in fixture_models():
        manager = model._default_manager
        for instance in manager.all():
            assert manager.get_by_natural_key(*instance.natural_key()) == instance


@pytest.mark.django_db
def test_loading_twice_changes_nothing(loaded):
    first = counts()
    load()
    assert counts() == first


@pytest.mark.django_db
def test_seven_districts_in_order(loaded):
    assert list(District.objects.values_list("name", "position")) == [
        ("平", 1),
        ("小名浜", 2),
        ("勿来", 3),
        ("常磐", 4),
        ("内郷", 5),
        ("四倉", 6),
        ("小川", 7),
    ]


@pytest.mark.django_db
def test_thirteen_areas_in_the_reports_order_with_their_district(loaded):
    assert list(Area.objects.values_list("name", "district__name")) == AREAS
    assert list(Area.objects.values_list("position", flat=True)) == list(range(1, 14))


@pytest.mark.django_db
def test_tier2_councils_established_in_july_2017(loaded):
    tier2 = Council.objects.tier(Tier.SECOND).select_related("area")
    assert tier2.count() == 13
    assert {c.area.name: c.established_on for c in tier2} == {
        area: datetime.date(2017, 7, day) for area, day in ESTABLISHED.items()
    }
    assert all(c.is_established for c in tier2)


@pytest.mark.django_db
def test_tier1_council_not_established(loaded):
    tier1 = Council.objects.get(tier=Tier.FIRST)
    assert tier1.area is None
    assert not tier1.is_established
    assert tier1.established_on is None
    assert "設置していない" in tier1.note


@pytest.mark.django_db
def test_onahama_established_27_july_but_first_meeting_28_july(loaded):
    council = Council.objects.get(tier=Tier.SECOND, area__name="小名浜")
    assert council.established_on == datetime.date(2017, 7, 27)
    first = Meeting.objects.get(council=council, fiscal_year=2017, sequence=1)
    assert first.held_on == datetime.date(2017, 7, 28)


@pytest.mark.django_db
def test_fy2017_meetings_26_held_and_13_planned(loaded):
    fy2017 = Meeting.objects.in_fiscal_year(2017)
    assert fy2017.held().count() == 26
    assert fy2017.planned().count() == 13
    assert fy2017.count() == 39
    assert set(fy2017.held().values_list("sequence", flat=True)) == {1, 2}
    assert not fy2017.held().filter(held_on__isnull=True).exists()
    for meeting in fy2017.planned():
        assert meeting.sequence == 3
        assert meeting.held_on is None
        assert meeting.planned_month == datetime.date(2018, 2, 1)
    for meeting in fy2017.held().filter(sequence=1):
        assert meeting.held_on.month == 7
    for meeting in fy2017.held().filter(sequence=2):
        assert meeting.held_on.month == 11


@pytest.mark.django_db
def test_one_meeting_per_sequence_per_council_and_year(loaded):
    keys = list(Meeting.objects.values_list("council", "fiscal_year", "sequence"))
    assert len(keys) == len(set(keys))
    for council in Council.objects.tier(Tier.SECOND):
        sequences = council.meetings.filter(fiscal_year=2017).values_list("sequence", flat=True)
        assert sorted(sequences) == [1, 2, 3]


@pytest.mark.django_db
def test_fifteen_groups_with_model_numbers_1_to_15_once_each(loaded):
    groups = SupportGroup.objects.select_related("council__area")
    assert groups.count() == 15
    assert sorted(g.model_number for g in groups) == list(range(1, 16))
    assert all(g.council.tier == Tier.THIRD for g in groups)
    # The model list numbers ⑫ 小川塩田 and ⑬ 三和上市萱, unlike the activity table's row order.
    assert groups.get(model_number=12).name == "塩田"
    assert groups.get(model_number=12).council.area.name == "小川"
    assert groups.get(model_number=13).name == "上市萱"
    assert groups.get(model_number=13).council.area.name == "三和"
    assert groups.get(name="入旅人").district_label == "田人 入旅人大字区"


@pytest.mark.django_db
def test_supporter_counts_sum_299_and_the_reported_288_is_kept(loaded):
    assert SupporterCount.objects.count() == 15
    assert sum(SupporterCount.objects.values_list("count", flat=True)) == 299
    assert set(SupporterCount.objects.values_list("as_of", flat=True)) == {
        datetime.date(2017, 10, 31)
    }
    reported = KeyFigure.objects.get(key="mutual_aid_supporters")
    assert reported.value == Decimal(288)
    assert "299" in reported.note


@pytest.mark.django_db
def test_each_area_has_one_district_coordinator_and_hq_covers_all(loaded):
    district_coordinators = Coordinator.objects.filter(supervises_all=False)
    assert district_coordinators.count() == 7
    for area in Area.objects.all():
        covering = district_coordinators.filter(areas=area)
        assert covering.count() == 1, area
        assert covering.get().district == area.district
    hq = Coordinator.objects.get(supervises_all=True)
    assert hq.placement == "社会福祉協議会本部"
    assert hq.district is None
    assert list(hq.covered_areas()) == list(Area.objects.all())
    for area in Area.objects.all():
        assert Coordinator.objects.covering(area).count() == 2


@pytest.mark.django_db
def test_eight_coordinators_since_1_april_2015(loaded):
    assert list(Coordinator.objects.values_list("number", flat=True)) == list(range(1, 9))
    assert set(Coordinator.objects.values_list("since", flat=True)) == {datetime.date(2015, 4, 1)}
    assert set(Coordinator.objects.values_list("tier", flat=True)) == {2}
    assert not Coordinator.objects.filter(user__isnull=False).exists()


@pytest.mark.django_db
def test_thirteen_help_categories_in_order(loaded):
    assert list(HelpCategory.objects.values_list("number", "name")) == list(
        enumerate(
            [
                "声かけ",
                "買物",
                "通院・外出",
                "庭手入れ",
                "ごみ出し",
                "掃除",
                "窓拭き",
                "電球交換",
                "洗濯",
                "調理",
                "重い物移動",
                "回覧板移動",
                "その他",
            ],
            start=1,
        )
    )


@pytest.mark.django_db
def test_every_group_service_has_a_help_category(loaded):
    assert GroupService.objects.exists()
    assert not GroupService.objects.filter(help_categories__isnull=True).exists()


SCAN_ERRORS = [
    re.compile("田入"),
    re.compile("(?<!サ)ポーター"),
    re.compile("つどの場"),
    re.compile("田 人|遠 野|好 間|四 倉|川 前"),
]


@pytest.mark.django_db
def test_no_scanning_errors_in_the_loaded_text(loaded):
    checked = 0
    for model in fixture_models():
        text_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        if not text_fields:
            continue
        for row in model._default_manager.values_list(*text_fields):
            for value in row:
                checked += 1
                for pattern in SCAN_ERRORS:
                    assert not pattern.search(value or ""), (model, value)
    assert checked > 0


@pytest.mark.django_db
def test_the_directory_holds_one_unpublished_entry_per_model_group_from_the_report(loaded):
    from directory.models import ContactKind, Entry, LocationKind, ScheduleKind

    entries = list(Entry.objects.select_related("support_group__council__area", "area"))
    assert len(entries) == 15
    assert {e.support_group.model_number for e in entries} == set(range(1, 16))
    for entry in entries:
        group = entry.support_group
        services = list(group.services.order_by("position"))
        # The report's own services ("…など"), its categories, its area: nothing else.
        assert entry.services == "、".join(s.name for s in services) + "など"
        assert set(entry.help_categories.all()) == {
            c for s in services for c in s.help_categories.all()
        }
        assert entry.area == group.council.area
        assert list(entry.service_areas.all()) == [group.council.area]
        assert entry.name == group.district_label.split(" ", 1)[1] + "の住民支え合い活動"
        assert entry.source_as_of == datetime.date(2017, 10, 31)
        assert "第3層協議体活動状況" in entry.source
        # What the report does not give stays unknown, and nothing is public yet.
        assert not entry.is_published
        assert entry.confirmed_on is None and entry.confirmed_by is None
        assert entry.location_kind == LocationKind.UNKNOWN
        assert entry.schedule_kind == ScheduleKind.UNKNOWN
        assert entry.contact_kind == ContactKind.AREA_OFFICE
        assert not entry.schedules.exists()
        blank = ("name_kana", "place_name", "address", "fees", "eligibility", "contact_name")
        blank += ("contact_phone", "contact_hours", "url", "description", "schedule_note")
        assert all(getattr(entry, field) == "" for field in blank), entry
        assert entry.created_at is None and entry.updated_at is None
    tamagawa = next(e for e in entries if e.support_group.name == "玉川")
    assert tamagawa.services == "安否確認、ごみ出し、買い物、重い物移動、畑作・除草など"
    assert tamagawa.area.name == "小名浜"
    assert sorted(c.number for c in tamagawa.help_categories.all()) == [1, 2, 4, 5, 11]

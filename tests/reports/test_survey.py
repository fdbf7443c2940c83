"""The national survey's figures for a fiscal year: counts by tier from the records, each with
a link to what it counts; the journal's activity by kind and survey question; the xlsx."""

import io
import re
from datetime import date
from html import unescape

import openpyxl
import pytest
from django.urls import reverse

from activities.models import GroupService, SupportGroup
from coordinators.models import Coordinator
from councils.models import Area, Council, Tier
from journal.models import ActivityKind, JournalEntry, YearNote
from reports.survey import survey_answer

pytestmark = pytest.mark.django_db

TAG = re.compile(r"<[^>]+>")


def text_of(html):
    return re.sub(r"\s+", "", unescape(TAG.sub(" ", html)))


def figure(figures, label):
    found = [f for f in figures if f.label == label]
    assert len(found) == 1, [f.label for f in figures]
    return found[0]


def log(coordinator, day, kind, *, areas, **led_to):
    entry = JournalEntry.objects.create(
        coordinator=coordinator, done_on=day, kind=kind, summary="試験の記録", **led_to
    )
    entry.areas.set(areas)
    return entry


def test_2017_counts_councils_and_coordinators_by_tier(data_2017):
    answer = survey_answer(2017)
    assert figure(answer.councils, "第1層協議体").value == 0
    assert figure(answer.councils, "第1層協議体").note == "設置していない"
    assert figure(answer.councils, "第2層協議体").value == 13
    assert figure(answer.councils, "第3層協議体").value == 15
    assert "設置日の記録なし15" in figure(answer.councils, "第3層協議体").note
    assert figure(answer.coordinators, "第1層コーディネーター").value == 0
    assert figure(answer.coordinators, "第2層コーディネーター").value == 8
    assert "全圏域を統括1名" in figure(answer.coordinators, "第2層コーディネーター").note
    assert answer.same_areas == "異なる"
    assert "第2層は13圏域" in answer.same_areas_note
    assert "第1層の協議体は設置していません" in answer.same_areas_note


def test_2017_meetings_by_tier_and_groups_created(data_2017):
    answer = survey_answer(2017)
    tier2 = answer.meetings[1]
    assert tier2.tier_label == "第2層協議体"
    assert (tier2.held.value, tier2.planned.value, tier2.cancelled.value) == (26, 13, 0)
    assert answer.meetings[0].held.value == 0
    # The 15 model groups were set up in H27・H28 with no recorded date: none counted in 2017,
    # and said so.
    assert answer.groups_created.figure.value == 0
    assert answer.groups_created.figure.note == (
        "ほかに設置日の記録がない団体15(うちH27・H28モデル事業で設置15)"
    )
    assert answer.services_created.figure.value == 0
    assert answer.services_created.undated == 58


def test_a_council_set_up_after_the_year_is_not_counted_in_it(data_2017):
    Council.objects.filter(name="平 第2層協議体").update(established_on=date(2018, 4, 2))
    assert figure(survey_answer(2017).councils, "第2層協議体").value == 12
    assert figure(survey_answer(2018).councils, "第2層協議体").value == 13


def test_groups_and_services_created_in_the_year(data_2017):
    area = Area.objects.get(name="平")
    council = Council.objects.create(
        name="新しい団体",
        tier=Tier.THIRD,
        area=area,
        is_established=True,
        established_on=date(2018, 9, 1),
    )
    group = SupportGroup.objects.create(name="新しい団体", council=council, district_label="平 新")
    GroupService.objects.create(group=group, position=1, name="配食", started_on=date(2018, 10, 1))
    GroupService.objects.create(
        group=SupportGroup.objects.get(name="城山"),
        position=9,
        name="移動販売",
        started_on=date(2019, 4, 1),
    )
    answer = survey_answer(2018)
    assert answer.groups_created.figure.value == 1
    assert answer.groups_created.records == [group]
    assert answer.services_created.figure.value == 1
    assert [s.name for s in answer.services_created.records] == ["配食"]


def test_the_journal_is_counted_by_kind_and_by_survey_question_for_the_year(data_2017):
    taira = Coordinator.objects.get(placement="平地区協議会")
    hq = Coordinator.objects.get(placement="社会福祉協議会本部")
    area = Area.objects.get(name="平")
    log(taira, date(2018, 5, 1), ActivityKind.VISIT, areas=[area], led_to_needs=True)
    log(taira, date(2018, 6, 1), ActivityKind.VISIT, areas=[area])
    log(
        hq,
        date(2019, 3, 31),
        ActivityKind.MATCHING,
        areas=[area],
        led_to_matching=True,
        led_to_needs=True,
    )
    log(hq, date(2019, 4, 1), ActivityKind.MATCHING, areas=[area])  # FY2019
    log(hq, date(2018, 3, 31), ActivityKind.MATCHING, areas=[area])  # FY2017
    activity = survey_answer(2018).activity
    kinds = dict(activity.kind_lines)
    assert kinds["訪問・相談"].count == 2
    assert kinds["ニーズと支援のマッチング"].count == 1
    assert activity.total.count == 3
    categories = dict(activity.category_lines)
    assert categories["ニーズの把握"].count == 2
    assert categories["ニーズとサービスのマッチング"].count == 1
    assert categories["企業等との連携"].count == 0
    row = next(r for r in activity.rows if r.coordinator == taira)
    assert row.total.count == 2
    assert survey_answer(2017).activity.total.count == 1


def test_every_figure_links_to_the_records_it_counts(client, city_staff, data_2017):
    taira = Coordinator.objects.get(placement="平地区協議会")
    log(
        taira,
        date(2018, 5, 1),
        ActivityKind.VISIT,
        areas=[Area.objects.get(name="平")],
        led_to_needs=True,
    )
    client.force_login(city_staff)
    body = client.get(reverse("survey", args=[2017])).content.decode()
    assert f'href="{reverse("councils:council-list")}?tier=2">13</a>' in body
    meetings = f"{reverse('councils:meeting-list')}?fiscal_year=2017&amp;tier=2&amp;status=held"
    assert f'href="{meetings}">26</a>' in body
    # Following a link lists exactly what was counted.
    listed = client.get(
        reverse("councils:meeting-list"), {"fiscal_year": 2017, "tier": 2, "status": "held"}
    )
    assert listed.context["table"].paginator.count == 26
    body_2018 = client.get(reverse("survey", args=[2018])).content.decode()
    link = f"{reverse('journal:entry-list')}?fiscal_year=2018&amp;kind=visit"
    assert f'href="{link}">1</a>' in body_2018
    entries = client.get(reverse("journal:entry-list"), {"fiscal_year": 2018, "kind": "visit"})
    assert entries.context["table"].paginator.count == 1
    needs = client.get(reverse("journal:entry-list"), {"fiscal_year": 2018, "led_to": "needs"})
    assert needs.context["table"].paginator.count == 1


def test_the_page_shows_the_2017_answers(client, coordinator_taira, data_2017):
    client.force_login(coordinator_taira)
    text = text_of(client.get(reverse("survey", args=[2017])).content.decode())
    assert "第1層協議体0設置していない" in text
    assert "第2層協議体13" in text
    assert "第1層コーディネーター0名設置していない" in text
    assert "第2層コーディネーター8名" in text
    assert "平成29年度の活動記録はありません。" in text
    assert "今後の課題や提案0名コーディネーター8名のうち記入済み" in text


def test_what_coordinators_are_asked_to_report_counts_their_yearly_notes(data_2017):
    YearNote.objects.create(
        coordinator=Coordinator.objects.get(number=1),
        fiscal_year=2018,
        issues_and_proposals="担い手の高齢化",
    )
    requested = {f.label: f for f in survey_answer(2018).requested}
    assert requested["今後の課題や提案"].value == 1
    assert requested["活動実績"].value == 0


def test_the_survey_exports_a_typed_titled_sheet_per_section(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(reverse("survey", args=[2017]), {"_export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "協議体・コーディネーター",
        "会議の開催",
        "団体とサービスの創出",
        "活動実績(種類別)",
        "活動実績(調査項目別)",
        "今後の課題や提案",
        "報告を求めている事項",
    ]
    setup = book["協議体・コーディネーター"]
    assert setup["A1"].value.startswith(
        "地域支援事業実施状況調査(生活支援体制整備事業) 平成29年度 協議体・コーディネーター ／ "
    )
    values = {row[0].value: row[1] for row in setup.iter_rows(min_row=4)}
    assert values["第2層協議体"].value == 13 and values["第2層協議体"].data_type == "n"
    assert values["第2層コーディネーター"].value == 8
    assert values["第1層協議体"].value == 0
    meetings = {
        row[0].value: [c.value for c in row[1:]] for row in book["会議の開催"].iter_rows(min_row=4)
    }
    assert meetings["第2層協議体"] == [26, 13, 0]
    for sheet in book:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.print_title_rows == "$1:$3"  # title, caption and header on every page


def test_the_survey_page_makes_the_same_few_queries_with_many_entries(
    client, city_staff, data_2017, django_assert_max_num_queries
):
    client.force_login(city_staff)
    url = reverse("survey", args=[2018])
    with django_assert_max_num_queries(25):
        client.get(url)
    area = Area.objects.get(name="平")
    for coordinator in Coordinator.objects.all():
        for day in range(1, 21):
            log(
                coordinator, date(2018, 5, day), ActivityKind.VISIT, areas=[area], led_to_needs=True
            )
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200

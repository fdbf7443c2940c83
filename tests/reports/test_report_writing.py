"""What city staff write for a year's report: 今後の予定 (one text a year), a key figure's value
for the year (with its date and source), and which opinions are the main ones."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from activities.models import KeyFigure, NoteTopic, ProgrammeNote
from councils.models import Council, Meeting, MeetingStatus, Opinion

pytestmark = pytest.mark.django_db


def test_city_staff_write_a_years_plan_ahead_and_the_report_shows_it(client, city_staff, data_2017):
    client.force_login(city_staff)
    url = reverse("plan-ahead-edit", args=[2018])
    response = client.post(url, {"text": "地域ごとの担い手養成講座を開く。"})
    assert response["Location"] == reverse("report", args=[2018]) + "#plan-ahead"
    note = ProgrammeNote.objects.get(topic=NoteTopic.PLAN_AHEAD, report_year=2018)
    assert note.text == "地域ごとの担い手養成講座を開く。"
    assert note.history.get().history_user == city_staff
    # Writing again rewrites the one text of the year.
    client.post(url, {"text": "担い手養成講座を2回開く。"})
    assert ProgrammeNote.objects.filter(topic=NoteTopic.PLAN_AHEAD, report_year=2018).count() == 1
    assert (
        "担い手養成講座を2回開く。" in client.get(reverse("report", args=[2018])).content.decode()
    )
    # 2017's own plan is untouched.
    assert ProgrammeNote.objects.get(topic=NoteTopic.PLAN_AHEAD, report_year=2017).text.startswith(
        "現在取りまとめ中"
    )


def test_an_empty_plan_is_refused(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.post(reverse("plan-ahead-edit", args=[2018]), {"text": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert not ProgrammeNote.objects.filter(report_year=2018).exists()


def test_a_figure_gets_a_value_for_a_later_year_with_its_date_and_source(
    client, city_staff, data_2017
):
    client.force_login(city_staff)
    url = reverse("keyfigure-edit", args=[2018, "population"])
    page = client.get(url).content.decode()
    # Started from the 2017 row's label, unit and source, never its value.
    assert 'value="総人口"' in page
    assert 'value="いわき市「住民基本台帳」"' in page
    assert 'value="327491' not in page
    response = client.post(
        url,
        {
            "label": "総人口",
            "value": "324,000".replace(",", ""),
            "unit": "人",
            "as_of": "平成30年10月1日",
            "as_of_text": "H30.10.1現在",
            "source": "いわき市「住民基本台帳」",
            "note": "",
        },
    )
    assert response.status_code == 302
    new = KeyFigure.objects.get(key="population", report_year=2018)
    assert (new.value, new.as_of, new.category) == (Decimal(324000), date(2018, 10, 1), "profile")
    assert KeyFigure.objects.get(key="population", report_year=2017).value == Decimal(327491)
    assert new.history.get().history_user == city_staff


def test_a_figure_needs_its_date_and_source_and_a_date_within_the_year(
    client, city_staff, data_2017
):
    client.force_login(city_staff)
    url = reverse("keyfigure-edit", args=[2018, "population"])
    response = client.post(
        url,
        {"label": "総人口", "value": "1", "unit": "人", "as_of": "令和元年5月1日", "source": ""},
    )
    errors = response.context["form"].errors
    assert "平成30年度の末日(平成31年3月31日)より後です" in errors["as_of"][0]
    assert errors["source"] == ["出典を入力してください。"]
    response = client.post(url, {"label": "総人口", "value": "", "unit": "人", "source": "x"})
    errors = response.context["form"].errors
    assert "値を入力してください" in errors["value"][0]
    assert "時点" in errors["as_of"][0]
    assert not KeyFigure.objects.filter(report_year=2018).exists()


def test_an_unknown_figure_is_404(client, city_staff, data_2017):
    client.force_login(city_staff)
    assert client.get(reverse("keyfigure-edit", args=[2018, "no_such_figure"])).status_code == 404


def test_a_new_figure_is_added_for_a_year(client, city_staff, data_2017):
    client.force_login(city_staff)
    url = reverse("keyfigure-create", args=[2018])
    fields = {
        "key": "meal_delivery",
        "category": "outcome",
        "position": "20",
        "label": "配食サービス 利用者",
        "value": "120",
        "unit": "人",
        "as_of_text": "H31.3月末",
        "source": "いわき市",
    }
    assert client.post(url, fields).status_code == 302
    assert KeyFigure.objects.get(key="meal_delivery").report_year == 2018
    again = client.post(url, fields)
    assert "すでにあります" in again.context["form"].errors["key"][0]
    body = client.get(reverse("report", args=[2018])).content.decode()
    assert "配食サービス 利用者" in body
    assert "配食サービス 利用者" not in client.get(reverse("report", args=[2017])).content.decode()


def test_city_staff_choose_the_years_main_opinions(client, city_staff, data_2017):
    meeting = Meeting.objects.create(
        council=Council.objects.get(name="平 第2層協議体"),
        fiscal_year=2018,
        sequence=1,
        status=MeetingStatus.HELD,
        held_on=date(2018, 7, 20),
    )
    chosen = Opinion.objects.create(meeting=meeting, fiscal_year=2018, text="送迎の担い手がほしい")
    other = Opinion.objects.create(meeting=meeting, fiscal_year=2018, text="会場が遠い")
    client.force_login(city_staff)
    url = reverse("main-opinions-edit", args=[2018])
    page = client.get(url).content.decode()
    assert "送迎の担い手がほしい" in page and "会場が遠い" in page
    assert "移動販売などの" not in page  # 2017's are 2017's
    client.post(url, {"opinions": [chosen.pk]})
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert chosen.is_main and not other.is_main
    assert chosen.history.first().history_user == city_staff
    report = client.get(reverse("report", args=[2018])).content.decode()
    assert "送迎の担い手がほしい" in report and "会場が遠い" not in report
    # Unchoosing them all leaves the year with none; 2017's four are untouched.
    client.post(url, {})
    assert not Opinion.objects.filter(fiscal_year=2018, is_main=True).exists()
    assert Opinion.objects.filter(fiscal_year=2017, is_main=True).count() == 4


def test_the_four_2017_main_opinions_are_marked(data_2017):
    texts = list(Opinion.objects.main().in_fiscal_year(2017).values_list("text", flat=True))
    assert len(texts) == 4
    assert texts[0].startswith("移動販売などの生活支援サービス")


def test_coordinators_read_the_report_but_do_not_write_it(client, coordinator_hq):
    client.force_login(coordinator_hq)
    for url in (
        reverse("plan-ahead-edit", args=[2018]),
        reverse("main-opinions-edit", args=[2018]),
        reverse("keyfigure-edit", args=[2018, "population"]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {"text": "x"}).status_code == 403
    assert not ProgrammeNote.objects.filter(report_year=2018).exists()


def test_a_plan_saved_meanwhile_by_someone_else_is_not_overwritten(
    client, city_staff, data_2017, monkeypatch
):
    from django.db import IntegrityError

    from reports.forms import PlanAheadForm

    def racing_save(self, commit=True):
        raise IntegrityError("activities_programmenote_one_plan_per_year")

    monkeypatch.setattr(PlanAheadForm, "save", racing_save)
    client.force_login(city_staff)
    response = client.post(reverse("plan-ahead-edit", args=[2018]), {"text": "私の予定"})
    assert response.status_code == 200
    assert "たった今ほかの人により保存されました" in response.content.decode()
    assert "私の予定" in response.content.decode()  # what was typed is still there

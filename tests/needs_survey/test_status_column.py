"""The district status table shows each area's needs-survey progress."""

import re

import pytest
from django.urls import reverse

from councils.models import Area
from reports.status import area_status_rows

pytestmark = pytest.mark.django_db

STATUS = reverse("status")


def survey_cells(body):
    cells = re.findall(r'<tr[^>]*data-area="([^"]+)"[^>]*>(.*?)</tr>', body, re.S)
    return {area: row for area, row in cells}


def test_status_rows_carry_survey_progress(make_survey):
    make_survey("平", 2017, {n: (1, "can") for n in range(1, 14)})
    make_survey("小名浜", 2017, {1: (1, "can"), 2: (1, "")})
    rows = {r.area.name: r for r in area_status_rows(Area.objects.all(), fiscal_year=2017)}
    assert rows["平"].survey_progress.label == "分類済み（13項目）"
    assert rows["小名浜"].survey_progress.label == "入力中（1/13項目分類）"
    assert rows["川前"].survey_progress.label == "未着手"


def test_status_page_shows_and_sorts_by_survey_progress_with_a_total(
    client, city_staff, make_survey
):
    survey = make_survey("平", 2017, {n: (1, "can") for n in range(1, 14)})
    make_survey("小名浜", 2017, {1: (1, "can")})
    client.force_login(city_staff)
    response = client.get(STATUS, {"fiscal_year": "2017", "sort": "-survey_progress"})
    body = response.content.decode()
    rows = survey_cells(body)
    assert f'<a href="{survey.get_absolute_url()}">分類済み（13項目）</a>' in rows["平"]
    assert "未着手" in rows["川前"]
    order = list(rows)
    assert order[:2] == ["平", "小名浜"]
    assert "入力 2 / 分類済み 1" in body


def test_status_export_holds_the_survey_progress_as_text(client, city_staff, make_survey):
    make_survey("平", 2017, {1: (1, "can")})
    client.force_login(city_staff)
    response = client.get(STATUS, {"fiscal_year": "2017", "_export": "csv"})
    text = response.content.decode("utf-8-sig")
    assert "ニーズ調査" in text.splitlines()[0]
    assert "入力中（1/13項目分類）" in text

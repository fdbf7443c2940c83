"""The district status table: rows, totals, filters, sorting, exports, access, query counts."""

import csv
import io
import re
from datetime import date

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from activities.models import Supporter, SupportGroup
from core.wareki import default_fiscal_year
from councils.models import Area, District, Meeting
from reports.status import StatusTotals, area_status_rows
from tests.growth import grow_programme

pytestmark = pytest.mark.django_db

STATUS = reverse("status")


def rows_of(fiscal_year=2017, **filters):
    return {
        row.area.name: row
        for row in area_status_rows(Area.objects.filter(**filters), fiscal_year=fiscal_year)
    }


def area_order(response):
    return [row.record.area.name for row in response.context["table"].rows]


def xlsx_of(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


# --- the rows -------------------------------------------------------------------------


def test_status_rows_hold_coordinator_council_meetings_groups_and_counts_of_taira(data_2017):
    taira = rows_of()["平"]
    assert [str(c) for c in taira.coordinators] == ["平地区協議会"]
    assert taira.council.name == "平 第2層協議体"
    assert taira.established_on == date(2017, 7, 28)
    assert taira.meeting(1).held_on == date(2017, 7, 28)
    assert taira.meeting(2).held_on == date(2017, 11, 27)
    assert taira.meeting(3).planned_month == date(2018, 2, 1)
    assert taira.groups == 2
    assert taira.reported_supporters == 33 + 24
    assert taira.reported_as_of_last == date(2017, 10, 31)
    assert taira.registered_supporters == 0


def test_status_rows_keep_onahama_established_27_july_and_first_meeting_28_july(data_2017):
    onahama = rows_of()["小名浜"]
    assert onahama.established_on == date(2017, 7, 27)
    assert onahama.meeting(1).held_on == date(2017, 7, 28)


def test_status_rows_count_only_active_supporters_registered_in_the_system(data_2017):
    group = SupportGroup.objects.get(name="城山")
    Supporter.objects.create(group=group, name="試験 花子")
    Supporter.objects.create(group=group, name="試験 次郎", active=False)
    assert rows_of()["平"].registered_supporters == 1


def test_status_rows_ignore_counts_reported_after_the_fiscal_year(data_2017):
    fy2016 = rows_of(fiscal_year=2016)["平"]
    assert fy2016.reported_supporters is None
    assert fy2016.meetings == {}


def test_totals_add_up_to_the_2017_report(data_2017):
    totals = StatusTotals.of(list(rows_of().values()))
    assert totals.areas == 13
    assert totals.councils_established == 13
    assert totals.meetings_held == {1: 13, 2: 13, 3: 0}
    assert totals.groups == 15
    assert totals.reported_supporters == 299


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2018, 1, 10), 2017), (date(2026, 11, 26), 2017), (date(2017, 4, 1), 2017)],
)
def test_default_fiscal_year_is_the_current_one_or_the_latest_recorded(today, expected):
    assert default_fiscal_year([2017], today) == expected


def test_default_fiscal_year_is_the_current_one_when_nothing_is_recorded():
    assert default_fiscal_year([], date(2026, 5, 1)) == 2026


# --- the page -------------------------------------------------------------------------


def test_status_page_shows_every_area_in_district_order_with_totals(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(STATUS)
    assert response.status_code == 200
    assert area_order(response) == list(Area.objects.values_list("name", flat=True))
    body = response.content.decode()
    assert "合計" in body
    assert ">299<" in body
    assert "平成29年度" in body


def test_status_page_writes_dates_in_era_form_with_the_western_date_at_hand(
    client, city_staff, data_2017
):
    client.force_login(city_staff)
    body = client.get(STATUS).content.decode()
    assert '<time datetime="2017-07-28" title="2017年7月28日">平成29年7月28日</time>' in body
    assert '<time datetime="2018-02" title="2018年2月">平成30年2月</time>' in body


def test_status_page_filters_by_district(client, city_staff, data_2017):
    client.force_login(city_staff)
    uchigo = District.objects.get(name="内郷")
    response = client.get(STATUS, {"district": uchigo.pk})
    assert area_order(response) == ["内郷", "好間", "三和"]
    assert response.context["table"].totals.reported_supporters == 14 + 8 + 13


def test_status_page_filters_by_fiscal_year(client, city_staff, data_2017):
    client.force_login(city_staff)
    Meeting.objects.filter(fiscal_year=2017, sequence=1, council__area__name="平").update(
        fiscal_year=2018
    )
    response = client.get(STATUS, {"fiscal_year": 2018})
    rows = {row.record.area.name: row.record for row in response.context["table"].rows}
    assert rows["平"].meeting(1).held_on == date(2017, 7, 28)
    assert rows["小名浜"].meeting(1) is None
    assert "平成30年度" in response.content.decode()


def test_status_page_refuses_an_unknown_fiscal_year_with_a_message(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(STATUS, {"fiscal_year": "abc"})
    assert response.status_code == 200
    assert "正しく選択してください" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("-reported_supporters", "平", "川前"),
        ("reported_supporters", "川前", "平"),
        ("meeting_2", "常磐", None),
        ("-established_on", "四倉", None),
        ("-area", "川前", "平"),
        ("coordinators", "平", None),
        ("-groups", None, None),
    ],
)
def test_status_page_sorts_by_any_column(client, city_staff, data_2017, sort, first, last):
    client.force_login(city_staff)
    response = client.get(STATUS, {"sort": sort})
    assert response.status_code == 200
    order = area_order(response)
    assert sorted(order) == sorted(Area.objects.values_list("name", flat=True))
    if first:
        assert order[0] == first
    if last:
        assert order[-1] == last


def test_every_visible_status_column_is_sortable(client, city_staff, data_2017):
    client.force_login(city_staff)
    table = client.get(STATUS).context["table"]
    for column in table.columns:
        response = client.get(STATUS, {"sort": f"-{column.name}"})
        assert response.status_code == 200, column.name


def test_status_page_never_shows_supporters_personal_data(client, city_staff, data_2017):
    group = SupportGroup.objects.get(name="城山")
    Supporter.objects.create(group=group, name="秘密 花子", phone="0246-00-0000", address="平字")
    client.force_login(city_staff)
    for response in (
        client.get(STATUS),
        client.get(STATUS, {"_export": "csv"}),
    ):
        body = response.content.decode("utf-8-sig")
        assert "秘密" not in body
        assert "0246-00-0000" not in body


# --- export ---------------------------------------------------------------------------


def test_status_export_xlsx_keeps_types_and_the_totals_row(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(STATUS, {"_export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = xlsx_of(response)
    assert sheet["A1"].value.startswith("圏域別状況 平成29年度 ／ 絞り込みなし(全件) ／ ")
    headers = [c.value for c in sheet[3]]  # under the title row (core.exports)
    assert headers[:4] == ["地区", "圏域", "コーディネーター", "第2層協議体"]
    taira = {h: c for h, c in zip(headers, sheet[4], strict=True)}
    assert taira["圏域"].value == "平"
    assert taira["設置日"].is_date
    assert taira["第1回"].value.date() == date(2017, 7, 28)
    assert taira["第1回 状況"].value == "開催済み"
    assert taira["サポーター数(報告)"].data_type == "n"
    assert taira["サポーター数(報告)"].value == 57
    assert taira["サポーター数(システム登録)"].value == 0
    # The totals: below an empty row, a small table of numbers (never 「開催 13 / 13」).
    assert all(c.value is None for c in sheet[4 + 13])
    assert [c.value for c in sheet[4 + 13 + 1]][:3] == ["合計", "件数・人数", "対象の圏域数"]
    totals = {row[0].value: (row[1], row[2]) for row in sheet.iter_rows(min_row=4 + 13 + 2)}
    assert totals["サポーター数(報告)"][0].value == 299
    assert totals["サポーター数(報告)"][0].data_type == "n"
    assert totals["第3層団体数"][0].value == 15
    assert [c.value for c in totals["第1回 開催"]] == [13, 13]
    assert [c.value for c in totals["第2層協議体の設置"]] == [13, 13]


def test_status_export_holds_the_current_filter_and_sort(client, city_staff, data_2017):
    client.force_login(city_staff)
    uchigo = District.objects.get(name="内郷")
    response = client.get(
        STATUS, {"district": uchigo.pk, "sort": "-reported_supporters", "_export": "xlsx"}
    )
    sheet = xlsx_of(response)
    assert [sheet.cell(row=r, column=2).value for r in range(4, 7)] == ["内郷", "三和", "好間"]
    assert sheet.cell(row=8, column=1).value == "合計"
    assert sheet.cell(row=9, column=2).value == 3  # 圏域: the three of the filter
    assert "絞り込み: 地区「内郷」" in sheet["A1"].value


def test_status_export_csv_is_utf8_with_bom_by_default_and_cp932_on_request(
    client, city_staff, data_2017
):
    client.force_login(city_staff)
    utf8 = client.get(STATUS, {"_export": "csv"})
    assert utf8.content.startswith(b"\xef\xbb\xbf")
    assert utf8["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(utf8.content.decode("utf-8-sig"))))
    assert rows[1][:2] == ["平", "平"]
    sjis = client.get(STATUS, {"_export": "csv", "encoding": "cp932"})
    assert sjis["Content-Type"] == "text/csv; charset=shift_jis"
    assert sjis.content.decode("cp932").splitlines()[1].startswith("平,平,平地区協議会")


def test_status_export_file_is_named_after_the_fiscal_year_and_the_day(
    client, city_staff, data_2017
):
    client.force_login(city_staff)
    with time_machine.travel(date(2018, 1, 15)):
        response = client.get(STATUS, {"_export": "xlsx"})
    from urllib.parse import quote

    disposition = response["Content-Disposition"]
    assert quote("圏域別状況_平成29年度_全件_20180115.xlsx") in disposition
    assert 'filename="district-status_FY2017_all_20180115.xlsx"' in disposition


def test_status_export_defuses_a_formula_typed_into_a_council_name(client, city_staff, data_2017):
    from councils.models import Council

    Council.objects.filter(name="平 第2層協議体").update(name='=HYPERLINK("http://x","平")')
    client.force_login(city_staff)
    sheet = xlsx_of(client.get(STATUS, {"_export": "xlsx"}))
    assert sheet["D4"].data_type == "s"
    assert sheet["D4"].value.startswith("=HYPERLINK")
    body = client.get(STATUS, {"_export": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


# --- access ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, data_2017):
    response = client.get(STATUS)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_user_without_a_role_is_refused_with_403(client, make_user, data_2017):
    client.force_login(make_user("nobody"))
    response = client.get(STATUS)
    assert response.status_code == 403
    assert "権限がありません" in response.content.decode()
    assert client.get(STATUS, {"_export": "xlsx"}).status_code == 403


@pytest.mark.parametrize("persona", ["administrator", "city_staff", "coordinator_onahama"])
def test_every_role_reads_the_whole_status_table(client, request, persona, data_2017):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(STATUS)
    assert response.status_code == 200
    assert len(response.context["table"].rows) == 13


# --- query counts ---------------------------------------------------------------------

# Session, user and role lookups, plus a fixed number per step of area_status_rows
# (two of them for the needs-survey progress: the surveys and the number of categories;
# one for the open opinions and needs per area).
STATUS_QUERY_BUDGET = 19


@pytest.mark.parametrize("query", [{}, {"sort": "-meeting_1"}, {"_export": "xlsx"}])
def test_status_page_makes_the_same_few_queries_when_the_areas_grow_tenfold(
    client, city_staff, data_2017, django_assert_max_num_queries, query
):
    client.force_login(city_staff)
    with django_assert_max_num_queries(STATUS_QUERY_BUDGET):
        client.get(STATUS, query)
    grow_programme(times=10)
    with django_assert_max_num_queries(STATUS_QUERY_BUDGET):
        response = client.get(STATUS, query)
    assert response.status_code == 200
    if "_export" not in query:
        assert len(response.context["table"].rows) == 13 * 10


def test_status_rows_are_grouped_by_district_with_a_rule_above_each(client, city_staff, data_2017):
    client.force_login(city_staff)
    body = client.get(STATUS).content.decode()
    starts = re.findall(r'<tr data-area="([^"]+)" class="district-start', body)
    assert starts == ["平", "小名浜", "勿来", "常磐", "内郷", "四倉", "小川"]


def test_filtering_keeps_the_current_sort_and_export_links_keep_both(client, city_staff, data_2017):
    client.force_login(city_staff)
    uchigo = District.objects.get(name="内郷")
    body = client.get(STATUS, {"sort": "-groups", "district": uchigo.pk}).content.decode()
    assert '<input type="hidden" name="sort" value="-groups">' in body
    assert f'href="?sort=-groups&amp;district={uchigo.pk}&amp;_export=xlsx"' in body


def test_status_page_subtotals_each_district(client, city_staff, data_2017):
    client.force_login(city_staff)
    subtotals = {
        district.name: totals for district, totals in client.get(STATUS).context["district_totals"]
    }
    assert list(subtotals) == ["平", "小名浜", "勿来", "常磐", "内郷", "四倉", "小川"]
    assert subtotals["内郷"].areas == 3
    assert subtotals["内郷"].reported_supporters == 14 + 8 + 13
    assert subtotals["勿来"].meetings_held == {1: 2, 2: 2, 3: 0}
    assert sum(t.reported_supporters for t in subtotals.values()) == 299


def test_status_meeting_cells_link_to_the_meeting(client, city_staff, data_2017):
    meeting = Meeting.objects.get(council__area__name="平", fiscal_year=2017, sequence=2)
    client.force_login(city_staff)
    body = client.get(STATUS).content.decode()
    assert f'<a href="{meeting.get_absolute_url()}" class="meeting-link">' in body


def test_status_table_pages_by_a_hundred_areas_but_totals_and_exports_cover_all(
    client, city_staff, data_2017
):
    grow_programme(times=10)
    client.force_login(city_staff)
    first = client.get(STATUS)
    second = client.get(STATUS, {"page": 2})
    assert len(first.context["table"].page.object_list) == 100
    assert len(second.context["table"].page.object_list) == 30
    assert "130圏域" in first.content.decode()
    exported = client.get(STATUS, {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    # title, caption, header, every area, an empty row, the totals' header and 11 lines
    assert sheet.max_row == 3 + 130 + 1 + 1 + 11
    assert sheet.cell(row=3 + 130 + 3, column=2).value == 130

"""The support groups: list with services and counts (299 beside 288), and a group's page."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from activities.models import Supporter, SupporterCount, SupportGroup
from councils.models import District
from needs_survey.models import HelpCategory
from tests.growth import grow_programme

pytestmark = pytest.mark.django_db

GROUPS = reverse("activities:supportgroup-list")


def names(response):
    return [row.record.name for row in response.context["table"].rows]


def test_group_list_shows_model_number_area_label_services_and_counts(
    client, city_staff, data_2017
):
    client.force_login(city_staff)
    response = client.get(GROUPS)
    body = response.content.decode()
    assert len(response.context["table"].rows) == 15
    assert "<td >①</td>" in body or ">①<" in body
    assert "平 城山" in body
    assert "買い物代行 <small>(②買物)</small>" in body
    assert ">33<" in body


def test_group_list_sets_299_beside_288_with_sources_and_difference(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(GROUPS)
    totals = response.context["totals"]
    assert (totals.groups_reported, totals.programme_value, totals.difference) == (299, 288, 11)
    body = response.content.decode()
    assert "第3層協議体活動状況" in body  # the source of the 299
    assert "差: 11人" in body


def test_a_new_group_shows_as_new_not_as_a_model_district(client, city_staff, data_2017):
    from councils.models import Area, Council, Tier

    area = Area.objects.get(name="平")
    council = Council.objects.create(name="新しい団体", tier=Tier.THIRD, area=area)
    SupportGroup.objects.create(name="新しい団体", council=council, district_label="平 新町")
    client.force_login(city_staff)
    response = client.get(GROUPS, {"kind": "new"})
    assert names(response) == ["新しい団体"]
    assert "新規" in response.content.decode()
    assert len(client.get(GROUPS, {"kind": "model"}).context["table"].rows) == 15


def test_group_list_filters_by_district_and_help_category(client, city_staff, data_2017):
    client.force_login(city_staff)
    district = District.objects.get(name="小川")
    assert names(client.get(GROUPS, {"district": district.pk})) == ["塩田", "山下谷"]
    lightbulbs = HelpCategory.objects.get(name="電球交換")
    found = names(client.get(GROUPS, {"help_category": lightbulbs.pk}))
    assert "城山" in found
    assert "山下谷" not in found
    assert len(found) == len(set(found))


def test_group_list_sorts_by_reported_count(client, city_staff, data_2017):
    client.force_login(city_staff)
    order = names(client.get(GROUPS, {"sort": "-reported_count"}))
    assert order[0] == "城山"
    assert order[-1] == "山下谷"


def test_group_list_uses_the_latest_reported_count(client, city_staff, data_2017):
    group = SupportGroup.objects.get(name="城山")
    SupporterCount.objects.create(group=group, count=40, as_of=date(2018, 3, 31), source="試験")
    client.force_login(city_staff)
    response = client.get(GROUPS)
    row = next(r.record for r in response.context["table"].rows if r.record.name == "城山")
    assert row.reported_count == 40
    assert response.context["totals"].groups_reported == 299 - 33 + 40


def test_group_export_has_numbers_dates_and_services_text(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(GROUPS, {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    # Row 1 is the title, row 3 the header (core.exports).
    assert sheet["A1"].value.startswith("支え合い活動団体 ／ 絞り込みなし(全件)")
    headers = [c.value for c in sheet[3]]
    shiroyama = dict(zip(headers, sheet[4], strict=True))
    assert shiroyama["モデル地区"].value == "①"
    assert shiroyama["団体"].value == "城山"
    assert shiroyama["サポーター数(報告)"].value == 33
    assert shiroyama["サポーター数(報告)"].data_type == "n"
    assert shiroyama["報告時点"].is_date
    assert "買い物代行[②買物]" in shiroyama["実施(予定)サービスと項目"].value
    assert sheet.max_row == 2 + 16


def test_group_pages_never_show_supporters_personal_data(client, city_staff, data_2017):
    group = SupportGroup.objects.get(name="城山")
    Supporter.objects.create(
        group=group, name="秘密 花子", phone="0246-11-2222", address="平字秘密"
    )
    client.force_login(city_staff)
    for response in (
        client.get(GROUPS),
        client.get(GROUPS, {"_export": "csv"}),
        client.get(group.get_absolute_url()),
    ):
        body = response.content.decode("utf-8-sig")
        assert "秘密" not in body
        assert "0246-11-2222" not in body
    assert client.get(group.get_absolute_url()).context["group"].registered_supporters == 1


def test_group_page_shows_services_with_categories_and_counts_over_time(
    client, city_staff, data_2017
):
    group = SupportGroup.objects.get(name="城山")
    SupporterCount.objects.create(
        group=group, count=35, as_of=date(2018, 10, 31), source="試験報告"
    )
    client.force_login(city_staff)
    body = client.get(group.get_absolute_url()).content.decode()
    assert "買い物代行" in body and "②買物" in body
    assert body.index("平成29年10月31日") < body.index("平成30年10月31日")
    assert "試験報告" in body


@pytest.mark.parametrize("query", [{}, {"_export": "xlsx"}, {"sort": "-registered_supporters"}])
def test_group_list_makes_the_same_few_queries_when_groups_grow_tenfold(
    client, city_staff, data_2017, django_assert_max_num_queries, query
):
    client.force_login(city_staff)
    with django_assert_max_num_queries(19):
        client.get(GROUPS, query)
    grow_programme(times=10)
    with django_assert_max_num_queries(19):
        assert client.get(GROUPS, query).status_code == 200


def test_group_page_makes_a_fixed_number_of_queries(
    client, city_staff, data_2017, django_assert_max_num_queries
):
    group = SupportGroup.objects.get(name="城山")
    client.force_login(city_staff)
    with django_assert_max_num_queries(12):
        client.get(group.get_absolute_url())
    SupporterCount.objects.bulk_create(
        SupporterCount(group=group, count=n, as_of=date(2019 + n, 1, 1), source="試験")
        for n in range(20)
    )
    with django_assert_max_num_queries(12):
        assert client.get(group.get_absolute_url()).status_code == 200


def test_group_pages_need_a_role(client, make_user, data_2017):
    assert client.get(GROUPS).status_code == 302
    client.force_login(make_user("nobody"))
    assert client.get(GROUPS).status_code == 403
    assert client.get(SupportGroup.objects.first().get_absolute_url()).status_code == 403


def test_group_list_footer_sums_the_groups_counts_to_299(client, city_staff, data_2017):
    client.force_login(city_staff)
    table = client.get(GROUPS).context["table"]
    footers = {column.name: column.footer for column in table.columns}
    assert footers["reported_count"] == 299
    assert footers["registered_supporters"] == 0


def test_group_list_footer_sums_only_the_groups_the_filter_shows(client, city_staff, data_2017):
    group = SupportGroup.objects.get(name="城山")
    Supporter.objects.create(group=group, name="試験 花子")
    Supporter.objects.create(group=group, name="試験 次郎", active=False)
    district = group.council.area.district
    shown = SupportGroup.objects.filter(council__area__district=district)
    expected = sum(
        SupporterCount.objects.filter(group=g).order_by("-as_of").first().count
        for g in shown
        if g.supporter_counts.exists()
    )
    assert 0 < expected < 299
    client.force_login(city_staff)
    for query, reported in (({"district": district.pk}, expected), ({}, 299)):
        table = client.get(GROUPS, query).context["table"]
        footers = {column.name: column.footer for column in table.columns}
        assert footers["reported_count"] == reported
        assert footers["registered_supporters"] == 1


def test_group_list_says_whether_a_service_runs_or_is_planned_when_known(
    client, city_staff, data_2017
):
    from activities.models import GroupService, ServiceStatus

    group = SupportGroup.objects.get(name="城山")
    GroupService.objects.filter(group=group, name="掃除").update(status=ServiceStatus.PLANNED)
    client.force_login(city_staff)
    body = client.get(GROUPS).content.decode()
    assert "掃除(予定) <small>(⑥掃除)</small>" in body
    assert "買い物代行 <small>" in body  # unspecified in the 2017 report: no label
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(GROUPS, {"_export": "xlsx"}).content)
    ).active
    assert "掃除(予定)[⑥掃除]" in sheet["E4"].value


def test_group_page_charts_counts_over_time_with_a_text_description(client, city_staff, data_2017):
    group = SupportGroup.objects.get(name="城山")
    SupporterCount.objects.create(group=group, count=35, as_of=date(2018, 10, 31), source="試験")
    client.force_login(city_staff)
    body = client.get(group.get_absolute_url()).content.decode()
    assert "<svg" in body
    assert "平成29年10月31日 33人、平成30年10月31日 35人" in body


def test_group_list_paginates_but_exports_every_row_from_any_page(client, city_staff, data_2017):
    grow_programme(times=10)
    total = SupportGroup.objects.count()
    client.force_login(city_staff)
    response = client.get(GROUPS, {"page": 2})
    assert len(response.context["table"].page.object_list) == 25
    assert "page=" not in response.context["export_query"]
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(GROUPS, {"page": 2, "_export": "xlsx"}).content)
    ).active
    assert sheet.max_row == 3 + total  # title, caption row, header


def test_latest_per_group_keeps_each_groups_latest_count_on_or_before_a_date(data_2017):
    jouyama, kamata = SupportGroup.objects.get(name="城山"), SupportGroup.objects.get(name="鎌田")
    SupporterCount.objects.create(group=jouyama, count=35, as_of=date(2018, 10, 31), source="試験")
    SupporterCount.objects.create(group=jouyama, count=30, as_of=date(2016, 3, 31), source="試験")
    latest = {c.group_id: (c.count, c.as_of) for c in SupporterCount.objects.latest_per_group()}
    assert (
        len(latest)
        == SupportGroup.objects.filter(supporter_counts__isnull=False).distinct().count()
    )
    assert latest[jouyama.pk] == (35, date(2018, 10, 31))
    assert latest[kamata.pk] == (24, date(2017, 10, 31))
    before = {
        c.group_id: c.count
        for c in SupporterCount.objects.latest_per_group(until=date(2018, 3, 31))
    }
    assert before[jouyama.pk] == 33 and before[kamata.pk] == 24
    earliest = SupporterCount.objects.latest_per_group(until=date(2016, 12, 31))
    assert [(c.group_id, c.count) for c in earliest] == [(jouyama.pk, 30)]

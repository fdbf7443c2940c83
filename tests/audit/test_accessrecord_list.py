"""The administrators' review page of personal-data access records."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from activities.models import SupportGroup
from audit.models import AccessRecord

URL = reverse("accessrecord-list")
TOKYO = ZoneInfo("Asia/Tokyo")


def make_record(user, *, action="export", group=None, at=None, rows=10, what="サポーター名簿"):
    record = AccessRecord.objects.create(
        user=user,
        action=action,
        what=what,
        group=group,
        area=group.council.area if group else None,
        rows=rows,
        address="192.0.2.7",
    )
    if at is not None:
        AccessRecord.objects.filter(pk=record.pk).update(at=at)
    return record


@pytest.fixture
def records(data_2017, coordinator_taira, coordinator_onahama):
    groups = {g.council.area.name: g for g in SupportGroup.objects.select_related("council__area")}
    return {
        "taira_export": make_record(
            coordinator_taira,
            group=groups["平"],
            at=datetime(2024, 4, 1, 10, 0, tzinfo=TOKYO),
            what="平の名簿出力",
        ),
        "onahama_import": make_record(
            coordinator_onahama,
            action="import",
            group=groups["小名浜"],
            at=datetime(2024, 5, 20, 9, 30, tzinfo=TOKYO),
            what="小名浜の名簿取込",
        ),
        "taira_view": make_record(
            coordinator_taira,
            action="view",
            group=groups["平"],
            at=datetime(2024, 6, 30, 23, 59, tzinfo=TOKYO),
            what="平の名簿閲覧",
        ),
    }


def shown(response):
    return {r.what for r in response.context["table"].data}


def test_anonymous_visitor_is_sent_to_login(db, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "next=" in response["Location"]


@pytest.mark.parametrize("persona", ["city_staff", "coordinator_hq", "coordinator_taira"])
def test_only_administrators_find_the_page(persona, request, client):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404


def test_administrator_sees_every_record_newest_first(records, administrator, client):
    client.force_login(administrator)
    response = client.get(URL)
    assert response.status_code == 200
    rows = [r.what for r in response.context["table"].data]
    assert rows == ["平の名簿閲覧", "小名浜の名簿取込", "平の名簿出力"]
    body = response.content.decode()
    assert "令和6年4月1日 10:00:00" in body
    assert "192.0.2.7" in body
    assert "coord-onahama" in body


def test_period_is_typed_in_era_dates_and_includes_both_ends(records, administrator, client):
    client.force_login(administrator)
    response = client.get(URL, {"since": "令和6年4月1日", "until": "R6.5.20"})
    assert shown(response) == {"平の名簿出力", "小名浜の名簿取込"}


def test_period_end_counts_the_whole_day_in_tokyo_time(records, administrator, client):
    client.force_login(administrator)
    response = client.get(URL, {"since": "2024-06-30", "until": "2024-06-30"})
    assert shown(response) == {"平の名簿閲覧"}


def test_filter_by_user_action_and_area(records, administrator, client, coordinator_taira):
    client.force_login(administrator)
    assert shown(client.get(URL, {"user": coordinator_taira.pk})) == {
        "平の名簿出力",
        "平の名簿閲覧",
    }
    assert shown(client.get(URL, {"action": "import"})) == {"小名浜の名簿取込"}
    onahama = records["onahama_import"].area
    assert shown(client.get(URL, {"area": onahama.pk})) == {"小名浜の名簿取込"}


def test_a_bad_date_is_named_in_a_message_instead_of_being_ignored(records, administrator, client):
    client.force_login(administrator)
    response = client.get(URL, {"since": "平成29年13月1日"})
    assert response.status_code == 200
    errors = response.context["filter"].form.errors["since"]
    assert errors
    assert errors[0] in response.content.decode()


def test_the_list_costs_the_same_queries_for_many_records(
    records, administrator, client, django_assert_max_num_queries, make_user
):
    groups = list(SupportGroup.objects.select_related("council__area"))
    for i in range(120):
        make_record(make_user(f"user{i}"), group=groups[i % len(groups)])
    client.force_login(administrator)
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert len(response.context["table"].page.object_list) == 100


def test_export_holds_every_filtered_record_as_csv_for_excel(
    records, administrator, client, make_user
):
    groups = list(SupportGroup.objects.select_related("council__area"))
    for i in range(130):
        make_record(make_user(f"user{i}"), action="view", group=groups[0], what=f"閲覧{i}")
    client.force_login(administrator)
    response = client.get(URL, {"action": "view", "_export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff日時,利用者,操作,対象,圏域,団体,件数,接続元\r\n")
    lines = text.strip().split("\r\n")
    assert len(lines) == 1 + 131  # header, every page of the filtered list
    assert "2024-06-30 23:59:00,coord-taira,閲覧,平の名簿閲覧,平," in text


def test_export_defuses_spreadsheet_formulas(records, administrator, client):
    make_record(administrator, what='=HYPERLINK("http://example.com")')
    client.force_login(administrator)
    text = client.get(URL, {"_export": "csv"}).content.decode("utf-8")
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text


def test_export_is_for_administrators_only(records, city_staff, client):
    client.force_login(city_staff)
    assert client.get(URL, {"_export": "csv"}).status_code == 404

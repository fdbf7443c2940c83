"""The admin's import of the councils app's reference tables: what a preview shows before
anything changes, the history it writes, files from Japanese Windows, and the confirmation
refused (and rolled back) when the data changed after the preview."""

from django.contrib.admin.models import ADDITION, LogEntry

from councils.models import Area, Council, District, Membership
from tests.admin_files import admin_url, confirm, export_file, preview, sheet_rows
from tests.spreadsheet_files import csv_bytes, xlsx_bytes


def test_a_new_area_in_an_unknown_district_is_refused_naming_row_and_column(client, administrator):
    client.force_login(administrator)
    rows = [["圏域名", "地区", "表示順"], ["新しい圏域", "ない地区", 99]]

    previewed = preview(client, Area, xlsx_bytes(rows))

    body = previewed.content.decode()
    assert "2行目「地区」: 「ない地区」という地区はありません" in body
    assert "confirm_form" not in previewed.context
    assert not Area.objects.filter(name="新しい圏域").exists()


def test_a_shift_jis_csv_from_excel_adds_a_district_after_its_preview(client, administrator):
    client.force_login(administrator)
    data = csv_bytes([["地区名", "表示順"], ["新しい地区", 99]], encoding="cp932")

    previewed = preview(client, District, data, fmt="csv", name="地区.csv")

    assert previewed.context["result"].totals["new"] == 1
    assert not District.objects.filter(name="新しい地区").exists()
    assert confirm(client, District, previewed).status_code == 302
    district = District.objects.get(name="新しい地区")
    assert district.position == 99
    entry = LogEntry.objects.get(object_id=str(district.pk))
    assert (entry.user, entry.action_flag) == (administrator, ADDITION)


def test_a_changed_council_is_previewed_then_written_with_its_history(client, administrator):
    client.force_login(administrator)
    rows = sheet_rows(export_file(client, Council))
    headers = rows[0]
    taira = next(r for r in rows if r[0] == "平 第2層協議体")
    taira[headers.index("備考")] = "取込で書いた備考"
    before = Council.objects.get(name="平 第2層協議体")
    versions = before.history.count()

    previewed = preview(client, Council, xlsx_bytes(rows), name="協議体.xlsx")

    result = previewed.context["result"]
    assert (result.totals["new"], result.totals["update"]) == (0, 1)
    assert result.totals["skip"] == Council.objects.count() - 1
    assert "取込で書いた備考" in previewed.content.decode()
    assert Council.objects.get(pk=before.pk).note == before.note  # nothing yet

    assert confirm(client, Council, previewed).status_code == 302
    council = Council.objects.get(pk=before.pk)
    assert council.note == "取込で書いた備考"
    assert council.history.count() == versions + 1
    latest = council.history.first()
    assert (latest.history_user, latest.history_type) == (administrator, "~")
    assert latest.history_change_reason == "管理サイトからの取込（協議体.xlsx）"


def test_tiers_and_yes_no_are_written_as_the_report_does(client, administrator):
    client.force_login(administrator)
    rows = sheet_rows(export_file(client, Council))
    assert rows[0] == ["名称", "層", "圏域", "設置済み", "設置日", "備考"]
    first = dict(zip(rows[0], rows[1], strict=False))
    assert (first["名称"], first["層"], first["設置済み"]) == ("第1層協議体", "第1層", "いいえ")


def test_a_membership_is_named_by_council_and_organisation_type(client, administrator):
    client.force_login(administrator)
    rows = [["協議体", "団体種別", "人数"], ["平 第2層協議体", "社会福祉協議会", 3]]
    membership = Membership.objects.get(
        council__name="平 第2層協議体", organisation_type__name="社会福祉協議会"
    )

    previewed = preview(client, Membership, xlsx_bytes(rows))

    assert previewed.context["result"].totals["update"] == 1
    confirm(client, Membership, previewed)
    membership.refresh_from_db()
    assert membership.members == 3
    assert Membership.objects.count() == 117


def test_an_unknown_column_is_refused_before_any_row_is_read(client, administrator):
    client.force_login(administrator)
    previewed = preview(client, District, xlsx_bytes([["地区名", "人口"], ["平", 1]]))
    body = previewed.content.decode()
    assert "知らない列があります: 「人口」" in body
    assert "使える列: 地区名、表示順" in body


def test_a_confirmation_that_meets_changed_data_writes_nothing(client, administrator):
    """Row 2 is fine, row 3 is made invalid between preview and confirmation (its position
    is taken): the whole import is rolled back, row 2 included."""
    client.force_login(administrator)
    rows = [["地区名", "表示順"], ["平", 50], ["新しい地区", 51]]
    previewed = preview(client, District, xlsx_bytes(rows))
    assert previewed.context["result"].totals["update"] == 1
    District.objects.create(name="割り込んだ地区", position=51)

    response = confirm(client, District, previewed)

    assert response.status_code == 302
    assert response["Location"] == admin_url(District, "import")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("何も書き込んでいません" in m for m in messages)
    assert District.objects.get(name="平").position == 1
    assert not District.objects.filter(name="新しい地区").exists()


def test_a_confirmation_whose_file_is_gone_asks_for_the_file_again(client, administrator):
    client.force_login(administrator)
    previewed = preview(client, District, xlsx_bytes([["地区名", "表示順"], ["新しい地区", 99]]))
    confirm(client, District, previewed)  # the temporary file is removed after use

    again = confirm(client, District, previewed)

    assert again.status_code == 302
    assert again["Location"] == admin_url(District, "import")
    assert District.objects.filter(name="新しい地区").count() == 1


def test_a_constraint_of_the_model_is_explained_in_the_column_it_concerns(client, administrator):
    client.force_login(administrator)
    rows = [
        ["名称", "層", "圏域", "設置済み", "設置日", "備考"],
        ["第1層協議体", "第1層", "平", "いいえ", "", ""],
        ["平 第2層協議体", "第2層", "平", "いいえ", "平成29年7月1日", ""],
    ]

    previewed = preview(client, Council, xlsx_bytes(rows))

    body = previewed.content.decode()
    assert "2行目「圏域」: 第1層の協議体は圏域を空欄に" in body
    assert "3行目「設置日」: 設置日は「設置済み」が「はい」のときだけ書けます" in body
    assert Council.objects.get(name="第1層協議体").area is None

"""The admin's import of coordinator placements: their areas by name, the login account left
alone, an unknown area refused with its row and column."""

from coordinators.models import Coordinator
from tests.admin_files import confirm, export_file, preview, sheet_rows
from tests.spreadsheet_files import xlsx_bytes


def placement_rows(client, placement):
    rows = sheet_rows(export_file(client, Coordinator))
    return rows, next(r for r in rows if r[1] == placement)


def test_the_areas_of_a_placement_are_changed_by_name_and_its_account_is_kept(
    client, administrator, coordinator_taira
):
    client.force_login(administrator)
    rows, taira = placement_rows(client, "平地区協議会")
    assert taira[rows[0].index("担当圏域")] == "平"
    taira[rows[0].index("担当圏域")] = "平、小川"

    previewed = preview(client, Coordinator, xlsx_bytes(rows))

    assert previewed.context["result"].totals["update"] == 1
    assert confirm(client, Coordinator, previewed).status_code == 302
    coordinator = Coordinator.objects.get(placement="平地区協議会")
    assert sorted(coordinator.areas.values_list("name", flat=True)) == ["小川", "平"]
    assert coordinator.user == coordinator_taira


def test_an_unknown_area_among_several_is_refused_and_no_area_changes(client, administrator):
    client.force_login(administrator)
    rows, taira = placement_rows(client, "平地区協議会")
    taira[rows[0].index("担当圏域")] = "平、いわき湯本"

    previewed = preview(client, Coordinator, xlsx_bytes(rows))

    body = previewed.content.decode()
    assert "2行目「担当圏域」: 「いわき湯本」という圏域はありません" in body
    coordinator = Coordinator.objects.get(placement="平地区協議会")
    assert list(coordinator.areas.values_list("name", flat=True)) == ["平"]

"""The admin's import of the activities app's reference tables: services with their help
categories by name, key figures with their numbers as the report writes them."""

from decimal import Decimal

from activities.models import GroupService, KeyFigure
from tests.admin_files import confirm, export_file, preview, sheet_rows
from tests.spreadsheet_files import xlsx_bytes

SERVICE_HEADERS = ["団体", "表示順", "サービス", "実施状況", "手伝ってほしいことの項目"]


def test_a_service_is_added_with_its_help_categories_by_name(client, administrator):
    client.force_login(administrator)
    rows = [SERVICE_HEADERS, ["城山", 99, "草むしり", "実施中", "通院・外出、声かけ"]]
    assert sheet_rows(export_file(client, GroupService))[0] == SERVICE_HEADERS

    previewed = preview(client, GroupService, xlsx_bytes(rows))

    assert previewed.context["result"].totals["new"] == 1
    confirm(client, GroupService, previewed)
    service = GroupService.objects.get(group__name="城山", position=99)
    assert (service.name, service.status) == ("草むしり", "running")
    assert sorted(service.help_categories.values_list("name", flat=True)) == [
        "声かけ",
        "通院・外出",
    ]


def test_an_unknown_help_category_is_refused_and_nothing_is_added(client, administrator):
    client.force_login(administrator)
    rows = [SERVICE_HEADERS, ["城山", 99, "草むしり", "", "草むしり"]]

    previewed = preview(client, GroupService, xlsx_bytes(rows))

    assert (
        "2行目「手伝ってほしいことの項目」: 「草むしり」という手伝ってほしいこと(項目)はありません"
        in previewed.content.decode()
    )
    assert not GroupService.objects.filter(position=99).exists()


def test_key_figures_keep_their_decimals_and_refuse_what_is_not_a_number(client, administrator):
    client.force_login(administrator)
    rows = sheet_rows(export_file(client, KeyFigure))
    headers = rows[0]
    population = next(r for r in rows if r[0] == "population")
    assert population[headers.index("値")] == 327491
    population[headers.index("値")] = "327,500"

    previewed = preview(client, KeyFigure, xlsx_bytes(rows))
    assert previewed.context["result"].totals["update"] == 1
    confirm(client, KeyFigure, previewed)
    assert KeyFigure.objects.get(key="population").value == Decimal(327500)

    population[headers.index("値")] = "約33万"
    refused = preview(client, KeyFigure, xlsx_bytes(rows))
    assert "「値」: 「約33万」は数値として読めません" in refused.content.decode()

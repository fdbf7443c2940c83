"""The admin's import of the 13 help categories, named by number."""

from needs_survey.models import HelpCategory
from tests.admin_files import confirm, preview
from tests.spreadsheet_files import xlsx_bytes


def test_a_category_is_renamed_by_its_number_after_the_preview(client, administrator):
    client.force_login(administrator)
    previewed = preview(client, HelpCategory, xlsx_bytes([["番号", "項目"], [1, "声かけ・見守り"]]))

    assert previewed.context["result"].totals["update"] == 1
    assert HelpCategory.objects.get(number=1).name == "声かけ"
    confirm(client, HelpCategory, previewed)
    assert HelpCategory.objects.get(number=1).name == "声かけ・見守り"
    assert HelpCategory.objects.count() == 13


def test_a_name_another_category_has_is_refused_in_japanese(client, administrator):
    client.force_login(administrator)
    second = HelpCategory.objects.get(number=2).name

    previewed = preview(client, HelpCategory, xlsx_bytes([["番号", "項目"], [1, second]]))

    assert "2行目「項目」: この 項目 を持った" in previewed.content.decode()
    assert HelpCategory.objects.get(number=1).name == "声かけ"

"""In a real browser: a coordinator enters a survey and the matrix changes."""

import pytest


@pytest.mark.browser
def test_coordinator_enters_a_survey_and_sees_the_matrix_change(page, sign_in, coordinator_taira):
    sign_in(coordinator_taira)
    page.goto("/needs/matrix/?fiscal_year=2017")
    taira = page.locator("table.matrix tbody tr").first
    assert "未実施" in taira.inner_text()
    assert taira.locator("td.class-can").count() == 0

    taira.get_by_role("link", name="入力").click()
    page.get_by_label("①声かけ 希望者数").fill("１２")  # full-width digits, as typed in Japan
    page.get_by_label("①声かけ 分類").select_option(label="できる")
    page.get_by_label("③通院・外出 希望者数").fill("4")
    page.get_by_label("③通院・外出 分類").select_option(label="難しい")
    page.get_by_label("回答者数").fill("120")
    page.get_by_role("button", name="保存する").click()

    assert "を登録しました" in page.locator(".messages").inner_text()
    page.goto("/needs/matrix/?fiscal_year=2017")
    taira = page.locator("table.matrix tbody tr").first
    first = taira.locator("td.cell").nth(0)
    assert "class-can" in first.get_attribute("class")
    assert first.inner_text().split() == ["12", "できる"]
    assert taira.locator("td.cell").nth(2).inner_text().split() == ["4", "難しい"]
    assert "未実施" not in taira.inner_text()

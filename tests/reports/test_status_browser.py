"""The status table in a real browser: sort a column, filter a district, download the export."""

import io
from pathlib import Path

import openpyxl
import pytest


@pytest.mark.browser
def test_staff_logs_in_sorts_filters_and_downloads_the_status_table(page, city_staff):
    page.goto("/status/")
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("ユーザー名", exact=True).fill(city_staff.username)
    page.get_by_label("パスワード", exact=True).fill("pw-" + city_staff.username)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url("**/status/")
    rows = page.locator("table.status-table tbody tr")
    assert rows.count() == 13
    assert rows.first.get_attribute("data-area") == "平"

    page.locator("table.status-table thead").get_by_role("link", name="サポーター数(報告)").click()
    page.wait_for_url("**sort=reported_supporters**")
    assert rows.first.get_attribute("data-area") == "川前"  # 5 supporters, the fewest

    page.get_by_label("地区:", exact=True).select_option(label="内郷")
    page.get_by_role("button", name="表示").click()
    page.wait_for_url("**district=**")
    assert [rows.nth(i).get_attribute("data-area") for i in range(rows.count())] == [
        "好間",
        "三和",
        "内郷",
    ]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (xlsx)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("圏域別状況_平成29年度_")
    assert download.suggested_filename.endswith(".xlsx")
    # The saved file has no extension, which openpyxl insists on; read the bytes.
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    # A title row, an empty row, the header on row 3, the three areas, an empty row, the totals.
    assert "絞り込み: 地区「内郷」" in sheet["A1"].value
    headers = [c.value for c in sheet[3]]
    assert [sheet.cell(row=r, column=2).value for r in range(4, 7)] == ["好間", "三和", "内郷"]
    column = headers.index("サポーター数(報告)") + 1
    reported = [sheet.cell(row=r, column=column) for r in range(4, 7)]
    assert all(cell.data_type == "n" for cell in reported)
    assert sheet.cell(row=8, column=1).value == "合計"
    totals = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=9)}
    assert totals["サポーター数(報告)"] == sum(cell.value for cell in reported) == 8 + 13 + 14


@pytest.mark.browser
def test_status_table_fits_an_a4_landscape_page_when_printed(page, sign_in, city_staff):
    # A4 landscape is 297 mm wide; print.css leaves 10 mm margins: 277 mm = 1047 CSS px.
    printable_width = round(277 / 25.4 * 96)
    sign_in(city_staff)
    page.set_viewport_size({"width": printable_width, "height": 800})
    page.emulate_media(media="print")
    page.goto("/status/")
    table_width = page.locator("table.status-table").evaluate("t => t.scrollWidth")
    assert table_width <= printable_width
    assert page.locator("form.filter-form").is_hidden()
    assert page.locator(".export-links").is_hidden()
    assert page.locator(".site-header").is_hidden()
    assert page.pdf(format="A4", landscape=True)[:4] == b"%PDF"

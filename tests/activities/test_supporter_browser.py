"""Two users, one browser: the coordinator of 平 edits a supporter and ends the registration;
after logging out, the coordinator of 小名浜 signs in on the same browser and reaches neither
that supporter nor the import record of 平's group."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from activities.models import Supporter, SupporterImport, SupportGroup

pytestmark = pytest.mark.browser


def log_in(page, username, path="/"):
    page.goto(path)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("ユーザー名", exact=True).fill(username)
    page.get_by_label("パスワード", exact=True).fill("pw-" + username)
    page.get_by_role("button", name="ログイン").click()


def test_edit_end_then_another_areas_coordinator_reaches_nothing(
    page, coordinator_taira, coordinator_onahama, tmp_path
):
    shiroyama = SupportGroup.objects.get(name="城山")
    yamada = Supporter.objects.create(
        group=shiroyama,
        name="山田 太郎",
        kana="ヤマダ タロウ",
        phone="0246-22-1111",
        address="いわき市平字城山1",
        birth_date=date(1945, 5, 1),
        registered_on=date(2017, 7, 28),
    )
    record = SupporterImport.objects.create(source="web", file_name="城山.xlsx", checksum="0")
    record.groups.add(shiroyama)

    log_in(page, "coord-taira", yamada.get_absolute_url())
    expect(page.locator("h1")).to_contain_text("山田 太郎")
    page.get_by_role("link", name="編集").click()
    expect(page.get_by_label("生年月日")).to_have_value("昭和20年5月1日")
    page.get_by_label("住所").fill("いわき市平字城山2")
    page.get_by_role("button", name="保存する").click()
    expect(page.locator(".messages")).to_contain_text("保存しました")
    expect(page.locator("table.history")).to_contain_text(
        "「いわき市平字城山1」→「いわき市平字城山2」"
    )

    page.get_by_role("link", name="登録終了").click()
    expect(page.locator("h1")).to_contain_text("登録を終了しますか")
    page.get_by_label("登録終了日").fill("令和8年10月31日")
    page.get_by_label("理由 (任意)").fill("転居のため")
    page.get_by_role("button", name="登録を終了する").click()
    expect(page.locator("#supporter-status")).to_have_text("登録終了")
    expect(page.locator("#supporter-ended-on")).to_have_text("令和8年10月31日")
    expect(page.get_by_role("link", name="登録を再開")).to_be_visible()
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=tmp_path / f"supporter-{width}x{height}.png", full_page=True)
    yamada.refresh_from_db()
    assert (yamada.active, yamada.ended_on, yamada.address) == (
        False,
        date(2026, 10, 31),
        "いわき市平字城山2",
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(record.get_absolute_url())
    expect(page.locator("main")).to_contain_text("城山.xlsx")

    page.get_by_role("button", name="ログアウト").click()
    log_in(page, "coord-onahama")
    for url in (
        yamada.get_absolute_url(),
        f"/groups/supporters/{yamada.pk}/edit/",
        f"/groups/supporters/{yamada.pk}/resume/",
        record.get_absolute_url(),
    ):
        response = page.goto(url)
        assert response.status == 404, url
        assert "山田" not in page.content() and "城山.xlsx" not in page.content()
    page.goto("/groups/supporters/?active=all")
    assert "山田" not in page.content()
    page.goto("/groups/supporters/imports/")
    assert "城山.xlsx" not in page.content()

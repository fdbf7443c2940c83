"""In Chromium: a coordinator signs in, logs a meeting with two opinions and a follow-up, finds it
on the status table; the other coordinator cannot edit it; typed text survives an
expired session."""

import re
from datetime import date

import pytest
from django.conf import settings
from playwright.sync_api import expect

from core import wareki
from councils.models import Council, Meeting

pytestmark = pytest.mark.browser


def log_in(page, username, password, path="/"):
    page.goto(path)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("ユーザー名", exact=True).fill(username)
    page.get_by_label("パスワード", exact=True).fill(password)
    page.get_by_role("button", name="ログイン").click()


def test_coordinator_logs_a_meeting_and_the_other_coordinator_cannot_edit_it(
    page, browser, live_server, coordinator_taira, coordinator_onahama
):
    taira = Council.objects.get(name="平 第2層協議体")
    today = wareki.format_date(date.today())

    log_in(page, "coord-taira", "pw-coord-taira", "/meetings/")
    expect(page.get_by_role("heading", name="会議の記録")).to_be_visible()
    page.get_by_role("link", name="会議を記録する").click()
    page.get_by_label("協議体", exact=True).select_option(str(taira.pk))
    page.get_by_role("button", name="次へ").click()
    expect(page.get_by_role("heading", name="平 第2層協議体の会議を記録")).to_be_visible()

    page.get_by_label("状況", exact=True).select_option("held")
    page.get_by_label("開催日", exact=True).fill(today)
    page.get_by_label("開始時刻", exact=True).fill("13:30")
    page.get_by_label("会場", exact=True).fill("平市民会館")
    page.get_by_label("出席者数", exact=True).fill("18")
    page.get_by_label("議題", exact=True).fill("支え合いの必要性")
    page.get_by_label("概要", exact=True).fill("各団体の活動を共有した。")
    first = page.locator("#opinion-form-1")
    first.get_by_label("内容", exact=True).fill("移動販売の一覧がほしい")
    first.get_by_label("②買物").check()
    second = page.locator("#opinion-form-2")
    second.get_by_label("種類", exact=True).select_option("need")
    second.get_by_label("内容", exact=True).fill("ごみ出しが難しい")
    follow_up = page.locator("#follow-up-form-1")
    follow_up.get_by_label("取組内容", exact=True).fill("サービス一覧を作る")
    follow_up.get_by_label("担当", exact=True).fill("生活支援コーディネーター")
    page.get_by_role("button", name="保存する").click()

    expect(page.locator(".message.success")).to_contain_text("を記録しました")
    opinions = page.locator("article.opinion")
    expect(opinions).to_have_count(2)
    expect(opinions.nth(0)).to_contain_text("移動販売の一覧がほしい")
    expect(opinions.nth(0)).to_contain_text("②買物")
    expect(opinions.nth(1)).to_contain_text("ごみ出しが難しい")
    expect(page.locator("#follow-ups + .table-scroll table")).to_contain_text("サービス一覧を作る")
    meeting = Meeting.objects.get(council=taira, venue="平市民会館")
    assert meeting.opinions.count() == 2

    page.goto(f"/status/?fiscal_year={wareki.fiscal_year_of(date.today())}")
    row = page.locator('tr[data-area="平"]')
    expect(row).to_contain_text(today)
    expect(row.locator("td.open-items")).to_have_text("2")  # both opinions still open
    row.get_by_role("link", name=today).click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))

    other = browser.new_context(base_url=live_server.url, locale="ja-JP")
    try:
        onahama = other.new_page()
        log_in(onahama, "coord-onahama", "pw-coord-onahama")
        response = onahama.goto(f"/meetings/{meeting.pk}/edit/")
        assert response.status == 404
        view = onahama.goto(meeting.get_absolute_url())
        assert view.status == 200
        expect(onahama.get_by_role("link", name="編集", exact=True)).to_have_count(0)
    finally:
        other.close()


def test_text_typed_before_the_session_expired_is_offered_back(page, coordinator_taira):
    taira = Council.objects.get(name="平 第2層協議体")
    form_path = f"/meetings/new/?council={taira.pk}"
    log_in(page, "coord-taira", "pw-coord-taira", form_path)
    page.get_by_label("概要", exact=True).fill("長い議事のまとめ。途中で席を外した。")
    page.locator("#opinion-form-1").get_by_label("内容", exact=True).fill(
        "見守りの担い手が足りない"
    )
    page.get_by_role("button", name="意見・ニーズの欄を追加").click()
    page.locator("#opinion-form-3").get_by_label("内容", exact=True).fill("三つ目の意見")
    # The session expires while the form is open (the CSRF cookie lives on, as it does).
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    page.get_by_role("button", name="保存する").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("ユーザー名", exact=True).fill("coord-taira")
    page.get_by_label("パスワード", exact=True).fill("pw-coord-taira")
    page.get_by_role("button", name="ログイン").click()

    expect(page.get_by_role("heading", name="平 第2層協議体の会議を記録")).to_be_visible()
    expect(page.get_by_label("概要", exact=True)).to_have_value("")
    page.get_by_role("button", name="入力を復元する").click()
    expect(page.get_by_label("概要", exact=True)).to_have_value(
        "長い議事のまとめ。途中で席を外した。"
    )
    expect(page.locator("#opinion-form-1").get_by_label("内容", exact=True)).to_have_value(
        "見守りの担い手が足りない"
    )
    # The added row comes back too, and is saved with the rest.
    expect(page.locator("#opinion-form-3").get_by_label("内容", exact=True)).to_have_value(
        "三つ目の意見"
    )
    page.get_by_label("状況", exact=True).select_option("planned")
    page.get_by_role("button", name="保存する").click()
    expect(page.locator(".message.success")).to_contain_text("を記録しました")
    meeting = Meeting.objects.get(council=taira, summary="長い議事のまとめ。途中で席を外した。")
    assert sorted(meeting.opinions.values_list("text", flat=True)) == [
        "三つ目の意見",
        "見守りの担い手が足りない",
    ]
    # Saved: the draft is gone, so the empty form offers nothing to restore.
    page.goto(form_path)
    expect(page.get_by_label("概要", exact=True)).to_have_value("")
    expect(page.locator("#draft-notice")).to_be_hidden()

"""A coordinator's week, in Chromium on a phone-sized screen (390×844): the issue's Done-when.

The coordinator of 平 signs in, sees the meeting due on the home page, logs it from there as
held (leaving 状況 as it was), closes a follow-up from the home page, starts a note they do not
save, and signs out. The next user on the same browser sees none of it. The status table shows
the meeting held. A staff member rolls the plan into the next fiscal year, and each coordinator's
home shows the new planned meetings. No page scrolls sideways.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core import wareki
from councils.models import Council, FollowUp, Meeting, MeetingStatus

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def fits(page):
    """Nothing on the page is wider than the screen: no sideways scrolling."""
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url} is {width}px wide on a {viewport}px screen"


def sign_in(page, username):
    page.goto("/accounts/login/")
    fits(page)
    page.get_by_label("ユーザー名", exact=True).fill(username)
    page.get_by_label("パスワード", exact=True).fill("pw-" + username)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", name="いわき市 生活支援体制整備事業の記録")).to_be_visible()
    fits(page)


def sign_out(page):
    # On a phone the navigation is folded into the menu.
    expect(page.get_by_role("button", name="ログアウト")).to_be_hidden()
    page.locator("#site-menu > summary").click()
    page.get_by_role("button", name="ログアウト").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def drafts(page):
    return page.evaluate("Object.keys(localStorage).filter(key => key.startsWith('iwaki-draft:'))")


def upcoming_on_home(page):
    page.goto("/")
    fits(page)
    return page.locator("#home-meetings-to-log .upcoming-meeting").all_inner_texts()


def test_a_coordinators_week_on_a_phone(
    page, coordinator_taira, coordinator_onahama, coordinator_hq, city_staff
):
    today = timezone.localdate()
    fiscal_year = wareki.fiscal_year_of(today)
    taira = Council.objects.get(name="平 第2層協議体")
    # The year's first meeting was planned for two days ago; nobody has recorded it yet.
    due = Meeting.objects.create(
        council=taira,
        fiscal_year=fiscal_year
        if wareki.fiscal_year_of(today - timedelta(days=2)) == fiscal_year
        else fiscal_year - 1,
        sequence=1,
        held_on=today - timedelta(days=2),
    )
    earlier = Meeting.objects.get(council=taira, fiscal_year=2017, sequence=2)
    follow_up = FollowUp.objects.create(
        meeting=earlier, action="移動販売の一覧を作る", due_on=today - timedelta(days=30)
    )
    page.set_viewport_size(PHONE)

    # --- the coordinator of 平 -------------------------------------------------------------
    sign_in(page, "coord-taira")
    expect(page.locator("#site-menu")).not_to_have_attribute("open", "")
    to_log = page.locator("#home-meetings-to-log .due-meeting").filter(
        has_text=f"{wareki.format_fiscal_year(due.fiscal_year)} 第1回"
    )
    expect(to_log).to_contain_text(wareki.format_date_with_weekday(due.held_on))
    to_log.get_by_role("link", name=re.compile("^記録する")).click()
    expect(page).to_have_url(re.compile(rf"/meetings/{due.pk}/edit/$"))
    fits(page)
    expect(page.get_by_label("状況", exact=True)).to_have_value("planned")  # left as it was
    page.get_by_label("出席者数", exact=True).fill("16")
    page.get_by_label("議題", exact=True).fill("買い物の困りごとについて")
    page.locator("#opinion-form-1").get_by_label("内容", exact=True).fill("移動販売の日が知りたい")
    page.get_by_role("button", name="保存する").click()
    expect(page.locator(".message.success")).to_contain_text("を保存しました")
    expect(page.locator(".message.info")).to_contain_text("「開催済み」として記録しました")
    fits(page)
    due.refresh_from_db()
    assert due.status == MeetingStatus.HELD

    page.goto("/")
    fits(page)
    expect(page.locator("#home-meetings-to-log")).not_to_contain_text(
        f"{wareki.format_fiscal_year(due.fiscal_year)} 第1回"
    )
    item = page.locator(f"#home-follow-up-{follow_up.pk}")
    expect(item).to_contain_text("期限切れ")
    item.get_by_role("button", name=re.compile("完了にする")).click()
    expect(page.locator(".message.success")).to_contain_text("を完了にしました")
    expect(page.locator(f"#home-follow-up-{follow_up.pk}")).to_have_count(0)
    fits(page)
    follow_up.refresh_from_db()
    assert follow_up.done

    # A note typed and not saved (a resident's name), then the coordinator signs out.
    page.goto(f"/meetings/new/?council={taira.pk}")
    fits(page)
    page.get_by_label("概要", exact=True).fill("山田ハナ様(85)宅のごみ出しについて相談")
    page.get_by_label("概要", exact=True).blur()
    assert len(drafts(page)) == 1
    assert "coord-taira" not in drafts(page)[0]  # the key names no one
    sign_out(page)
    assert drafts(page) == []

    # --- the next user of the same browser sees none of it ----------------------------------
    sign_in(page, "coord-hq")
    page.goto(f"/meetings/new/?council={taira.pk}")
    fits(page)
    expect(page.get_by_label("概要", exact=True)).to_have_value("")
    expect(page.locator("#draft-notice")).to_be_hidden()
    assert "山田ハナ" not in page.content()

    # The status table shows the meeting held.
    page.goto(f"/status/?fiscal_year={due.fiscal_year}")
    fits(page)
    row = page.locator('tr[data-area="平"]')
    expect(row.locator("td.meeting").first).to_contain_text("開催済み")
    expect(row.locator("td.meeting").first).to_contain_text(wareki.format_date(due.held_on))
    sign_out(page)

    # --- city staff roll the plan into the next fiscal year ----------------------------------
    next_year = wareki.fiscal_year_of(today) + 1
    sign_in(page, "staff")
    plan = page.locator("#home-year-plan .work-item").filter(
        has_text=wareki.format_fiscal_year(next_year)
    )
    plan.get_by_role("link", name=re.compile("^前の計画から作る")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"{wareki.format_fiscal_year(next_year)}の計画を作る"
    )
    fits(page)
    page.get_by_role("button", name="この内容で作成する").click()
    expect(page.locator(".message.success")).to_contain_text("の計画を作成しました")
    fits(page)
    assert Meeting.objects.filter(fiscal_year=next_year, council__tier=2).count() == 39
    sign_out(page)

    # --- each coordinator's home shows the new planned meetings ------------------------------
    label = wareki.format_fiscal_year(next_year)
    for username, council in (
        ("coord-taira", "平 第2層協議体"),
        ("coord-onahama", "小名浜 第2層協議体"),
    ):
        sign_in(page, username)
        upcoming = upcoming_on_home(page)
        for sequence in (1, 2, 3):
            assert any(f"{council} {label} 第{sequence}回" in text for text in upcoming), (
                username,
                upcoming,
            )
        sign_out(page)

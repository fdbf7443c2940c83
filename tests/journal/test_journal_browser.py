"""In Chromium, phone-sized (390×844): a coordinator logs three activities from the home page in
a few taps each, is warned once about a phone number and rewrites it, never scrolls sideways;
the next year's survey page then counts the three under their kinds."""

import re

import pytest
from playwright.sync_api import expect

from journal.models import JournalEntry

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def quick_log(page, day, kind_label, summary, *, led_to=()):
    form = page.locator("form.quick-entry-form")
    form.get_by_label("日付", exact=True).fill(day)
    form.get_by_label("活動の種類", exact=True).select_option(label=kind_label)
    form.get_by_label("概要", exact=True).fill(summary)
    for label in led_to:
        form.get_by_label(label, exact=True).check()
    form.get_by_role("button", name="記録する").click()


def test_a_coordinator_logs_three_entries_on_a_phone_and_the_survey_counts_them(
    page, sign_in, coordinator_taira
):
    page.set_viewport_size(PHONE)
    sign_in(coordinator_taira)
    page.goto("/")
    expect(page.get_by_role("heading", name=re.compile("活動を記録する"))).to_be_visible()
    no_sideways_scroll(page)
    form = page.locator("form.quick-entry-form")
    expect(form.get_by_label("平", exact=True)).to_be_checked()  # the one area covered
    # Choosing a kind ticks the survey item it usually leads to.
    form.get_by_label("活動の種類", exact=True).select_option(label="訪問・相談")
    expect(form.get_by_label("ニーズの把握", exact=True)).to_be_checked()

    quick_log(
        page, "平成30年5月10日", "訪問・相談", "一人暮らしの高齢者宅を訪問し、困りごとを聞いた"
    )
    expect(page.locator(".message.success")).to_contain_text("を記録しました。")
    expect(page).to_have_url(re.compile(r"/$"))
    no_sideways_scroll(page)

    quick_log(
        page,
        "H30.6.2",
        "資源の把握",
        "移動販売の事業者を訪ね、巡回のルートを聞いた",
        led_to=["企業等との連携"],
    )
    expect(page.locator(".message.success")).to_contain_text("を記録しました。")

    # A phone number in the summary: a warning, nothing saved, everything typed kept.
    quick_log(
        page,
        "2018-07-03",
        "ニーズと支援のマッチング",
        "0246-22-1111の方の買い物をサポーターにつないだ",
    )
    expect(page.locator("#personal-data-hints")).to_contain_text("電話番号のように見えます")
    assert JournalEntry.objects.count() == 2
    no_sideways_scroll(page)
    summary = page.get_by_label("概要", exact=True)
    expect(summary).to_have_value("0246-22-1111の方の買い物をサポーターにつないだ")
    summary.fill("一人暮らしの方の買い物をサポーターにつないだ")
    page.get_by_role("button", name="保存する", exact=True).click()
    expect(page.locator(".message.success")).to_contain_text("を記録しました。")
    assert JournalEntry.objects.count() == 3
    assert not JournalEntry.objects.filter(summary__contains="0246").exists()

    page.goto("/reports/2018/survey/")
    no_sideways_scroll(page)
    kinds = page.locator("table.rollup").first
    totals = kinds.locator("tfoot td")
    headers = kinds.locator("thead th")
    counts = dict(zip(headers.all_inner_texts()[1:], totals.all_inner_texts(), strict=True))
    assert counts["訪問・相談"] == "1"
    assert counts["資源の把握"] == "1"
    assert counts["ニーズと支援のマッチング"] == "1"
    assert counts["担い手の養成"] == "0"
    assert counts["計"] == "3"
    items = page.locator("table.rollup").nth(1)
    item_counts = dict(
        zip(
            items.locator("thead th").all_inner_texts()[1:],
            items.locator("tfoot td").all_inner_texts(),
            strict=True,
        )
    )
    assert item_counts["ニーズの把握"] == "1"
    assert item_counts["企業等との連携"] == "1"
    # The count links to the entries it counts.
    kinds.locator("tfoot a").first.click()
    expect(page.locator("table.journal-table tbody tr")).to_have_count(1)
    expect(page.locator("table.journal-table")).to_contain_text("一人暮らしの高齢者宅を訪問")
    # 2017's survey counts none of them.
    page.goto("/reports/2017/survey/")
    expect(page.locator("table.rollup").first.locator("tfoot td").last).to_have_text("0")

"""In Chromium, as the issue's "Done when" says: an anonymous resident on a phone, without
JavaScript, chooses ⑤ごみ出し and 小名浜, finds the groups that do it with how to ask, and
prints the area booklet; a coordinator re-confirms an entry and the public date changes; the
CSV and HSDS feeds parse back and hold no personal data. And the pages are large, high
contrast and fit a phone."""

import csv
import io
import json
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from activities.models import Supporter, SupportGroup
from core.wareki import format_date
from directory.models import Entry

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def phone_context(browser, live_server, **options):
    return browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        **options,
    )


def test_a_resident_finds_help_prints_the_booklet_and_sees_a_coordinators_confirmation(
    page, browser, live_server, sign_in, coordinator_onahama
):
    Entry.objects.filter(area__name="小名浜").update(is_published=True)
    supporter = Supporter.objects.create(
        group=SupportGroup.objects.get(name="永崎"),
        name="永崎 試験子",
        kana="ナガサキ シケンコ",
        phone="0246-55-9876",
        address="いわき市小名浜永崎字試験9",
        birth_date=date(1941, 2, 3),
    )
    resident_context = phone_context(browser, live_server, java_script_enabled=False)
    resident = resident_context.new_page()

    # From the sign-in page, without signing in.
    resident.goto("/accounts/login/")
    resident.get_by_role("link", name="地域の支え合い情報").click()
    expect(resident.get_by_role("heading", name="地域の支え合い情報", exact=True)).to_be_visible()
    resident_context.clear_cookies()  # the sign-in page's CSRF cookie; the directory sets none
    resident.get_by_role("link", name="⑤ ごみ出し").click()
    expect(resident.get_by_role("heading", name="⑤ ごみ出し")).to_be_visible()
    resident.get_by_role("link", name=re.compile("小名浜.*2件")).click()
    heading = re.compile(r"小名浜(\(おなはま\))?で「ごみ出し」を手伝う活動")  # with its furigana
    expect(resident.get_by_role("heading", level=1)).to_contain_text(heading)
    cards = resident.locator(".entry-card")
    expect(cards).to_have_count(2)
    for name in ("玉川町西区の住民支え合い活動", "永崎の住民支え合い活動"):
        card = cards.filter(has_text=name)
        expect(card).to_contain_text("申し込み・問い合わせ")
        expect(card).to_contain_text("小名浜地区協議会(生活支援コーディネーター)")
        expect(card).to_contain_text("最終確認日")

    # The area's booklet, printed.
    resident.get_by_role("link", name="小名浜", exact=True).click()
    resident.get_by_role("link", name="小名浜の冊子(印刷用・A4)").click()
    expect(resident.get_by_role("heading", level=1)).to_contain_text("地域の支え合い情報")
    resident.emulate_media(media="print")
    expect(resident.locator(".public-header nav")).to_be_hidden()
    expect(resident.get_by_role("heading", name="⑤ ごみ出し")).to_be_visible()
    expect(resident.locator("#help-5")).to_contain_text("永崎の住民支え合い活動")
    expect(resident.locator("#help-5")).to_contain_text("最終確認日: 未確認")
    expect(resident.get_by_text(re.compile("印刷日: "))).to_be_visible()
    pdf = resident.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 2
    resident.emulate_media(media="screen")

    # The resident opens 永崎's page: not confirmed yet.
    nagasaki = Entry.objects.get(support_group__name="永崎")
    resident.goto(nagasaki.get_public_url())
    facts = resident.locator("dl.facts").first
    expect(facts).to_contain_text("最終確認日")
    expect(facts.locator("div", has_text="最終確認日")).to_contain_text("未確認")

    # The coordinator re-confirms it from the home page, in one click.
    sign_in(coordinator_onahama)
    page.goto("/")
    row = page.locator("table.reconfirm tr", has_text="永崎の住民支え合い活動")
    row.get_by_role("button", name=re.compile("今日確認した")).click()
    expect(page.locator(".message.success")).to_contain_text("最終確認日を")
    today = format_date(date.today())

    resident.reload()
    expect(facts.locator("div", has_text="最終確認日")).to_contain_text(today)

    # The feeds, fetched as the resident's browser would, parse back and hold no personal data.
    for url in ("/sasaeai/opendata/sasaeai.csv", "/sasaeai/opendata/hsds.json"):
        response = resident.request.get(url)
        assert response.ok
        text = response.body().decode("utf-8-sig")
        for value in (supporter.name, supporter.kana, supporter.phone, supporter.address):
            assert value not in text
        assert "1941-02-03" not in text and format_date(supporter.birth_date) not in text
    rows = list(
        csv.DictReader(
            io.StringIO(
                resident.request.get("/sasaeai/opendata/sasaeai.csv").body().decode("utf-8-sig")
            )
        )
    )
    assert {row["名称"] for row in rows} == {
        "玉川町西区の住民支え合い活動",
        "永崎の住民支え合い活動",
    }
    assert (
        next(r for r in rows if r["名称"].startswith("永崎"))["最終確認日"]
        == date.today().isoformat()
    )
    services = json.loads(resident.request.get("/sasaeai/opendata/hsds.json").text())["contents"]
    assert {s["assured_date"] for s in services} == {None, date.today().isoformat()}
    assert resident_context.cookies() == []
    resident_context.close()


CONTRAST = """() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    if (!el.offsetParent && el.tagName !== "BODY") continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest("rt, rp")) continue;
    const style = getComputedStyle(el);
    const fg = lum(parse(style.color).slice(0, 3)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    found.push({tag: el.tagName, text: el.textContent.trim().slice(0, 20), ratio, size: parseFloat(style.fontSize)});
  }
  return {items: found, base: parseFloat(getComputedStyle(document.body).fontSize),
          width: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize(
    "path",
    ["/sasaeai/", "/sasaeai/help/5/", "search", "entry", "/sasaeai/about/"],
)
def test_public_pages_are_large_high_contrast_and_fit_a_phone(page, browser, live_server, path):
    Entry.objects.filter(area__name="小名浜").update(is_published=True)
    entry = Entry.objects.get(support_group__name="永崎")
    path = {
        "search": f"/sasaeai/search/?area={entry.area_id}&category=5",
        "entry": entry.get_public_url(),
    }.get(path, path)
    context = phone_context(browser, live_server)
    tab = context.new_page()
    violations = []
    tab.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else None)
    tab.goto(path)
    result = tab.evaluate(CONTRAST)
    context.close()
    assert len(result["items"]) > 10, "the check read the page's texts"
    assert result["base"] >= 20, "base type of 20px or more"
    assert result["width"] <= PHONE["width"], "no sideways scrolling on a phone"
    low = [i for i in result["items"] if i["ratio"] < 4.5]
    assert low == [], "WCAG AA contrast (4.5:1) for every text"
    small = [i for i in result["items"] if i["size"] < 16]
    assert small == [], "no text below 16px (the base is 20px)"
    assert violations == []

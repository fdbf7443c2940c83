"""Every page of the year's report, the survey's figures and the journal prints on A4: in
Chromium's print media they fit the printable width, leave the site's navigation and buttons
out, and Chromium's PDF of them is A4 landscape, page after page."""

import re
from datetime import date

import pytest

from coordinators.models import Coordinator
from councils.models import Area
from journal.models import ActivityKind, JournalEntry

pytestmark = pytest.mark.browser

# A4 landscape is 297 mm wide; print.css leaves 10 mm margins: 277 mm = 1047 CSS px.
PRINTABLE_WIDTH = round(277 / 25.4 * 96)
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")


def a4_landscape_pages(pdf: bytes) -> list[tuple[float, float]]:
    sizes = [(float(w), float(h)) for w, h in MEDIA_BOX.findall(pdf)]
    assert sizes, "no page in the PDF"
    for width, height in sizes:
        assert abs(width - 842) < 2 and abs(height - 595) < 2, (width, height)
    return sizes


@pytest.fixture
def entry(data_2017):
    entry = JournalEntry.objects.create(
        coordinator=Coordinator.objects.get(number=1),
        done_on=date(2018, 5, 10),
        kind=ActivityKind.VISIT,
        summary="一人暮らしの高齢者宅を訪問し、困りごとを聞いた",
        led_to_needs=True,
    )
    entry.areas.add(Area.objects.get(name="平"))
    return entry


@pytest.mark.parametrize(
    "path",
    [
        "/reports/",
        "/reports/2017/",
        "/reports/2018/",
        "/reports/2017/survey/",
        "/reports/2018/survey/",
        "/journal/",
        "/journal/years/2018/",
        "ENTRY",
        "/reports/2018/plan/",
        "/reports/2018/opinions/",
        "/reports/2018/figures/population/",
    ],
)
def test_the_page_prints_on_a4_landscape_within_the_printable_width(
    page, sign_in, city_staff, entry, path
):
    sign_in(city_staff)
    page.set_viewport_size({"width": PRINTABLE_WIDTH, "height": 800})
    page.emulate_media(media="print")
    page.goto(entry.get_absolute_url() if path == "ENTRY" else path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PRINTABLE_WIDTH, f"{path} is {width}px wide in print"
    assert page.locator(".site-header").is_hidden()
    for selector in ("nav.toolbar", ".writer-tools", ".export-links", "form.filter-form"):
        for element in page.locator(selector).all():
            assert element.is_hidden(), (path, selector)
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    assert pdf[:4] == b"%PDF"
    a4_landscape_pages(pdf)


def test_the_2017_report_prints_every_section_in_order(page, sign_in, city_staff, data_2017):
    sign_in(city_staff)
    page.emulate_media(media="print")
    page.goto("/reports/2017/")
    headings = page.locator("article.year-report h2, article.year-report h3").all_inner_texts()
    assert headings[:5] == [
        "基礎データ",
        "いわき版・地域包括ケアの推進",
        "【生活支援体制整備事業】協議体",
        "1 設置状況",
        "2 設置までの経緯",
    ]
    assert headings[-2:] == ["生活支援コーディネーターの配置状況", "情報発信"]
    pages = a4_landscape_pages(page.pdf(format="A4", prefer_css_page_size=True))
    assert 4 <= len(pages) <= 14  # a report of a few pages, not one long strip

"""Phones and keyboards, in Chromium: every page a coordinator uses fits a 390 px screen with
no sideways scrolling, the navigation folds into a menu, labels sit above their fields, the
skip link and an added form row take the focus, sorted columns say so (aria-sort)."""

import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from activities.models import Supporter, SupportGroup
from councils.models import Council, FollowUp, Meeting, Opinion
from needs_survey.models import Survey

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PC = {"width": 1366, "height": 768}


def overflow(page):
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return None if width <= viewport else f"{width}px on a {viewport}px screen"


def coordinator_pages():
    """Every page the coordinator of 平 uses, with a record of theirs where one is needed."""
    council = Council.objects.get(name="平 第2層協議体")
    meeting = Meeting.objects.create(
        council=council, fiscal_year=2018, sequence=1, status="held", held_on=date(2018, 7, 20)
    )
    opinion = Opinion.objects.create(
        meeting=meeting, fiscal_year=2018, text="買い物に行けない高齢者が増えている" * 3
    )
    FollowUp.objects.create(meeting=meeting, action="移動販売の一覧を作る", due_on=date(2018, 9, 1))
    group = SupportGroup.objects.get(name="城山")
    supporter = Supporter.objects.create(
        group=group, name="山田 太郎", phone="0246-00-0000", address="いわき市平字一丁目1-1"
    )
    survey = Survey.objects.create(council=council, fiscal_year=2017)
    return [
        "/",
        reverse("councils:meeting-list"),
        meeting.get_absolute_url(),
        reverse("councils:meeting-update", args=[meeting.pk]),
        f"{reverse('councils:meeting-create')}?council={council.pk}",
        reverse("councils:meeting-create"),
        reverse("councils:opinion-list"),
        reverse("councils:opinion-response", args=[opinion.pk]),
        reverse("councils:followup-list"),
        reverse("councils:schedule", args=[2017]),
        reverse("status"),
        council.get_absolute_url(),
        council.area.get_absolute_url(),
        reverse("councils:council-list"),
        reverse("activities:supportgroup-list"),
        group.get_absolute_url(),
        reverse("activities:supporter-list"),
        supporter.get_absolute_url(),
        reverse("activities:supporter-update", args=[supporter.pk]),
        reverse("activities:supporter-end", args=[supporter.pk]),
        reverse("activities:supporterimport-create"),
        reverse("activities:supporterimport-list"),
        reverse("needs_survey:survey-list"),
        reverse("needs_survey:survey-create"),
        survey.get_absolute_url(),
        reverse("needs_survey:survey-update", args=[survey.pk]),
        reverse("needs_survey:survey-matrix"),
        reverse("needs_survey:survey-can-do"),
        reverse("coordinators:coordinator-list"),
        reverse("coordinators:calendar"),
        reverse("outcomes"),
        reverse("password_change"),
    ]


def test_every_page_a_coordinator_uses_fits_a_phone(page, sign_in, coordinator_taira):
    sign_in(coordinator_taira)
    page.set_viewport_size(PHONE)
    too_wide = {}
    for path in coordinator_pages():
        assert page.goto(path).status == 200, path
        if problem := overflow(page):
            too_wide[path] = problem
    assert too_wide == {}


def test_on_a_phone_the_navigation_is_a_menu_that_opens(page, sign_in, coordinator_taira):
    sign_in(coordinator_taira)
    page.set_viewport_size(PHONE)
    page.goto("/")
    link = page.get_by_role("navigation", name="主なページ").get_by_role("link", name="今後の取組")
    expect(link).to_be_hidden()
    menu = page.locator("#site-menu > summary")
    expect(menu).to_be_visible()
    assert menu.bounding_box()["y"] < 150  # the first screen is the page, not the links
    menu.click()
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(r"/follow-ups/"))


def test_on_a_pc_the_navigation_shows_at_once(page, sign_in, coordinator_taira):
    sign_in(coordinator_taira)
    page.set_viewport_size(PC)
    page.goto("/")
    nav = page.get_by_role("navigation", name="主なページ")
    expect(nav.get_by_role("link", name="今後の取組")).to_be_visible()
    expect(page.locator("#site-menu > summary")).to_be_hidden()


def test_on_a_phone_labels_sit_above_their_fields(page, sign_in, coordinator_taira):
    council = Council.objects.get(name="平 第2層協議体")
    sign_in(coordinator_taira)
    page.set_viewport_size(PHONE)
    page.goto(f"{reverse('councils:meeting-create')}?council={council.pk}")
    for field in ["id_fiscal_year", "id_status", "id_held_on", "id_venue", "id_summary"]:
        label = page.locator(f"label[for={field}]").bounding_box()
        box = page.locator(f"#{field}").bounding_box()
        assert label["y"] + label["height"] <= box["y"] + 1, field
        assert box["x"] + box["width"] <= PHONE["width"], field
    checkbox = page.locator("#id_organisations_present_0").bounding_box()
    assert checkbox["x"] + checkbox["width"] <= PHONE["width"]


def test_the_skip_link_is_first_and_moves_to_the_content(page, sign_in, coordinator_taira):
    sign_in(coordinator_taira)
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="本文へ移動")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_an_added_row_takes_the_focus(page, sign_in, coordinator_taira):
    council = Council.objects.get(name="平 第2層協議体")
    sign_in(coordinator_taira)
    page.goto(f"{reverse('councils:meeting-create')}?council={council.pk}")
    page.get_by_role("button", name="意見・ニーズの欄を追加").click()
    expect(page.locator("#opinion-form-3").get_by_label("種類", exact=True)).to_be_focused()
    page.get_by_role("button", name="取組の欄を追加").click()
    expect(page.locator("#follow-up-form-2").get_by_label("取組内容", exact=True)).to_be_focused()


def test_the_sorted_column_says_how_it_is_sorted(page, sign_in, city_staff):
    sign_in(city_staff)
    page.goto("/status/?sort=-reported_supporters")
    header = page.locator("table.status-table thead th[aria-sort]")
    expect(header).to_have_count(1)
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(header).to_contain_text("サポーター数(報告)")
    expect(page.locator("table.status-table caption")).to_contain_text("圏域別の状況")
    expect(page.locator('table.status-table tbody th[scope="row"]').first).to_have_text("平")

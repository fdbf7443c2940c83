"""The main pages pass axe-core's automated accessibility checks with no serious or critical
violation, on a desktop screen and on a phone.

axe-core is vendored for the tests (tests/vendor/README.md) and injected into each page. The
site's Content Security Policy allows no injected script, so this test's browser context alone
bypasses it (``bypass_csp``); tests/iwaki_support/test_csp_in_browser.py checks the policy.
"""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from councils.models import Council, FollowUp, Meeting, Opinion
from tests.conftest import load_2017

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [v for v in results if v["impact"] in BLOCKING]


@pytest.fixture
def context_for(browser, live_server, transactional_db):
    """A browser context that lets axe in (no CSP), signed in as ``user`` (None: anonymous)."""
    if not Council.objects.exists():
        load_2017()
    contexts = []

    def make(user, viewport):
        context = browser.new_context(
            base_url=live_server.url, locale="ja-JP", bypass_csp=True, viewport=viewport
        )
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": cookie.value,
                        "url": live_server.url,
                    }
                ]
            )
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def coordinator_pages():
    council = Council.objects.get(name="平 第2層協議体")
    meeting = Meeting.objects.create(
        council=council, fiscal_year=2018, sequence=1, status="held", held_on=date(2018, 7, 20)
    )
    opinion = Opinion.objects.create(meeting=meeting, fiscal_year=2018, text="移動販売の一覧")
    FollowUp.objects.create(meeting=meeting, action="一覧を作る", due_on=date(2018, 9, 1))
    return [
        "/",
        reverse("councils:meeting-list"),
        meeting.get_absolute_url(),
        reverse("councils:meeting-update", args=[meeting.pk]),
        f"{reverse('councils:meeting-create')}?council={council.pk}",
        reverse("councils:opinion-list"),
        reverse("councils:opinion-response", args=[opinion.pk]),
        reverse("councils:followup-list"),
        reverse("status"),
        reverse("councils:schedule", args=[2017]),
        council.get_absolute_url(),
        council.area.get_absolute_url(),
        reverse("activities:supportgroup-list"),
        reverse("needs_survey:survey-matrix"),
    ]


@pytest.mark.parametrize(
    "viewport", [{"width": 1366, "height": 768}, {"width": 390, "height": 844}], ids=["pc", "phone"]
)
def test_the_coordinators_pages_have_no_serious_violation(context_for, coordinator_taira, viewport):
    page = context_for(coordinator_taira, viewport)
    found = {}
    for path in coordinator_pages():
        assert page.goto(path).status == 200, path
        if violations := axe_violations(page):
            found[path] = violations
    assert found == {}


def test_the_staff_pages_and_the_sign_in_page_have_no_serious_violation(context_for, city_staff):
    found = {}
    page = context_for(city_staff, {"width": 1366, "height": 768})
    for path in [
        "/",
        f"{reverse('councils:plan-create')}?fiscal_year=2018",
        reverse("councils:plan-update", args=[2017]),
        reverse("status"),
    ]:
        assert page.goto(path).status == 200, path
        if violations := axe_violations(page):
            found[path] = violations
    anonymous = context_for(None, {"width": 390, "height": 844})
    anonymous.goto(reverse("login"))
    if violations := axe_violations(anonymous):
        found["login"] = violations
    assert found == {}


def test_axe_finds_a_serious_violation_when_there_is_one(context_for, city_staff):
    """The check can fail: an image without a text alternative is a critical violation."""
    page = context_for(city_staff, {"width": 1366, "height": 768})
    page.goto("/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')"
    )
    assert "image-alt" in {v["id"] for v in axe_violations(page)}

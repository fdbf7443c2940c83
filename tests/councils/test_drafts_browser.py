"""Unsaved drafts on a shared PC, in Chromium: two users, one browser.

A draft belongs to the user who typed it: signing out deletes every draft, the next person's
first page deletes the drafts of everyone else before anything is offered, a draft older than
the session's idle timeout is dropped, and the key never names the user
(docs/decisions/0020-drafts-belong-to-their-user.md). The coordinator's own draft coming back
after an expired session is in tests/councils/test_meeting_browser.py.
"""

import json
import re
import time

import pytest
from django.conf import settings
from playwright.sync_api import expect

from councils.models import Council

pytestmark = pytest.mark.browser

RESIDENT = "山田ハナ様(85)宅のごみ出しについて相談"


def log_in(page, username, path="/"):
    page.goto(path)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("ユーザー名", exact=True).fill(username)
    page.get_by_label("パスワード", exact=True).fill("pw-" + username)
    page.get_by_role("button", name="ログイン").click()


def drafts(page):
    return page.evaluate(
        "Object.fromEntries(Object.keys(localStorage)"
        ".filter(key => key.startsWith('iwaki-draft:'))"
        ".map(key => [key, localStorage.getItem(key)]))"
    )


@pytest.fixture
def form_path(data_2017):
    return f"/meetings/new/?council={Council.objects.get(name='平 第2層協議体').pk}"


def type_a_note(page, form_path):
    expect(page.get_by_role("heading", name="平 第2層協議体の会議を記録")).to_be_visible()
    page.get_by_label("概要", exact=True).fill(RESIDENT)
    page.get_by_label("概要", exact=True).blur()
    stored = drafts(page)
    assert len(stored) == 1
    return stored


def test_signing_out_deletes_every_draft(page, coordinator_taira, form_path):
    log_in(page, "coord-taira", form_path)
    stored = type_a_note(page, form_path)
    key = next(iter(stored))
    owner = key.split(":")[1]
    assert "coord-taira" not in key
    assert owner != str(coordinator_taira.pk) and len(owner) == 32  # opaque
    assert RESIDENT in json.loads(stored[key])["values"]["summary"]
    page.get_by_role("button", name="ログアウト").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert drafts(page) == {}


def test_the_next_user_after_a_session_that_ended_gets_nothing(
    page, coordinator_taira, coordinator_hq, form_path
):
    log_in(page, "coord-taira", form_path)
    type_a_note(page, form_path)
    # Taira walks away; the session ends (idle timeout, or the browser was closed).
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    page.goto(form_path)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert len(drafts(page)) == 1  # the sign-in page touches nothing

    # The headquarters coordinator may open the same form: it is empty, nothing is offered.
    page.get_by_label("ユーザー名", exact=True).fill("coord-hq")
    page.get_by_label("パスワード", exact=True).fill("pw-coord-hq")
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", name="平 第2層協議体の会議を記録")).to_be_visible()
    expect(page.locator("#draft-notice")).to_be_hidden()
    expect(page.get_by_label("概要", exact=True)).to_have_value("")
    assert drafts(page) == {}
    assert RESIDENT not in page.content()


def test_a_users_own_draft_comes_back_with_the_date_in_era_form(page, coordinator_taira, form_path):
    log_in(page, "coord-taira", form_path)
    type_a_note(page, form_path)
    page.goto("/")
    page.goto(form_path)
    notice = page.locator("#draft-notice")
    expect(notice).to_be_visible()
    expect(notice.locator("[data-draft-time]")).to_have_text(
        re.compile(r"^(令和(元|\d+)|平成\d+)年\d+月\d+日\([日月火水木金土]\) \d+:\d\d$")
    )
    page.get_by_role("button", name="入力を復元する").click()
    expect(page.get_by_label("概要", exact=True)).to_have_value(RESIDENT)


def test_a_draft_older_than_the_idle_timeout_is_dropped(page, coordinator_taira, form_path):
    log_in(page, "coord-taira", form_path)
    stored = type_a_note(page, form_path)
    key = next(iter(stored))
    old = json.loads(stored[key])
    old["savedAt"] = int(time.time() * 1000) - (settings.SESSION_COOKIE_AGE + 60) * 1000
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [key, json.dumps(old)])
    page.goto(form_path)
    expect(page.locator("#draft-notice")).to_be_hidden()
    assert drafts(page) == {}


def test_a_draft_of_an_older_format_without_an_owner_is_deleted(page, coordinator_taira, form_path):
    log_in(page, "coord-taira", "/")
    page.evaluate(
        "localStorage.setItem('iwaki-draft:meeting-new-2', JSON.stringify({savedAt: Date.now(),"
        " values: {summary: '前の形式'}}))"
    )
    page.goto(form_path)
    expect(page.locator("#draft-notice")).to_be_hidden()
    assert drafts(page) == {}

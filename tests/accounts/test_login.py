"""The Japanese login page, logout, password change, next= safety, lockout and the login log."""

import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.sessions.models import Session
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_login_url_is_the_japanese_login_page(client):
    assert reverse(settings.LOGIN_URL) == LOGIN
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "ログイン" in response.text
    assert "ユーザー名" in response.text


def test_a_protected_page_sends_anonymous_users_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_login_with_the_right_password_goes_to_next(client, make_user):
    make_user("alice")
    response = sign_in(client, "alice", "pw-alice", next="/accounts/password/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/"


@pytest.mark.parametrize(
    "next_url",
    ["//evil.example/", "https://evil.example/", "http://evil.example/x", "///evil.example"],
)
def test_login_refuses_a_next_that_leaves_the_site(client, make_user, next_url):
    make_user("alice")
    response = sign_in(client, "alice", "pw-alice", next=next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def test_a_wrong_password_is_refused_in_japanese(client, make_user):
    make_user("alice")
    response = sign_in(client, "alice", "wrong")
    assert response.status_code == 200
    assert "正しいユーザー名とパスワードを入力してください" in response.text
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(client, make_user):
    user = make_user("alice")
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_page_frame_offers_logout_and_password_change(client, make_user):
    client.force_login(make_user("alice"))
    response = client.get("/accounts/password/")
    assert 'action="/accounts/logout/"' in response.text
    assert "ログアウト" in response.text


def test_password_change_keeps_the_user_signed_in(client, city_staff):
    user = city_staff
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "pw-staff",
            "new_password1": "Kaisai-no-kiroku-2017",
            "new_password2": "Kaisai-no-kiroku-2017",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Kaisai-no-kiroku-2017")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/accounts/password/done/").status_code == 200


def test_a_session_idle_for_more_than_eight_hours_has_to_sign_in_again(
    client, city_staff, time_machine
):
    time_machine.move_to("2026-04-01 09:00 +09:00", tick=False)
    client.force_login(city_staff)
    assert client.get("/").status_code == 200
    time_machine.move_to("2026-04-01 16:59 +09:00", tick=False)
    assert client.get("/").status_code == 200  # each request restarts the 8 hours
    time_machine.move_to("2026-04-02 01:00 +09:00", tick=False)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_idle_timeout_is_renewed_at_most_once_a_minute(client, city_staff, time_machine):
    time_machine.move_to("2026-04-01 09:00 +09:00", tick=False)
    client.force_login(city_staff)
    client.get("/")
    key = client.session.session_key
    first = Session.objects.get(pk=key).expire_date
    time_machine.move_to("2026-04-01 09:00:30 +09:00", tick=False)
    client.get("/")
    assert Session.objects.get(pk=key).expire_date == first  # no write within the minute
    time_machine.move_to("2026-04-01 09:01:30 +09:00", tick=False)
    client.get("/")
    assert Session.objects.get(pk=key).expire_date == first + timedelta(seconds=90)


def test_the_session_cookie_ends_with_the_browser(client, city_staff):
    client.force_login(city_staff)
    response = client.get("/")
    assert response.cookies[settings.SESSION_COOKIE_NAME]["expires"] == ""


def test_repeated_failures_lock_the_username_from_that_address_only(client, make_user):
    make_user("alice")
    make_user("bob")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "wrong")
    locked = sign_in(client, "alice", "pw-alice")
    assert locked.status_code == 429
    assert "ログインを一時停止しました" in locked.text
    assert "15分間" in locked.text
    assert "_auth_user_id" not in client.session
    # Another user behind the same address (the city hall) still signs in.
    assert sign_in(client, "bob", "pw-bob").status_code == 302
    # The same user from another address is not locked either.
    other = sign_in(client, "alice", "pw-alice", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, make_user, time_machine):
    make_user("alice")
    time_machine.move_to("2026-04-01 09:00 +09:00", tick=False)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "wrong")
    assert sign_in(client, "alice", "pw-alice").status_code == 429
    time_machine.move_to("2026-04-01 09:16 +09:00", tick=False)
    assert sign_in(client, "alice", "pw-alice").status_code == 302


def test_logins_failures_and_lockouts_are_logged_without_passwords(client, make_user, caplog):
    make_user("alice")
    with caplog.at_level(logging.INFO, logger="accounts.auth"):
        sign_in(client, "alice", "pw-alice")
        client.post("/accounts/logout/")
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            sign_in(client, "alice", "secret-typo-123")
    messages = [r.getMessage() for r in caplog.records if r.name == "accounts.auth"]
    assert any(m.startswith('login username="alice" address="127.0.0.1"') for m in messages)
    assert any(m.startswith('logout username="alice"') for m in messages)
    assert any(m.startswith('login failed username="alice"') for m in messages)
    assert any(m.startswith('login locked out username="alice"') for m in messages)
    assert not any("secret-typo-123" in m or "pw-alice" in m for m in messages)


def test_behind_the_proxy_the_address_is_the_last_forwarded_hop(rf, settings):
    from core.http import client_address as client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.7", REMOTE_ADDR="10.0.0.1")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "192.0.2.7"


def test_a_username_cannot_forge_a_line_of_the_login_log(client, caplog, rf):
    forged = 'mallory\nlogin username="admin" address="10.0.0.1"\x1b[2K\u2028x'
    with caplog.at_level(logging.INFO, logger="accounts.auth"):
        # The login form refuses the ESC before any attempt (core.validators: control
        # characters in every form); whatever reaches a backend otherwise is logged escaped.
        refused = sign_in(client, forged, "wrong")
        assert "制御文字 U+001B（ESC）" in refused.text
        authenticate(rf.post(LOGIN), username=forged, password="wrong")
    messages = [r.getMessage() for r in caplog.records if r.name == "accounts.auth"]
    failed = [m for m in messages if m.startswith("login failed")]
    assert len(failed) == 1
    line = failed[0]
    assert "\n" not in line and "\x1b" not in line and "\u2028" not in line
    # The whole username is one quoted value, its quotes and line breaks escaped.
    assert line.startswith('login failed username="mallory\\nlogin username=\\"admin\\"')
    assert line.endswith(' address="127.0.0.1"')

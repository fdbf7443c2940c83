"""Changing one's password: a wrong old password counts as a failed sign-in, so guessing it on
an unattended, signed-in office PC is throttled like guessing at the login page (django-axes,
the same lockout page and cool-off)."""

import logging

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

CHANGE = "/accounts/password/"
NEW = "Kaisai-no-kiroku-2017"


def change(client, old):
    return client.post(CHANGE, {"old_password": old, "new_password1": NEW, "new_password2": NEW})


def test_wrong_old_passwords_lock_the_change_like_failed_sign_ins(client, city_staff):
    client.force_login(city_staff)
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        refused = change(client, f"guess-{attempt}")
        assert refused.status_code == 200
        assert refused.context["form"].has_error("old_password", "password_incorrect")
    locked = change(client, "guess-last")
    assert locked.status_code == 429
    assert "ログインを一時停止しました" in locked.text
    assert "現在のパスワードをまちがえた" in locked.text

    # Even the right password is refused now, and signing in from here is locked too.
    assert change(client, "pw-staff").status_code == 429
    city_staff.refresh_from_db()
    assert city_staff.check_password("pw-staff")
    client.post("/accounts/logout/")
    assert (
        client.post("/accounts/login/", {"username": "staff", "password": "pw-staff"}).status_code
        == 429
    )


def test_the_lock_lifts_after_the_cool_off(client, city_staff, time_machine):
    time_machine.move_to("2026-04-01 09:00 +09:00", tick=False)
    client.force_login(city_staff)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        change(client, f"guess-{attempt}")
    assert change(client, "pw-staff").status_code == 429
    time_machine.move_to("2026-04-01 09:16 +09:00", tick=False)
    assert change(client, "pw-staff").status_code == 302


def test_another_user_at_the_same_address_is_not_locked(client, city_staff, make_user):
    client.force_login(city_staff)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        change(client, f"guess-{attempt}")
    other = make_user("other")
    client.force_login(other)
    assert change(client, "pw-other").status_code == 302


def test_a_wrong_old_password_is_logged_without_the_password(client, city_staff, caplog):
    client.force_login(city_staff)
    with caplog.at_level(logging.INFO, logger="accounts.auth"):
        change(client, "secret-guess-1")
    messages = [r.getMessage() for r in caplog.records if r.name == "accounts.auth"]
    assert any(m.startswith('password change failed username="staff"') for m in messages)
    assert not any("secret-guess-1" in m for m in messages)

"""The Quick start's demo logins: one per role, fresh passwords each run, none known in advance."""

import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from accounts.roles import Role, role_of

pytestmark = pytest.mark.django_db


def sign_in(username, password):
    # django-axes checks every authentication against the request's address, so pass one.
    return authenticate(
        RequestFactory().post("/accounts/login/"), username=username, password=password
    )


def run_demo_accounts(capsys):
    call_command("demo_accounts")
    out = capsys.readouterr().out
    return dict(re.findall(r"ユーザー名 (\S+)\s+パスワード (\S+)", out))


def test_creates_one_login_per_role_with_printed_passwords(data_2017, capsys):
    passwords = run_demo_accounts(capsys)
    roles = {}
    for username, password in passwords.items():
        user = sign_in(username, password)
        assert user is not None, username
        roles[username] = role_of(user)
    assert roles["demo-admin"] == Role.ADMINISTRATOR
    assert roles["demo-staff"] == Role.CITY_STAFF
    assert roles["demo-taira"] == Role.COORDINATOR
    assert roles["demo-onahama"] == Role.COORDINATOR
    assert (
        get_user_model().objects.get(username="demo-taira").coordinator.placement == "平地区協議会"
    )


def test_running_again_replaces_the_passwords_and_creates_no_duplicates(data_2017, capsys):
    first = run_demo_accounts(capsys)
    second = run_demo_accounts(capsys)
    assert first.keys() == second.keys()
    assert all(first[name] != second[name] for name in first)
    assert sign_in("demo-staff", first["demo-staff"]) is None
    assert get_user_model().objects.filter(username__startswith="demo-").count() == len(first)

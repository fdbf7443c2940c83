"""manage.py coordinator_account: one login per coordinator, passwords printed once."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.roles import Role, role_of
from coordinators.models import Coordinator
from councils.models import Area

pytestmark = pytest.mark.django_db


def run(capsys, *args):
    call_command("coordinator_account", *args)
    return capsys.readouterr().out


def printed_password(out):
    return re.search(r"パスワード: (\S+)", out).group(1)


def test_creates_an_account_linked_to_the_coordinator_with_a_printed_password(data_2017, capsys):
    out = run(capsys, "平地区協議会", "--username", "taira-sc")
    user = get_user_model().objects.get(username="taira-sc")
    assert user.check_password(printed_password(out))
    assert Coordinator.objects.get(placement="平地区協議会").user == user
    assert role_of(user) == Role.COORDINATOR
    assert [a.name for a in Area.objects.editable_by(user)] == ["平"]


def test_running_again_gives_a_new_password_to_the_same_account(data_2017, capsys):
    first = printed_password(run(capsys, "平地区協議会", "--username", "taira-sc"))
    second = printed_password(run(capsys, "平地区協議会"))
    user = get_user_model().objects.get(username="taira-sc")
    assert first != second
    assert user.check_password(second)
    assert not user.check_password(first)


def test_no_password_leaves_the_account_without_a_usable_password(data_2017, capsys):
    out = run(capsys, "4", "--username", "joban-sc", "--no-password")
    user = get_user_model().objects.get(username="joban-sc")
    assert not user.has_usable_password()
    assert "パスワード:" not in out
    assert user.coordinator.number == 4


def test_an_unknown_placement_names_the_real_ones(data_2017):
    with pytest.raises(CommandError, match="平地区協議会"):
        call_command("coordinator_account", "平地区", "--username", "x")


def test_one_user_cannot_be_two_coordinators(data_2017, capsys):
    run(capsys, "平地区協議会", "--username", "shared")
    with pytest.raises(CommandError, match="すでに 平地区協議会"):
        call_command("coordinator_account", "小名浜地区協議会", "--username", "shared")
    assert Coordinator.objects.get(placement="小名浜地区協議会").user is None


def test_list_shows_the_eight_placements(data_2017, capsys):
    out = run(capsys, "--list")
    assert len(out.strip().splitlines()) == 8

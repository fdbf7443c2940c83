"""Shared fixtures: the five personas of every permission test, and small makers."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from coordinators.models import Coordinator
from iwaki_support.roles import CITY_STAFF_GROUP

FIXTURES_2017 = [
    "fixtures/2017/01_councils.json",
    "fixtures/2017/02_needs_survey.json",
    "fixtures/2017/03_coordinators.json",
    "fixtures/2017/04_activities.json",
]


@pytest.fixture
def data_2017(db):
    """The programme's 2017 data, as the Quick start loads it."""
    call_command("loaddata", *FIXTURES_2017, verbosity=0)


@pytest.fixture
def make_user(django_user_model):
    def make(username, **fields):
        return django_user_model.objects.create_user(username=username, password="pw-" + username, **fields)

    return make


@pytest.fixture
def administrator(make_user):
    return make_user("admin", is_staff=True, is_superuser=True)


@pytest.fixture
def city_staff(make_user):
    user = make_user("staff")
    user.groups.add(Group.objects.get_or_create(name=CITY_STAFF_GROUP)[0])
    return user


def _coordinator_user(make_user, username, placement):
    user = make_user(username)
    coordinator = Coordinator.objects.get(placement=placement)
    coordinator.user = user
    coordinator.save(update_fields=["user"])
    return user


@pytest.fixture
def coordinator_taira(data_2017, make_user):
    """The coordinator of 平地区協議会: covers 平 only."""
    return _coordinator_user(make_user, "coord-taira", "平地区協議会")


@pytest.fixture
def coordinator_onahama(data_2017, make_user):
    """The coordinator of 小名浜地区協議会: covers 小名浜 only."""
    return _coordinator_user(make_user, "coord-onahama", "小名浜地区協議会")


@pytest.fixture
def coordinator_hq(data_2017, make_user):
    """The headquarters coordinator: supervises every area."""
    return _coordinator_user(make_user, "coord-hq", "社会福祉協議会本部")

"""roles.py: the one place that says who a user is and which areas they answer for."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role, can_read, role_of
from councils.models import Area

pytestmark = pytest.mark.django_db


def names(areas):
    return sorted(a.name for a in areas)


def test_anonymous_and_unassigned_users_have_no_role(make_user):
    assert role_of(AnonymousUser()) == Role.NONE
    assert role_of(make_user("nobody")) == Role.NONE
    assert not can_read(make_user("nobody2"))


def test_administrator_edits_every_area(administrator, data_2017):
    assert role_of(administrator) == Role.ADMINISTRATOR
    assert Area.objects.editable_by(administrator).count() == 13


def test_city_staff_read_but_edit_nothing_and_see_no_personal_data(city_staff, data_2017):
    assert role_of(city_staff) == Role.CITY_STAFF
    assert can_read(city_staff)
    assert not Area.objects.editable_by(city_staff).exists()
    assert not Area.objects.with_personal_data_for(city_staff).exists()


def test_district_coordinator_edits_only_the_areas_they_cover(
    coordinator_taira, make_user, data_2017
):
    assert role_of(coordinator_taira) == Role.COORDINATOR
    assert names(Area.objects.editable_by(coordinator_taira)) == ["平"]


def test_headquarters_coordinator_covers_every_area(coordinator_hq):
    assert names(Area.objects.editable_by(coordinator_hq)) == names(Area.objects.all())


def test_inactive_user_has_no_role(coordinator_taira):
    coordinator_taira.is_active = False
    assert role_of(coordinator_taira) == Role.NONE

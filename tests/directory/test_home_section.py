"""The home page lists the entries to re-confirm: a coordinator's own areas', never confirmed
or not for six months, each with a one-click 「今日確認した」."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from directory.home import reconfirm_section
from directory.models import Entry

pytestmark = pytest.mark.django_db


def test_a_coordinator_sees_their_areas_entries_to_confirm_and_confirms_one(
    client, coordinator_onahama
):
    client.force_login(coordinator_onahama)
    body = client.get(reverse("home")).content.decode()
    assert "確認が必要な地域資源" in body
    assert "永崎の住民支え合い活動" in body and "玉川町西区の住民支え合い活動" in body
    assert "城山" not in body  # 平's entries are not theirs
    nagasaki = Entry.objects.get(support_group__name="永崎")
    confirm = reverse("directory:entry-confirm", args=[nagasaki.pk])
    assert confirm in body
    response = client.post(confirm, {"next": reverse("home")}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    body = response.content.decode()
    assert "最終確認日を" in body
    assert confirm not in body


def test_an_entry_comes_back_six_months_after_its_confirmation(coordinator_onahama):
    Entry.objects.filter(area__name="小名浜").update(confirmed_on=date(2026, 5, 1))
    with time_machine.travel(date(2026, 10, 31)):
        assert reconfirm_section(coordinator_onahama)["count"] == 0
    with time_machine.travel(date(2026, 11, 2)):
        section = reconfirm_section(coordinator_onahama)
    assert section["count"] == 2 and section["can_confirm"]


def test_city_staff_see_how_many_but_get_no_confirm_button(client, city_staff):
    client.force_login(city_staff)
    body = client.get(reverse("home")).content.decode()
    assert "確認が必要な地域資源 <small>15件</small>" in body
    assert "今日確認した" not in body
    assert f"{reverse('directory:entry-list')}?due=1" in body


def test_the_section_costs_a_fixed_few_queries(coordinator_hq, django_assert_num_queries):
    with django_assert_num_queries(3):  # the role, the count, the rows shown
        section = reconfirm_section(coordinator_hq)
    assert section["count"] == 15 and len(section["entries"]) == 10

"""The home page: behind login, showing the city's headline figures."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_signed_in_user_sees_the_city_profile(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "327,491" in body
    assert "29.2" in body


@pytest.mark.browser
def test_home_renders_in_a_real_browser(page, sign_in, city_staff, live_server):
    sign_in(city_staff)
    page.goto("/")
    assert page.locator("h1").inner_text() == "いわき市 生活支援体制整備事業の記録"
    assert "327,491" in page.locator(".figures").inner_text()


def test_home_shows_headline_figures_and_both_supporter_totals(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(reverse("home"))
    context = response.context
    assert context["councils"] == {"total": 13, "established": 13}
    assert context["meetings"] == {"held": 26, "planned": 13}
    assert context["groups"] == {"total": 15, "model": 15}
    assert context["supporters"].groups_reported == 299
    assert context["supporters"].programme_value == 288
    assert context["coordinators"] == 8
    assert "差11人" in response.content.decode()


def test_home_links_to_every_staff_page(client, city_staff, data_2017):
    client.force_login(city_staff)
    body = client.get(reverse("home")).content.decode()
    for name, args in [
        ("status", []),
        ("councils:schedule", [2017]),
        ("activities:supportgroup-list", []),
        ("councils:council-list", []),
        ("coordinators:coordinator-list", []),
        ("outcomes", []),
    ]:
        assert f'href="{reverse(name, args=args)}"' in body, name


def test_home_refuses_a_user_without_a_role(client, make_user, data_2017):
    client.force_login(make_user("nobody"))
    assert client.get(reverse("home")).status_code == 403


def test_home_makes_the_same_few_queries_when_the_programme_grows_tenfold(
    client, city_staff, data_2017, django_assert_max_num_queries
):
    from tests.growth import grow_programme

    client.force_login(city_staff)
    # 17, and the directory's section: entries to re-confirm (a count and the rows shown).
    with django_assert_max_num_queries(19):
        client.get(reverse("home"))
    grow_programme(times=10)
    with django_assert_max_num_queries(19):
        assert client.get(reverse("home")).status_code == 200

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

"""Who may read the staff views: every role reads everything; no role gets 403; anonymous logs in.

The full URL × persona matrix of the site lives with the roles issue; this covers the staff
views (and their exports) so that a page added here cannot forget its guard.
"""

import pytest
from django.urls import reverse

from activities.models import SupportGroup
from coordinators.models import Coordinator
from councils.models import Area, Council

pytestmark = pytest.mark.django_db


def staff_view_urls():
    council = Council.objects.get(name="平 第2層協議体")
    return [
        reverse("home"),
        reverse("status"),
        reverse("status") + "?_export=xlsx",
        reverse("status") + "?_export=csv&encoding=cp932",
        reverse("outcomes"),
        reverse("councils:schedule-current"),
        reverse("councils:schedule", args=[2017]),
        reverse("councils:schedule", args=[2017]) + "?_export=csv",
        reverse("councils:council-list"),
        reverse("councils:council-list") + "?_export=xlsx",
        council.get_absolute_url(),
        Area.objects.get(name="平").get_absolute_url(),
        reverse("coordinators:coordinator-list"),
        reverse("coordinators:coordinator-list") + "?_export=xlsx",
        Coordinator.objects.get(number=1).get_absolute_url(),
        reverse("activities:supportgroup-list"),
        reverse("activities:supportgroup-list") + "?_export=xlsx",
        SupportGroup.objects.get(name="城山").get_absolute_url(),
    ]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (None, 302),
        ("nobody", 403),
        ("city_staff", 200),
        ("coordinator_taira", 200),
        ("coordinator_onahama", 200),
        ("coordinator_hq", 200),
        ("administrator", 200),
    ],
)
def test_staff_views_by_persona(client, request, make_user, data_2017, persona, expected):
    if persona == "nobody":
        client.force_login(make_user("nobody"))
    elif persona:
        client.force_login(request.getfixturevalue(persona))
    for url in staff_view_urls():
        response = client.get(url, follow=expected == 200)
        assert response.status_code == expected, url
        if expected == 302:
            assert "login" in response["Location"], url


def test_an_inactive_account_is_treated_as_anonymous(client, city_staff, data_2017):
    client.force_login(city_staff)
    city_staff.is_active = False
    city_staff.save()
    assert client.get(reverse("status")).status_code == 302

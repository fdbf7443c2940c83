"""Every view of the site, and the admin, sends the security headers, to an administrator and to
an anonymous visitor: CSP, nosniff, Referrer-Policy, X-Frame-Options DENY, and no-store once
signed in.

The headers come from middleware, so one URL per view is enough: the views are read from the
URLconf (a new view is covered with no change here) and their URLs built as the permission
matrix builds them (tests/test_permission_matrix.py, which every URL name must be in). The
admin is Django's, behind the same middleware: its index page stands for all of it.
"""

import pytest
from django.test import Client
from django.urls import reverse

from coordinators.models import CalendarToken
from tests.test_permission_matrix import MATRIX, Objects, url_patterns

ADMIN_PAGE = "admin:index"
# Views that answer an administrator's GET with no page of their own (POST only, a redirect).
NOT_A_PAGE_ON_GET = {name for name, case in MATRIX.items() if case.get[0] != 200}


def one_url_name_per_view():
    names = {}
    for name, view in sorted(url_patterns().items()):
        names.setdefault(getattr(view, "view_class", view), name)
    return sorted(names.values())


NAMES = [*one_url_name_per_view(), ADMIN_PAGE]


@pytest.fixture
def objects(coordinator_taira):
    return Objects(CalendarToken.for_user(coordinator_taira).token)


def url_for(name, objects):
    return reverse(name) if name == ADMIN_PAGE else MATRIX[name].url(objects)


def assert_security_headers(response, signed_in):
    where = f"{response.request['PATH_INFO']} ({response.status_code})"
    assert response.status_code < 500, where
    csp = response.get("Content-Security-Policy", "")
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in csp, f"{where}: CSP lacks {directive}: {csp!r}"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") == "same-origin", where
    assert response.get("X-Frame-Options") == "DENY", where
    if signed_in:
        assert "no-store" in response.get("Cache-Control", ""), where


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_each_view_sends_security_headers_to_an_administrator(
    name, data_2017, objects, administrator
):
    client = Client()
    client.force_login(administrator)
    response = client.get(url_for(name, objects))
    assert response.status_code == 200 or name in NOT_A_PAGE_ON_GET, name
    assert_security_headers(response, signed_in=True)


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_each_view_sends_security_headers_to_an_anonymous_visitor(name, data_2017, objects):
    response = Client().get(url_for(name, objects))
    assert_security_headers(response, signed_in=False)


def test_one_url_per_view_leaves_no_view_out_and_takes_the_admin_once():
    views = {getattr(view, "view_class", view) for view in url_patterns().values()}
    assert len(NAMES) == len(views) + 1
    assert "home" in NAMES
    assert [name for name in NAMES if name.startswith("admin:")] == [ADMIN_PAGE]

"""Shared fixtures: the 2017 data, the personas of the permission matrix, small makers,
and a real headless Chromium driven by Playwright.

The 2017 data is loaded once into the test database (``django_db_setup``), so every test that
uses the database starts from it; ``data_2017`` makes that dependency explicit and reloads the
data after a transactional test (e.g. a browser test) has flushed the database.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection

from accounts.roles import CITY_STAFF_GROUP
from coordinators.models import Coordinator
from councils.models import Area

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

FIXTURES_2017 = [
    "fixtures/2017/01_councils.json",
    "fixtures/2017/02_needs_survey.json",
    "fixtures/2017/03_coordinators.json",
    "fixtures/2017/04_activities.json",
    "fixtures/2017/05_directory.json",
]


def is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return "transactional_db" in getattr(item, "fixturenames", ()) or bool(
        marker is not None and marker.kwargs.get("transaction")
    )


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    needs_postgresql = pytest.mark.skip(
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://…"
    )
    for item in items:
        if item.get_closest_marker("postgresql"):
            item.add_marker(needs_postgresql)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing is deliberately slow; tests only need passwords to round-trip."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_2017():
    """Load the 2017 data as ``dev.py serve`` does: the fixtures, then each record's first
    history entry (fixtures load raw, so simple-history records nothing by itself)."""
    call_command("loaddata", *FIXTURES_2017, verbosity=0)
    call_command("populate_history", auto=True, verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_2017()
    yield
    with django_db_blocker.unblock():
        end_other_sessions()


def end_other_sessions():
    """End what still holds the PostgreSQL test database, so that it can be dropped.

    Now and then a connection opened by another thread outlives the tests (the live server's
    request threads, likely: each closes its connection only when the browser's kept-alive
    socket closes). The drop of the test database then fails ("being accessed by other
    users") after a 5 s wait and leaves the database behind on a server other people use.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def data_2017(db):
    """The programme's 2017 data, as the Quick start loads it."""
    if not Area.objects.exists():
        load_2017()


@pytest.fixture(autouse=True)
def _2017_data_present(request):
    """Every test in a transaction finds the 2017 data, whatever ran before it on its worker.

    A transactional test (a browser, a live server, two threads) empties the tables when it
    ends; a test after it on the same worker that reads the session's 2017 data without
    asking for ``data_2017`` would then fail or pass by the order xdist happened to choose.
    Transactional tests load what they need themselves and are left alone.
    """
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or "db" in request.fixturenames
    if uses_db and not is_transactional(request.node):
        request.getfixturevalue("data_2017")


@pytest.fixture
def make_user(django_user_model):
    def make(username, **fields):
        return django_user_model.objects.create_user(
            username=username, password="pw-" + username, **fields
        )

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
def no_role(make_user):
    """Signed in, but neither administrator, city staff nor coordinator: 403 on every page."""
    return make_user("nobody")


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


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless. Missing Chromium skips locally and fails in CI."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is required in CI (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh browser context on the live server; the 2017 data is loaded into its database."""
    if not Area.objects.exists():
        load_2017()
    context = browser.new_context(
        base_url=live_server.url, locale="ja-JP", timezone_id="Asia/Tokyo", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def sign_in(page, live_server):
    """Sign ``user`` in to the browser by handing it a real session cookie."""
    from django.conf import settings
    from django.test import Client

    def sign_in_as(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return page

    return sign_in_as

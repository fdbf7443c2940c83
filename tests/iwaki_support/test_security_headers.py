"""Every URL of the site, as an administrator and as an anonymous visitor, carries the security
headers: CSP, nosniff, Referrer-Policy, X-Frame-Options DENY, and no-store once signed in.

The URL list is read from the URLconf at collection time, so a new page is covered without
touching this file; only a new kind of URL argument needs a line in ``KWARG_VALUES``.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.roles import CITY_STAFF_GROUP
from activities.models import Supporter, SupporterImport, SupportGroup
from audit.models import AccessRecord
from coordinators.models import CalendarToken, Coordinator
from councils.models import Area, Council, FollowUp, Meeting
from needs_survey.models import HelpCategory, Survey, SurveyResult


def walk(patterns, namespace="", kwarg_names=(), positional=0):
    """(full URL name, view callback, kwarg names, number of positional arguments) for every
    named pattern, nested includes too."""
    for entry in patterns:
        regex = entry.pattern.regex
        names = (*kwarg_names, *regex.groupindex)
        unnamed = positional + regex.groups - len(regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from walk(entry.url_patterns, inner, names, unnamed)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, entry.callback, names, unnamed


URLS = {}
for _name, *_rest in walk(get_resolver().url_patterns):
    URLS.setdefault(_name, tuple(_rest))


def first_pk(model):
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"no {model.__name__} to visit; make one in the one_of_each fixture"
    return obj.pk


@pytest.fixture
def one_of_each(data_2017, make_user):
    """A row for each model the 2017 data leaves empty, so that its detail pages can be visited."""
    from django.contrib.auth.models import Group

    group = SupportGroup.objects.order_by("pk").first()
    Supporter.objects.create(group=group, name="見本 花子", kana="ミホン ハナコ")
    AccessRecord.objects.create(user=None, action="view", what="サポーター名簿", group=group)
    Group.objects.get_or_create(name=CITY_STAFF_GROUP)
    make_user("somebody")
    SupporterImport.objects.create(source="web", file_name="見本.xlsx", checksum="0" * 64)
    taira = Council.objects.get(name="平 第2層協議体")
    survey, _ = Survey.objects.get_or_create(council=taira, fiscal_year=2017)
    SurveyResult.objects.get_or_create(
        survey=survey, category=HelpCategory.objects.order_by("pk").first(), classification="can"
    )
    FollowUp.objects.create(meeting=Meeting.objects.filter(council=taira).first(), action="見本")
    CalendarToken.for_user(User.objects.order_by("pk").first())
    request = {"user_agent": "test", "http_accept": "text/html", "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(
        username="somebody", get_data="", post_data="", failures_since_start=1, **request
    )
    AccessLog.objects.create(username="somebody", **request)
    AccessFailureLog.objects.create(username="somebody", **request)


def model_of(name, callback):
    """The model a URL is about: the view's own, or the one its name starts with."""
    if name in MODEL_OF_NAME:
        return MODEL_OF_NAME[name]
    view_class = getattr(callback, "view_class", None)
    model = getattr(view_class, "model", None)
    if model is not None:
        return model
    if name.startswith("admin:"):
        for registered in admin.site._registry:
            meta = registered._meta
            if name.startswith(f"admin:{meta.app_label}_{meta.model_name}_"):
                return registered
        return None
    namespace, _, short = name.rpartition(":")
    model_name = short.rsplit("-", 1)[0].replace("-", "")
    try:
        return apps.get_model(namespace, model_name)
    except (LookupError, ValueError):
        return None


def history_id(model):
    obj = model._default_manager.order_by("pk").first()
    obj.save()  # the fixtures are loaded raw, without history; one save records a version
    return obj.history.order_by("-history_id").first().history_id


# Argument values by name, for URLs whose model alone does not say what to pass.
KWARG_VALUES = {
    "app_label": lambda name, model: "activities",
    "content_type_id": lambda name, model: ContentType.objects.get_for_model(SupportGroup).pk,
    "history_id": lambda name, model: history_id(model),
    "fiscal_year": lambda name, model: 2017,
    "year": lambda name, model: 2017,
    "group_pk": lambda name, model: first_pk(SupportGroup),
    "area_pk": lambda name, model: first_pk(Area),
    "token": lambda name, model: CalendarToken.for_user(User.objects.order_by("pk").first()).token,
    "model_name": lambda name, model: model._meta.label,
}
PRIMARY_KEY_NAMES = {"pk", "object_id", "id"}
# URLs whose name says nothing about their model.
MODEL_OF_NAME = {
    "admin:view_on_site": SupportGroup,
    "coordinators:calendar-coordinator": Coordinator,
    "coordinators:calendar-area": Area,
    "restore-record": Meeting,
}
# URLs with unnamed groups (re_path), by the end of their name.
POSITIONAL_ARGS = {
    "_simple_history": lambda model: [first_pk(model), history_id(model)],
}


def url_for(name):
    callback, kwarg_names, positional = URLS[name]
    model = model_of(name, callback)
    if positional:
        for suffix, make_args in POSITIONAL_ARGS.items():
            if name.endswith(suffix):
                return reverse(name, args=make_args(model))
        pytest.fail(f"{name}: add its positional URL arguments to POSITIONAL_ARGS")
    kwargs = {}
    for kwarg in kwarg_names:
        if kwarg in KWARG_VALUES:
            kwargs[kwarg] = KWARG_VALUES[kwarg](name, model)
        elif kwarg in PRIMARY_KEY_NAMES and model is not None:
            kwargs[kwarg] = first_pk(model)
        else:
            pytest.fail(f"{name}: add a value for the URL argument {kwarg!r} to KWARG_VALUES")
    return reverse(name, kwargs=kwargs)


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


def url_names():
    # django-simple-history's revert page uses a template variable it never sets
    # (onclick_attrib); harmless in production, but --fail-on-template-vars would stop the walk.
    return [
        pytest.param(name, marks=pytest.mark.ignore_template_errors)
        if name.endswith("_simple_history")
        else name
        for name in sorted(URLS)
    ]


@pytest.mark.parametrize("name", url_names())
def test_every_url_sends_security_headers_to_an_administrator(name, one_of_each, administrator):
    client = Client()
    client.force_login(administrator)
    response = client.get(url_for(name))
    assert_security_headers(response, signed_in=True)


@pytest.mark.parametrize("name", url_names())
def test_every_url_sends_security_headers_to_an_anonymous_visitor(name, one_of_each):
    response = Client().get(url_for(name))
    assert_security_headers(response, signed_in=False)


def test_the_walk_finds_the_sites_own_pages_and_the_admin():
    assert "home" in URLS
    assert "admin:index" in URLS
    assert "admin:activities_supporter_changelist" in URLS
    assert "admin:activities_supporter_change" in URLS

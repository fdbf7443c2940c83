"""The admin shows all the 2017 data, in Japanese, to administrators only."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

PROJECT_APPS = {"councils", "coordinators", "needs_survey", "activities"}
# Working storage, not records: a previewed import holds parsed personal data for minutes.
# Bookkeeping of imports in progress or confirmed, nothing a person reads or edits.
NOT_IN_ADMIN = {"activities.PendingImport", "needs_survey.SurveyImportReceipt"}


def project_models():
    return [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS]


def test_every_project_model_is_registered_in_the_admin():
    unregistered = [
        m._meta.label
        for m in project_models()
        if m not in admin.site._registry
        and m._meta.label not in NOT_IN_ADMIN
        and not m._meta.auto_created
        and not m.__name__.startswith("Historical")
    ]
    assert unregistered == []


@pytest.mark.parametrize(
    "model",
    [m for m in project_models() if not m.__name__.startswith("Historical")],
    ids=lambda m: m._meta.label,
)
def test_models_have_japanese_names_and_ordering(model):
    assert any(ord(ch) > 0x3000 for ch in str(model._meta.verbose_name))
    assert model._meta.ordering


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model",
    [m for m in project_models() if m in admin.site._registry],
    ids=lambda m: m._meta.label,
)
def test_administrator_sees_each_changelist_with_the_2017_data(
    client, administrator, data_2017, model
):
    client.force_login(administrator)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 200
    if model.objects.exists():
        assert str(model.objects.first()) in response.content.decode()


@pytest.mark.django_db
def test_admin_lists_the_thirteen_tier2_councils(client, administrator, data_2017):
    client.force_login(administrator)
    response = client.get(reverse("admin:councils_council_changelist") + "?tier__exact=2")
    body = response.content.decode()
    assert "13 協議体" in body or "13 件" in body or body.count("第2層協議体") >= 13


@pytest.mark.django_db
def test_city_staff_and_coordinators_cannot_open_the_admin(client, city_staff, coordinator_taira):
    for user in (city_staff, coordinator_taira):
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]

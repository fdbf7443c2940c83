"""Control characters are refused in every form of the site and of the admin (core.validators).

Not a hand list: the tests walk every form class our apps define, every text field of every
model (as a model form and the admin build it) and every admin form and inline, so that a
form added later is covered or fails here.
"""

import importlib
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import modelform_factory
from django.test import RequestFactory

from core.validators import (
    ControlCharacterValidator,
    control_character_message,
    find_control_character,
)
from needs_survey.models import HelpCategory, Survey
from tests.needs_survey.test_survey_entry import CREATE, post_data, tier2

REFUSED = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\r"]
ALLOWED = ["\t", "\n", "\r\n", "　", "\u3000", "①", "𠮷", "\u200b"]


@pytest.mark.parametrize("character", REFUSED)
def test_each_control_character_is_found(character):
    assert find_control_character(f"山田{character}太郎") == (2, character)
    assert "3文字目" in control_character_message(f"山田{character}太郎")


@pytest.mark.parametrize("text", ALLOWED)
def test_tab_line_breaks_and_ordinary_characters_are_allowed(text):
    assert find_control_character(f"山田{text}太郎") is None


def test_every_character_below_u0020_but_tab_lf_and_crlf_is_refused():
    for code in range(0x20):
        expected = chr(code) not in "\t\n"
        assert (find_control_character(f"a{chr(code)}b") is not None) == expected, code
    assert find_control_character("a\r\nb") is None


def our_apps():
    """The project's own apps: under BASE_DIR, but not the packages installed in a .venv there."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        c
        for c in apps.get_app_configs()
        if Path(c.path).resolve().is_relative_to(base)
        and "site-packages" not in Path(c.path).resolve().parts
    ]


def import_all_modules():
    """Every module of our apps, so that every form class they define exists."""
    for config in our_apps():
        package = importlib.import_module(config.name)
        for module in pkgutil.walk_packages(package.__path__, f"{config.name}."):
            if ".migrations" in module.name or ".management" in module.name:
                continue
            importlib.import_module(module.name)


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def our_form_classes():
    import_all_modules()
    names = tuple(f"{c.name}." for c in our_apps())
    return {cls for cls in subclasses(forms.BaseForm) if cls.__module__.startswith(names)}


def assert_refuses(field, where):
    with pytest.raises(ValidationError) as refused:
        field.clean("山田\x00太郎")
    codes = {error.code for error in refused.value.error_list}
    assert ControlCharacterValidator.code in codes, where
    assert "制御文字 U+0000（NUL）が含まれています（3文字目）" in refused.value.messages[0], where


def text_fields(form_fields):
    return {
        name: field
        for name, field in form_fields.items()
        if isinstance(field, forms.CharField) and not field.disabled
    }


def test_every_text_field_of_every_form_class_refuses_control_characters():
    checked = 0
    for form_class in our_form_classes():
        for name, field in text_fields(form_class.base_fields).items():
            assert_refuses(field, f"{form_class.__module__}.{form_class.__name__}.{name}")
            checked += 1
    assert checked >= 20  # the walk found the site's forms


def model_text_fields():
    for config in our_apps():
        for model in config.get_models():
            for field in model._meta.get_fields():
                if (
                    isinstance(field, models.CharField | models.TextField)
                    and field.editable
                    and not field.choices
                    and not field.primary_key
                ):
                    yield model, field


# Model forms of URL fields built without the project's assume_scheme.
@pytest.mark.filterwarnings("ignore::django.utils.deprecation.RemovedInDjango60Warning")
def test_every_text_field_of_every_model_refuses_control_characters_in_a_model_form():
    checked = 0
    for model, field in model_text_fields():
        form_class = modelform_factory(model, fields=[field.name])
        assert_refuses(form_class.base_fields[field.name], f"{model._meta.label}.{field.name}")
        checked += 1
    assert checked >= 30


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore::django.utils.deprecation.RemovedInDjango60Warning")
def test_every_admin_form_and_inline_refuses_control_characters(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    checked = 0
    for model, model_admin in admin.site._registry.items():
        form_classes = [model_admin.get_form(request)]
        for inline in model_admin.get_inline_instances(request):
            form_classes.append(inline.get_formset(request).form)
        for form_class in form_classes:
            for name, field in text_fields(form_class.base_fields).items():
                assert_refuses(field, f"admin {model._meta.label} {form_class.__name__}.{name}")
                checked += 1
    assert checked >= 30


def test_a_site_form_shows_the_message_on_the_field_and_saves_nothing(client, coordinator_taira):
    client.force_login(coordinator_taira)
    data = post_data(tier2("平"), rows={1: ("12", "can", "民生委員と\x1b分担")}, note="備考\x00")
    response = client.post(CREATE, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "制御文字 U+0000（NUL）が含まれています（3文字目）" in body
    assert "制御文字 U+001B（ESC）が含まれています（6文字目）" in body
    assert response.context["form"].errors["note"]
    assert not Survey.objects.exists()


def test_the_admin_shows_the_message_on_the_field_and_saves_nothing(admin_client, data_2017):
    category = HelpCategory.objects.get(number=1)
    url = f"/admin/needs_survey/helpcategory/{category.pk}/change/"
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    text = next(iter(text_fields(form.fields)))
    data[text] = "声かけ\x7f"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "制御文字 U+007F（DEL）が含まれています（4文字目）" in response.content.decode()
    category.refresh_from_db()
    assert "\x7f" not in getattr(category, text)

"""The <select>s written in Python (FormRenderer, NameSelect) give the HTML Django's own
templates give, and NameChoiceField reads its options as (pk, name) rows."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from core.forms import NameChoiceField, NameSelect
from core.renderers import FormRenderer
from councils.models import Area

CHOICES = [
    ("", "すべて"),
    ("平", [(1, "平<第1>"), (2, "平 & 内郷")]),
    (3, "小名浜"),
    (3, "小名浜 (重複)"),
    (4, 'ダブル"クォート'),
]


def tidy(html):
    """Django's templates and ours indent differently; the markup must be the same."""
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("value", [None, "", "2", "3", ["1", "3"]])
@pytest.mark.parametrize("widget_class", [forms.Select, forms.SelectMultiple])
def test_form_renderer_writes_the_selects_djangos_templates_write(widget_class, value):
    widget = widget_class(choices=CHOICES, attrs={"class": "wide", "data-x": 'a"b'})
    attrs = {"id": "id_area", "required": True, "aria-invalid": "true"}
    ours = widget.render("area", value, attrs, renderer=FormRenderer())
    djangos = widget.render("area", value, attrs, renderer=DjangoTemplates())
    assert tidy(ours) == tidy(djangos)
    assert "平&lt;第1&gt;" in ours and "平 &amp; 内郷" in ours


def test_form_renderer_still_uses_an_options_own_template():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Custom(choices=[(1, "平")])
    ours = widget.render("x", "1", {"id": "id_x"}, renderer=FormRenderer())
    djangos = widget.render("x", "1", {"id": "id_x"}, renderer=DjangoTemplates())
    assert tidy(ours) == tidy(djangos)


@pytest.mark.parametrize("value", [None, "", "2", "3", "99"])
def test_name_select_writes_what_djangos_select_writes(value):
    flat = [("", "すべて"), (1, "平<第1>"), (2, "平 & 内郷"), (3, "小名浜"), (3, "重複")]
    attrs = {"id": "id_area", "required": True, "aria-invalid": "true", "data-x": 'a"b'}
    ours = NameSelect(choices=flat).render("area", value, attrs)
    djangos = forms.Select(choices=flat).render("area", value, attrs)
    assert tidy(ours) == tidy(djangos)


def test_name_choice_field_lists_names_without_building_instances_and_cleans_to_one(
    data_2017, django_assert_num_queries
):
    class AreaForm(forms.Form):
        area = NameChoiceField(queryset=Area.objects.all(), empty_label="すべての圏域")

    with django_assert_num_queries(1):
        html = str(AreaForm()["area"])
    names = list(Area.objects.values_list("name", flat=True))
    assert len(names) == 13
    assert re.findall(r"<option[^>]*>([^<]*)</option>", html) == ["すべての圏域", *names]

    area = Area.objects.get(name=names[3])
    form = AreaForm({"area": str(area.pk)})
    assert form.is_valid()
    assert form.cleaned_data["area"] == area
    assert f'<option value="{area.pk}" selected>' in str(form["area"])
    assert not AreaForm({"area": "999999"}).is_valid()

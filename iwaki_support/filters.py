"""Filters of the site-wide pages, and NameChoiceFilter for every app's district and area
filters."""

import django_filters
import django_filters.fields
from django import forms

from councils.models import Area, District
from iwaki_support.forms import NameChoiceIterator, NameSelect
from iwaki_support.wareki import format_fiscal_year


class _NameFilterIterator(django_filters.fields.ModelChoiceIterator, NameChoiceIterator):
    """django-filter's iterator (which adds the null choice) over (pk, name) rows."""


class _NameFilterField(django_filters.fields.ModelChoiceField):
    iterator = _NameFilterIterator
    widget = NameSelect


class NameChoiceFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter for District or Area whose options are read as (pk, name) rows."""

    field_class = _NameFilterField


class StatusFilter(django_filters.FilterSet):
    """District and fiscal year of the status table. The fiscal year does not narrow the
    areas: it chooses which year's meetings and counts the rows show (see the view)."""

    district = NameChoiceFilter(
        queryset=District.objects.all(), label="地区", empty_label="すべての地区"
    )
    fiscal_year = django_filters.TypedChoiceFilter(label="年度", method="choose_year", coerce=int)

    class Meta:
        model = Area
        fields = ["district", "fiscal_year"]

    def __init__(self, *args, fiscal_years=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.form.fields["fiscal_year"]
        field.choices = [(fy, format_fiscal_year(fy)) for fy in fiscal_years]
        field.required = False
        field.widget = forms.Select(choices=field.choices)

    def choose_year(self, queryset, name, value):
        return queryset

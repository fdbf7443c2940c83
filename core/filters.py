"""Filters every app's lists use: dates and fiscal years typed in 和暦, and choices of
districts and areas."""

import django_filters
import django_filters.fields

from core.forms import FiscalYearField, NameChoiceIterator, NameSelect, WarekiDateField


class WarekiDateFilter(django_filters.DateFilter):
    """A date typed as 平成29年7月28日, H29.7.28 or 2017-07-28."""

    field_class = WarekiDateField


class FiscalYearFilter(django_filters.Filter):
    """A fiscal year typed as 平成29年度, H29 or 2017."""

    field_class = FiscalYearField


class _NameFilterIterator(django_filters.fields.ModelChoiceIterator, NameChoiceIterator):
    """django-filter's iterator (which adds the null choice) over (pk, name) rows."""


class _NameFilterField(django_filters.fields.ModelChoiceField):
    iterator = _NameFilterIterator
    widget = NameSelect


class NameChoiceFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter for District or Area whose options are read as (pk, name) rows."""

    field_class = _NameFilterField

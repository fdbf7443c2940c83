"""Filters every app's lists use: dates and fiscal years typed in 和暦, and choices that
become a search when they are many (districts, areas, groups at a hundred times Iwaki)."""

import django_filters
from django_filters.filters import QuerySetRequestMixin

from core.forms import FiscalYearField, NameSearch, SearchableModelChoiceField, WarekiDateField


class WarekiDateFilter(django_filters.DateFilter):
    """A date typed as 平成29年7月28日, H29.7.28 or 2017-07-28."""

    field_class = WarekiDateField


class FiscalYearFilter(django_filters.Filter):
    """A fiscal year typed as 平成29年度, H29 or 2017."""

    field_class = FiscalYearField


class ChoiceOrSearchField(SearchableModelChoiceField):
    """SearchableModelChoiceField for a filter: a typed name keeps every object it matches."""

    notes_search_results = True

    def search(self, entry):
        queryset, _within = self.narrowed(entry)
        return NameSearch(entry.text, queryset)


class ChoiceOrSearchFilter(QuerySetRequestMixin, django_filters.Filter):
    """Narrow a list to one chosen object or, when the objects are too many for a select, to
    those whose name contains a typed text (see SearchableModelChoiceField; ``search_field``,
    ``within`` and ``limit`` are passed to it). ``queryset`` may be a callable taking the
    request, as with django-filter's ModelChoiceFilter."""

    field_class = ChoiceOrSearchField

    def filter(self, qs, value):
        if isinstance(value, NameSearch):
            qs = self.get_method(qs)(**{f"{self.field_name}__in": value.matches})
            return qs.distinct() if self.distinct else qs
        return super().filter(qs, value)

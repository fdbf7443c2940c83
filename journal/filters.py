"""Filters of the journal list: by year, coordinator, kind, area and what entries led to."""

import django_filters

from coordinators.models import Coordinator
from core import wareki
from core.filters import ChoiceOrSearchFilter, FiscalYearFilter
from councils.models import Area
from journal.models import SURVEY_CATEGORIES, SURVEY_CATEGORY_BY_CODE, ActivityKind, JournalEntry


class JournalEntryFilter(django_filters.FilterSet):
    fiscal_year = FiscalYearFilter(label="年度", method="filter_fiscal_year")
    coordinator = django_filters.ModelChoiceFilter(
        queryset=Coordinator.objects.order_by("number"),
        label="コーディネーター",
        empty_label="すべて",
    )
    kind = django_filters.ChoiceFilter(
        choices=ActivityKind.choices, label="活動の種類", empty_label="すべて"
    )
    area = ChoiceOrSearchFilter(
        field_name="areas", queryset=Area.objects.all(), label="圏域", distinct=True
    )
    led_to = django_filters.ChoiceFilter(
        choices=[(c.code, c.label) for c in SURVEY_CATEGORIES],
        label="つながった成果",
        empty_label="すべて",
        method="filter_led_to",
    )

    class Meta:
        model = JournalEntry
        fields = ["fiscal_year", "coordinator", "kind", "area", "led_to"]

    def filter_fiscal_year(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        try:
            wareki.format_fiscal_year(value)
            bounds = wareki.fiscal_year_bounds(value)
        except (wareki.WarekiError, ValueError, OverflowError):
            return queryset.none()
        return queryset.filter(done_on__range=bounds)

    def filter_led_to(self, queryset, name, value):
        if value not in SURVEY_CATEGORY_BY_CODE:
            return queryset
        return queryset.led_to(value)

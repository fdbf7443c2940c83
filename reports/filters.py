"""The filter of the district status table."""

import django_filters
from django import forms

from core.filters import ChoiceOrSearchFilter
from core.wareki import format_fiscal_year
from councils.models import Area, District


class StatusFilter(django_filters.FilterSet):
    """District and fiscal year of the status table. The fiscal year does not narrow the
    areas: it chooses which year's meetings and counts the rows show (see the view)."""

    district = ChoiceOrSearchFilter(
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

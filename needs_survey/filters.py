"""Filters of the survey list."""

import django_filters

from core.filters import ChoiceOrSearchFilter
from core.wareki import format_fiscal_year
from councils.models import District, Tier
from needs_survey.models import Survey


class SurveyFilter(django_filters.FilterSet):
    fiscal_year = django_filters.ChoiceFilter(label="年度", choices=[], empty_label="すべての年度")
    district = ChoiceOrSearchFilter(
        label="地区",
        field_name="council__area__district",
        queryset=District.objects.all(),
        empty_label="すべての地区",
    )
    tier = django_filters.ChoiceFilter(
        label="単位",
        field_name="council__tier",
        choices=[(Tier.SECOND, "圏域(第2層)"), (Tier.THIRD, "団体(第3層)")],
        empty_label="すべて",
    )

    class Meta:
        model = Survey
        fields = ["fiscal_year", "district", "tier"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["fiscal_year"].extra["choices"] = [
            (year, format_fiscal_year(year)) for year in Survey.objects.fiscal_years()
        ]

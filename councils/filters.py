"""Filters of the councils' lists: areas, councils, meetings and open opinions."""

import django_filters

from core.filters import ChoiceOrSearchFilter, FiscalYearFilter
from councils.models import (
    Area,
    Council,
    District,
    FollowUp,
    Meeting,
    MeetingStatus,
    Opinion,
    OpinionKind,
    ResponseStatus,
    Tier,
)


class AreaFilter(django_filters.FilterSet):
    district = ChoiceOrSearchFilter(
        queryset=District.objects.all(), label="地区", empty_label="すべての地区"
    )

    class Meta:
        model = Area
        fields = ["district"]


class CouncilFilter(django_filters.FilterSet):
    tier = django_filters.ChoiceFilter(choices=Tier.choices, label="層", empty_label="すべての層")
    district = ChoiceOrSearchFilter(
        field_name="area__district",
        queryset=District.objects.all(),
        label="地区",
        empty_label="すべての地区",
    )

    class Meta:
        model = Council
        fields = ["tier", "district"]


class MeetingFilter(django_filters.FilterSet):
    fiscal_year = FiscalYearFilter(label="年度")
    area = ChoiceOrSearchFilter(
        field_name="council__area", queryset=Area.objects.all(), label="圏域"
    )
    tier = django_filters.ChoiceFilter(
        field_name="council__tier",
        choices=[(Tier.SECOND, "第2層"), (Tier.THIRD, "第3層")],
        label="層",
    )
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label="状況")
    council = django_filters.ModelChoiceFilter(
        queryset=Council.objects.all(),
        label="協議体",
        widget=django_filters.widgets.forms.HiddenInput,
    )

    class Meta:
        model = Meeting
        fields = ["fiscal_year", "area", "tier", "status", "council"]


class OpinionFilter(django_filters.FilterSet):
    area = ChoiceOrSearchFilter(
        field_name="meeting__council__area", queryset=Area.objects.all(), label="圏域"
    )
    status = django_filters.ChoiceFilter(choices=ResponseStatus.choices, label="対応状況")
    kind = django_filters.ChoiceFilter(choices=OpinionKind.choices, label="種類")

    class Meta:
        model = Opinion
        fields = ["area", "status", "kind"]


class FollowUpFilter(django_filters.FilterSet):
    area = ChoiceOrSearchFilter(
        field_name="meeting__council__area", queryset=Area.objects.all(), label="圏域"
    )
    done = django_filters.ChoiceFilter(
        label="状況",
        choices=[("pending", "未完了"), ("done", "完了")],
        empty_label="すべて",
        method="filter_done",
    )

    class Meta:
        model = FollowUp
        fields = ["area", "done"]

    def filter_done(self, queryset, name, value):
        return queryset.filter(done=value == "done")

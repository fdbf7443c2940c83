import django_filters

from councils.models import Area, Council, District, Tier
from iwaki_support.filters import NameChoiceFilter


class AreaFilter(django_filters.FilterSet):
    district = NameChoiceFilter(
        queryset=District.objects.all(), label="地区", empty_label="すべての地区"
    )

    class Meta:
        model = Area
        fields = ["district"]


class CouncilFilter(django_filters.FilterSet):
    tier = django_filters.ChoiceFilter(choices=Tier.choices, label="層", empty_label="すべての層")
    district = NameChoiceFilter(
        field_name="area__district",
        queryset=District.objects.all(),
        label="地区",
        empty_label="すべての地区",
    )

    class Meta:
        model = Council
        fields = ["tier", "district"]

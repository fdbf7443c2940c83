import django_filters

from councils.models import Area, Council, District, Tier


class AreaFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), label="地区", empty_label="すべての地区"
    )

    class Meta:
        model = Area
        fields = ["district"]


class CouncilFilter(django_filters.FilterSet):
    tier = django_filters.ChoiceFilter(choices=Tier.choices, label="層", empty_label="すべての層")
    district = django_filters.ModelChoiceFilter(
        field_name="area__district",
        queryset=District.objects.all(),
        label="地区",
        empty_label="すべての地区",
    )

    class Meta:
        model = Council
        fields = ["tier", "district"]

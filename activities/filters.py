import django_filters

from activities.models import SupportGroup
from councils.models import Area, District
from needs_survey.models import HelpCategory


class SupportGroupFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        field_name="council__area__district",
        queryset=District.objects.all(),
        label="地区",
        empty_label="すべての地区",
    )
    area = django_filters.ModelChoiceFilter(
        field_name="council__area",
        queryset=Area.objects.all(),
        label="圏域",
        empty_label="すべての圏域",
    )
    kind = django_filters.ChoiceFilter(
        label="種別",
        choices=[("model", "モデル地区(①〜⑮)"), ("new", "新規団体")],
        empty_label="すべて",
        method="filter_kind",
    )
    help_category = django_filters.ModelChoiceFilter(
        field_name="services__help_categories",
        queryset=HelpCategory.objects.all(),
        label="サービスの項目",
        empty_label="すべての項目",
        distinct=True,
    )

    class Meta:
        model = SupportGroup
        fields = ["district", "area", "kind", "help_category"]

    def filter_kind(self, queryset, name, value):
        if value == "model":
            return queryset.filter(model_number__isnull=False)
        if value == "new":
            return queryset.filter(model_number__isnull=True)
        return queryset

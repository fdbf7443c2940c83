import django_filters
from django.db.models import Q
from django.utils import timezone

from core.filters import ChoiceOrSearchFilter
from councils.models import Area, District
from directory.models import Entry, EntryKind, EntryStatus
from needs_survey.models import HelpCategory


class EntryFilter(django_filters.FilterSet):
    district = ChoiceOrSearchFilter(
        field_name="area__district",
        queryset=District.objects.all(),
        label="地区",
        empty_label="すべての地区",
    )
    area = ChoiceOrSearchFilter(
        field_name="area",
        queryset=Area.objects.all(),
        within=("district", "district"),
        label="担当圏域",
        empty_label="すべての圏域",
    )
    help_category = django_filters.ModelChoiceFilter(
        field_name="help_categories",
        queryset=HelpCategory.objects.all(),
        label="手伝ってほしいこと",
        empty_label="すべて",
    )
    kind = django_filters.ChoiceFilter(
        choices=EntryKind.choices, label="種類", empty_label="すべて"
    )
    status = django_filters.ChoiceFilter(
        choices=EntryStatus.choices, label="状況", empty_label="すべて"
    )
    published = django_filters.ChoiceFilter(
        label="公開",
        choices=[("1", "公開中"), ("0", "非公開")],
        empty_label="すべて",
        method="filter_published",
    )
    due = django_filters.ChoiceFilter(
        label="最終確認",
        choices=[("1", "6か月以上確認していない")],
        empty_label="すべて",
        method="filter_due",
    )
    q = django_filters.CharFilter(label="名称・団体・サービス", method="filter_words")

    class Meta:
        model = Entry
        fields = ["district", "area", "help_category", "kind", "status", "published", "due", "q"]

    def filter_published(self, queryset, name, value):
        return queryset.filter(is_published=value == "1")

    def filter_due(self, queryset, name, value):
        return queryset.due_for_confirmation(timezone.localdate()) if value == "1" else queryset

    def filter_words(self, queryset, name, value):
        for word in value.replace("\x00", "").split()[:5]:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(name_kana__icontains=word)
                | Q(provider__icontains=word)
                | Q(services__icontains=word)
            )
        return queryset


class SupplyAreaFilter(django_filters.FilterSet):
    """The areas of the needs-against-supply table: all, or one district's."""

    district = ChoiceOrSearchFilter(
        field_name="district",
        queryset=District.objects.all(),
        label="地区",
        empty_label="すべての地区",
    )

    class Meta:
        model = Area
        fields = ["district"]

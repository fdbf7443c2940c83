import django_filters

from activities.models import GroupService, Supporter, SupportGroup
from core import wareki
from core.filters import ChoiceOrSearchFilter, FiscalYearFilter
from councils.models import Area, District
from needs_survey.models import HelpCategory


class SupportGroupFilter(django_filters.FilterSet):
    district = ChoiceOrSearchFilter(
        field_name="council__area__district",
        queryset=District.objects.all(),
        label="地区",
        empty_label="すべての地区",
    )
    area = ChoiceOrSearchFilter(
        field_name="council__area",
        queryset=Area.objects.all(),
        within=("district", "district"),
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

    established_in = FiscalYearFilter(label="設置の年度", method="filter_established_in")
    service_started_in = FiscalYearFilter(
        label="サービス開始の年度", method="filter_service_started_in"
    )

    class Meta:
        model = SupportGroup
        fields = [
            "district",
            "area",
            "kind",
            "help_category",
            "established_in",
            "service_started_in",
        ]

    @staticmethod
    def _bounds(value):
        try:
            wareki.format_fiscal_year(value)
            bounds = wareki.fiscal_year_bounds(value)
        except (wareki.WarekiError, ValueError, OverflowError):
            return None
        return bounds

    def filter_established_in(self, queryset, name, value):
        """Groups whose tier-3 council was established within the fiscal year."""
        if value in (None, ""):
            return queryset
        bounds = self._bounds(value)
        return queryset.filter(council__established_on__range=bounds) if bounds else queryset.none()

    def filter_service_started_in(self, queryset, name, value):
        """Groups with a service that started within the fiscal year."""
        if value in (None, ""):
            return queryset
        bounds = self._bounds(value)
        if not bounds:
            return queryset.none()
        return queryset.filter(
            pk__in=GroupService.objects.filter(started_on__range=bounds).values("group")
        )

    def filter_kind(self, queryset, name, value):
        if value == "model":
            return queryset.filter(model_number__isnull=False)
        if value == "new":
            return queryset.filter(model_number__isnull=True)
        return queryset


class SupporterFilter(django_filters.FilterSet):
    """Group and status only: names are searched by POST (see ``SupporterListView``) so that
    they never appear in a URL or a server log."""

    group = ChoiceOrSearchFilter(
        queryset=SupportGroup.objects.none(), label="団体", empty_label="すべての団体"
    )
    # 登録中 unless chosen otherwise (the view fills it in): an ended registration is kept
    # for the record, not shown among the supporters to call on.
    active = django_filters.ChoiceFilter(
        label="状態",
        choices=[("1", "登録中"), ("0", "登録終了"), ("all", "すべて")],
        empty_label=None,
        method="filter_active",
    )

    class Meta:
        model = Supporter
        fields = ["group", "active"]

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["group"].queryset = groups

    def filter_active(self, queryset, name, value):
        if value == "all":
            return queryset
        return queryset.filter(active=value == "1")

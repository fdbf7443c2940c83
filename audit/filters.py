"""The filter of the access-record review."""

import django_filters
from django.contrib.auth import get_user_model

from audit.models import AccessAction, AccessRecord
from core.filters import ChoiceOrSearchFilter, WarekiDateFilter


class AccessRecordFilter(django_filters.FilterSet):
    since = WarekiDateFilter(field_name="at", lookup_expr="date__gte", label="期間(から)")
    until = WarekiDateFilter(field_name="at", lookup_expr="date__lte", label="期間(まで)")
    user = ChoiceOrSearchFilter(
        label="利用者",
        queryset=get_user_model().objects.order_by("username"),
        search_field="username",
        empty_label="すべての利用者",
    )
    action = django_filters.ChoiceFilter(
        label="操作", choices=AccessAction.choices, empty_label="すべての操作"
    )
    # The area model is the record's own relation: audit imports no domain app.
    area = ChoiceOrSearchFilter(
        label="圏域",
        queryset=AccessRecord._meta.get_field("area").related_model.objects.all(),
        empty_label="すべての圏域",
    )

    class Meta:
        model = AccessRecord
        fields = ["since", "until", "user", "action", "area"]

"""The table of the access-record review."""

import django_tables2 as tables
from django.utils import timezone

from audit.models import AccessRecord
from core.wareki import format_date


class AccessRecordTable(tables.Table):
    caption = "個人情報の利用記録"  # the <caption> (templates/django_tables2/table.html)

    at = tables.Column("日時")
    user = tables.Column("利用者", default="(不明)")
    action = tables.Column("操作")
    what = tables.Column("対象")
    area = tables.Column("圏域", default="")
    group = tables.Column("団体", default="")
    rows = tables.Column("件数", attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    address = tables.Column("接続元", default="")

    class Meta:
        model = AccessRecord
        fields = ["at", "user", "action", "what", "area", "group", "rows", "address"]
        order_by = "-at"

    def render_at(self, value):
        local = timezone.localtime(value)
        return f"{format_date(local.date())} {local:%H:%M:%S}"

    def value_at(self, value):
        return timezone.localtime(value).replace(tzinfo=None)

    def value_user(self, value):
        return value.get_username() if value else ""

    def value_area(self, value):
        return str(value) if value else ""

    def value_group(self, value):
        return str(value) if value else ""

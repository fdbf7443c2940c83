import django_tables2 as tables
from django.utils.html import format_html_join

from coordinators.models import Coordinator
from core.tables import WarekiDateColumn


class CoordinatorTable(tables.Table):
    caption = (
        "生活支援コーディネーターの配置"  # the <caption> (templates/django_tables2/table.html)
    )

    number = tables.Column("番号")
    placement = tables.Column("配置場所", linkify=True)
    tier = tables.Column("分類")
    district = tables.Column("地区", order_by=("district__position",))
    areas = tables.Column("担当圏域", empty_values=(), orderable=False)
    since = WarekiDateColumn("設置年月日")

    class Meta:
        model = Coordinator
        fields = ["number", "placement", "tier", "district", "areas", "since"]
        template_name = "django_tables2/table.html"

    def render_areas(self, record):
        if record.supervises_all:
            return record.coverage_label or "全圏域"
        return format_html_join(
            "・",
            '<a href="{}">{}</a>',
            ((a.get_absolute_url(), a.name) for a in record.areas.all()),
        )

    def value_areas(self, record):
        if record.supervises_all:
            return record.coverage_label or "全圏域"
        return "・".join(a.name for a in record.areas.all())

    def value_district(self, value):
        return value.name if value else None

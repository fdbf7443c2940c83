import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from core.tables import WarekiDateColumn
from core.templatetags.wareki import wareki
from directory.models import Entry, EntryStatus


class EntryTable(tables.Table):
    """Entries for those who keep them current: public or not, and when last confirmed."""

    name = tables.Column("名称", linkify=True, order_by=("sort_key",))
    area = tables.Column("担当圏域", order_by=("area__position", "sort_key"))
    kind = tables.Column("種類")
    help_categories = tables.Column("手伝ってほしいこと", empty_values=(), orderable=False)
    status = tables.Column("状況")
    is_published = tables.Column("公開")
    confirmed_on = tables.Column("最終確認日", empty_values=())
    updated_at = WarekiDateColumn("最終更新")

    class Meta:
        model = Entry
        fields = [
            "name",
            "area",
            "kind",
            "help_categories",
            "status",
            "is_published",
            "confirmed_on",
            "updated_at",
        ]
        sequence = fields
        template_name = "django_tables2/table.html"
        order_by = ("area",)

    def render_area(self, value):
        return value.name

    def value_area(self, value):
        return value.name

    def render_help_categories(self, record):
        return "".join(c.circled_number for c in record.help_categories.all())

    def value_help_categories(self, record):
        return "、".join(c.name for c in record.help_categories.all())

    def render_status(self, record):
        label = record.get_status_display()
        if record.status == EntryStatus.SUSPENDED:
            return format_html('<span class="status-label cancelled">{}</span>', label)
        return label

    def value_status(self, record):
        return record.get_status_display()

    def render_is_published(self, value):
        return "公開中" if value else "非公開"

    def value_is_published(self, value):
        return "公開中" if value else "非公開"

    def render_confirmed_on(self, record):
        today = timezone.localdate()
        shown = wareki(record.confirmed_on) if record.confirmed_on else "未確認"
        if record.due_for_confirmation(today):
            return format_html('{} <span class="status-label due">要確認</span>', shown)
        return shown

    def value_confirmed_on(self, record):
        return record.confirmed_on

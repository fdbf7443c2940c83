"""The journal list as a table (also its xlsx and CSV export)."""

import django_tables2 as tables
from django.utils.html import format_html_join

from core.tables import WarekiDateColumn
from journal.models import JournalEntry


class JournalEntryTable(tables.Table):
    done_on = WarekiDateColumn("日付", linkify=True)
    coordinator = tables.Column("コーディネーター", order_by=("coordinator__number",))
    kind = tables.Column("活動の種類")
    areas = tables.Column("圏域", empty_values=(), orderable=False)
    related = tables.Column("関係する団体・協議体", empty_values=(), orderable=False)
    summary = tables.Column("概要", orderable=False)
    led_to = tables.Column("つながった成果", empty_values=(), orderable=False)
    outcome = tables.Column("つながったこと", orderable=False)

    class Meta:
        model = JournalEntry
        fields = ["done_on", "coordinator", "kind"]
        sequence = ["done_on", "coordinator", "kind", "areas", "related", "summary", "led_to"]
        template_name = "django_tables2/table.html"
        order_by = ("-done_on",)
        attrs = {"class": "journal-table"}

    def render_areas(self, record):
        return "、".join(area.name for area in record.areas.all())

    def value_areas(self, record):
        return self.render_areas(record)

    def render_related(self, record):
        items = [x for x in (record.group, record.council) if x is not None]
        if not items:
            return "—"
        return format_html_join(
            "、", '<a href="{}">{}</a>', ((x.get_absolute_url(), x) for x in items)
        )

    def value_related(self, record):
        return "、".join(str(x) for x in (record.group, record.council) if x is not None)

    def render_led_to(self, record):
        return "、".join(record.led_to_labels()) or "—"

    def value_led_to(self, record):
        return "、".join(record.led_to_labels())

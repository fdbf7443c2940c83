"""Tables of the councils' lists: councils, the fiscal-year schedule, meetings."""

import django_tables2 as tables
from django.utils.html import format_html

from core import wareki
from core.tables import WarekiDateColumn
from councils.models import Council, Meeting


class ScheduleStatusColumn(tables.Column):
    """第n回 状況: the status, linked to the meeting; for those who may log it, a missing or
    due meeting also links to the form (exported as the status alone)."""

    def __init__(self, sequence, verbose_name, **kwargs):
        self.sequence = sequence
        super().__init__(verbose_name, accessor=f"status_{sequence}", **kwargs)

    def render(self, value, record):
        url, log_url = record.meeting_url(self.sequence), record.log_url(self.sequence)
        status = format_html('<a href="{}">{}</a>', url, value) if url else value
        if not log_url:
            return status
        return format_html(
            '{} <a class="log-link" href="{}">記録する<span class="visually-hidden">: {} 第{}回'
            "</span></a>",
            status,
            log_url,
            record.area.name,
            self.sequence,
        )

    def value(self, value):
        return value


class ScheduleTable(tables.Table):
    """Per area, 第n回: the month planned, the date held and the status; one column set per n."""

    caption = "圏域ごとの第n回の予定と開催"  # the <caption> (templates/django_tables2/table.html)
    row_header = "area"  # each row is named by its area

    district = tables.Column(
        "地区",
        accessor="area__district__name",
        order_by=("area__district__position", "area__position"),
    )
    area = tables.Column("圏域", linkify=True, order_by=("area__position",))
    held_count = tables.Column("開催回数", attrs={"td": {"class": "num"}})

    class Meta:
        template_name = "django_tables2/table.html"
        attrs = {"class": "schedule-table"}

    def __init__(self, *args, sequences=(1, 2, 3), **kwargs):
        extra = []
        for n in sequences:
            extra += [
                (f"planned_{n}", WarekiDateColumn(f"第{n}回 予定", month=True)),
                (f"held_{n}", WarekiDateColumn(f"第{n}回 開催日")),
                (f"status_{n}", ScheduleStatusColumn(n, f"第{n}回 状況")),
            ]
        # extra_columns are appended after the base ones; keep the count column last.
        kwargs.setdefault("sequence", ("district", "area", "...", "held_count"))
        super().__init__(*args, extra_columns=extra, **kwargs)

    def render_area(self, value):
        return value.name

    def value_area(self, value):
        return value.name


class CouncilTable(tables.Table):
    caption = "協議体の一覧"  # the <caption> (templates/django_tables2/table.html)

    name = tables.Column("名称", linkify=True)
    tier = tables.Column("層")
    area = tables.Column("圏域", linkify=True, order_by=("area__position",))
    is_established = tables.BooleanColumn(verbose_name="設置", yesno="設置済み,未設置")
    established_on = WarekiDateColumn("設置日")
    organisation_count = tables.Column("構成団体の種別数", attrs={"td": {"class": "num"}})
    member_count = tables.Column("構成員数(判明分)", attrs={"td": {"class": "num"}})
    meeting_count = tables.Column("会議の記録数", attrs={"td": {"class": "num"}})

    class Meta:
        model = Council
        fields = ["name", "tier", "area", "is_established", "established_on"]
        template_name = "django_tables2/table.html"
        order_by = ("tier", "area")

    def value_is_established(self, value):
        return "設置済み" if value else "未設置"

    def value_area(self, value):
        return value.name if value else None

    def value_name(self, value):
        return value


class MeetingTable(tables.Table):
    caption = "会議の一覧"  # the <caption> (templates/django_tables2/table.html)

    council = tables.Column(verbose_name="協議体")
    area = tables.Column(
        verbose_name="圏域", accessor="council__area__name", order_by="council__area__position"
    )
    fiscal_year = tables.Column(verbose_name="年度")
    sequence = tables.Column(verbose_name="回", linkify=lambda record: record.get_absolute_url())
    date = tables.Column(
        verbose_name="開催日・予定月", order_by=("held_on", "planned_month"), empty_values=()
    )
    status = tables.Column(verbose_name="状況")
    minutes_status = tables.Column(verbose_name="議事録")
    opinion_count = tables.Column(verbose_name="意見・ニーズ", attrs={"td": {"class": "num"}})
    open_count = tables.Column(verbose_name="うち未対応", attrs={"td": {"class": "num"}})

    class Meta:
        model = Meeting
        fields = []
        sequence = (
            "council",
            "area",
            "fiscal_year",
            "sequence",
            "date",
            "status",
            "minutes_status",
            "opinion_count",
            "open_count",
        )
        template_name = "django_tables2/table.html"
        attrs = {"class": "data-table"}
        empty_text = "該当する会議はありません。"

    def render_fiscal_year(self, value):
        return wareki.format_fiscal_year(value)

    def render_sequence(self, value):
        return f"第{value}回"

    def render_date(self, record):
        if record.held_on:
            return wareki.format_date_with_weekday(record.held_on)
        if record.planned_month:
            return f"{wareki.format_month(record.planned_month)} (予定)"
        return "未定"

    def render_status(self, record):
        return record.get_status_display()

    def render_minutes_status(self, record):
        return record.get_minutes_status_display()

"""The district status table (see ``reports.status``)."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core.templatetags.wareki import wareki
from core.wareki import format_fiscal_year, format_month
from councils.models import MeetingStatus


class MeetingColumn(tables.Column):
    """第n回: the date held, or the month planned, with the status.

    Exported as a date (the day held) or as the planned month in era text; the status goes
    to its own hidden column, so that the spreadsheet keeps a real date column.
    """

    def __init__(self, sequence, **kwargs):
        self.sequence = sequence
        kwargs.setdefault("verbose_name", f"第{sequence}回")
        kwargs.setdefault("accessor", f"meeting_{sequence}")
        kwargs.setdefault("order_by", (f"meeting_{sequence}_date",))
        kwargs.setdefault("attrs", {"td": {"class": "meeting"}})
        kwargs.setdefault("empty_values", ())  # an empty cell renders too: 「記録する」
        super().__init__(**kwargs)

    def render(self, value, record, table):
        """The meeting, or for an empty cell a 「記録する」 link for those who may log it
        (``table.loggable_area_ids``), with council, year and 第n回 filled in."""
        loggable = record.area.pk in table.loggable_area_ids and record.council is not None
        return render_to_string(
            "includes/meeting_cell.html",
            {
                "meeting": value,
                "can_log": loggable,
                "council": record.council,
                "fiscal_year": table.fiscal_year,
                "sequence": self.sequence,
            },
        )

    def value(self, value):
        """The day held as a date; a month only planned as era text (平成30年2月), never
        the first day of the month, which would read as a date held."""
        if not value:
            return None
        if value.held_on:
            return value.held_on
        return format_month(value.planned_month) if value.planned_month else None


class MeetingStatusColumn(tables.Column):
    def __init__(self, sequence, **kwargs):
        kwargs.setdefault("verbose_name", f"第{sequence}回 状況")
        kwargs.setdefault("accessor", f"meeting_{sequence}")
        kwargs.setdefault("visible", False)
        kwargs.setdefault("orderable", False)
        super().__init__(**kwargs)

    def value(self, value):
        if value is None:
            return None
        if value.status == MeetingStatus.PLANNED and not value.held_on:
            return "予定(月)"
        return value.get_status_display()


def _total(attribute):
    return lambda table: getattr(table.totals, attribute) if table.totals else ""


def _meetings_total(sequence):
    def footer(table):
        if not table.totals:
            return ""
        held = table.totals.meetings_held[sequence]
        return f"開催 {held} / {table.totals.areas}"

    return footer


class StatusTable(tables.Table):
    """One row per area; ``totals`` (a ``StatusTotals``) fills the footer."""

    row_header = "area"  # each row is named by its area

    district = tables.Column(
        "地区",
        accessor="area__district__name",
        order_by=("area__district__position", "area__position"),
        footer="合計",
    )
    area = tables.Column(
        "圏域",
        linkify=True,
        order_by=("area__position",),
        footer=lambda table: f"{table.totals.areas}圏域" if table.totals else "",
    )
    coordinators = tables.Column(
        "コーディネーター",
        accessor="coordinators",
        order_by=("coordinator_order", "area__position"),
    )
    council = tables.Column(
        "第2層協議体",
        linkify=lambda record: record.council.get_absolute_url() if record.council else None,
        order_by=("area__position",),
        empty_values=(),
    )
    established_on = tables.Column(
        "設置日",
        footer=lambda table: f"設置 {table.totals.councils_established}" if table.totals else "",
    )
    meeting_1 = MeetingColumn(1, footer=_meetings_total(1))
    meeting_1_status = MeetingStatusColumn(1)
    meeting_2 = MeetingColumn(2, footer=_meetings_total(2))
    meeting_2_status = MeetingStatusColumn(2)
    meeting_3 = MeetingColumn(3, footer=_meetings_total(3))
    meeting_3_status = MeetingStatusColumn(3)
    groups = tables.Column(
        "第3層団体数",
        attrs={"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}},
        footer=_total("groups"),
    )
    reported_supporters = tables.Column(
        "サポーター数(報告)",
        attrs={"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}},
        footer=_total("reported_supporters"),
    )
    reported_as_of = tables.Column(
        "報告時点", accessor="reported_as_of_last", order_by=("reported_as_of_last",)
    )
    registered_supporters = tables.Column(
        "サポーター数(システム登録)",
        attrs={"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}},
        footer=_total("registered_supporters"),
    )
    survey_progress = tables.Column(
        "ニーズ調査",
        order_by=("survey_progress_order", "area__position"),
        footer=lambda table: (
            f"入力 {table.totals.surveys_started} / 分類済み {table.totals.surveys_complete}"
            if table.totals
            else ""
        ),
    )
    open_items = tables.Column(
        "未対応の意見・ニーズ",
        attrs={"td": {"class": "num open-items"}, "th": {"class": "num"}},
        footer=_total("open_items"),
    )

    class Meta:
        attrs = {"class": "status-table"}
        template_name = "django_tables2/table.html"
        orderable = True
        row_attrs = {
            "data-area": lambda record: record.area.name,
            "class": lambda record, table: (
                "district-start" if table.starts_district(record) else ""
            ),
        }

    def __init__(self, *args, totals=None, fiscal_year=None, loggable_area_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.totals = totals
        self.fiscal_year = fiscal_year
        self.caption = (
            f"圏域別の状況 {format_fiscal_year(fiscal_year)}" if fiscal_year else "圏域別の状況"
        )
        # The areas whose meetings the user may log: their empty cells link to the form.
        self.loggable_area_ids = set(loggable_area_ids)
        self._district_starts = None

    def starts_district(self, record):
        """Whether ``record`` opens a run of its district's areas in the order shown, so that
        the default order reads as groups by district (a rule above each group)."""
        if self._district_starts is None:
            self._district_starts, previous = set(), None
            for row in self.data:
                if row.area.district_id != previous:
                    self._district_starts.add(id(row))
                previous = row.area.district_id
        return id(record) in self._district_starts

    def render_council(self, value):
        return value.name if value else "未設置"

    def value_council(self, value):
        return value.name if value else "未設置"

    def render_coordinators(self, value):
        return format_html_join(
            "、", '<a href="{}">{}</a>', ((c.get_absolute_url(), c) for c in value)
        )

    def value_coordinators(self, value):
        return "、".join(str(c) for c in value)

    def render_established_on(self, value):
        return wareki(value)

    def value_established_on(self, value):
        return value

    def render_reported_as_of(self, record):
        first, last = record.reported_as_of_first, record.reported_as_of_last
        if first and first != last:
            return format_html("{}〜{}", wareki(first), wareki(last))
        return wareki(last)

    def value_reported_as_of(self, value):
        return value

    def render_survey_progress(self, value):
        if value.survey is None:
            return value.label
        return format_html('<a href="{}">{}</a>', value.survey.get_absolute_url(), value.label)

    def value_survey_progress(self, value):
        return value.label

    def render_area(self, value):
        return format_html("{}", value.name)

    def value_area(self, value):
        return value.name

    def value_district(self, value):
        return value

    def render_open_items(self, record, value):
        if not value:
            return "0"
        url = reverse("councils:opinion-list")
        return format_html(
            '<a href="{}?area={}&amp;status=open">{}</a>', url, record.area.pk, value
        )

    def value_open_items(self, value):
        return value

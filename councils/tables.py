import django_tables2 as tables

from councils.models import Council
from iwaki_support.templatetags.wareki import wareki, wareki_month


class WarekiDateColumn(tables.Column):
    """A date shown in 和暦 with the Western date at hand; exported as a real date."""

    def __init__(self, *args, month=False, **kwargs):
        self.month = month
        super().__init__(*args, **kwargs)

    def render(self, value):
        return (wareki_month if self.month else wareki)(value)

    def value(self, value):
        return value


class ScheduleTable(tables.Table):
    """Per area, 第n回: the month planned, the date held and the status; one column set per n."""

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
                (
                    f"status_{n}",
                    tables.Column(
                        f"第{n}回 状況",
                        linkify=lambda record, n=n: record.meeting_url(n),
                    ),
                ),
            ]
        # extra_columns are appended after the base ones; keep the count column last.
        kwargs.setdefault("sequence", ("district", "area", "...", "held_count"))
        super().__init__(*args, extra_columns=extra, **kwargs)

    def render_area(self, value):
        return value.name

    def value_area(self, value):
        return value.name


class CouncilTable(tables.Table):
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

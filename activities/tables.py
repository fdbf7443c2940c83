import django_tables2 as tables
from django.db.models import Sum
from django.utils.html import format_html, format_html_join

from activities.models import Supporter, SupporterCount, SupportGroup
from core.tables import WarekiDateColumn


def _service_label(service):
    """買い物代行, or 買い物代行(予定) when the report says whether it runs yet."""
    if service.status:
        return f"{service.name}({service.get_status_display()})"
    return service.name


def _services_text(record):
    return "; ".join(
        f"{_service_label(service)}[{'・'.join(str(c) for c in service.help_categories.all())}]"
        if service.help_categories.all()
        else _service_label(service)
        for service in record.services.all()
    )


def _sum(table, attribute):
    """Footer: the sum over every row of the table (all pages), e.g. 299 reported in 2017.

    Two queries, summed by the database: at 1,500 groups reading each row's annotations into
    Python took longer than the page's own rows.

    The view may set ``table.sums`` beforehand when it knows them (unfiltered, they are the
    supporter totals it shows above the table).
    """
    if getattr(table, "sums", None) is None:
        groups = table.data.data.order_by().values("pk")
        latest = SupporterCount.objects.latest_per_group().filter(group__in=groups)
        table.sums = {
            "reported_count": latest.aggregate(total=Sum("count"))["total"] or 0,
            "registered_supporters": Supporter.objects.active().filter(group__in=groups).count(),
        }
    return table.sums[attribute]


class SupportGroupTable(tables.Table):
    """Support groups with counts only: supporters' personal data never appears here."""

    caption = "支え合い活動団体の一覧"  # the <caption> (templates/django_tables2/table.html)

    model_number = tables.Column("モデル地区", empty_values=(), footer="合計")
    name = tables.Column("団体", linkify=True)
    area = tables.Column(
        "圏域",
        accessor="council__area",
        linkify=True,
        order_by=("council__area__position", "model_number", "name"),
    )
    district_label = tables.Column("地区(報告書の表記)")
    services = tables.Column("実施(予定)サービスと項目", empty_values=(), orderable=False)
    reported_count = tables.Column(
        "サポーター数(報告)",
        attrs={"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}},
        footer=lambda table: _sum(table, "reported_count"),
    )
    reported_as_of = WarekiDateColumn("報告時点")
    registered_supporters = tables.Column(
        "サポーター数(システム登録)",
        attrs={"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}},
        footer=lambda table: _sum(table, "registered_supporters"),
    )

    class Meta:
        model = SupportGroup
        fields = ["model_number", "name", "area", "district_label"]
        template_name = "django_tables2/table.html"
        order_by = ("area",)

    def render_model_number(self, record):
        return record.model_mark or "新規"

    def value_model_number(self, record):
        return record.model_mark or "新規"

    def render_area(self, value):
        return value.name

    def value_area(self, value):
        return value.name

    def render_services(self, record):
        return format_html_join(
            "",
            "<div>{}{}</div>",
            (
                (
                    _service_label(service),
                    format_html(
                        " <small>({})</small>",
                        "・".join(str(c) for c in service.help_categories.all()),
                    )
                    if service.help_categories.all()
                    else "",
                )
                for service in record.services.all()
            ),
        )

    def value_services(self, record):
        return _services_text(record)


class SupporterTable(tables.Table):
    """Supporters with their personal data: only for those ``personal_data_areas`` allows."""

    caption = "サポーター名簿"  # the <caption> (templates/django_tables2/table.html)

    group = tables.Column("団体", order_by=("group__council__area__position", "group__name"))
    name = tables.Column("氏名", linkify=True, order_by=("name_key",))
    kana = tables.Column("フリガナ")
    phone = tables.Column("電話番号")
    address = tables.Column("住所")
    birth_date = WarekiDateColumn("生年月日")
    registered_on = WarekiDateColumn("登録日")
    help_categories = tables.Column("できること", empty_values=(), orderable=False)
    # verbose_name by keyword: BooleanColumn's first argument is ``null``, and an export of a
    # list of supporters (no queryset to ask the model) headed the column "Active".
    active = tables.BooleanColumn(verbose_name="登録中", yesno="○,")

    class Meta:
        model = Supporter
        fields = [
            "group",
            "name",
            "kana",
            "phone",
            "address",
            "birth_date",
            "registered_on",
            "help_categories",
            "active",
        ]
        sequence = fields
        template_name = "django_tables2/table.html"
        order_by = ("group", "kana")

    def render_help_categories(self, record):
        return "、".join(c.name for c in record.help_categories.all())

    def value_help_categories(self, record):
        return self.render_help_categories(record)

    def value_group(self, value):
        return str(value)

    def value_active(self, value):
        return "登録中" if value else "登録終了"


class SupporterExportTable(SupporterTable):
    """The supporter list as a file: 状態 in words (登録中 / 登録終了, as the import's 状態
    column reads them) and 登録終了日, a date, 不明 when a registration ended on a day not
    recorded, empty while registered."""

    active = tables.Column(verbose_name="状態")
    ended_on = WarekiDateColumn("登録終了日", empty_values=())

    class Meta(SupporterTable.Meta):
        sequence = [*SupporterTable.Meta.fields, "ended_on"]

    def value_ended_on(self, record, value):
        if record.active:
            return None
        return value or "不明"

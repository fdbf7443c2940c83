"""Tier-3 support groups (住民支え合い活動), their services and supporters, and the city's figures."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.access import ScopedQuerySet
from core.models import NaturalKeyManager, limited_text, text_length_checks
from councils.models import Area, Council
from needs_survey.models import HelpCategory


class SupportGroupQuerySet(ScopedQuerySet):
    def in_areas(self, areas):
        return self.filter(council__area__in=areas)

    def model_districts(self):
        return self.filter(model_number__isnull=False)

    def with_registered_counts(self):
        """Annotate ``registered_supporters``: the group's active supporters in the system.

        A correlated subquery rather than a join with GROUP BY: the database then counts only
        the groups a page shows (or sums), instead of joining every supporter of the city first
        (at 30,000 supporters the join took most of the group list's time)."""
        active = (
            Supporter.objects.filter(group=OuterRef("pk"), active=True)
            .order_by()
            .values("group")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            registered_supporters=Coalesce(Subquery(active), 0, output_field=IntegerField())
        )

    def with_latest_reported_count(self, until=None):
        """Annotate ``reported_count``, ``reported_as_of`` and ``reported_source``: the group's
        most recent reported count (on or before ``until`` when given), None when there is none."""
        latest = SupporterCount.objects.filter(group=OuterRef("pk"))
        if until is not None:
            latest = latest.filter(as_of__lte=until)
        latest = latest.order_by("-as_of")
        return self.annotate(
            reported_count=Subquery(latest.values("count")[:1]),
            reported_as_of=Subquery(latest.values("as_of")[:1]),
            reported_source=Subquery(latest.values("source")[:1]),
        )


class SupportGroupManager(NaturalKeyManager.from_queryset(SupportGroupQuerySet)):
    pass


class SupportGroup(models.Model):
    """A neighbourhood mutual-aid group: one of the 15 model districts (①–⑮) or a newer group.

    Its meetings belong to its tier-3 council (``council``); the area is the council's.
    """

    # The way from a row to its area: who may change it (accounts.access).
    area_path = "council__area"

    name = models.CharField("団体名", max_length=100, unique=True, help_text="例: 城山")
    council = models.OneToOneField(
        Council,
        on_delete=models.PROTECT,
        related_name="support_group",
        verbose_name="第3層協議体",
    )
    district_label = models.CharField(
        "地区(報告書の表記)", max_length=100, help_text="活動状況表の「地区」欄。例: 平 城山"
    )
    model_number = models.PositiveSmallIntegerField(
        "モデル地区番号",
        null=True,
        blank=True,
        unique=True,
        help_text="H27・H28モデル地区①–⑮。新規団体は空欄",
    )
    model_label = models.CharField(
        "モデル地区名", max_length=100, blank=True, help_text="モデル地区一覧での表記。例: 平城山"
    )
    note = limited_text("備考", 2000, blank=True)

    objects = SupportGroupManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "支え合い活動団体"
        verbose_name_plural = "支え合い活動団体"
        ordering = ["council__area__position", "model_number", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(model_number__isnull=True)
                | Q(model_number__gte=1, model_number__lte=15),
                name="activities_supportgroup_model_number_range",
            ),
            *text_length_checks("activities_supportgroup", {"note": 2000}),
        ]

    def __str__(self):
        return self.district_label or self.name

    def get_absolute_url(self):
        return reverse("activities:supportgroup-detail", args=[self.pk])

    def natural_key(self):
        return (self.name,)

    natural_key.dependencies = ["councils.council"]

    @property
    def area(self) -> Area:
        return self.council.area

    @property
    def is_model(self) -> bool:
        return self.model_number is not None

    @property
    def model_mark(self) -> str:
        return chr(0x2460 + self.model_number - 1) if self.model_number else ""

    def latest_reported_count(self):
        """The most recent reported count; uses a prefetched list when there is one."""
        counts = list(self.supporter_counts.all())
        return max(counts, key=lambda c: c.as_of) if counts else None


class ServiceStatus(models.TextChoices):
    UNSPECIFIED = "", "実施または予定"
    RUNNING = "running", "実施中"
    PLANNED = "planned", "予定"


class GroupServiceManager(models.Manager):
    def get_by_natural_key(self, group, position):
        return self.get(group__name=group, position=position)


class GroupService(models.Model):
    """A service a group runs or plans (買い物代行, 電球交換, …), tied to the help categories it answers."""

    group = models.ForeignKey(
        SupportGroup, on_delete=models.CASCADE, related_name="services", verbose_name="団体"
    )
    position = models.PositiveSmallIntegerField("表示順")
    name = models.CharField("サービス", max_length=100)
    status = models.CharField(
        "実施状況",
        max_length=10,
        choices=ServiceStatus.choices,
        blank=True,
        default=ServiceStatus.UNSPECIFIED,
        help_text="2017年の報告書は「実施（予定）」とまとめて記載しており、区別は不明",
    )
    help_categories = models.ManyToManyField(
        HelpCategory, related_name="services", blank=True, verbose_name="手伝ってほしいことの項目"
    )
    started_on = models.DateField(
        "開始日",
        null=True,
        blank=True,
        help_text="サービスを始めた日。わからなければ空欄 (2017年の報告書には記載なし)",
    )

    objects = GroupServiceManager()

    class Meta:
        verbose_name = "実施(予定)サービス"
        verbose_name_plural = "実施(予定)サービス"
        ordering = ["group", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "position"], name="activities_groupservice_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ServiceStatus.values),
                name="activities_groupservice_status_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (*self.group.natural_key(), self.position)

    natural_key.dependencies = ["activities.supportgroup", "needs_survey.helpcategory"]


class SupporterCountQuerySet(models.QuerySet):
    def latest_per_group(self, until=None):
        """Each group's most recent count (on or before ``until`` when given): the figures
        the lists sum. Filter by group before or after; either way one row per group.

        An anti-join (no later row of the same group), so that sums and distinct dates are
        left to the database instead of reading every group's row into Python."""
        counts = self
        later = SupporterCount.objects.filter(group=OuterRef("group"), as_of__gt=OuterRef("as_of"))
        if until is not None:
            counts = counts.filter(as_of__lte=until)
            later = later.filter(as_of__lte=until)
        return counts.exclude(Exists(later))


class SupporterCountManager(models.Manager.from_queryset(SupporterCountQuerySet)):
    def get_by_natural_key(self, group, as_of):
        return self.get(group__name=group, as_of=as_of)


class SupporterCount(models.Model):
    """A group's registered supporter count as reported on a date (登録サポーター数)."""

    group = models.ForeignKey(
        SupportGroup, on_delete=models.CASCADE, related_name="supporter_counts", verbose_name="団体"
    )
    count = models.PositiveIntegerField("登録サポーター数")
    as_of = models.DateField("時点")
    source = models.CharField("出典", max_length=200)

    objects = SupporterCountManager()

    class Meta:
        verbose_name = "登録サポーター数(報告値)"
        verbose_name_plural = "登録サポーター数(報告値)"
        ordering = ["group", "-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "as_of"], name="activities_supportercount_unique_date"
            ),
        ]

    def __str__(self):
        return f"{self.group} {self.count}人 ({self.as_of})"

    def natural_key(self):
        return (*self.group.natural_key(), self.as_of.isoformat())

    natural_key.dependencies = ["activities.supportgroup"]


class SupporterQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(active=True)

    def matching(self, words: str):
        """Supporters whose name or kana contains ``words``, however spaced and written
        (full- or half-width, hiragana or katakana): the one search of the supporter list
        and the admin."""
        from core.spreadsheets import ValueProblem, normalise_kana

        words = words.strip()
        if not words:
            return self
        condition = Q(name_key__contains=Supporter.normalise_name(words))
        try:
            kana = "".join(normalise_kana(words).split())
        except ValueProblem:
            kana = None
        if kana:
            condition |= Q(kana__contains=kana) | Q(kana__contains=normalise_kana(words))
        return self.filter(condition)

    def in_areas(self, areas):
        return self.filter(group__council__area__in=areas)


class Supporter(models.Model):
    """A registered supporter (サポーター). Personal data: who may see it is docs/security.md,
    "Personal data"."""

    # The way from a row to its area: who may change it (accounts.access).
    area_path = "group__council__area"
    holds_personal_data = True

    group = models.ForeignKey(
        SupportGroup, on_delete=models.PROTECT, related_name="supporters", verbose_name="団体"
    )
    name = models.CharField("氏名", max_length=100)
    name_key = models.CharField(
        "照合用氏名",
        max_length=100,
        editable=False,
        help_text="正規化し空白を除いた氏名。同じ団体で同一人物かの判定に使う",
    )
    kana = models.CharField("フリガナ", max_length=100, blank=True)
    phone = models.CharField("電話番号", max_length=50, blank=True)
    address = models.CharField("住所", max_length=200, blank=True)
    birth_date = models.DateField("生年月日", null=True, blank=True)
    registered_on = models.DateField("登録日", null=True, blank=True)
    active = models.BooleanField("登録中", default=True)
    ended_on = models.DateField(
        "登録終了日",
        null=True,
        blank=True,
        help_text="登録を終えた日。登録中なら空欄。終えた日が記録されていなければ空欄のまま不明と表示",
    )
    help_categories = models.ManyToManyField(
        HelpCategory, related_name="supporters", blank=True, verbose_name="できること"
    )
    note = limited_text("備考", 1000, blank=True)

    objects = SupporterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "サポーター"
        verbose_name_plural = "サポーター"
        ordering = ["group", "kana", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "name_key"], name="activities_supporter_unique_name_in_group"
            ),
            *text_length_checks("activities_supporter", {"note": 1000}),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = self.normalise_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("activities:supporter-detail", args=[self.pk])

    @staticmethod
    def normalise_name(name: str) -> str:
        import unicodedata

        return "".join(unicodedata.normalize("NFKC", name or "").split())


class FigureCategory(models.TextChoices):
    PROFILE = "profile", "基礎データ"
    COMMUNITY_CARE = "community_care", "地域包括ケアの体制"
    MODEL_PROJECT = "model_project", "モデル事業"
    OUTCOME = "outcome", "取組の成果"


class KeyFigureQuerySet(models.QuerySet):
    def latest_per_key(self, fiscal_year=None):
        """Each figure's value for the report of ``fiscal_year``: the one recorded for the most
        recent year up to it (all years when None). One row per key; an anti-join, as
        ``SupporterCount.objects.latest_per_group``."""
        rows = self
        later = KeyFigure.objects.filter(
            key=OuterRef("key"), report_year__gt=OuterRef("report_year")
        )
        if fiscal_year is not None:
            rows = rows.filter(report_year__lte=fiscal_year)
            later = later.filter(report_year__lte=fiscal_year)
        return rows.exclude(Exists(later))


class KeyFigureManager(models.Manager.from_queryset(KeyFigureQuerySet)):
    def get_by_natural_key(self, key, report_year):
        return self.get(key=key, report_year=report_year)


class KeyFigure(models.Model):
    """A figure of the city profile or of the programme's outcomes, as recorded for one fiscal
    year's report, with its date and source.

    One row per figure (``key``) and year: the report of a year shows, for each figure, the
    row of that year, or else the latest earlier one, saying which (``latest_per_key``).
    """

    key = models.SlugField(
        "識別子", max_length=80, help_text="同じ項目の年度ごとの値は同じ識別子で記録する"
    )
    report_year = models.PositiveSmallIntegerField(
        "記録の年度",
        help_text="この値を載せる報告書の年度 (平成29年度は2017)。時点は下の「時点」欄",
    )
    category = models.CharField("区分", max_length=20, choices=FigureCategory.choices)
    position = models.PositiveSmallIntegerField("表示順")
    label = models.CharField("項目", max_length=200)
    value = models.DecimalField(
        "値",
        max_digits=14,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="数値がない項目は空欄",
    )
    unit = models.CharField("単位", max_length=20, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(
        "対象年度", null=True, blank=True, help_text="値が特定の年度のもの (例: H27の事業費)"
    )
    as_of = models.DateField("時点", null=True, blank=True)
    as_of_text = models.CharField(
        "時点(報告書の表記)", max_length=100, blank=True, help_text="例: H29.10.1現在、H29.9月末"
    )
    source = models.CharField("出典", max_length=200, blank=True)
    note = models.CharField("注記", max_length=200, blank=True)

    objects = KeyFigureManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "主要数値"
        verbose_name_plural = "主要数値"
        ordering = ["category", "position", "-report_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=FigureCategory.values),
                name="activities_keyfigure_category_valid",
            ),
            models.UniqueConstraint(
                fields=["key", "report_year"], name="activities_keyfigure_one_per_year"
            ),
        ]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.key, self.report_year)

    @property
    def display_value(self) -> str:
        """The value as the report writes it: 327,491, 29.2; whole numbers without a decimal."""
        if self.value is None:
            return ""
        if self.value == self.value.to_integral_value():
            return f"{int(self.value):,}"
        return f"{self.value:,}"


class NoteTopic(models.TextChoices):
    PROFILE = "profile", "管内の特徴"
    COMMUNITY_CARE = "community_care", "いわき版・地域包括ケアの推進"
    COUNCIL_BACKGROUND = "council_background", "協議体の設置までの経緯"
    COORDINATOR_SETUP = "coordinator_setup", "コーディネーターの設置状況"
    COORDINATOR_BACKGROUND = "coordinator_background", "コーディネーターの設置までの経緯"
    COORDINATOR_ACTIVITY = "coordinator_activity", "コーディネーターの活動の状況"
    COORDINATOR_EFFECT = "coordinator_effect", "コーディネーターを設置したことによる効果"
    PLAN_AHEAD = "plan_ahead", "今後の予定"
    PUBLISHING = "publishing", "情報発信(いごく)"


class ProgrammeNoteQuerySet(models.QuerySet):
    def of_year(self, fiscal_year):
        return self.filter(report_year=fiscal_year)


class ProgrammeNoteManager(models.Manager.from_queryset(ProgrammeNoteQuerySet)):
    def get_by_natural_key(self, topic, report_year, position):
        return self.get(topic=topic, report_year=report_year, position=position)


class ProgrammeNote(models.Model):
    """A statement of a year's report that is prose, not a figure: background, effects, the
    plan ahead. 今後の予定 is one text per year, written by city staff."""

    topic = models.CharField("項目", max_length=30, choices=NoteTopic.choices)
    report_year = models.PositiveSmallIntegerField(
        "記録の年度", help_text="この記述を載せる報告書の年度 (平成29年度は2017)"
    )
    position = models.PositiveSmallIntegerField("表示順")
    text = limited_text("内容", 10_000)
    as_of = models.DateField("時点", null=True, blank=True)
    source = models.CharField("出典", max_length=200, blank=True)

    objects = ProgrammeNoteManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "事業の記述"
        verbose_name_plural = "事業の記述"
        ordering = ["report_year", "topic", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "report_year", "position"],
                name="activities_programmenote_unique_position",
            ),
            models.UniqueConstraint(
                fields=["report_year"],
                condition=Q(topic="plan_ahead"),
                name="activities_programmenote_one_plan_per_year",
            ),
            models.CheckConstraint(
                condition=Q(topic__in=NoteTopic.values), name="activities_programmenote_topic_valid"
            ),
            *text_length_checks("activities_programmenote", {"text": 10_000}),
        ]

    def __str__(self):
        return f"{self.report_year}年度 {self.get_topic_display()} {self.position}"

    def natural_key(self):
        return (self.topic, self.report_year, self.position)


class ImportSource(models.TextChoices):
    WEB = "web", "取込画面"
    ADMIN = "admin", "管理サイト"
    COMMAND = "command", "コマンド"


class SupporterImportQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Imports whose every group ``user`` may see the personal data of (docs/security.md,
        "Roles"): a record names its file and groups, so an import that touched another
        area's group is not shown, even if it touched one of the user's too. An import that
        touched no group is for administrators only."""
        allowed = SupportGroup.objects.with_personal_data_for(user).values("pk")
        outside = SupporterImport.groups.through.objects.exclude(supportgroup__in=allowed)
        return (
            super().visible_to(user).exclude(pk__in=outside.values("supporterimport_id")).distinct()
        )


class SupporterImport(models.Model):
    """One completed import of a supporter list: who, when, which file, what it did.

    Only imports that wrote (or, for a dry run, would have written) nothing but succeeded
    are recorded; a file with errors writes nothing and leaves no record here.
    """

    # The way from a row to its area: who may change it (accounts.access).
    area_path = "groups__council__area"
    holds_personal_data = True

    at = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="取込者",
        help_text="コマンドからの取込では空欄",
    )
    source = models.CharField("取込方法", max_length=10, choices=ImportSource.choices)
    file_name = models.CharField("ファイル名", max_length=255)
    checksum = models.CharField("チェックサム(SHA-256)", max_length=64)
    groups = models.ManyToManyField(
        SupportGroup, related_name="imports", blank=True, verbose_name="団体"
    )
    rows = models.PositiveIntegerField("行数", default=0, help_text="見出しより下の空白でない行")
    created = models.PositiveIntegerField("新規", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("変更なし", default=0)
    duplicates = models.PositiveIntegerField(
        "重複行", default=0, help_text="同じ内容の行が重ねて書かれていたため1件として取り込んだ行"
    )
    ended = models.PositiveIntegerField(
        "登録終了",
        default=0,
        help_text="この取込で登録を終えたサポーター（状態が登録終了の行と、選んだときはファイルにない人）",
    )

    objects = SupporterImportQuerySet.as_manager()

    class Meta:
        verbose_name = "サポーター名簿の取込"
        verbose_name_plural = "サポーター名簿の取込"
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=ImportSource.values),
                name="activities_supporterimport_source_valid",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("activities:supporterimport-detail", args=[self.pk])


# How long a preview can be confirmed; after that it is purged (next preview, or the
# purge_import_previews command) and a confirmation is refused.
PREVIEW_LIFETIME = timedelta(hours=12)


class PendingImportQuerySet(models.QuerySet):
    def stale(self, now=None):
        """Previews older than ``PREVIEW_LIFETIME``: they can no longer be confirmed."""
        return self.filter(created__lt=(now or timezone.now()) - PREVIEW_LIFETIME)


class PendingImport(models.Model):
    """A previewed import waiting for its confirmation: the rows as validated, server-side.

    Confirming imports exactly these rows, and only if planning them again against the
    database gives the same actions (``digest``). Deleted on confirmation; after
    ``PREVIEW_LIFETIME`` (12 hours) it can no longer be confirmed and is deleted by the next
    preview of anyone or by the ``purge_import_previews`` command (cron), so personal data
    does not linger here.
    """

    token = models.UUIDField("識別子", unique=True, default=uuid.uuid4, editable=False)
    created = models.DateTimeField("作成日時", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="取込者"
    )
    file_name = models.CharField("ファイル名", max_length=255)
    checksum = models.CharField("チェックサム(SHA-256)", max_length=64)
    digest = models.CharField("確認内容のハッシュ", max_length=64)
    payload = models.JSONField("検証済みの行")

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        verbose_name = "確認待ちの取込"
        verbose_name_plural = "確認待ちの取込"
        ordering = ["-created"]

    def __str__(self):
        return f"{self.file_name} ({self.created:%Y-%m-%d %H:%M})"

    def expired(self, now=None) -> bool:
        return self.created < (now or timezone.now()) - PREVIEW_LIFETIME

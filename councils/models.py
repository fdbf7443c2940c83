"""Areas, councils (協議体) and their meetings."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.access import ScopedQuerySet
from core import wareki
from core.models import NaturalKeyManager, limited_text, text_length_checks


class District(models.Model):
    """One of the 7 districts of the social welfare council (地区協議会), grouping areas."""

    name = models.CharField("地区名", max_length=50, unique=True)
    position = models.PositiveSmallIntegerField("表示順", help_text="報告書での並び順")

    objects = NaturalKeyManager()

    class Meta:
        verbose_name = "地区"
        verbose_name_plural = "地区"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["position"], name="councils_district_unique_position"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class AreaQuerySet(ScopedQuerySet):
    def in_district(self, district):
        return self.filter(district=district)


class AreaManager(NaturalKeyManager.from_queryset(AreaQuerySet)):
    pass


class Area(models.Model):
    """One of the 13 former municipality areas (旧市町村圏域); each has one tier-2 council."""

    # The way from a row to its area: who may change it (accounts.access).
    area_path = "pk"

    name = models.CharField("圏域名", max_length=50, unique=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="areas", verbose_name="地区"
    )
    position = models.PositiveSmallIntegerField("表示順", help_text="報告書での並び順")

    objects = AreaManager()

    class Meta:
        verbose_name = "圏域"
        verbose_name_plural = "圏域"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["position"], name="councils_area_unique_position"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("councils:area-detail", args=[self.pk])

    def natural_key(self):
        return (self.name,)

    natural_key.dependencies = ["councils.district"]


class OrganisationType(models.Model):
    """A kind of member organisation of a council (社会福祉協議会, 民生児童委員協議会, …)."""

    name = models.CharField("団体種別", max_length=100, unique=True)
    position = models.PositiveSmallIntegerField("表示順")

    objects = NaturalKeyManager()

    class Meta:
        verbose_name = "構成団体の種別"
        verbose_name_plural = "構成団体の種別"
        ordering = ["position"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class Tier(models.IntegerChoices):
    FIRST = 1, "第1層"
    SECOND = 2, "第2層"
    THIRD = 3, "第3層"


class CouncilQuerySet(ScopedQuerySet):
    def tier(self, tier):
        return self.filter(tier=tier)

    def established(self):
        return self.filter(is_established=True)


class CouncilManager(NaturalKeyManager.from_queryset(CouncilQuerySet)):
    pass


class Council(models.Model):
    """A council (協議体): tier 1 city-wide, tier 2 one per area, tier 3 one per support group.

    A tier-3 council is the forum of a support group (activities.SupportGroup points at it),
    so every meeting, of whichever tier, belongs to exactly one Council.
    """

    # The way from a row to its area: who may change it (accounts.access).
    area_path = "area"

    name = models.CharField("名称", max_length=100, unique=True)
    tier = models.PositiveSmallIntegerField("層", choices=Tier.choices)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="councils",
        null=True,
        blank=True,
        verbose_name="圏域",
        help_text="第1層(市全域)は空欄",
    )
    is_established = models.BooleanField("設置済み", default=False)
    established_on = models.DateField("設置日", null=True, blank=True)
    member_types = models.ManyToManyField(
        OrganisationType,
        through="Membership",
        related_name="councils",
        blank=True,
        verbose_name="構成団体",
    )
    note = limited_text("備考", 2000, blank=True)

    objects = CouncilManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "協議体"
        verbose_name_plural = "協議体"
        ordering = ["tier", "area__position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tier__in=Tier.values), name="councils_council_tier_valid"
            ),
            models.CheckConstraint(
                condition=Q(tier=Tier.FIRST, area__isnull=True)
                | Q(tier__in=[Tier.SECOND, Tier.THIRD], area__isnull=False),
                name="councils_council_area_matches_tier",
            ),
            models.CheckConstraint(
                condition=Q(established_on__isnull=True) | Q(is_established=True),
                name="councils_council_date_only_when_established",
            ),
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(tier=Tier.SECOND),
                name="councils_council_one_tier2_per_area",
            ),
            *text_length_checks("councils_council", {"note": 2000}),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("councils:council-detail", args=[self.pk])

    def natural_key(self):
        return (self.name,)

    natural_key.dependencies = ["councils.area"]


class MembershipManager(models.Manager):
    def get_by_natural_key(self, council, organisation_type):
        return self.get(council__name=council, organisation_type__name=organisation_type)


class Membership(models.Model):
    """That a kind of organisation sits on a council, with how many members when known."""

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="memberships", verbose_name="協議体"
    )
    organisation_type = models.ForeignKey(
        OrganisationType, on_delete=models.PROTECT, related_name="+", verbose_name="団体種別"
    )
    members = models.PositiveSmallIntegerField(
        "人数", null=True, blank=True, help_text="不明な場合は空欄"
    )

    objects = MembershipManager()

    class Meta:
        verbose_name = "構成団体"
        verbose_name_plural = "構成団体"
        ordering = ["council", "organisation_type__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "organisation_type"], name="councils_membership_unique"
            ),
        ]

    def __str__(self):
        return f"{self.council}: {self.organisation_type}"

    def natural_key(self):
        return (*self.council.natural_key(), *self.organisation_type.natural_key())

    natural_key.dependencies = ["councils.council", "councils.organisationtype"]


class SchedulePhaseManager(models.Manager):
    def get_by_natural_key(self, fiscal_year, position):
        return self.get(fiscal_year=fiscal_year, position=position)


class SchedulePhase(models.Model):
    """A phase of a fiscal year's plan: the 1st/2nd/3rd meetings with their themes, or year-round tasks."""

    fiscal_year = models.PositiveSmallIntegerField(
        "年度", help_text="西暦の年度 (平成29年度は2017)"
    )
    position = models.PositiveSmallIntegerField("表示順")
    sequence = models.PositiveSmallIntegerField(
        "回", null=True, blank=True, help_text="第n回の会議。通年の取組は空欄"
    )
    starts_in = models.DateField("開始月", null=True, blank=True, help_text="月の初日。通年は空欄")
    title = models.CharField("内容", max_length=200)
    topics = limited_text("項目", 2000, help_text="1行に1項目")
    note = limited_text("備考", 2000, blank=True)

    objects = SchedulePhaseManager()

    class Meta:
        verbose_name = "年間スケジュール"
        verbose_name_plural = "年間スケジュール"
        ordering = ["fiscal_year", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "position"], name="councils_schedulephase_unique_position"
            ),
            *text_length_checks("councils_schedulephase", {"topics": 2000, "note": 2000}),
        ]

    def __str__(self):
        return f"{self.fiscal_year}年度 {self.title}"

    def natural_key(self):
        return (self.fiscal_year, self.position)

    def topic_list(self):
        return [line.strip() for line in self.topics.splitlines() if line.strip()]


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "予定"
    HELD = "held", "開催済み"
    CANCELLED = "cancelled", "中止"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "下書き"
    CONFIRMED = "confirmed", "確定"


class MeetingQuerySet(ScopedQuerySet):
    def held(self):
        return self.filter(status=MeetingStatus.HELD)

    def planned(self):
        return self.filter(status=MeetingStatus.PLANNED)

    def in_fiscal_year(self, fiscal_year):
        return self.filter(fiscal_year=fiscal_year)

    def in_areas(self, areas):
        return self.filter(council__area__in=areas)

    def due(self, today):
        """Planned meetings whose date is today or past, or whose month is over: what happened
        is still to be recorded (Meeting.is_due)."""
        return self.planned().filter(
            Q(held_on__lte=today) | Q(held_on__isnull=True, planned_month__lt=today.replace(day=1))
        )

    def upcoming(self, today):
        """Planned meetings still ahead: a date after today, or a month not yet over."""
        return self.planned().filter(
            Q(held_on__gt=today) | Q(held_on__isnull=True, planned_month__gte=today.replace(day=1))
        )

    def for_calendar(self):
        """Planned and held meetings with a date: a month-only plan is not yet a calendar event."""
        return self.filter(
            status__in=[MeetingStatus.HELD, MeetingStatus.PLANNED], held_on__isnull=False
        ).select_related("council__area")


class MeetingManager(models.Manager.from_queryset(MeetingQuerySet)):
    def get_by_natural_key(self, council, fiscal_year, sequence):
        return self.get(council__name=council, fiscal_year=fiscal_year, sequence=sequence)


class Meeting(models.Model):
    """A meeting of a council: 第n回 of a fiscal year, planned for a month or held on a date."""

    # The way from a row to its area: who may change it (accounts.access).
    area_path = "council__area"

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="meetings", verbose_name="協議体"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        "年度", help_text="西暦の年度 (平成29年度は2017)"
    )
    sequence = models.PositiveSmallIntegerField("回", help_text="その年度の第n回")
    status = models.CharField(
        "状況", max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    planned_month = models.DateField(
        "予定月", null=True, blank=True, help_text="予定の月の初日 (日付が未定のとき)"
    )
    held_on = models.DateField("開催日", null=True, blank=True)
    starts_at = models.TimeField("開始時刻", null=True, blank=True)
    venue = models.CharField("会場", max_length=200, blank=True)
    attendance = models.PositiveIntegerField("出席者数", null=True, blank=True)
    organisations_present = models.ManyToManyField(
        OrganisationType, blank=True, related_name="+", verbose_name="出席した構成団体"
    )
    # Long enough for a full record of the meeting, far short of what would hold a worker.
    agenda = limited_text("議題", 2000, blank=True)
    summary = limited_text("概要", 10_000, blank=True)
    needs_found = limited_text("把握したニーズ", 5000, blank=True)
    # Blank is unknown (「—」): what nobody recorded is not a draft (the 2017 report says
    # nothing of minutes).
    minutes_status = models.CharField(
        "議事録",
        max_length=10,
        choices=MinutesStatus.choices,
        blank=True,
        default="",
        help_text="記録していなければ空欄(不明)",
    )
    version = models.PositiveIntegerField(
        "版", default=1, editable=False, help_text="同時編集による上書きを防ぐための版数"
    )

    objects = MeetingManager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = "会議"
        verbose_name_plural = "会議"
        ordering = ["fiscal_year", "council__tier", "council__area__position", "sequence"]
        # A fiscal year's meetings across councils (the status table, the schedule, the home
        # page) and the list of years with records (read by a loose index scan).
        indexes = [models.Index(fields=["fiscal_year"], name="councils_meeting_fiscal_year")]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "fiscal_year", "sequence"],
                name="councils_meeting_unique_sequence",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="councils_meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(minutes_status__in=["", *MinutesStatus.values]),
                name="councils_meeting_minutes_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=MeetingStatus.HELD) | Q(held_on__isnull=False),
                name="councils_meeting_held_has_date",
            ),
            models.CheckConstraint(
                condition=Q(sequence__gte=1), name="councils_meeting_sequence_positive"
            ),
            *text_length_checks(
                "councils_meeting", {"agenda": 2000, "summary": 10_000, "needs_found": 5000}
            ),
        ]

    def __str__(self):
        try:
            year = wareki.format_fiscal_year(self.fiscal_year)
        except wareki.WarekiError:
            year = f"{self.fiscal_year}年度"
        return f"{self.council} {year} 第{self.sequence}回"

    def get_absolute_url(self):
        return reverse("councils:meeting-detail", args=[self.pk])

    def natural_key(self):
        return (*self.council.natural_key(), self.fiscal_year, self.sequence)

    natural_key.dependencies = ["councils.council"]

    @property
    def date(self):
        """The date held, or else the planned month: what a schedule shows."""
        return self.held_on or self.planned_month

    @property
    def area(self):
        return self.council.area

    # Set by clean() when the held rule changed the status, so that the page can say so.
    held_by_date = False

    def apply_held_rule(self, today=None):
        """A meeting dated today or earlier that was not cancelled has been held: a 予定 left
        untouched must not report a held meeting as not held. Returns whether it changed."""
        today = today or timezone.localdate()
        if self.status == MeetingStatus.PLANNED and self.held_on and self.held_on <= today:
            self.status = MeetingStatus.HELD
            self.held_by_date = True
            return True
        return False

    @property
    def is_due(self) -> bool:
        """Planned, and its date has come or its month has passed: what happened is still to
        be recorded (MeetingQuerySet.due)."""
        if self.status != MeetingStatus.PLANNED:
            return False
        today = timezone.localdate()
        if self.held_on:
            return self.held_on <= today
        if self.planned_month:
            return self.planned_month < today.replace(day=1)
        return False

    def clean(self):
        errors = {}
        self.apply_held_rule()
        if self.status == MeetingStatus.HELD:
            if self.held_on is None:
                errors["held_on"] = "開催済みの会議には開催日を入力してください。"
            elif self.held_on > timezone.localdate():
                errors["held_on"] = (
                    "開催日が未来の日付です。まだ開かれていない会議は「予定」にしてください。"
                )
        if self.status == MeetingStatus.PLANNED and self.minutes_status == MinutesStatus.CONFIRMED:
            errors["minutes_status"] = (
                "予定の会議の議事録は確定できません。開催後に確定してください。"
            )
        if self.planned_month and self.planned_month.day != 1:
            self.planned_month = self.planned_month.replace(day=1)
        if errors:
            raise ValidationError(errors)

    def sequence_taken(self) -> bool:
        """Whether another meeting of the same council and fiscal year has this 第n回."""
        return (
            Meeting.objects.filter(
                council_id=self.council_id, fiscal_year=self.fiscal_year, sequence=self.sequence
            )
            .exclude(pk=self.pk)
            .exists()
        )

    def next_sequence(self) -> int:
        last = (
            Meeting.objects.filter(council_id=self.council_id, fiscal_year=self.fiscal_year)
            .exclude(pk=self.pk)
            .aggregate(models.Max("sequence"))["sequence__max"]
        )
        return (last or 0) + 1


class OpinionKind(models.TextChoices):
    OPINION = "opinion", "意見"
    NEED = "need", "ニーズ・困り事"


class ResponseStatus(models.TextChoices):
    """Where an opinion or need stands: from 困り事 to 対応策 (the FY2017 third meetings)."""

    OPEN = "open", "未対応"
    EXISTING_SERVICE = "existing_service", "既存サービスで対応"
    GROUP = "group", "団体が対応"
    MEASURE = "measure", "対応策を決定"


class OpinionQuerySet(ScopedQuerySet):
    def in_fiscal_year(self, fiscal_year):
        return self.filter(fiscal_year=fiscal_year)

    def main(self):
        """The opinions marked 主な意見: those the year's report lists."""
        return self.filter(is_main=True)

    def open(self):
        """Open items: still 未対応 and not carried on by a later opinion (whose status then
        speaks for the item), so an item followed across meetings counts once."""
        later = Opinion.objects.filter(follows=models.OuterRef("pk"))
        return self.filter(status=ResponseStatus.OPEN).exclude(models.Exists(later))

    def in_areas(self, areas):
        return self.filter(meeting__council__area__in=areas)

    def open_counts_by_area(self):
        """{area_id: number of open opinions and needs raised in that area's meetings}."""
        rows = (
            self.open()
            .filter(meeting__isnull=False)
            .values("meeting__council__area")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {row["meeting__council__area"]: row["n"] for row in rows}


class OpinionManager(models.Manager.from_queryset(OpinionQuerySet)):
    def get_by_natural_key(self, fiscal_year, position):
        return self.get(fiscal_year=fiscal_year, meeting=None, position=position)


class Opinion(models.Model):
    """Something said in a meeting, or (meeting empty) across the councils of a fiscal year."""

    # The way from a row to its area: who may change it (accounts.access).
    area_path = "meeting__council__area"

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="opinions",
        null=True,
        blank=True,
        verbose_name="会議",
        help_text="特定の会議でなく協議体全体で出された意見は空欄",
    )
    fiscal_year = models.PositiveSmallIntegerField("年度")
    position = models.PositiveSmallIntegerField("表示順", default=1)
    kind = models.CharField(
        "種類", max_length=10, choices=OpinionKind.choices, default=OpinionKind.OPINION
    )
    text = limited_text("意見", 2000)
    status = models.CharField(
        "対応状況",
        max_length=20,
        choices=ResponseStatus.choices,
        default=ResponseStatus.OPEN,
        help_text="未対応のものは圏域のページと状況一覧に表示されます",
    )
    response = limited_text(
        "対応の内容", 2000, blank=True, help_text="どの既存サービス・団体・対応策で応えたか"
    )
    follows = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_by",
        verbose_name="前回の意見",
        help_text="以前の会議で出た同じ意見・ニーズの続きであれば選ぶ",
    )
    is_main = models.BooleanField(
        "主な意見",
        default=False,
        help_text="その年度の「市町村の取組」に「協議体において出された主な意見」として載せる",
    )
    # Small updates (the status alone, from a list or the home page) check this version;
    # every change also raises the meeting's, so that an open meeting form notices
    # (docs/decisions/0019-versions-for-small-updates.md).
    version = models.PositiveIntegerField(
        "版", default=1, editable=False, help_text="同時編集による上書きを防ぐための版数"
    )

    objects = OpinionManager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = "意見"
        verbose_name_plural = "意見"
        ordering = ["fiscal_year", "meeting_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OpinionKind.values), name="councils_opinion_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ResponseStatus.values), name="councils_opinion_status_valid"
            ),
            *text_length_checks("councils_opinion", {"text": 2000, "response": 2000}),
        ]

    def __str__(self):
        return self.text[:40]

    def get_absolute_url(self):
        if self.meeting_id:
            return f"{self.meeting.get_absolute_url()}#opinion-{self.pk}"
        return reverse("councils:opinion-list")

    def natural_key(self):
        return (self.fiscal_year, self.position)

    @property
    def is_open(self) -> bool:
        return self.status == ResponseStatus.OPEN

    def thread(self):
        """This opinion's line across meetings: earlier ones first, then the later ones."""
        earlier, seen, node = [], {self.pk}, self.follows
        while node is not None and node.pk not in seen:
            earlier.insert(0, node)
            seen.add(node.pk)
            node = node.follows
        later, frontier = [], list(self.followed_by.all())
        while frontier:
            node = frontier.pop(0)
            if node.pk in seen:
                continue
            seen.add(node.pk)
            later.append(node)
            frontier.extend(node.followed_by.all())
        return earlier, later


class FollowUpQuerySet(ScopedQuerySet):
    def pending(self):
        return self.filter(done=False)

    def in_areas(self, areas):
        return self.filter(meeting__council__area__in=areas)

    def overdue(self, today):
        return self.pending().filter(due_on__lt=today)

    def by_due_date(self):
        """Earliest due first, so the overdue ones lead; those without a date last."""
        return self.order_by(
            models.F("due_on").asc(nulls_last=True), "meeting__held_on", "position", "pk"
        )


class FollowUp(models.Model):
    """A follow-up action agreed in a meeting: what, who, by when, and whether it is done."""

    # The way from a row to its area: who may change it (accounts.access).
    area_path = "meeting__council__area"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="follow_ups", verbose_name="会議"
    )
    action = limited_text("取組内容", 1000)
    assignee = models.CharField("担当", max_length=100, blank=True, help_text="団体名や役職")
    due_on = models.DateField("期限", null=True, blank=True)
    done = models.BooleanField("完了", default=False)
    position = models.PositiveSmallIntegerField("表示順", default=1)
    # See Opinion.version.
    version = models.PositiveIntegerField(
        "版", default=1, editable=False, help_text="同時編集による上書きを防ぐための版数"
    )

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = "今後の取組"
        verbose_name_plural = "今後の取組"
        ordering = ["meeting", "position", "pk"]
        constraints = [*text_length_checks("councils_followup", {"action": 1000})]

    def __str__(self):
        return self.action[:40]

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#follow-up-{self.pk}"

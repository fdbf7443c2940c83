"""The coordinators' activity journal (活動記録) and their yearly issues and proposals.

A journal entry is one thing a coordinator did beyond the councils' meetings: a visit, a
meeting attended, a resource found or started, a training. It says what kind of work it was
(``ActivityKind``) and what it led to, in the terms of the national survey's questions
(``SurveyCategory``: needs grasped, resources grasped, …), so that a fiscal year's 活動実績
is a count, not a rewrite.

It holds no resident's personal data: a summary names no resident, no telephone number, no
address (the form says so and warns when a summary looks like one; ``core.privacy``).
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from accounts.access import ScopedQuerySet
from activities.models import SupportGroup
from coordinators.models import Coordinator
from core import wareki
from councils.models import Area, Council


class ActivityKind(models.TextChoices):
    """What kind of work an entry records (the issue's list, in the coordinators' words)."""

    VISIT = "visit", "訪問・相談"
    MEETING = "meeting", "会議への出席"
    CARE_MEETING = "care_meeting", "地域ケア会議"
    RESOURCE_SURVEY = "resource_survey", "資源の把握"
    RESOURCE_DEVELOPMENT = "resource_development", "資源の開発・立ち上げ支援"
    SUPPORTER_TRAINING = "supporter_training", "担い手の養成"
    PUBLICITY = "publicity", "情報発信"
    MATCHING = "matching", "ニーズと支援のマッチング"
    OTHER = "other", "その他"


@dataclass(frozen=True)
class SurveyCategory:
    """One of the national survey's questions on what coordinators did in the year, and the
    field of ``JournalEntry`` that says an entry led to it."""

    code: str
    field: str
    label: str
    # The kind of entry that usually leads to it: the form ticks it when that kind is chosen.
    usual_kind: str | None


SURVEY_CATEGORIES = (
    SurveyCategory("needs", "led_to_needs", "ニーズの把握", ActivityKind.VISIT),
    SurveyCategory("resources", "led_to_resources", "地域資源の把握", ActivityKind.RESOURCE_SURVEY),
    SurveyCategory("sharing", "led_to_sharing", "情報の共有", ActivityKind.MEETING),
    SurveyCategory(
        "development", "led_to_development", "地域資源の開発", ActivityKind.RESOURCE_DEVELOPMENT
    ),
    SurveyCategory("companies", "led_to_companies", "企業等との連携", None),
    SurveyCategory(
        "supporters", "led_to_supporters", "担い手の養成", ActivityKind.SUPPORTER_TRAINING
    ),
    SurveyCategory(
        "matching", "led_to_matching", "ニーズとサービスのマッチング", ActivityKind.MATCHING
    ),
)
SURVEY_CATEGORY_BY_CODE = {category.code: category for category in SURVEY_CATEGORIES}


def _led_to(label):
    return models.BooleanField(label, default=False)


class JournalEntryQuerySet(ScopedQuerySet):
    def in_fiscal_year(self, fiscal_year):
        first, last = wareki.fiscal_year_bounds(fiscal_year)
        return self.filter(done_on__range=(first, last))

    def by_coordinator(self, coordinator):
        return self.filter(coordinator=coordinator)

    def led_to(self, code):
        return self.filter(**{SURVEY_CATEGORY_BY_CODE[code].field: True})


class JournalEntry(models.Model):
    """One activity of a coordinator: when, what kind, where, with whom, and what it led to."""

    # The way from a row to its areas: who may change it (accounts.access). An entry of
    # several areas is changed by whoever answers for one of them, as a meeting of its area.
    area_path = "areas"

    coordinator = models.ForeignKey(
        Coordinator,
        on_delete=models.PROTECT,
        related_name="journal_entries",
        verbose_name="コーディネーター",
    )
    done_on = models.DateField("日付")
    kind = models.CharField("活動の種類", max_length=30, choices=ActivityKind.choices)
    areas = models.ManyToManyField(Area, related_name="journal_entries", verbose_name="圏域")
    group = models.ForeignKey(
        SupportGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journal_entries",
        verbose_name="関係する団体",
    )
    council = models.ForeignKey(
        Council,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journal_entries",
        verbose_name="関係する協議体",
    )
    summary = models.TextField(
        "概要",
        max_length=1000,
        help_text="何をしたか。住民の氏名・電話番号・住所は書かない",
    )
    outcome = models.TextField(
        "つながったこと", max_length=1000, blank=True, help_text="その結果どうなったか (任意)"
    )
    led_to_needs = _led_to("ニーズの把握")
    led_to_resources = _led_to("地域資源の把握")
    led_to_sharing = _led_to("情報の共有")
    led_to_development = _led_to("地域資源の開発")
    led_to_companies = _led_to("企業等との連携")
    led_to_supporters = _led_to("担い手の養成")
    led_to_matching = _led_to("ニーズとサービスのマッチング")
    created_at = models.DateTimeField("記録日時", auto_now_add=True)

    objects = JournalEntryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "活動記録"
        verbose_name_plural = "活動記録"
        ordering = ["-done_on", "-pk"]
        indexes = [models.Index(fields=["done_on"], name="journal_entry_done_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActivityKind.values), name="journal_journalentry_kind_valid"
            ),
        ]

    def __str__(self):
        try:
            day = wareki.format_date(self.done_on)
        except (wareki.WarekiError, TypeError):
            day = str(self.done_on)
        return f"{day} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("journal:entry-detail", args=[self.pk])

    @property
    def fiscal_year(self):
        return wareki.fiscal_year_of(self.done_on)

    def led_to_labels(self):
        return [c.label for c in SURVEY_CATEGORIES if getattr(self, c.field)]


class YearNoteQuerySet(ScopedQuerySet):
    def in_fiscal_year(self, fiscal_year):
        return self.filter(fiscal_year=fiscal_year)


class YearNoteManager(models.Manager.from_queryset(YearNoteQuerySet)):
    def get_by_natural_key(self, coordinator, fiscal_year):
        return self.get(coordinator__placement=coordinator, fiscal_year=fiscal_year)


class YearNote(models.Model):
    """A coordinator's 今後の課題や提案 for a fiscal year: what the survey asks them to report
    besides the 活動実績."""

    # A coordinator's own words: only that placement (and administrators) change it.
    placement_path = "coordinator"

    coordinator = models.ForeignKey(
        Coordinator,
        on_delete=models.PROTECT,
        related_name="year_notes",
        verbose_name="コーディネーター",
    )
    fiscal_year = models.PositiveSmallIntegerField(
        "年度", help_text="西暦の年度 (平成29年度は2017)"
    )
    issues_and_proposals = models.TextField(
        "今後の課題や提案", help_text="住民の氏名・電話番号・住所は書かない"
    )

    objects = YearNoteManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "今後の課題や提案"
        verbose_name_plural = "今後の課題や提案"
        ordering = ["fiscal_year", "coordinator__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["coordinator", "fiscal_year"], name="journal_yearnote_one_per_year"
            ),
        ]

    def __str__(self):
        try:
            year = wareki.format_fiscal_year(self.fiscal_year)
        except wareki.WarekiError:
            year = f"{self.fiscal_year}年度"
        return f"{self.coordinator} {year} 今後の課題や提案"

    def natural_key(self):
        return (*self.coordinator.natural_key(), self.fiscal_year)

    natural_key.dependencies = ["coordinators.coordinator"]

"""The needs survey (地域ニーズ調査): the 13 help categories, how a community classifies them,
and each council's survey of a fiscal year with its per-category results.

The computations that pages and exports share (the area × category matrix, the comparison of
two fiscal years, "start with what you can do" and its gaps, survey progress per area) are
QuerySet methods here, returning small dataclasses that templates and exports read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from accounts.access import ScopedQuerySet
from core.models import limited_text, text_length_checks
from core.wareki import WarekiError, fiscal_year_bounds, format_date, format_fiscal_year
from councils.models import Area, Council, Opinion, Tier


class Classification(models.TextChoices):
    """How a council judges a kind of help: groups start from what they can do (できる)."""

    CAN = "can", "できる"
    NEEDS_INGENUITY = "ingenuity", "工夫必要"
    DIFFICULT = "difficult", "難しい"


# The CSS class (static/css/site.css) of each classification; "" is "not classified yet".
CLASSIFICATION_CSS = {
    Classification.CAN: "class-can",
    Classification.NEEDS_INGENUITY: "class-ingenuity",
    Classification.DIFFICULT: "class-difficult",
    "": "class-none",
}


class HelpCategoryManager(models.Manager):
    def get_by_natural_key(self, number):
        return self.get(number=number)


class HelpCategory(models.Model):
    """One of the 13 kinds of help residents asked for (手伝ってほしいこと), ①–⑬."""

    number = models.PositiveSmallIntegerField("番号", unique=True)
    name = models.CharField("項目", max_length=50, unique=True)
    # Declared here rather than on Opinion so that councils does not depend on needs_survey.
    opinions = models.ManyToManyField(
        Opinion, related_name="help_categories", blank=True, verbose_name="関連する意見"
    )

    objects = HelpCategoryManager()

    class Meta:
        verbose_name = "手伝ってほしいこと(項目)"
        verbose_name_plural = "手伝ってほしいこと(項目)"
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1), name="needs_survey_helpcategory_number_positive"
            ),
        ]

    def __str__(self):
        return f"{self.circled_number}{self.name}"

    def natural_key(self):
        return (self.number,)

    @property
    def circled_number(self):
        """①–⑳ as the report writes them."""
        if 1 <= self.number <= 20:
            return chr(0x2460 + self.number - 1)
        return f"({self.number})"


# --- Surveys ----------------------------------------------------------------------------------


class SurveyQuerySet(ScopedQuerySet):
    def in_fiscal_year(self, fiscal_year):
        return self.filter(fiscal_year=fiscal_year)

    def of_areas(self):
        """Surveys of a whole area, run by its tier-2 council: what the matrix shows."""
        return self.filter(council__tier=Tier.SECOND)

    def of_groups(self):
        return self.filter(council__tier=Tier.THIRD)

    def fiscal_years(self):
        """The fiscal years that have a survey, newest first."""
        return list(self.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct())

    def with_classified_counts(self):
        return self.annotate(
            classified=Count("results", filter=~Q(results__classification="")),
            entered=Count("results"),
        )

    def progress_by_area(self, fiscal_year, areas=None) -> dict[int, SurveyProgress]:
        """The progress of each area's survey in ``fiscal_year``, keyed by area id.

        Every area of ``areas`` (default: all) gets an entry, "not started" when it has no
        survey. Two queries (the surveys, the number of categories), and one for the areas when
        they are not given as a list.
        """
        areas = list(Area.objects.all() if areas is None else areas)
        surveys = {
            survey.council.area_id: survey
            for survey in self.of_areas()
            .in_fiscal_year(fiscal_year)
            .filter(council__area__in=areas)
            .select_related("council")
            .with_classified_counts()
        }
        total = HelpCategory.objects.count()
        return {area.pk: SurveyProgress.of(area, surveys.get(area.pk), total) for area in areas}

    def matrix(self, fiscal_year, areas=None) -> Matrix:
        """The area × category matrix of the area surveys of ``fiscal_year``.

        Rows are ``areas`` (default: all) in their report order, even those without a survey.
        Four queries whatever the number of areas: categories, areas, surveys, results.
        """
        categories = list(HelpCategory.objects.all())
        areas = list((Area.objects.all() if areas is None else areas).select_related("district"))
        surveys = {
            survey.council.area_id: survey
            for survey in self.of_areas()
            .in_fiscal_year(fiscal_year)
            .filter(council__area__in=areas)
            .select_related("council")
            .prefetch_related(Prefetch("results", SurveyResult.objects.order_by()))
        }
        rows = []
        for area in areas:
            survey = surveys.get(area.pk)
            results = survey.results_by_category() if survey else {}
            cells = [MatrixCell(category, results.get(category.pk)) for category in categories]
            rows.append(MatrixRow(area=area, survey=survey, cells=cells))
        return Matrix(fiscal_year=fiscal_year, categories=categories, rows=rows)

    def start_with_what_you_can(self, fiscal_year, areas=None) -> list[CanDoArea]:
        """Per area: the categories its survey of ``fiscal_year`` classified できる, each with
        the tier-3 groups of the area whose services answer it, and the opinions tagged with it.

        A category is a *gap* when residents asked for it (count above zero), the council said
        できる, and no group of the area offers it: the place to start the next group.
        """
        areas = list(Area.objects.all() if areas is None else areas)
        surveys = {
            survey.council.area_id: survey
            for survey in self.of_areas()
            .in_fiscal_year(fiscal_year)
            .filter(council__area__in=areas)
            .select_related("council")
            .prefetch_related(
                Prefetch(
                    "results",
                    SurveyResult.objects.filter(classification=Classification.CAN)
                    .select_related("category")
                    .order_by("category__number"),
                )
            )
        }
        offers = group_offers(areas)
        opinions = opinions_by_category(fiscal_year, areas)
        plan = []
        for area in areas:
            survey = surveys.get(area.pk)
            items = [
                CanDoItem(
                    result=result,
                    groups=offers.get((area.pk, result.category_id), []),
                    opinions=opinions.get((area.pk, result.category_id), []),
                )
                for result in (survey.results.all() if survey else [])
            ]
            plan.append(CanDoArea(area=area, survey=survey, items=items))
        return plan


def annotate_survey_progress(areas, fiscal_year):
    """Annotate an Area queryset with its survey of ``fiscal_year``: ``survey_id``,
    ``survey_classified`` (categories classified) and ``survey_entered`` (rows entered),
    for tables that sort and filter by them in the database."""
    surveys = Survey.objects.of_areas().filter(
        council__area=OuterRef("pk"), fiscal_year=fiscal_year
    )
    results = SurveyResult.objects.filter(
        survey__council__area=OuterRef("pk"),
        survey__council__tier=Tier.SECOND,
        survey__fiscal_year=fiscal_year,
    )
    classified = (
        results.exclude(classification="")
        .order_by()
        .values("survey")
        .annotate(n=Count("pk"))
        .values("n")
    )
    entered = results.order_by().values("survey").annotate(n=Count("pk")).values("n")
    return areas.annotate(
        survey_id=Subquery(surveys.values("pk")[:1]),
        survey_classified=Coalesce(Subquery(classified[:1]), 0),
        survey_entered=Coalesce(Subquery(entered[:1]), 0),
    )


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未着手"
    ENTERED = "entered", "入力中"
    COMPLETE = "complete", "分類済み"


@dataclass(frozen=True)
class SurveyProgress:
    """How far an area's survey of a year has come: 未着手 / 入力中 (n of 13 classified) / 分類済み."""

    area: Area
    survey: Survey | None
    classified: int
    total: int

    @classmethod
    def of(cls, area, survey, total):
        """From a survey annotated by ``with_classified_counts`` (or None)."""
        return cls(area, survey, survey.classified if survey else 0, total)

    @property
    def status(self) -> ProgressStatus:
        if self.survey is None:
            return ProgressStatus.NOT_STARTED
        if self.classified >= self.total:
            return ProgressStatus.COMPLETE
        return ProgressStatus.ENTERED

    @property
    def label(self) -> str:
        """What a table cell says: 未着手, 入力中（5/13項目分類）, 分類済み（13/13項目）."""
        if self.status == ProgressStatus.NOT_STARTED:
            return ProgressStatus.NOT_STARTED.label
        if self.status == ProgressStatus.COMPLETE:
            return f"{ProgressStatus.COMPLETE.label}（{self.total}項目）"
        return f"{ProgressStatus.ENTERED.label}（{self.classified}/{self.total}項目分類）"

    def __str__(self):
        return self.label


class SurveyManager(models.Manager.from_queryset(SurveyQuerySet)):
    def get_by_natural_key(self, council, fiscal_year):
        return self.get(council__name=council, fiscal_year=fiscal_year)


class Survey(models.Model):
    """A council's needs survey of one fiscal year: of a whole area (its tier-2 council) or of
    one support group's neighbourhood (the group's tier-3 council)."""

    # The way from a row to its area: who may change it (accounts.access).
    area_path = "council__area"

    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        related_name="needs_surveys",
        verbose_name="調査した協議体",
        help_text="圏域の調査は第2層協議体、団体(地区)の調査はその第3層協議体",
    )
    fiscal_year = models.PositiveSmallIntegerField(
        "年度", help_text="西暦の年度 (平成29年度は2017)"
    )
    conducted_from = models.DateField("実施期間(開始)", null=True, blank=True)
    conducted_until = models.DateField(
        "実施期間(終了)", null=True, blank=True, help_text="1日で終えた調査は空欄"
    )
    respondents = models.PositiveIntegerField(
        "回答者数", null=True, blank=True, help_text="不明な場合は空欄"
    )
    note = limited_text("備考", 2000, blank=True)
    version = models.PositiveIntegerField(
        "版", default=1, editable=False, help_text="同時編集による上書きを防ぐための版数"
    )

    objects = SurveyManager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = "ニーズ調査"
        verbose_name_plural = "ニーズ調査"
        ordering = ["-fiscal_year", "council__tier", "council__area__position", "council__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "fiscal_year"],
                name="needs_survey_survey_one_per_council_and_year",
                violation_error_message="この協議体のこの年度の調査はすでに登録されています。"
                "一覧から開いて修正してください。",
            ),
            models.CheckConstraint(
                condition=Q(respondents__isnull=True) | Q(respondents__gte=0),
                name="needs_survey_survey_respondents_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(conducted_until__isnull=True)
                | Q(conducted_from__isnull=False, conducted_until__gte=models.F("conducted_from")),
                name="needs_survey_survey_period_in_order",
            ),
            *text_length_checks("needs_survey_survey", {"note": 2000}),
        ]

    def __str__(self):
        return f"{self.council} {format_fiscal_year(self.fiscal_year)} ニーズ調査"

    def get_absolute_url(self):
        return reverse("needs_survey:survey-detail", args=[self.pk])

    def natural_key(self):
        return (*self.council.natural_key(), self.fiscal_year)

    natural_key.dependencies = ["councils.council"]

    def clean(self):
        errors = {}
        if self.council_id and self.council.tier == Tier.FIRST:
            errors["council"] = "ニーズ調査は第2層協議体(圏域)か第3層協議体(団体)ごとに記録します。"
        if self.conducted_until and not self.conducted_from:
            errors["conducted_from"] = "終了日を入れるときは開始日も入力してください。"
        elif (
            self.conducted_until
            and self.conducted_from
            and self.conducted_until < self.conducted_from
        ):
            errors["conducted_until"] = "終了日が開始日より前になっています。"
        errors.update(self._period_outside_fiscal_year())
        if errors:
            raise ValidationError(errors)

    def _period_outside_fiscal_year(self) -> dict[str, str]:
        """The period lies within the survey's fiscal year, as a meeting's date does."""
        try:
            first, last = fiscal_year_bounds(self.fiscal_year)
            label = format_fiscal_year(self.fiscal_year)
        except (TypeError, ValueError, WarekiError):
            return {}  # the fiscal year's own field says what is wrong with it
        errors = {}
        for name in ("conducted_from", "conducted_until"):
            value = getattr(self, name)
            if value and not first <= value <= last:
                errors[name] = (
                    f"{self._meta.get_field(name).verbose_name}が{label}"
                    f"({format_date(first)}〜{format_date(last)})の期間外です。"
                )
        return errors

    @property
    def area(self) -> Area:
        return self.council.area

    @property
    def is_area_survey(self) -> bool:
        return self.council.tier == Tier.SECOND

    def results_by_category(self) -> dict[int, SurveyResult]:
        """This survey's results keyed by category id (uses a prefetch when there is one)."""
        return {result.category_id: result for result in self.results.all()}


class SurveyResultQuerySet(models.QuerySet):
    def in_fiscal_year(self, fiscal_year):
        return self.filter(survey__fiscal_year=fiscal_year)

    def of_areas(self):
        return self.filter(survey__council__tier=Tier.SECOND)

    def classified_as(self, classification):
        return self.filter(classification=classification)

    def asked_for(self):
        """Results where residents asked for the help: a count above zero."""
        return self.filter(requests__gt=0)


@dataclass(frozen=True)
class GroupOffer:
    """A tier-3 group that offers a category, with the names of the services that answer it."""

    group_id: int
    group_name: str
    services: tuple[str, ...]


def group_offers(areas) -> dict[tuple[int, int], list[GroupOffer]]:
    """Which tier-3 groups of ``areas`` offer each help category, keyed by (area id, category id).

    Read through the reverse relation HelpCategory.services (activities.GroupService), so this
    app needs no import of activities. One query.
    """
    through = HelpCategory.services.through
    rows = (
        through.objects.filter(groupservice__group__council__area__in=areas)
        .values_list(
            "groupservice__group__council__area_id",
            "helpcategory_id",
            "groupservice__group_id",
            "groupservice__group__name",
            "groupservice__name",
        )
        .order_by(
            "groupservice__group__model_number",
            "groupservice__group__name",
            "groupservice__position",
        )
    )
    services = defaultdict(dict)
    for area_id, category_id, group_id, group_name, service in rows:
        services[area_id, category_id].setdefault((group_id, group_name), []).append(service)
    return {
        key: [GroupOffer(gid, name, tuple(names)) for (gid, name), names in groups.items()]
        for key, groups in services.items()
    }


def opinions_by_category(fiscal_year, areas) -> dict[tuple[int, int], list[Opinion]]:
    """Opinions of ``fiscal_year`` tagged with a help category, keyed by (area id, category id).

    An opinion of a meeting belongs to that council's area; an opinion voiced across the
    councils (no meeting) belongs to every area. Each opinion comes with its meeting and that
    meeting's follow-up actions. Three queries.
    """
    area_ids = [area.pk for area in areas]
    through = HelpCategory.opinions.through
    rows = through.objects.filter(opinion__fiscal_year=fiscal_year).filter(
        Q(opinion__meeting__isnull=True) | Q(opinion__meeting__council__area__in=area_ids)
    )
    links = list(
        rows.values_list("opinion_id", "helpcategory_id", "opinion__meeting__council__area_id")
    )
    # With their meeting and its follow-ups, so that a need can be followed to a response.
    texts = (
        Opinion.objects.select_related("meeting__council")
        .prefetch_related("meeting__follow_ups")
        .in_bulk({opinion_id for opinion_id, _, _ in links})
    )
    found = defaultdict(list)
    for opinion_id, category_id, area_id in links:
        for target in [area_id] if area_id else area_ids:
            found[target, category_id].append(texts[opinion_id])
    return dict(found)


class SurveyResultManager(models.Manager.from_queryset(SurveyResultQuerySet)):
    def get_by_natural_key(self, council, fiscal_year, category):
        return self.get(
            survey__council__name=council,
            survey__fiscal_year=fiscal_year,
            category__number=category,
        )


class SurveyResult(models.Model):
    """For one survey and one help category: how many residents asked for it, and whether the
    council judges it できる / 工夫必要 / 難しい."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="results", verbose_name="ニーズ調査"
    )
    category = models.ForeignKey(
        HelpCategory, on_delete=models.PROTECT, related_name="results", verbose_name="項目"
    )
    requests = models.PositiveIntegerField(
        "希望者数",
        null=True,
        blank=True,
        help_text="その手伝いを希望した住民の数。集計していなければ空欄",
    )
    classification = models.CharField(
        "分類",
        max_length=10,
        choices=Classification.choices,
        blank=True,
        help_text="できる / 工夫必要 / 難しい。未判断なら空欄",
    )
    note = limited_text("備考", 1000, blank=True)

    objects = SurveyResultManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ニーズ調査の結果"
        verbose_name_plural = "ニーズ調査の結果"
        ordering = ["survey", "category__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "category"], name="needs_survey_surveyresult_one_per_category"
            ),
            models.CheckConstraint(
                condition=Q(requests__isnull=True) | Q(requests__gte=0),
                name="needs_survey_surveyresult_requests_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(classification__in=[*Classification.values, ""]),
                name="needs_survey_surveyresult_classification_valid",
            ),
            *text_length_checks("needs_survey_surveyresult", {"note": 1000}),
        ]

    def __str__(self):
        return f"{self.survey} {self.category}"

    def natural_key(self):
        return (*self.survey.natural_key(), self.category.number)

    natural_key.dependencies = ["needs_survey.survey", "needs_survey.helpcategory"]

    @property
    def css_class(self) -> str:
        return CLASSIFICATION_CSS[self.classification]

    @property
    def is_gap_candidate(self) -> bool:
        """Asked for and できる: a gap unless a group of the area offers it."""
        return self.classification == Classification.CAN and (self.requests or 0) > 0


# --- What the matrix and the comparison hand to templates and exports -------------------------


@dataclass(frozen=True)
class MatrixCell:
    category: HelpCategory
    result: SurveyResult | None

    @property
    def requests(self):
        return self.result.requests if self.result else None

    @property
    def classification(self) -> str:
        return self.result.classification if self.result else ""

    @property
    def classification_label(self) -> str:
        return Classification(self.classification).label if self.classification else ""

    @property
    def css_class(self) -> str:
        return CLASSIFICATION_CSS[self.classification]


@dataclass(frozen=True)
class MatrixRow:
    area: Area
    survey: Survey | None
    cells: list[MatrixCell]

    @property
    def total_requests(self) -> int:
        return sum(cell.requests or 0 for cell in self.cells)


@dataclass(frozen=True)
class CategoryTotal:
    category: HelpCategory
    requests: int
    by_classification: dict[str, int]

    @property
    def can(self):
        return self.by_classification.get(Classification.CAN, 0)

    @property
    def ingenuity(self):
        return self.by_classification.get(Classification.NEEDS_INGENUITY, 0)

    @property
    def difficult(self):
        return self.by_classification.get(Classification.DIFFICULT, 0)


@dataclass(frozen=True)
class Matrix:
    fiscal_year: int
    categories: list[HelpCategory]
    rows: list[MatrixRow]

    @property
    def surveyed_rows(self):
        return [row for row in self.rows if row.survey is not None]

    @property
    def totals(self) -> list[CategoryTotal]:
        """Per category: requests summed over the areas, and how many areas gave each class."""
        totals = []
        for index, category in enumerate(self.categories):
            cells = [row.cells[index] for row in self.rows]
            counts = defaultdict(int)
            for cell in cells:
                if cell.classification:
                    counts[cell.classification] += 1
            totals.append(
                CategoryTotal(category, sum(c.requests or 0 for c in cells), dict(counts))
            )
        return totals

    @property
    def total_requests(self) -> int:
        return sum(row.total_requests for row in self.rows)

    def cell(self, area_name, category_number) -> MatrixCell:
        """The cell of an area and a category number (①=1): for tests and exports."""
        row = next(row for row in self.rows if row.area.name == area_name)
        return next(c for c in row.cells if c.category.number == category_number)

    def compare_to(self, earlier: Matrix) -> Comparison:
        """Per cell change from ``earlier`` (another fiscal year) to this matrix."""
        before = {
            (row.area.pk, cell.category.pk): cell for row in earlier.rows for cell in row.cells
        }
        rows = [
            ComparisonRow(
                area=row.area,
                before_survey=next(
                    (r.survey for r in earlier.rows if r.area.pk == row.area.pk), None
                ),
                after_survey=row.survey,
                cells=[
                    ComparisonCell(
                        category=cell.category,
                        before=before.get(
                            (row.area.pk, cell.category.pk), MatrixCell(cell.category, None)
                        ),
                        after=cell,
                    )
                    for cell in row.cells
                ],
            )
            for row in self.rows
        ]
        return Comparison(
            before_year=earlier.fiscal_year,
            after_year=self.fiscal_year,
            categories=self.categories,
            rows=rows,
        )


@dataclass(frozen=True)
class ComparisonCell:
    category: HelpCategory
    before: MatrixCell
    after: MatrixCell

    @property
    def change(self) -> int | None:
        """After minus before, when both years have a count."""
        if self.before.requests is None or self.after.requests is None:
            return None
        return self.after.requests - self.before.requests

    @property
    def change_label(self) -> str:
        change = self.change
        if change is None:
            return ""
        return f"{change:+d}" if change else "±0"

    @property
    def classification_changed(self) -> bool:
        return self.before.classification != self.after.classification

    @property
    def is_changed(self) -> bool:
        return bool(self.change) or self.classification_changed


@dataclass(frozen=True)
class ComparisonRow:
    area: Area
    before_survey: Survey | None
    after_survey: Survey | None
    cells: list[ComparisonCell]


@dataclass(frozen=True)
class Comparison:
    before_year: int
    after_year: int
    categories: list[HelpCategory]
    rows: list[ComparisonRow]

    def cell(self, area_name, category_number) -> ComparisonCell:
        row = next(row for row in self.rows if row.area.name == area_name)
        return next(c for c in row.cells if c.category.number == category_number)


@dataclass(frozen=True)
class CanDoItem:
    result: SurveyResult
    groups: list[GroupOffer] = field(default_factory=list)
    opinions: list[Opinion] = field(default_factory=list)

    @property
    def category(self):
        return self.result.category

    @property
    def is_gap(self) -> bool:
        return self.result.is_gap_candidate and not self.groups


@dataclass(frozen=True)
class CanDoArea:
    area: Area
    survey: Survey | None
    items: list[CanDoItem]

    @property
    def gaps(self) -> list[CanDoItem]:
        return [item for item in self.items if item.is_gap]


class SurveyImportReceipt(models.Model):
    """A survey import preview that has been confirmed: the signed preview can be used once.

    The confirm view inserts the preview's hash before anything else in its transaction; a
    second confirm of the same preview (a double click, the back button) meets the unique key
    and is refused with a message, on SQLite and PostgreSQL alike. Receipts older than a
    preview's lifetime prove nothing more and are deleted by the next preview.
    """

    preview = models.CharField("確認画面", max_length=64, unique=True)  # sha256 of the token
    confirmed_at = models.DateTimeField("取込日時", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "調査取込の確定"
        verbose_name_plural = verbose_name
        ordering = ["-confirmed_at"]

    def __str__(self):
        return self.preview[:12]

"""Site-wide pages: home, the district status table, the city profile and outcomes, the
year's report (市町村の取組) with what city staff write for it, and the national survey's
figures."""

import itertools
from functools import cached_property

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_filters.views import FilterView

from accounts.access import ReaderRequiredMixin, reader_required, report_writer_required
from accounts.roles import writes_report
from activities.models import (
    FigureCategory,
    KeyFigure,
    NoteTopic,
    ProgrammeNote,
    SupportGroup,
)
from activities.supporter_totals import SupporterTotals
from audit import history
from coordinators.models import Coordinator
from core import wareki
from core.charts import bar_chart
from core.exports import XLSX, ExportInfo, TableExportMixin, book_response
from core.tables import SingleTableMixin
from core.wareki import default_fiscal_year, fiscal_year_of, format_fiscal_year
from councils.models import Area, Council, Opinion, Tier
from councils.schedule import fiscal_years_with_records
from councils.services import mark_main_opinions
from journal.models import JournalEntry
from needs_survey.models import Classification, HelpCategory
from reports import sheets
from reports.filters import StatusFilter
from reports.forms import (
    CountsDateForm,
    KeyFigureForm,
    MainOpinionsForm,
    NewKeyFigureForm,
    PlanAheadForm,
)
from reports.home import sections_for
from reports.status import (
    StatusTotals,
    area_status_rows,
    district_totals,
)
from reports.survey import survey_answer
from reports.tables import StatusTable
from reports.yearly import year_report


@reader_required
@require_GET
def home(request):
    """Each role's home: its sections (``reports.home``), then the headline figures."""
    home_, sections = sections_for(request.user)
    return render(request, "reports/home.html", {"home": home_, "sections": sections})


class StatusTableView(ReaderRequiredMixin, TableExportMixin, SingleTableMixin, FilterView):
    """圏域別の状況: one row per area for a fiscal year, filterable, sortable, exportable."""

    filterset_class = StatusFilter
    table_class = StatusTable
    # Iwaki's 13 areas fit one page; at a hundred times the size, rendering every row of the
    # city on one page is what makes it slow (bench/README.md, "Load test"). Totals and exports still
    # cover every row.
    table_pagination = {"per_page": 100}
    template_name = "reports/status_table.html"

    @cached_property
    def recorded_years(self):
        return fiscal_years_with_records()

    @cached_property
    def default_year(self):
        return default_fiscal_year(self.recorded_years, timezone.localdate())

    @cached_property
    def fiscal_years(self):
        current = fiscal_year_of(timezone.localdate())
        return sorted(set(self.recorded_years) | {current}, reverse=True)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["fiscal_years"] = self.fiscal_years
        if not self.request.GET.get("fiscal_year"):
            # Show the year the table shows, not the first option of the list.
            kwargs["data"] = self.request.GET.copy()
            kwargs["data"]["fiscal_year"] = self.default_year
        return kwargs

    @property
    def fiscal_year(self):
        form = self.filterset.form
        if form.is_valid() and form.cleaned_data.get("fiscal_year"):
            return form.cleaned_data["fiscal_year"]
        return self.default_year

    @cached_property
    def rows(self):
        return area_status_rows(self.object_list, fiscal_year=self.fiscal_year)

    def get_table_data(self):
        return list(self.rows)

    def get_table_kwargs(self):
        return {
            "totals": StatusTotals.of(self.rows),
            "fiscal_year": self.fiscal_year,
            "loggable_area_ids": Area.objects.editable_by(self.request.user).values_list(
                "pk", flat=True
            ),
        }

    export_name = "圏域別状況"
    export_ascii_name = "district-status"
    export_row_label = "圏域"

    def get_export_fiscal_year(self):
        return self.fiscal_year

    def get_export_rows(self, table):
        """The rows, then, below an empty row, the totals as numbers: one line per figure
        with the count and the number of areas it is out of (the page's footer writes
        「開催 13 / 13」 in one cell, which a spreadsheet could not add up)."""
        headers, rows = super().get_export_rows(table)
        return headers, itertools.chain(rows, [[]], status_totals_rows(table.totals))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["fiscal_year"] = self.fiscal_year
        page_rows = [bound.record for bound in context["table"].page.object_list]
        context["chart"] = supporters_chart(page_rows, self.fiscal_year)
        context["district_totals"] = district_totals(self.rows)
        context["supervisors"] = Coordinator.objects.filter(supervises_all=True)
        return context


def status_totals_rows(totals):
    """The totals of the status table as a small table of numbers: 項目, 件数, 対象の圏域数."""
    if totals is None:
        return []
    areas = totals.areas
    return [
        ["合計", "件数・人数", "対象の圏域数"],
        ["圏域", areas, None],
        ["第2層協議体の設置", totals.councils_established, areas],
        *([f"第{n}回 開催", held, areas] for n, held in sorted(totals.meetings_held.items())),
        ["第3層団体数", totals.groups, None],
        ["サポーター数(報告)", totals.reported_supporters, None],
        ["サポーター数(システム登録)", totals.registered_supporters, None],
        ["ニーズ調査 入力", totals.surveys_started, areas],
        ["ニーズ調査 分類済み", totals.surveys_complete, areas],
        ["未対応の意見・ニーズ", totals.open_items, None],
    ]


def supporters_chart(rows, fiscal_year):
    items = [(row.area.name, row.reported_supporters, row.area.get_absolute_url()) for row in rows]
    total = sum(value or 0 for _, value, _ in items)
    return bar_chart(
        items,
        title=f"圏域別のサポーター数(報告値) {format_fiscal_year(fiscal_year)}",
        description=(
            "第3層の支え合い活動団体が報告した登録サポーター数を圏域ごとに合計した棒グラフ。"
            f"合計{total}人。"
            + "、".join(f"{label} {value or 0}人" for label, value, _ in items)
            + "。"
        ),
        unit="人",
    )


def programme_notes():
    """The latest year's notes of each topic: ``{"plan_ahead": {"key", "label", "year",
    "notes"}, …}`` (``year`` None when the topic has no note). The yearly report
    (``reports.yearly``) shows a chosen year's."""
    notes = list(ProgrammeNote.objects.all())
    topics = {}
    for value, label in NoteTopic.choices:
        mine = [n for n in notes if n.topic == value]
        year = max((n.report_year for n in mine), default=None)
        topics[value] = {
            "key": value,
            "label": label,
            "year": year,
            "notes": [n for n in mine if n.report_year == year],
        }
    return topics


@reader_required
@require_GET
def outcomes(request):
    """City profile and programme outcomes: every figure with its date and source, the model
    project, the opinions and plan ahead, the portal いごく and every note of the report."""
    figures = KeyFigure.objects.latest_per_key()
    figures_by_category = [
        (label, [f for f in figures if f.category == value])
        for value, label in FigureCategory.choices
    ]
    context = {"notes": programme_notes()}
    opinions = Opinion.objects.main().prefetch_related("help_categories")
    opinion_years = sorted({o.fiscal_year for o in opinions}, reverse=True)
    context |= {
        "figures_by_category": figures_by_category,
        "model_groups": SupportGroup.objects.model_districts()
        .select_related("council__area")
        .order_by("model_number"),
        "opinions_by_year": [
            (fy, [o for o in opinions if o.fiscal_year == fy]) for fy in opinion_years
        ],
        "tier1": Council.objects.filter(tier=Tier.FIRST).first(),
        "help_categories": HelpCategory.objects.all(),
        "classifications": Classification.choices,
        "supporters": SupporterTotals.compute(),
        "links": {
            "status": reverse("status"),
            "groups": reverse("activities:supportgroup-list"),
        },
    }
    return render(request, "reports/outcomes.html", context)


# --- the year's report (市町村の取組) and the national survey's figures ---------------------


def _report_year(fiscal_year):
    try:
        wareki.format_fiscal_year(fiscal_year)
        wareki.fiscal_year_bounds(fiscal_year)
    except (wareki.WarekiError, ValueError, OverflowError):
        raise Http404("年度が範囲外です") from None
    return fiscal_year


def report_years():
    """Every fiscal year from the first with any record (meetings, schedule, report prose and
    figures, journal) to the current one, newest first: a report can be made for each, and a
    year without records says so."""
    years = set(fiscal_years_with_records())
    years |= set(ProgrammeNote.objects.order_by().values_list("report_year", flat=True).distinct())
    years |= set(KeyFigure.objects.order_by().values_list("report_year", flat=True).distinct())
    first_entry = JournalEntry.objects.order_by("done_on").values_list("done_on", flat=True).first()
    if first_entry:
        years.add(fiscal_year_of(first_entry))
    current = fiscal_year_of(timezone.localdate())
    first = min(years | {current})
    return list(range(max(years | {current}), first - 1, -1))


@reader_required
@require_GET
def report_index(request):
    """The years' reports and survey figures."""
    return render(
        request,
        "reports/report_index.html",
        {"years": report_years(), "can_write": writes_report(request.user)},
    )


@reader_required
@require_GET
def year_report_view(request, fiscal_year):
    """生活支援体制整備事業に関する市町村の取組 for a fiscal year: the page, its print, its xlsx."""
    fiscal_year = _report_year(fiscal_year)
    form = CountsDateForm(request.GET or None)
    counts_as_of = form.cleaned_data.get("counts_as_of") if form.is_valid() else None
    report = year_report(fiscal_year, counts_as_of=counts_as_of)
    if request.GET.get("_export") == XLSX:
        return book_response(
            sheets.report_sheets(report),
            name=ExportInfo(
                "市町村の取組",
                ascii_name="municipal-report",
                fiscal_year=fiscal_year,
                # The supporter counts as of a chosen day are the one thing to filter.
                filters=[("サポーター数の時点", wareki.format_date(counts_as_of))]
                if counts_as_of
                else None,
            ),
            title=f"生活支援体制整備事業に関する市町村の取組 {report.label}",
        )
    years = report_years()
    return render(
        request,
        "reports/year_report.html",
        {
            "report": report,
            "fiscal_year": fiscal_year,
            "form": form,
            "can_write": writes_report(request.user),
            "previous_year": max((y for y in years if y < fiscal_year), default=None),
            "next_year": min((y for y in years if y > fiscal_year), default=None),
            "today": timezone.localdate(),
        },
    )


@reader_required
@require_GET
def survey_view(request, fiscal_year):
    """The national survey's 生活支援体制整備事業 figures for a fiscal year: page and xlsx."""
    fiscal_year = _report_year(fiscal_year)
    answer = survey_answer(fiscal_year)
    if request.GET.get("_export") == XLSX:
        return book_response(
            sheets.survey_sheets(answer),
            name=ExportInfo("国の調査", ascii_name="national-survey", fiscal_year=fiscal_year),
            title=f"地域支援事業実施状況調査(生活支援体制整備事業) {answer.label}",
        )
    years = report_years()
    return render(
        request,
        "reports/survey.html",
        {
            "answer": answer,
            "fiscal_year": fiscal_year,
            "previous_year": max((y for y in years if y < fiscal_year), default=None),
            "next_year": min((y for y in years if y > fiscal_year), default=None),
        },
    )


def saved_once(form) -> bool:
    """Save ``form``; False (with the reason on the form) when someone saved the same year's
    record between our check and our save, so that nothing is overwritten unseen."""
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:
        form.add_error(
            None,
            "同じ年度の記録がたった今ほかの人により保存されました。"
            "ページを開き直して、その内容を確かめてから入力してください。",
        )
        return False
    return True


@report_writer_required
def plan_ahead_edit(request, fiscal_year):
    """今後の予定 of a year: one text, written by city staff."""
    fiscal_year = _report_year(fiscal_year)
    note = ProgrammeNote.objects.filter(topic=NoteTopic.PLAN_AHEAD, report_year=fiscal_year).first()
    form = PlanAheadForm(
        request.POST if request.method == "POST" else None, instance=note, fiscal_year=fiscal_year
    )
    if request.method == "POST" and form.is_valid() and saved_once(form):
        messages.success(request, f"{format_fiscal_year(fiscal_year)}の今後の予定を保存しました。")
        return redirect(reverse("report", args=[fiscal_year]) + "#plan-ahead")
    return render(
        request,
        "reports/plan_ahead_form.html",
        {
            "form": form,
            "fiscal_year": fiscal_year,
            "note": note,
            "history": history.record_entries(note.history.all()) if note else None,
        },
    )


@report_writer_required
def keyfigure_edit(request, fiscal_year, key):
    """A figure's value for a year's report: that year's row, or a new one started from the
    latest earlier row's label, unit and source (never its value)."""
    fiscal_year = _report_year(fiscal_year)
    rows = KeyFigure.objects.filter(key=key)
    current = rows.filter(report_year=fiscal_year).first()
    earlier = rows.filter(report_year__lt=fiscal_year).order_by("-report_year").first()
    template = current or earlier or rows.order_by("report_year").first()
    if template is None:
        raise Http404
    if current is None:
        instance = KeyFigure(
            key=key,
            category=template.category,
            position=template.position,
            label=template.label,
            unit=template.unit,
            fiscal_year=None,
        )
        initial = {"source": template.source}
    else:
        instance, initial = current, {}
    form = KeyFigureForm(
        request.POST if request.method == "POST" else None,
        instance=instance,
        initial=initial,
        fiscal_year=fiscal_year,
    )
    if request.method == "POST" and form.is_valid() and saved_once(form):
        messages.success(
            request, f"{format_fiscal_year(fiscal_year)}の「{form.instance.label}」を保存しました。"
        )
        return redirect(reverse("report", args=[fiscal_year]) + "#profile")
    return render(
        request,
        "reports/keyfigure_form.html",
        {
            "form": form,
            "fiscal_year": fiscal_year,
            "current": current,
            "earlier": earlier,
            "history": history.record_entries(current.history.all()) if current else None,
        },
    )


@report_writer_required
def keyfigure_create(request, fiscal_year):
    fiscal_year = _report_year(fiscal_year)
    form = NewKeyFigureForm(
        request.POST if request.method == "POST" else None, fiscal_year=fiscal_year
    )
    if request.method == "POST" and form.is_valid() and saved_once(form):
        messages.success(request, f"「{form.instance.label}」を追加しました。")
        return redirect(reverse("report", args=[fiscal_year]) + "#profile")
    return render(
        request,
        "reports/keyfigure_form.html",
        {"form": form, "fiscal_year": fiscal_year, "current": None, "earlier": None, "new": True},
    )


@report_writer_required
def main_opinions_edit(request, fiscal_year):
    """Which of the year's opinions the report lists as 主な意見."""
    fiscal_year = _report_year(fiscal_year)
    opinions = (
        Opinion.objects.in_fiscal_year(fiscal_year)
        .select_related("meeting__council__area")
        .order_by(
            "meeting__council__tier",
            "meeting__council__area__position",
            "meeting__sequence",
            "position",
            "pk",
        )
    )
    form = MainOpinionsForm(request.POST if request.method == "POST" else None, opinions=opinions)
    if request.method == "POST" and form.is_valid():
        changed = mark_main_opinions(fiscal_year=fiscal_year, chosen=form.cleaned_data["opinions"])
        messages.success(
            request,
            f"{format_fiscal_year(fiscal_year)}の主な意見を保存しました(変更{changed}件)。",
        )
        return redirect(reverse("report", args=[fiscal_year]) + "#main-opinions")
    return render(
        request,
        "reports/main_opinions_form.html",
        {"form": form, "fiscal_year": fiscal_year, "opinions": opinions},
    )

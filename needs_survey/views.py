"""Views of the needs survey: the survey list, entry (one page, 13 rows), the area × category
matrix with its export and the comparison of two years, and "start with what you can do".

Access (docs/security.md, "Roles"): every member of the programme reads; coordinators and
administrators enter surveys of the areas they answer for (``accounts.access``). A signed-in user
with no role gets 403; a survey outside the user's areas is 404, as if it did not exist.
"""

import hashlib
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_filters.views import FilterView

from accounts.access import ReaderRequiredMixin, editor_required, reader_required
from accounts.roles import changes_records
from audit import history
from core import exports
from core.forms import FiscalYearField
from core.http import parse_id, parse_timestamp
from core.tables import SingleTableMixin
from core.wareki import default_fiscal_year, fiscal_year_of, format_fiscal_year
from councils.models import Area, Council, Tier
from needs_survey import imports
from needs_survey.filters import SurveyFilter
from needs_survey.forms import (
    CompareForm,
    MatrixFilterForm,
    SurveyForm,
    SurveyImportForm,
    result_formset,
)
from needs_survey.models import (
    HelpCategory,
    Survey,
    SurveyImportReceipt,
    SurveyResult,
    opinions_by_category,
)
from needs_survey.services import EditConflict, apply_import, save_survey
from needs_survey.tables import SurveyTable, matrix_sheet


def _default_year():
    """The year the survey pages show when none is chosen (core.wareki's one rule)."""
    return default_fiscal_year(Survey.objects.fiscal_years(), timezone.localdate())


class SurveyListView(ReaderRequiredMixin, SingleTableMixin, FilterView):
    table_class = SurveyTable
    filterset_class = SurveyFilter
    template_name = "needs_survey/survey_list.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            Survey.objects.visible_to(self.request.user)
            .select_related("council__area")
            .with_classified_counts()
            .order_by(*Survey._meta.ordering)
        )

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "can_enter": changes_records(self.request.user),
        }


survey_list = SurveyListView.as_view()


@reader_required
@require_GET
def survey_detail(request, pk):
    survey = get_object_or_404(
        Survey.objects.visible_to(request.user).select_related("council__area"), pk=pk
    )
    results = survey.results_by_category()
    opinions = opinions_by_category(survey.fiscal_year, [survey.council.area])
    rows = [
        (
            category,
            results.get(category.pk),
            opinions.get((survey.council.area_id, category.pk), []),
        )
        for category in HelpCategory.objects.all()
    ]
    return render(
        request,
        "needs_survey/survey_detail.html",
        {
            "survey": survey,
            "rows": rows,
            "can_edit": Survey.objects.editable_by(request.user).filter(pk=survey.pk).exists(),
        },
    )


@editor_required
def survey_create(request):
    return _edit(request, Survey(), initial=_initial_from_query(request))


@reader_required
def survey_update(request, pk):
    survey = get_object_or_404(
        Survey.objects.editable_by(request.user).select_related("council__area"), pk=pk
    )
    return _edit(request, survey)


def _initial_from_query(request):
    """?council=<pk>&fiscal_year=2017, as the matrix's 入力 links pass them; by default
    the current fiscal year."""
    initial = {"fiscal_year": fiscal_year_of(timezone.localdate())}
    council = parse_id(request.GET.get("council"))
    if council:
        initial["council"] = council
    try:
        year = FiscalYearField(required=False).clean(request.GET.get("fiscal_year", ""))
    except ValidationError:
        year = None
    if year:
        initial["fiscal_year"] = year
    return initial


def _edit(request, survey, initial=None):
    creating = survey.pk is None
    if request.method == "POST":
        if not creating and _is_stale(request.POST, survey):
            return _conflict(request, survey)
        form = SurveyForm(request.POST, instance=survey, user=request.user)
        formset = result_formset(survey=survey, data=request.POST)
        if form.is_valid() and formset.is_valid():
            try:
                saved = save_survey(form=form, formset=formset)
            except EditConflict:
                return _conflict(request, survey)
            messages.success(request, f"{saved}を{'登録' if creating else '更新'}しました。")
            return redirect(saved)
    else:
        form = SurveyForm(instance=survey, user=request.user, initial=initial)
        formset = result_formset(survey=survey)
    return _render_form(request, survey, form, formset, creating=creating)


def _render_form(request, survey, form, formset, *, creating, conflict=None, status=200):
    return render(
        request,
        "needs_survey/survey_form.html",
        {
            "form": form,
            "formset": formset,
            "survey": survey,
            "creating": creating,
            "conflict": conflict,
        },
        status=status,
    )


def _is_stale(data, survey) -> bool:
    """Whether the edit began from another version than the survey's now. (A post without a
    version is refused by ``save_survey``.)"""
    base = parse_id(data.get("base_version", ""))
    return base is not None and base != survey.version


def _conflict(request, survey):
    """The conflict page: what others changed since the edit began, above the form that still
    holds everything typed; the edit now starts from the current version, so saving again
    after reading what changed is deliberate (as for meetings, docs/decisions/0003)."""
    current = Survey.objects.select_related("council__area").get(pk=survey.pk)
    began_at = parse_timestamp(request.POST.get("began_at"))
    changes = []
    if began_at is not None:
        records = list(current.history.filter(history_date__gt=began_at))
        records += list(
            SurveyResult.history.filter(survey_id=current.pk, history_date__gt=began_at)
        )
        records.sort(key=lambda record: record.history_date)
        changes = history.entries(records, with_created_values=True)
    data = request.POST.copy()
    data["base_version"] = current.version
    data["began_at"] = timezone.now().isoformat()
    form = SurveyForm(data, instance=current, user=request.user)
    formset = result_formset(survey=current, data=data)
    return _render_form(
        request,
        current,
        form,
        formset,
        creating=False,
        conflict={"changes": changes},
        status=409,
    )


@reader_required
@require_GET
def survey_matrix(request):
    form = MatrixFilterForm(request.GET or None)
    fiscal_year = _chosen_year(form)
    matrix = Survey.objects.matrix(fiscal_year, form.areas())
    fmt = request.GET.get("_export")
    if fmt in exports.FORMATS:
        return _export_matrix(request, form, matrix, fmt)
    councils = _editable_councils(request.user)
    rows = [(row, _row_link(row, councils.get(row.area.pk), fiscal_year)) for row in matrix.rows]
    district = form.cleaned_data.get("district") if form.is_bound and form.is_valid() else None
    query = {"fiscal_year": fiscal_year}
    if district:
        query["district"] = district.pk
    return render(
        request,
        "needs_survey/survey_matrix.html",
        {
            "form": form,
            "matrix": matrix,
            "rows": rows,
            "district": district,
            "fiscal_years": _year_choices(fiscal_year),
            "export_query": urlencode(query),
        },
    )


def _export_matrix(request, form, matrix, fmt):
    """The matrix as xlsx or CSV (``&encoding=cp932`` for Shift_JIS), through the site's
    export module: typed counts, formula-safe text, a title row, a descriptive file name."""
    headers, rows = matrix_sheet(matrix)
    encoding = request.GET.get("encoding", exports.UTF8)
    if encoding not in exports.ENCODINGS:
        encoding = exports.UTF8
    info = exports.ExportInfo(
        "ニーズ調査一覧表",
        ascii_name="needs-survey-matrix",
        fiscal_year=matrix.fiscal_year,
        filters=exports.filters_in_words(form),
    )
    try:
        return exports.export_response(headers, rows, name=info, fmt=fmt, encoding=encoding)
    except exports.ExportEncodingError as error:
        # The area names the row, as on the page.
        area = headers.index("圏域") if "圏域" in headers else 0
        label = error.row[area] if area < len(error.row) else ""
        return render(
            request,
            "includes/export_error.html",
            exports.refusal_context(request, error, label),
            status=400,
        )


def _row_link(row, council, fiscal_year):
    """入力 (a new survey) or 修正 (the existing one) for areas the user may enter."""
    if council is None:
        return None
    if row.survey is None:
        query = urlencode({"council": council.pk, "fiscal_year": fiscal_year})
        return {"url": f"{reverse('needs_survey:survey-create')}?{query}", "label": "入力"}
    return {"url": reverse("needs_survey:survey-update", args=[row.survey.pk]), "label": "修正"}


@reader_required
@require_GET
def survey_compare(request):
    years = Survey.objects.fiscal_years()
    initial = {"fiscal_year": years[0], "earlier_year": years[1]} if len(years) > 1 else {}
    form = CompareForm(request.GET or None, initial=initial)
    comparison = None
    if form.is_valid():
        areas = form.areas()
        later = Survey.objects.matrix(form.cleaned_data["fiscal_year"], areas)
        earlier = Survey.objects.matrix(form.cleaned_data["earlier_year"], areas)
        comparison = later.compare_to(earlier)
    year_fields = []
    for name in ("earlier_year", "fiscal_year"):
        field = form[name]
        field.year = (
            form.cleaned_data.get(name) if form.is_bound and form.is_valid() else initial.get(name)
        )
        year_fields.append(field)
    shown = [y for y in (f.year for f in year_fields) if y] or [_default_year()]
    return render(
        request,
        "needs_survey/survey_compare.html",
        {
            "form": form,
            "comparison": comparison,
            "year_fields": year_fields,
            "fiscal_years": _year_choices(*shown),
        },
    )


@reader_required
@require_GET
def survey_can_do(request):
    form = MatrixFilterForm(request.GET or None)
    fiscal_year = _chosen_year(form)
    plan = Survey.objects.start_with_what_you_can(fiscal_year, form.areas())
    return render(
        request,
        "needs_survey/survey_can_do.html",
        {
            "form": form,
            "fiscal_year": fiscal_year,
            "plan": plan,
            "fiscal_years": _year_choices(fiscal_year),
            "gap_count": sum(len(area.gaps) for area in plan),
        },
    )


def _chosen_year(form):
    if form.is_valid() and form.cleaned_data.get("fiscal_year"):
        return form.cleaned_data["fiscal_year"]
    return _default_year()


def _year_choices(*current):
    years = set(Survey.objects.fiscal_years()) | set(current)
    return [(year, format_fiscal_year(year)) for year in sorted(years, reverse=True)]


def _editable_councils(user):
    """Tier-2 council of each area ``user`` may enter, keyed by area id (for 入力 links)."""
    return {
        council.area_id: council
        for council in Council.objects.editable_by(user).filter(tier=Tier.SECOND)
    }


# --- import ---------------------------------------------------------------------------------

IMPORT_SALT = "needs_survey.import"
IMPORT_MAX_AGE = 12 * 60 * 60


@editor_required
def survey_import(request):
    """Step 1 and 2: choose a file, see every survey it would change and every error."""
    form = SurveyImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method != "POST" or not form.is_valid():
        return render(request, "needs_survey/survey_import.html", {"form": form})
    upload = form.cleaned_data["file"]
    plan = imports.prepare(
        upload.read(),
        filename=upload.name,
        allowed_areas=Area.objects.editable_by(request.user),
        default_area=form.cleaned_data["area"],
        default_fiscal_year=form.cleaned_data["fiscal_year"],
        encoding=form.cleaned_data["encoding"] or None,
        sheet=form.cleaned_data["sheet"] or None,
    )
    # Receipts of confirmed previews only matter while a preview could still be confirmed.
    SurveyImportReceipt.objects.filter(
        confirmed_at__lt=timezone.now() - timedelta(seconds=IMPORT_MAX_AGE)
    ).delete()
    token = None
    if plan.ok:
        # Survey tallies are not personal data: the validated plan travels signed in the
        # page rather than in a table, and confirming re-plans it against the database.
        token = signing.dumps(
            {"user": request.user.pk, "payload": plan.payload(), "digest": plan.digest},
            salt=IMPORT_SALT,
            compress=True,
        )
    return render(
        request,
        "needs_survey/survey_import_preview.html",
        {"form": form, "plan": plan, "token": token, "file_name": upload.name},
    )


@require_POST
@editor_required
def survey_import_confirm(request):
    """Step 3: write exactly what the preview showed, or nothing."""
    token = request.POST.get("token", "")
    receipt = hashlib.sha256(token.encode()).hexdigest()
    try:
        signed = signing.loads(token, salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
    except signing.SignatureExpired:
        messages.error(
            request,
            f"確認画面の有効期限（{IMPORT_MAX_AGE // 3600}時間）が過ぎたため取り込んでいません。"
            "もう一度ファイルを読み込んで確認してください。",
        )
        return redirect("needs_survey:survey-import")
    except signing.BadSignature as error:
        raise Http404 from error
    if signed["user"] != request.user.pk:
        raise Http404
    try:
        with transaction.atomic():
            # First, before any read: on SQLite this takes the write lock at once (a second
            # confirm waits for the first instead of failing as "database is locked"), and
            # the unique key makes the second one fail on either database.
            SurveyImportReceipt.objects.create(preview=receipt)
            plan = apply_import(
                signed["payload"],
                user=request.user,
                expected_digest=signed["digest"],
                allowed_areas=Area.objects.editable_by(request.user),
            )
    except imports.ImportRefused as error:
        messages.error(request, str(error))
        return redirect("needs_survey:survey-import")
    except IntegrityError:
        if SurveyImportReceipt.objects.filter(preview=receipt).exists():
            messages.error(
                request,
                "この確認画面の内容はすでに取り込みました。同じ内容をもう一度は取り込みません。"
                "調査の一覧で結果を確かめてください。",
            )
            return redirect("needs_survey:survey-list")
        messages.error(
            request,
            "同じ調査をほかの人が同時に取り込んだため取り込んでいません。"
            "もう一度ファイルを読み込んで確認してください。",
        )
        return redirect("needs_survey:survey-import")
    except OperationalError:
        # SQLite's lock wait ran out while another import was being written.
        messages.error(
            request,
            "ほかの取り込みを書き込み中のため取り込んでいません。"
            "調査の一覧で結果を確かめてから、必要ならもう一度読み込んでください。",
        )
        return redirect("needs_survey:survey-import")
    counts = plan.counts
    messages.success(
        request,
        f"取り込みました(新規{counts['create']}件、更新{counts['update']}件、変更なし{counts['unchanged']}件)。",
    )
    return redirect("needs_survey:survey-list")

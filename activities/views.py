"""Support groups (tier 3): their services and supporter counts. Counts only, never names."""

from functools import cached_property

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView
from django_filters.views import FilterView

from accounts.access import (
    PersonalDataRequiredMixin,
    ReaderRequiredMixin,
    personal_data_required,
)
from activities.filters import SupporterFilter, SupportGroupFilter
from activities.forms import (
    CLEAR,
    KEEP,
    EndRegistrationForm,
    SupporterForm,
    SupporterImportForm,
)
from activities.imports import ImportRefused, template_workbook
from activities.models import (
    GroupService,
    ImportSource,
    Supporter,
    SupporterImport,
    SupportGroup,
)
from activities.services import (
    ALREADY_CONFIRMED_OR_GONE,
    EditConflict,
    confirm_import,
    end_registration,
    pending_import,
    preview_import,
    record_preview_access,
    record_supporters_access,
    resume_registration,
    save_supporter,
    supporter_version,
)
from activities.supporter_totals import SupporterTotals
from activities.tables import SupporterExportTable, SupporterTable, SupportGroupTable
from audit import history
from audit.models import AccessAction
from core.charts import bar_chart
from core.exports import (
    ENCODINGS,
    FORMATS,
    UTF8,
    ExportEncodingError,
    ExportInfo,
    TableExportMixin,
    encoding_refusal,
    export_response,
    filters_in_words,
)
from core.forms import SEARCH_MAX_LENGTH
from core.http import client_address, parse_id, parse_timestamp
from core.tables import SingleTableMixin
from core.wareki import format_date


def _groups():
    return (
        SupportGroup.objects.select_related("council__area__district")
        .prefetch_related(
            Prefetch(
                "services",
                queryset=GroupService.objects.prefetch_related("help_categories").order_by(
                    "position"
                ),
            )
        )
        .with_registered_counts()
        .with_latest_reported_count()
    )


class SupportGroupListView(ReaderRequiredMixin, TableExportMixin, SingleTableMixin, FilterView):
    filterset_class = SupportGroupFilter
    table_class = SupportGroupTable
    # Iwaki's 15 groups of 2017 fit one page. At a hundred times the size (1,500 groups) each
    # row costs about a millisecond to render, so 25 rows keep the page fast (bench/README.md,
    # "Load test"); the export and the footer sums still cover every row of the filter.
    table_pagination = {"per_page": 25}
    template_name = "activities/supportgroup_list.html"
    export_name = "支え合い活動団体"
    export_ascii_name = "support-groups"
    export_row_label = "団体"

    def get_queryset(self):
        return _groups()

    @cached_property
    def totals(self):
        return SupporterTotals.compute()

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        form = self.filterset.form
        if form.is_valid() and not any(form.cleaned_data.values()):
            # Unfiltered, the footer sums over every group are the totals' own figures.
            table.sums = {
                "reported_count": self.totals.groups_reported,
                "registered_supporters": self.totals.registered,
            }
        return table

    def get_context_data(self, **kwargs):
        return super().get_context_data(totals=self.totals, **kwargs)


class SupportGroupDetailView(ReaderRequiredMixin, DetailView):
    template_name = "activities/supportgroup_detail.html"
    context_object_name = "group"

    def get_queryset(self):
        return _groups()

    def get_context_data(self, **kwargs):
        group = self.object
        counts = list(group.supporter_counts.order_by("as_of"))
        chart = bar_chart(
            [(format_date(c.as_of), c.count, "") for c in counts],
            title=f"{group.name}の登録サポーター数の推移(報告値)",
            description="、".join(f"{format_date(c.as_of)} {c.count}人" for c in counts)
            or "報告値はありません。",
            unit="人",
            label_width=130,
        )
        can_edit = SupportGroup.objects.editable_by(self.request.user).filter(pk=group.pk).exists()
        return super().get_context_data(
            can_edit=can_edit,
            history=history.record_entries(group.history.all()) if can_edit else None,
            counts=counts,
            chart=chart,
            meetings=group.council.meetings.order_by("-fiscal_year", "sequence"),
            **kwargs,
        )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- supporter import ------------------------------------------------------------------


@personal_data_required
def supporterimport_create(request):
    """Step 1 and 2: choose a file, see every row and error; a clean file can be confirmed."""
    # ?group=<id> (from the home page's stale supporter lists) chooses the group beforehand;
    # the form offers only the user's groups, so another group's id is simply not chosen.
    group = parse_id(request.GET.get("group", ""))
    initial = {"group": group} if group else {}
    form = SupporterImportForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method != "POST" or not form.is_valid():
        return render(request, "activities/supporterimport_form.html", {"form": form})
    upload = form.cleaned_data["file"]
    result, pending = preview_import(
        upload.read(),
        user=request.user,
        file_name=upload.name,
        default_group=form.cleaned_data["group"],
        encoding=form.cleaned_data["encoding"] or None,
        sheet=form.cleaned_data["sheet"] or None,
        blank_clears=form.blank_clears,
        end_missing=form.cleaned_data["end_missing"],
    )
    if result.group_error:
        # One message, at the group choice; the group the title row names (or the person's
        # only group) is chosen already. The file has to be chosen again.
        initial = {key: form.cleaned_data[key] for key in ("end_missing", "encoding", "sheet")}
        initial["blanks"] = CLEAR if form.blank_clears else KEEP
        if result.suggested_group is not None:
            initial["group"] = result.suggested_group.pk
        form = SupporterImportForm(user=request.user, initial=initial)
    context = {
        "form": form,
        "result": result,
        "pending": pending,
        "file_name": upload.name,
        "rows": result.preview_rows(),
        "counts": result.count_rows(),
        "group_error": result.group_error,
    }
    record_preview_access(request, result, "サポーター名簿の取込(確認)")
    return render(request, "activities/supporterimport_preview.html", context)


@require_POST
@personal_data_required
def supporterimport_confirm(request):
    """Step 3: import exactly what the preview showed, or nothing."""
    pending = pending_import(request.user, request.POST.get("token", ""))
    if pending is None:
        # A second click, or a preview purged after 12 hours: say so rather than a bare 404.
        messages.error(request, ALREADY_CONFIRMED_OR_GONE)
        return redirect("activities:supporterimport-list")
    try:
        record = confirm_import(
            pending, user=request.user, source=ImportSource.WEB, address=client_address(request)
        )
    except ImportRefused as error:
        messages.error(request, str(error))
        return redirect("activities:supporterimport-create")
    messages.success(request, "取り込みました。")
    return redirect(record)


@require_GET
@personal_data_required
def supporterimport_detail(request, pk):
    record = get_object_or_404(
        SupporterImport.objects.visible_to(request.user).select_related("user"), pk=pk
    )
    groups = record.groups.select_related("council__area")
    return render(
        request, "activities/supporterimport_detail.html", {"record": record, "groups": groups}
    )


@require_GET
@personal_data_required
def supporterimport_list(request):
    records = (
        SupporterImport.objects.visible_to(request.user)
        .select_related("user")
        .prefetch_related("groups")[:100]
    )
    return render(request, "activities/supporterimport_list.html", {"records": records})


@require_GET
@personal_data_required
def supporterimport_template(request):
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = (
        "attachment; filename=supporters-template.xlsx; "
        "filename*=UTF-8''%E3%82%B5%E3%83%9D%E3%83%BC%E3%82%BF%E3%83%BC%E5%90%8D%E7%B0%BF_%E5%8F%96%E8%BE%BC%E7%94%A8.xlsx"
    )
    return response


# --- supporters (personal data) ----------------------------------------------------------


class SupporterListView(PersonalDataRequiredMixin, SingleTableMixin, FilterView):
    """Supporters of the user's areas. Filter by group and status (GET: ids only); search by
    name or kana with POST, so that names stay out of URLs and logs. Exports are POSTs of
    the same form and hold every row that matches, not one page."""

    table_class = SupporterTable
    filterset_class = SupporterFilter
    template_name = "activities/supporter_list.html"
    export_name = "サポーター名簿"
    export_ascii_name = "supporters"

    def groups(self):
        return SupportGroup.objects.with_personal_data_for(self.request.user).select_related(
            "council__area"
        )

    def get_queryset(self):
        queryset = (
            Supporter.objects.visible_to(self.request.user)
            .select_related("group__council__area")
            .prefetch_related("help_categories")
        )
        return queryset.matching(self.search_words())

    def search_words(self):
        if self.request.method != "POST":
            return ""
        return self.request.POST.get("q", "").strip()[:SEARCH_MAX_LENGTH]

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if self.request.method == "POST":
            kwargs["data"] = self.request.POST
        data = (kwargs.get("data") or QueryDict()).copy()
        if not data.get("active"):
            data["active"] = "1"  # 登録中 unless another state is chosen
        kwargs["data"] = data
        kwargs["groups"] = self.groups()
        return kwargs

    def get_table_pagination(self, table):
        # A search (POST) shows every match on one page: page links would be GETs and
        # lose the search words.
        return False if self.request.method == "POST" else {"per_page": 100}

    def post(self, request, *args, **kwargs):
        if "_export" in request.POST:
            return self.export()
        return self.get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["search_words"] = self.search_words()
        context["export_formats"] = [
            ("xlsx", "Excel (xlsx)"),
            ("csv", "CSV (UTF-8)"),
            ("csv-cp932", "CSV (Shift_JIS)"),
        ]
        return context

    def render_to_response(self, context, **response_kwargs):
        table = context["table"]
        page = getattr(table, "page", None)
        shown = list(page.object_list.data) if page else list(table.data.data)
        record_supporters_access(
            self.request,
            AccessAction.VIEW,
            "サポーター一覧",
            shown,
            group=_chosen_group(self.filterset),
        )
        return super().render_to_response(context, **response_kwargs)

    def export(self):
        self.object_list = None
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_valid():
            raise Http404
        supporters = list(
            filterset.qs.order_by("group__council__area__position", "group__name", "kana")
        )
        fmt, _, encoding = self.request.POST.get("_export", "").partition("-")
        encoding = encoding or UTF8
        if fmt not in FORMATS or encoding not in ENCODINGS:
            raise Http404
        table = SupporterExportTable(supporters)
        values = iter(table.as_values())
        headers = next(values)
        filters = filters_in_words(filterset.form)
        if self.search_words():
            filters.append(("氏名・フリガナ", self.search_words()))
        info = ExportInfo(self.export_name, ascii_name=self.export_ascii_name, filters=filters)
        try:
            response = export_response(headers, list(values), name=info, fmt=fmt, encoding=encoding)
        except ExportEncodingError as error:
            return self.encoding_refused(error, supporters, filterset)
        record_supporters_access(
            self.request,
            AccessAction.EXPORT,
            f"サポーター名簿の出力({fmt})",
            supporters,
            group=_chosen_group(filterset),
        )
        return response

    def encoding_refused(self, error, supporters, filterset):
        """The Shift_JIS refusal as a page: the person and the cell, and buttons that post
        the same form (filters, search words) for UTF-8 CSV or xlsx. The person's name is
        personal data shown, so the page is recorded as a view of that supporter."""
        supporter = supporters[error.row_number - 2] if error.row_number >= 2 else None
        if supporter is not None:
            record_supporters_access(
                self.request,
                AccessAction.VIEW,
                "サポーター名簿の出力(Shift_JISで表せない文字)",
                [supporter],
                group=_chosen_group(filterset),
            )
        return render(
            self.request,
            "includes/export_error.html",
            {
                "message": encoding_refusal(error, supporter.name if supporter else ""),
                "post_action": reverse("activities:supporter-list"),
                "post_fields": [
                    (name, value)
                    for name, values in self.request.POST.lists()
                    if name not in ("csrfmiddlewaretoken", "_export")
                    for value in values
                ],
            },
            status=400,
        )


def _chosen_group(filterset):
    """The one group a supporter list is filtered to; None for every group or for a group
    name typed in the search (several groups)."""
    group = filterset.form.cleaned_data.get("group") if filterset.is_valid() else None
    return group if isinstance(group, SupportGroup) else None


class SupporterDetailView(PersonalDataRequiredMixin, DetailView):
    template_name = "activities/supporter_detail.html"
    context_object_name = "supporter"

    def get_queryset(self):
        # Outside the user's areas: 404, as if the supporter did not exist.
        return (
            Supporter.objects.visible_to(self.request.user)
            .select_related("group__council__area")
            .prefetch_related("help_categories")
        )

    def get_context_data(self, **kwargs):
        record_supporters_access(self.request, AccessAction.VIEW, "サポーターの詳細", [self.object])
        can_edit = (
            Supporter.objects.editable_by(self.request.user).filter(pk=self.object.pk).exists()
        )
        return super().get_context_data(
            can_edit=can_edit,
            history=history.record_entries(self.object.history.all()),
            **kwargs,
        )


# Messages name no one: they travel in the session and show on the next page, whatever it is.


def _posted_version(request):
    """The supporter version a form was opened at: 0 for a supporter without history yet."""
    value = request.POST.get("base_version", "")
    return 0 if value == "0" else parse_id(value)


def _editable_supporter(request, pk):
    """A supporter the user may change (coordinators of its area, administrators); else 404."""
    return get_object_or_404(
        Supporter.objects.editable_by(request.user)
        .select_related("group__council__area")
        .prefetch_related("help_categories"),
        pk=pk,
    )


@personal_data_required
def supporter_update(request, pk):
    """Edit every field of a supporter; an edit begun before someone else's save is refused
    with their changes shown above the form, which keeps what was typed (409)."""
    supporter = _editable_supporter(request, pk)
    if request.method == "POST":
        base = _posted_version(request)
        if base is not None and base != supporter_version(supporter):
            return _supporter_conflict(request, supporter)
        form = SupporterForm(request.POST, instance=supporter, user=request.user)
        if form.is_valid():
            try:
                saved = save_supporter(form)
            except EditConflict:
                return _supporter_conflict(request, supporter)
            messages.success(request, "サポーターの登録内容を保存しました。")
            return redirect(saved)
        messages.error(request, "保存できませんでした。赤字の項目を確認してください。")
        return _render_supporter_form(request, supporter, form)
    form = SupporterForm(instance=supporter, user=request.user)
    return _render_supporter_form(request, supporter, form)


def _render_supporter_form(request, supporter, form, *, conflict=None, status=200):
    record_supporters_access(request, AccessAction.VIEW, "サポーターの編集", [supporter])
    return render(
        request,
        "activities/supporter_form.html",
        {"supporter": supporter, "form": form, "conflict": conflict},
        status=status,
    )


def _supporter_conflict(request, supporter):
    """What others changed since the edit began, above the form that keeps what was typed;
    the edit now starts from the current version, so saving again is deliberate
    (docs/decisions/0003, 0025)."""
    current = (
        Supporter.objects.select_related("group__council__area")
        .prefetch_related("help_categories")
        .get(pk=supporter.pk)
    )
    began_at = parse_timestamp(request.POST.get("began_at"))
    changes = []
    if began_at is not None:
        records = current.history.filter(history_date__gt=began_at).order_by("history_date")
        changes = history.entries(list(records.select_related("history_user")))
    data = request.POST.copy()
    data["base_version"] = supporter_version(current)
    data["began_at"] = timezone.now().isoformat()
    form = SupporterForm(data, instance=current, user=request.user)
    form.is_valid()  # show what would still be wrong with the typed values
    return _render_supporter_form(request, current, form, conflict={"changes": changes}, status=409)


@personal_data_required
def supporter_end(request, pk):
    """登録終了: a confirmation page with the end date (today unless changed, blank when not
    known) and an optional reason; only the POST writes."""
    supporter = _editable_supporter(request, pk)
    if not supporter.active:
        messages.info(request, "このサポーターの登録はすでに終了しています。")
        return redirect(supporter)
    if request.method == "POST":
        form = EndRegistrationForm(request.POST, supporter=supporter)
        if form.is_valid():
            reason = form.cleaned_data["reason"].strip()
            ended_on = form.cleaned_data["ended_on"]
            try:
                end_registration(
                    supporter,
                    ended_on=ended_on,
                    note=form.note_with(reason, ended_on) if reason else None,
                    base_version=_posted_version(request),
                )
            except EditConflict:
                messages.error(
                    request,
                    "確認画面を開いた後にほかの人がこのサポーターを変更したため、"
                    "登録終了にしていません。変更履歴を確認してから、もう一度操作してください。",
                )
                return redirect(supporter)
            messages.success(request, "登録を終了しました。")
            return redirect(supporter)
    else:
        form = EndRegistrationForm(supporter=supporter, initial={"ended_on": timezone.localdate()})
    return _render_status_page(request, supporter, form, ending=True)


@personal_data_required
def supporter_resume(request, pk):
    """登録を再開: a confirmation page; the POST registers the supporter again."""
    supporter = _editable_supporter(request, pk)
    if supporter.active:
        messages.info(request, "このサポーターは登録中です。")
        return redirect(supporter)
    if request.method == "POST":
        try:
            resume_registration(supporter, base_version=_posted_version(request))
        except EditConflict:
            messages.error(
                request,
                "確認画面を開いた後にほかの人がこのサポーターを変更したため、"
                "登録を再開していません。変更履歴を確認してから、もう一度操作してください。",
            )
            return redirect(supporter)
        messages.success(request, "登録を再開しました。")
        return redirect(supporter)
    return _render_status_page(request, supporter, None, ending=False)


def _render_status_page(request, supporter, form, *, ending):
    what = "サポーターの登録終了(確認)" if ending else "サポーターの登録再開(確認)"
    record_supporters_access(request, AccessAction.VIEW, what, [supporter])
    return render(
        request,
        "activities/supporter_status.html",
        {
            "supporter": supporter,
            "form": form,
            "ending": ending,
            "base_version": supporter_version(supporter),
        },
    )

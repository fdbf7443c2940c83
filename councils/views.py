"""Views of the councils app.

Pages every programme member reads: councils, areas and the fiscal-year meeting schedule.
The meeting log: list, detail, create, update, delete, and the opinions and needs still open.
Access goes through ``visible_to`` / ``editable_by``; anything outside a user's scope is 404.
"""

from django.contrib import messages
from django.db import IntegrityError
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import DetailView
from django_filters.views import FilterView

from accounts.access import (
    ReaderRequiredMixin,
    editor_required,
    planner_required,
    reader_required,
)
from accounts.roles import plans_the_year
from audit import history
from core import wareki
from core.exports import TableExportMixin
from core.http import parse_id, parse_timestamp
from core.tables import SingleTableMixin
from core.wareki import WarekiError, default_fiscal_year, format_fiscal_year
from councils import year_plan
from councils.filters import (
    AreaFilter,
    CouncilFilter,
    FollowUpFilter,
    MeetingFilter,
    OpinionFilter,
)
from councils.forms import (
    FollowUpDoneForm,
    FollowUpFormSet,
    MeetingForm,
    OpinionFormSet,
    OpinionResponseForm,
    PhaseFormSet,
    PlanConfirmForm,
    PlanMonthsForm,
    rebase_rows,
    rows_gone,
)
from councils.models import (
    Area,
    Council,
    FollowUp,
    Meeting,
    Membership,
    Opinion,
    ResponseStatus,
    SchedulePhase,
    Tier,
)
from councils.schedule import (
    fiscal_years_with_records,
    schedule_phases,
    schedule_rows,
    sequences_of,
    year_row,
)
from councils.services import (
    EditConflict,
    PlanChanged,
    create_year_plan,
    plan_state,
    save_meeting,
    save_year_plan,
    set_follow_up_done,
    update_opinion_response,
)
from councils.tables import CouncilTable, MeetingTable, ScheduleTable


@reader_required
def schedule_current(request):
    """The schedule of the current fiscal year, or of the latest one recorded before it."""
    fiscal_year = default_fiscal_year(fiscal_years_with_records(), timezone.localdate())
    return redirect("councils:schedule", fiscal_year=fiscal_year)


class ScheduleView(ReaderRequiredMixin, TableExportMixin, SingleTableMixin, FilterView):
    """年間スケジュール: the year's plan and, per area, the meetings planned against held."""

    filterset_class = AreaFilter
    table_class = ScheduleTable
    # Iwaki's 13 areas fit one page (bench/README.md, "Load test").
    table_pagination = {"per_page": 100}
    template_name = "councils/schedule.html"

    def dispatch(self, request, *args, **kwargs):
        self.fiscal_year = kwargs["fiscal_year"]
        try:
            format_fiscal_year(self.fiscal_year)
        except WarekiError:
            raise Http404("年度が範囲外です") from None
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return Area.objects.select_related("district")

    def get_table_data(self):
        return self.rows

    def get_table_kwargs(self):
        self.phases = schedule_phases(self.fiscal_year)
        self.rows = schedule_rows(
            self.object_list,
            fiscal_year=self.fiscal_year,
            phases=self.phases,
            loggable_area_ids=editable_area_ids(self.request.user),
        )
        return {"sequences": sequences_of(self.phases, self.rows)}

    export_name = "開催状況"
    export_ascii_name = "meeting-schedule"
    export_row_label = "圏域"

    def get_export_fiscal_year(self):
        return self.fiscal_year

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = fiscal_years_with_records()
        context.update(
            fiscal_year=self.fiscal_year,
            phases=self.phases,
            next_year_planned=SchedulePhase.objects.filter(
                fiscal_year=self.fiscal_year + 1
            ).exists()
            if self.phases and plans_the_year(self.request.user)
            else True,
            previous_year=max((y for y in years if y < self.fiscal_year), default=None),
            next_year=min((y for y in years if y > self.fiscal_year), default=None),
            held_total=sum(row.held_count for row in self.rows),
            recorded_total=sum(len(row.meetings) for row in self.rows),
        )
        return context


class CouncilListView(ReaderRequiredMixin, TableExportMixin, SingleTableMixin, FilterView):
    filterset_class = CouncilFilter
    table_class = CouncilTable
    table_pagination = {"per_page": 50}
    template_name = "councils/council_list.html"
    export_name = "協議体一覧"
    export_ascii_name = "councils"

    def get_queryset(self):
        return (
            Council.objects.select_related("area__district", "support_group")
            .annotate(
                organisation_count=Count("memberships", distinct=True),
                # A subquery, not a Sum over the join: the meetings join would multiply it.
                member_count=Subquery(
                    Membership.objects.filter(council=OuterRef("pk"))
                    .values("council")
                    .annotate(total=Sum("members"))
                    .values("total")
                ),
                meeting_count=Count("meetings", distinct=True),
            )
            .order_by("tier", "area__position", "name")
        )


class CouncilDetailView(ReaderRequiredMixin, DetailView):
    """A council: members by organisation, its meetings by fiscal year, the opinions voiced."""

    template_name = "councils/council_detail.html"

    def get_queryset(self):
        return Council.objects.select_related("area__district", "support_group")

    def get_context_data(self, **kwargs):
        council = self.object
        meetings = list(
            council.meetings.order_by("-fiscal_year", "sequence").prefetch_related(
                Prefetch("opinions", queryset=Opinion.objects.prefetch_related("help_categories")),
                "organisations_present",
            )
        )
        memberships = Membership.objects.filter(council=council).select_related("organisation_type")
        can_log = loggable_councils(self.request.user).filter(pk=council.pk).exists()
        return super().get_context_data(
            can_log=can_log,
            year=_current_year_row(council, can_log=can_log)
            if council.tier == Tier.SECOND
            else None,
            history=history.record_entries(council.history.all()) if can_log else None,
            memberships=memberships,
            # None while no head count is known (as in 2017): "0人" would read as a fact.
            members_known=sum(known)
            if (known := [m.members for m in memberships if m.members is not None])
            else None,
            meetings=meetings,
            opinions=[o for m in meetings for o in m.opinions.all()],
            group=getattr(council, "support_group", None),
            **kwargs,
        )


def _current_year_row(council, *, can_log):
    """The council's 第n回 of the year the schedule shows by default, against its plan."""
    fiscal_year = default_fiscal_year(fiscal_years_with_records(), timezone.localdate())
    return year_row(council, fiscal_year, can_log=can_log)


class AreaDetailView(ReaderRequiredMixin, DetailView):
    """An area: its district, coordinators, tier-2 council and meetings, tier-3 groups.

    Reads coordinators and groups through their reverse relations, so that councils does
    not import the apps that depend on it.
    """

    template_name = "councils/area_detail.html"
    queryset = Area.objects.select_related("district")

    def get_context_data(self, **kwargs):
        area = self.object
        council = Council.objects.filter(tier=Tier.SECOND, area=area).first()
        meetings = (
            council.meetings.order_by("-fiscal_year", "sequence")
            if council
            else Meeting.objects.none()
        )
        group_councils = (
            Council.objects.filter(tier=Tier.THIRD, area=area, support_group__isnull=False)
            .select_related("support_group")
            .prefetch_related("support_group__supporter_counts")
            .annotate(
                registered=Count(
                    "support_group__supporters",
                    filter=Q(support_group__supporters__active=True),
                )
            )
            .order_by("support_group__model_number", "name")
        )
        open_opinions = (
            Opinion.objects.open()
            .filter(meeting__council__area=area)
            .select_related("meeting__council__area")
            .prefetch_related("help_categories")
            .order_by("-meeting__fiscal_year", "meeting__council__tier", "meeting__sequence")
        )
        editable = editable_area_ids(self.request.user)
        return super().get_context_data(
            council=council,
            year=_current_year_row(council, can_log=area.pk in editable) if council else None,
            meetings=meetings,
            open_opinions=open_opinions,
            editable_area_ids=editable,
            group_councils=group_councils,
            coordinators=area.coordinators.order_by("number"),
            **kwargs,
        )


# --- lists -------------------------------------------------------------------------------


class MeetingListView(ReaderRequiredMixin, SingleTableMixin, FilterView):
    model = Meeting
    table_class = MeetingTable
    filterset_class = MeetingFilter
    template_name = "councils/meeting_list.html"
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return (
            Meeting.objects.visible_to(self.request.user)
            .select_related("council__area")
            .annotate(
                opinion_count=Count("opinions"),
                open_count=Count("opinions", filter=Q(opinions__status=ResponseStatus.OPEN)),
            )
            .order_by(*Meeting._meta.ordering)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        council = (
            self.filterset.form.cleaned_data.get("council")
            if self.filterset.is_bound and self.filterset.form.is_valid()
            else None
        )
        context["council"] = council
        context["can_log"] = (
            Council.objects.editable_by(self.request.user).filter(pk=council.pk).exists()
            if council
            else loggable_councils(self.request.user).exists()
        )
        return context


def loggable_councils(user):
    """Councils whose meetings ``user`` may log: tier-2 councils and groups' tier-3 councils."""
    return (
        Council.objects.editable_by(user)
        .filter(tier__in=[Tier.SECOND, Tier.THIRD])
        .select_related("area")
    )


class OpinionListView(ReaderRequiredMixin, FilterView):
    """Opinions and needs raised in meetings, by default those still open."""

    model = Opinion
    filterset_class = OpinionFilter
    template_name = "councils/opinion_list.html"
    paginate_by = 100

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if kwargs["data"] is None or not kwargs["data"]:
            kwargs["data"] = {"status": ResponseStatus.OPEN}
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            editable_area_ids=editable_area_ids(self.request.user), **kwargs
        )

    def get_queryset(self):
        return (
            Opinion.objects.visible_to(self.request.user)
            .filter(meeting__isnull=False)
            .select_related("meeting__council__area", "follows__meeting")
            .prefetch_related("help_categories")
            .order_by(
                "meeting__council__area__position",
                "-meeting__fiscal_year",
                "meeting__sequence",
                "position",
            )
        )


# --- one meeting ---------------------------------------------------------------------------


class MeetingDetailView(ReaderRequiredMixin, DetailView):
    model = Meeting
    template_name = "councils/meeting_detail.html"

    def get_queryset(self):
        return Meeting.objects.visible_to(self.request.user).select_related("council__area")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, user = self.object, self.request.user
        can_edit = Meeting.objects.editable_by(user).filter(pk=meeting.pk).exists()
        context["can_edit"] = can_edit
        context["opinions"] = (
            meeting.opinions.select_related("follows__meeting__council")
            .prefetch_related("help_categories", "followed_by__meeting__council")
            .order_by("position", "pk")
        )
        context["follow_ups"] = meeting.follow_ups.all()
        context["organisations"] = meeting.organisations_present.all()
        if can_edit:
            # The meeting's own changes and those of its opinions and follow-ups, deleted or not.
            context["history"] = history.record_entries(
                meeting.history.all(),
                Opinion.history.filter(meeting_id=meeting.pk),
                FollowUp.history.filter(meeting_id=meeting.pk),
            )
        return context


def _earlier_opinions(council, meeting):
    opinions = Opinion.objects.filter(meeting__council=council).select_related("meeting")
    if meeting.pk:
        opinions = opinions.exclude(meeting=meeting)
    return opinions.order_by("-meeting__fiscal_year", "-meeting__sequence", "position")


def _formsets(request, council, meeting, data=None):
    earlier = _earlier_opinions(council, meeting)
    return (
        OpinionFormSet(data, instance=meeting, prefix="opinions", earlier_opinions=earlier),
        FollowUpFormSet(data, instance=meeting, prefix="follow_ups"),
    )


def changes_since(meeting, base_version_date):
    """History entries of the meeting, its opinions and follow-ups after ``base_version_date``."""
    records = list(meeting.history.filter(history_date__gt=base_version_date))
    records += list(
        Opinion.history.filter(meeting_id=meeting.pk, history_date__gt=base_version_date)
    )
    records += list(
        meeting.follow_ups.model.history.filter(
            meeting_id=meeting.pk, history_date__gt=base_version_date
        )
    )
    records.sort(key=lambda record: record.history_date)
    return history.entries(records, with_created_values=True)


def _render_form(
    request, council, form, opinions, follow_ups, *, meeting=None, conflict=None, status=200
):
    return render(
        request,
        "councils/meeting_form.html",
        {
            "council": council,
            "meeting": meeting,
            "form": form,
            "opinions": opinions,
            "follow_ups": follow_ups,
            "conflict": conflict,
            "draft_key": f"meeting-{meeting.pk}" if meeting else f"meeting-new-{council.pk}",
        },
        status=status,
    )


def _int_param(request, name):
    """A year or 第n回 from the query string: ASCII digits, within what a year can be."""
    value = parse_id(request.GET.get(name, ""))
    return value if value is not None and value < 10000 else None


def _say_held_by_date(request, meeting):
    if meeting.held_by_date:
        messages.info(
            request,
            f"開催日({wareki.format_date_with_weekday(meeting.held_on)})が今日以前のため、"
            "状況を「開催済み」として記録しました。開かれなかった会議は、編集で状況を「中止」に"
            "してください。",
        )


@editor_required
def meeting_create(request):
    """Log a meeting of a council chosen with ?council= (a chooser when it is missing)."""
    councils = loggable_councils(request.user)
    council_id = request.GET.get("council")
    if not council_id:
        if not councils.exists():
            raise Http404
        return render(request, "councils/meeting_choose_council.html", {"councils": councils})
    # Strictly ASCII digits: 「²」 passes str.isdigit and then breaks the lookup.
    council = get_object_or_404(councils, pk=parse_id(council_id) or 0)
    meeting = Meeting(council=council)
    if request.method == "POST":
        form = MeetingForm(request.POST, instance=meeting, council=council)
        opinions, follow_ups = _formsets(request, council, meeting, request.POST)
        if form.is_valid() and opinions.is_valid() and follow_ups.is_valid():
            try:
                meeting = save_meeting(form, opinions, follow_ups)
            except IntegrityError:
                # Someone logged the same 第n回 between our check and our save.
                form.add_error(
                    "sequence",
                    "同じ回の会議がたった今ほかの人により登録されました。回を確かめてください。",
                )
                meeting = Meeting(council=council)
            else:
                messages.success(request, f"{meeting}を記録しました。")
                _say_held_by_date(request, meeting)
                return HttpResponseRedirect(meeting.get_absolute_url() + "?saved=1")
        messages.error(request, "入力内容を確認してください。赤字の項目に誤りがあります。")
        return _render_form(request, council, form, opinions, follow_ups)
    # From an empty cell of the status table, the schedule or an area's page: 第n回 of a year.
    fiscal_year = _int_param(request, "fiscal_year") or wareki.fiscal_year_of(timezone.localdate())
    sequence = _int_param(request, "sequence")
    if sequence:
        existing = Meeting.objects.filter(
            council=council, fiscal_year=fiscal_year, sequence=sequence
        ).first()
        if existing:
            # Planned already (or logged a moment ago): record it there, not a second time.
            return redirect("councils:meeting-update", pk=existing.pk)
    meeting.fiscal_year = fiscal_year
    initial = {"fiscal_year": fiscal_year, "sequence": sequence or meeting.next_sequence()}
    form = MeetingForm(instance=meeting, council=council, initial=initial)
    opinions, follow_ups = _formsets(request, council, meeting)
    return _render_form(request, council, form, opinions, follow_ups)


@reader_required
def meeting_update(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.editable_by(request.user).select_related("council__area"), pk=pk
    )
    council = meeting.council
    if request.method != "POST":
        form = MeetingForm(instance=meeting, council=council)
        opinions, follow_ups = _formsets(request, council, meeting)
        return _render_form(request, council, form, opinions, follow_ups, meeting=meeting)

    # The version check comes first: an edit begun before someone else saved (or deleted one
    # of the rows it edits) gets the conflict page, whatever else is wrong with it.
    if _is_stale(request.POST, meeting):
        return _conflict(request, council, meeting)
    form = MeetingForm(request.POST, instance=meeting, council=council)
    opinions, follow_ups = _formsets(request, council, meeting, request.POST)
    if not (form.is_valid() and opinions.is_valid() and follow_ups.is_valid()):
        messages.error(request, "入力内容を確認してください。赤字の項目に誤りがあります。")
        return _render_form(request, council, form, opinions, follow_ups, meeting=meeting)
    try:
        saved = save_meeting(form, opinions, follow_ups)
    except EditConflict:
        return _conflict(request, council, meeting)
    messages.success(request, f"{saved}を保存しました。")
    _say_held_by_date(request, saved)
    return HttpResponseRedirect(saved.get_absolute_url() + "?saved=1")


def _row_ids(meeting):
    return (
        set(meeting.opinions.values_list("pk", flat=True)),
        set(meeting.follow_ups.values_list("pk", flat=True)),
    )


def _is_stale(data, meeting) -> bool:
    """Whether the edit began from another version, or edits a row deleted since. (A post
    without a version is not an edit page's: the form refuses it, or ``save_meeting``.)"""
    base = parse_id(data.get("base_version", ""))
    if base is not None and base != meeting.version:
        return True
    opinion_ids, follow_up_ids = _row_ids(meeting)
    return rows_gone(data, "opinions", opinion_ids) or rows_gone(data, "follow_ups", follow_up_ids)


def _conflict(request, council, meeting):
    """The conflict page: what others changed since the edit began, above the form that still
    holds everything typed. The edit now starts from the current version, and a row of an
    opinion or follow-up deleted meanwhile becomes a new row, so saving again (after reading
    what changed) is a deliberate choice that loses nothing."""
    current = Meeting.objects.select_related("council__area").get(pk=meeting.pk)
    began_at = parse_timestamp(request.POST.get("began_at"))
    conflict = {"changes": changes_since(current, began_at) if began_at else []}
    opinion_ids, follow_up_ids = _row_ids(current)
    data = rebase_rows(request.POST, "opinions", opinion_ids)
    data = rebase_rows(data, "follow_ups", follow_up_ids)
    data["base_version"] = current.version
    data["began_at"] = timezone.now().isoformat()
    form = MeetingForm(data, instance=current, council=council)
    opinions, follow_ups = _formsets(request, council, current, data)
    return _render_form(
        request,
        council,
        form,
        opinions,
        follow_ups,
        meeting=current,
        conflict=conflict,
        status=409,
    )


@reader_required
def meeting_delete(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.editable_by(request.user).select_related("council"), pk=pk
    )
    if request.method == "POST":
        council = meeting.council
        label = str(meeting)
        meeting.delete()
        messages.success(
            request, f"{label}を削除しました。誤って削除した場合は管理者が元に戻せます。"
        )
        return redirect(reverse("councils:meeting-list") + f"?council={council.pk}")
    return render(request, "councils/meeting_confirm_delete.html", {"meeting": meeting})


# --- small updates: one opinion's response, one follow-up's done flag ------------------------


def _next_url(request, fallback):
    """Where to go after a small update: the page it was made from, if it is on this site.
    Back on the record's own meeting page, at the record (``fallback``'s #fragment)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        page, _, fragment = fallback.partition("#")
        return f"{target}#{fragment}" if target == page and fragment else target
    return fallback


@reader_required
def opinion_response(request, pk):
    """An opinion's status and response, alone: a page of its own (a phone, no JavaScript)
    and the target of the small forms on the meeting page, the open-items list and the home."""
    opinion = get_object_or_404(
        Opinion.objects.editable_by(request.user).select_related("meeting__council__area"),
        pk=pk,
        meeting__isnull=False,
    )
    back = _next_url(request, opinion.get_absolute_url())
    if request.method != "POST":
        form = OpinionResponseForm(opinion=opinion)
        return _render_opinion_response(request, opinion, form, back)
    form = OpinionResponseForm(request.POST)
    if not form.is_valid():
        return _render_opinion_response(request, opinion, form, back, status=400)
    try:
        changed = update_opinion_response(
            opinion=opinion,
            version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
            response=form.cleaned_data["response"],
        )
    except EditConflict as conflict:
        current = conflict.current
        data = request.POST.copy()
        data["version"] = current.version  # saving again, after reading, is deliberate
        return _render_opinion_response(
            request, current, OpinionResponseForm(data), back, conflict=current, status=409
        )
    opinion.refresh_from_db()
    label = f"「{opinion.text[:20]}」"
    if changed:
        messages.success(
            request, f"{label}の対応状況を「{opinion.get_status_display()}」にしました。"
        )
    else:
        messages.info(request, f"{label}は変更されていません。")
    return HttpResponseRedirect(back)


def _render_opinion_response(request, opinion, form, back, *, conflict=None, status=200):
    return render(
        request,
        "councils/opinion_response.html",
        {"opinion": opinion, "form": form, "next": back, "conflict": conflict},
        status=status,
    )


@require_POST
@reader_required
def follow_up_done(request, pk):
    """Mark one follow-up done (or not done again), from wherever it is listed."""
    follow_up = get_object_or_404(
        FollowUp.objects.editable_by(request.user).select_related("meeting__council"), pk=pk
    )
    back = _next_url(request, follow_up.get_absolute_url())
    form = FollowUpDoneForm(request.POST)
    label = f"「{follow_up.action[:20]}」"
    if not form.is_valid():
        messages.error(request, f"{label}を変更できませんでした。ページを開き直してください。")
        return HttpResponseRedirect(back)
    done = form.cleaned_data["done"]
    try:
        changed = set_follow_up_done(
            follow_up=follow_up, version=form.cleaned_data["version"], done=done
        )
    except EditConflict as conflict:
        state = "完了" if conflict.current.done else "未完了"
        messages.error(
            request,
            f"{label}は、このページを開いた後にほかの人が変更しました(いまは{state})。"
            "内容を確かめて、必要ならもう一度操作してください。",
        )
        return HttpResponseRedirect(back)
    if changed:
        messages.success(request, f"{label}を{'完了' if done else '未完了'}にしました。")
    else:
        messages.info(request, f"{label}はすでに{'完了' if done else '未完了'}です。")
    return HttpResponseRedirect(back)


class FollowUpListView(ReaderRequiredMixin, FilterView):
    """今後の取組: every follow-up agreed in meetings, by due date (the overdue ones first),
    by default those not done; each can be marked done here."""

    model = FollowUp
    filterset_class = FollowUpFilter
    template_name = "councils/followup_list.html"
    paginate_by = 100

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if not kwargs["data"]:
            kwargs["data"] = {"done": "pending"}
        return kwargs

    def get_queryset(self):
        return (
            FollowUp.objects.visible_to(self.request.user)
            .select_related("meeting__council__area")
            .by_due_date()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            today=timezone.localdate(),
            editable_area_ids=editable_area_ids(self.request.user),
            **kwargs,
        )


def editable_area_ids(user) -> set[int]:
    """The areas whose records ``user`` may change, for lists that offer small updates on the
    rows they may change: one query, whatever the number of rows."""
    return set(Area.objects.editable_by(user).values_list("pk", flat=True))


# --- the year's plan (city staff) ---------------------------------------------------------


def _plan_year(request, value):
    try:
        fiscal_year = int(value)
        format_fiscal_year(fiscal_year)
    except (TypeError, ValueError, WarekiError):
        return None
    return fiscal_year


@planner_required
def plan_create(request):
    """Make a fiscal year's plan from the previous one: preview (GET), then confirm (POST).

    The preview lists the phases a year on and every tier-2 council's planned 第n回 with its
    month; confirming writes exactly that, or nothing if the data changed meanwhile."""
    fiscal_year = _plan_year(request, request.GET.get("fiscal_year"))
    if fiscal_year is None:
        fiscal_year = wareki.fiscal_year_of(timezone.localdate()) + 1
    if SchedulePhase.objects.filter(fiscal_year=fiscal_year).exists():
        messages.info(request, f"{format_fiscal_year(fiscal_year)}の計画はすでにあります。")
        return redirect("councils:plan-update", fiscal_year=fiscal_year)
    source_year = year_plan.source_year_for(fiscal_year)
    if source_year is None:
        # Nothing to copy: start from an empty plan on the edit page.
        return redirect("councils:plan-update", fiscal_year=fiscal_year)
    draft = year_plan.draft_from(fiscal_year=fiscal_year, source_year=source_year)
    status = 200
    if request.method == "POST":
        form = PlanConfirmForm(request.POST)
        if form.is_valid() and form.cleaned_data["source_year"] == source_year:
            try:
                created = create_year_plan(
                    fiscal_year=fiscal_year,
                    source_year=source_year,
                    digest=form.cleaned_data["digest"],
                )
            except (PlanChanged, year_plan.PlanRefused):
                messages.error(
                    request,
                    "確認の後に計画や会議の記録が変わりました。何も作成していません。"
                    "下の内容を確かめて、もう一度「この内容で作成する」を押してください。",
                )
                draft = year_plan.draft_from(fiscal_year=fiscal_year, source_year=source_year)
                status = 409
            else:
                messages.success(
                    request,
                    f"{format_fiscal_year(fiscal_year)}の計画を作成しました"
                    f"(予定の会議 {len(created.to_create)}件)。月は下の表で変えられます。",
                )
                return redirect("councils:plan-update", fiscal_year=fiscal_year)
        else:
            status = 400
    form = PlanConfirmForm(initial={"source_year": source_year, "digest": draft.digest()})
    return render(
        request,
        "councils/plan_preview.html",
        {"draft": draft, "form": form, "fiscal_year": fiscal_year},
        status=status,
    )


@planner_required
def plan_update(request, fiscal_year):
    """Edit a fiscal year's plan: its phases, and each tier-2 council's planned months."""
    if _plan_year(request, fiscal_year) is None:
        raise Http404("年度が範囲外です")
    councils = list(
        Council.objects.filter(tier=Tier.SECOND).select_related("area").order_by("area__position")
    )
    meetings = {
        (m.council_id, m.sequence): m
        for m in Meeting.objects.filter(fiscal_year=fiscal_year, council__in=councils)
    }
    phases_now = SchedulePhase.objects.filter(fiscal_year=fiscal_year)
    sequences = sorted(
        {p.sequence for p in phases_now if p.sequence} | {seq for _, seq in meetings}
    )
    data = request.POST if request.method == "POST" else None
    phases = PhaseFormSet(data, fiscal_year=fiscal_year, prefix="phases")
    months = PlanMonthsForm(
        data,
        fiscal_year=fiscal_year,
        councils=councils,
        sequences=sequences,
        meetings=meetings,
        prefix="plan",
    )
    state = request.POST.get("state") if data else plan_state(fiscal_year)
    status = 200
    if data is not None:
        if phases.is_valid() and months.is_valid():
            try:
                save_year_plan(
                    fiscal_year=fiscal_year,
                    phases=phases,
                    months=months.changed_months({c.pk: c for c in councils}),
                    state=state,
                )
            except PlanChanged:
                messages.error(
                    request,
                    "この計画は、ページを開いた後にほかの人が変更しました。まだ保存していません。"
                    "ページを開き直して、変更を確かめてから入力し直してください。",
                )
                status = 409
            else:
                messages.success(
                    request, f"{format_fiscal_year(fiscal_year)}の計画を保存しました。"
                )
                return redirect("councils:plan-update", fiscal_year=fiscal_year)
        else:
            messages.error(request, "入力内容を確認してください。赤字の項目に誤りがあります。")
            status = 400
    return render(
        request,
        "councils/plan_form.html",
        {
            "fiscal_year": fiscal_year,
            "phases": phases,
            "months": months,
            "sequences": sequences,
            "state": state,
            "has_plan": phases_now.exists(),
            "next_year_planned": SchedulePhase.objects.filter(fiscal_year=fiscal_year + 1).exists(),
        },
        status=status,
    )

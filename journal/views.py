"""The activity journal: list, one entry, entering and changing entries (in full, or quickly
from the home page), a fiscal year's 活動実績 and each coordinator's 今後の課題や提案.

Every member of the programme reads the journal (it holds no personal data). Entries are
changed as meetings are, by whoever answers for one of their areas (``accounts.access``);
a coordinator's yearly issues and proposals only by that coordinator (and administrators).
"""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET
from django.views.generic import DetailView
from django_filters.views import FilterView

from accounts.access import (
    ReaderRequiredMixin,
    editor_required,
    may_write_for_placement,
    reader_required,
)
from accounts.roles import Role, coordinator_of, covers_some_area, role_of
from audit import history
from coordinators.models import Coordinator
from core import wareki
from core.exports import XLSX, Sheet, TableExportMixin, book_response
from core.tables import SingleTableMixin
from councils.models import Area
from journal.filters import JournalEntryFilter
from journal.forms import JournalEntryForm, YearNoteForm
from journal.models import SURVEY_CATEGORIES, ActivityKind, JournalEntry, YearNote
from journal.rollup import journal_rollup
from journal.services import save_entry
from journal.tables import JournalEntryTable


def _checked_fiscal_year(fiscal_year):
    try:
        wareki.format_fiscal_year(fiscal_year)
        wareki.fiscal_year_bounds(fiscal_year)
    except (wareki.WarekiError, ValueError, OverflowError):
        raise Http404("年度が範囲外です") from None
    return fiscal_year


def _writable_areas(user, entry=None):
    """The areas ``user`` may tag an entry with (and an edited entry's own areas)."""
    coordinator = coordinator_of(user)
    areas = Area.objects.all() if coordinator is None else coordinator.covered_areas()
    if entry is not None and entry.pk:
        areas = Area.objects.filter(
            Q(pk__in=areas.values("pk")) | Q(pk__in=entry.areas.values("pk"))
        )
    return areas


def _usual_led_to():
    """{kind: survey category code} the form ticks when a kind is chosen (static/js)."""
    return {c.usual_kind: c.code for c in SURVEY_CATEGORIES if c.usual_kind}


# --- list, detail ----------------------------------------------------------------------------


class JournalEntryListView(ReaderRequiredMixin, TableExportMixin, SingleTableMixin, FilterView):
    filterset_class = JournalEntryFilter
    table_class = JournalEntryTable
    table_pagination = {"per_page": 50}
    template_name = "journal/journalentry_list.html"
    export_name = "活動記録"
    export_ascii_name = "coordinator-journal"
    export_row_label = "概要"

    def get_export_fiscal_year(self):
        form = self.filterset.form
        return form.cleaned_data.get("fiscal_year") if form.is_valid() else None

    def get_queryset(self):
        return (
            JournalEntry.objects.visible_to(self.request.user)
            .select_related("coordinator", "group", "council")
            .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("position")))
            .order_by("-done_on", "-pk")
        )

    def export_table(self, fmt, table=None):
        """The xlsx is a titled sheet set up to print (``core.exports.to_xlsx_book``); CSV as
        every list's."""
        if fmt != XLSX:
            return super().export_table(fmt, table)
        if table is None:
            table = self.get_table(**self.get_table_kwargs())
        headers, rows = self.get_export_rows(table)
        form = self.filterset.form
        year = form.cleaned_data.get("fiscal_year") if form.is_valid() else None
        caption = f"{wareki.format_fiscal_year(year)}の記録" if year else "すべての年度の記録"
        return book_response(
            title=wareki.format_fiscal_year(year) if year else "",
            sheets=[
                Sheet(
                    "生活支援コーディネーターの活動記録",
                    headers,
                    rows,
                    caption=f"{caption}(画面の絞り込みのまま)",
                )
            ],
            name=self.get_export_info(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_log"] = covers_some_area(self.request.user)
        form = self.filterset.form
        year = form.cleaned_data.get("fiscal_year") if form.is_valid() else None
        context["fiscal_year"] = year or wareki.fiscal_year_of(timezone.localdate())
        return context


class JournalEntryDetailView(ReaderRequiredMixin, DetailView):
    template_name = "journal/journalentry_detail.html"

    def get_queryset(self):
        return JournalEntry.objects.visible_to(self.request.user).select_related(
            "coordinator", "group__council__area", "council"
        )

    def get_context_data(self, **kwargs):
        entry, user = self.object, self.request.user
        can_edit = JournalEntry.objects.editable_by(user).filter(pk=entry.pk).exists()
        return super().get_context_data(
            can_edit=can_edit,
            areas=entry.areas.order_by("position"),
            history=history.record_entries(entry.history.all()) if can_edit else None,
            **kwargs,
        )


# --- entering and changing --------------------------------------------------------------


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _render_entry_form(request, form, *, entry=None, status=200):
    return render(
        request,
        "journal/journalentry_form.html",
        {
            "form": form,
            "entry": entry,
            "next": _safe_next(request),
            "hints_unseen": form.is_bound and form.is_valid() and form.hints_unseen(),
            "usual_led_to": _usual_led_to(),
        },
        status=status,
    )


def _entry_saved(request, entry, *, created):
    verb = "記録しました" if created else "保存しました"
    messages.success(request, f"活動記録「{entry}」を{verb}。")
    return HttpResponseRedirect(_safe_next(request) or entry.get_absolute_url())


@editor_required
def entry_create(request):
    """A new entry, as the signed-in coordinator (an administrator chooses the coordinator).

    The home page's quick form posts here too; whatever needs the writer's attention (an
    error, a warning about personal data) is shown on this page, with everything typed kept.
    """
    author = coordinator_of(request.user)
    areas = _writable_areas(request.user)
    if request.method == "POST":
        form = JournalEntryForm(request.POST, author=author, areas=areas)
        if form.is_valid() and not form.hints_unseen():
            entry = save_entry(form)
            return _entry_saved(request, entry, created=True)
        if not form.is_valid():
            messages.error(request, "入力内容を確認してください。赤字の項目に誤りがあります。")
        return _render_entry_form(request, form)
    initial = {}
    kind = request.GET.get("kind")
    if kind in ActivityKind.values:
        initial["kind"] = kind
    return _render_entry_form(
        request, JournalEntryForm(author=author, areas=areas, initial=initial)
    )


def _editable_entry(request, pk):
    return get_object_or_404(
        JournalEntry.objects.editable_by(request.user).select_related("coordinator"), pk=pk
    )


@reader_required
def entry_update(request, pk):
    entry = _editable_entry(request, pk)
    # An administrator may correct whose entry it is; anyone else keeps its author.
    author = None if role_of(request.user) == Role.ADMINISTRATOR else entry.coordinator
    areas = _writable_areas(request.user, entry)
    if request.method == "POST":
        form = JournalEntryForm(request.POST, instance=entry, author=author, areas=areas)
        if form.is_valid() and not form.hints_unseen():
            entry = save_entry(form)
            return _entry_saved(request, entry, created=False)
        if not form.is_valid():
            messages.error(request, "入力内容を確認してください。赤字の項目に誤りがあります。")
        return _render_entry_form(request, form, entry=entry)
    form = JournalEntryForm(instance=entry, author=author, areas=areas)
    return _render_entry_form(request, form, entry=entry)


@reader_required
def entry_delete(request, pk):
    entry = _editable_entry(request, pk)
    if request.method == "POST":
        label = str(entry)
        entry.delete()
        messages.success(
            request,
            f"活動記録「{label}」を削除しました。誤って削除した場合は管理者が元に戻せます。",
        )
        return redirect("journal:entry-list")
    return render(request, "journal/journalentry_confirm_delete.html", {"entry": entry})


def quick_entry_context(user):
    """The home page's quick entry: ``{"quick_entry": {...}}`` for those who keep a journal
    (coordinators; administrators use the full form), else nothing."""
    author = coordinator_of(user)
    if author is None or not covers_some_area(user):
        return {}
    form = JournalEntryForm(author=author, areas=author.covered_areas(), auto_id="quick_%s")
    return {
        "quick_entry": {
            "form": form,
            "action": reverse("journal:entry-create"),
            "recent": JournalEntry.objects.by_coordinator(author).order_by("-done_on", "-pk")[:3],
            "list_url": f"{reverse('journal:entry-list')}?coordinator={author.pk}",
            "usual_led_to": _usual_led_to(),
        }
    }


# --- the year's 活動実績 and notes ------------------------------------------------------------


@reader_required
@require_GET
def summary_current(request):
    return redirect("journal:summary", fiscal_year=wareki.fiscal_year_of(timezone.localdate()))


@reader_required
@require_GET
def summary(request, fiscal_year):
    """活動実績: the year's entries per coordinator and kind, per survey question, and each
    coordinator's 今後の課題や提案."""
    fiscal_year = _checked_fiscal_year(fiscal_year)
    rollup = journal_rollup(fiscal_year)
    return render(
        request,
        "journal/summary.html",
        {
            "fiscal_year": fiscal_year,
            "rollup": rollup,
            "previous_year": fiscal_year - 1,
            "next_year": fiscal_year + 1
            if fiscal_year < wareki.fiscal_year_of(timezone.localdate())
            else None,
            "writable": {
                row.coordinator.pk
                for row in rollup.rows
                if may_write_for_placement(request.user, row.coordinator)
            },
        },
    )


@reader_required
def yearnote_edit(request, fiscal_year, coordinator):
    """A coordinator's 今後の課題や提案 for a year: that coordinator and administrators write it."""
    fiscal_year = _checked_fiscal_year(fiscal_year)
    placement = get_object_or_404(Coordinator, pk=coordinator)
    if not may_write_for_placement(request.user, placement):
        raise Http404
    note = YearNote.objects.filter(coordinator=placement, fiscal_year=fiscal_year).first()
    instance = note or YearNote(coordinator=placement, fiscal_year=fiscal_year)
    form = YearNoteForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid() and not form.hints_unseen():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            # The same coordinator's note of the year, saved meanwhile from another window.
            form.add_error(
                None,
                "この年度の今後の課題や提案が、たった今ほかの画面から保存されました。"
                "入力した内容をコピーしてから、ページを開き直して確かめてください。",
            )
        else:
            messages.success(
                request,
                f"{placement}の{wareki.format_fiscal_year(fiscal_year)}の今後の課題や提案を保存しました。",
            )
            return redirect("journal:summary", fiscal_year=fiscal_year)
    return render(
        request,
        "journal/yearnote_form.html",
        {
            "form": form,
            "note": note,
            "coordinator": placement,
            "fiscal_year": fiscal_year,
            "hints_unseen": form.is_bound and form.is_valid() and form.hints_unseen(),
            "history": history.record_entries(note.history.all()) if note else None,
        },
    )

"""The meeting log: a meeting with its opinions and follow-ups, in one form."""

import re
from datetime import date

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils import timezone

from core import wareki
from core.forms import FiscalYearField, WarekiDateField, WarekiDateInput
from core.http import parse_id
from councils.models import (
    FollowUp,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    Opinion,
    OrganisationType,
    ResponseStatus,
    SchedulePhase,
)

MONTH_PLACEHOLDER = "例: 令和9年2月 / 2027-02"


class WarekiMonthInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"placeholder": MONTH_PLACEHOLDER, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, date):
            try:
                value = wareki.format_month(value)
            except wareki.WarekiError:
                value = f"{value.year}-{value.month:02d}"
        return super().format_value(value)


class WarekiMonthField(forms.DateField):
    """A month typed as 平成30年2月, H30.2, 2018-02 or 2018年2月 (a full date is fine too);
    cleans to the first day of that month."""

    widget = WarekiMonthInput

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value.replace(day=1)
        text = str(value)
        candidates = [text]
        if text.endswith("月"):
            candidates.append(text + "1日")
        elif re.search(r"[./\-／．－]\s*\d{1,2}$", text):
            candidates.append(text + text[re.search(r"[./\-／．－]", text).start()] + "1")
        reason = None
        for candidate in candidates:
            try:
                return wareki.parse_date(candidate).replace(day=1)
            except wareki.WarekiError as error:
                if "形式" not in str(error):
                    reason = str(error)  # read, but not a day of that era: say which
        if reason and candidates[-1] != text:
            raise ValidationError(f"「{text[:40]}」は{reason.split('は', 1)[1]}", code="invalid")
        raise ValidationError(
            f"月の形式が読み取れません: 「{text[:40]}」（{MONTH_PLACEHOLDER}）", code="invalid"
        )


class MeetingForm(forms.ModelForm):
    """The meeting itself. The council comes from the URL and the version from the server:
    neither is a field here, so posting them changes nothing."""

    fiscal_year = FiscalYearField(label="年度")
    held_on = WarekiDateField(
        label="開催日",
        required=False,
        widget=WarekiDateInput(weekday=True),
        help_text="今日以前の日付で「中止」でなければ「開催済み」として記録します",
    )
    planned_month = WarekiMonthField(
        label="予定月", required=False, help_text="日付が決まっていないときは月だけ"
    )
    organisations_present = forms.ModelMultipleChoiceField(
        queryset=OrganisationType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="出席した構成団体",
    )
    # The version this edit started from (see MeetingUpdateView: no lost updates).
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    began_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = [
            "fiscal_year",
            "sequence",
            "status",
            "planned_month",
            "held_on",
            "starts_at",
            "venue",
            "attendance",
            "organisations_present",
            "agenda",
            "summary",
            "needs_found",
            "minutes_status",
        ]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "summary": forms.Textarea(attrs={"rows": 6}),
            "needs_found": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"sequence": "回 (第n回)"}

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.instance.council = council
        self.fields["sequence"].widget.attrs.update({"min": 1, "inputmode": "numeric"})
        self.fields["attendance"].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        # Unknown unless someone sets it: nothing is preselected (see Meeting.minutes_status).
        self.fields["minutes_status"].choices = [("", "— (未記録)"), *MinutesStatus.choices]
        if not self.is_bound and self.instance.pk:
            self.initial["base_version"] = self.instance.version
            self.initial["began_at"] = timezone.now().isoformat()

    def clean(self):
        cleaned = super().clean()
        fiscal_year, sequence = cleaned.get("fiscal_year"), cleaned.get("sequence")
        held_on, planned_month = cleaned.get("held_on"), cleaned.get("planned_month")
        council = self.instance.council
        if fiscal_year and sequence:
            probe = Meeting(
                pk=self.instance.pk, council=council, fiscal_year=fiscal_year, sequence=sequence
            )
            if probe.sequence_taken():
                self.add_error(
                    "sequence",
                    f"{council}の{wareki.format_fiscal_year(fiscal_year)} 第{sequence}回はすでに"
                    f"登録されています。回の番号を確かめてください"
                    f"(次の番号は第{probe.next_sequence()}回です)。",
                )
        if fiscal_year:
            first, last = wareki.fiscal_year_bounds(fiscal_year)
            label = wareki.format_fiscal_year(fiscal_year)
            for name, value, what in (
                ("held_on", held_on, "開催日"),
                ("planned_month", planned_month, "予定月"),
            ):
                if value and not first.replace(day=1) <= value <= last and name not in self.errors:
                    self.add_error(
                        name,
                        f"{what}が{label}({wareki.format_date(first)}〜"
                        f"{wareki.format_date(last)})の期間外です。",
                    )
        return cleaned


class OpinionForm(forms.ModelForm):
    """An opinion or need raised in the meeting, with where it stands and what it continues."""

    help_categories = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="関連する手伝ってほしいこと",
    )

    class Meta:
        model = Opinion
        fields = ["kind", "text", "status", "response", "follows"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"text": "内容"}

    def __init__(self, *args, earlier_opinions=None, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        # needs_survey depends on councils, not the other way round: look the model up.
        help_category = apps.get_model("needs_survey", "HelpCategory")
        self.fields["help_categories"].queryset = help_category.objects.all()
        self.fields["follows"].queryset = (
            earlier_opinions if earlier_opinions is not None else Opinion.objects.none()
        )
        self.fields["follows"].required = False
        self.fields["follows"].empty_label = "— (続きではない)"
        self.fields["follows"].label_from_instance = lambda o: (
            f"{wareki.format_fiscal_year(o.meeting.fiscal_year)} 第{o.meeting.sequence}回: "
            f"{o.text[:30]}"
        )
        if self.instance.pk:
            self.initial["help_categories"] = list(self.instance.help_categories.all())


class FollowUpForm(forms.ModelForm):
    due_on = WarekiDateField(label="期限", required=False, widget=WarekiDateInput(weekday=True))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)

    class Meta:
        model = FollowUp
        fields = ["action", "assignee", "due_on", "done"]
        widgets = {"action": forms.Textarea(attrs={"rows": 2})}


class BaseOpinionFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, earlier_opinions=None, **kwargs):
        self.earlier_opinions = earlier_opinions
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "earlier_opinions": self.earlier_opinions}

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Every row offers the same choices: read them once per page, not once per row.
        cache = self.__dict__.setdefault("_shared_choices", {})
        for name in ("help_categories", "follows"):
            if name not in cache:
                cache[name] = list(form.fields[name].choices)
            form.fields[name].choices = cache[name]
        return form


# The most rows of each list one meeting form accepts: far more than a meeting has (the 2017
# meetings had a handful), few enough that a forged post cannot hold a worker for long.
MAX_ROWS = 100

OpinionFormSet = inlineformset_factory(
    Meeting,
    Opinion,
    form=OpinionForm,
    formset=BaseOpinionFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
)
FollowUpFormSet = inlineformset_factory(
    Meeting,
    FollowUp,
    form=FollowUpForm,
    extra=1,
    can_delete=True,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
)


def _rows(data, prefix):
    """The posted rows of formset ``prefix``: (index, {name: [values]}) in order, at most
    as many as the formset accepts."""
    total = parse_id(data.get(f"{prefix}-TOTAL_FORMS", "")) or 0
    rows = []
    for index in range(min(total, MAX_ROWS)):
        start = f"{prefix}-{index}-"
        rows.append({key[len(start) :]: data.getlist(key) for key in data if key.startswith(start)})
    return rows


def _initial_count(data, prefix):
    return min(parse_id(data.get(f"{prefix}-INITIAL_FORMS", "")) or 0, MAX_ROWS)


def rows_gone(data, prefix, existing_ids) -> bool:
    """Whether a posted row edits a record that no longer exists (deleted meanwhile, by
    anyone); a row its author deleted too does not count."""
    for row in _rows(data, prefix)[: _initial_count(data, prefix)]:
        if parse_id((row.get("id") or [""])[0]) not in existing_ids and not row.get("DELETE"):
            return True
    return False


def rebase_rows(data, prefix, existing_ids):
    """``data`` with formset ``prefix``'s rows fitted to the records as they are now: a row of
    a record deleted meanwhile becomes a new row holding what was typed (or disappears when
    its author deleted it too), so nothing typed is lost and the form can be saved again."""
    rows = _rows(data, prefix)
    initial = _initial_count(data, prefix)
    kept, moved, added = [], [], []
    for index, row in enumerate(rows):
        if index >= initial:
            added.append(row)
        elif parse_id((row.get("id") or [""])[0]) in existing_ids:
            kept.append(row)
        elif not row.get("DELETE"):
            moved.append({**row, "id": [""]})
    result = data.copy()
    row_key = re.compile(rf"{re.escape(prefix)}-[0-9]+-")
    for key in list(result):
        if row_key.match(key):
            del result[key]
    for index, row in enumerate(kept + moved + added):
        for name, values in row.items():
            result.setlist(f"{prefix}-{index}-{name}", values)
    result[f"{prefix}-TOTAL_FORMS"] = str(len(kept) + len(moved) + len(added))
    result[f"{prefix}-INITIAL_FORMS"] = str(len(kept))
    return result


# --- small updates: one opinion's response, one follow-up's done flag ------------------------


class OpinionResponseForm(forms.Form):
    """An opinion's status and response alone, from the meeting page, the open-items list or
    the home page. ``version`` is the opinion's as the page showed it."""

    status = forms.ChoiceField(label="対応状況", choices=ResponseStatus.choices)
    response = forms.CharField(
        label="対応の内容",
        required=False,
        max_length=Opinion._meta.get_field("response").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="どの既存サービス・団体・対応策で応えたか",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, opinion=None, **kwargs):
        if opinion is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "status": opinion.status,
                "response": opinion.response,
                "version": opinion.version,
            }
        super().__init__(*args, label_suffix="", **kwargs)


class FollowUpDoneForm(forms.Form):
    """A follow-up's done flag alone; ``version`` is the follow-up's as the page showed it."""

    done = forms.BooleanField(label="完了", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- the year's plan ---------------------------------------------------------------------


class PhaseForm(forms.ModelForm):
    """A phase of the year's plan: 第n回 with its month and themes, or year-round tasks."""

    starts_in = WarekiMonthField(label="開始月", required=False, help_text="通年の取組は空欄")

    class Meta:
        model = SchedulePhase
        fields = ["sequence", "starts_in", "title", "topics", "note"]
        widgets = {
            "topics": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"sequence": "回 (第n回)", "topics": "項目"}
        help_texts = {"sequence": "会議でない通年の取組は空欄"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["sequence"].widget.attrs.update({"min": 1, "inputmode": "numeric"})


class BasePhaseFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, fiscal_year, **kwargs):
        self.fiscal_year = fiscal_year
        kwargs.setdefault("queryset", SchedulePhase.objects.filter(fiscal_year=fiscal_year))
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        first, last = wareki.fiscal_year_bounds(self.fiscal_year)
        label = wareki.format_fiscal_year(self.fiscal_year)
        seen = {}
        for number, form in enumerate(self.forms, start=1):
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            sequence = form.cleaned_data.get("sequence")
            starts_in = form.cleaned_data.get("starts_in")
            if starts_in and not first.replace(day=1) <= starts_in <= last:
                form.add_error(
                    "starts_in",
                    f"{number}行目: 開始月が{label}({wareki.format_month(first)}〜"
                    f"{wareki.format_month(last)})の期間外です。",
                )
            if sequence:
                if sequence in seen:
                    form.add_error(
                        "sequence",
                        f"{number}行目: 第{sequence}回は{seen[sequence]}行目にもあります。"
                        "回の番号を確かめてください。",
                    )
                seen.setdefault(sequence, number)


PhaseFormSet = forms.modelformset_factory(
    SchedulePhase,
    form=PhaseForm,
    formset=BasePhaseFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
)


class PlanMonthsForm(forms.Form):
    """Each tier-2 council's planned month of each 第n回 of a year: one field per cell.

    A cell is editable while its meeting is planned without a date (or not recorded yet);
    a meeting held, cancelled or given a date is the coordinators' record, shown not edited.
    """

    def __init__(self, *args, fiscal_year, councils, sequences, meetings, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fiscal_year = fiscal_year
        self.rows = []
        for council in councils:
            cells = []
            for sequence in sequences:
                meeting = meetings.get((council.pk, sequence))
                name = f"month-{council.pk}-{sequence}"
                editable = meeting is None or (
                    meeting.status == MeetingStatus.PLANNED and meeting.held_on is None
                )
                if editable:
                    self.fields[name] = WarekiMonthField(
                        label=f"{council.area or council} 第{sequence}回",
                        required=False,
                        widget=WarekiMonthInput(attrs={"placeholder": "", "size": 10}),
                    )
                    if meeting is not None:
                        self.initial[name] = meeting.planned_month
                cells.append(
                    {"council": council, "sequence": sequence, "meeting": meeting, "name": name}
                )
            self.rows.append((council, cells))

    def bound_rows(self):
        """The rows with each editable cell's bound field, for the template."""
        return [
            (
                council,
                [
                    {**cell, "field": self[cell["name"]] if cell["name"] in self.fields else None}
                    for cell in cells
                ],
            )
            for council, cells in self.rows
        ]

    def clean(self):
        cleaned = super().clean()
        first, last = wareki.fiscal_year_bounds(self.fiscal_year)
        label = wareki.format_fiscal_year(self.fiscal_year)
        for name, value in list(cleaned.items()):
            if value and not first.replace(day=1) <= value <= last:
                self.add_error(
                    name,
                    f"{self.fields[name].label}: 予定月が{label}({wareki.format_month(first)}〜"
                    f"{wareki.format_month(last)})の期間外です。",
                )
        return cleaned

    def changed_months(self, councils_by_pk):
        """{(council, sequence): month} for the cells whose value changed."""
        changed = {}
        for name in self.changed_data:
            _, council_pk, sequence = name.split("-")
            changed[(councils_by_pk[int(council_pk)], int(sequence))] = self.cleaned_data[name]
        return changed


class PlanConfirmForm(forms.Form):
    """The confirmation of a plan made from the previous year: what the preview showed."""

    source_year = forms.IntegerField(widget=forms.HiddenInput)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)

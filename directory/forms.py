"""The entry form (one page: the entry and its recurring times) and the office's contact form."""

from django import forms
from django.forms import inlineformset_factory

from activities.models import SupportGroup
from core.forms import SearchableModelChoiceField, WarekiDateField, WarekiDateInput
from councils.models import Area
from directory import privacy
from directory.models import (
    WEEKDAYS,
    WEEKS,
    ContactKind,
    ContactOffice,
    Entry,
    Frequency,
    LocationKind,
    Schedule,
    ScheduleKind,
)
from needs_survey.models import HelpCategory


class EntryForm(forms.ModelForm):
    """An entry. ``user`` limits the area to those they answer for; publishing and the
    confirmation date are actions of their own, except the box 「今日確認した」."""

    area = SearchableModelChoiceField(
        queryset=Area.objects.none(),
        label="担当圏域",
        help_text="この圏域のコーディネーターが内容を確認します。",
    )
    support_group = SearchableModelChoiceField(
        queryset=SupportGroup.objects.none(),
        required=False,
        label="支え合い活動団体",
        help_text="第3層の団体の活動であれば選びます。",
    )
    help_categories = forms.ModelMultipleChoiceField(
        queryset=HelpCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="手伝ってほしいことの分類",
        help_text="住民が「手伝ってほしいこと」から探すときに、この分類で見つかります。",
    )
    service_areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="対象圏域",
        help_text="利用できる人が住んでいる圏域。選ばなければ担当圏域だけになります。",
    )
    suspended_until = WarekiDateField(
        label="休止の予定期限", required=False, widget=WarekiDateInput, help_text="未定なら空欄"
    )
    url = forms.URLField(label="ホームページ", required=False, assume_scheme="https")
    confirmed_today = forms.BooleanField(
        label="今日、実施団体に内容を確かめた(最終確認日を今日にする)",
        required=False,
        help_text="確かめていなければチェックしないでください。編集しただけでは最終確認日は変わりません。",
    )

    class Meta:
        model = Entry
        fields = [
            "name",
            "name_kana",
            "kind",
            "provider",
            "support_group",
            "services",
            "help_categories",
            "description",
            "area",
            "service_areas",
            "location_kind",
            "place_name",
            "address",
            "host_consent",
            "schedule_kind",
            "schedule_note",
            "fees",
            "eligibility",
            "contact_kind",
            "contact_name",
            "contact_phone",
            "contact_hours",
            "url",
            "note",
            "status",
            "suspended_notice",
            "suspended_until",
        ]
        widgets = {
            "services": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "location_kind": forms.RadioSelect,
            "schedule_kind": forms.RadioSelect,
            "contact_kind": forms.RadioSelect,
            "status": forms.RadioSelect,
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        areas = Area.objects.editable_by(user)
        self.fields["area"].queryset = areas
        self.fields["support_group"].queryset = SupportGroup.objects.editable_by(user).order_by(
            "model_number", "name"
        )
        if self.instance.pk:
            self.initial.setdefault("service_areas", list(self.instance.service_areas.all()))
            self.initial.setdefault("help_categories", list(self.instance.help_categories.all()))

    def clean(self):
        cleaned = super().clean()
        phone = cleaned.get("contact_phone", "")
        if phone and privacy.is_supporter_phone(phone):
            self.add_error("contact_phone", privacy.PHONE_MESSAGE)
        address = cleaned.get("address", "")
        if address and privacy.is_supporter_address(address):
            self.add_error("address", privacy.ADDRESS_MESSAGE)
        for name in ("contact_name", "provider"):
            value = cleaned.get(name, "")
            if value and privacy.is_supporter_name(value):
                self.add_error(name, privacy.NAME_MESSAGE)
        if cleaned.get("location_kind") not in (LocationKind.PUBLIC, LocationKind.PRIVATE_HOME):
            for name in ("place_name", "address"):
                if cleaned.get(name):
                    self.add_error(
                        name,
                        "場所の名前と所在地は「公民館・集会所・店舗など」か「個人宅」のときに入力します。",
                    )
        if cleaned.get("contact_kind") == ContactKind.AREA_OFFICE:
            for name in ("contact_name", "contact_phone", "contact_hours"):
                if cleaned.get(name):
                    self.add_error(
                        name,
                        "問い合わせ先が「圏域の生活支援コーディネーター」のときは空欄にします"
                        "(地区協議会の連絡先を表示します)。",
                    )
        return cleaned


def weekday_choices():
    return list(WEEKDAYS.items())


class ScheduleForm(forms.ModelForm):
    """One recurring time: the days of the week, every week or the n-th week(s) of a month."""

    weekdays = forms.MultipleChoiceField(
        choices=weekday_choices, widget=forms.CheckboxSelectMultiple, label="曜日", required=False
    )
    weeks = forms.MultipleChoiceField(
        choices=list(WEEKS.items()),
        widget=forms.CheckboxSelectMultiple,
        label="第何週(毎月のとき)",
        required=False,
    )

    class Meta:
        model = Schedule
        fields = ["frequency", "weekdays", "weeks", "opens_at", "closes_at"]
        widgets = {
            "frequency": forms.RadioSelect,
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        if self.instance.pk:
            self.initial["weekdays"] = self.instance.weekday_codes
            self.initial["weeks"] = self.instance.week_numbers

    def has_changed(self):
        # A blank extra row (only the default 毎週 ticked) is not a schedule someone typed.
        changed = set(self.changed_data) - {"frequency"}
        return bool(changed) or (bool(self.instance.pk) and super().has_changed())

    def clean_weekdays(self):
        return ",".join(code for code in WEEKDAYS if code in self.cleaned_data["weekdays"])

    def clean_weeks(self):
        weeks = self.cleaned_data["weeks"]
        return ",".join(week for week in WEEKS if week in weeks)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("frequency") == Frequency.WEEKLY and cleaned.get("weeks"):
            self.add_error("weeks", "第何週は「毎月」のときに選びます。毎週なら空にしてください。")
        return cleaned


class BaseScheduleFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, schedule_kind=None, **kwargs):
        self.schedule_kind = schedule_kind
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if (form.has_changed() or form.instance.pk)
            and not self._should_delete_form(form)
            and form.cleaned_data.get("weekdays")
        ]
        if self.schedule_kind == ScheduleKind.REGULAR and not kept:
            raise forms.ValidationError(
                "「決まった曜日・日」を選んだときは、下の欄で曜日を1つ以上選んでください。"
            )
        if self.schedule_kind not in (None, ScheduleKind.REGULAR) and kept:
            raise forms.ValidationError(
                "曜日の欄に入力があります。日時を「決まった曜日・日」にするか、"
                "曜日の欄の「削除」にチェックを入れてください。"
            )


ScheduleFormSet = inlineformset_factory(
    Entry,
    Schedule,
    form=ScheduleForm,
    formset=BaseScheduleFormSet,
    extra=2,
    max_num=10,
    can_delete=True,
)


class ContactOfficeForm(forms.ModelForm):
    url = forms.URLField(label="ホームページ", required=False, assume_scheme="https")

    class Meta:
        model = ContactOffice
        fields = ["name", "phone", "hours", "address", "url"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone and privacy.is_supporter_phone(phone):
            raise forms.ValidationError(privacy.PHONE_MESSAGE)
        return phone

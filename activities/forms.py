"""Forms of the activities app."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities.models import Supporter, SupportGroup
from activities.services import supporter_version
from core import wareki
from core.forms import SearchableModelChoiceField, SpreadsheetUploadForm, WarekiDateField

KEEP, CLEAR = "keep", "clear"


class SupporterImportForm(SpreadsheetUploadForm):
    field_order = ["file", "group", "blanks", "end_missing", "encoding", "sheet"]

    group = SearchableModelChoiceField(
        label="団体",
        queryset=SupportGroup.objects.none(),
        required=False,
        empty_label="（ファイルの「団体名」列に従う）",
        help_text="ファイルに団体の列がないとき、または空欄の行の団体。",
    )
    blanks = forms.ChoiceField(
        label="空欄のセル",
        choices=[
            (KEEP, "空欄のセルは登録内容を残す"),
            (CLEAR, "空欄のセルは登録内容を消す"),
        ],
        initial=KEEP,
        required=False,
        widget=forms.RadioSelect,
        help_text="登録済みのサポーターの行で、ファイルのセルが空欄のときの扱い。",
    )
    end_missing = forms.BooleanField(
        label="この団体のサポーターでファイルにない人の登録を終了する",
        required=False,
        help_text="確認の画面で、登録を終了する人を名前で示します。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        groups = SupportGroup.objects.with_personal_data_for(user).select_related("council__area")
        self.fields["group"].queryset = groups
        if not self.is_bound and "group" not in self.initial:
            only = list(groups[:2])
            if len(only) == 1:
                # A coordinator with one group: nothing to choose.
                self.initial["group"] = only[0].pk

    @property
    def blank_clears(self) -> bool:
        return self.cleaned_data.get("blanks") == CLEAR


# Characters below U+0020 other than tab and newline (and carriage return, which a browser
# sends with every newline of a textarea) have no place in a supporter's record.
_CONTROL = {chr(c) for c in range(0x20)} - {"\t", "\n", "\r"} | {"\x7f"}


def refuse_control_characters(value):
    found = sorted({c for c in str(value) if c in _CONTROL})
    if found:
        names = "、".join(f"U+{ord(c):04X}" for c in found)
        raise ValidationError(
            f"表示できない制御文字({names})が含まれています。文字を打ち直してください。"
        )


class SupporterForm(forms.ModelForm):
    """Every field of a supporter a person edits: its group (among the user's), name, contact,
    dates in era form, what they can do, a note. Whether the registration runs is changed on
    its own pages (登録終了 / 登録を再開); the date it ended is corrected here.

    ``base_version`` and ``began_at`` carry the edit's start (docs/decisions/0025)."""

    # A select of the user's groups, a search when they are more than a select lists.
    group = SearchableModelChoiceField(label="団体", queryset=SupportGroup.objects.none())
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    began_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Supporter
        fields = [
            "group",
            "name",
            "kana",
            "phone",
            "address",
            "birth_date",
            "registered_on",
            "ended_on",
            "help_categories",
            "note",
        ]
        field_classes = {
            "birth_date": WarekiDateField,
            "registered_on": WarekiDateField,
            "ended_on": WarekiDateField,
        }
        widgets = {
            "help_categories": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "phone": "例: 0246-22-1111",
            "birth_date": "わからなければ空欄 (不明と表示)",
            "registered_on": "わからなければ空欄 (不明と表示)",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = SupportGroup.objects.editable_by(user).select_related(
            "council__area"
        )
        if not self.instance.pk or self.instance.active:
            # The end date belongs to an ended registration (登録終了 sets it).
            del self.fields["ended_on"]
        for name in ("name", "kana", "phone", "address", "note"):
            self.fields[name].validators.append(refuse_control_characters)
        if self.instance.pk and not self.is_bound:
            self.initial["base_version"] = supporter_version(self.instance)
            self.initial["began_at"] = timezone.now().isoformat()

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("氏名を入力してください。")
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not set(phone) <= set("0123456789-()+ 　０１２３４５６７８９－（）"):
            raise ValidationError("電話番号は数字とハイフンで入力してください。例: 0246-22-1111")
        return phone

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        birth = cleaned.get("birth_date")
        registered = cleaned.get("registered_on")
        ended = cleaned.get("ended_on")
        if birth and birth > today:
            self.add_error("birth_date", "生年月日が今日より後です。")
        if registered and registered > today:
            self.add_error("registered_on", "登録日が今日より後です。")
        if ended and ended > today:
            self.add_error("ended_on", "登録終了日が今日より後です。")
        if registered and ended and ended < registered:
            self.add_error("ended_on", "登録終了日が登録日より前です。")
        if birth and registered and registered < birth:
            self.add_error("registered_on", "登録日が生年月日より前です。")
        group, name = cleaned.get("group"), cleaned.get("name")
        if group and name:
            key = Supporter.normalise_name(name)
            same = Supporter.objects.filter(group=group, name_key=key).exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error(
                    "name",
                    f"{group}には同じ氏名のサポーターがすでに登録されています。"
                    "同じ人なら、そちらを編集してください。",
                )
        return cleaned


class EndRegistrationForm(forms.Form):
    """登録終了: the day the registration ended (today unless changed; blank when unknown)
    and, if given, why, which is added to the supporter's 備考."""

    ended_on = WarekiDateField(
        label="登録終了日",
        required=False,
        help_text="わからなければ空欄にしてください (「不明」と表示します)。",
    )
    reason = forms.CharField(
        label="理由 (任意)",
        required=False,
        max_length=200,
        help_text="備考に日付とともに書き加えます。例: 転居のため",
        validators=[refuse_control_characters],
    )

    def __init__(self, *args, supporter, **kwargs):
        super().__init__(*args, **kwargs)
        self.supporter = supporter

    def clean_ended_on(self):
        ended = self.cleaned_data["ended_on"]
        if ended and ended > timezone.localdate():
            raise ValidationError("登録終了日が今日より後です。")
        registered = self.supporter.registered_on
        if ended and registered and ended < registered:
            raise ValidationError("登録終了日が登録日より前です。")
        return ended

    def clean(self):
        cleaned = super().clean()
        reason = cleaned.get("reason", "").strip()
        if reason and len(self.note_with(reason, cleaned.get("ended_on"))) > 1000:
            self.add_error("reason", "備考が1000文字を超えます。理由を短くしてください。")
        return cleaned

    def note_with(self, reason, ended_on) -> str:
        """The supporter's note with the reason added on a line of its own."""
        when = wareki.format_date(ended_on) if ended_on else "(終了日不明)"
        line = f"{when} 登録終了: {reason}"
        note = self.supporter.note.rstrip()
        return f"{note}\n{line}" if note else line

"""Forms of the year's report: the supporter counts' date, and what city staff write for a year
(今後の予定, key figures, which opinions are the main ones)."""

from django import forms

from activities.models import KeyFigure, NoteTopic, ProgrammeNote
from core import wareki
from core.forms import WarekiDateField, WarekiDateInput


class CountsDateForm(forms.Form):
    """?counts_as_of=: the date of the supporter counts the report shows."""

    counts_as_of = WarekiDateField(
        label="サポーター数の時点",
        required=False,
        help_text="この日以前の最新の報告値を表示します",
    )


class PlanAheadForm(forms.ModelForm):
    """今後の予定: one text per fiscal year."""

    class Meta:
        model = ProgrammeNote
        fields = ["text"]
        labels = {"text": "今後の予定"}
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, fiscal_year, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.instance.topic = NoteTopic.PLAN_AHEAD
        self.instance.report_year = fiscal_year
        self.instance.position = 1


class KeyFigureForm(forms.ModelForm):
    """A figure's value as recorded for one year's report: the value, its date and source."""

    as_of = WarekiDateField(label="時点", required=False, widget=WarekiDateInput)

    class Meta:
        model = KeyFigure
        fields = ["label", "value", "unit", "as_of", "as_of_text", "source", "note"]
        help_texts = {
            "as_of_text": "出典の表記のまま (例: R5.10.1現在)。日付が分かれば「時点」にも",
        }

    def __init__(self, *args, fiscal_year, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fiscal_year = fiscal_year
        self.instance.report_year = fiscal_year
        self.fields["value"].widget.attrs["inputmode"] = "decimal"

    def clean(self):
        cleaned = super().clean()
        as_of = cleaned.get("as_of")
        _first, last = wareki.fiscal_year_bounds(self.fiscal_year)
        if as_of and as_of > last:
            self.add_error(
                "as_of",
                f"時点が{wareki.format_fiscal_year(self.fiscal_year)}の末日"
                f"({wareki.format_date(last)})より後です。その年度の報告書に載せる値を入力してください。",
            )
        if cleaned.get("value") is None and not cleaned.get("note"):
            self.add_error(
                "value", "値を入力してください。数値のない項目は「注記」にその旨を書いてください。"
            )
        if not (as_of or cleaned.get("as_of_text")):
            self.add_error("as_of", "時点(日付、または出典の表記)を入力してください。")
        if not cleaned.get("source"):
            self.add_error("source", "出典を入力してください。")
        return cleaned


class NewKeyFigureForm(KeyFigureForm):
    """A figure the city has not recorded before."""

    class Meta(KeyFigureForm.Meta):
        fields = ["key", "category", "position", *KeyFigureForm.Meta.fields]
        help_texts = {
            **KeyFigureForm.Meta.help_texts,
            "key": "半角の英数字と _ (例: gathering_places)。翌年度以降も同じ識別子で入力します",
        }

    def clean_key(self):
        key = self.cleaned_data["key"]
        if key == "new":
            raise forms.ValidationError("「new」は識別子に使えません。")
        if KeyFigure.objects.filter(key=key).exists():
            raise forms.ValidationError(
                "この識別子の項目はすでにあります。一覧の「この年度の値を入力」から入力してください。"
            )
        return key


class MainOpinionsForm(forms.Form):
    """Which of the year's opinions the report lists as 主な意見."""

    opinions = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="主な意見",
    )

    def __init__(self, *args, opinions, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["opinions"].queryset = opinions
        self.fields["opinions"].label_from_instance = _opinion_label
        if not self.is_bound:
            self.initial["opinions"] = [o.pk for o in opinions if o.is_main]


def _opinion_label(opinion):
    where = str(opinion.meeting) if opinion.meeting_id else "協議体全体"
    return f"{opinion.text} ({where})"

"""Forms of the needs survey: the survey's header and its 13 category rows on one page."""

from django import forms
from django.utils import timezone

from core.forms import (
    FiscalYearField,
    SearchableModelChoiceField,
    SpreadsheetUploadForm,
    WarekiDateField,
    WarekiDateInput,
)
from councils.models import Area, Council, District, Tier
from needs_survey.models import Classification, HelpCategory, Survey, SurveyResult


class CouncilChoiceField(SearchableModelChoiceField):
    def label_from_instance(self, council):
        if council.tier == Tier.THIRD:
            return f"{council.area}: {council.name}(第3層・団体の調査)"
        return f"{council.area}: {council.name}(圏域の調査)"


class SurveyForm(forms.ModelForm):
    """A survey's header. ``user`` limits the councils to the areas they may edit."""

    council = CouncilChoiceField(
        queryset=Council.objects.none(),
        label="調査した協議体",
        help_text="圏域全体の調査は第2層協議体を、団体(地区)の調査はその第3層協議体を選びます。",
    )
    fiscal_year = FiscalYearField(label="年度")
    conducted_from = WarekiDateField(
        label="実施期間(開始)", required=False, widget=WarekiDateInput(attrs={"size": 26})
    )
    conducted_until = WarekiDateField(
        label="実施期間(終了)",
        required=False,
        help_text="1日で終えた調査は空欄",
        widget=WarekiDateInput(attrs={"size": 26}),
    )
    # The version this edit started from and when (no lost updates, as for meetings).
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    began_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Survey
        fields = [
            "council",
            "fiscal_year",
            "conducted_from",
            "conducted_until",
            "respondents",
            "note",
        ]
        widgets = {
            "respondents": forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = (
            Council.objects.editable_by(user)
            .filter(tier__in=[Tier.SECOND, Tier.THIRD])
            .select_related("area")
            .order_by("area__position", "tier", "name")
        )
        if not self.instance.pk and not self.initial.get("council"):
            # A district coordinator with one area usually enters that area's survey.
            area_councils = self.fields["council"].queryset.filter(tier=Tier.SECOND)[:2]
            if len(area_councils) == 1:
                self.initial["council"] = area_councils[0].pk
        if not self.is_bound and self.instance.pk:
            self.initial["base_version"] = self.instance.version
            self.initial["began_at"] = timezone.now().isoformat()


class SurveyResultForm(forms.Form):
    """One category's row: how many asked, the council's classification, notes."""

    requests = forms.IntegerField(
        label="希望者数",
        required=False,
        min_value=0,
        max_value=1_000_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
        error_messages={"invalid": "数字で入力してください。"},
    )
    classification = forms.ChoiceField(
        label="分類", required=False, choices=[("", "未分類"), *Classification.choices]
    )
    note = forms.CharField(
        label="備考", required=False, widget=forms.TextInput(attrs={"size": 30}), max_length=1000
    )

    def __init__(self, *args, category, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        for bound in self.fields.values():
            # Screen readers announce the row with the column: 「③通院・外出 希望者数」.
            bound.widget.attrs["aria-label"] = f"{category} {bound.label}"

    @property
    def is_blank(self):
        data = self.cleaned_data
        return (
            data.get("requests") is None and not data.get("classification") and not data.get("note")
        )


class BaseSurveyResultFormSet(forms.BaseFormSet):
    """Exactly one row per help category, in category order."""

    def __init__(self, *args, categories, survey=None, **kwargs):
        self.categories = list(categories)
        existing = survey.results_by_category() if survey and survey.pk else {}
        kwargs.setdefault(
            "initial",
            [
                {
                    "requests": existing[c.pk].requests,
                    "classification": existing[c.pk].classification,
                    "note": existing[c.pk].note,
                }
                if c.pk in existing
                else {}
                for c in self.categories
            ],
        )
        super().__init__(*args, **kwargs)

    def total_form_count(self):
        return len(self.categories)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "category": self.categories[index]}

    def save(self, survey):
        """Write the rows: a row left blank removes that category's result."""
        existing = {r.category_id: r for r in survey.results.all()}
        for form in self.forms:
            category = form.category
            current = existing.get(category.pk)
            if form.is_blank:
                if current:
                    current.delete()
                continue
            result = current or SurveyResult(survey=survey, category=category)
            result.requests = form.cleaned_data["requests"]
            result.classification = form.cleaned_data["classification"]
            result.note = form.cleaned_data["note"]
            result.save()


# One row per category whatever TOTAL_FORMS says (total_form_count); the bounds are a guard.
SurveyResultFormSet = forms.formset_factory(
    SurveyResultForm, formset=BaseSurveyResultFormSet, extra=0, max_num=100, absolute_max=100
)


def result_formset(*, survey=None, data=None):
    return SurveyResultFormSet(
        data, prefix="results", categories=HelpCategory.objects.all(), survey=survey
    )


class MatrixFilterForm(forms.Form):
    """The matrix's filters: a fiscal year and, optionally, one district."""

    fiscal_year = FiscalYearField(label="年度", required=False)
    district = SearchableModelChoiceField(
        label="地区", queryset=District.objects.all(), required=False, empty_label="すべての地区"
    )

    def areas(self):
        areas = Area.objects.all()
        if self.is_valid() and self.cleaned_data.get("district"):
            areas = areas.filter(district=self.cleaned_data["district"])
        return areas


class CompareForm(MatrixFilterForm):
    """Two fiscal years to compare (earlier → later) and, optionally, one district."""

    fiscal_year = FiscalYearField(label="比較する年度")
    earlier_year = FiscalYearField(label="比較の基準とする年度")

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("fiscal_year")
            and cleaned.get("earlier_year")
            and cleaned["fiscal_year"] == cleaned["earlier_year"]
        ):
            raise forms.ValidationError("異なる2つの年度を選んでください。")
        return cleaned


class SurveyImportForm(SpreadsheetUploadForm):
    """Upload of survey tallies (see needs_survey.imports for the two layouts)."""

    field_order = ["file", "area", "fiscal_year", "encoding", "sheet"]

    area = SearchableModelChoiceField(
        label="圏域",
        queryset=Area.objects.none(),
        required=False,
        empty_label="(ファイルの「圏域」列に従う)",
        help_text="ファイルに圏域の列がないとき、または空欄の行の圏域。",
    )
    fiscal_year = FiscalYearField(
        label="年度",
        required=False,
        help_text="ファイルに年度の列がないとき、または空欄の行の年度。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.editable_by(user)

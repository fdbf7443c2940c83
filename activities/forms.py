"""Forms of the activities app."""

from django import forms

from activities.models import SupportGroup
from core.forms import SearchableModelChoiceField, SpreadsheetUploadForm

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

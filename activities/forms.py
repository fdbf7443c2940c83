"""Forms of the activities app."""

from django import forms
from django.conf import settings

from activities.models import SupportGroup
from iwaki_support.roles import personal_data_areas
from iwaki_support.spreadsheets import DEFAULT_MAX_BYTES


class SupporterImportForm(forms.Form):
    file = forms.FileField(
        label="ファイル",
        help_text="Excelのブック（.xlsx）かCSV（.csv）。見出しの上にタイトル行があっても構いません。",
    )
    group = forms.ModelChoiceField(
        label="団体",
        queryset=SupportGroup.objects.none(),
        required=False,
        empty_label="（ファイルの「団体名」列に従う）",
        help_text="ファイルに団体の列がないとき、または空欄の行の団体。",
    )
    encoding = forms.ChoiceField(
        label="CSVの文字コード",
        choices=[("", "自動判別"), ("utf-8", "UTF-8"), ("cp932", "Shift_JIS")],
        required=False,
    )
    sheet = forms.CharField(
        label="シート名",
        required=False,
        max_length=100,
        help_text="空欄なら最初のシート（xlsxのみ）。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = SupportGroup.objects.in_areas(
            personal_data_areas(user)
        ).select_related("council__area")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = getattr(settings, "SPREADSHEET_MAX_BYTES", DEFAULT_MAX_BYTES)
        # Checked before reading: a file over the limit never reaches memory in full.
        if upload.size > limit:
            raise forms.ValidationError(
                f"ファイルが大きすぎます（{upload.size / 1024 / 1024:.1f}MB）。"
                f"{limit / 1024 / 1024:.1f}MBまでのファイルにしてください。"
            )
        return upload

"""Form fields shared by every app: dates and fiscal years written in 和暦, spreadsheet
uploads, and district/area choices read as (pk, name) rows."""

from datetime import date, datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe

from core import wareki
from core.renderers import attrs_html, escape_html
from core.spreadsheets import DEFAULT_MAX_BYTES

DATE_PLACEHOLDER = "例: 平成29年7月28日 / 2017-07-28"
FISCAL_YEAR_PLACEHOLDER = "例: 令和6年度 / 2024"


class WarekiDateInput(forms.TextInput):
    """A text box that shows a stored date as staff write it: 平成29年7月28日.

    What the user typed is shown back unchanged when the form is redisplayed.
    """

    def __init__(self, attrs=None):
        super().__init__({"placeholder": DATE_PLACEHOLDER, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, date):
            try:
                value = wareki.format_date(value)
            except wareki.WarekiError:
                value = (value.date() if isinstance(value, datetime) else value).isoformat()
        return super().format_value(value)


class WarekiDateField(forms.DateField):
    """A date typed in any form ``core.wareki.parse_date`` reads."""

    widget = WarekiDateInput

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()  # also the full-width space
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return wareki.parse_date(str(value))
        except wareki.WarekiError as error:
            raise ValidationError(str(error), code="invalid") from error


class FiscalYearInput(forms.TextInput):
    """A text box that shows a stored fiscal year as 平成29年度."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": FISCAL_YEAR_PLACEHOLDER, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                value = wareki.format_fiscal_year(value)
            except wareki.WarekiError:
                value = str(value)
        return super().format_value(value)


class FiscalYearField(forms.IntegerField):
    """A fiscal year typed as 平成29年度, H29, 令和元年度, 2017 or 2017年度; cleans to 2017."""

    widget = FiscalYearInput

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()  # also the full-width space
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return wareki.parse_fiscal_year(str(value))
        except wareki.WarekiError as error:
            raise ValidationError(str(error), code="invalid") from error


class SpreadsheetUploadForm(forms.Form):
    """The upload part of every spreadsheet import: the file, its CSV encoding, its sheet.

    Subclasses add what the rows belong to when the file does not say (a group, an area)."""

    file = forms.FileField(
        label="ファイル",
        help_text="Excelのブック（.xlsx）かCSV（.csv）。見出しの上にタイトル行があっても構いません。",
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


class NameChoiceIterator(forms.models.ModelChoiceIterator):
    """Options as (pk, name) rows read with ``values_list``, not one model instance each.

    For models whose ``__str__`` is their ``name`` (District, Area). At a hundred times Iwaki's
    size a filter lists 700 districts and 1,300 areas, and building an instance per option was
    a third of the page's time.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class NameSelect(forms.Select):
    """A <select> written straight from its (value, label) choices.

    Django's Select first builds a dict per option (``optgroups``) for its templates; for the
    700 districts and 1,300 areas of a hundred times Iwaki's size that alone cost more than
    the query. Same HTML as Django's (the first matching option selected, the attributes the
    form adds such as ``id`` and ``required``), without option groups, which these lists
    never have.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        attributes = attrs_html(self.build_attrs(self.attrs, attrs))
        lines = [f'<select name="{escape_html(name)}"{attributes}>']
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            mark = ""
            if option_value in selected:
                mark = " selected"
                selected = set()  # only the first match, as Django's Select
            lines.append(
                f'  <option value="{escape_html(option_value)}"{mark}>{escape_html(label)}</option>'
            )
        lines.append("</select>")
        return mark_safe("\n".join(lines))  # noqa: S308 - every value escaped above


class NameChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose options are read as (pk, name) rows (see NameChoiceIterator)."""

    iterator = NameChoiceIterator
    widget = NameSelect

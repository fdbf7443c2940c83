"""Form fields for dates and fiscal years written in 和暦, shared by every app."""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError

from iwaki_support import wareki

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
    """A date typed in any form ``iwaki_support.wareki.parse_date`` reads."""

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

"""WarekiDateField and FiscalYearField: typed in any notation, shown back in 和暦."""

from datetime import date, datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.forms import FiscalYearField, WarekiDateField, WarekiDateInput


class PersonForm(forms.Form):
    birth_date = WarekiDateField(label="生年月日")
    moved_in_on = WarekiDateField(label="転入日", required=False)


class PlanForm(forms.Form):
    fiscal_year = FiscalYearField(label="年度", min_value=2015)


# --- WarekiDateField: cleaning -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "平成29年7月28日",
        "H29.7.28",
        "h29/7/28",
        "H29-7-28",
        "2017-07-28",
        "2017/7/28",
        "2017.7.28",
        "2017年7月28日",
        "Ｈ２９．７．２８",
        " 平成 29 年 7 月 28 日 ",
    ],
)
def test_date_field_cleans_every_notation_to_the_same_date(text):
    assert WarekiDateField().clean(text) == date(2017, 7, 28)


def test_date_field_reads_gannen():
    assert WarekiDateField().clean("令和元年5月1日") == date(2019, 5, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("平成31年5月1日", "平成は平成31年4月30日まで"),
        ("令和元年4月30日", "令和は令和元年5月1日から"),
        ("2017-02-30", "存在しない日付"),
        ("平成0年1月1日", "平成0年という年はありません"),
        ("そのうち", "日付の形式が読み取れません: そのうち"),
    ],
)
def test_date_field_rejects_bad_input_with_the_japanese_message_and_code_invalid(text, message):
    with pytest.raises(ValidationError) as raised:
        WarekiDateField().clean(text)
    assert raised.value.code == "invalid"
    assert message in raised.value.messages[0]


@pytest.mark.parametrize("blank", ["", "  ", "\u3000"])
def test_required_date_field_reports_a_blank_as_required(blank):
    with pytest.raises(ValidationError) as raised:
        WarekiDateField().clean(blank)
    assert raised.value.code == "required"


@pytest.mark.parametrize("blank", ["", "  ", "\u3000"])
def test_optional_date_field_cleans_a_blank_to_none(blank):
    assert WarekiDateField(required=False).clean(blank) is None


def test_date_field_accepts_date_and_datetime_objects():
    field = WarekiDateField()
    assert field.clean(date(2017, 7, 28)) == date(2017, 7, 28)
    assert field.clean(datetime(2017, 7, 28, 9, 0)) == date(2017, 7, 28)


def test_form_reports_the_era_problem_on_the_field():
    form = PersonForm(data={"birth_date": "H31.5.1"})
    assert not form.is_valid()
    assert "平成は平成31年4月30日まで" in form.errors["birth_date"][0]
    assert form.errors.as_data()["birth_date"][0].code == "invalid"


# --- WarekiDateField: rendering ----------------------------------------------------------------


def test_unbound_form_shows_the_initial_date_in_era_form():
    form = PersonForm(initial={"birth_date": date(2017, 7, 28)})
    assert 'value="平成29年7月28日"' in str(form["birth_date"])


def test_unbound_form_shows_gannen_for_the_first_year_of_an_era():
    form = PersonForm(initial={"birth_date": date(2019, 5, 1)})
    assert 'value="令和元年5月1日"' in str(form["birth_date"])


def test_a_widget_for_planned_dates_shows_the_weekday_and_reads_it_back():
    widget = WarekiDateInput(weekday=True)
    assert widget.format_value(date(2026, 11, 29)) == "令和8年11月29日(日)"
    assert WarekiDateField(widget=widget).clean("令和8年11月29日(日)") == date(2026, 11, 29)


def test_date_field_reads_eight_digits():
    assert WarekiDateField().clean("20261129") == date(2026, 11, 29)


def test_widget_shows_dates_before_meiji_as_iso_rather_than_failing():
    assert WarekiDateInput().format_value(date(1850, 1, 1)) == "1850-01-01"


@pytest.mark.parametrize("typed", ["H29.7.28", "平成31年5月1日"])
def test_bound_form_shows_back_exactly_what_the_user_typed(typed):
    form = PersonForm(data={"birth_date": typed})
    form.is_valid()
    assert f'value="{typed}"' in str(form["birth_date"])


def test_date_widget_is_a_text_box_with_an_example_placeholder():
    html = str(PersonForm()["birth_date"])
    assert 'type="text"' in html
    assert 'placeholder="例: 令和8年11月29日 / 20261129"' in html


def test_date_widget_placeholder_can_be_replaced():
    field = WarekiDateField(widget=WarekiDateInput(attrs={"placeholder": "例: S20.8.15"}))
    assert field.widget.attrs["placeholder"] == "例: S20.8.15"


def test_error_message_that_quotes_the_input_is_escaped_when_rendered():
    form = PersonForm(data={"birth_date": "<script>alert(1)</script>"})
    assert not form.is_valid()
    html = str(form["birth_date"].errors)
    assert "&lt;script&gt;" in html
    assert "<script>" not in html


def test_same_date_typed_in_another_notation_is_not_a_change():
    form = PersonForm(data={"birth_date": "2017-07-28"}, initial={"birth_date": date(2017, 7, 28)})
    assert "birth_date" not in form.changed_data


def test_a_different_date_is_a_change():
    form = PersonForm(data={"birth_date": "H29.7.29"}, initial={"birth_date": date(2017, 7, 28)})
    assert "birth_date" in form.changed_data


# --- FiscalYearField ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fy"),
    [("平成29年度", 2017), ("H29", 2017), ("2017", 2017), ("2017年度", 2017), ("令和元年度", 2019)],
)
def test_fiscal_year_field_cleans_every_notation_to_the_starting_year(text, fy):
    assert FiscalYearField().clean(text) == fy


def test_fiscal_year_field_rejects_a_year_outside_the_era_with_code_invalid():
    with pytest.raises(ValidationError) as raised:
        FiscalYearField().clean("平成32年度")
    assert raised.value.code == "invalid"
    assert "平成の年度は平成31年度まで" in raised.value.messages[0]


@pytest.mark.parametrize("blank", ["", "\u3000"])
def test_optional_fiscal_year_field_cleans_a_blank_to_none(blank):
    assert FiscalYearField(required=False).clean(blank) is None


def test_fiscal_year_field_still_applies_min_value():
    form = PlanForm(data={"fiscal_year": "H26"})
    assert not form.is_valid()
    assert form.errors.as_data()["fiscal_year"][0].code == "min_value"


def test_fiscal_year_field_shows_the_initial_year_in_era_form():
    html = str(PlanForm(initial={"fiscal_year": 2019})["fiscal_year"])
    assert 'value="令和元年度"' in html
    assert 'type="text"' in html
    assert 'placeholder="例: 令和6年度 / 2024"' in html

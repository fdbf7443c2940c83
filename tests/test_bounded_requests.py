"""Bounded requests: no post makes a worker build thousands of forms, and every free-text field
has a length limit that fits its use, enforced by the forms, the imports, the model's
validation and the database.

The limits themselves are the models' (``max_length``); these tests find every free-text field
by introspection, so a new one without a limit fails here.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from activities.models import ProgrammeNote, SupportGroup
from councils.forms import MAX_ROWS
from councils.models import Council, Meeting, Opinion
from tests.admin_files import export_file, preview, sheet_rows, snapshot
from tests.councils.meeting_data import meeting_post
from tests.spreadsheet_files import xlsx_bytes

pytestmark = pytest.mark.django_db


def our_apps():
    """The apps of this project (not Django's or a library's): the packages at its top."""
    return {c.label for c in apps.get_app_configs() if Path(c.path).parent == settings.BASE_DIR}


def free_text_fields():
    """Every TextField of our models (simple-history's copies aside)."""
    ours = our_apps()
    for model in apps.get_models():
        if model._meta.app_label not in ours or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.TextField):
                yield model, field


@pytest.mark.parametrize(
    ("model", "field"),
    list(free_text_fields()),
    ids=[f"{m._meta.label}.{f.name}" for m, f in free_text_fields()],
)
def test_every_free_text_field_has_a_limit_in_forms_validation_and_the_database(model, field):
    assert field.max_length, f"{model._meta.label}.{field.name} has no max_length"
    assert any(
        isinstance(v, MaxLengthValidator) and v.limit_value == field.max_length
        for v in field.validators
    ), "full_clean (admin, imports) would not refuse a longer text"
    assert field.formfield().max_length == field.max_length
    names = {c.name for c in model._meta.constraints}
    assert f"{model._meta.db_table}_{field.name}_length" in names


def test_the_limits_fit_their_use():
    assert Opinion._meta.get_field("text").max_length <= 5000  # an opinion is not a report
    assert Meeting._meta.get_field("summary").max_length >= 5000  # a summary of minutes is long
    # The 2017 report's longest prose fits with room to spare.
    assert ProgrammeNote._meta.get_field("text").max_length >= 1000


def test_the_database_refuses_an_overlong_text_even_when_a_form_forgets():
    meeting = Meeting.objects.get(council__name="平 第2層協議体", fiscal_year=2017, sequence=1)
    limit = Opinion._meta.get_field("text").max_length
    opinion = Opinion(meeting=meeting, fiscal_year=2017, text="あ" * (limit + 1))
    with pytest.raises(ValidationError):
        opinion.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        opinion.save()


# --- the meeting form ----------------------------------------------------------------------


@pytest.fixture
def taira_meeting():
    return Meeting.objects.get(council__name="平 第2層協議体", fiscal_year=2017, sequence=1)


def test_a_forged_number_of_rows_is_refused_without_building_them(
    client, coordinator_taira, django_assert_max_num_queries
):
    council = Council.objects.get(name="平 第2層協議体")
    client.force_login(coordinator_taira)
    data = meeting_post(fiscal_year="令和元年度", held_on="令和元年7月1日")
    data["opinions-TOTAL_FORMS"] = "2000"
    data["follow_ups-TOTAL_FORMS"] = "2000"
    url = f"{reverse('councils:meeting-create')}?council={council.pk}"

    with django_assert_max_num_queries(60):
        response = client.post(url, data)

    assert response.status_code == 200
    assert len(response.context["opinions"].forms) <= MAX_ROWS
    assert len(response.context["follow_ups"].forms) <= MAX_ROWS
    assert f"{MAX_ROWS}" in response.text and "保存できませんでした" in response.text
    assert len(response.content) < 3_000_000
    assert not Meeting.objects.filter(council=council, fiscal_year=2019).exists()


def test_an_overlong_opinion_is_refused_in_japanese_and_nothing_is_written(
    client, coordinator_taira
):
    council = Council.objects.get(name="平 第2層協議体")
    client.force_login(coordinator_taira)
    limit = Opinion._meta.get_field("text").max_length
    data = meeting_post(
        fiscal_year="令和元年度",
        held_on="令和元年7月1日",
        opinions=[{"text": "あ" * 300_000}],
    )
    response = client.post(f"{reverse('councils:meeting-create')}?council={council.pk}", data)
    assert response.status_code == 200
    assert f"{limit}" in response.text and "文字" in response.text
    assert not Meeting.objects.filter(council=council, fiscal_year=2019).exists()
    assert f'maxlength="{limit}"' in response.text


# --- imports --------------------------------------------------------------------------------


def test_the_admin_import_refuses_an_overlong_note_with_its_row_and_column(client, administrator):
    client.force_login(administrator)
    rows = sheet_rows(export_file(client, SupportGroup))
    column = str(SupportGroup._meta.get_field("note").verbose_name)
    limit = SupportGroup._meta.get_field("note").max_length
    rows[2][rows[0].index(column)] = "あ" * (limit + 1)
    before = snapshot(SupportGroup)

    previewed = preview(client, SupportGroup, xlsx_bytes(rows))

    assert "confirm_form" not in previewed.context
    assert f"3行目「{column}」" in previewed.text
    assert snapshot(SupportGroup) == before


def test_the_survey_import_refuses_an_overlong_note_instead_of_cutting_it(coordinator_taira):
    from councils.models import Area
    from needs_survey import imports
    from needs_survey.models import SurveyResult

    limit = SurveyResult._meta.get_field("note").max_length
    plan = imports.prepare(
        f"圏域,年度,項目,希望者数,備考\n平,平成29年度,声かけ,3,{'あ' * (limit + 1)}\n".encode(),
        filename="調査.csv",
        allowed_areas=Area.objects.filter(name="平"),
    )
    assert not plan.ok
    assert any(
        error.row == 2 and error.column == "備考" and f"{limit}文字" in error.message
        for error in plan.errors
    )


def test_the_supporter_import_refuses_an_overlong_note(coordinator_taira):
    from activities import imports
    from activities.models import Supporter

    limit = Supporter._meta.get_field("note").max_length
    plan = imports.prepare(
        f"団体名,氏名,備考\n城山,山田 太郎,{'あ' * (limit + 1)}\n".encode(),
        filename="名簿.csv",
        allowed_groups=SupportGroup.objects.filter(name="城山"),
    )
    assert not plan.ok
    assert any(f"{limit}文字以内" in str(error) for error in plan.errors)


# --- every formset --------------------------------------------------------------------------


def test_every_formset_of_the_site_and_the_admin_builds_a_bounded_number_of_forms(
    rf, administrator
):
    from django.contrib import admin

    from councils.forms import FollowUpFormSet, OpinionFormSet
    from needs_survey.forms import SurveyResultFormSet

    formsets = {
        "meeting opinions": OpinionFormSet,
        "meeting follow-ups": FollowUpFormSet,
        "survey rows": SurveyResultFormSet,
    }
    request = rf.get("/")
    request.user = administrator
    for model, model_admin in admin.site._registry.items():
        for inline in model_admin.get_inline_instances(request):
            formsets[f"admin {model._meta.label} {type(inline).__name__}"] = inline.get_formset(
                request
            )
    assert len(formsets) > 3
    unbounded = {
        name: (formset.max_num, formset.absolute_max)
        for name, formset in formsets.items()
        if formset.absolute_max > MAX_ROWS or formset.max_num > MAX_ROWS
    }
    assert not unbounded


def test_a_forged_number_of_rows_in_the_admin_is_refused_without_building_them(
    client, administrator, taira_meeting
):
    client.force_login(administrator)
    url = reverse("admin:councils_meeting_change", args=[taira_meeting.pk])
    page = client.get(url)
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if isinstance(value, str | int)
    }
    data.update({"opinions-TOTAL_FORMS": "2000", "opinions-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 200
    formsets = response.context["inline_admin_formsets"]
    assert all(len(f.formset.forms) <= MAX_ROWS for f in formsets)

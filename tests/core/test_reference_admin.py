"""The admin's import and export of the reference tables (core.admin, core.resources), for
every table at once: a file exported from the admin imports back as "no changes", writes
nothing on confirmation, and a row that names nothing is refused in Japanese with its row
and column, writing nothing."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry

from activities.models import (
    GroupService,
    KeyFigure,
    ProgrammeNote,
    SupporterCount,
    SupportGroup,
)
from coordinators.models import Coordinator
from core.admin import ReferenceImportExportMixin
from core.resources import IntegerWidget, NameForeignKeyWidget, NamesManyToManyWidget
from councils.models import Area, Council, District, Membership, OrganisationType, SchedulePhase
from needs_survey.models import HelpCategory
from tests.admin_files import (
    admin_url,
    confirm,
    export_file,
    preview,
    sheet_rows,
    snapshot,
)
from tests.spreadsheet_files import xlsx_bytes

REFERENCE_MODELS = [
    District,
    Area,
    OrganisationType,
    Council,
    Membership,
    SchedulePhase,
    Coordinator,
    HelpCategory,
    SupportGroup,
    GroupService,
    SupporterCount,
    KeyFigure,
    ProgrammeNote,
]


def label(model):
    return model._meta.label


def history_count(model):
    return model.history.count() if hasattr(model, "history") else 0


def test_the_reference_tables_are_the_ones_the_admin_imports_and_exports():
    imported = {
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ReferenceImportExportMixin)
    }
    assert imported == set(REFERENCE_MODELS)


@pytest.mark.parametrize("model", REFERENCE_MODELS, ids=label)
def test_the_import_and_export_pages_open_in_japanese(client, administrator, model):
    client.force_login(administrator)
    changelist = client.get(admin_url(model, "changelist")).content.decode()
    assert admin_url(model, "import") in changelist
    assert admin_url(model, "export") in changelist
    export_page = client.get(admin_url(model, "export")).content.decode()
    assert "書き出す列" in export_page
    assert f'action="{admin_url(model, "export")}"' in export_page
    import_page = client.get(admin_url(model, "import")).content.decode()
    assert "取り込む列" in import_page and "読み込んで確認する" in import_page


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("model", REFERENCE_MODELS, ids=label)
def test_an_exported_table_imports_back_unchanged_and_confirming_writes_nothing(
    client, administrator, model, fmt
):
    client.force_login(administrator)
    data = export_file(client, model, fmt)
    before, history, logged = snapshot(model), history_count(model), LogEntry.objects.count()

    previewed = preview(client, model, data, fmt=fmt)

    assert previewed.status_code == 200
    result = previewed.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert (result.totals["new"], result.totals["update"]) == (0, 0)
    assert result.totals["skip"] == model._default_manager.count() > 0
    body = previewed.content.decode()
    assert "取込内容の確認" in body and "変更なし" in body
    assert "Traceback" not in body

    confirmed = confirm(client, model, previewed)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == admin_url(model, "changelist")
    assert snapshot(model) == before
    assert history_count(model) == history
    assert LogEntry.objects.count() == logged


def _broken_cell(model):
    """A column of ``model``'s file and a value it cannot take, with the expected message."""
    resource = admin.site._registry[model].get_import_resource_classes(None)[0]()
    fields = resource.get_import_fields()
    for field in fields:
        if isinstance(field.widget, NameForeignKeyWidget | NamesManyToManyWidget):
            verbose = field.widget.model._meta.verbose_name
            return (
                field.column_name,
                "どこにもない名前",
                f"「どこにもない名前」という{verbose}はありません",
            )
    for field in fields:
        if isinstance(field.widget, IntegerWidget):
            return field.column_name, "abc", "「abc」は整数として読めません"
    raise AssertionError(f"no column to break in {model}")


@pytest.mark.parametrize("model", REFERENCE_MODELS, ids=label)
def test_a_row_naming_nothing_is_refused_in_japanese_and_nothing_is_written(
    client, administrator, model
):
    client.force_login(administrator)
    rows = sheet_rows(export_file(client, model))
    column, value, message = _broken_cell(model)
    rows[2][rows[0].index(column)] = value  # the second data row: row 3 of the sheet
    before = snapshot(model)

    previewed = preview(client, model, xlsx_bytes(rows))

    assert previewed.status_code == 200
    assert "confirm_form" not in previewed.context
    body = previewed.content.decode()
    assert f"3行目「{column}」: {message}" in body
    assert "何も書き込んでいません" in body
    assert "Traceback" not in body
    assert snapshot(model) == before


@pytest.mark.parametrize("persona", ["city_staff", "coordinator_hq"])
def test_only_administrators_may_import_reference_tables(client, persona, request):
    from django.contrib.auth.models import Permission

    user = request.getfixturevalue(persona)
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="councils"))
    client.force_login(user)

    assert client.get(admin_url(Area, "changelist")).status_code == 200
    assert client.get(admin_url(Area, "import")).status_code == 403
    assert client.post(admin_url(Area, "process_import"), {}).status_code == 403
    page = client.get(admin_url(Area, "changelist")).content.decode()
    assert admin_url(Area, "import") not in page


def test_the_export_of_the_biggest_table_takes_a_fixed_number_of_queries(
    client, administrator, django_assert_max_num_queries
):
    client.force_login(administrator)
    assert Membership.objects.count() > 100
    with django_assert_max_num_queries(10):
        data = export_file(client, Membership)
    rows = sheet_rows(data)
    assert rows[0] == ["協議体", "団体種別", "人数"]
    assert len(rows) == Membership.objects.count() + 1


def test_an_error_while_saving_a_row_is_shown_without_traceback_and_nothing_stays(
    client, administrator, monkeypatch
):
    """Whatever the checks miss (here a database refusal on the second row) is that row's
    error: shown with its row number, never a traceback, and no confirmation is offered."""
    from django.db import IntegrityError

    from core.resources import ReferenceResource

    original = ReferenceResource.do_instance_save

    def refuse_the_second(resource, instance, is_create):
        if instance.name == "二つ目":
            raise IntegrityError("the database refused this row")
        original(resource, instance, is_create)

    monkeypatch.setattr(ReferenceResource, "do_instance_save", refuse_the_second)
    client.force_login(administrator)
    rows = [["地区名", "表示順"], ["一つ目", 98], ["二つ目", 99]]

    previewed = preview(client, District, xlsx_bytes(rows))

    body = previewed.content.decode()
    assert "3行目: 書き込めませんでした（the database refused this row）" in body
    assert "Traceback" not in body and "raise IntegrityError" not in body
    assert "confirm_form" not in previewed.context
    assert not District.objects.filter(name__in=["一つ目", "二つ目"]).exists()

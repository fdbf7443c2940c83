"""Editing a survey: no lost updates (the same rule as meetings, docs/decisions/0003), and a
period inside its fiscal year."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.needs_survey.test_survey_entry import post_data

pytestmark = pytest.mark.django_db


def edit_url(survey):
    return reverse("needs_survey:survey-update", args=[survey.pk])


def edit_data(client, survey, rows=None, **header):
    """What the edit page would post back, with ``header`` and ``rows`` typed in."""
    page = client.get(edit_url(survey))
    form = page.context["form"]
    data = post_data(survey.council, fiscal_year=str(survey.fiscal_year), rows=rows, **header)
    data["base_version"] = str(form.initial.get("base_version", ""))
    data["began_at"] = form.initial.get("began_at", "")
    return data


@pytest.fixture
def survey(make_survey):
    return make_survey("平", 2017, {1: (12, "can"), 2: (3, "ingenuity")}, note="はじめの備考")


def test_two_clients_edit_the_same_survey_and_the_later_save_is_refused(
    coordinator_taira, coordinator_hq, survey
):
    first, second = Client(), Client()
    first.force_login(coordinator_taira)
    second.force_login(coordinator_hq)
    first_data = edit_data(
        first, survey, rows={1: ("15", "can", ""), 4: ("7", "difficult", "")}, note="平の人の備考"
    )
    second_data = edit_data(second, survey, rows={1: ("9", "can", "")}, note="本部の人の備考")

    assert first.post(edit_url(survey), first_data).status_code == 302
    refused = second.post(edit_url(survey), second_data)

    assert refused.status_code == 409
    survey.refresh_from_db()
    assert survey.note == "平の人の備考"
    assert survey.results.get(category__number=1).requests == 15
    assert "ほかの人が保存しました" in refused.text
    assert "coord-taira" in refused.text
    assert "「平の人の備考」" in refused.text  # their text
    assert "希望者数: 「(空欄)」→「7」" in refused.text  # and the row they added
    assert "本部の人の備考" in refused.text  # mine, still in the form
    # Saving again, after reading what changed, is deliberate.
    again = second.post(edit_url(survey), refused.context["form"].data.copy())
    assert again.status_code == 302
    survey.refresh_from_db()
    assert survey.note == "本部の人の備考"
    assert survey.results.get(category__number=1).requests == 9


def test_a_save_bumps_the_version_and_posting_one_changes_nothing(
    client, coordinator_taira, survey
):
    client.force_login(coordinator_taira)
    data = edit_data(client, survey, note="更新")
    data["version"] = "42"
    assert client.post(edit_url(survey), data).status_code == 302
    survey.refresh_from_db()
    assert survey.version == 2


def test_an_import_moves_the_version_so_an_open_edit_does_not_overwrite_it(
    client, coordinator_taira, survey
):
    from councils.models import Area
    from needs_survey import imports
    from needs_survey.services import apply_import

    client.force_login(coordinator_taira)
    data = edit_data(client, survey, note="編集中の備考")
    plan = imports.prepare(
        "圏域,年度,項目,希望者数,分類\n平,平成29年度,声かけ,20,できる\n".encode(),
        filename="調査.csv",
        allowed_areas=Area.objects.filter(name="平"),
    )
    assert plan.ok, plan.errors
    apply_import(
        plan.payload(),
        user=coordinator_taira,
        expected_digest=plan.digest,
        allowed_areas=Area.objects.filter(name="平"),
    )
    assert client.post(edit_url(survey), data).status_code == 409


@pytest.mark.parametrize(
    ("field", "value"),
    [("conducted_from", "平成29年3月31日"), ("conducted_until", "平成30年4月1日")],
)
def test_a_period_outside_its_fiscal_year_is_refused(
    client, coordinator_taira, survey, field, value
):
    client.force_login(coordinator_taira)
    header = {"conducted_from": "平成29年9月1日", "conducted_until": "", field: value}
    response = client.post(edit_url(survey), edit_data(client, survey, **header))
    assert response.status_code == 200
    assert "平成29年度" in response.text and "期間外" in response.text
    survey.refresh_from_db()
    assert survey.conducted_from is None and survey.conducted_until is None


def test_a_period_inside_its_fiscal_year_is_accepted(client, coordinator_taira, survey):
    client.force_login(coordinator_taira)
    data = edit_data(
        client, survey, conducted_from="平成29年4月1日", conducted_until="平成30年3月31日"
    )
    assert client.post(edit_url(survey), data).status_code == 302


def test_an_import_with_a_period_outside_its_fiscal_year_is_refused_in_the_preview(survey):
    from councils.models import Area
    from needs_survey import imports

    plan = imports.prepare(
        "圏域,年度,実施日,項目,希望者数\n平,平成29年度,平成30年5月1日,声かけ,20\n".encode(),
        filename="調査.csv",
        allowed_areas=Area.objects.filter(name="平"),
    )
    assert not plan.ok
    assert any("期間外" in error.message for error in plan.errors)

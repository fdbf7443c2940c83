"""Entering a survey: one page with the header and the 13 category rows."""

import re

import pytest
from django.urls import reverse

from councils.models import Council, Tier
from needs_survey.models import Survey, SurveyResult

pytestmark = pytest.mark.django_db

CREATE = reverse("needs_survey:survey-create")


def tier2(area_name):
    return Council.objects.get(tier=Tier.SECOND, area__name=area_name)


def post_data(council, fiscal_year="平成29年度", rows=None, **header):
    """The POST of the entry page; ``rows`` maps category number to (count, class, note)."""
    data = {
        "council": council.pk,
        "fiscal_year": fiscal_year,
        "conducted_from": header.get("conducted_from", ""),
        "conducted_until": header.get("conducted_until", ""),
        "respondents": header.get("respondents", ""),
        "note": header.get("note", ""),
        "results-TOTAL_FORMS": "13",
        "results-INITIAL_FORMS": "0",
        "results-MIN_NUM_FORMS": "0",
        "results-MAX_NUM_FORMS": "1000",
    }
    for number, (count, classification, note) in (rows or {}).items():
        index = number - 1
        data[f"results-{index}-requests"] = count
        data[f"results-{index}-classification"] = classification
        data[f"results-{index}-note"] = note
    return data


def test_entry_page_shows_the_13_categories_as_rows(client, coordinator_taira):
    client.force_login(coordinator_taira)
    response = client.get(CREATE)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('name="results-') >= 13 * 3
    assert "③通院・外出" in body and "⑬その他" in body
    assert 'aria-label="③通院・外出 希望者数"' in body


def test_coordinator_enters_a_survey_of_their_area(client, coordinator_taira):
    client.force_login(coordinator_taira)
    response = client.post(
        CREATE,
        post_data(
            tier2("平"),
            rows={1: ("１２", "can", "民生委員と分担"), 3: ("4", "difficult", ""), 4: ("", "", "")},
            conducted_from="H29.9.1",
            conducted_until="平成29年9月30日",
            respondents="120",
        ),
    )
    survey = Survey.objects.get(council__area__name="平", fiscal_year=2017)
    assert response.status_code == 302
    assert response["Location"] == survey.get_absolute_url()
    assert survey.respondents == 120
    assert str(survey.conducted_from) == "2017-09-01"
    results = {r.category.number: r for r in survey.results.select_related("category")}
    assert sorted(results) == [1, 3]  # a blank row stores nothing
    assert (results[1].requests, results[1].classification, results[1].note) == (
        12,
        "can",
        "民生委員と分担",
    )


def test_updating_changes_rows_and_a_cleared_row_is_removed(client, coordinator_taira, make_survey):
    survey = make_survey("平", 2017, {1: (12, "can"), 2: (3, "ingenuity")})
    client.force_login(coordinator_taira)
    url = reverse("needs_survey:survey-update", args=[survey.pk])
    assert 'value="12"' in client.get(url).content.decode()
    data = post_data(tier2("平"), rows={1: ("15", "can", ""), 2: ("", "", "")})
    data["base_version"] = "1"  # the version the page was opened at
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(survey.results.values_list("category__number", "requests")) == [(1, 15)]


def test_bad_rows_are_refused_in_japanese_and_nothing_is_written(client, coordinator_taira):
    client.force_login(coordinator_taira)
    response = client.post(
        CREATE,
        post_data(
            tier2("平"), rows={1: ("-3", "can", ""), 2: ("たくさん", "", ""), 3: ("1", "maybe", "")}
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "0 以上" in body or "0以上" in body
    assert "数字で入力してください" in body
    assert "正しく選択してください" in body
    assert not Survey.objects.exists()
    assert not SurveyResult.objects.exists()


def test_a_second_survey_of_the_same_council_and_year_is_refused(
    client, coordinator_taira, make_survey
):
    make_survey("平", 2017)
    client.force_login(coordinator_taira)
    response = client.post(CREATE, post_data(tier2("平"), rows={1: ("1", "can", "")}))
    assert response.status_code == 200
    assert "この協議体のこの年度の調査はすでに登録されています" in response.content.decode()
    assert Survey.objects.count() == 1


def test_a_period_ending_before_it_starts_is_refused(client, coordinator_taira):
    client.force_login(coordinator_taira)
    response = client.post(
        CREATE, post_data(tier2("平"), conducted_from="H29.9.10", conducted_until="H29.9.1")
    )
    assert "終了日が開始日より前になっています" in response.content.decode()
    assert not Survey.objects.exists()


def test_coordinator_cannot_enter_a_survey_of_another_area(client, coordinator_taira):
    client.force_login(coordinator_taira)
    response = client.post(CREATE, post_data(tier2("小名浜"), rows={1: ("1", "can", "")}))
    assert response.status_code == 200
    assert "正しく選択してください" in response.content.decode()
    assert not Survey.objects.exists()


def test_coordinator_may_enter_a_survey_of_a_group_in_their_area(client, coordinator_taira):
    client.force_login(coordinator_taira)
    group_council = Council.objects.get(tier=Tier.THIRD, name="城山")
    response = client.post(
        CREATE, post_data(group_council, fiscal_year="2017", rows={2: ("5", "can", "")})
    )
    assert response.status_code == 302
    assert Survey.objects.get().council == group_council


def test_entry_link_from_the_matrix_prefills_council_and_year(client, coordinator_taira):
    client.force_login(coordinator_taira)
    council = tier2("平")
    body = client.get(f"{CREATE}?council={council.pk}&fiscal_year=2017").content.decode()
    assert f'<option value="{council.pk}" selected>' in body
    assert 'value="平成29年度"' in body


@pytest.mark.usefixtures("data_2017")
def test_a_coordinator_of_one_area_finds_it_and_the_current_year_preselected(
    client, coordinator_taira, time_machine
):
    time_machine.move_to("2018-03-31 12:00 +09:00")
    client.force_login(coordinator_taira)
    body = client.get(CREATE).content.decode()
    assert f'<option value="{tier2("平").pk}" selected>' in body
    assert 'value="平成29年度"' in body


def test_detail_shows_each_row_with_the_opinions_tagged_with_its_category(
    client, city_staff, make_survey
):
    from councils.models import Opinion
    from needs_survey.models import HelpCategory

    survey = make_survey("平", 2017, {5: (4, "can", "ごみ集積所が遠い")})
    HelpCategory.objects.get(number=5).opinions.add(
        Opinion.objects.get(fiscal_year=2017, position=2)
    )
    client.force_login(city_staff)
    body = client.get(survey.get_absolute_url()).content.decode()
    row = re.search(r"⑤ごみ出し</th>(.*?)</tr>", body, re.S).group(1)
    assert "4" in row and "できる" in row and "ごみ集積所が遠い" in row
    assert "ごみ出し支援などの新たな活動" in row
    assert "修正する" not in body

"""City profile and programme outcomes: every figure with its date and source, and the notes."""

import pytest
from django.urls import reverse

from activities.models import KeyFigure, ProgrammeNote

pytestmark = pytest.mark.django_db

OUTCOMES = reverse("outcomes")


@pytest.fixture
def body(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(OUTCOMES)
    assert response.status_code == 200
    return response.content.decode()


def test_every_key_figure_appears_with_its_value_and_source(body):
    from django.utils.html import escape

    for figure in KeyFigure.objects.all():
        assert escape(figure.label) in body, figure.key
        if figure.value is not None:
            assert figure.display_value in body, figure.key
        if figure.source:
            assert escape(figure.source) in body, figure.key
        if figure.as_of_text:
            assert escape(figure.as_of_text) in body, figure.key


def test_figure_dates_are_in_era_form_with_the_western_date(body):
    assert '<time datetime="2017-10-01" title="2017年10月1日">平成29年10月1日</time>' in body
    assert "平成27年度" in body  # the FY2015 model budget


def test_every_programme_note_appears(body):
    from django.utils.html import escape

    for note in ProgrammeNote.objects.all():
        first_line = note.text.splitlines()[0]
        assert escape(first_line) in body, (note.topic, note.position)


def test_outcomes_list_the_15_model_districts_and_budgets(body):
    assert "37,000千円" in body
    assert "28,000千円" in body
    for mark, label in [("①", "平城山"), ("⑮", "川前山下谷")]:
        assert f"<td>{mark}</td><td>{label}</td>" in body


def test_outcomes_say_tier_1_is_not_established(body):
    assert "設置していない" in body


def test_outcomes_show_opinions_plan_ahead_igoku_and_help_categories(body):
    assert "移動販売などの生活支援サービスがリスト化" in body
    assert "今後の予定" in body
    assert "いごく" in body
    for name in ["声かけ", "買物", "回覧板移動", "その他"]:
        assert name in body
    for label in ["できる", "工夫必要", "難しい"]:
        assert f"「{label}」" in body


def test_outcomes_put_299_beside_288_with_the_difference(body):
    assert "299人" in body
    assert "288人" in body
    assert "差: 11人" in body


def test_outcomes_need_a_role(client, make_user, data_2017):
    client.force_login(make_user("nobody"))
    assert client.get(OUTCOMES).status_code == 403


def test_outcomes_make_the_same_few_queries_when_the_records_grow_tenfold(
    client, city_staff, data_2017, django_assert_max_num_queries
):
    from tests.growth import grow_programme

    client.force_login(city_staff)
    with django_assert_max_num_queries(17):
        client.get(OUTCOMES)
    grow_programme(times=10)
    with django_assert_max_num_queries(17):
        assert client.get(OUTCOMES).status_code == 200

"""The matrix page, the comparison of two years and 'start with what you can do'."""

import re

import pytest
from django.urls import reverse

from councils.models import Area, District

pytestmark = pytest.mark.django_db

MATRIX = reverse("needs_survey:survey-matrix")


def cell_texts(body):
    return re.findall(r'<td class="cell ([\w-]+)[^"]*">(.*?)</td>', body, re.S)


def test_matrix_shows_count_and_classification_text_in_coloured_cells(
    client, city_staff, make_survey
):
    make_survey("平", 2017, {1: (12, "can"), 2: (3, "difficult"), 3: (None, "ingenuity")})
    client.force_login(city_staff)
    body = client.get(MATRIX, {"fiscal_year": "2017"}).content.decode()
    cells = cell_texts(body)
    assert len(cells) == 13 * 13
    first_row = cells[:13]
    assert first_row[0][0] == "class-can"
    assert "12" in first_row[0][1] and "できる" in first_row[0][1]
    assert first_row[1][0] == "class-difficult" and "難しい" in first_row[1][1]
    assert first_row[2][0] == "class-ingenuity" and "工夫必要" in first_row[2][1]
    assert "—" in first_row[2][1]  # classified without a count
    assert 'class="legend"' in body
    assert "平成29年度" in body


def test_matrix_defaults_to_the_newest_year_with_a_survey(client, city_staff, make_survey):
    make_survey("平", 2016, {1: (5, "can")})
    make_survey("平", 2018, {1: (8, "difficult")})
    client.force_login(city_staff)
    body = client.get(MATRIX).content.decode()
    assert "平成30年度" in body
    assert cell_texts(body)[0][0] == "class-difficult"


def test_matrix_filtered_by_district_shows_only_its_areas(client, city_staff, make_survey):
    client.force_login(city_staff)
    district = District.objects.get(name="勿来")
    body = client.get(MATRIX, {"fiscal_year": "2017", "district": district.pk}).content.decode()
    assert len(cell_texts(body)) == 2 * 13
    assert "田人" in body and "小名浜</th>" not in body


def test_matrix_year_accepts_the_era_form(client, city_staff, make_survey):
    make_survey("平", 2017, {1: (12, "can")})
    make_survey("平", 2018, {1: (1, "difficult")})
    client.force_login(city_staff)
    body = client.get(MATRIX, {"fiscal_year": "H29"}).content.decode()
    assert cell_texts(body)[0][0] == "class-can"


def test_matrix_offers_coordinators_entry_only_for_their_areas(
    client, coordinator_taira, make_survey
):
    client.force_login(coordinator_taira)
    body = client.get(MATRIX, {"fiscal_year": "2017"}).content.decode()
    assert body.count(">入力</a>") == 1
    survey = make_survey("平", 2017, {1: (1, "can")})
    body = client.get(MATRIX, {"fiscal_year": "2017"}).content.decode()
    assert reverse("needs_survey:survey-update", args=[survey.pk]) in body
    assert ">入力</a>" not in body


def test_matrix_query_count_is_flat(
    client, coordinator_hq, make_survey, django_assert_max_num_queries
):
    for area in Area.objects.all():
        make_survey(area.name, 2017, {n: (n, "can") for n in range(1, 14)})
    client.force_login(coordinator_hq)
    with django_assert_max_num_queries(14):
        response = client.get(MATRIX, {"fiscal_year": "2017"})
    assert len(cell_texts(response.content.decode())) == 169


def test_comparison_shows_before_after_and_change(client, city_staff, make_survey):
    make_survey("平", 2016, {1: (10, "ingenuity")})
    make_survey("平", 2017, {1: (12, "can")})
    client.force_login(city_staff)
    response = client.get(
        reverse("needs_survey:survey-compare"), {"earlier_year": "H28", "fiscal_year": "H29"}
    )
    body = response.content.decode()
    first = re.search(r'<td class="cell class-can changed">(.*?)</td>', body, re.S).group(1)
    first = re.sub(r"<[^>]+>", "", first)
    assert "10→12" in first and "(+2)" in first and "工夫必要→できる" in first


def test_comparison_prefills_the_two_newest_years(client, city_staff, make_survey):
    make_survey("平", 2016, {1: (10, "can")})
    make_survey("平", 2017, {1: (12, "can")})
    client.force_login(city_staff)
    body = client.get(reverse("needs_survey:survey-compare")).content.decode()
    assert re.search(r'name="earlier_year".*?<option value="2016" selected>平成28年度', body, re.S)
    assert re.search(r'name="fiscal_year".*?<option value="2017" selected>平成29年度', body, re.S)


def test_comparison_of_a_year_with_itself_is_refused_in_japanese(client, city_staff):
    client.force_login(city_staff)
    response = client.get(
        reverse("needs_survey:survey-compare"), {"earlier_year": "2017", "fiscal_year": "H29"}
    )
    assert "異なる2つの年度を選んでください" in response.content.decode()


def test_comparison_query_count_is_flat(
    client, city_staff, make_survey, django_assert_max_num_queries
):
    for area in Area.objects.all():
        make_survey(area.name, 2016, {n: (n, "can") for n in range(1, 14)})
        make_survey(area.name, 2017, {n: (n + 1, "can") for n in range(1, 14)})
    client.force_login(city_staff)
    # Two matrices of four queries each, plus session, user, role and filter choices.
    with django_assert_max_num_queries(18):
        response = client.get(
            reverse("needs_survey:survey-compare"), {"earlier_year": "2016", "fiscal_year": "2017"}
        )
    assert response.content.decode().count("(+1)") == 169


def test_can_do_page_marks_gaps_and_lists_groups(client, city_staff, make_survey):
    make_survey("平", 2017, {2: (10, "can"), 3: (5, "can"), 7: (6, "difficult")})
    client.force_login(city_staff)
    body = client.get(
        reverse("needs_survey:survey-can-do"), {"fiscal_year": "2017"}
    ).content.decode()
    assert "空白のある項目: <strong>1件</strong>" in body
    gap_row = re.search(r'<tr class="gap">(.*?)</tr>', body, re.S).group(1)
    assert "③通院・外出" in gap_row
    assert re.search(r">城山</a>\(買い物代行\)", body) and re.search(r">鎌田</a>\(買い物\)", body)
    assert "⑦窓拭き" not in body  # 難しい: not a can-do item


def test_can_do_query_count_is_flat(client, city_staff, make_survey, django_assert_max_num_queries):
    from councils.models import FollowUp, Meeting, Opinion
    from needs_survey.models import HelpCategory

    categories = list(HelpCategory.objects.all())
    for area in Area.objects.all():
        make_survey(area.name, 2017, {n: (n, "can") for n in range(1, 14)})
        # Every area's meeting voices an opinion on every category and agrees on a follow-up.
        meeting = Meeting.objects.get(
            council__area=area, council__tier=2, fiscal_year=2017, sequence=2
        )
        FollowUp.objects.create(meeting=meeting, action=f"{area}の取組")
        opinion = Opinion.objects.create(meeting=meeting, fiscal_year=2017, text=f"{area}の意見")
        opinion.help_categories.set(categories)
    client.force_login(city_staff)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("needs_survey:survey-can-do"), {"fiscal_year": "2017"})
    body = response.content.decode()
    assert body.count('<tr class="gap">') > 10
    assert body.count("川前の取組") == 13


def test_matrix_exports_typed_xlsx_for_the_chosen_year_and_district(
    client, city_staff, make_survey
):
    import io

    from openpyxl import load_workbook

    make_survey("勿来", 2017, {1: (12, "can")}, respondents=40)
    make_survey("勿来", 2016, {1: (99, "difficult")})
    client.force_login(city_staff)
    district = District.objects.get(name="勿来")
    response = client.get(
        MATRIX, {"fiscal_year": "2017", "district": district.pk, "_export": "xlsx"}
    )
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.startswith("ニーズ調査一覧表 平成29年度 ／ 絞り込み: 地区「勿来」")
    rows = list(sheet.iter_rows(min_row=3, values_only=True))  # under the title row
    assert rows[0][:7] == (
        "年度",
        "地区",
        "圏域",
        "調査",
        "回答者数",
        "①声かけ 希望者数",
        "①声かけ 分類",
    )
    assert [r[2] for r in rows[1:]] == ["勿来", "田人"]
    assert rows[1][4:7] == (40, 12, "できる")


def test_matrix_exports_csv_in_shift_jis_on_request(client, city_staff, make_survey):
    make_survey("平", 2017, {13: (3, "ingenuity")})
    client.force_login(city_staff)
    response = client.get(MATRIX, {"fiscal_year": "2017", "_export": "csv", "encoding": "cp932"})
    text = response.content.decode("cp932")
    assert "⑬その他 希望者数" in text.splitlines()[0]
    assert "平成29年度,平,平,実施" in text


def test_matrix_shift_jis_refusal_names_the_area_and_offers_utf8_and_xlsx(
    client, city_staff, make_survey
):
    import html

    make_survey("平", 2017, {13: (3, "ingenuity")})
    Area.objects.filter(name="平").update(name="平𠮷")
    client.force_login(city_staff)
    query = {"fiscal_year": "2017", "_export": "csv", "encoding": "cp932"}
    response = client.get(MATRIX, query)
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "「平𠮷」の行" in body and "「圏域」にある文字「𠮷」" in body
    assert 'href="?fiscal_year=2017&_export=csv"' in body
    assert 'href="?fiscal_year=2017&_export=xlsx"' in body
    assert client.get(MATRIX, {"fiscal_year": "2017", "_export": "csv"}).status_code == 200


def test_matrix_export_query_count_is_flat(
    client, city_staff, make_survey, django_assert_max_num_queries
):
    for area in Area.objects.all():
        make_survey(area.name, 2017, {n: (n, "can") for n in range(1, 14)})
    client.force_login(city_staff)
    # Session, user, role; the filter's district; the four queries of the matrix.
    with django_assert_max_num_queries(12):
        response = client.get(MATRIX, {"fiscal_year": "2017", "_export": "csv"})
    assert len(response.content.decode("utf-8-sig").splitlines()) == 14


def test_matrix_page_links_to_the_exports_of_what_it_shows(client, city_staff):
    client.force_login(city_staff)
    district = District.objects.get(name="勿来")
    body = client.get(MATRIX, {"fiscal_year": "2017", "district": district.pk}).content.decode()
    assert f"?fiscal_year=2017&amp;district={district.pk}&amp;_export=xlsx" in body


def test_a_need_leads_to_its_opinion_response_and_follow_up_actions(
    client, city_staff, make_survey
):
    from councils.models import FollowUp, Meeting, Opinion, ResponseStatus
    from needs_survey.models import HelpCategory

    make_survey("平", 2017, {3: (5, "can")})
    meeting = Meeting.objects.get(council__name="平 第2層協議体", fiscal_year=2017, sequence=2)
    opinion = Opinion.objects.create(
        meeting=meeting,
        fiscal_year=2017,
        text="通院の送迎を頼める人がいない",
        status=ResponseStatus.MEASURE,
        response="地区の有志で付き添いを試行",
    )
    HelpCategory.objects.get(number=3).opinions.add(opinion)
    follow_up = FollowUp.objects.create(
        meeting=meeting, action="付き添いの担い手を募る", assignee="平地区協議会"
    )
    client.force_login(city_staff)
    body = client.get(
        reverse("needs_survey:survey-can-do"), {"fiscal_year": "2017"}
    ).content.decode()
    gap_row = re.search(r'<tr class="gap">(.*?)</tr>', body, re.S).group(1)
    assert f'<a href="{opinion.get_absolute_url()}">通院の送迎を頼める人がいない</a>' in gap_row
    assert "対応策を決定" in gap_row and "対応: 地区の有志で付き添いを試行" in gap_row
    assert f'<a href="{follow_up.get_absolute_url()}">付き添いの担い手を募る</a>' in gap_row
    assert "未完了" in gap_row

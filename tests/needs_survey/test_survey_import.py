"""Importing survey tallies: preview, confirm, all or nothing, Japanese errors with row and column."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import Workbook

from councils.models import Area, Council, Tier
from needs_survey import imports
from needs_survey.models import Survey, SurveyResult
from needs_survey.tables import matrix_sheet

pytestmark = pytest.mark.django_db

IMPORT = reverse("needs_survey:survey-import")
CONFIRM = reverse("needs_survey:survey-import-confirm")


def csv_file(text, name="集計.csv", encoding="cp932"):
    upload = io.BytesIO(text.encode(encoding))
    upload.name = name
    return upload


def xlsx_file(rows, name="集計.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def upload(client, file, **fields):
    return client.post(IMPORT, {"file": file, **fields})


def token_of(response):
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    return match.group(1) if match else None


LONG_CSV = (
    "平成29年度 ニーズ調査 集計表\n"
    "\n"
    "圏域,年度,項目,希望者数,分類,備考\n"
    "平,H29,①声かけ,１２,○,民生委員と分担\n"
    "平,H29,通院・外出,4人,×,\n"
    "平,H29,5,3,工夫必要,\n"
)


def test_long_sheet_in_shift_jis_is_previewed_then_imported(client, coordinator_taira):
    client.force_login(coordinator_taira)
    response = upload(client, csv_file(LONG_CSV))
    body = response.content.decode()
    assert response.status_code == 200
    assert "エラーはありません" in body
    assert "1行に1項目" in body and "見出し: 3行目" in body
    assert "①声かけ 希望者数: (空欄) → 12" in body
    assert "③通院・外出 分類: (空欄) → 難しい" in body
    assert not Survey.objects.exists()  # the preview writes nothing

    response = client.post(CONFIRM, {"token": token_of(response)})
    assert response.status_code == 302
    survey = Survey.objects.get(council__area__name="平", fiscal_year=2017)
    got = {
        r.category.number: (r.requests, r.classification, r.note)
        for r in survey.results.select_related("category")
    }
    assert got == {
        1: (12, "can", "民生委員と分担"),
        3: (4, "difficult", ""),
        5: (3, "ingenuity", ""),
    }
    assert Survey.objects.matrix(2017).cell("平", 1).requests == 12


def test_wide_sheet_exported_from_the_matrix_reads_back(client, coordinator_hq, make_survey):
    make_survey("平", 2017, {1: (12, "can"), 2: (3, "difficult")}, respondents=80)
    headers, rows = matrix_sheet(Survey.objects.matrix(2017))
    rows[0][5] = 15  # ①声かけ 希望者数 of 平: 12 -> 15
    rows[1][5:7] = [7, "△"]  # 小名浜 gets a survey
    client.force_login(coordinator_hq)
    response = upload(client, xlsx_file([headers, *rows]))
    body = response.content.decode()
    assert "エラーはありません" in body, body
    assert "1行に1圏域" in body
    assert "取り込む値のない行を読み飛ばしました" in body  # the 11 areas without a survey
    client.post(CONFIRM, {"token": token_of(response)})
    matrix = Survey.objects.matrix(2017)
    assert matrix.cell("平", 1).requests == 15
    assert matrix.cell("平", 2).classification == "difficult"
    assert matrix.cell("小名浜", 1).classification == "ingenuity"
    assert Survey.objects.of_areas().filter(fiscal_year=2017).count() == 2


def test_every_error_names_its_row_and_column_and_nothing_is_written(client, coordinator_taira):
    client.force_login(coordinator_taira)
    text = (
        "圏域,年度,項目,希望者数,分類\n"
        "平,H29,声かけ,-1,できる\n"
        "平,H29,買物,たくさん,できる\n"
        "平,H29,掃除,2,たぶん\n"
        "平,H29,草むしり,x,できる\n"
        "小名浜,H29,声かけ,2,できる\n"
        "平,H29,①,2,できる\n"
        "平,平成99年度,声かけ,1,できる\n"
        "どこか,H29,声かけ,1,できる\n"
        "平,H29,洗濯,3,難しい\n"
    )
    body = upload(client, csv_file(text, encoding="utf-8")).content.decode()
    assert "エラーがあるため取り込めません" in body
    assert "2行目「希望者数」: 0以上の整数で入力してください" in body
    assert "3行目「希望者数」: 数字で入力してください" in body
    assert "4行目「分類」: 分類「たぶん」は使えません" in body
    assert "5行目「項目」: 項目「草むしり」がありません" in body
    assert "5行目「希望者数」: 数字で入力してください" in body
    assert "6行目「圏域」: 小名浜は担当する圏域ではないため取り込めません" in body
    assert (
        "7行目「項目」: 平 平成29年度の①声かけは2行目にもあります" not in body
    )  # row 2 had an error
    assert "8行目「年度」" in body
    assert "9行目「圏域」: 圏域「どこか」がありません" in body
    assert 'name="token"' not in body
    assert not Survey.objects.exists() and not SurveyResult.objects.exists()


def test_a_category_twice_for_the_same_survey_is_refused(client, coordinator_taira):
    client.force_login(coordinator_taira)
    text = "圏域,年度,項目,希望者数\n平,H29,声かけ,1\n平,H29,①,2\n"
    body = upload(client, csv_file(text)).content.decode()
    assert "3行目「項目」: 平 平成29年度の①声かけは2行目にもあります。" in body


def test_area_and_year_may_come_from_the_form(client, coordinator_taira):
    client.force_login(coordinator_taira)
    area = Area.objects.get(name="平")
    text = "項目,希望者数,分類\n声かけ,5,できる\n"
    response = upload(client, csv_file(text), area=area.pk, fiscal_year="平成30年度")
    client.post(CONFIRM, {"token": token_of(response)})
    assert Survey.objects.get().fiscal_year == 2018


def test_missing_area_and_year_columns_without_defaults_are_explained(client, coordinator_taira):
    client.force_login(coordinator_taira)
    body = upload(client, csv_file("項目,希望者数\n声かけ,5\n")).content.decode()
    assert "1行目: 「圏域」の列がありません" in body
    assert "1行目: 「年度」の列がありません" in body


def test_an_absent_column_keeps_the_stored_value_and_an_empty_cell_clears_it(
    client, coordinator_taira, make_survey
):
    make_survey("平", 2017, {1: (12, "can", "メモ"), 2: (3, "difficult", "")})
    client.force_login(coordinator_taira)
    text = "圏域,年度,項目,分類\n平,H29,声かけ,難しい\n平,H29,買物,\n"
    response = upload(client, csv_file(text))
    client.post(CONFIRM, {"token": token_of(response)})
    survey = Survey.objects.get()
    got = {r.category.number: (r.requests, r.classification, r.note) for r in survey.results.all()}
    assert got == {1: (12, "difficult", "メモ"), 2: (3, "", "")}


def test_confirming_after_the_records_changed_is_refused(client, coordinator_taira, make_survey):
    survey = make_survey("平", 2017, {1: (12, "can")})
    client.force_login(coordinator_taira)
    response = upload(client, csv_file("圏域,年度,項目,希望者数\n平,H29,声かけ,15\n"))
    SurveyResult.objects.filter(survey=survey).update(requests=20)  # someone else edits
    response = client.post(CONFIRM, {"token": token_of(response)}, follow=True)
    assert "確認の後に記録が変更されたため取り込みませんでした" in response.content.decode()
    assert survey.results.get().requests == 20


def test_a_token_is_only_good_for_its_user_and_unaltered(client, coordinator_taira, coordinator_hq):
    client.force_login(coordinator_taira)
    token = token_of(upload(client, csv_file("圏域,年度,項目,希望者数\n平,H29,声かけ,15\n")))
    assert client.post(CONFIRM, {"token": token[:-2] + "xx"}).status_code == 404
    client.force_login(coordinator_hq)
    assert client.post(CONFIRM, {"token": token}).status_code == 404
    assert not Survey.objects.exists()


def test_a_token_for_areas_no_longer_covered_is_refused(client, coordinator_taira):
    client.force_login(coordinator_taira)
    token = token_of(upload(client, csv_file("圏域,年度,項目,希望者数\n平,H29,声かけ,15\n")))
    coordinator_taira.coordinator.areas.clear()
    coordinator_taira.coordinator.areas.add(Area.objects.get(name="小名浜"))
    response = client.post(CONFIRM, {"token": token}, follow=True)
    assert "担当する圏域外の調査が含まれているため取り込めません" in response.content.decode()
    assert not Survey.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_japanese(client, coordinator_taira):
    client.force_login(coordinator_taira)
    upload_file = io.BytesIO(b"\x00\x01\x02binary")
    upload_file.name = "写真.png"
    body = upload(client, upload_file).content.decode()
    assert "表計算のファイルではないようです" in body


@pytest.mark.parametrize("persona", ["city_staff"])
def test_city_staff_cannot_import(client, city_staff, persona):
    client.force_login(city_staff)
    assert client.get(IMPORT).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403


def test_prepare_reads_the_group_council_name_as_its_area(coordinator_taira):
    council = Council.objects.get(tier=Tier.SECOND, area__name="平")
    data = f"協議体,年度,項目,希望者数\n{council.name},2017,声かけ,1\n".encode()
    plan = imports.prepare(data, filename="a.csv", allowed_areas=Area.objects.filter(name="平"))
    assert plan.ok and plan.surveys[0].area.name == "平"


def test_confirm_accepts_only_post(client, coordinator_taira):
    client.force_login(coordinator_taira)
    assert client.get(CONFIRM).status_code == 405


def test_anonymous_is_sent_to_log_in_from_the_import_page(client):
    response = client.get(IMPORT)
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_end_date_without_a_start_is_refused_before_confirming(client, coordinator_taira):
    client.force_login(coordinator_taira)
    text = "圏域,年度,項目,希望者数,実施期間(終了)\n平,H29,声かけ,1,H29.9.30\n"
    body = upload(client, csv_file(text)).content.decode()
    assert "2行目: 平 平成29年度: 終了日を入れるときは開始日も入力してください。" in body
    assert 'name="token"' not in body


def test_survey_dates_and_respondents_are_read_with_era_dates(client, coordinator_taira):
    client.force_login(coordinator_taira)
    text = (
        "圏域,年度,項目,希望者数,回答者数,実施日,実施期間(終了)\n"
        "平,H29,声かけ,1,120,H29.9.1,平成29年9月30日\n"
        "平,H29,買物,2,120,H29.9.1,平成29年9月30日\n"
    )
    response = upload(client, csv_file(text))
    assert "回答者数: (空欄) → 120" in response.content.decode()
    client.post(CONFIRM, {"token": token_of(response)})
    survey = Survey.objects.get()
    assert (survey.respondents, str(survey.conducted_from), str(survey.conducted_until)) == (
        120,
        "2017-09-01",
        "2017-09-30",
    )


def test_rows_of_one_survey_that_disagree_on_its_respondents_are_refused(client, coordinator_taira):
    client.force_login(coordinator_taira)
    text = "圏域,年度,項目,希望者数,回答者数\n平,H29,声かけ,1,120\n平,H29,買物,2,130\n"
    body = upload(client, csv_file(text)).content.decode()
    assert "3行目「回答者数」: 同じ調査(平 平成29年度)の2行目と値が違います。" in body


def test_the_matrix_csv_export_in_shift_jis_imports_back_unchanged(
    client, coordinator_hq, make_survey
):
    make_survey("平", 2017, {1: (12, "can"), 13: (None, "difficult")}, respondents=80)
    client.force_login(coordinator_hq)
    exported = client.get(
        reverse("needs_survey:survey-matrix"),
        {"fiscal_year": "2017", "_export": "csv", "encoding": "cp932"},
    ).content
    body = upload(client, csv_file(exported.decode("cp932"), name="一覧表.csv")).content.decode()
    assert "エラーはありません" in body
    assert "変更なし" in body and "新規" not in body

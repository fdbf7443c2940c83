"""Supporter list, detail and export: personal data only for those allowed, every view and
export recorded, names never in URLs or the record."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import Supporter, SupportGroup
from audit.models import AccessRecord
from needs_survey.models import HelpCategory

LIST = reverse("activities:supporter-list")


@pytest.fixture
def supporters(data_2017):
    shiroyama = SupportGroup.objects.get(name="城山")
    tamagawa = SupportGroup.objects.get(name="玉川")
    yamada = Supporter.objects.create(
        group=shiroyama,
        name="山田 太郎",
        kana="ヤマダ タロウ",
        phone="0246-22-1111",
        birth_date=date(1945, 5, 1),
        note='=HYPERLINK("http://example.invalid")',
    )
    yamada.help_categories.set(HelpCategory.objects.filter(number__in=[1, 2]))
    Supporter.objects.create(group=shiroyama, name="佐藤 花子", kana="サトウ ハナコ", active=False)
    Supporter.objects.create(group=tamagawa, name="小野 次郎", kana="オノ ジロウ")
    return shiroyama, tamagawa, yamada


def test_anonymous_is_sent_to_login(client):
    assert client.get(LIST).status_code == 302


def test_city_staff_see_no_personal_data(client, city_staff, supporters):
    client.force_login(city_staff)
    assert client.get(LIST).status_code == 403
    assert client.get(supporters[2].get_absolute_url()).status_code == 403
    assert client.post(LIST, {"_export": "xlsx"}).status_code == 403
    assert not AccessRecord.objects.exists()


def test_coordinator_sees_only_supporters_of_their_areas(client, coordinator_taira, supporters):
    client.force_login(coordinator_taira)
    response = client.get(LIST, {"active": "all"})
    content = response.content.decode()
    assert "山田 太郎" in content and "佐藤 花子" in content
    assert "小野 次郎" not in content
    record = AccessRecord.objects.get()
    assert (record.action, record.user, record.rows, record.what) == (
        "view",
        coordinator_taira,
        2,
        "サポーター一覧",
    )
    assert record.area.name == "平" and record.address == "127.0.0.1"


def test_a_list_with_no_supporter_says_so(client, coordinator_onahama, supporters):
    # 永崎 has no supporters yet: a line says so, not a header alone.
    client.force_login(coordinator_onahama)
    nagasaki = SupportGroup.objects.get(name="永崎")
    content = client.get(LIST, {"active": "all", "group": nagasaki.pk}).content.decode()
    assert "該当するものはありません。" in content
    assert "小野 次郎" not in content
    # and a list with rows has no such line
    content = client.get(LIST, {"active": "all"}).content.decode()
    assert "小野 次郎" in content and "該当するものはありません。" not in content


def test_detail_outside_the_users_areas_is_404(client, coordinator_onahama, supporters):
    client.force_login(coordinator_onahama)
    assert client.get(supporters[2].get_absolute_url()).status_code == 404
    assert not AccessRecord.objects.exists()


def test_detail_shows_and_records_one_view(client, coordinator_taira, supporters):
    client.force_login(coordinator_taira)
    response = client.get(supporters[2].get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "昭和20年5月1日" in content and "0246-22-1111" in content
    record = AccessRecord.objects.get()
    assert (record.rows, record.group, record.what) == (1, supporters[0], "サポーターの詳細")


def test_name_search_is_a_post_and_the_words_are_not_recorded(
    client, coordinator_taira, supporters
):
    client.force_login(coordinator_taira)
    response = client.post(LIST, {"q": "やまだ"})
    content = response.content.decode()
    assert "山田 太郎" in content and "佐藤 花子" not in content
    response = client.post(LIST, {"q": "佐藤花子", "active": "all"})
    assert "佐藤 花子" in response.content.decode()
    assert all("やまだ" not in r.what and "佐藤" not in r.what for r in AccessRecord.objects.all())


def test_filter_by_group_and_status(client, coordinator_hq, supporters):
    client.force_login(coordinator_hq)
    response = client.get(LIST, {"group": supporters[1].pk})
    assert "小野 次郎" in response.content.decode()
    assert "山田 太郎" not in response.content.decode()
    assert AccessRecord.objects.get().group == supporters[1]
    response = client.get(LIST, {"active": "0"})
    assert "佐藤 花子" in response.content.decode() and "山田 太郎" not in response.content.decode()


def test_a_group_outside_the_users_areas_cannot_be_chosen(client, coordinator_taira, supporters):
    client.force_login(coordinator_taira)
    response = client.get(LIST, {"group": supporters[1].pk})
    assert "小野 次郎" not in response.content.decode()


def test_xlsx_export_is_formula_safe_typed_and_recorded(client, coordinator_taira, supporters):
    client.force_login(coordinator_taira)
    response = client.post(LIST, {"_export": "xlsx", "active": "1"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.startswith("サポーター名簿 ／ 絞り込み: 状態「登録中」")
    rows = list(sheet.iter_rows(min_row=3, values_only=True))  # under the title row
    assert rows[0][:3] == ("団体", "氏名", "フリガナ")
    assert rows[0][-2:] == ("状態", "登録終了日")  # Japanese headers, never "Active"
    assert rows[1][-2:] == ("登録中", None)
    assert len(rows) == 2
    yamada = rows[1]
    assert yamada[1] == "山田 太郎"
    assert yamada[5].date() == date(1945, 5, 1)
    assert yamada[7] == "声かけ、買物"
    note_cells = [c for c in sheet[4] if c.value and str(c.value).startswith("=")]
    assert note_cells == []  # the note is not exported; no cell is a formula
    assert all(c.data_type != "f" for c in sheet[4])
    record = AccessRecord.objects.get(action="export")
    assert (record.rows, record.area.name, record.user) == (1, "平", coordinator_taira)


def test_cp932_csv_export(client, coordinator_taira, supporters):
    client.force_login(coordinator_taira)
    supporters[2].name = "髙橋 﨑子"
    supporters[2].save()
    response = client.post(LIST, {"_export": "csv-cp932", "active": "all"})
    rows = list(csv.reader(io.StringIO(response.content.decode("cp932"))))
    assert [r[1] for r in rows if r[1].startswith("髙")] == ["髙橋 﨑子"]
    assert AccessRecord.objects.get(action="export").rows == 2  # 登録終了 included (すべて)


def test_export_of_a_phone_starting_with_a_formula_character_is_defused(
    client, coordinator_taira, supporters
):
    supporters[2].phone = "=1+2"
    supporters[2].save()
    client.force_login(coordinator_taira)
    response = client.post(LIST, {"_export": "csv"})
    assert "'=1+2" in response.content.decode("utf-8-sig")


def test_unknown_export_format_is_404(client, coordinator_taira, supporters):
    client.force_login(coordinator_taira)
    assert client.post(LIST, {"_export": "pdf"}).status_code == 404
    assert not AccessRecord.objects.filter(action="export").exists()


def test_list_and_export_queries_do_not_grow_with_rows(
    client, administrator, supporters, django_assert_max_num_queries
):
    shiroyama = supporters[0]
    categories = list(HelpCategory.objects.all()[:3])
    for i in range(60):
        supporter = Supporter.objects.create(group=shiroyama, name=f"追加 {i}")
        supporter.help_categories.set(categories)
    client.force_login(administrator)
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.post(LIST, {"_export": "xlsx"}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(supporters[2].get_absolute_url()).status_code == 200


def test_with_more_groups_than_a_select_lists_a_group_is_searched_by_name(
    client, coordinator_hq, supporters, settings
):
    settings.SELECT_OPTIONS_LIMIT = 5  # Iwaki's 15 groups stand for a hundred times as many
    client.force_login(coordinator_hq)
    page = client.get(LIST).content.decode()
    assert '<select name="group"' not in page and 'name="group_q"' in page
    response = client.post(LIST, {"group_q": "玉"})
    assert "小野 次郎" in response.content.decode()
    assert "山田 太郎" not in response.content.decode()
    assert AccessRecord.objects.order_by("-pk").first().group == supporters[1]  # the one shown
    export = client.post(LIST, {"group_q": "玉", "_export": "csv"})
    assert export.status_code == 200 and "小野 次郎" in export.content.decode("utf-8-sig")
    assert AccessRecord.objects.get(action="export").rows == 1


def test_a_shift_jis_refusal_names_the_person_and_offers_utf8_and_xlsx(
    client, coordinator_taira, supporters
):
    supporters[2].address = "平字𠮷野町1"
    supporters[2].save()
    client.force_login(coordinator_taira)
    response = client.post(LIST, {"_export": "csv-cp932", "active": "1", "q": "山田"})
    assert response.status_code == 400
    body = response.content.decode()
    # The person as the list shows them, the column and the character; no export happened.
    assert "「山田 太郎」の行(CSVの2行目)の「住所」にある文字「𠮷」(U+20BB7)" in body
    assert not AccessRecord.objects.filter(action="export").exists()
    # Showing the name is a view of that supporter, recorded as every view is.
    view = AccessRecord.objects.order_by("-pk").first()
    assert (view.action, view.rows) == ("view", 1)
    # The way out posts the same form (filters and search words, never in the URL).
    assert '<input type="hidden" name="active" value="1">' in body
    assert '<input type="hidden" name="q" value="山田">' in body
    assert 'name="_export" value="csv"' in body and 'name="_export" value="xlsx"' in body
    assert "山田" not in response.request.get("QUERY_STRING", "")
    again = client.post(LIST, {"_export": "csv", "active": "1", "q": "山田"})
    assert again.status_code == 200
    assert "平字𠮷野町1" in again.content.decode("utf-8-sig")
    assert AccessRecord.objects.filter(action="export").count() == 1


def test_export_says_when_a_registration_ended_and_unknown_as_unknown(
    client, coordinator_taira, supporters
):
    shiroyama = supporters[0]
    Supporter.objects.create(
        group=shiroyama,
        name="鈴木 一郎",
        kana="スズキ イチロウ",
        active=False,
        ended_on=date(2018, 3, 31),
    )
    client.force_login(coordinator_taira)
    response = client.post(LIST, {"_export": "xlsx", "active": "0"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    ended = {row[1]: row[-2:] for row in rows[1:]}
    assert ended["鈴木 一郎"][0] == "登録終了"
    assert ended["鈴木 一郎"][1].date() == date(2018, 3, 31)
    # Ended on a day nobody recorded: 不明, never an empty cell that reads as "still here".
    assert ended["佐藤 花子"] == ("登録終了", "不明")
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.post(LIST, {"_export": "csv", "active": "all"}).content.decode("utf-8-sig")
            )
        )
    )
    assert csv_rows[0][-2:] == ["状態", "登録終了日"]
    assert {r[1]: r[-2:] for r in csv_rows[1:]}["鈴木 一郎"] == ["登録終了", "2018-03-31"]

"""The import page: upload, preview of every row, confirm exactly what was shown, result."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from activities.imports import prepare
from activities.models import PendingImport, Supporter, SupporterImport, SupportGroup
from audit.models import AccessAction, AccessRecord
from tests.spreadsheet_files import csv_bytes, xlsx_bytes

CREATE = reverse("activities:supporterimport-create")
CONFIRM = reverse("activities:supporterimport-confirm")
TEMPLATE = reverse("activities:supporterimport-template")
IMPORTS = reverse("activities:supporterimport-list")

SHIROYAMA_ROWS = [
    ["城山 サポーター名簿"],
    ["氏名", "ふりがな", "電話番号", "生年月日"],
    ["山田 太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "0246-22-1111", "昭和20年5月1日"],
    ["佐藤 花子", "さとう はなこ", "0246-22-2222", "H1.2.3"],
]


def upload(client, data, name="名簿.xlsx", **fields):
    return client.post(CREATE, {"file": SimpleUploadedFile(name, data), **fields})


@pytest.fixture
def shiroyama():
    return SupportGroup.objects.get(name="城山")


def test_anonymous_is_sent_to_login(client):
    response = client.get(CREATE)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("url", [CREATE, TEMPLATE, reverse("activities:supporterimport-list")])
def test_city_staff_may_not_import(client, city_staff, url):
    client.force_login(city_staff)
    assert client.get(url).status_code == 403


def test_city_staff_cannot_post_an_import(client, city_staff):
    client.force_login(city_staff)
    response = upload(client, xlsx_bytes(SHIROYAMA_ROWS), group=1)
    assert response.status_code == 403
    assert not PendingImport.objects.exists()


def test_coordinator_sees_the_form_with_only_their_groups(client, coordinator_taira):
    client.force_login(coordinator_taira)
    response = client.get(CREATE)
    assert response.status_code == 200
    groups = list(response.context["form"].fields["group"].queryset)
    assert {g.area.name for g in groups} == {"平"}
    assert {g.name for g in groups} == {"城山", "鎌田"}


def test_preview_shows_every_row_and_confirm_imports_it(client, coordinator_taira, shiroyama):
    client.force_login(coordinator_taira)
    response = upload(client, xlsx_bytes(SHIROYAMA_ROWS), group=shiroyama.pk)
    assert response.status_code == 200
    result = response.context["result"]
    assert result.ok
    assert [(e.number, e.action) for e in result.entries] == [(3, "new"), (4, "new")]
    content = response.content.decode()
    assert "ヤマダ タロウ" in content and "昭和20年5月1日" in content
    assert not Supporter.objects.exists()  # the preview writes nothing

    pending = response.context["pending"]
    response = client.post(CONFIRM, {"token": str(pending.token)})
    record = SupporterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()
    assert (record.created, record.updated, record.unchanged, record.source) == (2, 0, 0, "web")
    assert record.user == coordinator_taira
    assert list(record.groups.all()) == [shiroyama]
    assert sorted(Supporter.objects.values_list("name", "kana")) == [
        ("佐藤 花子", "サトウ ハナコ"),
        ("山田 太郎", "ヤマダ タロウ"),
    ]
    preview, access = AccessRecord.objects.order_by("pk")
    # The preview showed the file against the registered supporters: a view of the group.
    assert (preview.action, preview.what, preview.group, preview.rows) == (
        AccessAction.VIEW,
        "サポーター名簿の取込(確認)",
        shiroyama,
        2,
    )
    assert (access.action, access.user, access.group, access.rows, access.address) == (
        AccessAction.IMPORT,
        coordinator_taira,
        shiroyama,
        2,
        "127.0.0.1",
    )
    assert "山田" not in access.what
    assert not PendingImport.objects.exists()  # nothing left behind

    detail = client.get(record.get_absolute_url())
    assert detail.status_code == 200
    assert "名簿.xlsx" in detail.content.decode()


def test_preview_with_errors_lists_each_with_row_and_column_and_offers_no_confirm(
    client, coordinator_taira, shiroyama
):
    client.force_login(coordinator_taira)
    rows = [*SHIROYAMA_ROWS, ["鈴木 一郎", "すずき", "", "平成31年5月1日"], ["", "ヤマ", "", ""]]
    response = upload(client, xlsx_bytes(rows), group=shiroyama.pk)
    content = response.content.decode()
    assert response.context["pending"] is None
    assert "5行目「生年月日」: 平成31年5月1日は平成の期間外です" in content
    assert "6行目「氏名」: 氏名が空欄です。" in content
    assert "この内容で取り込む" not in content
    assert dict((a, n) for _, n, a in response.context["counts"])["error"] == 2
    assert not PendingImport.objects.exists()


def test_confirm_refuses_when_the_database_changed_after_the_preview(
    client, coordinator_taira, shiroyama
):
    client.force_login(coordinator_taira)
    response = upload(client, xlsx_bytes(SHIROYAMA_ROWS), group=shiroyama.pk)
    token = response.context["pending"].token
    Supporter.objects.create(group=shiroyama, name="山田　太郎", phone="0000")
    response = client.post(CONFIRM, {"token": str(token)}, follow=True)
    assert "確認の後にサポーターの登録内容が変わりました" in response.content.decode()
    assert Supporter.objects.count() == 1
    assert not SupporterImport.objects.exists()
    assert not PendingImport.objects.exists()


def test_confirm_cannot_be_replayed_or_used_by_another_user(
    client, coordinator_taira, coordinator_hq, shiroyama
):
    client.force_login(coordinator_taira)
    token = upload(client, xlsx_bytes(SHIROYAMA_ROWS), group=shiroyama.pk).context["pending"].token
    client.force_login(coordinator_hq)
    # Another user's preview, a replay, a made-up token: a message, never the import.
    assert client.post(CONFIRM, {"token": str(token)})["Location"] == IMPORTS
    client.force_login(coordinator_taira)
    assert client.post(CONFIRM, {"token": str(token)})["Location"] != IMPORTS
    assert client.post(CONFIRM, {"token": str(token)})["Location"] == IMPORTS
    assert client.post(CONFIRM, {"token": "not-a-uuid"})["Location"] == IMPORTS
    assert Supporter.objects.count() == 2
    assert SupporterImport.objects.count() == 1


def test_confirm_is_post_only(client, coordinator_taira):
    client.force_login(coordinator_taira)
    assert client.get(CONFIRM).status_code == 405


def test_coordinator_cannot_import_into_a_group_of_another_area(client, coordinator_taira):
    client.force_login(coordinator_taira)
    rows = [["団体名", "氏名"], ["城山", "山田 太郎"], ["玉川", "小野 次郎"]]
    response = upload(client, csv_bytes(rows), name="名簿.csv")
    content = response.content.decode()
    assert (
        "3行目「団体名」: 団体「小名浜 玉川町西区」（小名浜）は担当する圏域外のため取り込めません"
        in content
    )
    assert response.context["pending"] is None
    assert not Supporter.objects.exists()


def test_group_choice_outside_the_users_areas_is_refused_by_the_form(client, coordinator_taira):
    client.force_login(coordinator_taira)
    tamagawa = SupportGroup.objects.get(name="玉川")
    response = upload(client, xlsx_bytes(SHIROYAMA_ROWS), group=tamagawa.pk)
    assert response.context["form"].errors["group"]
    assert not PendingImport.objects.exists()


def test_file_over_the_size_limit_is_refused_before_it_is_read(client, coordinator_taira, settings):
    settings.SPREADSHEET_MAX_BYTES = 100
    client.force_login(coordinator_taira)
    response = upload(client, xlsx_bytes(SHIROYAMA_ROWS), group=1)
    assert "ファイルが大きすぎます" in response.content.decode()


def test_not_a_spreadsheet_gets_a_japanese_message_and_no_traceback(client, coordinator_taira):
    client.force_login(coordinator_taira)
    response = upload(client, b"%PDF-1.4 \x00\x01", name="名簿.pdf")
    assert response.status_code == 200
    assert "表計算のファイルではないようです" in response.content.decode()


def test_cp932_csv_with_encoding_override(client, coordinator_taira, shiroyama):
    client.force_login(coordinator_taira)
    data = csv_bytes([["氏名", "備考"], ["髙橋 﨑子", "①㈱"]], encoding="cp932")
    response = upload(client, data, name="名簿.csv", group=shiroyama.pk, encoding="utf-8")
    assert "UTF-8" in response.content.decode() and "読めません" in response.content.decode()
    response = upload(client, data, name="名簿.csv", group=shiroyama.pk, encoding="cp932")
    assert response.context["result"].ok


def test_stale_previews_are_deleted_by_the_next_preview(client, coordinator_taira, shiroyama):
    import time_machine

    client.force_login(coordinator_taira)
    with time_machine.travel("2026-01-01 09:00 +0900"):
        upload(client, xlsx_bytes(SHIROYAMA_ROWS), group=shiroyama.pk)
    assert PendingImport.objects.count() == 1
    old = PendingImport.objects.get()
    old.user = coordinator_taira.__class__.objects.create(username="other")
    old.save()
    with time_machine.travel("2026-01-02 09:00 +0900"):
        client.force_login(coordinator_taira)
        upload(client, xlsx_bytes(SHIROYAMA_ROWS), group=shiroyama.pk)
    assert list(PendingImport.objects.values_list("user", flat=True)) == [coordinator_taira.pk]


def test_template_has_headers_and_a_labelled_example_row_that_is_never_imported(
    client, coordinator_taira, shiroyama
):
    client.force_login(coordinator_taira)
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:3] == ("団体名", "氏名", "フリガナ")
    assert rows[3][1].startswith("（例）")
    result = prepare(
        response.content,
        filename="t.xlsx",
        allowed_groups=SupportGroup.objects.all(),
    )
    assert result.file_errors == ["記入例のほかに取り込む行がありません。"]
    assert "4行目は記入例のため取り込みません。" in result.notices


def test_import_list_shows_only_imports_of_the_users_areas(
    client, coordinator_taira, coordinator_onahama, shiroyama
):
    record = SupporterImport.objects.create(source="web", file_name="城山.xlsx", checksum="0" * 64)
    record.groups.add(shiroyama)
    client.force_login(coordinator_onahama)
    assert (
        "城山.xlsx" not in client.get(reverse("activities:supporterimport-list")).content.decode()
    )
    assert client.get(record.get_absolute_url()).status_code == 404
    client.force_login(coordinator_taira)
    assert "城山.xlsx" in client.get(reverse("activities:supporterimport-list")).content.decode()


def test_a_group_given_in_the_link_is_chosen_beforehand(client, coordinator_taira, shiroyama):
    """The home page's 「名簿を取り込む」 opens the import with the group chosen."""
    client.force_login(coordinator_taira)
    response = client.get(reverse("activities:supporterimport-create"), {"group": shiroyama.pk})
    assert f'<option value="{shiroyama.pk}" selected>' in response.content.decode()


def test_a_group_of_another_area_in_the_link_is_not_offered(client, coordinator_onahama):
    taira_group = SupportGroup.objects.get(name="城山")
    client.force_login(coordinator_onahama)
    response = client.get(
        reverse("activities:supporterimport-create"), {"group": str(taira_group.pk)}
    )
    assert response.status_code == 200
    assert f'<option value="{taira_group.pk}"' not in response.content.decode()


# --- what the preview shows before anything is lost ----------------------------------------


def _registered(shiroyama):
    yamada = Supporter.objects.create(
        group=shiroyama, name="山田 太郎", address="いわき市平1-1", phone="0246-22-1111"
    )
    sato = Supporter.objects.create(group=shiroyama, name="佐藤 花子", address="いわき市平2-2")
    return yamada, sato


LOSSES = [
    ["氏名", "電話番号", "住所", "状態"],
    ["山田 太郎", "0246-99-9999", "", "在籍"],
    ["佐藤 花子", "", "いわき市平2-2", "退会"],
]


def test_the_form_offers_the_blank_cell_choice_keeping_by_default(client, coordinator_taira):
    client.force_login(coordinator_taira)
    content = client.get(CREATE).content.decode()
    assert 'value="keep" id="id_blanks_0" checked' in content.replace("required ", "")
    assert "空欄のセルは登録内容を残す" in content and "空欄のセルは登録内容を消す" in content
    assert "この団体のサポーターでファイルにない人の登録を終了する" in content


def test_preview_shows_old_and_new_and_keeps_blank_cells_by_default(
    client, coordinator_taira, shiroyama
):
    _registered(shiroyama)
    client.force_login(coordinator_taira)
    response = upload(client, csv_bytes(LOSSES), "a.csv", group=shiroyama.pk)
    content = response.content.decode()
    assert "<del>0246-22-1111</del> → <strong>0246-99-9999</strong>" in content
    # The blank cell over a stored address is shown in red, and says it is kept.
    assert (
        '<td class="import-loss import-kept">いわき市平1-1<strong>（ファイルは空欄・登録内容を残します）</strong></td>'
        in content
    )
    assert "（空欄になります）" not in content
    assert (
        '<td class="import-loss"><del>登録中</del> → <strong>登録終了</strong>（登録を終了します）</td>'
        in content
    )
    assert 'data-count="ended">1<' in content and 'data-count="emptied">0<' in content

    client.post(CONFIRM, {"token": str(response.context["pending"].token)})
    yamada = Supporter.objects.get(name="山田 太郎")
    sato = Supporter.objects.get(name="佐藤 花子")
    assert (yamada.phone, yamada.address, yamada.active) == ("0246-99-9999", "いわき市平1-1", True)
    assert (sato.active, sato.phone) == (False, "")
    assert SupporterImport.objects.get().ended == 1


def test_preview_marks_emptied_values_in_red_with_words_and_counts_them(
    client, coordinator_taira, shiroyama
):
    _registered(shiroyama)
    client.force_login(coordinator_taira)
    response = upload(client, csv_bytes(LOSSES), "a.csv", group=shiroyama.pk, blanks="clear")
    content = response.content.decode()
    assert (
        '<td class="import-loss import-changed"><del>いわき市平1-1</del> → <strong>（空欄になります）</strong></td>'
        in content
    )
    assert 'data-count="emptied">1<' in content
    assert "空欄のセル: <strong>登録内容を消す</strong>" in content

    client.post(CONFIRM, {"token": str(response.context["pending"].token)})
    assert Supporter.objects.get(name="山田 太郎").address == ""


def test_preview_lists_by_name_who_is_ended_for_missing_from_the_file(
    client, coordinator_taira, shiroyama
):
    _registered(shiroyama)
    client.force_login(coordinator_taira)
    data = csv_bytes([["氏名"], ["山田 太郎"]])
    response = upload(client, data, "a.csv", group=shiroyama.pk, end_missing="on")
    content = response.content.decode()
    assert "ファイルにないため登録を終了するサポーター（1人）" in content
    assert "平 城山: 佐藤 花子（登録中 → 登録終了）" in content
    # The names shown are personal data seen: counted in the preview's access record.
    assert AccessRecord.objects.get(action=AccessAction.VIEW).rows == 2

    client.post(CONFIRM, {"token": str(response.context["pending"].token)})
    assert not Supporter.objects.get(name="佐藤 花子").active
    record = SupporterImport.objects.get()
    assert record.ended == 1
    # The record of the import says how many registrations it ended, on its page and the list:
    # the last count of the row, after 重複行 on the record's page and 変更なし on the list.
    detail = client.get(record.get_absolute_url()).content.decode()
    assert '<th class="num">重複行</th><th class="num">登録終了</th>' in detail
    assert f'<td class="num">{record.duplicates}</td><td class="num">1</td></tr>' in detail
    listing = client.get(reverse("activities:supporterimport-list")).content.decode()
    assert f'<td class="num">{record.unchanged}</td><td class="num">1</td>' in listing


def test_warnings_are_apart_from_errors_and_can_be_confirmed(client, coordinator_taira, shiroyama):
    client.force_login(coordinator_taira)
    rows = [
        ["No.", "氏名", "電話番号", "登録日"],
        [1, "山田 太郎", 9087654321, "2030/4/1"],
        [None, "※20名分は別シート", None, None],
    ]
    response = upload(client, xlsx_bytes(rows), group=shiroyama.pk)
    content = response.content.decode()
    assert response.context["pending"] is not None
    assert 'class="message error' not in content
    warnings = content.split('class="message warning import-warnings"')[1].split("</div>")[0]
    assert "3行目は注記（「※20名分は別シート」）だけの行のため取り込みません" in warnings
    assert "2行目「電話番号」: 先頭の0が抜けているようです" in warnings
    assert "2行目「登録日」: 登録日が未来の日付です" in warnings
    notices = content.split('<ul class="import-notices">')[1].split("</ul>")[0]
    assert "次の列は取り込みません: 「No.」" in notices

    client.post(CONFIRM, {"token": str(response.context["pending"].token)})
    assert Supporter.objects.get().phone == "9087654321"


def test_ignored_columns_are_not_inside_the_error_box(client, coordinator_taira, shiroyama):
    client.force_login(coordinator_taira)
    rows = [["No.", "氏名", "登録日"], [1, "山田", "平成31年5月1日"]]
    content = upload(client, xlsx_bytes(rows), group=shiroyama.pk).content.decode()
    box = content.split('class="message error errornote"')[1].split("</div>")[0]
    assert "平成31年5月1日" in box
    assert "No." not in box


def test_a_missing_group_is_one_message_at_the_group_choice_preselected_from_the_title(
    client, coordinator_taira, shiroyama
):
    client.force_login(coordinator_taira)
    rows = [["城山地区 サポーター名簿"], ["氏名"], *([f"山田 {i}"] for i in range(20))]
    response = upload(client, csv_bytes(rows), "a.csv", blanks="clear", end_missing="on")
    content = response.content.decode()
    assert content.count("取り込む団体を選んでください") == 1
    # The choices made are kept for the second try.
    assert response.context["form"].initial["blanks"] == "clear"
    assert response.context["form"].initial["end_missing"] is True
    assert "行目" not in content.split('class="message error errornote"')[1].split("</div>")[0]
    assert response.context["form"].initial["group"] == shiroyama.pk
    assert f'<option value="{shiroyama.pk}" selected>' in content
    assert response.context["pending"] is None
    assert not PendingImport.objects.exists()


def test_the_only_group_of_a_coordinator_is_chosen_beforehand(client, coordinator_taira, shiroyama):
    from councils.models import Area

    kamata = SupportGroup.objects.get(name="鎌田")
    kamata.council.area = Area.objects.exclude(name="平").first()
    kamata.council.save()
    client.force_login(coordinator_taira)
    response = client.get(CREATE)
    assert response.context["form"].initial["group"] == shiroyama.pk
    assert f'<option value="{shiroyama.pk}" selected>' in response.content.decode()

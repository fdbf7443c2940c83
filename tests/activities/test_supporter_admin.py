"""Supporters in the admin: the import is the import page's flow (preview, then confirm through
``activities.services.apply_import``, recorded as from the admin), every view of supporters is
an access record, and there is no export."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from activities import services
from activities.models import PendingImport, Supporter, SupporterImport, SupportGroup
from audit.models import AccessRecord
from tests.spreadsheet_files import csv_bytes, xlsx_bytes, zip_bomb_bytes

IMPORT = reverse("admin:activities_supporter_import")
CONFIRM = reverse("admin:activities_supporter_import_confirm")
CHANGELIST = reverse("admin:activities_supporter_changelist")

ROWS = [
    ["サポーター名簿"],
    ["団体名", "氏名", "フリガナ", "電話番号", "登録日", "活動内容"],
    ["平 城山", "山田 太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "0246-22-1111", "H29.10.31", "声かけ、通院・外出"],
    ["鎌田", "佐藤 花子", "さとう はなこ", "0246-22-2222", "2017/10/31", "買物"],
    ["鎌田", "佐藤 花子", "さとう はなこ", "0246-22-2222", "2017/10/31", "買物"],
]


def upload(client, data, name="名簿.xlsx", **fields):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data), **fields})


def confirm(client, previewed):
    return client.post(CONFIRM, {"token": str(previewed.context["pending"].token)})


def make_staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="activities"))


def test_the_changelist_offers_the_import_to_administrators(client, administrator):
    client.force_login(administrator)
    assert IMPORT in client.get(CHANGELIST).content.decode()
    page = client.get(IMPORT)
    assert page.status_code == 200
    assert "読み込んで確認する" in page.content.decode()


def test_the_admin_import_previews_every_row_and_writes_only_when_confirmed(client, administrator):
    client.force_login(administrator)
    previewed = upload(client, xlsx_bytes(ROWS))

    assert previewed.status_code == 200
    result = previewed.context["result"]
    assert result.ok
    assert [(e.number, e.action) for e in result.entries] == [
        (3, "new"),
        (4, "new"),
        (5, "duplicate"),
    ]
    body = previewed.content.decode()
    assert "ヤマダ タロウ" in body and "平成29年10月31日" in body
    assert "この内容で取り込む" in body
    assert not Supporter.objects.exists()
    assert not SupporterImport.objects.exists()

    confirmed = confirm(client, previewed)

    record = SupporterImport.objects.get()
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse(
        "admin:activities_supporterimport_change", args=[record.pk]
    )
    assert (record.source, record.created, record.duplicates, record.user) == (
        "admin",
        2,
        1,
        administrator,
    )
    yamada = Supporter.objects.get(name="山田 太郎")
    assert (yamada.group.name, yamada.kana, str(yamada.registered_on)) == (
        "城山",
        "ヤマダ タロウ",
        "2017-10-31",
    )
    assert sorted(yamada.help_categories.values_list("name", flat=True)) == ["声かけ", "通院・外出"]
    assert yamada.history.get().history_user == administrator
    assert AccessRecord.objects.filter(action="import").count() == 2  # one per group
    assert not PendingImport.objects.exists()


def test_the_admin_confirmation_writes_through_apply_import(client, administrator, monkeypatch):
    calls = []
    original = services.apply_import

    def spy(result, **kwargs):
        calls.append(kwargs)
        return original(result, **kwargs)

    monkeypatch.setattr(services, "apply_import", spy)
    client.force_login(administrator)
    confirm(client, upload(client, xlsx_bytes(ROWS)))

    assert [(c["source"], c["user"]) for c in calls] == [("admin", administrator)]
    assert calls[0]["expected_digest"]  # exactly what the preview showed
    assert Supporter.objects.count() == 2


def test_an_error_in_the_file_names_row_and_column_and_writes_nothing(client, administrator):
    client.force_login(administrator)
    rows = [*ROWS, ["城山", "鈴木 一郎", "すずき", "", "2017/2/30", ""]]

    previewed = upload(client, xlsx_bytes(rows))

    assert previewed.status_code == 200
    assert previewed.context["pending"] is None
    body = previewed.content.decode()
    assert "6行目「登録日」: 2017年2月30日は存在しない日付です" in body
    assert "何も書き込んでいません" in body
    assert "この内容で取り込む" not in body
    assert not Supporter.objects.exists()
    assert not PendingImport.objects.exists()


def test_conflicting_duplicates_are_refused_as_on_the_page(client, administrator):
    client.force_login(administrator)
    rows = [
        *ROWS[:4],
        ["鎌田", "佐藤　花子", "サトウ ハナコ", "0246-99-9999", "2017/10/31", "買物"],
    ]
    previewed = upload(client, csv_bytes(rows), name="名簿.csv")
    assert "4行目と同じ氏名で内容が異なります（電話番号）" in previewed.content.decode()
    assert not Supporter.objects.exists()


def test_a_zip_bomb_is_refused_with_its_message(client, administrator):
    client.force_login(administrator)
    previewed = upload(client, zip_bomb_bytes(60))
    assert "展開すると大きすぎるファイル" in previewed.content.decode()
    assert not PendingImport.objects.exists()


def test_the_same_person_is_updated_as_on_the_page(client, administrator):
    shiroyama = SupportGroup.objects.get(name="城山")
    Supporter.objects.create(group=shiroyama, name="山田　太郎", phone="0246-22-0000")
    client.force_login(administrator)
    previewed = upload(client, xlsx_bytes(ROWS))
    assert [e.action for e in previewed.context["result"].entries][:1] == ["update"]
    confirm(client, previewed)
    yamada = Supporter.objects.get(group=shiroyama)
    assert (yamada.name, yamada.phone) == ("山田 太郎", "0246-22-1111")
    assert (SupporterImport.objects.get().created, SupporterImport.objects.get().updated) == (1, 1)


def test_a_change_after_the_preview_refuses_the_confirmation(client, administrator):
    client.force_login(administrator)
    previewed = upload(client, xlsx_bytes(ROWS))
    Supporter.objects.create(group=SupportGroup.objects.get(name="城山"), name="山田 太郎")

    response = confirm(client, previewed)

    assert response.status_code == 302
    assert response["Location"] == IMPORT
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("確認の後にサポーターの登録内容が変わりました" in m for m in messages)
    assert Supporter.objects.count() == 1
    assert not SupporterImport.objects.exists()


def test_a_token_that_is_not_yours_or_not_a_token_imports_nothing(client, administrator, make_user):
    other = make_user("other-admin", is_staff=True, is_superuser=True)
    client.force_login(other)
    previewed = upload(client, xlsx_bytes(ROWS))
    client.force_login(administrator)
    records = reverse("admin:activities_supporterimport_changelist")
    token = str(previewed.context["pending"].token)
    assert client.post(CONFIRM, {"token": token})["Location"] == records
    refused = client.post(CONFIRM, {"token": "not-a-token"}, follow=True)
    assert "この確認画面の取込はすでに行われたか" in refused.content.decode()
    assert client.get(CONFIRM).status_code == 405
    assert not Supporter.objects.exists()


@pytest.mark.parametrize("persona", ["city_staff", "coordinator_hq"])
def test_staff_who_are_not_administrators_cannot_import_in_the_admin(client, persona, request):
    user = request.getfixturevalue(persona)
    make_staff(user)
    client.force_login(user)

    assert client.get(IMPORT).status_code == 403
    assert upload(client, xlsx_bytes(ROWS)).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403
    assert IMPORT not in client.get(CHANGELIST).content.decode()
    assert not PendingImport.objects.exists()


def test_the_admin_has_no_supporter_export():
    with pytest.raises(NoReverseMatch):
        reverse("admin:activities_supporter_export")


def test_every_admin_page_showing_supporters_is_recorded(client, administrator):
    shiroyama = SupportGroup.objects.get(name="城山")
    yamada = Supporter.objects.create(group=shiroyama, name="山田 太郎")
    Supporter.objects.create(group=SupportGroup.objects.get(name="鎌田"), name="佐藤 花子")
    client.force_login(administrator)

    assert client.get(CHANGELIST).status_code == 200
    change = reverse("admin:activities_supporter_change", args=[yamada.pk])
    assert client.get(change).status_code == 200
    history = reverse("admin:activities_supporter_history", args=[yamada.pk])
    assert client.get(history).status_code == 200

    records = list(AccessRecord.objects.order_by("pk"))
    assert [(r.action, r.what, r.rows, r.group_id) for r in records] == [
        ("view", "管理サイト: サポーター一覧", 2, None),
        ("view", "管理サイト: サポーターの詳細", 1, shiroyama.pk),
        ("view", "管理サイト: サポーターの変更履歴", 1, shiroyama.pk),
    ]
    assert all(r.user == administrator for r in records)
    assert all(r.area_id == shiroyama.council.area_id for r in records[1:])


def test_a_staff_coordinator_is_recorded_seeing_only_their_areas_supporters(
    client, coordinator_taira
):
    Supporter.objects.create(group=SupportGroup.objects.get(name="城山"), name="見本 一郎")
    onahama = SupportGroup.objects.filter(council__area__name="小名浜").first()
    other = Supporter.objects.create(group=onahama, name="見本 二郎")
    make_staff(coordinator_taira)
    client.force_login(coordinator_taira)

    assert client.get(CHANGELIST).context["cl"].result_count == 1
    assert client.get(
        reverse("admin:activities_supporter_change", args=[other.pk])
    ).status_code in (
        302,
        404,
    )
    assert list(AccessRecord.objects.values_list("what", "rows")) == [
        ("管理サイト: サポーター一覧", 1)
    ]


def test_the_confirmation_of_deleting_selected_supporters_is_recorded(client, administrator):
    shiroyama = SupportGroup.objects.get(name="城山")
    chosen = [Supporter.objects.create(group=shiroyama, name=n) for n in ("見本 一郎", "見本 二郎")]
    client.force_login(administrator)

    response = client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [s.pk for s in chosen]},
    )

    assert response.status_code == 200
    assert "見本 一郎" in response.content.decode()
    record = AccessRecord.objects.get()
    assert (record.what, record.rows, record.group_id) == (
        "管理サイト: サポーターの削除確認",
        2,
        shiroyama.pk,
    )

"""The admin's import (django-import-export) on the same engine: all or nothing, recorded."""

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Supporter, SupporterImport, SupportGroup
from activities.resources import SupporterResource
from audit.models import AccessRecord
from tests.spreadsheet_files import csv_bytes, xlsx_bytes, zip_bomb_bytes

IMPORT = reverse("admin:activities_supporter_import")

ROWS = [
    ["サポーター名簿"],
    ["団体名", "氏名", "フリガナ", "電話番号", "登録日", "活動内容"],
    ["平 城山", "山田 太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "0246-22-1111", "H29.10.31", "声かけ、通院・外出"],
    ["鎌田", "佐藤 花子", "さとう はなこ", "0246-22-2222", "2017/10/31", "買物"],
    ["鎌田", "佐藤 花子", "さとう はなこ", "0246-22-2222", "2017/10/31", "買物"],
]


def post(client, data, name="名簿.xlsx"):
    return client.post(
        IMPORT, {"format": 0, "resource": 0, "import_file": SimpleUploadedFile(name, data)}
    )


def test_admin_import_writes_a_clean_file_in_one_go_and_records_it(client, administrator):
    client.force_login(administrator)
    response = post(client, xlsx_bytes(ROWS))
    assert response.status_code == 302, response.content.decode()[:2000]
    yamada = Supporter.objects.get(name="山田 太郎")
    assert (yamada.group.name, yamada.kana, str(yamada.registered_on)) == (
        "城山",
        "ヤマダ タロウ",
        "2017-10-31",
    )
    assert sorted(yamada.help_categories.values_list("name", flat=True)) == ["声かけ", "通院・外出"]
    assert Supporter.objects.count() == 2  # the exact duplicate once
    record = SupporterImport.objects.get()
    assert (record.source, record.created, record.duplicates, record.user) == (
        "admin",
        2,
        1,
        administrator,
    )
    assert AccessRecord.objects.filter(action="import").count() == 2  # one per group


def test_admin_import_rolls_back_everything_on_one_invalid_row(client, administrator):
    client.force_login(administrator)
    rows = [*ROWS, ["城山", "鈴木 一郎", "すずき", "", "2017/2/30", ""]]
    response = post(client, xlsx_bytes(rows))
    assert response.status_code == 200
    content = response.content.decode()
    assert "6行目「登録日」: 2017年2月30日は存在しない日付です" in content
    assert not Supporter.objects.exists()
    assert not SupporterImport.objects.exists()


def test_admin_import_refuses_conflicting_duplicates(client, administrator):
    client.force_login(administrator)
    rows = [
        *ROWS[:4],
        ["鎌田", "佐藤　花子", "サトウ ハナコ", "0246-99-9999", "2017/10/31", "買物"],
    ]
    response = post(client, csv_bytes(rows), name="名簿.csv")
    assert "4行目と同じ氏名で内容が異なります（電話番号）" in response.content.decode()
    assert not Supporter.objects.exists()


def test_resource_rolls_back_valid_rows_when_model_validation_fails(administrator):
    """clean_model_instances: a row that only full_clean() rejects still undoes the others.

    The engine already refuses a too-long address, so the dataset is built by hand, as if
    that check had been missed, to prove the model validation and the rollback are on."""
    shiroyama = SupportGroup.objects.get(name="城山")
    dataset = tablib.Dataset(
        headers=["行", "group", "name_key", "name", "address", "active", "errors"]
    )
    dataset.append([2, shiroyama.pk, "山田", "山田", "平", "1", ""])
    dataset.append([3, shiroyama.pk, "佐藤", "佐藤", "x" * 201, "1", ""])
    dataset.checksum, dataset.notices = "0" * 64, []
    result = SupporterResource().import_data(dataset, dry_run=False, user=administrator)
    assert result.has_validation_errors()
    assert "address" in result.invalid_rows[0].error_dict
    assert not Supporter.objects.exists()
    assert not SupporterImport.objects.exists()


def test_admin_import_refuses_a_zip_bomb_with_its_message(client, administrator):
    client.force_login(administrator)
    response = post(client, zip_bomb_bytes(60))
    assert "展開すると大きすぎるファイル" in response.content.decode()
    assert not Supporter.objects.exists()


@pytest.mark.parametrize("persona", ["city_staff", "coordinator_hq"])
def test_only_administrators_reach_the_admin_import(client, persona, request):
    user = request.getfixturevalue(persona)
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(IMPORT).status_code == 403


def test_admin_import_is_the_same_identity_as_the_engine(client, administrator):
    shiroyama = SupportGroup.objects.get(name="城山")
    Supporter.objects.create(group=shiroyama, name="山田　太郎", phone="0246-22-0000")
    client.force_login(administrator)
    assert post(client, xlsx_bytes(ROWS)).status_code == 302
    yamada = Supporter.objects.get(group=shiroyama)
    assert (yamada.name, yamada.phone) == ("山田 太郎", "0246-22-1111")
    record = SupporterImport.objects.get()
    assert (record.created, record.updated) == (1, 1)

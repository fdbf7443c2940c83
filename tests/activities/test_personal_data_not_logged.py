"""Nothing about supporters' personal data reaches the application log: not on a good import,
not on a refused one, not on the supporter pages, search and export, not on the access-record
review."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import PendingImport, Supporter, SupporterImport, SupportGroup
from audit.models import AccessRecord
from tests.spreadsheet_files import csv_bytes, xlsx_bytes

# Made-up people; every piece of them must stay out of the log.
PERSONAL = ["山田 太郎", "ヤマダ", "0246-22-1111", "昭和20年5月1日", "佐藤 花子", "0246-22-2222"]
ROWS = [
    ["氏名", "ふりがな", "電話番号", "生年月日"],
    ["山田 太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "0246-22-1111", "昭和20年5月1日"],
    ["佐藤 花子", "さとう はなこ", "0246-22-2222", "H1.2.3"],
]
BROKEN_ROWS = [*ROWS, ["佐藤 花子", "さとう はなこ", "0246-22-2222", "平成99年13月45日"]]


@pytest.fixture
def everything_logged(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def logged_text(caplog):
    return "\n".join(
        f"{record.name} {record.getMessage()} {record.exc_text or ''}" for record in caplog.records
    )


def test_an_import_and_its_review_log_no_personal_data(
    client, coordinator_taira, administrator, everything_logged
):
    shiroyama = SupportGroup.objects.get(name="城山")
    client.force_login(coordinator_taira)
    create = reverse("activities:supporterimport-create")
    preview = client.post(
        create, {"file": SimpleUploadedFile("名簿.xlsx", xlsx_bytes(ROWS)), "group": shiroyama.pk}
    )
    assert preview.status_code == 200
    pending = PendingImport.objects.get()
    confirmed = client.post(
        reverse("activities:supporterimport-confirm"), {"token": str(pending.token)}
    )
    assert confirmed.status_code == 302
    record = SupporterImport.objects.get()
    assert client.get(record.get_absolute_url()).status_code == 200
    assert client.get(reverse("activities:supporterimport-list")).status_code == 200
    supporters = reverse("activities:supporter-list")
    assert client.post(supporters, {"q": "山田"}).status_code == 200
    exported = client.post(supporters, {"q": "山田", "_export": "csv"})
    assert exported.status_code == 200
    assert "0246-22-1111" in exported.content.decode("utf-8-sig")  # the export itself has them
    yamada = Supporter.objects.get(name="山田 太郎")
    assert client.get(reverse("activities:supporter-detail", args=[yamada.pk])).status_code == 200

    refused = client.post(
        create,
        {
            "file": SimpleUploadedFile("名簿.csv", csv_bytes(BROKEN_ROWS)),
            "group": shiroyama.pk,
        },
    )
    assert refused.status_code == 200

    client.force_login(administrator)
    assert client.get(reverse("accessrecord-list"), {"_export": "csv"}).status_code == 200
    assert client.get(reverse("admin:activities_supporter_changelist")).status_code == 200

    assert set(AccessRecord.objects.values_list("action", flat=True)) == {
        "import",
        "view",
        "export",
    }
    logging.getLogger("activities.imports").debug("probe: the app's loggers are captured")
    text = logged_text(everything_logged)
    assert "probe: the app's loggers are captured" in text
    for piece in PERSONAL:
        assert piece not in text

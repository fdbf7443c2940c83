"""Confirming a supporter import: a preview expires after 12 hours, a second confirmation
(two clicks, two racing requests) is refused with a message, never a 500; expired previews
are purged by the next preview and by a command for cron; import records are shown only to
those who may see every group they touched."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from activities.imports import ImportRefused
from activities.models import PendingImport, Supporter, SupporterImport, SupportGroup
from activities.services import ALREADY_CONFIRMED, BUSY, EXPIRED, confirm_import, preview_import
from tests.spreadsheet_files import xlsx_bytes

CREATE = reverse("activities:supporterimport-create")
CONFIRM = reverse("activities:supporterimport-confirm")
IMPORTS = reverse("activities:supporterimport-list")
ROWS = [["氏名", "ふりがな"], ["山田 太郎", "やまだ たろう"], ["佐藤 花子", "さとう はなこ"]]


@pytest.fixture
def shiroyama(data_2017):
    return SupportGroup.objects.get(name="城山")


def preview(client, group):
    response = client.post(
        CREATE, {"file": SimpleUploadedFile("城山.xlsx", xlsx_bytes(ROWS)), "group": group.pk}
    )
    return response.context["pending"]


def test_a_preview_confirmed_within_12_hours_is_imported(client, coordinator_taira, shiroyama):
    client.force_login(coordinator_taira)
    with time_machine.travel("2026-11-30 09:00 +0900"):
        pending = preview(client, shiroyama)
    with time_machine.travel("2026-11-30 20:59 +0900"):
        client.force_login(coordinator_taira)
        response = client.post(CONFIRM, {"token": str(pending.token)})
    assert response.status_code == 302 and SupporterImport.objects.count() == 1
    assert Supporter.objects.count() == 2


def test_a_preview_older_than_12_hours_is_refused_and_writes_nothing(
    client, coordinator_taira, shiroyama
):
    client.force_login(coordinator_taira)
    with time_machine.travel("2026-11-30 09:00 +0900"):
        pending = preview(client, shiroyama)
    with time_machine.travel("2026-11-30 21:01 +0900"):
        client.force_login(coordinator_taira)
        response = client.post(CONFIRM, {"token": str(pending.token)}, follow=True)
    content = response.content.decode()
    assert "確認画面の有効期限(12時間)が切れました" in content
    assert response.redirect_chain[-1][1] == 302 and response.status_code == 200
    assert not Supporter.objects.exists() and not SupporterImport.objects.exists()
    assert not PendingImport.objects.exists()  # and it is gone


def test_two_clicks_import_once_and_the_second_gets_a_message(client, coordinator_taira, shiroyama):
    client.force_login(coordinator_taira)
    pending = preview(client, shiroyama)
    first = client.post(CONFIRM, {"token": str(pending.token)})
    assert first.status_code == 302 and first["Location"] != IMPORTS
    second = client.post(CONFIRM, {"token": str(pending.token)}, follow=True)
    assert second.status_code == 200
    assert "この確認画面の取込はすでに行われたか" in second.content.decode()
    assert SupporterImport.objects.count() == 1 and Supporter.objects.count() == 2


def test_two_requests_holding_the_same_preview_write_once(coordinator_taira, shiroyama):
    """Both requests found the preview before either claimed it: the claim (a DELETE that
    must remove exactly one row) lets only one through."""
    pending = _pending(coordinator_taira, shiroyama)
    again = PendingImport.objects.get(pk=pending.pk)
    confirm_import(pending, user=coordinator_taira, source="web")
    with pytest.raises(ImportRefused, match=ALREADY_CONFIRMED[:20]):
        confirm_import(again, user=coordinator_taira, source="web")
    assert SupporterImport.objects.count() == 1 and Supporter.objects.count() == 2


def test_expired_preview_is_refused_by_the_service(coordinator_taira, shiroyama):
    pending = _pending(coordinator_taira, shiroyama)
    PendingImport.objects.filter(pk=pending.pk).update(
        created=timezone.now() - timedelta(hours=12, seconds=1)
    )
    pending.refresh_from_db()
    with pytest.raises(ImportRefused, match=r"有効期限\(12時間\)"):
        confirm_import(pending, user=coordinator_taira, source="web")
    assert EXPIRED.startswith("確認画面の有効期限(12時間)が切れました")
    assert not Supporter.objects.exists() and not PendingImport.objects.exists()


def test_a_locked_sqlite_database_is_a_message_not_a_500(
    client, coordinator_taira, shiroyama, monkeypatch
):
    """SQLite answers a second writer "database is locked": the page says so instead."""
    import activities.services as services

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    client.force_login(coordinator_taira)
    pending = preview(client, shiroyama)
    monkeypatch.setattr(services, "apply_import", locked)
    response = client.post(CONFIRM, {"token": str(pending.token)}, follow=True)
    assert response.status_code == 200
    assert BUSY[:20] in response.content.decode()
    assert not SupporterImport.objects.exists()
    assert not PendingImport.objects.exists()  # not confirmable later either


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own lock")
@pytest.mark.django_db(transaction=True)
def test_a_real_sqlite_lock_held_by_another_write_is_refused_with_a_message(
    coordinator_taira, shiroyama
):
    from django.db import connections

    pending = _pending(coordinator_taira, shiroyama)
    locked, release = threading.Event(), threading.Event()

    def hold_the_database():
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("BEGIN IMMEDIATE")
                cursor.execute("UPDATE activities_pendingimport SET file_name = file_name")
                locked.set()
                release.wait(20)
                cursor.execute("COMMIT")
        finally:
            connections["default"].close()

    holder = threading.Thread(target=hold_the_database)
    holder.start()
    try:
        assert locked.wait(10)
        with pytest.raises(ImportRefused) as refused:
            confirm_import(pending, user=coordinator_taira, source="web")
        assert str(refused.value) == BUSY
    finally:
        release.set()
        holder.join(20)
    assert not SupporterImport.objects.exists()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_threads_confirming_the_same_preview_on_postgresql_write_once(
    coordinator_taira, shiroyama
):
    from django.db import connections

    pending = _pending(coordinator_taira, shiroyama)
    outcomes, start = [], threading.Barrier(2)

    def confirm():
        try:
            mine = PendingImport.objects.get(pk=pending.pk)
            start.wait(10)
            confirm_import(mine, user=coordinator_taira, source="web")
            outcomes.append("imported")
        except ImportRefused as error:
            outcomes.append(str(error))
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == sorted(["imported", ALREADY_CONFIRMED])
    assert SupporterImport.objects.count() == 1 and Supporter.objects.count() == 2


def test_purge_command_deletes_only_expired_previews(coordinator_taira, shiroyama):
    fresh = _pending(coordinator_taira, shiroyama)
    old = PendingImport.objects.create(
        user=coordinator_taira, file_name="古い.xlsx", checksum="0", digest="0", payload={}
    )
    PendingImport.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(hours=13))
    out = StringIO()
    call_command("purge_import_previews", stdout=out)
    assert list(PendingImport.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert "1件削除しました" in out.getvalue()
    assert "古い" not in out.getvalue()  # file names may be personal: not printed


def _pending(user, group):
    result, pending = preview_import(
        xlsx_bytes(ROWS), user=user, file_name="城山.xlsx", default_group=group
    )
    assert result.ok, result.file_errors
    return pending


# --- import records in scope -----------------------------------------------------------------


@pytest.fixture
def records(shiroyama):
    tamagawa = SupportGroup.objects.get(name="玉川")
    own = SupporterImport.objects.create(source="web", file_name="城山だけ.xlsx", checksum="0")
    own.groups.add(shiroyama)
    both = SupporterImport.objects.create(source="web", file_name="城山と玉川.xlsx", checksum="0")
    both.groups.add(shiroyama, tamagawa)
    other = SupporterImport.objects.create(source="web", file_name="玉川だけ.xlsx", checksum="0")
    other.groups.add(tamagawa)
    return own, both, other


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("coordinator_taira", {"城山だけ.xlsx"}),
        ("coordinator_onahama", {"玉川だけ.xlsx"}),
        ("coordinator_hq", {"城山だけ.xlsx", "城山と玉川.xlsx", "玉川だけ.xlsx"}),
        ("administrator", {"城山だけ.xlsx", "城山と玉川.xlsx", "玉川だけ.xlsx"}),
    ],
)
def test_an_import_record_is_shown_only_to_who_may_see_every_group_it_touched(
    request, client, records, persona, visible
):
    """城山 is 平's, 玉川 小名浜's: an import into both names a group of each coordinator's
    neighbour, so neither of them sees it."""
    user = request.getfixturevalue(persona)
    client.force_login(user)
    listing = client.get(IMPORTS).content.decode()
    for record in records:
        shown = record.file_name in visible
        assert (record.file_name in listing) == shown
        assert client.get(record.get_absolute_url()).status_code == (200 if shown else 404)
    assert (
        set(SupporterImport.objects.visible_to(user).values_list("file_name", flat=True)) == visible
    )


def test_the_admins_import_records_follow_the_same_scope(client, coordinator_taira, records):
    from tests.activities.test_supporter_admin import make_staff

    make_staff(coordinator_taira)
    client.force_login(coordinator_taira)
    changelist = client.get(reverse("admin:activities_supporterimport_changelist"))
    assert {r.file_name for r in changelist.context["cl"].result_list} == {"城山だけ.xlsx"}
    both = reverse("admin:activities_supporterimport_change", args=[records[1].pk])
    assert client.get(both).status_code in (302, 404)

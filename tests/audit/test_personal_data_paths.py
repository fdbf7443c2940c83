"""Every path that shows a supporter's name writes exactly one access record, and none puts a
name into a URL.

``WALK`` lists every page, export and admin page that shows supporters (the site's pages and
exports, the admin's list, search, detail, history, old versions, deletions and import, the
deleted-records pages) and each must write one record per request. The discovery test then
opens every URL of the site (the permission matrix's builders) and of the admin (each
registered model's list, add, change, history and delete pages, and simple-history's old
versions) as an administrator: any page whose answer holds the supporter's name must have
written a record, so a new page that shows names without recording fails here.
"""

import contextlib

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from activities.models import Supporter, SupportGroup
from audit.models import AccessRecord
from core.spreadsheets import read_rows
from tests.spreadsheet_files import xlsx_bytes
from tests.test_permission_matrix import MATRIX, Objects

pytestmark = pytest.mark.django_db

NAME = "山田 太郎"
GONE = "佐藤 花子"  # deleted, for the deleted-records pages
ADMIN_CHANGELIST = reverse("admin:activities_supporter_changelist")


@pytest.fixture
def people():
    group = SupportGroup.objects.get(name="城山")
    supporter = Supporter.objects.create(group=group, name=NAME, kana="ヤマダ タロウ")
    supporter.note = "見守りの担当"
    supporter.save()  # a second version for the admin's old-version page
    gone = Supporter.objects.create(group=group, name=GONE)
    Supporter.objects.filter(pk=gone.pk).delete()
    return {"supporter": supporter, "gone_id": gone.pk, "group": group}


def _shown(response) -> str:
    """What a person sees: the page, or the cells of a downloaded file."""
    data = b"".join(response.streaming_content if response.streaming else [response.content])
    disposition = response.get("Content-Disposition", "")
    if disposition.startswith("attachment"):
        suffix = "csv" if ".csv" in disposition else "xlsx"
        return str([cells for _, cells in read_rows(data, filename=f"file.{suffix}")])
    charset = response.charset or "utf-8"
    return data.decode(charset, errors="replace")


def _import_file():
    return SimpleUploadedFile(
        "名簿.xlsx",
        xlsx_bytes([["団体名", "氏名", "フリガナ"], ["城山", NAME, "ヤマダ タロウ"]]),
    )


def _old_version(people):
    supporter = people["supporter"]
    history_id = supporter.history.order_by("history_id").first().history_id
    return reverse("admin:activities_supporter_simple_history", args=[supporter.pk, history_id])


# (what, who, method, url, data): every path that shows supporters' names.
WALK = [
    (
        "supporter list",
        "coordinator_taira",
        "get",
        lambda p: reverse("activities:supporter-list"),
        None,
    ),
    (
        "supporter search",
        "coordinator_taira",
        "post",
        lambda p: reverse("activities:supporter-list"),
        lambda p: {"q": "山田"},
    ),
    (
        "supporter export (xlsx)",
        "coordinator_taira",
        "post",
        lambda p: reverse("activities:supporter-list"),
        lambda p: {"_export": "xlsx"},
    ),
    (
        "supporter export (csv)",
        "coordinator_taira",
        "post",
        lambda p: reverse("activities:supporter-list"),
        lambda p: {"_export": "csv-cp932"},
    ),
    (
        "supporter detail",
        "coordinator_taira",
        "get",
        lambda p: p["supporter"].get_absolute_url(),
        None,
    ),
    (
        "supporter edit",
        "coordinator_taira",
        "get",
        lambda p: reverse("activities:supporter-update", args=[p["supporter"].pk]),
        None,
    ),
    (
        "supporter edit refused (its errors shown)",
        "coordinator_taira",
        "post",
        lambda p: reverse("activities:supporter-update", args=[p["supporter"].pk]),
        lambda p: {"group": p["group"].pk, "name": NAME, "phone": "abc"},
    ),
    (
        "supporter end (confirmation)",
        "coordinator_taira",
        "get",
        lambda p: reverse("activities:supporter-end", args=[p["supporter"].pk]),
        None,
    ),
    (
        "supporter resume (confirmation)",
        "coordinator_taira",
        "get",
        lambda p: _ended_resume_url(p["supporter"]),
        None,
    ),
    (
        "supporter import preview",
        "coordinator_taira",
        "post",
        lambda p: reverse("activities:supporterimport-create"),
        lambda p: {"file": _import_file(), "group": p["group"].pk},
    ),
    ("deleted records", "administrator", "get", lambda p: reverse("deleted-records"), None),
    (
        "deleted supporter's versions",
        "administrator",
        "get",
        lambda p: reverse("deleted-record-versions", args=["activities.Supporter", p["gone_id"]]),
        None,
    ),
    ("admin list", "administrator", "get", lambda p: ADMIN_CHANGELIST, None),
    (
        "admin search",
        "administrator",
        "post",
        lambda p: ADMIN_CHANGELIST,
        lambda p: {"_name_search": "山田"},
    ),
    (
        "admin detail",
        "administrator",
        "get",
        lambda p: reverse("admin:activities_supporter_change", args=[p["supporter"].pk]),
        None,
    ),
    (
        "admin history",
        "administrator",
        "get",
        lambda p: reverse("admin:activities_supporter_history", args=[p["supporter"].pk]),
        None,
    ),
    ("admin old version", "administrator", "get", _old_version, None),
    (
        "admin delete",
        "administrator",
        "get",
        lambda p: reverse("admin:activities_supporter_delete", args=[p["supporter"].pk]),
        None,
    ),
    (
        "admin delete selected",
        "administrator",
        "post",
        lambda p: ADMIN_CHANGELIST,
        lambda p: {"action": "delete_selected", "_selected_action": [p["supporter"].pk]},
    ),
    (
        "admin import preview",
        "administrator",
        "post",
        lambda p: reverse("admin:activities_supporter_import"),
        lambda p: {"file": _import_file(), "group": p["group"].pk},
    ),
]


def _ended_resume_url(supporter):
    Supporter.objects.filter(pk=supporter.pk).update(active=False)
    return reverse("activities:supporter-resume", args=[supporter.pk])


@pytest.mark.parametrize(
    ("what", "persona", "method", "url", "data"), WALK, ids=[row[0] for row in WALK]
)
def test_every_path_showing_supporters_writes_exactly_one_access_record(
    request, client, people, what, persona, method, url, data
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    expected_name = GONE if "deleted" in what else NAME
    before = AccessRecord.objects.count()

    response = getattr(client, method)(url(people), data(people) if data else None)

    assert response.status_code == 200, what
    assert expected_name in _shown(response), f"{what} does not show the name: not a real path"
    records = list(AccessRecord.objects.order_by("pk")[before:])
    assert len(records) == 1, f"{what}: {[r.what for r in records]}"
    record = records[0]
    assert record.user == user
    assert record.rows >= 1
    assert "山田" not in record.what and "佐藤" not in record.what


def test_the_admin_search_keeps_names_out_of_urls(client, administrator, people):
    client.force_login(administrator)
    # The GET search of Django's admin is not offered: ?q= is not read...
    listed = client.get(ADMIN_CHANGELIST, {"q": "存在しない名前"})
    assert listed.context["cl"].result_count == Supporter.objects.count()
    assert 'name="q"' not in listed.text
    # ...the search is a form posted to the list, and no link on its answer carries the words.
    found = client.post(ADMIN_CHANGELIST, {"_name_search": "やまだ"})
    assert [s.name for s in found.context["cl"].result_list] == [NAME]
    assert 'method="post"' in found.text and 'name="_name_search"' in found.text
    assert "%E5%B1%B1%E7%94%B0" not in found.text and "q=" not in found.text
    # The supporters cannot be looked up by name through the admin's autocomplete either.
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"term": "山田", "app_label": "activities", "model_name": "supporter", "field_name": "x"},
    )
    assert NAME not in autocomplete.content.decode()


def test_the_admins_recent_actions_and_a_groups_deletion_show_no_names(
    client, administrator, people
):
    client.force_login(administrator)
    supporter = people["supporter"]
    change = reverse("admin:activities_supporter_change", args=[supporter.pk])
    page = client.get(change)
    data = {
        "group": supporter.group_id,
        "name": NAME,
        "kana": "ヤマダ タロウ",
        "phone": "",
        "address": "",
        "birth_date": "",
        "registered_on": "",
        "active": "on",
        "note": "変更",
    }
    assert page.status_code == 200
    saved = client.post(change, data, follow=True)  # to the list, which records its view
    assert saved.redirect_chain[0][1] == 302
    assert LogEntry.objects.filter(object_repr__contains="山田").count() == 0
    before = AccessRecord.objects.count()
    assert NAME not in client.get(reverse("admin:index")).text
    group_delete = reverse("admin:activities_supportgroup_delete", args=[people["group"].pk])
    page = client.get(group_delete)
    assert page.status_code == 200
    assert NAME not in page.text and "サポーター" in page.text
    assert AccessRecord.objects.count() == before


# --- discovery: any page showing the name must have recorded it ---------------------------


def admin_urls(objects_by_model):
    found = []
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        found.append(reverse("admin:{}_{}_changelist".format(*info)))
        with contextlib.suppress(NoReverseMatch):
            found.append(reverse("admin:{}_{}_add".format(*info)))
        obj = objects_by_model.get(model) or model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        for view in ("change", "history", "delete"):
            with contextlib.suppress(NoReverseMatch):
                found.append(reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk]))
        if model is Supporter:  # the one model with personal data; its old versions
            first = model.history.filter(id=obj.pk).order_by("history_id").first()
            if first is not None:
                found.append(
                    reverse(
                        "admin:{}_{}_simple_history".format(*info),
                        args=[obj.pk, first.history_id],
                    )
                )
    return found


class OneSupporter(Objects):
    """The permission matrix's objects, with one supporter however often it is asked for."""

    @property
    def taira_supporter(self):
        return Supporter.objects.get_or_create(group=self.taira_group, name=NAME)[0]


def test_no_page_of_the_site_or_the_admin_shows_a_name_without_recording_it(
    client, administrator, coordinator_taira
):
    objects = OneSupporter("")
    supporter = objects.taira_supporter
    supporter.note = "二つ目の版"
    supporter.save()
    client.force_login(administrator)
    urls = [case.url(objects) for name, case in MATRIX.items() if "calendar" not in name]
    urls += admin_urls({Supporter: supporter})
    silent = []
    for url in urls:
        before = AccessRecord.objects.count()
        response = client.get(url)
        if response.status_code != 200:
            continue
        if NAME in _shown(response) and AccessRecord.objects.count() == before:
            silent.append(url)
    assert not silent, f"these pages show a supporter's name without an access record: {silent}"

"""A supporter's own page: edit every field, end a registration and register again, for those
who may change the group's supporters; history kept and shown; every view recorded."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from activities.models import Supporter, SupportGroup
from activities.services import supporter_version
from audit.models import AccessRecord
from needs_survey.models import HelpCategory

LIST = reverse("activities:supporter-list")


def edit_url(supporter):
    return reverse("activities:supporter-update", args=[supporter.pk])


def end_url(supporter):
    return reverse("activities:supporter-end", args=[supporter.pk])


def resume_url(supporter):
    return reverse("activities:supporter-resume", args=[supporter.pk])


@pytest.fixture
def shiroyama(data_2017):
    return SupportGroup.objects.get(name="城山")


@pytest.fixture
def yamada(shiroyama):
    supporter = Supporter.objects.create(
        group=shiroyama,
        name="山田 太郎",
        kana="ヤマダ タロウ",
        phone="0246-22-1111",
        address="いわき市平字城山1",
        birth_date=date(1945, 5, 1),
        registered_on=date(2017, 7, 28),
    )
    supporter.help_categories.set(HelpCategory.objects.filter(number=1))
    return supporter


def form_data(client, supporter, **changes):
    """What the edit page's form holds, as the browser would post it, with ``changes``."""
    form = client.get(edit_url(supporter)).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if name == "help_categories":
            data[name] = [str(v) for v in (value or [])]
        else:
            data[name] = field.widget.format_value(value) or ""
    data.update(changes)
    return data


def test_detail_offers_edit_and_end_to_the_areas_coordinator(client, coordinator_taira, yamada):
    client.force_login(coordinator_taira)
    content = client.get(yamada.get_absolute_url()).content.decode()
    assert edit_url(yamada) in content and end_url(yamada) in content
    assert resume_url(yamada) not in content
    assert "登録中" in content


@pytest.mark.parametrize("persona", ["coordinator_onahama", "city_staff", "no_role"])
def test_others_cannot_reach_the_edit_or_end_pages(request, client, persona, yamada):
    client.force_login(request.getfixturevalue(persona))
    for url in (edit_url(yamada), end_url(yamada), resume_url(yamada)):
        assert client.get(url).status_code in (403, 404)
        assert client.post(url, {"name": "乗っ取り", "group": yamada.group_id}).status_code in (
            403,
            404,
        )
    yamada.refresh_from_db()
    assert (yamada.name, yamada.active) == ("山田 太郎", True)
    assert not AccessRecord.objects.exists()


def test_edit_saves_every_field_with_era_dates_and_keeps_history(client, coordinator_taira, yamada):
    client.force_login(coordinator_taira)
    page = client.get(edit_url(yamada))
    assert page.status_code == 200
    assert 'value="昭和20年5月1日"' in page.content.decode()
    data = form_data(
        client,
        yamada,
        address="いわき市平字城山2",
        birth_date="昭和20年6月2日",
        help_categories=[str(c.pk) for c in HelpCategory.objects.filter(number__in=[1, 2])],
    )
    response = client.post(edit_url(yamada), data)
    assert response.status_code == 302
    yamada.refresh_from_db()
    assert yamada.address == "いわき市平字城山2"
    assert yamada.birth_date == date(1945, 6, 2)
    assert yamada.help_categories.count() == 2
    latest = yamada.history.latest("history_id")
    assert (latest.history_user, latest.history_change_reason) == (
        coordinator_taira,
        "サポーターのページで編集",
    )
    detail = client.get(yamada.get_absolute_url()).content.decode()
    assert "住所: 「いわき市平字城山1」→「いわき市平字城山2」" in detail
    assert "coord-taira" in detail
    # Each page shown (edit page twice, detail) is an access record; never the name.
    whats = list(AccessRecord.objects.order_by("pk").values_list("what", flat=True))
    assert whats == ["サポーターの編集", "サポーターの編集", "サポーターの詳細"]
    assert all("山田" not in what for what in whats)


@time_machine.travel("2026-11-30 10:00 +0900")
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "　"}, "name", "このフィールドは必須です。"),
        ({"birth_date": "令和9年1月1日"}, "birth_date", "生年月日が今日より後です。"),
        ({"registered_on": "平成31年5月1日"}, "registered_on", "平成の期間外です"),
        ({"phone": "abc"}, "phone", "電話番号は数字とハイフンで入力してください"),
        ({"address": "平\x00字"}, "address", "U+0000"),
        ({"note": "見守り\x1b"}, "note", "制御文字(U+001B)"),
        ({"name": "佐藤　花子"}, "name", "同じ氏名のサポーターがすでに登録されています"),
    ],
)
def test_edit_refuses_bad_values_with_a_japanese_message_and_writes_nothing(
    client, coordinator_taira, yamada, changes, field, message
):
    Supporter.objects.create(group=yamada.group, name="佐藤 花子")
    client.force_login(coordinator_taira)
    response = client.post(edit_url(yamada), form_data(client, yamada, **changes))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assert "保存できませんでした" in response.content.decode()
    yamada.refresh_from_db()
    assert yamada.name == "山田 太郎" and yamada.address == "いわき市平字城山1"


def test_edit_cannot_move_a_supporter_to_another_areas_group(client, coordinator_taira, yamada):
    client.force_login(coordinator_taira)
    tamagawa = SupportGroup.objects.get(name="玉川")
    response = client.post(edit_url(yamada), form_data(client, yamada, group=tamagawa.pk))
    assert response.status_code == 200 and "group" in response.context["form"].errors
    yamada.refresh_from_db()
    assert yamada.group.name == "城山"


def test_an_edit_begun_before_another_save_is_refused_with_their_changes(
    client, coordinator_taira, coordinator_hq, yamada
):
    from django.test import Client

    other = Client()
    other.force_login(coordinator_hq)
    client.force_login(coordinator_taira)
    mine = form_data(client, yamada, phone="0246-22-9999")
    theirs = form_data(other, yamada, address="いわき市平字城山3")
    assert other.post(edit_url(yamada), theirs).status_code == 302

    refused = client.post(edit_url(yamada), mine)
    assert refused.status_code == 409
    content = refused.content.decode()
    assert "「いわき市平字城山1」→「いわき市平字城山3」" in content
    assert 'value="0246-22-9999"' in content  # what was typed is kept
    yamada.refresh_from_db()
    assert (yamada.phone, yamada.address) == ("0246-22-1111", "いわき市平字城山3")

    # Saving again after reading is deliberate: the form now starts from the current version.
    data = {k: v for k, v in mine.items()}
    data["base_version"] = str(supporter_version(yamada))
    data["address"] = "いわき市平字城山3"
    assert client.post(edit_url(yamada), data).status_code == 302
    yamada.refresh_from_db()
    assert (yamada.phone, yamada.address) == ("0246-22-9999", "いわき市平字城山3")


def test_an_import_after_the_edit_began_is_a_conflict_too(client, coordinator_taira, yamada):
    from activities.services import import_file
    from tests.spreadsheet_files import csv_bytes

    client.force_login(coordinator_taira)
    mine = form_data(client, yamada, note="見守り")
    import_file(
        csv_bytes([["団体名", "氏名", "電話番号"], ["城山", "山田 太郎", "0246-22-5555"]]),
        filename="城山.csv",
        user=None,
    )
    assert client.post(edit_url(yamada), mine).status_code == 409
    yamada.refresh_from_db()
    assert (yamada.phone, yamada.note) == ("0246-22-5555", "")


@time_machine.travel("2026-11-30 10:00 +0900")
def test_end_registration_with_date_and_reason_then_resume(client, coordinator_taira, yamada):
    client.force_login(coordinator_taira)
    page = client.get(end_url(yamada))
    assert page.status_code == 200
    assert 'value="令和8年11月30日"' in page.content.decode()  # today by default
    yamada.refresh_from_db()
    assert yamada.active  # the page wrote nothing

    response = client.post(
        end_url(yamada),
        {
            "ended_on": "令和8年10月31日",
            "reason": "転居のため",
            "base_version": supporter_version(yamada),
        },
    )
    assert response.status_code == 302
    yamada.refresh_from_db()
    assert (yamada.active, yamada.ended_on) == (False, date(2026, 10, 31))
    assert yamada.note == "令和8年10月31日 登録終了: 転居のため"
    assert yamada.history.latest("history_id").history_change_reason == "登録終了"
    detail = client.get(yamada.get_absolute_url()).content.decode()
    assert "登録終了" in detail and "令和8年10月31日" in detail
    assert resume_url(yamada) in detail and end_url(yamada) not in detail
    # Ended supporters leave the default list and the registered count.
    assert "山田 太郎" not in client.get(LIST).content.decode()
    assert "山田 太郎" in client.get(LIST, {"active": "0"}).content.decode()
    assert (
        SupportGroup.objects.with_registered_counts().get(pk=yamada.group_id).registered_supporters
        == 0
    )

    assert client.get(resume_url(yamada)).status_code == 200
    response = client.post(resume_url(yamada), {"base_version": supporter_version(yamada)})
    assert response.status_code == 302
    yamada.refresh_from_db()
    assert (yamada.active, yamada.ended_on) == (True, None)
    assert yamada.history.latest("history_id").history_change_reason == "登録を再開"
    assert [h.active for h in yamada.history.order_by("history_id")][-3:] == [True, False, True]
    whats = set(AccessRecord.objects.values_list("what", flat=True))
    assert {"サポーターの登録終了(確認)", "サポーターの登録再開(確認)"} <= whats


def test_end_with_an_unknown_date_shows_unknown(client, coordinator_taira, yamada):
    client.force_login(coordinator_taira)
    response = client.post(
        end_url(yamada), {"ended_on": "", "base_version": supporter_version(yamada)}
    )
    assert response.status_code == 302
    yamada.refresh_from_db()
    assert (yamada.active, yamada.ended_on, yamada.note) == (False, None, "")
    content = client.get(yamada.get_absolute_url()).content.decode()
    assert '<dd id="supporter-ended-on">不明</dd>' in content


@time_machine.travel("2026-11-30 10:00 +0900")
@pytest.mark.parametrize(
    ("ended_on", "message"),
    [("令和9年1月1日", "今日より後"), ("平成29年7月1日", "登録日より前"), ("きのう", "")],
)
def test_end_refuses_a_bad_date(client, coordinator_taira, yamada, ended_on, message):
    client.force_login(coordinator_taira)
    response = client.post(
        end_url(yamada), {"ended_on": ended_on, "base_version": supporter_version(yamada)}
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["ended_on"])
    yamada.refresh_from_db()
    assert yamada.active


def test_end_after_someone_changed_the_supporter_is_refused(client, coordinator_taira, yamada):
    client.force_login(coordinator_taira)
    base = supporter_version(yamada)
    yamada.phone = "0246-22-0000"
    yamada.save()
    response = client.post(end_url(yamada), {"ended_on": "", "base_version": base}, follow=True)
    assert "登録終了にしていません" in response.content.decode()
    yamada.refresh_from_db()
    assert yamada.active


def test_get_never_ends_a_registration(client, coordinator_taira, yamada):
    client.force_login(coordinator_taira)
    client.get(end_url(yamada), {"ended_on": "", "base_version": supporter_version(yamada)})
    yamada.refresh_from_db()
    assert yamada.active and yamada.history.count() == 1


def test_list_status_filter_defaults_to_registered(client, coordinator_taira, yamada):
    Supporter.objects.create(group=yamada.group, name="佐藤 花子", active=False)
    client.force_login(coordinator_taira)
    default = client.get(LIST).content.decode()
    assert "山田 太郎" in default and "佐藤 花子" not in default
    assert '<option value="1" selected>登録中</option>' in default
    ended = client.get(LIST, {"active": "0"}).content.decode()
    assert "佐藤 花子" in ended and "山田 太郎" not in ended
    every = client.get(LIST, {"active": "all"}).content.decode()
    assert "佐藤 花子" in every and "山田 太郎" in every
    export = client.post(LIST, {"_export": "csv"}).content.decode("utf-8-sig")
    assert "山田 太郎" in export and "佐藤 花子" not in export


def test_a_supporter_without_history_can_be_edited_and_ended(client, coordinator_taira, yamada):
    """Rows written without simple-history (bulk loads) have version 0, not "no version"."""
    yamada.history.all().delete()
    client.force_login(coordinator_taira)
    data = form_data(client, yamada, phone="0246-22-3333")
    assert data["base_version"] == "0"
    assert client.post(edit_url(yamada), data).status_code == 302
    yamada.history.all().delete()
    response = client.post(end_url(yamada), {"ended_on": "", "base_version": "0"})
    assert response.status_code == 302
    yamada.refresh_from_db()
    assert (yamada.phone, yamada.active) == ("0246-22-3333", False)


def test_the_end_date_of_an_ended_registration_is_corrected_on_the_edit_page(
    client, coordinator_taira, yamada
):
    client.force_login(coordinator_taira)
    assert "ended_on" not in client.get(edit_url(yamada)).context["form"].fields
    Supporter.objects.filter(pk=yamada.pk).update(active=False)
    yamada.refresh_from_db()
    response = client.post(edit_url(yamada), form_data(client, yamada, ended_on="H30.3.31"))
    assert response.status_code == 302
    yamada.refresh_from_db()
    assert (yamada.active, yamada.ended_on) == (False, date(2018, 3, 31))


def test_with_more_groups_than_a_select_lists_the_group_is_searched(
    client, administrator, yamada, settings
):
    settings.SELECT_OPTIONS_LIMIT = 5  # Iwaki's 15 groups stand for a hundred times as many
    client.force_login(administrator)
    page = client.get(edit_url(yamada)).content.decode()
    assert 'name="group_q"' in page
    assert (
        len(re.findall(r"<option\b", page.split('name="group"', 1)[1].split("</select>")[0])) <= 6
    )
    data = form_data(client, yamada, group="", group_q="玉川")
    assert client.post(edit_url(yamada), data).status_code == 302
    yamada.refresh_from_db()
    assert yamada.group.name == "玉川"


def test_end_refuses_a_reason_with_control_characters(client, coordinator_taira, yamada):
    client.force_login(coordinator_taira)
    response = client.post(
        end_url(yamada),
        {"ended_on": "", "reason": "転居\x00", "base_version": supporter_version(yamada)},
    )
    assert response.status_code == 200
    assert "U+0000" in " ".join(response.context["form"].errors["reason"])
    yamada.refresh_from_db()
    assert yamada.active and yamada.note == ""

"""A year's 活動実績 per coordinator and kind, and each coordinator's 今後の課題や提案: written by
that coordinator only, warned about personal data, kept with its history."""

from datetime import date

import pytest
from django.urls import reverse

from coordinators.models import Coordinator
from councils.models import Area
from journal.models import ActivityKind, JournalEntry, YearNote

pytestmark = pytest.mark.django_db


def note_url(placement, year=2018):
    return reverse(
        "journal:yearnote-edit", args=[year, Coordinator.objects.get(placement=placement).pk]
    )


def test_the_summary_counts_each_coordinators_entries_by_kind_with_links(
    client, city_staff, data_2017
):
    taira = Coordinator.objects.get(placement="平地区協議会")
    for kind in (ActivityKind.VISIT, ActivityKind.VISIT, ActivityKind.PUBLICITY):
        entry = JournalEntry.objects.create(
            coordinator=taira, done_on=date(2018, 7, 1), kind=kind, summary="試験"
        )
        entry.areas.add(Area.objects.get(name="平"))
    client.force_login(city_staff)
    response = client.get(reverse("journal:summary", args=[2018]))
    rollup = response.context["rollup"]
    row = next(r for r in rollup.rows if r.coordinator == taira)
    assert [c.count for c in row.by_kind][:1] == [2]
    assert row.total.count == 3
    body = response.content.decode()
    link = f"{reverse('journal:entry-list')}?fiscal_year=2018&amp;coordinator={taira.pk}&amp;kind=visit"
    assert f'<a href="{link}">2</a>' in body
    assert "記入 0 / 8名" in body


def test_a_coordinator_writes_their_own_yearly_issues_and_proposals(client, coordinator_taira):
    client.force_login(coordinator_taira)
    url = note_url("平地区協議会")
    assert client.get(url).status_code == 200
    response = client.post(url, {"issues_and_proposals": "担い手の高齢化。移動手段の確保。"})
    assert response["Location"] == reverse("journal:summary", args=[2018])
    note = YearNote.objects.get()
    assert (note.coordinator.placement, note.fiscal_year) == ("平地区協議会", 2018)
    body = client.get(reverse("journal:summary", args=[2018])).content.decode()
    assert "担い手の高齢化。移動手段の確保。" in body
    assert "記入 1 / 8名" in body
    client.post(url, {"issues_and_proposals": "担い手の高齢化。"})
    assert YearNote.objects.get().history.count() == 2


def test_no_other_coordinator_writes_it_not_even_the_headquarters(
    client, coordinator_onahama, coordinator_hq, city_staff
):
    url = note_url("平地区協議会")
    for user in (coordinator_onahama, coordinator_hq, city_staff):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"issues_and_proposals": "上書き"}).status_code == 404
    assert not YearNote.objects.exists()


def test_the_headquarters_coordinator_writes_its_own(client, coordinator_hq):
    client.force_login(coordinator_hq)
    client.post(note_url("社会福祉協議会本部"), {"issues_and_proposals": "全圏域の課題"})
    assert YearNote.objects.get().coordinator.placement == "社会福祉協議会本部"


def test_a_note_that_looks_personal_waits_for_a_second_look(client, coordinator_taira):
    client.force_login(coordinator_taira)
    url = note_url("平地区協議会")
    text = "連絡先は 0246-22-1111 の方"
    response = client.post(url, {"issues_and_proposals": text})
    assert response.status_code == 200
    assert "電話番号のように見えます" in response.content.decode()
    assert not YearNote.objects.exists()
    digest = response.context["form"].hints_digest()
    client.post(url, {"issues_and_proposals": text, "hints_seen": digest})
    assert YearNote.objects.get().issues_and_proposals == text


def test_an_empty_note_is_refused(client, coordinator_taira):
    client.force_login(coordinator_taira)
    response = client.post(note_url("平地区協議会"), {"issues_and_proposals": ""})
    assert response.context["form"].errors["issues_and_proposals"]
    assert not YearNote.objects.exists()


def test_a_year_out_of_range_is_404(client, city_staff, data_2017):
    client.force_login(city_staff)
    for year in (1800, 9999, 99999):
        assert client.get(reverse("journal:summary", args=[year])).status_code == 404


def test_a_note_saved_meanwhile_from_another_window_keeps_what_was_typed(
    client, coordinator_taira, monkeypatch
):
    from django.db import IntegrityError

    from journal.forms import YearNoteForm

    def racing_save(self, commit=True):
        raise IntegrityError("journal_yearnote_one_per_year")

    monkeypatch.setattr(YearNoteForm, "save", racing_save)
    client.force_login(coordinator_taira)
    response = client.post(note_url("平地区協議会"), {"issues_and_proposals": "私の提案"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "たった今ほかの画面から保存されました" in body
    assert "私の提案" in body

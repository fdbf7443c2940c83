"""No lost updates on PostgreSQL: two clients save the same meeting; exactly one wins.

SQLite serialises every write to the whole database, so it cannot show two transactions
racing for one row; CI runs these with DATABASE_URL pointing at PostgreSQL.
"""

import threading
import time

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test import Client

from councils.models import Meeting
from tests.councils.test_meeting_update import edit_url, form_data

# Needs PostgreSQL's row locks: skipped on SQLite, run by CI's PostgreSQL pass.
pytestmark = pytest.mark.postgresql


def claim(pk, base_version, results, name, hold=None, claimed=None):
    """What save_meeting does first: UPDATE … SET version = version + 1 WHERE version = n."""
    try:
        with transaction.atomic():
            rows = Meeting.objects.filter(pk=pk, version=base_version).update(
                version=F("version") + 1
            )
            results[name] = rows
            if claimed is not None:
                claimed.set()
            if hold is not None:
                hold.wait(10)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transactions_claim_the_same_version_and_one_is_refused(data_2017):
    meeting = Meeting.objects.get(council__name="平 第2層協議体", fiscal_year=2017, sequence=1)
    results, hold, claimed = {}, threading.Event(), threading.Event()
    first = threading.Thread(target=claim, args=(meeting.pk, 1, results, "first", hold, claimed))
    first.start()
    assert claimed.wait(10)
    second = threading.Thread(target=claim, args=(meeting.pk, 1, results, "second"))
    second.start()
    time.sleep(0.5)
    # The second transaction waits on the first one's row lock...
    assert second.is_alive()
    hold.set()
    first.join(10)
    second.join(10)
    # ...and, once the first commits, finds the version moved on and updates nothing.
    assert results == {"first": 1, "second": 0}
    meeting.refresh_from_db()
    assert meeting.version == 2


@pytest.mark.django_db
def test_two_clients_edit_the_same_meeting_and_the_later_save_is_refused(
    coordinator_taira, coordinator_hq
):
    meeting = Meeting.objects.get(council__name="平 第2層協議体", fiscal_year=2017, sequence=1)
    taira, hq = Client(), Client()
    taira.force_login(coordinator_taira)
    hq.force_login(coordinator_hq)
    taira_data = form_data(taira, meeting, venue="平公民館")
    hq_data = form_data(hq, meeting, venue="本部会議室")

    assert taira.post(edit_url(meeting), taira_data).status_code == 302
    refused = hq.post(edit_url(meeting), hq_data)

    assert refused.status_code == 409
    assert "「平公民館」" in refused.text
    meeting.refresh_from_db()
    assert meeting.venue == "平公民館"
    assert meeting.version == 2


def _respond(opinion_pk, status, results, name, start):
    from councils.models import Opinion
    from councils.services import EditConflict, update_opinion_response

    try:
        start.wait(10)
        try:
            results[name] = update_opinion_response(
                opinion=Opinion(pk=opinion_pk), version=1, status=status, response=name
            )
        except EditConflict:
            results[name] = "conflict"
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_small_updates_of_one_opinion_at_once_one_wins_and_none_deadlocks(data_2017):
    """Both lock the meeting first, then the opinion (as save_meeting does): of two racing
    updates with different values exactly one is written and the other is told."""
    from councils.models import Opinion

    meeting = Meeting.objects.get(council__name="平 第2層協議体", fiscal_year=2017, sequence=1)
    opinion = Opinion.objects.create(meeting=meeting, fiscal_year=2017, text="意見")
    results, start = {}, threading.Event()
    threads = [
        threading.Thread(target=_respond, args=(opinion.pk, status, results, name, start))
        for name, status in (("a", "measure"), ("b", "group"))
    ]
    for thread in threads:
        thread.start()
    start.set()
    for thread in threads:
        thread.join(15)
    assert sorted(map(str, results.values())) == ["True", "conflict"]
    opinion.refresh_from_db()
    assert opinion.version == 2
    winner = next(name for name, result in results.items() if result is True)
    assert opinion.response == winner
    meeting.refresh_from_db()
    assert meeting.version == 2

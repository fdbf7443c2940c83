"""No lost survey updates on PostgreSQL: two transactions claim the same version, one wins.

SQLite serialises every write, so it cannot show the race; CI runs this on PostgreSQL. The
two-client test in test_survey_update.py runs on both.
"""

import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client

from needs_survey.models import Survey
from needs_survey.services import EditConflict, claim_version
from tests.needs_survey.test_survey_update import edit_data, edit_url

pytestmark = pytest.mark.postgresql


def claim(pk, base_version, results, name, hold=None, claimed=None):
    """What save_survey does first."""
    try:
        with transaction.atomic():
            try:
                claim_version(Survey.objects.get(pk=pk), base_version)
                results[name] = 1
            except EditConflict:
                results[name] = 0
            if claimed is not None:
                claimed.set()
            if hold is not None:
                hold.wait(10)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transactions_claim_the_same_survey_version_and_one_is_refused(
    data_2017, make_survey
):
    survey = make_survey("平", 2017, {1: (12, "can")})
    results, hold, claimed = {}, threading.Event(), threading.Event()
    first = threading.Thread(target=claim, args=(survey.pk, 1, results, "first", hold, claimed))
    first.start()
    assert claimed.wait(10)
    second = threading.Thread(target=claim, args=(survey.pk, 1, results, "second"))
    second.start()
    time.sleep(0.5)
    assert second.is_alive()  # waiting on the first one's row lock
    hold.set()
    first.join(10)
    second.join(10)
    assert results == {"first": 1, "second": 0}
    survey.refresh_from_db()
    assert survey.version == 2


@pytest.mark.django_db
def test_two_clients_on_postgresql(coordinator_taira, coordinator_hq, make_survey):
    survey = make_survey("平", 2017, {1: (12, "can")})
    taira, hq = Client(), Client()
    taira.force_login(coordinator_taira)
    hq.force_login(coordinator_hq)
    taira_data = edit_data(taira, survey, note="平")
    hq_data = edit_data(hq, survey, note="本部")
    assert taira.post(edit_url(survey), taira_data).status_code == 302
    assert hq.post(edit_url(survey), hq_data).status_code == 409
    survey.refresh_from_db()
    assert (survey.note, survey.version) == ("平", 2)

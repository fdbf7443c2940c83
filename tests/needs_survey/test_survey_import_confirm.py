"""Confirming a survey import preview: once, within 12 hours, with a message otherwise.

The preview is a signed token in the page. It expires after 12 hours; its confirmation is
recorded (``SurveyImportReceipt``) in the same transaction as the import, so a second
confirm of the same preview (a double click, the back button, two tabs) is refused with a
message and writes nothing, on SQLite and PostgreSQL. The concurrent case is on PostgreSQL.
"""

import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.utils import timezone

from needs_survey.models import Survey, SurveyImportReceipt, SurveyResult
from tests.needs_survey.test_survey_import import (
    CONFIRM,
    IMPORT,
    LONG_CSV,
    csv_file,
    token_of,
    upload,
)

pytestmark = pytest.mark.django_db
TWELVE_HOURS = 12 * 60 * 60


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def written():
    history = Survey.history.count() if hasattr(Survey, "history") else 0
    return Survey.objects.count(), SurveyResult.objects.count(), history


@pytest.fixture
def previewed(client, coordinator_taira):
    client.force_login(coordinator_taira)
    token = token_of(upload(client, csv_file(LONG_CSV)))
    assert token
    return token


def later(seconds):
    return mock.patch("django.core.signing.time.time", return_value=time.time() + seconds)


def test_a_preview_confirmed_after_12_hours_says_it_expired_and_writes_nothing(client, previewed):
    with later(TWELVE_HOURS + 60):
        response = client.post(CONFIRM, {"token": previewed})
    assert response.status_code == 302
    assert response["Location"] == IMPORT
    assert messages_of(response) == [
        "確認画面の有効期限（12時間）が過ぎたため取り込んでいません。"
        "もう一度ファイルを読み込んで確認してください。"
    ]
    assert written() == (0, 0, 0)
    assert not SurveyImportReceipt.objects.exists()


def test_a_preview_confirmed_within_12_hours_is_imported(client, previewed):
    with later(TWELVE_HOURS - 60):
        response = client.post(CONFIRM, {"token": previewed})
    assert response.status_code == 302
    assert Survey.objects.filter(council__area__name="平", fiscal_year=2017).exists()


def test_a_second_confirm_of_the_same_preview_is_refused_with_a_message(client, previewed):
    first = client.post(CONFIRM, {"token": previewed})
    assert first.status_code == 302
    assert "取り込みました" in messages_of(first)[0]
    after_first = written()
    assert after_first[0] == 1

    second = client.post(CONFIRM, {"token": previewed})
    assert second.status_code == 302
    assert messages_of(second)[-1] == (  # the first one's message was not shown yet
        "この確認画面の内容はすでに取り込みました。同じ内容をもう一度は取り込みません。"
        "調査の一覧で結果を確かめてください。"
    )
    assert written() == after_first
    assert SurveyImportReceipt.objects.count() == 1


def test_a_refused_confirm_leaves_no_receipt(client, previewed, make_survey):
    # The records changed after the preview: refused, and the preview is not used up.
    make_survey("平", 2017, {1: (3, "can")})
    response = client.post(CONFIRM, {"token": previewed})
    assert "確認の後に記録が変更された" in messages_of(response)[0]
    assert not SurveyImportReceipt.objects.exists()


def test_receipts_older_than_a_preview_are_deleted_by_the_next_preview(client, previewed):
    client.post(CONFIRM, {"token": previewed})
    SurveyImportReceipt.objects.update(
        confirmed_at=timezone.now() - timedelta(seconds=TWELVE_HOURS + 60)
    )
    upload(client, csv_file(LONG_CSV))
    assert not SurveyImportReceipt.objects.exists()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_confirms_of_one_preview_write_once(coordinator_taira, data_2017):
    clients = [Client(), Client()]
    for each in clients:
        each.force_login(coordinator_taira)
    token = token_of(upload(clients[0], csv_file(LONG_CSV)))
    start = threading.Barrier(2)
    results = []

    def confirm(each):
        try:
            start.wait(10)
            response = each.post(CONFIRM, {"token": token})
            results.append((response.status_code, messages_of(response)))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(each,)) for each in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(code for code, _ in results) == [302, 302]
    texts = sorted(text for _, messages in results for text in messages)
    assert len(texts) == 2
    assert sum("すでに取り込みました" in t for t in texts) == 1
    assert sum(t.startswith("取り込みました") for t in texts) == 1
    assert Survey.objects.count() == 1
    assert SurveyImportReceipt.objects.count() == 1

"""audit.records.record_access: who, what, where from, written to the database."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from activities.models import SupportGroup
from audit.models import AccessAction, AccessRecord
from audit.records import record_access
from core.http import client_address


@pytest.fixture
def request_from(administrator):
    def make(remote_addr="192.0.2.10", forwarded=None, user=administrator):
        headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
        request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)
        request.user = user
        return request

    return make


def test_record_access_writes_who_what_area_group_rows_and_address(
    data_2017, administrator, request_from
):
    group = SupportGroup.objects.select_related("council__area").first()
    [record] = record_access(
        request_from(),
        action=AccessAction.EXPORT,
        what="サポーター名簿",
        area_id=group.council.area_id,
        group_id=group.pk,
        rows=12,
    )
    stored = AccessRecord.objects.get(pk=record.pk)
    assert stored.user == administrator
    assert stored.action == "export"
    assert stored.what == "サポーター名簿"
    assert stored.group == group
    assert stored.area == group.council.area
    assert stored.rows == 12
    assert stored.address == "192.0.2.10"
    assert stored.at is not None


def test_record_access_refuses_an_unknown_action(db, request_from):
    with pytest.raises(ValueError, match="Unknown access action"):
        record_access(request_from(), action="print", what="名簿")
    assert not AccessRecord.objects.exists()


def test_record_access_keeps_what_within_its_column(db, request_from):
    [record] = record_access(request_from(), action="view", what="名" * 500)
    assert len(record.what) == 200


def test_anonymous_requests_are_recorded_without_a_user(db, request_from):
    [record] = record_access(request_from(user=AnonymousUser()), action="import", what="取込")
    assert record.user is None


def test_one_use_across_several_groups_is_one_record_per_group(
    data_2017, administrator, django_assert_num_queries
):
    groups = list(SupportGroup.objects.select_related("council")[:3])
    parts = [(g.council.area_id, g.pk, n) for n, g in enumerate(groups, start=1)]
    with django_assert_num_queries(1):
        records = record_access(
            action="import", what="取込 #1", user=administrator, address="192.0.2.1", parts=parts
        )
    assert [(r.area_id, r.group_id, r.rows) for r in records] == parts
    assert {r.address for r in AccessRecord.objects.all()} == {"192.0.2.1"}


def test_forwarded_for_is_ignored_unless_behind_a_proxy(settings, request_from):
    settings.BEHIND_PROXY = False
    request = request_from(remote_addr="127.0.0.1", forwarded="203.0.113.5")
    assert client_address(request) == "127.0.0.1"


def test_behind_a_proxy_the_address_the_proxy_appended_is_taken(settings, request_from):
    settings.BEHIND_PROXY = True
    # The first entry was sent by the client itself and could be forged.
    request = request_from(remote_addr="127.0.0.1", forwarded="10.9.9.9, 203.0.113.5")
    assert client_address(request) == "203.0.113.5"


def test_an_unparseable_address_is_stored_as_unknown(settings, request_from):
    settings.BEHIND_PROXY = True
    assert client_address(request_from(forwarded="not-an-address")) is None

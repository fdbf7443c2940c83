"""The values read from a request by hand: ids and timestamps (core.http)."""

import pytest
from django.urls import reverse

from core.http import parse_id, parse_timestamp


@pytest.mark.parametrize(
    "text", ["²", "¹²", "１２", "١٢", "①", "", " 1", "1 ", "-1", "+1", "0", "1.0", "9" * 19, None]
)
def test_parse_id_refuses_anything_but_ascii_digits_of_a_sane_length(text):
    assert parse_id(text) is None


@pytest.mark.parametrize(("text", "number"), [("1", 1), ("007", 7), ("9" * 18, int("9" * 18))])
def test_parse_id_reads_ascii_digits(text, number):
    assert parse_id(text) == number


@pytest.mark.parametrize("text", ["", "2017-13-01T00:00", "yesterday", None, "2017-01-01T25:00"])
def test_parse_timestamp_is_none_for_what_is_not_a_moment(text):
    assert parse_timestamp(text) is None


def test_parse_timestamp_is_aware():
    assert parse_timestamp("2017-07-28T10:00:00").tzinfo is not None


@pytest.mark.django_db
def test_a_superscript_council_is_not_found_rather_than_an_error(client, coordinator_taira):
    client.force_login(coordinator_taira)
    url = reverse("councils:meeting-create")
    assert client.get(url, {"council": "²"}).status_code == 404


@pytest.mark.django_db
def test_a_page_size_in_the_query_is_not_read(client, administrator):
    client.force_login(administrator)
    page = client.get(reverse("councils:council-list"), {"per_page": "1"})
    assert page.context["table"].paginator.per_page == 50
    page = client.get(reverse("councils:council-list"), {"per_page": "-1", "page": "²"})
    assert page.status_code == 200

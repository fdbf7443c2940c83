"""What the needs-survey pages refuse beyond the status codes: a POST outside the coordinator's
areas changes nothing, and city staff are not offered entry links. Who gets which status on
each page is in tests/test_permission_matrix.py."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_coordinator_cannot_post_to_a_survey_outside_their_areas(
    client, coordinator_onahama, make_survey
):
    survey = make_survey("平", 2017, {1: (3, "can")})
    client.force_login(coordinator_onahama)
    response = client.post(
        reverse("needs_survey:survey-update", args=[survey.pk]), {"council": survey.council_id}
    )
    assert response.status_code == 404
    assert survey.results.get().requests == 3


def test_city_staff_see_no_entry_links(client, city_staff, make_survey):
    survey = make_survey("平", 2017, {1: (3, "can")})
    client.force_login(city_staff)
    assert "修正する" not in client.get(survey.get_absolute_url()).content.decode()
    matrix = client.get(reverse("needs_survey:survey-matrix")).content.decode()
    assert reverse("needs_survey:survey-create") not in matrix

"""Who may open each needs-survey page: every URL name × persona × expected status.

The survey in the URLs is 平's: coordinators of 平 and headquarters may change it, the
coordinator of 小名浜 may only read it (404 on its edit page, as if it did not exist).
"""

import pytest
from django.urls import get_resolver, reverse

pytestmark = pytest.mark.django_db

READ = ["survey-list", "survey-detail", "survey-matrix", "survey-compare", "survey-can-do"]
URL_NAMES = [*READ, "survey-create", "survey-update", "survey-import"]
# POST only; tested in test_survey_import.py (a GET is 405 for everyone).
POST_ONLY = ["survey-import-confirm"]

EXPECTED = {
    # persona: {url name: status}
    "anonymous": dict.fromkeys(URL_NAMES, 302),
    "no_role": dict.fromkeys(URL_NAMES, 403),
    "city_staff": {
        **dict.fromkeys(READ, 200),
        "survey-create": 403,
        "survey-update": 404,
        "survey-import": 403,
    },
    "coordinator_taira": dict.fromkeys(URL_NAMES, 200),
    "coordinator_onahama": {
        **dict.fromkeys(READ, 200),
        "survey-create": 200,
        "survey-update": 404,
        "survey-import": 200,
    },
    "coordinator_hq": dict.fromkeys(URL_NAMES, 200),
    "administrator": dict.fromkeys(URL_NAMES, 200),
}


def url_for(name, survey):
    if name in ("survey-detail", "survey-update"):
        return reverse(f"needs_survey:{name}", args=[survey.pk])
    return reverse(f"needs_survey:{name}")


@pytest.fixture
def persona(request, make_user, data_2017):
    name = request.param
    if name == "anonymous":
        return None
    if name == "no_role":
        return make_user("nobody")
    return request.getfixturevalue(name)


@pytest.mark.parametrize("persona", list(EXPECTED), indirect=True)
def test_status_of_each_page_for_each_persona(client, persona, make_survey, request):
    survey = make_survey("平", 2017, {1: (3, "can")})
    if persona is not None:
        client.force_login(persona)
    statuses = {}
    for url_name in URL_NAMES:
        response = client.get(url_for(url_name, survey))
        statuses[url_name] = response.status_code
        if response.status_code == 302:
            assert "login" in response["Location"]
    assert statuses == EXPECTED[request.node.callspec.params["persona"]]


def test_every_needs_survey_url_is_in_the_permission_matrix():
    resolver = get_resolver().namespace_dict["needs_survey"][1]
    names = {p.name for p in resolver.url_patterns if p.name}
    assert names == {*URL_NAMES, *POST_ONLY}


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

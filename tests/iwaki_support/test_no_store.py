"""Signed-in pages and every download are kept out of browser and proxy caches."""

from django.http import HttpResponse
from django.test import Client, RequestFactory

from iwaki_support.middleware import NoStoreMiddleware


def respond_with(**headers):
    def view(request):
        response = HttpResponse("x")
        for name, value in headers.items():
            response[name] = value
        return response

    return view


def anonymous_request():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return request


def test_a_download_is_not_stored_even_without_a_signed_in_user():
    middleware = NoStoreMiddleware(
        respond_with(**{"Content-Disposition": 'attachment; filename="a.csv"'})
    )
    response = middleware(anonymous_request())
    assert "no-store" in response["Cache-Control"]


def test_an_anonymous_page_keeps_its_own_caching():
    response = NoStoreMiddleware(respond_with())(anonymous_request())
    assert not response.has_header("Cache-Control")


def test_a_signed_in_page_is_not_stored_and_overrides_a_views_max_age(db, administrator):
    request = RequestFactory().get("/")
    request.user = administrator
    response = NoStoreMiddleware(respond_with(**{"Cache-Control": "max-age=3600"}))(request)
    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_the_home_page_is_not_stored_once_signed_in(data_2017, administrator):
    client = Client()
    client.force_login(administrator)
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_public_response_keeps_its_caching_and_the_user_is_not_looked_up():
    """A view marked public (core.http.public_page, the public directory) is the same for
    everyone: the middleware leaves it alone and does not read the user (nor the session)."""

    class Untouchable:
        @property
        def is_authenticated(self):
            raise AssertionError("the user was looked up for a public response")

    request = RequestFactory().get("/")
    request.user = Untouchable()
    response = NoStoreMiddleware(respond_with(**{"Cache-Control": "public, max-age=300"}))(request)
    assert response["Cache-Control"] == "public, max-age=300"
    download = NoStoreMiddleware(
        respond_with(
            **{
                "Cache-Control": "public, max-age=300",
                "Content-Disposition": 'attachment; filename="open.csv"',
            }
        )
    )(request)
    assert "no-store" not in download["Cache-Control"]


def test_public_without_a_max_age_is_not_a_public_page(db, administrator):
    request = RequestFactory().get("/")
    request.user = administrator
    response = NoStoreMiddleware(respond_with(**{"Cache-Control": "public"}))(request)
    assert "no-store" in response["Cache-Control"]

"""The 400, 403, 404, 500 and CSRF-failure pages are Japanese and reveal nothing of the error."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path
from django.views.decorators.csrf import csrf_protect

SECRET = "secret-detail-4f2a"


def raises(exception):
    def view(request):
        raise exception(f"{SECRET} in /srv/iwaki/activities/models.py")

    return view


@csrf_protect
def form_target(request):
    return HttpResponse("ok")


urlpatterns = [
    path("boom/", raises(RuntimeError)),
    path("forbidden/", raises(PermissionDenied)),
    path("suspicious/", raises(SuspiciousOperation)),
    path("form/", form_target),
    path("", include("iwaki_support.urls")),
]

pytestmark = pytest.mark.urls("tests.iwaki_support.test_error_pages")


def assert_reveals_nothing(response):
    body = response.content.decode()
    assert SECRET not in body
    assert "Traceback" not in body
    assert ".py" not in body
    return body


def test_server_error_page_is_japanese_and_standalone(db):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    body = assert_reveals_nothing(response)
    assert "システムエラーが発生しました" in body
    assert "管理者に連絡" in body


def test_not_found_page_does_not_echo_the_address(db):
    response = Client().get(f"/groups/{SECRET}/")
    assert response.status_code == 404
    body = assert_reveals_nothing(response)
    assert "ページが見つかりません" in body


def test_permission_denied_page_hides_the_reason(db):
    response = Client().get("/forbidden/")
    assert response.status_code == 403
    body = assert_reveals_nothing(response)
    assert "権限がありません" in body


def test_bad_request_page_is_japanese(db):
    response = Client(raise_request_exception=False).get("/suspicious/")
    assert response.status_code == 400
    body = assert_reveals_nothing(response)
    assert "リクエストを処理できませんでした" in body


def test_csrf_failure_explains_what_to_do_in_japanese(db):
    response = Client(enforce_csrf_checks=True).post("/form/", {"a": "b"})
    assert response.status_code == 403
    body = assert_reveals_nothing(response)
    assert "ページを再読み込みしてから" in body
    assert "CSRF" not in body


def test_error_pages_carry_the_security_headers(db):
    response = Client(raise_request_exception=False).get("/boom/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"

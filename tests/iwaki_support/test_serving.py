"""Production's way of serving, end to end: migrate and collectstatic with production settings,
then gunicorn (reading gunicorn.conf.py) answering through whitenoise behind a TLS proxy."""

import gzip
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
ENV_FROM_TESTS = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "SECURE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "STATIC_MANIFEST",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ENV_FROM_TESTS}
    env.update(
        DEBUG="0",
        SECRET_KEY="a-long-production-like-key-" + "k9#Xq2!vL" * 6,
        ALLOWED_HOSTS="support.example.jp",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp / "static"),
        BEHIND_PROXY="1",
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
    )
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "iwaki_support.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start: " + server.stderr.read1().decode())
        yield port, tmp / "static"
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(port, path, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request(
        "GET",
        path,
        headers={"Host": "support.example.jp", "X-Forwarded-Proto": "https", **headers},
    )
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_gunicorn_serves_pages_behind_the_tls_proxy(production_server):
    port, _ = production_server
    response, _ = get(port, "/admin/login/")
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "csrftoken" in response.getheader("Set-Cookie")
    assert "Secure" in response.getheader("Set-Cookie")
    assert "HttpOnly" in response.getheader("Set-Cookie")


def test_plain_http_is_redirected_to_https(production_server):
    port, _ = production_server
    response, _ = get(port, "/admin/login/", **{"X-Forwarded-Proto": "http"})
    assert response.status == 301
    assert response.getheader("Location") == "https://support.example.jp/admin/login/"


def test_pages_link_hashed_static_files_that_whitenoise_serves_compressed_and_immutable(
    production_server,
):
    port, _ = production_server
    _, body = get(port, "/admin/login/")
    stylesheet = re.search(rb'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, body[:2000]
    response, css = get(port, stylesheet.group(1).decode(), **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "immutable" in response.getheader("Cache-Control")
    assert b"body" in gzip.decompress(css)


def test_collectstatic_hashes_the_sites_own_stylesheets(production_server):
    port, static_root = production_server
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    for name in ("css/site.css", "css/print.css"):
        assert re.fullmatch(r"css/\w+\.[0-9a-f]{12}\.css", manifest[name])
        response, _ = get(port, "/static/" + manifest[name])
        assert response.status == 200

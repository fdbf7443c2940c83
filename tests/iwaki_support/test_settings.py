"""Settings come from the environment; production values pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-production-like-key-" + "k9#Xq2!vL" * 6,
    "ALLOWED_HOSTS": "support.example.jp",
    "DATABASE_URL": "postgres://iwaki@db.example.jp:5432/iwaki",
}

# Set for the test process by tests/environment.py; a production-like run must not inherit them.
ENV_FROM_TESTS = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "SECURE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "STATIC_MANIFEST",
}


def run_manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in ENV_FROM_TESTS}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_deploy_check_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_deploy_check_fails_with_debug_on():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides={**PRODUCTION, "DEBUG": "1"}
    )
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


@pytest.mark.slow
def test_missing_secret_key_with_debug_off_refuses_to_start():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_settings_are_japanese_and_in_tokyo(settings):
    assert settings.LANGUAGE_CODE == "ja"
    assert settings.TIME_ZONE == "Asia/Tokyo"


@pytest.mark.slow
def test_database_defaults_to_sqlite_in_the_project_root():
    code = "from django.conf import settings; print(settings.DATABASES['default']['NAME'])"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DEBUG="1")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'iwaki_support.settings'); django.setup(); {code}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(ROOT / "db.sqlite3")

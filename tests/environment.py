"""Loaded as a pytest plugin (see pyproject.toml) so that it runs before Django reads its settings."""

import os

# Tests run with DEBUG off, as production does; they need a key, and this one is only for tests.
os.environ.setdefault("SECRET_KEY", "test-only-not-secret-" + "x" * 40)
os.environ.setdefault("DEBUG", "0")
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous, so Django's async-safety guard is lifted for tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The test client and the live server speak plain http; HTTPS-only settings are tested on their own.
os.environ.setdefault("SECURE", "0")
# Static files come from the apps' directories; production's hashed manifest needs a collectstatic
# (tests/iwaki_support/test_serving.py runs one in a subprocess to prove production's way works).
os.environ.setdefault("STATIC_MANIFEST", "0")

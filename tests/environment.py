"""Loaded as a pytest plugin (see pyproject.toml) so that it runs before Django reads its settings."""

import os

# Tests run with DEBUG off, as production does; they need a key, and this one is only for tests.
os.environ.setdefault("SECRET_KEY", "test-only-not-secret-" + "x" * 40)
os.environ.setdefault("DEBUG", "0")

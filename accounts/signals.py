"""The login log: every sign-in, sign-out, failure and lockout, and every wrong old password
on the password-change page, with the client's address.

Usernames and addresses only, never a password (Django masks it in ``credentials``). Each
value is written quoted, with quotes, backslashes, line breaks and every other control or
line-separator character escaped, so that whatever someone types as a username stays one
value on one line: ``login failed username="mallory\\nlogin …" address="10.0.0.1"``.
"""

import json
import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.http import client_address

log = logging.getLogger("accounts.auth")

# The sender of the failure a wrong old password sends (accounts.views.PasswordChangeView).
PASSWORD_CHANGE = "accounts.password_change"  # noqa: S105 - a signal sender, not a password
# Longest value written: a username field is at most 150 characters.
MAX_VALUE = 200
# Characters some log viewers break lines at, which json.dumps leaves as they are.
_LINE_SEPARATORS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def quoted(value) -> str:
    """``value`` as one double-quoted, escaped token of a log line."""
    text = "-" if value is None else str(value)
    if len(text) > MAX_VALUE:
        text = text[:MAX_VALUE] + "…"
    return json.dumps(text, ensure_ascii=False).translate(_LINE_SEPARATORS)


def _address(request):
    return client_address(request) or "-"


def _line(event, username, address):
    return f"{event} username={quoted(username)} address={quoted(address)}"


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    log.info("%s", _line("login", user.get_username(), _address(request)))


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    username = user.get_username() if user is not None else None
    log.info("%s", _line("logout", username, _address(request)))


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs):
    # Django already masks the password in ``credentials``; only the username is logged.
    event = "password change failed" if sender == PASSWORD_CHANGE else "login failed"
    log.warning("%s", _line(event, credentials.get("username"), _address(request)))


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    log.warning("%s", _line("login locked out", username, ip_address))

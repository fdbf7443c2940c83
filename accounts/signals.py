"""The login log: every sign-in, sign-out, failure and lockout, with the client's address.

Usernames and addresses only, never a password (Django masks it in ``credentials``).
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.http import client_address

log = logging.getLogger("accounts.auth")


def _address(request) -> str:
    return client_address(request) or "-"


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    log.info("login username=%s address=%s", user.get_username(), _address(request))


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    username = user.get_username() if user is not None else "-"
    log.info("logout username=%s address=%s", username, _address(request))


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs):
    # Django already masks the password in ``credentials``; only the username is logged.
    log.warning(
        "login failed username=%s address=%s", credentials.get("username", "-"), _address(request)
    )


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    log.warning("login locked out username=%s address=%s", username, ip_address)

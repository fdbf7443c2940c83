"""Signing in and out: the login log, the lockout page and the client address django-axes uses.

The views themselves are Django's (LoginView, LogoutView, PasswordChangeView) with Japanese
templates in ``templates/registration/``; LoginView already refuses a ``next=`` that leads
off this site (``url_has_allowed_host_and_scheme``).
"""

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.shortcuts import render

log = logging.getLogger("iwaki_support.auth")


def client_ip(request) -> str:
    """The client's address. Behind our own TLS proxy (BEHIND_PROXY) that is the last hop the
    proxy appended to X-Forwarded-For; anything before it was written by the client."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")


def _address(request) -> str:
    return client_ip(request) if request is not None else "-"


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


def lockout_response(request, original_response=None, credentials=None):
    """The Japanese page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/lockout.html",
        {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )

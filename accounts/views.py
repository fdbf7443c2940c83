"""Signing in and out.

The views themselves are Django's (LoginView, LogoutView, PasswordChangeView, see
``accounts.urls``) with Japanese templates in ``accounts/templates/registration/``;
LoginView already refuses a ``next=`` that leads off this site. Here: the page a locked-out
sign-in gets from django-axes.
"""

from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """The Japanese page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/lockout.html",
        {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )

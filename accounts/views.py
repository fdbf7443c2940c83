"""Signing in and out.

The views themselves are Django's (LoginView, LogoutView, PasswordChangeDoneView, see
``accounts.urls``) with Japanese templates in ``accounts/templates/registration/``;
LoginView already refuses a ``next=`` that leads off this site. Here: the page a locked-out
sign-in gets from django-axes, and the password change with its wrong old passwords counted
as failed sign-ins.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import render

from accounts.signals import PASSWORD_CHANGE


def lockout_response(request, original_response=None, credentials=None):
    """The Japanese page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    match = getattr(request, "resolver_match", None)
    return render(
        request,
        "registration/lockout.html",
        {
            "cooloff_minutes": minutes,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            # Locked on the password-change page: the account is signed in, and it is the
            # old password that was wrong.
            "password_change": bool(match and match.url_name == "password_change"),
        },
        status=429,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, throttled like the login page.

    A wrong old password is a failed sign-in of that username from that address for
    django-axes: after ``AXES_FAILURE_LIMIT`` of them the page (and the login page, for that
    username from that address) answers with the lockout page until the cool-off ends. So
    someone at a signed-in, unattended office PC cannot guess the password to take the
    account over. The failures are logged as "password change failed".
    """

    def credentials(self):
        return {"username": self.request.user.get_username()}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and AxesProxyHandler.is_locked(
            request, self.credentials()
        ):
            return lockout_response(request)
        return super().dispatch(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            # django-axes counts it; on the failure that reaches the limit it marks the
            # request, and its middleware answers with the lockout page.
            user_login_failed.send(
                sender=PASSWORD_CHANGE, credentials=self.credentials(), request=self.request
            )
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        reset(username=self.request.user.get_username())
        return response

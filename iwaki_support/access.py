"""View guards built on ``roles``: who may read the programme's pages.

Anonymous visitors are sent to the login page. A signed-in user without a role (an account
that is neither administrator, city staff nor coordinator) gets 403: the page exists and
the account is known, it simply has no part in the programme yet; telling them so is more
useful than pretending the page is missing. Objects outside a user's *scope* (the
coordinators' area rules) answer 404 instead; those come from the ``visible_to`` QuerySet
methods, not from here.
"""

from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from iwaki_support.roles import can_read


def reader_required(view):
    """Function-view decorator: signed in and ``can_read``, else login or 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_read(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class ReaderRequiredMixin(LoginRequiredMixin):
    """Class-view counterpart of ``reader_required``."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_read(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

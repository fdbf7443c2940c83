"""What a request says: where it came from, and the few values read from it by hand."""

import ipaddress
import re

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def client_address(request) -> str | None:
    """The address the request came from, or None when it is not a valid IP address.

    REMOTE_ADDR, unless the site runs behind its own reverse proxy (BEHIND_PROXY): then the
    last X-Forwarded-For entry, the one our proxy appended. Entries before it were written by
    the client and could say anything. The login log, django-axes and the access records all
    ask this one function.
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            address = hops[-1]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


_ID = re.compile(r"[0-9]{1,18}")


def parse_id(value) -> int | None:
    """A record id (or any positive whole number) sent in a query string or hidden field:
    ASCII digits only, at most 18 of them, above zero; None for anything else.

    Not ``str.isdigit``: it accepts superscripts (「²」) and other digits ``int`` then refuses,
    and any length, which the database then refuses as out of range.
    """
    if not isinstance(value, str) or not _ID.fullmatch(value):
        return None
    number = int(value)
    return number or None


def parse_timestamp(value):
    """An ISO date and time sent back by a form (when an edit began), aware; None when it
    is missing or not a date and time."""
    try:
        moment = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


# How long a browser or proxy may keep a public page (seconds): short, so that a re-confirmed
# date or a withdrawn entry shows within minutes (docs/decisions/0017-public-pages-cached-briefly.md).
PUBLIC_MAX_AGE = 300


def public_page(view):
    """Mark a view's response as the same for everyone: ``Cache-Control: public`` with a short
    ``max-age``, read by ``iwaki_support.middleware.NoStoreMiddleware`` as "leave it alone".

    Only for pages that show nothing about who asks: the view must not read the session, the
    user or a CSRF token, so that nothing sets a cookie or a ``Vary: Cookie``. A request that
    carries a session cookie (someone signed in, perhaps) gets a private answer instead, so a
    shared cache never stores a response that went to a signed-in user.
    """
    from functools import wraps

    from django.utils.cache import patch_cache_control

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        return response

    return wrapped

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

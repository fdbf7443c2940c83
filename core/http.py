"""What a request says about where it came from."""

import ipaddress

from django.conf import settings


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

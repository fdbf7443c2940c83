"""Recording access to supporters' personal data (個人情報保護法): one call per view, export or import.

    from activities.access import record_access
    record_access(request, action=AccessAction.EXPORT, what="サポーター名簿", group=group, rows=n)

The record goes to the database (activities.AccessRecord), never to the application log.
``what`` names the list or file, never a person: no supporter's name, contact or address.
"""

import ipaddress

from django.conf import settings

from activities.models import AccessAction, AccessRecord

WHAT_MAX_LENGTH = AccessRecord._meta.get_field("what").max_length


def client_address(request) -> str | None:
    """The address the request came from.

    REMOTE_ADDR, unless the site runs behind its own reverse proxy (BEHIND_PROXY): then the
    last X-Forwarded-For entry, the one our proxy appended. Entries before it were sent by
    the client and could say anything.
    """
    address = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            address = entries[-1]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def record_access(
    request, *, action: AccessAction | str, what: str, area=None, group=None, rows: int = 0
) -> AccessRecord:
    """Write one AccessRecord for ``request.user``; the area defaults to the group's."""
    if action not in AccessAction.values:
        raise ValueError(f"Unknown access action: {action!r}")
    if area is None and group is not None:
        area = group.council.area
    user = request.user if request.user.is_authenticated else None
    return AccessRecord.objects.create(
        user=user,
        action=action,
        what=what[:WHAT_MAX_LENGTH],
        area=area,
        group=group,
        rows=rows,
        address=client_address(request),
    )

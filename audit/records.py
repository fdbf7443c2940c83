"""Recording every use of supporters' personal data (個人情報保護法): one call per page,
export or import.

    from audit.records import record_access
    record_access(request, action=AccessAction.EXPORT, what="サポーター名簿の出力(xlsx)",
                  area_id=area.pk, group_id=group.pk, rows=n)

The record goes to the database (``audit.AccessRecord``), never to the application log.
``what`` names the page or file, never a person: no supporter's name, contact or address,
and never the words someone searched for.
"""

from collections.abc import Iterable

from audit.models import AccessAction, AccessRecord
from core.http import client_address

WHAT_MAX_LENGTH = AccessRecord._meta.get_field("what").max_length


def record_access(
    request=None,
    *,
    action: AccessAction | str,
    what: str,
    rows: int = 0,
    area_id: int | None = None,
    group_id: int | None = None,
    parts: Iterable[tuple[int | None, int | None, int]] | None = None,
    user=None,
    address: str | None = None,
) -> list[AccessRecord]:
    """Write the access record of one use of personal data by ``request.user`` from the
    request's address (or by ``user`` from ``address``, where the caller has no request).

    One use that spans several groups (an import) gives ``parts``, one ``(area_id, group_id,
    rows)`` each, and is written as one record per group in one query.
    """
    if action not in AccessAction.values:
        raise ValueError(f"Unknown access action: {action!r}")
    if user is None and request is not None:
        user = request.user
    common = {
        "user": user if getattr(user, "is_authenticated", False) else None,
        "action": action,
        "what": what[:WHAT_MAX_LENGTH],
        "address": client_address(request) if request is not None else address,
    }
    if parts is None:
        parts = [(area_id, group_id, rows)]
    return AccessRecord.objects.bulk_create(
        [
            AccessRecord(area_id=area, group_id=group, rows=count, **common)
            for area, group, count in parts
        ]
    )

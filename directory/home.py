"""The directory's section of the home page: entries to re-confirm with their providers.

``reconfirm_section(user)`` is the one call the home page makes; the section's template is
``directory/templates/directory/includes/home_reconfirm.html``. A coordinator sees the entries of their areas
that were never confirmed or not for six months, each with a one-click 「今日確認した」;
administrators see every area's; city staff, who confirm nothing, see how many there are.
Two queries, once the user's role is known.
"""

from django.db.models import F
from django.utils import timezone

from accounts.roles import can_read, changes_records
from directory.models import CONFIRM_EVERY_MONTHS, Entry

SHOWN = 10


def reconfirm_section(user, today=None) -> dict | None:
    if not can_read(user):
        return None
    today = today or timezone.localdate()
    can_confirm = changes_records(user)
    entries = Entry.objects.editable_by(user) if can_confirm else Entry.objects.all()
    due = entries.due_for_confirmation(today)
    return {
        "count": due.count(),
        "entries": list(
            due.select_related("area").order_by(
                F("confirmed_on").asc(nulls_first=True), "area__position", "sort_key", "pk"
            )[:SHOWN]
        ),
        "can_confirm": can_confirm,
        "months": CONFIRM_EVERY_MONTHS,
    }

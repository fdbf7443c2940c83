"""Writes of the directory that span models or carry a meaning of their own: saving an entry
with its schedules, confirming it with its provider (最終確認日), publishing or withdrawing it.

Each is one keyword-only function in one transaction; simple-history records the change with
the user (the request's, by HistoryRequestMiddleware) and a reason for the actions.
"""

from django.db import transaction
from django.utils import timezone

from directory.models import Entry, ScheduleKind


@transaction.atomic
def save_entry(*, form, schedules, user, confirmed_today: bool = False) -> Entry:
    """Save a valid EntryForm and its ScheduleFormSet; with ``confirmed_today`` the entry's
    最終確認日 becomes today. An entry serves at least its own area."""
    entry = form.save(commit=False)
    if confirmed_today:
        entry.confirmed_on = timezone.localdate()
        entry.confirmed_by = user
    entry.save()
    form.save_m2m()
    if not form.cleaned_data.get("service_areas"):
        entry.service_areas.set([entry.area])
    elif entry.area not in form.cleaned_data["service_areas"]:
        entry.service_areas.add(entry.area)
    schedules.instance = entry
    if entry.schedule_kind == ScheduleKind.REGULAR:
        for position, schedule in enumerate(schedules.save(commit=False), start=1):
            schedule.position = position
            schedule.save()
        for schedule in schedules.deleted_objects:
            schedule.delete()
    else:
        for schedule in entry.schedules.all():
            schedule.delete()
    return entry


@transaction.atomic
def confirm_entry(*, entry: Entry, user, on=None) -> Entry:
    """Someone confirmed the entry with its provider today: 最終確認日 moves, nothing else."""
    entry.confirmed_on = on or timezone.localdate()
    entry.confirmed_by = user
    entry._change_reason = "最終確認"
    entry.save(update_fields=["confirmed_on", "confirmed_by", "updated_at"])
    return entry


@transaction.atomic
def set_published(*, entry: Entry, published: bool, user) -> Entry:
    """Put the entry on the public pages and open data, or take it off."""
    entry.is_published = published
    entry._change_reason = "公開" if published else "公開の停止"
    entry.save(update_fields=["is_published", "updated_at"])
    return entry

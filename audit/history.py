"""Change history (django-simple-history) as people read it, and recovering deleted records.

``entries(records)`` turns historical records into "who, when, what changed (from → to)".
``deleted_records(model)`` lists the last state of every deleted record of a tracked model;
``restore(model_name, history_id)`` saves that state again under the same id.

Records loaded from fixtures get their first history entry from simple-history's
``populate_history`` after loading (``dev.py serve``, the test setup, docs/operations.md), so
that their first change shows as "from → to"; no page writes history when it is opened.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction

from core import wareki

HISTORY_TYPES = {"+": "作成", "~": "変更", "-": "削除"}

# The models whose deleted records an administrator may restore, by "app_label.ModelName".
RESTORABLE = [
    "councils.Council",
    "councils.Meeting",
    "councils.Opinion",
    "councils.FollowUp",
    "activities.SupportGroup",
    "activities.Supporter",
]


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: str
    action: str
    record: str
    changes: list[Change] = field(default_factory=list)


def _show(value) -> str:
    if value is None or value == "":
        return "(空欄)"
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, date) and not isinstance(value, datetime):
        try:
            return wareki.format_date(value)
        except wareki.WarekiError:
            return value.isoformat()
    text = str(value)
    return text if len(text) <= 80 else text[:80] + "…"


def _display(record, name, value):
    model_field = record.instance_type._meta.get_field(name)
    if model_field.choices:
        return _show(dict(model_field.flatchoices).get(value, value))
    return _show(value)


def entries(records) -> list[Entry]:
    """Readable history entries, in the order given; each change compared with the one before.

    Foreign keys show as ids (one query per entry would be the alternative); text, dates and
    choices show as people wrote them.
    """
    result = []
    for record in records:
        entry = Entry(
            when=record.history_date,
            who=record.history_user.get_username() if record.history_user_id else "(不明)",
            action=HISTORY_TYPES.get(record.history_type, record.history_type),
            record=str(record.instance) if record.history_type != "-" else _label(record),
        )
        previous = record.prev_record if record.history_type == "~" else None
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                model_field = record.instance_type._meta.get_field(change.field)
                entry.changes.append(
                    Change(
                        label=str(model_field.verbose_name),
                        old=_display(record, change.field, change.old),
                        new=_display(record, change.field, change.new),
                    )
                )
        result.append(entry)
    return result


def record_entries(*querysets, limit=50) -> list[Entry]:
    """The newest ``limit`` entries from several history querysets (a record and its parts),
    newest first."""
    records = []
    for queryset in querysets:
        records += list(queryset.select_related("history_user").order_by("-history_date")[:limit])
    records.sort(key=lambda record: record.history_date, reverse=True)
    return entries(records[:limit])


def _label(record) -> str:
    try:
        return str(record.instance)
    except ObjectDoesNotExist:
        return f"{record.instance_type._meta.verbose_name} #{record.id}"


def deleted_records(model):
    """The last historical state of each record of ``model`` that no longer exists."""
    existing = model.objects.values("pk")
    return (
        model.history.filter(history_type="-")
        .exclude(id__in=existing)
        .select_related("history_user")
        .order_by("-history_date")
    )


def _missing_parent(instance) -> str:
    """The verbose name of a record ``instance`` points at that no longer exists, or ""."""
    for model_field in instance._meta.concrete_fields:
        if not model_field.many_to_one:
            continue
        value = getattr(instance, model_field.attname)
        target = model_field.related_model
        if value is not None and not target._default_manager.filter(pk=value).exists():
            return str(model_field.verbose_name)
    return ""


class RestoreRefused(Exception):
    """The record cannot be restored; the message says why, in Japanese."""


def restorable_model(model_name):
    """The model of a restorable ``app_label.ModelName``, or None."""
    return apps.get_model(model_name) if model_name in RESTORABLE else None


def restore(model_name, history_id):
    """Save the deleted record's last state again under its own id, and return it.

    Raises ``LookupError`` when there is no such deleted record, ``RestoreRefused`` when a
    record it points at is gone or the database refuses it.
    """
    model = restorable_model(model_name)
    if model is None:
        raise LookupError(model_name)
    record = deleted_records(model).filter(history_id=history_id).first()
    if record is None:
        raise LookupError(history_id)
    instance = record.instance
    name = model._meta.verbose_name
    missing = _missing_parent(instance)
    if missing:
        raise RestoreRefused(
            f"{name}「{_label(record)}」は、{missing}が削除されているため"
            f"元に戻せません。先に{missing}を元に戻してください。"
        )
    try:
        with transaction.atomic():
            instance.save(force_insert=True)
    except IntegrityError as error:
        raise RestoreRefused(
            f"{name}「{_label(record)}」を元に戻せませんでした。"
            "つながる記録(会議の協議体など)が削除されているか、同じ内容の記録がすでにあります。"
        ) from error
    return instance


def deleted_groups(limit=200):
    """Per restorable model, its newest deleted records with their labels, for the page."""
    groups = []
    for name in RESTORABLE:
        model = apps.get_model(name)
        records = list(deleted_records(model)[:limit])
        groups.append(
            {
                "name": name,
                "verbose_name": model._meta.verbose_name,
                "records": [(record, _label(record)) for record in records],
            }
        )
    return groups

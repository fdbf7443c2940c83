"""Change history (django-simple-history) as people read it, and recovering deleted records.

``entries(records)`` turns historical records into "who, when, what changed (from → to)".
``deleted_records(model)`` lists the latest deletion of every deleted record of a tracked
model; ``versions`` shows a record's older deletions against the latest; ``restore`` saves a
deleted state again under the same id, with what ``audit.snapshots`` kept of its links.

Records loaded from fixtures get their first history entry from simple-history's
``populate_history`` after loading (``dev.py serve``, the test setup, docs/operations.md), so
that their first change shows as "from → to"; no page writes history when it is opened.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Exists, OuterRef, Subquery

from audit import snapshots
from audit.models import DeletionSnapshot
from core import wareki

HISTORY_TYPES = {"+": "作成", "~": "変更", "-": "削除"}
# The change reason of the history entry a restore writes: the entry reads 「復元」, not 「作成」.
RESTORED = "削除された記録から元に戻した"

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


def entries(records, *, with_created_values=False) -> list[Entry]:
    """Readable history entries, in the order given; each change compared with the one before.

    Foreign keys show as ids (one query per entry would be the alternative); text, dates and
    choices show as people wrote them. ``with_created_values`` lists what a created (or
    deleted) record held, as changes from or to 「(空欄)」: the conflict pages show the other
    person's text whatever they did with it.
    """
    result = []
    for record in records:
        entry = Entry(
            when=record.history_date,
            who=record.history_user.get_username() if record.history_user_id else "(不明)",
            action="復元"
            if record.history_type == "+" and record.history_change_reason == RESTORED
            else HISTORY_TYPES.get(record.history_type, record.history_type),
            record=str(record.instance) if record.history_type != "-" else _label(record),
        )
        previous = record.prev_record if record.history_type == "~" else None
        if with_created_values and record.history_type in "+-":
            entry.changes += _values_of(record, removed=record.history_type == "-")
        elif previous is not None:
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


def _values_of(record, *, removed) -> list[Change]:
    """The filled-in text, date and choice fields of a historical record (not its links)."""
    found = []
    for model_field in record.instance_type._meta.concrete_fields:
        if (
            model_field.primary_key
            or model_field.is_relation
            or not model_field.editable
            or model_field.name == "position"
        ):
            continue
        value = getattr(record, model_field.attname, None)
        if value is None or value == "" or value is False:
            continue
        shown = _display(record, model_field.name, value)
        found.append(
            Change(
                label=str(model_field.verbose_name),
                old=shown if removed else _show(None),
                new=_show(None) if removed else shown,
            )
        )
    return found


def record_entries(*querysets, limit=50) -> list[Entry]:
    """The newest ``limit`` entries from several history querysets (a record and its parts),
    newest first."""
    records = []
    for queryset in querysets:
        records += list(queryset.select_related("history_user").order_by("-history_date")[:limit])
    records.sort(key=lambda record: record.history_date, reverse=True)
    return entries(records[:limit])


def label_of(record) -> str:
    """What a historical record is called on the pages, even when its record is gone."""
    return _label(record)


def _label(record) -> str:
    try:
        return str(record.instance)
    except ObjectDoesNotExist:
        return f"{record.instance_type._meta.verbose_name} #{record.id}"


def deleted_records(model):
    """The latest deletion of each record of ``model`` that no longer exists, newest first,
    with ``deletions``: how many times that record has been deleted (older ones are offered
    only on its versions page)."""
    existing = model.objects.values("pk")
    deletions = model.history.filter(history_type="-")
    later = deletions.filter(id=OuterRef("id"), history_id__gt=OuterRef("history_id"))
    count = (
        deletions.filter(id=OuterRef("id"))
        .order_by()
        .values("id")
        .annotate(n=Count("history_id"))
        .values("n")
    )
    return (
        deletions.exclude(id__in=existing)
        .exclude(Exists(later))
        .annotate(deletions=Subquery(count))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


class RestoreRefused(Exception):
    """The record cannot be restored; the message says why, in Japanese."""


class OlderVersion(RestoreRefused):
    """The deletion asked for is not the record's latest: restore it only on purpose."""


def restorable_model(model_name):
    """The model of a restorable ``app_label.ModelName``, or None."""
    return apps.get_model(model_name) if model_name in RESTORABLE else None


@dataclass
class Restored:
    instance: object
    notes: list[str] = field(default_factory=list)
    related: int = 0


def restore(model_name, history_id, *, older=False, with_related=False) -> Restored:
    """Bring a deleted record back under its own id as it was deleted: its fields, its
    many-to-many links, the rows deleted with it and the links other rows had to it
    (``audit.snapshots``). With ``with_related``, the records deleted with it that have a
    history of their own (a meeting's opinions and follow-ups) come back in the same step.

    Raises ``LookupError`` when there is no such deleted record, ``OlderVersion`` when a later
    deletion of the same record exists and ``older`` was not given, ``RestoreRefused`` when a
    record it needs is gone or the database refuses it. All or nothing.
    """
    model = restorable_model(model_name)
    if model is None:
        raise LookupError(model_name)
    record = model.history.filter(history_id=history_id, history_type="-").first()
    if record is None or model.objects.filter(pk=record.id).exists():
        raise LookupError(history_id)
    latest = model.history.filter(id=record.id, history_type="-").latest("history_id")
    if latest.history_id != record.history_id and not older:
        raise OlderVersion(
            f"{model._meta.verbose_name}「{_label(record)}」のこの削除は古い版です。"
            "最新の削除との違いを確かめてから、古い版として元に戻してください。"
        )
    try:
        with transaction.atomic():
            result = _restore_one(model, record)
            if with_related:
                result.related = _restore_related(model, record, result)
    except IntegrityError as error:
        raise RestoreRefused(
            f"{model._meta.verbose_name}「{_label(record)}」を元に戻せませんでした。"
            "つながる記録(会議の協議体など)が削除されているか、同じ内容の記録がすでにあります。"
        ) from error
    return result


def _restore_one(model, record) -> Restored:
    instance = record.instance
    result = Restored(instance)
    snapshot = snapshots.of(model, record.history_id)
    if snapshot is not None:
        snapshots.apply_fields(instance, snapshot)
    for model_field in instance._meta.concrete_fields:
        if not model_field.many_to_one:
            continue
        value = getattr(instance, model_field.attname)
        target = model_field.related_model
        if value is None or target._default_manager.filter(pk=value).exists():
            continue
        name = str(model_field.verbose_name)
        if not (model_field.null and model_field.remote_field.on_delete is models.SET_NULL):
            raise RestoreRefused(
                f"{model._meta.verbose_name}「{_label(record)}」は、{name}が削除されているため"
                f"元に戻せません。先に{name}を元に戻してください。"
            )
        # An optional link to a record that is itself deleted: restored without it, and
        # linked again when that record returns.
        setattr(instance, model_field.attname, None)
        target_deletion = (
            target.history.filter(id=value, history_type="-").order_by("-history_id").first()
            if snapshots.has_history(target)
            else None
        )
        if target_deletion is not None:
            snapshots.add_link(
                target,
                value,
                target_deletion.history_id,
                f"{model._meta.label}.{model_field.name}",
                record.id,
            )
        result.notes.append(
            f"{name}は削除されているため、つながりを外して元に戻しました。"
            f"その{name}を元に戻すと、つながりも戻ります。"
        )
    instance._change_reason = RESTORED
    with transaction.atomic():
        instance.save(force_insert=True)
        if snapshot is not None:
            snapshots.apply_relations(instance, snapshot)
    return result


def _restore_related(model, record, result) -> int:
    """Restore the records deleted with ``record`` (its snapshot's children) that are still
    deleted, each from its own deletion at that time. Returns how many came back."""
    snapshot = snapshots.of(model, record.history_id)
    if snapshot is None:
        return 0
    restored = 0
    for child_label, ids in (snapshot.data.get("children") or {}).items():
        child_model = apps.get_model(child_label)
        existing = set(child_model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for child_id in ids:
            if child_id in existing:
                continue
            # Its deletion with this record: children are deleted just before their parent.
            child_record = (
                child_model.history.filter(
                    id=child_id, history_type="-", history_date__lte=record.history_date
                )
                .order_by("-history_id")
                .first()
            )
            if child_record is None:
                continue
            child = _restore_one(child_model, child_record)
            result.notes += child.notes
            restored += 1
    return restored


def related_counts(model, records) -> dict[int, list[tuple[str, int]]]:
    """Per deletion (history id) of ``records``: [(verbose name, how many)] of the records
    deleted with it that are still deleted."""
    found = {}
    snapshots_by_id = {
        s.history_id: s
        for s in DeletionSnapshot.objects.filter(
            model=model._meta.label, history_id__in=[r.history_id for r in records]
        )
    }
    wanted = defaultdict(set)
    for snapshot in snapshots_by_id.values():
        for child_label, ids in (snapshot.data.get("children") or {}).items():
            wanted[child_label].update(ids)
    existing = {
        child_label: set(
            apps.get_model(child_label).objects.filter(pk__in=ids).values_list("pk", flat=True)
        )
        for child_label, ids in wanted.items()
    }
    for history_id, snapshot in snapshots_by_id.items():
        counts = []
        for child_label, ids in (snapshot.data.get("children") or {}).items():
            missing = [pk for pk in ids if pk not in existing[child_label]]
            if missing:
                counts.append((apps.get_model(child_label)._meta.verbose_name, len(missing)))
        if counts:
            found[history_id] = counts
    return found


@dataclass
class DeletedItem:
    record: object
    label: str
    older: int = 0
    related: list[tuple[str, int]] = field(default_factory=list)


def deleted_groups(limit=200):
    """Per restorable model, the latest deletion of its deleted records with their labels,
    how many older deletions each has and what was deleted with it, for the page."""
    groups = []
    for name in RESTORABLE:
        model = apps.get_model(name)
        records = list(deleted_records(model)[:limit])
        related = related_counts(model, records)
        groups.append(
            {
                "name": name,
                "verbose_name": model._meta.verbose_name,
                "personal_data": getattr(model, "holds_personal_data", False),
                "records": [
                    DeletedItem(
                        record=record,
                        label=_label(record),
                        older=(record.deletions or 1) - 1,
                        related=related.get(record.history_id, []),
                    )
                    for record in records
                ],
            }
        )
    return groups


@dataclass
class Version:
    record: object
    is_latest: bool
    changes: list[Change] = field(default_factory=list)


def versions(model_name, object_id) -> tuple[object, list[Version]]:
    """Every deletion of a record that is deleted now, newest first, each older one with how
    it differs from the latest (``Change.old`` the latest, ``Change.new`` that version)."""
    model = restorable_model(model_name)
    if model is None or model.objects.filter(pk=object_id).exists():
        raise LookupError(model_name)
    records = list(
        model.history.filter(id=object_id, history_type="-")
        .select_related("history_user")
        .order_by("-history_id")
    )
    if not records:
        raise LookupError(object_id)
    latest = records[0]
    found = [Version(latest, True)]
    for record in records[1:]:
        delta = record.diff_against(latest)
        found.append(
            Version(
                record,
                False,
                [
                    Change(
                        label=str(model._meta.get_field(change.field).verbose_name),
                        old=_display(record, change.field, change.old),
                        new=_display(record, change.field, change.new),
                    )
                    for change in delta.changes
                ],
            )
        )
    return model, found

"""Change history (django-simple-history) as people read it, and recovering deleted records.

``entries(records)`` turns historical records into "who, when, what changed (from → to)".
The deleted-records page lists the last state of every deleted record of the tracked models;
an administrator restores one with a POST, which saves that state again under the same id.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from iwaki_support import wareki
from iwaki_support.roles import Role, role_of

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


def ensure_baseline(instance):
    """Give a record loaded without history (fixtures load raw, so simple-history skips them)
    a first history entry, so that its first change can be shown as "from → to"."""
    manager = type(instance).history
    if not manager.filter(**{type(instance)._meta.pk.attname: instance.pk}).exists():
        manager.bulk_history_create([instance], default_change_reason="記録の読み込み時の内容")


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


def _require_administrator(request):
    if role_of(request.user) != Role.ADMINISTRATOR:
        raise Http404


@login_required
@require_GET
def deleted_list(request):
    _require_administrator(request)
    groups = []
    for name in RESTORABLE:
        model = apps.get_model(name)
        records = list(deleted_records(model)[:200])
        groups.append(
            {
                "name": name,
                "verbose_name": model._meta.verbose_name,
                "records": [(record, _label(record)) for record in records],
            }
        )
    return render(request, "history/deleted_list.html", {"groups": groups})


@require_POST
@login_required
def restore(request, model_name, history_id):
    _require_administrator(request)
    if model_name not in RESTORABLE:
        raise Http404
    model = apps.get_model(model_name)
    record = deleted_records(model).filter(history_id=history_id).first()
    if record is None:
        raise Http404
    instance = record.instance
    missing = _missing_parent(instance)
    if missing:
        messages.error(
            request,
            f"{model._meta.verbose_name}「{_label(record)}」は、{missing}が削除されているため"
            f"元に戻せません。先に{missing}を元に戻してください。",
        )
        return redirect("deleted-records")
    try:
        with transaction.atomic():
            instance.save(force_insert=True)
    except IntegrityError:
        messages.error(
            request,
            f"{model._meta.verbose_name}「{_label(record)}」を元に戻せませんでした。"
            "つながる記録(会議の協議体など)が削除されているか、同じ内容の記録がすでにあります。",
        )
        return redirect("deleted-records")
    messages.success(request, f"{model._meta.verbose_name}「{instance}」を元に戻しました。")
    url = getattr(instance, "get_absolute_url", None)
    return redirect(url() if url else "deleted-records")

"""Writes of the activities app that span several models: the supporter import, and the
access records of supporters' personal data.

Reading and planning a file is ``activities.imports``; what is written here is exactly a plan
without errors, in one transaction: the supporters (with their history and help categories),
the record of the import, and one access record per group.

The import page, the admin and the ``import_supporters`` command share this one write path:
``preview_import`` keeps a clean plan as a ``PendingImport``, ``confirm_import`` writes it
with ``apply_import`` (the command calls ``import_file``, which reads and writes at once).

Three writes use SQL of their own instead of the ORM, because the import benchmark showed the
ORM's per-row instances cost more than reading the file (docs/decisions/0006-raw-sql-in-the-supporter-import.md);
``tests/activities/test_import_sql.py`` fails if the tables they write change shape.
"""

import contextlib
import uuid
from collections import Counter

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from activities.imports import Action, Entry, ImportPlan, ImportRefused, plan, prepare
from activities.models import (
    ImportSource,
    PendingImport,
    Supporter,
    SupporterImport,
    SupportGroup,
)
from audit.models import AccessAction
from audit.records import record_access
from core.spreadsheets import checksum


def preview_import(
    data: bytes,
    *,
    user,
    file_name: str,
    default_group=None,
    encoding=None,
    sheet=None,
    blank_clears=False,
    end_missing=False,
) -> tuple[ImportPlan, PendingImport | None]:
    """Read and plan a file against the groups whose personal data ``user`` may see; keep a
    plan without errors as a ``PendingImport`` for ``confirm_import``.

    Stale previews (anyone's) and ``user``'s earlier ones are deleted: their rows are
    personal data and must not linger.
    """
    result = prepare(
        data,
        filename=file_name,
        allowed_groups=SupportGroup.objects.with_personal_data_for(user),
        default_group=default_group,
        encoding=encoding,
        sheet=sheet,
        blank_clears=blank_clears,
        end_missing=end_missing,
    )
    with transaction.atomic():
        PendingImport.objects.stale().delete()
        PendingImport.objects.filter(user=user).delete()
        if not result.ok:
            return result, None
        pending = PendingImport.objects.create(
            user=user,
            file_name=file_name[:255],
            checksum=checksum(data),
            digest=result.digest,
            payload={
                "fields": result.fields,
                "notices": result.notices,
                "entries": [entry.to_json() for entry in result.entries],
                "blank_clears": result.blank_clears,
                "end_missing": result.end_missing,
            },
        )
    return result, pending


def pending_import(user, token) -> PendingImport | None:
    """``user``'s previewed import with this token (as posted), or None."""
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        return None
    return PendingImport.objects.filter(token=token, user=user).first()


EXPIRED = (
    "確認画面の有効期限(12時間)が切れました。取り込んでいません。"
    "もう一度ファイルを選んで確認してください。"
)
ALREADY_CONFIRMED = (
    "この確認画面の取込はすでに行われたか、ほかの操作で取り消されました。"
    "「取り込む」は一度だけ押してください。結果は取込の記録で確認できます。"
)
ALREADY_CONFIRMED_OR_GONE = (
    "この確認画面の取込はすでに行われたか、有効期限(12時間)が切れています。"
    "取り込まれたかどうかは下の取込の記録で確認できます。取り込まれていなければ、"
    "もう一度ファイルを選んで確認してください。"
)
BUSY = (
    "ほかの取込を書き込んでいる最中のため取り込めませんでした。"
    "取込の記録を確認し、必要ならもう一度ファイルを選んでください。"
)


def confirm_import(pending: PendingImport, *, user, source: str, address=None) -> SupporterImport:
    """Import exactly what ``pending`` previewed, or nothing: raises ``ImportRefused``.

    A preview older than 12 hours is refused (and deleted). The pending import is claimed
    first, inside the write's transaction, by a DELETE that must remove exactly its row: of
    two confirmations (two clicks, or two requests racing) only the first writes, the other
    is refused with a message, on SQLite ("database is locked" included) as on PostgreSQL.
    The groups are checked against ``user``'s scope again (it may have changed since the
    preview), and ``apply_import`` plans the rows again against the database. The pending
    import is gone afterwards either way.
    """
    if pending.expired():
        PendingImport.objects.filter(pk=pending.pk).delete()
        raise ImportRefused(EXPIRED)
    payload = pending.payload
    result = ImportPlan(
        entries=[Entry.from_json(item) for item in payload["entries"]],
        fields=payload["fields"],
        notices=payload["notices"],
        blank_clears=payload.get("blank_clears", False),
        end_missing=payload.get("end_missing", False),
    )
    allowed = set(SupportGroup.objects.with_personal_data_for(user).values_list("pk", flat=True))
    try:
        with transaction.atomic():
            claimed, _ = PendingImport.objects.filter(pk=pending.pk).delete()
            if claimed != 1:
                raise ImportRefused(ALREADY_CONFIRMED)
            if not result.group_ids <= allowed:
                raise ImportRefused("担当する圏域外の団体が含まれているため取り込めません。")
            return apply_import(
                result,
                user=user,
                source=source,
                file_name=pending.file_name,
                file_checksum=pending.checksum,
                address=address,
                expected_digest=pending.digest,
            )
    except OperationalError as error:
        # SQLite: another write (the first click) holds the database.
        if "locked" not in str(error):
            raise
        raise ImportRefused(BUSY) from error
    finally:
        # A refusal rolled the claim back: the preview must not stay confirmable.
        _forget(pending)


def _forget(pending: PendingImport) -> None:
    # When the database is busy the preview stays until it is purged (next preview, cron);
    # confirming it meanwhile still compares the database with what it showed.
    with contextlib.suppress(OperationalError):
        PendingImport.objects.filter(pk=pending.pk).delete()


def apply_import(
    result: ImportPlan,
    *,
    user,
    source: str,
    file_name: str,
    file_checksum: str,
    address: str | None = None,
    expected_digest: str | None = None,
) -> SupporterImport:
    """Write the plan, all or nothing, and record it. Raises ``ImportRefused``.

    The plan is made again inside the transaction, so what is written is compared with the
    database as it is now; with ``expected_digest`` (the preview's) any difference refuses.
    """
    try:
        with transaction.atomic():
            plan(result)
            if not result.ok:
                raise ImportRefused("取り込めない行があります。")
            if expected_digest is not None and result.digest != expected_digest:
                raise ImportRefused(
                    "確認の後にサポーターの登録内容が変わりました。もう一度ファイルを選んで確認してください。"
                )
            record = _write(
                result, user=user, source=source, file_name=file_name, file_checksum=file_checksum
            )
            record_import_access(result, record, user=user, address=address)
    except IntegrityError as error:
        raise ImportRefused(
            "同時に別の取込が行われたため取り込めませんでした。もう一度ファイルを選んでください。"
        ) from error
    return record


def _write(result: ImportPlan, *, user, source, file_name, file_checksum) -> SupporterImport:
    history_user = user if getattr(user, "is_authenticated", False) else None
    counts = result.counts
    record = SupporterImport.objects.create(
        user=history_user,
        source=source,
        file_name=file_name[:255],
        checksum=file_checksum,
        rows=len(result.entries),
        created=counts[Action.NEW],
        updated=counts[Action.UPDATE],
        unchanged=counts[Action.UNCHANGED],
        duplicates=counts[Action.DUPLICATE],
        ended=result.ended_count,
    )
    record.groups.set(result.group_ids)
    reason = f"サポーター名簿の取込 #{record.pk}"
    today = timezone.localdate()
    new, updates, categories = [], [], {}
    update_fields = [k for k in result.fields if k != "help_categories"]
    updating = [e for e in result.entries if e.action == Action.UPDATE]
    current = Supporter.objects.in_bulk([e.supporter_id for e in updating]) if updating else {}
    for entry in result.entries:
        if entry.action == Action.NEW:
            values = {**_NEW_DEFAULTS, **entry.values}
            values.update(group_id=entry.group_id, name_key=entry.name_key)
            values.update(active=entry.active, ended_on=None if entry.active else today)
            new.append((values, entry.values.get("help_categories", ())))
        elif entry.action == Action.UPDATE:
            supporter = current[entry.supporter_id]
            # Only what the plan changes: a blank cell kept the stored value unless cleared.
            for key in update_fields:
                if key in entry.write:
                    setattr(supporter, key, entry.write[key])
            supporter.name_key = entry.name_key
            if entry.active:
                supporter.active, supporter.ended_on = True, None
            elif supporter.active:
                supporter.active, supporter.ended_on = False, today
            updates.append(supporter)
            if "help_categories" in entry.write:
                categories[supporter.pk] = entry.write["help_categories"]
    if result.missing:
        # Registered supporters of the file's groups it does not list, when chosen.
        ended = [m["id"] for m in result.missing]
        for start in range(0, len(ended), 500):
            Supporter.objects.filter(pk__in=ended[start : start + 500], active=True).update(
                active=False, ended_on=today
            )
        _history(ended, "~", history_user, reason)
    if new:
        ids = _insert_supporters([values for values, _ in new])
        _history(ids, "+", history_user, reason)
        categories.update({pk: c for pk, (_, c) in zip(ids, new, strict=True) if c})
    if updates:
        Supporter.objects.bulk_update(
            updates, [*update_fields, "name_key", "active", "ended_on"], batch_size=500
        )
        _history([s.pk for s in updates], "~", history_user, reason)
    if categories:
        _replace_categories(categories, ids if new else [])
    return record


_INSERTED = [
    "group_id",
    "name",
    "name_key",
    "kana",
    "phone",
    "address",
    "birth_date",
    "registered_on",
    "active",
    "ended_on",
    "note",
]


_NEW_DEFAULTS = {
    "kana": "",
    "phone": "",
    "address": "",
    "birth_date": None,
    "registered_on": None,
    "active": True,
    "ended_on": None,
    "note": "",
}


def _insert_supporters(rows: list[dict]) -> list[int]:
    """Insert new supporters with one prepared statement; return their ids in order.

    ``bulk_create`` spends most of its time building a model instance and its SQL per row;
    executemany hands the rows to the driver as they are. The ids are read back by
    (group, name key), which the database keeps unique.
    """
    quote = connection.ops.quote_name
    table = quote(Supporter._meta.db_table)
    date_value = connection.ops.adapt_datefield_value
    dates = {"birth_date", "registered_on", "ended_on"}
    values = [
        tuple(date_value(row[c]) if c in dates else row[c] for c in _INSERTED) for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(quote(c) for c in _INSERTED)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(_INSERTED))})",
            values,
        )
    group_ids = {row["group_id"] for row in rows}
    keys = {
        (group_id, name_key): pk
        for pk, group_id, name_key in Supporter.objects.filter(group_id__in=group_ids)
        .order_by()
        .values_list("id", "group_id", "name_key")
    }
    return [keys[(row["group_id"], row["name_key"])] for row in rows]


def _history(ids: list[int], history_type: str, user, reason: str) -> None:
    """History rows (django-simple-history) for bulk-written supporters, copied in SQL.

    ``bulk_create_with_history`` builds a second model instance per row in Python; copying
    the rows just written with INSERT … SELECT gives the same history rows at a fraction of
    the cost. The history table has the supporter's columns plus the history_* ones.
    """
    history = Supporter.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in Supporter._meta.concrete_fields)
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = user.pk if user is not None else None
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            cursor.execute(
                # Table and column names come from the models; every value is a parameter.
                f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, "  # noqa: S608
                "history_type, history_user_id, history_change_reason) "
                f"SELECT {columns}, %s, %s, %s, %s FROM {quote(Supporter._meta.db_table)} "
                f"WHERE id IN ({', '.join(['%s'] * len(batch))})",
                [when, history_type, user_id, reason, *batch],
            )


def _replace_categories(categories: dict[int, tuple[int, ...]], new_ids: list[int]) -> None:
    """Set the help categories of the given supporters: links of updated ones are replaced."""
    through = Supporter.help_categories.through
    fresh = set(new_ids)
    stale = [pk for pk in categories if pk not in fresh]
    for start in range(0, len(stale), 500):
        through.objects.filter(supporter_id__in=stale[start : start + 500]).delete()
    quote = connection.ops.quote_name
    rows = [(pk, category) for pk, cs in categories.items() for category in cs]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(through._meta.db_table)} (supporter_id, helpcategory_id) "  # noqa: S608
            "VALUES (%s, %s)",
            rows,
        )


def record_import_access(result: ImportPlan, record: SupporterImport, *, user, address) -> None:
    """One access record per group the import wrote to (the personal data it handled)."""
    per_group = Counter(e.group_id for e in result.entries if e.group_id is not None)
    areas = dict(
        SupportGroup.objects.filter(pk__in=per_group).values_list("pk", "council__area_id")
    )
    record_access(
        action=AccessAction.IMPORT,
        what=f"サポーター名簿の取込 #{record.pk}",
        user=user,
        address=address,
        parts=[(areas[pk], pk, rows) for pk, rows in sorted(per_group.items())],
    )


def record_preview_access(request, result: ImportPlan, what: str) -> None:
    """The preview of an import shows the file's rows next to what is registered (new,
    changed, unchanged): one view record per group it read, when it read any."""
    per_group = Counter(e.group_id for e in result.entries if e.group_id is not None)
    # The supporters it would end are shown by name too.
    groups_by_label = {e.group_label: e.group_id for e in result.entries}
    per_group.update(groups_by_label[m["group"]] for m in result.missing)
    if not per_group:
        return
    areas = dict(
        SupportGroup.objects.filter(pk__in=per_group).values_list("pk", "council__area_id")
    )
    record_access(
        request,
        action=AccessAction.VIEW,
        what=what,
        parts=[(areas.get(pk), pk, rows) for pk, rows in sorted(per_group.items())],
    )


def record_supporters_access(request, action, what, supporters, *, group=None) -> None:
    """One access record for a page or export of supporters: who, when, how many, from where.

    Never the names or the search words. The area (and group) are those the rows belong to
    when there is exactly one. ``supporters`` come with ``group__council`` selected.
    """
    areas = {s.group.council.area_id for s in supporters}
    groups = {s.group_id for s in supporters}
    record_access(
        request,
        action=action,
        what=what,
        rows=len(supporters),
        area_id=areas.pop() if len(areas) == 1 else None,
        group_id=group.pk if group else (groups.pop() if len(groups) == 1 else None),
    )


def import_file(
    data: bytes,
    *,
    filename: str,
    user,
    source: str = ImportSource.COMMAND,
    allowed_groups=None,
    default_group=None,
    encoding=None,
    sheet=None,
    dry_run=False,
    address=None,
    blank_clears=False,
    end_missing=False,
) -> tuple[ImportPlan, SupporterImport | None]:
    """Read, plan and (unless ``dry_run`` or any error) write: the command's one call."""
    if allowed_groups is None:
        allowed_groups = SupportGroup.objects.all()
    result = prepare(
        data,
        filename=filename,
        allowed_groups=allowed_groups,
        default_group=default_group,
        encoding=encoding,
        sheet=sheet,
        blank_clears=blank_clears,
        end_missing=end_missing,
    )
    if not result.ok or dry_run:
        return result, None
    record = apply_import(
        result,
        user=user,
        source=source,
        file_name=filename,
        file_checksum=checksum(data),
        address=address,
    )
    return result, record


# --- a supporter's own page: edit, end and resume a registration ------------------------------


class EditConflict(Exception):
    """The supporter was saved by someone else (or an import) since the edit began."""


def supporter_version(supporter) -> int:
    """The supporter's version: its newest history entry's id (0 before any). Every write
    of a supporter (this page, the import, the admin) adds a history entry."""
    latest = (
        Supporter.history.filter(id=supporter.pk)
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
    )
    return latest or 0


def _claim(supporter: Supporter, base_version) -> Supporter:
    """Lock the supporter's row for this transaction and check it is still at ``base_version``
    (its newest history entry, docs/decisions/0025); raise ``EditConflict`` if not."""
    current = Supporter.objects.select_for_update().get(pk=supporter.pk)
    if base_version is None or supporter_version(current) != base_version:
        raise EditConflict
    return current


def save_supporter(form) -> Supporter:
    """Save an edit of a supporter, unless someone saved it since the edit began. The
    history entry's user is the request's (simple-history's middleware)."""
    with transaction.atomic():
        _claim(form.instance, form.cleaned_data.get("base_version"))
        supporter = form.save(commit=False)
        supporter._change_reason = "サポーターのページで編集"
        supporter.save()
        form.save_m2m()
    return supporter


def end_registration(supporter: Supporter, *, ended_on, note=None, base_version) -> Supporter:
    """登録終了: ``active`` off, ``ended_on`` the day (None: not known), history kept."""
    with transaction.atomic():
        current = _claim(supporter, base_version)
        if not current.active:
            raise EditConflict
        current.active = False
        current.ended_on = ended_on
        if note is not None:
            current.note = note
        current._change_reason = "登録終了"
        current.save()
    return current


def resume_registration(supporter: Supporter, *, base_version) -> Supporter:
    """登録を再開: registered again from now; the end date is cleared (the history keeps it)."""
    with transaction.atomic():
        current = _claim(supporter, base_version)
        if current.active:
            raise EditConflict
        current.active = True
        current.ended_on = None
        current._change_reason = "登録を再開"
        current.save()
    return current

"""What a record was linked to when it was deleted, taken before Django removes it, and put
back when it is restored (``audit.history.restore``).

A snapshot holds, read from the model's own relations so that no model is named here:

* ``fields``: the values of fields the history leaves out (a meeting's ``version``);
* ``many``: the ids of every many-to-many, declared on the record or on the other model
  (an opinion's help categories are declared on ``needs_survey.HelpCategory``);
* ``links``: per ``app_label.Model.field``, the ids of the rows whose ``SET_NULL`` foreign key
  pointed at the record (the later opinions that continued it, the access records that
  named a group): the deletion clears them without writing any history;
* ``rows``: the rows deleted with it that have no history of their own (a council's member
  organisations, a group's services and reported counts), serialised whole;
* ``children``: per ``app_label.Model``, the ids of rows deleted with it that do have a history
  (a meeting's opinions and follow-ups): restored from their own deletion, on request in the
  same step.

Why a snapshot at all and not simple-history's own many-to-many history:
docs/decisions/0015-deletion-snapshots.md.
"""

from django.apps import apps
from django.core import serializers
from django.db import models
from django.db.models.signals import pre_delete
from simple_history.signals import post_create_historical_record

from audit.models import DeletionSnapshot

_PENDING = "_audit_deletion_snapshot"


def label(model) -> str:
    return model._meta.label


def has_history(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def _many_to_many(model):
    """(accessor name, relation) of every many-to-many through an auto-created table."""
    for relation in model._meta.get_fields():
        if not relation.many_to_many:
            continue
        if relation.auto_created:  # declared on the other model
            through = relation.through
            name = relation.get_accessor_name()
        else:
            through = relation.remote_field.through
            name = relation.name
        if through._meta.auto_created:
            yield name, relation


def _pointing_here(model):
    """The reverse foreign keys of ``model`` (other rows that point at it), hidden ones too,
    leaving out the tables of many-to-manys (simple-history's copies point here with
    ``DO_NOTHING``, which the callers leave alone)."""
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.one_to_many or (relation.one_to_one and relation.auto_created)):
            continue
        if relation.related_model._meta.auto_created:
            continue
        yield relation


def capture(instance) -> dict:
    """The snapshot of ``instance`` as it is now (just before its deletion)."""
    model = type(instance)
    history = getattr(model, model._meta.simple_history_manager_attribute).model
    data = {"fields": {}, "many": {}, "links": {}, "rows": [], "children": {}}
    for name in history._history_excluded_fields:
        field = model._meta.get_field(name)
        data["fields"][field.attname] = field.value_from_object(instance)
    for name, _relation in _many_to_many(model):
        data["many"][name] = sorted(getattr(instance, name).values_list("pk", flat=True))
    for relation in _pointing_here(model):
        related, field = relation.related_model, relation.field
        rows = related._default_manager.filter(**{field.name: instance.pk}).order_by("pk")
        on_delete = relation.on_delete
        if on_delete is models.SET_NULL:
            ids = list(rows.values_list("pk", flat=True))
            if ids:
                data["links"][f"{label(related)}.{field.name}"] = ids
        elif on_delete is models.CASCADE:
            if has_history(related):
                ids = list(rows.values_list("pk", flat=True))
                if ids:
                    data["children"][label(related)] = ids
            else:
                data["rows"] += serializers.serialize("python", rows)
    return data


def _take(sender, instance, **kwargs):
    setattr(instance, _PENDING, capture(instance))


def _keep(sender, instance, history_instance, **kwargs):
    snapshot = getattr(instance, _PENDING, None)
    if history_instance.history_type != "-" or snapshot is None:
        return
    DeletionSnapshot.objects.create(
        model=label(type(instance)),
        object_id=instance.pk,
        history_id=history_instance.history_id,
        data=snapshot,
    )


def connect(model_labels) -> None:
    """Take a snapshot of every deleted record of these models (``AuditConfig.ready``).

    Signals, though the project keeps business logic out of them: a record is deleted from
    many places (a page, a cascade from its meeting, the admin's bulk action), and only the
    deletion itself sees all of them, as simple-history's own history row does.
    """
    for model_label in model_labels:
        model = apps.get_model(model_label)
        history = getattr(model, model._meta.simple_history_manager_attribute).model
        pre_delete.connect(_take, sender=model, dispatch_uid=f"audit-snapshot-{model_label}")
        post_create_historical_record.connect(
            _keep, sender=history, dispatch_uid=f"audit-snapshot-keep-{model_label}"
        )


def of(model, history_id) -> DeletionSnapshot | None:
    return DeletionSnapshot.objects.filter(model=label(model), history_id=history_id).first()


# --- putting it back ----------------------------------------------------------------------


def apply_fields(instance, snapshot) -> None:
    for attname, value in (snapshot.data.get("fields") or {}).items():
        field = next(f for f in instance._meta.concrete_fields if f.attname == attname)
        setattr(instance, attname, field.to_python(value))


def apply_relations(instance, snapshot) -> None:
    """Put back the many-to-manys, the rows deleted with it and the links of other rows.

    Only what still exists is linked; a link someone has set to something else since the
    deletion is left as they set it.
    """
    data = snapshot.data
    model = type(instance)
    names = dict(_many_to_many(model))
    for name, ids in (data.get("many") or {}).items():
        relation = names.get(name)
        if relation is None:
            continue
        # The other side, whichever model declares the field.
        existing = relation.related_model._default_manager.filter(pk__in=ids).values_list(
            "pk", flat=True
        )
        getattr(instance, name).set(list(existing))
    for row in serializers.deserialize("python", data.get("rows") or []):
        row.save()
    for key, ids in (data.get("links") or {}).items():
        model_label, field_name = key.rsplit(".", 1)
        relink(apps.get_model(model_label), field_name, ids, instance.pk)


def relink(model, field_name, ids, target_pk) -> None:
    """Point ``field_name`` of the rows ``ids`` of ``model`` at ``target_pk`` again, where the
    deletion left it empty. Rows with a history are saved one by one, so the change shows."""
    field = model._meta.get_field(field_name)
    rows = model._default_manager.filter(pk__in=ids, **{f"{field_name}__isnull": True})
    if has_history(model):
        for row in rows:
            setattr(row, field.attname, target_pk)
            row.save(update_fields=[field.attname])
    else:
        rows.update(**{field.attname: target_pk})


def add_link(model, object_id, history_id, key, pk) -> None:
    """Remember that row ``pk`` (``key`` = ``app_label.Model.field``) pointed at the deleted
    record ``object_id`` of ``model``: restored without it, it is linked again when that
    record returns."""
    snapshot, _ = DeletionSnapshot.objects.get_or_create(
        model=label(model),
        history_id=history_id,
        defaults={"object_id": object_id, "data": {}},
    )
    links = snapshot.data.setdefault("links", {})
    if pk not in links.setdefault(key, []):
        links[key].append(pk)
    snapshot.save(update_fields=["data"])

"""django-import-export resources: the admin's supporter import, on the import engine.

The admin reads files through ``SupporterFileFormat``, i.e. through the same reading and
validation as the import page and the command (``activities.imports``): header under title
rows, cp932, era dates, kana, the zip-bomb and size checks. The resulting dataset has one
column per model field plus the row's errors. ``SupporterResource`` then plans the rows with
the engine (identity by group and normalised name, exact duplicates once, conflicting
duplicates an error) and lets import-export write them row by row, with every safety on:

* ``use_transactions``: the whole import is one transaction;
* ``clean_model_instances``: every instance passes ``full_clean()``;
* ``import_data`` always rolls back on validation errors (the library's default writes the
  valid rows and skips the others), and any row with an engine error is a validation error.
"""

import tablib
from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets
from import_export.formats.base_formats import Format

from activities.imports import (
    FIELDS,
    Action,
    Entry,
    ImportPlan,
    plan,
    read_supporter_file,
)
from activities.models import ImportSource, Supporter, SupporterImport, SupportGroup
from activities.services import record_import_access
from core.http import client_address
from core.spreadsheets import SpreadsheetError, checksum
from needs_survey.models import HelpCategory

ROW = "行"
ERRORS = "errors"


class SupporterFileFormat(Format):
    """xlsx or CSV (UTF-8 or Shift_JIS, detected), read by the supporter import engine."""

    def get_title(self):
        return "xlsx / csv"

    def get_extension(self):
        return "xlsx"

    def can_import(self):
        return True

    def create_dataset(self, in_stream):
        data = in_stream if isinstance(in_stream, bytes) else in_stream.read()
        result = read_supporter_file(data, filename="", allowed_groups=SupportGroup.objects.all())
        if result.file_errors:
            raise SpreadsheetError(" ".join(result.file_errors))
        headers = [ROW, "group", "name_key", *result.fields, "active", ERRORS]
        dataset = tablib.Dataset(headers=headers)
        for entry in result.entries:
            values = entry.to_json()["values"]
            # A value that failed validation is missing; its row carries the error instead.
            cells = [
                ",".join(map(str, values.get(k, ()))) if k == "help_categories" else values.get(k)
                for k in result.fields
            ]
            errors = " ".join(str(e) for e in entry.errors)
            dataset.append([entry.number, entry.group_id, entry.name_key, *cells, "1", errors])
        dataset.checksum = checksum(data)
        dataset.notices = result.notices
        return dataset


class SupporterResource(resources.ModelResource):
    group = fields.Field(
        attribute="group", column_name="group", widget=widgets.ForeignKeyWidget(SupportGroup)
    )
    birth_date = fields.Field(
        attribute="birth_date", column_name="birth_date", widget=widgets.DateWidget("%Y-%m-%d")
    )
    registered_on = fields.Field(
        attribute="registered_on",
        column_name="registered_on",
        widget=widgets.DateWidget("%Y-%m-%d"),
    )
    help_categories = fields.Field(
        attribute="help_categories",
        column_name="help_categories",
        widget=widgets.ManyToManyWidget(HelpCategory, separator=","),
    )

    class Meta:
        model = Supporter
        fields = ("group", "name_key", *FIELDS, "active")
        import_id_fields = ("group", "name_key")
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def import_data(self, dataset, *args, **kwargs):
        # The library writes the valid rows and skips invalid ones unless told otherwise;
        # here one bad row means nothing is written, whichever view calls.
        kwargs["rollback_on_validation_errors"] = True
        kwargs["use_transactions"] = True
        return super().import_data(dataset, *args, **kwargs)

    def before_import(self, dataset, **kwargs):
        """Plan the rows with the engine: duplicates go, conflicts and errors stay as errors."""
        entries = []
        for row in dataset.dict:
            values = {k: row[k] for k in FIELDS if k in row}
            if "help_categories" in values:
                values["help_categories"] = [
                    int(pk) for pk in str(values["help_categories"] or "").split(",") if pk
                ]
            entry = Entry.from_json(
                {"number": row[ROW], "group": row["group"], "label": "", "values": values}
            )
            entry.errors = [row[ERRORS]] if row[ERRORS] else []
            entries.append(entry)
        fields_present = [k for k in FIELDS if k in dataset.headers]
        self.plan = plan(ImportPlan(entries=entries, fields=fields_present))
        errors = {e.number: " ".join(map(str, e.errors)) for e in self.plan.entries if e.errors}
        keep = [e.action != Action.DUPLICATE for e in self.plan.entries]
        rows = [
            [*row[:-1], errors.get(row[0], "")]
            for row, kept in zip(dataset, keep, strict=True)
            if kept
        ]
        headers = dataset.headers
        checksum_, notices = dataset.checksum, dataset.notices
        dataset.wipe()
        dataset.headers = headers
        for row in rows:
            dataset.append(row)
        dataset.checksum, dataset.notices = checksum_, notices

    def before_import_row(self, row, **kwargs):
        if row.get(ERRORS):
            raise ValidationError(row[ERRORS])

    def after_import(self, dataset, result, **kwargs):
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        counts = self.plan.counts
        user = kwargs.get("user")
        record = SupporterImport.objects.create(
            user=user if getattr(user, "is_authenticated", False) else None,
            source=ImportSource.ADMIN,
            file_name=(kwargs.get("file_name") or "")[:255],
            checksum=getattr(dataset, "checksum", ""),
            rows=len(self.plan.entries),
            created=counts[Action.NEW],
            updated=counts[Action.UPDATE],
            unchanged=counts[Action.UNCHANGED],
            duplicates=counts[Action.DUPLICATE],
        )
        record.groups.set(self.plan.group_ids)
        request = kwargs.get("request")
        address = client_address(request) if request is not None else None
        record_import_access(self.plan, record, user=user, address=address)

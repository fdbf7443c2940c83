"""django-import-export for the reference tables: Japanese columns, natural keys, all or nothing.

The admin imports and exports the programme's reference tables (districts, areas, councils,
coordinators, support groups, help categories, key figures, …) with the library's own
preview and confirm steps. This module holds what every such table shares; each app's
``resources.py`` declares its tables on top of it.

* **Files people can read and write back.** Columns are the models' Japanese verbose names
  (``圏域名``, ``地区``), related records are written by name (``ForeignKeyWidget`` on a unique
  name, as the fixtures' natural keys), several of them separated by ``、``, dates in era form
  (平成29年10月1日), fiscal years as 平成29年度, choices by their label (第2層), yes/no as
  はい/いいえ. Exporting and importing the file back unchanged changes nothing
  (``skip_unchanged``) and the preview says so for every row (``report_skipped``).
* **Reading** goes through ``core.spreadsheets.read_rows``: xlsx, or CSV in UTF-8 (with or
  without BOM) or Shift_JIS, with its size and zip-bomb checks and Japanese messages.
  **Writing** goes through ``core.exports``: numbers stay numbers, text never becomes a
  formula, CSV is UTF-8 with a BOM.
* **Damaged or hostile files** (tests/corpus) are refused by ``core.spreadsheets`` with a
  Japanese message on the file field, control characters with their row and column.
* **Bad input writes nothing.** A value that cannot be read, a name that matches no record,
  an unknown column: a Japanese message naming the row (as the spreadsheet numbers it,
  header = 1) and the column, and the whole import is rolled back
  (``rollback_on_validation_errors``). The library's row errors (an exception other than
  a validation error) are shown without traceback and also roll everything back.
* **History.** Rows are saved one by one with ``save()``, so django-simple-history writes a
  history row for every created or changed record of a model that has one, with the
  signed-in user (its middleware) and the file name as the reason.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from import_export import fields, resources, widgets
from import_export.formats.base_formats import Format

from core import exports, wareki
from core.spreadsheets import (
    ControlCharacterError,
    SpreadsheetError,
    normalise_header,
    normalise_text,
    parse_date_value,
    read_rows,
)

TRUE_WORDS = {"はい", "○", "〇", "◯", "1", "true"}
FALSE_WORDS = {"いいえ", "×", "0", "false"}
# Several related records in one cell: 平、小川 (also , ， and ・ are accepted on import).
SEPARATOR = "、"
_SEPARATORS = re.compile(r"[、,，]")


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value) -> str:
    text = normalise_text(value)
    return text if len(text) <= 30 else text[:30] + "…"


# --- widgets ------------------------------------------------------------------------------
#
# A widget's ``clean`` raises ValueError with a Japanese message; the resource turns it into a
# validation error of that row and column. ``render`` gives the value a spreadsheet cell holds.


class TextWidget(widgets.CharWidget):
    """Text as written (line breaks kept); a number typed into a text cell becomes its text."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class IntegerWidget(widgets.IntegerWidget):
    """Whole numbers: 12, １２, 1,200 or an Excel number; empty is ``None``."""

    _DIGITS = re.compile(r"[+-]?[0-9]{1,15}")

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(f"「{value}」は整数として読めません。")
        if isinstance(value, int):
            return value
        if isinstance(value, float | Decimal):
            if value == int(value):
                return int(value)
            raise ValueError(f"「{value}」は整数ではありません。整数で書いてください。")
        text = normalise_text(value).replace(",", "")
        if text.endswith(".0"):
            text = text[:-2]
        if not self._DIGITS.fullmatch(text):
            raise ValueError(f"「{_shown(value)}」は整数として読めません。")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return value


class DecimalWidget(widgets.DecimalWidget):
    """Numbers with decimals: 29.2, 327,491, ２９．２ or an Excel number; empty is ``None``."""

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(f"「{value}」は数値として読めません。")
        if isinstance(value, int | Decimal):
            return Decimal(value)
        # A float from a spreadsheet cell: its shortest repr is what the cell shows.
        text = repr(value) if isinstance(value, float) else normalise_text(value).replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(f"「{_shown(value)}」は数値として読めません。")
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None
        # Whole numbers as integers: 327491 rather than 327491.0.
        return int(value) if value == value.to_integral_value() else value


class BooleanWidget(widgets.BooleanWidget):
    """はい / いいえ (also ○ ×, 1 0, TRUE FALSE); an empty cell is いいえ."""

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return False
        if isinstance(value, bool):
            return value
        text = normalise_header(str(value))
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(f"「{_shown(value)}」は「はい」か「いいえ」で書いてください。")

    def render(self, value, obj=None, **kwargs):
        return "はい" if value else "いいえ"


class WarekiDateWidget(widgets.DateWidget):
    """Dates written 平成29年10月1日; read as the spreadsheets module reads any date (era
    forms, 2017/10/1, ISO, Excel dates)."""

    def clean(self, value, row=None, **kwargs):
        return parse_date_value(value)  # ValueProblem is a ValueError with the reason

    def render(self, value, obj=None, **kwargs):
        if not isinstance(value, date):
            return ""
        try:
            return wareki.format_date(value)
        except wareki.WarekiError:
            return value.isoformat()


class FiscalYearWidget(widgets.IntegerWidget):
    """Fiscal years written 平成29年度 (also H29, 2017); stored as 2017."""

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            return wareki.parse_fiscal_year(str(value))
        except wareki.WarekiError as error:
            raise ValueError(str(error)) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        try:
            return wareki.format_fiscal_year(value)
        except wareki.WarekiError:
            return str(value)


class ChoiceWidget(widgets.Widget):
    """A choice written by its label (第2層, 実施中); the stored value is accepted too."""

    def __init__(self, choices, **kwargs):
        self.choices = [(value, str(label)) for value, label in choices]
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        written = normalise_header("" if value is None else str(value))
        for stored, label in self.choices:
            if written in (normalise_header(label), normalise_header(stored)):
                return stored
        labels = "、".join(f"「{label}」" for _, label in self.choices if label)
        problem = "空欄です。" if _is_blank(value) else f"「{_shown(value)}」は選べません。"
        raise ValueError(f"{problem}次のどれかを書いてください: {labels}")

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, "" if value is None else str(value))


class NameForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related record by its unique name (``field``), as the fixtures' natural keys."""

    def __init__(self, model, field="name", **kwargs):
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        written = TextWidget().clean(value).strip()
        try:
            return self.get_queryset(value, row, **kwargs).get(**{self.field: written})
        except self.model.DoesNotExist:
            raise ValueError(
                f"「{_shown(written)}」という{self.model._meta.verbose_name}はありません。"
            ) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.field)


class NamesManyToManyWidget(widgets.ManyToManyWidget):
    """Several related records by name in one cell: 平、小川. Every name must exist."""

    def __init__(self, model, field="name", **kwargs):
        super().__init__(model, separator=SEPARATOR, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return []
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        names = [n.strip() for n in _SEPARATORS.split(str(value)) if n.strip()]
        found = {
            str(getattr(obj, self.field)): obj
            for obj in self.model.objects.filter(**{f"{self.field}__in": names})
        }
        unknown = [n for n in names if n not in found]
        if unknown:
            listed = "、".join(f"「{_shown(n)}」" for n in unknown)
            raise ValueError(
                f"{listed}という{self.model._meta.verbose_name}はありません。"
                f"複数のときは「{SEPARATOR}」で区切ってください。"
            )
        return list(dict.fromkeys(found[n] for n in names))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return SEPARATOR.join(str(getattr(related, self.field)) for related in value.all())


# --- file formats ---------------------------------------------------------------------------


class SpreadsheetFormat(Format):
    """Read with ``core.spreadsheets``, written with ``core.exports``.

    The first non-blank row holds the headers. The dataset remembers the spreadsheet's row
    number of each data row (``dataset.row_numbers``) so that messages name the row the
    person sees in Excel; blank rows are left out.
    """

    extension = ""
    content_type = "application/octet-stream"

    def __init__(self, encoding=None):
        self.encoding = encoding  # CSV is detected (UTF-8, BOM or Shift_JIS), not told

    def get_title(self):
        return self.extension

    def get_extension(self):
        return self.extension

    def get_content_type(self):
        return self.content_type

    def can_import(self):
        return True

    def can_export(self):
        return True

    def create_dataset(self, in_stream):
        data = in_stream if isinstance(in_stream, bytes) else in_stream.read()
        headers, numbers, rows = None, [], []
        try:
            for number, cells in read_rows(data, filename=f"upload.{self.extension}"):
                if not any(not _is_blank(cell) for cell in cells):
                    continue
                if headers is None:
                    headers = [normalise_text(cell) for cell in cells]
                    _check_headers(headers)
                    continue
                if len(cells) > len(headers):
                    raise SpreadsheetError(f"{number}行目に見出しのない列の値があります。")
                numbers.append(number)
                rows.append([self.cell(c) for c in cells] + [None] * (len(headers) - len(cells)))
        except ControlCharacterError as error:
            # A control character refuses the file; named by its column's header when known.
            if headers is not None and error.index < len(headers):
                raise error.with_header(headers[error.index]) from None
            raise
        if headers is None or not rows:
            raise SpreadsheetError("見出しの行の下に取り込む行がありません。")
        dataset = tablib.Dataset(*rows, headers=headers)
        dataset.row_numbers = numbers
        return dataset

    def cell(self, value):
        # Excel keeps every number as a float: 3.0 is the 3 the person typed.
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value


def _check_headers(headers):
    if "" in headers:
        column = headers.index("") + 1
        raise SpreadsheetError(f"見出しの行の{column}列目が空欄です。列の見出しを書いてください。")
    seen = set()
    for header in headers:
        if normalise_header(header) in seen:
            raise SpreadsheetError(f"見出し「{header}」が2回あります。")
        seen.add(normalise_header(header))


class XlsxFormat(SpreadsheetFormat):
    extension = "xlsx"
    content_type = exports.CONTENT_TYPES[exports.XLSX]

    def export_data(self, dataset, **kwargs):
        return exports.to_xlsx(dataset.headers, dataset, sheet_title=dataset.title or "")


class CsvFormat(SpreadsheetFormat):
    extension = "csv"
    content_type = exports.CONTENT_TYPES[exports.CSV]

    def cell(self, value):
        value = super().cell(value)
        # core.exports defuses text such as "-1件" with a leading apostrophe: take it off.
        if isinstance(value, str) and value[:1] == "'" and exports.is_formula_like(value[1:]):
            return value[1:]
        return value

    def export_data(self, dataset, **kwargs):
        return exports.to_csv(dataset.headers, dataset)


FORMATS = [XlsxFormat, CsvFormat]


# --- resources ----------------------------------------------------------------------------


def widget_for(django_field):
    """The widget of a model field as the reference files write it."""
    if django_field.many_to_many:
        return NamesManyToManyWidget(django_field.related_model, field=natural_name(django_field))
    if django_field.is_relation:
        return NameForeignKeyWidget(django_field.related_model, field=natural_name(django_field))
    if django_field.choices:
        return ChoiceWidget(django_field.choices)
    if isinstance(django_field, models.BooleanField):
        return BooleanWidget()
    if isinstance(django_field, models.DateField) and not isinstance(
        django_field, models.DateTimeField
    ):
        return WarekiDateWidget()
    if isinstance(django_field, models.DecimalField):
        return DecimalWidget()
    if isinstance(django_field, models.IntegerField):
        if django_field.name in ("fiscal_year", "report_year"):
            return FiscalYearWidget()
        return IntegerWidget()
    return TextWidget()


def natural_name(django_field) -> str:
    """The unique field that names a related record: ``natural_key_field`` of its manager
    (core.models.NaturalKeyManager) or ``name``."""
    manager = django_field.related_model._default_manager
    return getattr(manager, "natural_key_field", "name")


class ReferenceResource(resources.ModelResource):
    """A reference table as a spreadsheet. Subclasses give ``Meta.model``, ``Meta.fields`` and
    ``Meta.import_id_fields`` (the natural key); columns and widgets follow from the model."""

    #: The model's constraints in words a person can act on: constraint name -> (the
    #: field whose column the message belongs to, the message). Django's own says only
    #: which constraint was violated.
    constraint_messages: dict[str, tuple[str, str]] = {}

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        return fields.Field(
            attribute=field_name,
            column_name=str(django_field.verbose_name),
            widget=widget_for(django_field),
            readonly=readonly,
            default=django_field.default,
        )

    @classmethod
    def get_display_name(cls):
        return str(cls._meta.model._meta.verbose_name_plural)

    # --- export

    def filter_export(self, queryset, **kwargs):
        """Related names in the same query (a join) or one more per relation, not per row."""
        related = [f.attribute for f in self.get_export_fields() if _is_fk(f)]
        many = [f.attribute for f in self.get_export_fields() if _is_m2m(f)]
        return queryset.select_related(*related).prefetch_related(*many)

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset, **kwargs)
        dataset.title = self.get_display_name()
        return dataset

    # --- import

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        # One bad row means nothing is written, whichever caller forgets to ask.
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        self.file_name = kwargs.get("file_name") or ""
        result = super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)
        result.file_headers = list(dataset.headers or ())
        numbers = getattr(dataset, "row_numbers", None)
        for row in [*result.invalid_rows, *result.error_rows]:
            # The spreadsheet's row number; a dataset without them has its header on row 1.
            row.line = numbers[row.number - 1] if numbers else row.number + 1
        return result

    def before_import(self, dataset, **kwargs):
        """Columns by their Japanese name (spaces and width ignored); an unknown column or a
        missing key column refuses the file before any row is read."""
        by_header = {normalise_header(f.column_name): f.column_name for f in self.writable_fields}
        unknown = [h for h in dataset.headers if normalise_header(h) not in by_header]
        headers = [by_header.get(normalise_header(h), h) for h in dataset.headers]
        missing = [
            self.fields[name].column_name
            for name in self.get_import_id_fields()
            if self.fields[name].column_name not in headers
        ]
        problems = []
        if unknown:
            problems.append(f"知らない列があります: {'、'.join(f'「{h}」' for h in unknown)}。")
        if missing:
            problems.append(f"必ず要る列がありません: {'、'.join(f'「{h}」' for h in missing)}。")
        if problems:
            known = "、".join(f.column_name for f in self.writable_fields)
            dataset.wipe()  # no row is read after a refused header
            raise SpreadsheetError(f"{' '.join(problems)}使える列: {known}")
        dataset.headers = headers

    @property
    def writable_fields(self):
        return [f for f in self.get_import_fields() if not f.readonly]

    def before_import_row(self, row, **kwargs):
        # The natural key is read before the library looks the record up, so that an
        # unknown name is this row's validation error rather than an exception.
        errors = {}
        for name in self.get_import_id_fields():
            field = self.fields[name]
            try:
                field.clean(row)
            except ValueError as error:
                errors[field.column_name] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # The library reads many-to-many cells only when saving; read them now, so that an
        # unknown name is reported with the others and nothing is saved.
        for field in self.writable_fields:
            if _is_m2m(field) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors.setdefault(field.attribute, []).append(ValidationError(str(error)))
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise ValidationError(self._by_column(error)) from None

    def _by_column(self, error: ValidationError) -> dict:
        """Errors keyed by the column the person sees, not by the model's field name."""
        columns = {f.attribute: f.column_name for f in self.fields.values()}
        keyed = {}
        for key, messages in error.message_dict.items():
            for message in messages:
                field = key
                for name, (constrained, words) in self.constraint_messages.items():
                    if name in message:
                        field, message = constrained, words
                if field != NON_FIELD_ERRORS and field not in columns:
                    try:
                        field = str(self._meta.model._meta.get_field(field).verbose_name)
                    except FieldDoesNotExist:
                        field = NON_FIELD_ERRORS
                keyed.setdefault(columns.get(field, field), []).append(message)
        return keyed

    def before_save_instance(self, instance, row, **kwargs):
        # django-simple-history's reason for the history row (models that keep history).
        instance._change_reason = f"管理サイトからの取込（{self.file_name}）"[:100]


def _is_fk(field) -> bool:
    return isinstance(field.widget, widgets.ForeignKeyWidget)


def _is_m2m(field) -> bool:
    return isinstance(field.widget, widgets.ManyToManyWidget)

"""The supporter-list import: one engine for the import page, the admin and the command.

Three steps, each usable on its own:

1. ``read_supporter_file`` reads the file (``core.spreadsheets``) and validates every
   row into ``Entry`` objects: normalised values, the group, errors with row and column.
2. ``plan`` compares the entries with the database (one query for the supporters of the groups
   involved, one for their help categories) and gives each its action: new, update,
   unchanged, duplicate (an exact repeat in the same file) or error. The ``ImportPlan`` has a
   ``digest`` of everything it would do, so a confirmation can prove it does what the preview
   showed.
3. ``activities.services.apply_import`` writes a plan without errors in one transaction
   with bulk operations, and records the import (``SupporterImport``) and the access
   (``audit.AccessRecord``).

Identity: within a group, a supporter is the person whose name, NFKC-normalised with spaces
removed (``Supporter.name_key``), matches. Columns present in the file are authoritative for
the supporters it lists (an empty cell clears the value); absent columns are left alone;
supporters the file does not list are left alone.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.utils import timezone

from activities.models import (
    Supporter,
    SupportGroup,
)
from core.spreadsheets import (
    CellError,
    Column,
    SpreadsheetError,
    Table,
    ValueProblem,
    normalise_header,
    normalise_kana,
    normalise_text,
    parse_date_value,
    read_table,
)
from core.wareki import format_date
from needs_survey.models import HelpCategory

COLUMNS = [
    Column("group", "団体名", ("団体", "活動団体", "地区")),
    Column("name", "氏名", ("名前", "サポーター氏名"), required=True),
    Column("kana", "フリガナ", ("ふりがな", "よみがな")),
    Column("phone", "電話番号", ("電話", "TEL", "連絡先")),
    Column("address", "住所", ()),
    Column("birth_date", "生年月日", ()),
    Column("registered_on", "登録日", ("登録年月日",)),
    Column("help_categories", "活動内容", ("できること",)),
    Column("note", "備考", ()),
]
LABELS = {column.key: column.label for column in COLUMNS}
# The supporter's own fields a file may carry, in the order the preview shows them.
FIELDS = [
    "name",
    "kana",
    "phone",
    "address",
    "birth_date",
    "registered_on",
    "help_categories",
    "note",
]
TEXT_FIELDS = ["name", "kana", "phone", "address", "note"]
DATE_FIELDS = ["birth_date", "registered_on"]
MAX_LENGTHS = {
    name: Supporter._meta.get_field(name).max_length
    for name in TEXT_FIELDS
    if Supporter._meta.get_field(name).max_length
}


class Action:
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    ERROR = "error"

    LABELS = {
        "new": "新規",
        "update": "更新",
        "unchanged": "変更なし",
        "duplicate": "重複(1件として取込)",
        "error": "エラー",
    }


@dataclass
class Entry:
    """One data row of the file, validated."""

    number: int
    values: dict  # FIELDS present in the file -> normalised value; help_categories as sorted ids
    group_id: int | None = None
    group_label: str = ""
    errors: list[CellError] = field(default_factory=list)
    action: str = ""
    supporter_id: int | None = None
    changed: list[str] = field(default_factory=list)  # labels of changed fields
    notice: str = ""

    @property
    def name_key(self) -> str:
        return Supporter.normalise_name(self.values.get("name", ""))

    @property
    def action_label(self) -> str:
        return Action.LABELS.get(self.action, "")

    def display_values(self, categories: dict[int, str]) -> dict[str, str]:
        shown = {}
        for key in FIELDS:
            if key not in self.values:
                continue
            value = self.values[key]
            if key == "help_categories":
                value = "、".join(categories.get(pk, "") for pk in value)
            elif isinstance(value, date):
                value = format_date(value)
            shown[key] = value or ""
        return shown

    def to_json(self) -> dict:
        values = {
            key: (value.isoformat() if isinstance(value, date) else value)
            for key, value in self.values.items()
        }
        if "help_categories" in values:
            values["help_categories"] = list(values["help_categories"])
        return {
            "number": self.number,
            "group": self.group_id,
            "label": self.group_label,
            "values": values,
        }

    @classmethod
    def from_json(cls, data: dict) -> Entry:
        values = dict(data["values"])
        for key in DATE_FIELDS:
            if values.get(key):
                values[key] = date.fromisoformat(values[key])
        if "help_categories" in values:
            values["help_categories"] = tuple(values["help_categories"])
        return cls(
            number=data["number"], values=values, group_id=data["group"], group_label=data["label"]
        )


@dataclass
class ImportPlan:
    """A file's rows as validated (and, after ``plan``, with their actions), the file's own
    errors and notices, and where the header was found."""

    entries: list[Entry]
    fields: list[str]  # FIELDS present in the file
    file_errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    header_row: int = 0
    encoding: str = ""
    sheet: str = ""
    categories: dict[int, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[str]:
        return [*self.file_errors, *(str(e) for entry in self.entries for e in entry.errors)]

    @property
    def ok(self) -> bool:
        return not self.file_errors and all(not entry.errors for entry in self.entries)

    @property
    def counts(self) -> Counter:
        counts = Counter({action: 0 for action in Action.LABELS})
        counts.update(entry.action for entry in self.entries)
        return counts

    @property
    def group_ids(self) -> set[int]:
        return {e.group_id for e in self.entries if e.group_id is not None}

    @property
    def digest(self) -> str:
        """A hash of everything the plan would write; equal digests, equal imports."""
        content = [
            [e.number, e.action, e.group_id, e.supporter_id, e.changed, e.values]
            for e in self.entries
        ]
        # Dates become ISO strings and tuples lists: the same for a plan and its JSON copy.
        encoded = json.dumps(
            [self.fields, content], ensure_ascii=False, sort_keys=True, default=str
        )
        return hashlib.sha256(encoded.encode()).hexdigest()

    def headers(self) -> list[str]:
        return [LABELS[key] for key in self.fields]

    def count_rows(self) -> list[tuple[str, int, str]]:
        """(label, count, action) for each action, in the order the preview shows them."""
        counts = self.counts
        return [(label, counts[action], action) for action, label in Action.LABELS.items()]

    def preview_rows(self) -> list[dict]:
        """Every entry with its cells as shown and its errors with their column."""
        return [
            {
                "entry": entry,
                "cells": [
                    entry.display_values(self.categories).get(key, "") for key in self.fields
                ],
                "errors": [
                    error.message if not error.column else f"「{error.column}」{error.message}"
                    for error in entry.errors
                ],
            }
            for entry in self.entries
        ]


class ImportRefused(Exception):
    """The plan cannot be applied (errors, or the database changed since the preview)."""


# --- reading and validating ---------------------------------------------------------------


def group_lookup(groups) -> dict[str, SupportGroup]:
    """Ways a file names a group -> the group: 城山, 平 城山, 平城山 (spaces and width ignored)."""
    lookup: dict[str, SupportGroup] = {}
    ambiguous = set()
    for group in groups:
        keys = {
            group.name,
            group.district_label,
            group.model_label,
            f"{group.area.name}{group.name}",
        }
        for key in filter(None, (normalise_header(k) for k in keys)):
            if key in lookup and lookup[key] != group:
                ambiguous.add(key)
            lookup[key] = group
    for key in ambiguous:
        del lookup[key]
    return lookup


def category_lookup(categories) -> dict[str, int]:
    lookup = {}
    for category in categories:
        lookup[normalise_header(category.name)] = category.pk
        lookup[str(category.number)] = category.pk
    return lookup


_CATEGORY_SEPARATORS = re.compile(r"[、,，・･/／\s]+")
_NUMBERED = re.compile(r"([0-9]{1,2})[.．)）]?(.*)")
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d", "-")
)


class Reader:
    """Validates table rows into entries; holds the lookups so a row costs no query."""

    def __init__(self, *, allowed_groups, default_group=None):
        self.allowed = {g.pk for g in allowed_groups}
        self.today = timezone.localdate()
        self.default_group = default_group
        categories = list(HelpCategory.objects.all())
        self.categories = category_lookup(categories)
        self.category_names = {c.pk: c.name for c in categories}
        # Category names that contain a separator (通院・外出) are protected before splitting.
        self.joined = {
            normalise_text(c.name): normalise_text(c.name).replace("・", "\u2063")
            for c in categories
            if "・" in c.name
        }

    @cached_property
    def lookup(self) -> dict[str, SupportGroup]:
        """Every group of the city by the names a file may use, read only when a row names
        one: a file without a group column (the form's group applies) costs no such query.
        Every group, not only the allowed ones, so that a group outside the person's areas
        is told apart from a name that matches none."""
        return group_lookup(SupportGroup.objects.select_related("council__area"))

    def entries(self, table: Table, notices: list[str]) -> list[Entry]:
        fields = [key for key in FIELDS if key in table.headers]
        entries = []
        for row in table.rows:
            if is_example(row.values.get("name")):
                notices.append(f"{row.number}行目は記入例のため取り込みません。")
                continue
            entries.append(self.entry(row.number, row.values, fields, table))
        return entries

    def entry(self, number: int, raw: dict, fields: list[str], table: Table) -> Entry:
        entry = Entry(number=number, values={})

        def problem(key, message):
            entry.errors.append(CellError(number, table.header_of(key), message))

        for key in fields:
            value = raw.get(key)
            try:
                if key in DATE_FIELDS:
                    entry.values[key] = parse_date_value(value)
                elif key == "kana":
                    entry.values[key] = normalise_kana(value)
                elif key == "help_categories":
                    entry.values[key] = self.parse_categories(value)
                elif key == "phone":
                    entry.values[key] = normalise_text(value).translate(_DASHES)
                elif key == "note":
                    # Free text is kept as written (line breaks, ① and ㈱ included).
                    entry.values[key] = (
                        normalise_text(value) if not isinstance(value, str) else value.strip()
                    )
                else:
                    entry.values[key] = normalise_text(value)
            except ValueProblem as error:
                problem(key, str(error))
                continue
            limit = MAX_LENGTHS.get(key)
            if limit and len(entry.values[key]) > limit:
                problem(key, f"{limit}文字以内にしてください（{len(entry.values[key])}文字）。")
        if not entry.values.get("name") and not any(
            e.column == table.header_of("name") for e in entry.errors
        ):
            problem("name", "氏名が空欄です。")
        birth = entry.values.get("birth_date")
        if birth and birth > self.today:
            problem("birth_date", "生年月日が未来の日付です。")
        self.resolve_group(entry, raw.get("group"), "group" in table.headers, problem)
        # Errors in the order of the file's columns, as the person will read along the row.
        order = {table.header_of(k): i for k, i in table.positions.items()}
        entry.errors.sort(key=lambda e: order.get(e.column, -1))
        return entry

    def resolve_group(self, entry, raw, has_column, problem):
        written = normalise_text(raw) if has_column else ""
        if written:
            group = self.lookup.get(normalise_header(written))
            if group is None:
                problem(
                    "group",
                    f"団体「{written}」が見つかりません。団体名か地区名（例: 城山、平 城山）で書いてください。",
                )
                return
        elif self.default_group is not None:
            group = self.default_group
        else:
            message = (
                "団体が空欄です。"
                if has_column
                else "ファイルに団体の列がないため、取り込む団体を選んでください。"
            )
            problem("group" if has_column else "", message)
            return
        if group.pk not in self.allowed:
            problem(
                "group",
                f"団体「{group}」（{group.area.name}）は担当する圏域外のため取り込めません。",
            )
            return
        entry.group_id = group.pk
        entry.group_label = str(group)

    def parse_categories(self, value) -> tuple[int, ...]:
        text = normalise_text(value)
        for name, protected in self.joined.items():
            text = text.replace(name, protected)
        found, unknown = set(), []
        for token in filter(None, _CATEGORY_SEPARATORS.split(text)):
            token = token.replace("\u2063", "・")
            pk = self.categories.get(normalise_header(token))
            if pk is None:
                # ①声かけ arrives as 1声かけ after NFKC; the name decides when both are given.
                numbered = _NUMBERED.fullmatch(token)
                if numbered:
                    pk = self.categories.get(normalise_header(numbered[2]) or numbered[1])
            if pk is None:
                unknown.append(token)
            else:
                found.add(pk)
        if unknown:
            choices = "、".join(self.category_names.values())
            raise ValueProblem(
                f"{'、'.join(f'「{t}」' for t in unknown)}は項目にありません。使える項目: {choices}"
            )
        return tuple(sorted(found))


_EXAMPLE = re.compile(r"[(（]?例[)）:：]")
EXAMPLE_NAME = "（例）磐城 花子"


def is_example(name) -> bool:
    """The template's example row (氏名 starting with （例）) is never imported."""
    return bool(_EXAMPLE.match(normalise_text(name)))


def read_supporter_file(
    data: bytes,
    *,
    filename: str,
    allowed_groups,
    default_group=None,
    encoding: str | None = None,
    sheet: str | None = None,
) -> ImportPlan:
    """Read and validate a file; a refused file gives a plan with one file error."""
    reader = Reader(allowed_groups=allowed_groups, default_group=default_group)
    try:
        table = read_table(data, COLUMNS, filename=filename, encoding=encoding, sheet=sheet)
    except SpreadsheetError as error:
        return ImportPlan(
            entries=[], fields=[], file_errors=[str(error)], categories=reader.category_names
        )
    fields = [key for key in FIELDS if key in table.headers]
    notices: list[str] = []
    result = ImportPlan(
        entries=reader.entries(table, notices),
        notices=notices,
        fields=fields,
        header_row=table.header_row,
        encoding=table.encoding,
        sheet=table.sheet,
        categories=reader.category_names,
    )
    if table.ignored_headers:
        ignored = "、".join(f"「{h}」" for h in table.ignored_headers)
        result.notices.insert(0, f"次の列は取り込みません: {ignored}")
    if not result.entries:
        result.file_errors.append("記入例のほかに取り込む行がありません。")
    return result


def template_workbook() -> bytes:
    """The import template: a title, the headers, one example row marked （例）, and the
    help categories on a second sheet."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "サポーター名簿"
    sheet.append(["サポーター名簿（取込用）"])
    sheet.append(["氏名が「（例）」で始まる行は記入例です。取り込まれません。消しても構いません。"])
    sheet.append([column.label for column in COLUMNS])
    sheet.append(
        [
            "城山",
            EXAMPLE_NAME,
            "イワキ ハナコ",
            "0246-00-0000",
            "いわき市平〇〇町1-1",
            "昭和25年4月1日",
            "R7.4.1",
            "声かけ、ごみ出し",
            "記入例",
        ]
    )
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for cell in sheet[4]:
        cell.fill = PatternFill("solid", fgColor="FFF1C2")
    widths = [12, 18, 18, 16, 30, 16, 14, 28, 20]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    guide = workbook.create_sheet("書き方")
    guide.append(["列", "書き方"])
    guide.append(
        [
            "団体名",
            "団体名か地区名（城山、平 城山）。すべて同じ団体なら列ごと省き、取込画面で団体を選べます",
        ]
    )
    guide.append(["氏名", "必須。同じ団体で同じ氏名（空白は無視）なら同じ人として更新します"])
    guide.append(["フリガナ", "カタカナ・ひらがな・半角カナのどれでも"])
    guide.append(["生年月日・登録日", "平成29年7月1日、H29.7.1、R1.5.1、2017/7/1、Excelの日付"])
    guide.append(["活動内容", "次の項目を「、」か空白で区切って"])
    for category in HelpCategory.objects.all():
        guide.append(["", f"{category.circled_number}{category.name}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- planning -----------------------------------------------------------------------------


def plan(result: ImportPlan) -> ImportPlan:
    """Give every entry its action against the database; entries with errors keep ``error``."""
    for entry in result.entries:
        entry.action, entry.supporter_id, entry.changed, entry.notice = "", None, [], ""
    by_key: dict[tuple, Entry] = {}
    for entry in result.entries:
        if entry.errors:
            continue
        key = (entry.group_id, entry.name_key)
        first = by_key.get(key)
        if first is None:
            by_key[key] = entry
        elif _same_but_spelling(first.values, entry.values):
            entry.action = Action.DUPLICATE
            entry.notice = f"{first.number}行目と同じ内容のため、1件として取り込みます。"
        else:
            differing = [
                LABELS[k]
                for k in result.fields
                if k != "name" and first.values.get(k) != entry.values.get(k)
            ]
            entry.errors.append(
                CellError(
                    entry.number,
                    "",
                    f"{first.number}行目と同じ氏名で内容が異なります（{'、'.join(differing)}）。"
                    "どちらかを直すか、別の人なら氏名で区別してください。",
                )
            )
    existing = _existing(result.group_ids)
    for entry in result.entries:
        if entry.errors:
            entry.action = Action.ERROR
            continue
        if entry.action == Action.DUPLICATE:
            continue
        current = existing.get((entry.group_id, entry.name_key))
        if current is None:
            entry.action = Action.NEW
            continue
        entry.supporter_id = current["id"]
        changed = [LABELS[k] for k in result.fields if current[k] != entry.values[k]]
        if not current["active"]:
            changed.append("登録中")
        entry.changed = changed
        entry.action = Action.UPDATE if changed else Action.UNCHANGED
    return result


def _same_but_spelling(first: dict, other: dict) -> bool:
    """Rows for one person are the same when all but the name's spacing agree."""
    return {k: v for k, v in first.items() if k != "name"} == {
        k: v for k, v in other.items() if k != "name"
    }


_STORED = ["id", "group_id", "name_key", "active", *(k for k in FIELDS if k != "help_categories")]


def _existing(group_ids) -> dict[tuple, dict]:
    """The supporters of ``group_ids`` by (group, name key) as plain dicts, with their help
    categories as ``help_categories``: two queries, no model instances (10,000 rows)."""
    if not group_ids:
        return {}
    rows = Supporter.objects.filter(group_id__in=group_ids).order_by().values_list(*_STORED)
    through = Supporter.help_categories.through.objects.filter(
        supporter__group_id__in=group_ids
    ).values_list("supporter_id", "helpcategory_id")
    categories: dict[int, list[int]] = {}
    for supporter_id, category_id in through:
        categories.setdefault(supporter_id, []).append(category_id)
    existing = {}
    for row in rows:
        stored = dict(zip(_STORED, row, strict=True))
        stored["help_categories"] = tuple(sorted(categories.get(stored["id"], ())))
        existing[(stored["group_id"], stored["name_key"])] = stored
    return existing


def prepare(data: bytes, **kwargs) -> ImportPlan:
    """Read, validate and plan: what the preview shows and what a dry run reports."""
    return plan(read_supporter_file(data, **kwargs))

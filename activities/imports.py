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
the supporters it lists, except that an empty cell keeps the stored value unless the person
chose ``blank_clears`` for this import; absent columns are left alone. Supporters the file
does not list are left alone, unless ``end_missing`` was chosen: then those of the file's
groups who are registered are ended (``active`` False, ``ended_on`` the import date).

The 状態 column ends a registration (登録終了 and its aliases) or keeps / renews it (登録中);
a row without it (or with it blank) is 登録中, as a listed supporter always was. An ended
registration's ``ended_on`` is the date of the import: the day the office recorded it.

Warnings (a phone number that lost its leading 0, a future 登録日, an unlikely age, a row
holding only a note) do not stop an import: the person reads them and may still confirm.
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
    read_rows,
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
    Column("status", "状態", ("登録状態", "在籍状況", "登録区分")),
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


# 状態 as written -> registered (True) or ended (False); compared after normalise_header.
STATUS_VALUES = {
    **dict.fromkeys(["登録中", "登録", "在籍", "在籍中", "活動中", "継続", "有効"], True),
    **dict.fromkeys(
        ["登録終了", "終了", "退会", "退会済", "脱退", "退任", "辞退", "登録抹消", "抹消"], False
    ),
}
ACTIVE_LABEL = {True: "登録中", False: "登録終了"}
EMPTIED = "（空欄になります）"
GROUP_MISSING = "ファイルに団体の列がありません。取り込む団体を選んでください。"
MIN_AGE, MAX_AGE = 15, 110


def _empty(value) -> bool:
    return value in ("", None, ())


@dataclass
class Change:
    """One cell an update will change: the stored value and the file's, as stored."""

    key: str
    label: str
    old: object
    new: object

    @property
    def emptied(self) -> bool:
        return _empty(self.new) and not _empty(self.old)


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
    warnings: list[CellError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)  # with the old values, for the preview
    write: dict = field(default_factory=dict)  # for an update: the fields to write
    kept: dict = field(default_factory=dict)  # key -> stored value a blank cell keeps
    was_active: bool | None = None  # for an update: the stored 状態

    @property
    def active(self) -> bool:
        """The 状態 the row asks for: 登録中 unless it says 登録終了."""
        return self.values.get("active", True) is not False

    @property
    def ends(self) -> bool:
        """The row ends a registered supporter's registration."""
        return self.was_active is True and not self.active

    @property
    def name_key(self) -> str:
        return Supporter.normalise_name(self.values.get("name", ""))

    @property
    def action_label(self) -> str:
        return Action.LABELS.get(self.action, "")

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
    blank_clears: bool = False  # an empty cell clears the stored value (else it keeps it)
    end_missing: bool = False  # registered supporters of the file's groups not in it are ended
    file_warnings: list[str] = field(default_factory=list)  # e.g. rows skipped as notes
    group_error: str = ""  # no group column and no group chosen: one message at the choice
    suggested_group: SupportGroup | None = None  # named by the title row, or the only one
    missing: list[dict] = field(default_factory=list)  # with end_missing: who will be ended

    @property
    def errors(self) -> list[str]:
        return [
            *self.file_errors,
            *([self.group_error] if self.group_error else []),
            *self.row_errors,
        ]

    @property
    def row_errors(self) -> list[str]:
        return [str(e) for entry in self.entries for e in entry.errors]

    @property
    def warnings(self) -> list[str]:
        return [*self.file_warnings, *(str(w) for entry in self.entries for w in entry.warnings)]

    @property
    def ok(self) -> bool:
        return (
            not self.file_errors
            and not self.group_error
            and all(not entry.errors for entry in self.entries)
        )

    @property
    def ended_count(self) -> int:
        """Registrations this import ends: rows saying 登録終了 and, when chosen, the missing."""
        return sum(1 for e in self.entries if e.ends) + len(self.missing)

    @property
    def emptied_count(self) -> int:
        """Stored values this import empties (blank cells, when chosen to clear)."""
        return sum(1 for e in self.entries for c in e.changes if c.emptied)

    @property
    def kept_count(self) -> int:
        """Stored values kept because the file's cell is blank."""
        return sum(len(e.kept) for e in self.entries)

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
            [e.number, e.action, e.group_id, e.supporter_id, e.changed, e.values, e.write]
            for e in self.entries
        ]
        options = [self.blank_clears, self.end_missing, [m["id"] for m in self.missing]]
        # Dates become ISO strings and tuples lists: the same for a plan and its JSON copy.
        encoded = json.dumps(
            [self.fields, content, options], ensure_ascii=False, sort_keys=True, default=str
        )
        return hashlib.sha256(encoded.encode()).hexdigest()

    def headers(self) -> list[str]:
        return [LABELS[key] for key in self.fields]

    def count_rows(self) -> list[tuple[str, int, str]]:
        """(label, count, action) for each action, in the order the preview shows them."""
        counts = self.counts
        return [(label, counts[action], action) for action, label in Action.LABELS.items()]

    def show(self, key: str, value) -> str:
        """A stored or file value as the preview shows it."""
        if key == "help_categories":
            return "、".join(self.categories.get(pk, "") for pk in value or ())
        if isinstance(value, date):
            return format_date(value)
        return value or ""

    def preview_rows(self) -> list[dict]:
        """Every entry with its cells as shown (old → new for a changed cell, marked when it
        empties a stored value or keeps one for a blank cell) and its errors and warnings."""
        rows = []
        for entry in self.entries:
            changes = {c.key: c for c in entry.changes}
            cells = []
            for key in self.fields:
                value = entry.values.get(key)
                change = changes.get(key)
                cell = {"new": self.show(key, value), "old": None, "emptied": False}
                if change is not None:
                    cell.update(old=self.show(key, change.old), emptied=change.emptied)
                elif key in entry.kept:
                    # Blank in the file over a stored value: kept, but shown, in case the
                    # person meant to clear it (or the file lost it).
                    cell.update(kept=True, old=self.show(key, entry.kept[key]))
                cells.append(cell)
            rows.append(
                {
                    "entry": entry,
                    "cells": cells,
                    "status": self.status_cell(entry),
                    "errors": [_in_column(e) for e in entry.errors],
                    "warnings": [_in_column(w) for w in entry.warnings],
                }
            )
        return rows

    def status_cell(self, entry: Entry) -> dict:
        new = ACTIVE_LABEL[entry.active]
        if entry.was_active is None or entry.was_active == entry.active:
            return {"new": new, "old": None, "ends": False}
        return {"new": new, "old": ACTIVE_LABEL[entry.was_active], "ends": entry.ends}


def _in_column(error: CellError) -> str:
    return error.message if not error.column else f"「{error.column}」{error.message}"


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
        self.group_missing = False  # no group column, no group chosen: said once, not per row
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

    def entries(self, table: Table, notices: list[str], warnings: list[str]) -> list[Entry]:
        fields = [key for key in FIELDS if key in table.headers]
        entries = []
        for row in table.rows:
            if is_example(row.values.get("name")):
                notices.append(f"{row.number}行目は記入例のため取り込みません。")
                continue
            note = note_only(row.values)
            if note:
                warnings.append(
                    f"{row.number}行目は注記（「{note}」）だけの行のため取り込みません。"
                    "人の行なら氏名を書いてください。"
                )
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
        if "status" in table.headers:
            self.parse_status(entry, raw.get("status"), problem)

        def warn(key, message):
            entry.warnings.append(CellError(number, table.header_of(key), message))

        birth = entry.values.get("birth_date")
        if birth and birth > self.today:
            problem("birth_date", "生年月日が未来の日付です。")
        elif birth:
            age = _age(birth, self.today)
            if age < MIN_AGE or age > MAX_AGE:
                warn(
                    "birth_date",
                    f"この生年月日では{age}歳です（{format_date(birth)}）。誤りでないか確かめてください。",
                )
        registered = entry.values.get("registered_on")
        if registered and registered > self.today:
            warn(
                "registered_on",
                f"登録日が未来の日付です（{format_date(registered)}）。誤りでないか確かめてください。",
            )
        phone = entry.values.get("phone")
        digits = re.sub(r"[^0-9]", "", phone or "")
        if digits and digits[0] != "0" and len(digits) in (9, 10):
            warn(
                "phone",
                f"先頭の0が抜けているようです（「{phone}」→ 0{digits}?）。"
                "Excelで数値として扱われると0が消えます。",
            )
        self.resolve_group(entry, raw.get("group"), "group" in table.headers, problem)
        # Errors in the order of the file's columns, as the person will read along the row.
        order = {table.header_of(k): i for k, i in table.positions.items()}
        entry.errors.sort(key=lambda e: order.get(e.column, -1))
        entry.warnings.sort(key=lambda e: order.get(e.column, -1))
        return entry

    def parse_status(self, entry, value, problem):
        written = normalise_text(value)
        if not written:
            return  # blank: 登録中, as a row without the column
        active = STATUS_VALUES.get(normalise_header(written))
        if active is None:
            problem(
                "status",
                f"「{written}」は状態として読めません。「登録中」か「登録終了」と書いてください"
                "（在籍・活動中は登録中、退会・終了・脱退は登録終了として読みます）。",
            )
            return
        entry.values["active"] = active

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
        elif has_column:
            problem("group", "団体が空欄です。")
            return
        else:
            self.group_missing = True
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


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


_NOTE_MARK = re.compile(r"^[※*＊注]")


def note_only(values: dict) -> str:
    """A row holding one text and nothing else, written as a note (※…, 注…) or in 備考:
    a footnote under the list such as 「※20名分は別シート」. Returns the note, else ""."""
    name = values.get("name")
    if isinstance(name, str) and name.strip() and not _NOTE_MARK.match(name.strip()):
        return ""  # a person's row: the common case, decided without normalising
    filled = [(key, v) for key, v in values.items() if not _empty(normalise_text(v))]
    if len(filled) != 1:
        return ""
    key, value = filled[0]
    text = normalise_text(value)
    if _NOTE_MARK.match(text) or (key == "note" and isinstance(value, str)):
        return text
    return ""


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
    blank_clears: bool = False,
    end_missing: bool = False,
) -> ImportPlan:
    """Read and validate a file; a refused file gives a plan with one file error.

    ``blank_clears``: an empty cell clears the stored value (by default it keeps it).
    ``end_missing``: registered supporters of the file's groups that it does not list are
    ended. A file without a group column, read without ``default_group``, gives one
    ``group_error`` and, when the title row names one of ``allowed_groups``, a
    ``suggested_group``.
    """
    allowed_groups = list(allowed_groups)
    reader = Reader(allowed_groups=allowed_groups, default_group=default_group)
    options = {"blank_clears": blank_clears, "end_missing": end_missing}
    try:
        table = read_table(data, COLUMNS, filename=filename, encoding=encoding, sheet=sheet)
    except SpreadsheetError as error:
        return ImportPlan(
            entries=[],
            fields=[],
            file_errors=[str(error)],
            categories=reader.category_names,
            **options,
        )
    fields = [key for key in FIELDS if key in table.headers]
    notices: list[str] = []
    warnings: list[str] = []
    result = ImportPlan(
        entries=reader.entries(table, notices, warnings),
        notices=notices,
        file_warnings=warnings,
        fields=fields,
        header_row=table.header_row,
        encoding=table.encoding,
        sheet=table.sheet,
        categories=reader.category_names,
        **options,
    )
    if table.ignored_headers:
        ignored = "、".join(f"「{h}」" for h in table.ignored_headers)
        result.notices.insert(0, f"次の列は取り込みません: {ignored}")
    if not result.entries:
        result.file_errors.append("記入例のほかに取り込む行がありません。")
    if reader.group_missing:
        result.group_error = GROUP_MISSING
        title = title_text(data, filename, encoding, sheet, table.header_row)
        result.suggested_group = group_named_in(title, allowed_groups)
        if result.suggested_group is None and len(allowed_groups) == 1:
            result.suggested_group = allowed_groups[0]
    return result


def title_text(data: bytes, filename: str, encoding, sheet, header_row: int) -> str:
    """The text of the rows above the header (a title such as 「城山地区 サポーター名簿」)."""
    texts = []
    try:
        for number, cells in read_rows(data, filename=filename, encoding=encoding, sheet=sheet):
            if number >= header_row:
                break
            texts.extend(normalise_text(c) for c in cells if not _empty(normalise_text(c)))
    except SpreadsheetError:
        return ""
    return " ".join(texts)


def group_named_in(title: str, groups) -> SupportGroup | None:
    """The one group among ``groups`` whose name (団体名, 地区, モデル地区名) the title contains;
    the longest name wins, so 「平城山」 is not taken for 「平」."""
    written = normalise_header(title)
    if not written:
        return None
    found: dict[int, tuple[int, SupportGroup]] = {}
    for group in groups:
        for key in (group.name, group.district_label, group.model_label):
            key = normalise_header(key or "")
            if key and key in written and len(key) > found.get(group.pk, (0, None))[0]:
                found[group.pk] = (len(key), group)
    if not found:
        return None
    longest = max(length for length, _ in found.values())
    best = [group for length, group in found.values() if length == longest]
    return best[0] if len(best) == 1 else None


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
            "登録中",
        ]
    )
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for cell in sheet[4]:
        cell.fill = PatternFill("solid", fgColor="FFF1C2")
    widths = [12, 18, 18, 16, 30, 16, 14, 28, 20, 12]
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
    guide.append(
        [
            "状態",
            "登録中 か 登録終了（在籍・活動中は登録中、退会・終了・脱退は登録終了）。"
            "空欄は登録中。登録終了の行は取込の日付で登録を終えます",
        ]
    )
    guide.append(
        [
            "空欄のセル",
            "登録済みの人の値は残ります。消したいときは取込画面で「空欄のセルは登録内容を消す」を選びます",
        ]
    )
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
        entry.changes, entry.write, entry.kept, entry.was_active = [], {}, {}, None
    result.missing = []
    if result.group_error:
        return result  # rows without a group cannot be compared with anyone
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
            if first.active != entry.active:
                differing.append(LABELS["status"])
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
        entry.was_active = current["active"]
        for key in result.fields:
            new, old = entry.values[key], current[key]
            if _empty(new) and not _empty(old) and not result.blank_clears:
                entry.kept[key] = old
            elif new != old:
                entry.changes.append(Change(key, LABELS[key], old, new))
                entry.write[key] = new
        changed = [c.label for c in entry.changes]
        if entry.active != current["active"]:
            changed.append(ACTIVE_LABEL[entry.active])
        entry.changed = changed
        entry.action = Action.UPDATE if changed else Action.UNCHANGED
    if result.end_missing and result.ok:
        listed = {(e.group_id, e.name_key) for e in result.entries}
        labels = {e.group_id: e.group_label for e in result.entries}
        result.missing = sorted(
            (
                {"id": s["id"], "name": s["name"], "group": labels[key[0]]}
                for key, s in existing.items()
                if s["active"] and key not in listed
            ),
            key=lambda m: (m["group"], m["name"], m["id"]),
        )
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

"""Importing survey tallies from a spreadsheet, all or nothing, through the site's reading layer
(``core.spreadsheets``).

Two layouts are read, told apart by their header:

* **one row per category** (縦持ち): 圏域, 年度, 項目, 希望者数, 分類, 備考;
* **one row per area** (横持ち): 圏域, 年度, then per category a count column (「①声かけ」 or
  「①声かけ 希望者数」) and optionally a classification column (「①声かけ 分類」). The matrix
  export is in this layout, so an exported sheet can be corrected and read back.

Both may carry the survey's 回答者数 and 実施日. 圏域 and 年度 may be left out of the file when
the upload form names them. A column present in the file is the truth for the cells it covers
(an empty cell clears the value); a column absent leaves the stored value alone.

``prepare`` reads and checks the whole file and plans what would change, writing nothing; every
problem becomes a ``CellError`` naming the row and column as the spreadsheet shows them.
``needs_survey.services.apply_import`` writes a plan in one transaction, and only if planning
the same payload again gives the same ``digest``, i.e. nothing the preview showed has changed
in between.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError

from core import spreadsheets
from core.spreadsheets import CellError, Column, SpreadsheetError, ValueProblem
from core.wareki import WarekiError, format_date, format_fiscal_year, parse_fiscal_year
from councils.models import Area, Council, Tier
from needs_survey.models import Classification, HelpCategory, Survey, SurveyResult

LONG = "long"
WIDE = "wide"

HEADER_FIELDS = ("respondents", "conducted_from", "conducted_until")
RESULT_FIELDS = ("requests", "classification", "note")
NOTE_MAX_LENGTH = SurveyResult._meta.get_field("note").max_length
FIELD_LABELS = {
    "respondents": "回答者数",
    "conducted_from": "実施日",
    "conducted_until": "実施期間(終了)",
    "requests": "希望者数",
    "classification": "分類",
    "note": "備考",
}

# What people write for each classification; symbols as survey sheets often use them.
CLASSIFICATION_WORDS = {
    Classification.CAN: ("できる", "出来る", "可", "○", "〇", "◯"),
    Classification.NEEDS_INGENUITY: (
        "工夫必要",
        "工夫が必要",
        "工夫すればできる",
        "要工夫",
        "工夫",
        "△",
    ),
    Classification.DIFFICULT: ("難しい", "むずかしい", "困難", "×", "✕"),
}
UNCLASSIFIED_WORDS = ("", "未分類", "-", "ー", "―", "未")


class ImportRefused(Exception):
    """The confirmed plan can no longer be applied; the message is Japanese."""


def _key(text) -> str:
    return spreadsheets.normalise_header(text)


_CLASSIFICATIONS = {
    _key(word): value for value, words in CLASSIFICATION_WORDS.items() for word in words
} | {_key(word): "" for word in UNCLASSIFIED_WORDS}


def columns(categories) -> list[Column]:
    """Every column either layout may have."""
    fixed = [
        Column("area", "圏域", ("圏域名", "旧市町村圏域", "第2層協議体", "協議体")),
        Column("fiscal_year", "年度", ("調査年度",)),
        Column("category", "項目", ("手伝ってほしいこと", "項目名", "カテゴリ", "区分")),
        Column("requests", "希望者数", ("件数", "人数", "希望", "希望数")),
        Column("classification", "分類", ("判定", "評価")),
        Column("note", "備考", ("メモ", "特記事項")),
        Column("respondents", "回答者数", ("回答者", "回答人数")),
        Column("conducted_from", "実施日", ("実施期間(開始)", "調査日", "開始日", "実施日(開始)")),
        Column("conducted_until", "実施期間(終了)", ("終了日", "実施日(終了)")),
    ]
    per_category = []
    for category in categories:
        n, name, label = category.number, category.name, str(category)
        per_category.append(
            Column(
                f"requests_{n}",
                label,
                (name, f"{n}{name}", f"{label} 希望者数", f"{name} 希望者数", f"{n}{name}希望者数"),
            )
        )
        per_category.append(
            Column(f"classification_{n}", f"{label} 分類", (f"{name} 分類", f"{n}{name}分類"))
        )
    return fixed + per_category


# --- the plan ------------------------------------------------------------------------------


@dataclass
class PlannedSurvey:
    """What one survey (area × fiscal year) would become."""

    area: Area
    fiscal_year: int
    rows: list[int] = field(default_factory=list)
    header: dict[str, object] = field(default_factory=dict)
    results: dict[int, dict[str, object]] = field(default_factory=dict)  # category number -> values
    survey: Survey | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.area} {format_fiscal_year(self.fiscal_year)}"

    @property
    def action(self) -> str:
        if self.survey is None:
            return "create"
        return "update" if self.changes else "unchanged"

    @property
    def action_label(self) -> str:
        return {"create": "新規", "update": "更新", "unchanged": "変更なし"}[self.action]

    @property
    def rows_label(self) -> str:
        return "、".join(str(n) for n in self.rows)

    def to_json(self):
        return {
            "area": self.area.pk,
            "fiscal_year": self.fiscal_year,
            "rows": self.rows,
            "header": {k: _json_value(v) for k, v in self.header.items()},
            "results": {str(n): values for n, values in self.results.items()},
        }


@dataclass
class SurveyImportPlan:
    layout: str = ""
    header_row: int = 0
    sheet: str = ""
    encoding: str = ""
    surveys: list[PlannedSurvey] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.surveys)

    @property
    def layout_label(self) -> str:
        return {LONG: "1行に1項目", WIDE: "1行に1圏域(項目ごとの列)"}.get(self.layout, "")

    def payload(self):
        return [planned.to_json() for planned in self.surveys]

    @property
    def digest(self) -> str:
        """A hash of what would be written and of the stored values it would replace."""
        state = [
            {
                "plan": planned.to_json(),
                "before": _stored_state(planned.survey, planned.results),
            }
            for planned in self.surveys
        ]
        text = json.dumps(state, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def counts(self):
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for planned in self.surveys:
            counts[planned.action] += 1
        return counts


def _json_value(value):
    return value.isoformat() if isinstance(value, date) else value


def _stored_state(survey, results):
    if survey is None:
        return None
    stored = survey.results_by_category()
    by_number = {r.category.number: r for r in stored.values()}
    return {
        "header": {name: _json_value(getattr(survey, name)) for name in HEADER_FIELDS},
        "results": {
            str(n): (
                {f: getattr(by_number[n], f) for f in RESULT_FIELDS} if n in by_number else None
            )
            for n in sorted(results)
        },
    }


# --- reading -------------------------------------------------------------------------------


def prepare(
    data: bytes,
    *,
    filename: str,
    allowed_areas,
    default_area: Area | None = None,
    default_fiscal_year: int | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
) -> SurveyImportPlan:
    """Read ``data`` and plan the import; writes nothing. ``allowed_areas``: the user's areas."""
    categories = list(HelpCategory.objects.all())
    plan = SurveyImportPlan()
    try:
        table = spreadsheets.read_table(
            data, columns(categories), filename=filename, encoding=encoding, sheet=sheet
        )
    except SpreadsheetError as error:
        plan.errors.append(CellError(0, "", str(error)))
        return plan
    plan.header_row, plan.sheet, plan.encoding = table.header_row, table.sheet, table.encoding
    present = set(table.headers)
    if "category" in present:
        plan.layout = LONG
    elif any(key.startswith(("requests_", "classification_")) for key in present):
        plan.layout = WIDE
    else:
        plan.errors.append(
            CellError(
                table.header_row,
                "",
                "見出しに「項目」の列も、項目ごとの列（「①声かけ」「①声かけ 分類」など）もありません。",
            )
        )
        return plan
    for key, default, label in (
        ("area", default_area, "圏域"),
        ("fiscal_year", default_fiscal_year, "年度"),
    ):
        if key not in present and default is None:
            plan.errors.append(
                CellError(
                    table.header_row,
                    "",
                    f"「{label}」の列がありません。列を加えるか、取込画面で{label}を選んでください。",
                )
            )
    if plan.errors:
        return plan
    if table.ignored_headers:
        plan.notices.append(
            "次の列は読み込みません: " + "、".join(f"「{h}」" for h in table.ignored_headers)
        )

    reader = _RowReader(table, categories, allowed_areas, default_area, default_fiscal_year)
    planned: dict[tuple[int, int], PlannedSurvey] = {}
    for row in table.rows:
        reader.read(row, plan.layout, planned)
    plan.errors.extend(reader.errors)
    plan.surveys = sorted(planned.values(), key=lambda p: (p.fiscal_year, p.area.position))
    if reader.skipped:
        plan.notices.append(
            f"取り込む値のない行を読み飛ばしました: {'、'.join(map(str, reader.skipped))}行目"
        )
    if not plan.errors:
        _compare_with_stored(plan.surveys)
        plan.errors.extend(_check_surveys(plan.surveys))
    if not plan.surveys and not plan.errors:
        plan.errors.append(CellError(table.header_row, "", "取り込む値のある行がありません。"))
    return plan


class _RowReader:
    def __init__(self, table, categories, allowed_areas, default_area, default_fiscal_year):
        self.table = table
        self.categories = {c.number: c for c in categories}
        self.category_keys = {}
        for c in categories:
            for text in (str(c.number), c.name, str(c), f"{c.number}{c.name}"):
                self.category_keys[_key(text)] = c.number
        self.areas = {}
        for council in Council.objects.filter(tier=Tier.SECOND).select_related("area"):
            self.areas[_key(council.area.name)] = council.area
            self.areas[_key(council.name)] = council.area
        self.allowed = {area.pk for area in allowed_areas}
        self.default_area = default_area
        self.default_fiscal_year = default_fiscal_year
        self.errors: list[CellError] = []
        self.skipped: list[int] = []
        self.seen: dict[tuple[int, int, int], int] = {}  # (area, year, category) -> row

    def error(self, row, key, message):
        self.errors.append(CellError(row.number, self.table.header_of(key) if key else "", message))

    def read(self, row, layout, planned):
        values = row.values
        errors_before = len(self.errors)
        area = self.area(row)
        fiscal_year = self.fiscal_year(row)
        header = self.header(row)
        if layout == LONG:
            number = self.category(row)
            values_read = self.result_values(row, "")  # checked even when the category is not
            results = {number: values_read} if number else {}
        else:
            results = {}
            for n in self.categories:
                keys = [k for k in (f"requests_{n}", f"classification_{n}") if k in values]
                if keys and any(not _blank(values[k]) for k in keys):
                    results[n] = self.result_values(row, f"_{n}")
                elif keys:
                    # Present but empty: clears what is stored, only for a survey being written.
                    results[n] = {k.split("_")[0]: _EMPTY[k.split("_")[0]] for k in keys}
            if not any(
                not _blank(v) for k, v in values.items() if k not in ("area", "fiscal_year")
            ):
                self.skipped.append(row.number)
                return
        if len(self.errors) > errors_before or area is None or fiscal_year is None:
            return
        target = planned.get((area.pk, fiscal_year))
        if target is None:
            target = planned[area.pk, fiscal_year] = PlannedSurvey(area, fiscal_year)
        target.rows.append(row.number)
        for name, value in header.items():
            if name in target.header and target.header[name] != value:
                self.error(
                    row,
                    name,
                    f"同じ調査({target.label})の{target.rows[0]}行目と値が違います。",
                )
                continue
            target.header[name] = value
        for number, result in results.items():
            seen_at = self.seen.get((area.pk, fiscal_year, number))
            if seen_at is not None:
                self.error(
                    row,
                    "category" if layout == LONG else f"requests_{number}",
                    f"{target.label}の{self.categories[number]}は{seen_at}行目にもあります。",
                )
                continue
            self.seen[area.pk, fiscal_year, number] = row.number
            target.results[number] = result

    def area(self, row):
        raw = row.values.get("area")
        if _blank(raw):
            if self.default_area is None:
                self.error(row, "area", "圏域が空欄です。")
                return None
            area = self.default_area
        else:
            area = self.areas.get(_key(spreadsheets.normalise_text(raw)))
            if area is None:
                names = "、".join(a.name for a in Area.objects.all())
                self.error(
                    row,
                    "area",
                    f"圏域「{spreadsheets.normalise_text(raw)}」がありません。使える圏域: {names}",
                )
                return None
        if area.pk not in self.allowed:
            self.error(row, "area", f"{area}は担当する圏域ではないため取り込めません。")
            return None
        return area

    def fiscal_year(self, row):
        raw = row.values.get("fiscal_year")
        if _blank(raw):
            if self.default_fiscal_year is None:
                self.error(row, "fiscal_year", "年度が空欄です。")
            return self.default_fiscal_year
        try:
            return parse_fiscal_year(spreadsheets.normalise_text(raw))
        except WarekiError as error:
            self.error(row, "fiscal_year", str(error))
            return None

    def category(self, row):
        raw = row.values.get("category")
        if _blank(raw):
            self.error(row, "category", "項目が空欄です。")
            return None
        text = spreadsheets.normalise_text(raw)
        number = self.category_keys.get(_key(text))
        if number is None:
            self.error(
                row,
                "category",
                f"項目「{text}」がありません。①〜⑬の番号か、声かけ・買物などの項目名で書いてください。",
            )
        return number

    def header(self, row):
        values = {}
        if "respondents" in row.values:
            count = self.count(row, "respondents")
            if count is not _INVALID:
                values["respondents"] = count
        for name in ("conducted_from", "conducted_until"):
            if name in row.values:
                try:
                    values[name] = spreadsheets.parse_date_value(row.values[name])
                except ValueProblem as problem:
                    self.error(row, name, str(problem))
        start, end = values.get("conducted_from"), values.get("conducted_until")
        if start and end and end < start:
            self.error(row, "conducted_until", "終了日が開始日より前になっています。")
        return values

    def result_values(self, row, suffix):
        values = {}
        requests_key, class_key = f"requests{suffix}", f"classification{suffix}"
        if requests_key in row.values:
            count = self.count(row, requests_key)
            if count is not _INVALID:
                values["requests"] = count
        if class_key in row.values:
            raw = spreadsheets.normalise_text(row.values[class_key])
            value = _CLASSIFICATIONS.get(_key(raw))
            if value is None:
                self.error(
                    row,
                    class_key,
                    f"分類「{raw}」は使えません。できる・工夫必要・難しい"
                    "（○・△・×も可）のいずれかにしてください。",
                )
            else:
                values["classification"] = value
        if not suffix and "note" in row.values:
            note = spreadsheets.normalise_text(row.values["note"])
            if len(note) > NOTE_MAX_LENGTH:
                # Refused, never cut: nothing imported is silently lost.
                self.error(
                    row, "note", f"{NOTE_MAX_LENGTH}文字以内にしてください（{len(note)}文字）。"
                )
            else:
                values["note"] = note
        return values

    def count(self, row, key):
        raw = row.values.get(key)
        if _blank(raw):
            return None
        if isinstance(raw, bool):
            self.error(row, key, "数字で入力してください。")
            return _INVALID
        if isinstance(raw, int | float):
            number = raw
        else:
            text = re.sub(r"(人|件|名)$", "", spreadsheets.normalise_text(raw)).replace(",", "")
            try:
                number = float(text)
            except ValueError:
                self.error(
                    row, key, f"数字で入力してください: 「{spreadsheets.normalise_text(raw)}」"
                )
                return _INVALID
        if number != int(number) or number < 0:
            self.error(row, key, f"0以上の整数で入力してください: {raw}")
            return _INVALID
        if number > 1_000_000:
            self.error(row, key, f"数が大きすぎます: {raw}")
            return _INVALID
        return int(number)


_INVALID = object()
_EMPTY = {"requests": None, "classification": ""}


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _compare_with_stored(surveys: list[PlannedSurvey]):
    """Attach the stored survey to each plan and list what would change, in words."""
    stored = {
        (s.council.area_id, s.fiscal_year): s
        for s in Survey.objects.of_areas()
        .filter(
            council__area__in=[p.area for p in surveys],
            fiscal_year__in={p.fiscal_year for p in surveys},
        )
        .select_related("council")
        .prefetch_related("results__category")
    }
    categories = {c.number: c for c in HelpCategory.objects.all()}
    for planned in surveys:
        planned.survey = stored.get((planned.area.pk, planned.fiscal_year))
        planned.changes = _describe_changes(planned, categories)


def _check_surveys(surveys):
    """The survey-level rules (a period in order, an end only with a start) on what the
    survey would become, stored values and file values together."""
    errors = []
    for planned in surveys:
        survey = Survey(
            fiscal_year=planned.fiscal_year,
            **{name: getattr(planned.survey, name, None) for name in HEADER_FIELDS},
        )
        for name, value in planned.header.items():
            setattr(survey, name, value)
        try:
            survey.clean()
        except ValidationError as error:
            for message in error.messages:
                errors.append(CellError(planned.rows[0], "", f"{planned.label}: {message}"))
    return errors


def _describe_changes(planned, categories):
    survey = planned.survey
    changes = []
    for name, value in planned.header.items():
        before = getattr(survey, name) if survey else None
        if before != value:
            changes.append(f"{FIELD_LABELS[name]}: {_shown(before)} → {_shown(value)}")
    stored = {r.category.number: r for r in survey.results.all()} if survey else {}
    for number, values in sorted(planned.results.items()):
        result = stored.get(number)
        for name, value in values.items():
            before = getattr(result, name) if result else _EMPTY.get(name, "")
            if before != value:
                changes.append(
                    f"{categories[number]} {FIELD_LABELS[name]}: {_shown(before, name)} → {_shown(value, name)}"
                )
    return changes


def _shown(value, name=""):
    if value is None or value == "":
        return "(空欄)"
    if name == "classification":
        return Classification(value).label
    if isinstance(value, date):
        return format_date(value)
    return str(value)


# --- confirming ----------------------------------------------------------------------------


def plan_from_payload(payload) -> SurveyImportPlan:
    """Rebuild a plan from ``SurveyImportPlan.payload()`` against the database as it is now."""
    areas = Area.objects.in_bulk([item["area"] for item in payload])
    surveys = []
    for item in payload:
        header = {
            name: date.fromisoformat(value) if value and name.startswith("conducted") else value
            for name, value in item["header"].items()
        }
        surveys.append(
            PlannedSurvey(
                area=areas[item["area"]],
                fiscal_year=item["fiscal_year"],
                rows=item["rows"],
                header=header,
                results={int(n): values for n, values in item["results"].items()},
            )
        )
    plan = SurveyImportPlan(surveys=surveys)
    _compare_with_stored(plan.surveys)
    return plan

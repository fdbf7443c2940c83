"""A fiscal year's 活動実績: the journal counted per coordinator, per kind and per survey
question, with each coordinator's 今後の課題や提案. What the national survey asks for."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from coordinators.models import Coordinator
from journal.models import SURVEY_CATEGORIES, ActivityKind, JournalEntry, YearNote


def entries_url(fiscal_year, **filters) -> str:
    """The journal list showing the entries a figure counts."""
    query = {"fiscal_year": fiscal_year, **{k: v for k, v in filters.items() if v is not None}}
    return f"{reverse('journal:entry-list')}?{urlencode(query)}"


@dataclass
class Cell:
    count: int
    url: str


@dataclass
class CoordinatorRow:
    coordinator: Coordinator
    by_kind: list[Cell]
    by_category: list[Cell]
    total: Cell
    note: YearNote | None = None


@dataclass
class Rollup:
    fiscal_year: int
    kinds: list[tuple[str, str]]
    categories: list
    rows: list[CoordinatorRow] = field(default_factory=list)
    kind_totals: list[Cell] = field(default_factory=list)
    category_totals: list[Cell] = field(default_factory=list)
    total: Cell | None = None

    @property
    def kind_lines(self) -> list[tuple[str, Cell]]:
        return [
            (label, cell) for (_, label), cell in zip(self.kinds, self.kind_totals, strict=True)
        ]

    @property
    def category_lines(self) -> list[tuple[str, Cell]]:
        return [
            (category.label, cell)
            for category, cell in zip(self.categories, self.category_totals, strict=True)
        ]

    @property
    def notes_written(self) -> int:
        return sum(1 for row in self.rows if row.note is not None)


def journal_rollup(fiscal_year: int) -> Rollup:
    """Four queries whatever the number of entries: counts by coordinator and kind, counts by
    coordinator and survey question, the coordinators, their notes of the year."""
    entries = JournalEntry.objects.in_fiscal_year(fiscal_year).order_by()
    by_kind = {
        (row["coordinator"], row["kind"]): row["n"]
        for row in entries.values("coordinator", "kind").annotate(n=Count("pk"))
    }
    by_category = {
        row["coordinator"]: row
        for row in entries.values("coordinator").annotate(
            **{c.code: Count("pk", filter=Q(**{c.field: True})) for c in SURVEY_CATEGORIES}
        )
    }
    notes = {note.coordinator_id: note for note in YearNote.objects.in_fiscal_year(fiscal_year)}
    kinds = list(ActivityKind.choices)
    rollup = Rollup(fiscal_year=fiscal_year, kinds=kinds, categories=list(SURVEY_CATEGORIES))
    for coordinator in Coordinator.objects.order_by("number"):
        pk = coordinator.pk
        counts = [by_kind.get((pk, value), 0) for value, _ in kinds]
        rollup.rows.append(
            CoordinatorRow(
                coordinator=coordinator,
                by_kind=[
                    Cell(n, entries_url(fiscal_year, coordinator=pk, kind=value))
                    for n, (value, _) in zip(counts, kinds, strict=True)
                ],
                by_category=[
                    Cell(
                        by_category.get(pk, {}).get(c.code, 0),
                        entries_url(fiscal_year, coordinator=pk, led_to=c.code),
                    )
                    for c in SURVEY_CATEGORIES
                ],
                total=Cell(sum(counts), entries_url(fiscal_year, coordinator=pk)),
                note=notes.get(pk),
            )
        )
    rollup.kind_totals = [
        Cell(sum(row.by_kind[i].count for row in rollup.rows), entries_url(fiscal_year, kind=value))
        for i, (value, _) in enumerate(kinds)
    ]
    rollup.category_totals = [
        Cell(
            sum(row.by_category[i].count for row in rollup.rows),
            entries_url(fiscal_year, led_to=c.code),
        )
        for i, c in enumerate(SURVEY_CATEGORIES)
    ]
    rollup.total = Cell(sum(row.total.count for row in rollup.rows), entries_url(fiscal_year))
    return rollup

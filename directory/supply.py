"""Needs against supply: per area, what residents asked for in the needs survey (where it was
entered) beside the directory entries that provide it. The gaps are what a council should
work on: help residents asked for that no active entry of the area gives.

Read with a fixed number of queries: the needs survey's matrix (four) and one count of the
entries per area and category.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from directory.models import Entry, EntryStatus
from needs_survey.models import HelpCategory, MatrixCell, Survey


@dataclass(frozen=True)
class SupplyCell:
    category: HelpCategory
    need: MatrixCell
    active: int  # entries of the area offering it that are 活動中, published or not
    published: int  # of those, on the public pages

    @property
    def requests(self):
        return self.need.requests

    @property
    def is_gap(self) -> bool:
        """Residents asked for it (a count above zero) and no active entry offers it."""
        return (self.requests or 0) > 0 and self.active == 0


@dataclass(frozen=True)
class SupplyRow:
    area: object
    survey: Survey | None
    cells: list[SupplyCell]

    @property
    def gaps(self) -> list[SupplyCell]:
        return [cell for cell in self.cells if cell.is_gap]


def supply_counts(areas) -> dict[tuple[int, int], tuple[int, int]]:
    """{(area id, category id): (active entries, of which published)} for entries serving
    the areas. One query."""
    rows = (
        Entry.objects.filter(status=EntryStatus.ACTIVE, service_areas__in=areas)
        .order_by()
        .values("service_areas", "help_categories")
        .annotate(
            active=Count("pk", distinct=True),
            published=Count("pk", filter=Q(is_published=True), distinct=True),
        )
    )
    return {
        (row["service_areas"], row["help_categories"]): (row["active"], row["published"])
        for row in rows
        if row["help_categories"] is not None
    }


def needs_and_supply(fiscal_year, areas) -> tuple[list[HelpCategory], list[SupplyRow]]:
    """``areas`` is a queryset of areas (the matrix reads their districts with them)."""
    matrix = Survey.objects.matrix(fiscal_year, areas=areas)
    counts = supply_counts(areas)
    rows = []
    for row in matrix.rows:
        cells = [
            SupplyCell(cell.category, cell, *counts.get((row.area.pk, cell.category.pk), (0, 0)))
            for cell in row.cells
        ]
        rows.append(SupplyRow(area=row.area, survey=row.survey, cells=cells))
    return matrix.categories, rows

"""How many supporters there are, by each source, side by side.

The 2017 report gives two figures: the tier-3 activity table lists each group's registered
supporters (33, 24, 21, …: 299 in all), while the outcomes summary says 288. Both are in the
file; neither is "the" number. ``SupporterTotals`` puts them next to each other with their
sources and the difference, and adds the supporters registered in this system.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Sum

from activities.models import KeyFigure, Supporter, SupporterCount

PROGRAMME_FIGURE_KEY = "mutual_aid_supporters"


@dataclass
class SupporterTotals:
    groups_reported: int
    groups_with_counts: int
    groups_as_of: list[date]
    groups_sources: list[str]
    programme_figure: KeyFigure | None
    registered: int

    @property
    def programme_value(self) -> int | None:
        figure = self.programme_figure
        if figure is None or figure.value is None:
            return None
        return int(figure.value)

    @property
    def difference(self) -> int | None:
        """The groups' sum minus the programme's own figure (299 − 288 = 11 in 2017)."""
        if self.programme_value is None:
            return None
        return self.groups_reported - self.programme_value

    @classmethod
    def compute(cls, *, until: date | None = None, fiscal_year: int | None = None):
        """Three queries whatever the number of groups: the latest counts (on or before
        ``until`` when given) summed by the database per distinct (date, source), a handful of
        rows; the programme's figure (as recorded for ``fiscal_year``'s report, or the latest
        recorded); and the supporters registered here."""
        by_date_and_source = list(
            SupporterCount.objects.latest_per_group(until=until)
            .order_by()
            .values("as_of", "source")
            .annotate(total=Sum("count"), groups=Count("pk"))
        )
        return cls(
            groups_reported=sum(row["total"] for row in by_date_and_source),
            groups_with_counts=sum(row["groups"] for row in by_date_and_source),
            groups_as_of=sorted({row["as_of"] for row in by_date_and_source}),
            groups_sources=sorted({row["source"] for row in by_date_and_source}),
            programme_figure=KeyFigure.objects.filter(key=PROGRAMME_FIGURE_KEY)
            .latest_per_key(fiscal_year)
            .first(),
            registered=Supporter.objects.active().count(),
        )

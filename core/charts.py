"""Server-rendered SVG bar charts: no JavaScript, readable by screen readers and in print.

``bar_chart`` computes the geometry; ``templates/includes/bar_chart.svg.html`` draws it with a
``<title>`` and ``<desc>`` (referenced by ``aria-labelledby``), and every bar carries its own
``<title>`` with the label and value, so the chart says in text what it shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: float
    width: float
    url: str = ""


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    unit: str
    bars: list[Bar]
    ticks: list[tuple[int, float]]
    width: int
    height: int
    label_width: int
    plot_width: int
    bar_height: int
    top: int

    @property
    def axis_y(self) -> int:
        return self.height - 18


def _nice_step(maximum: int, ticks: int = 5) -> int:
    if maximum <= 0:
        return 1
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return max(1, int(factor * magnitude))
    return int(10 * magnitude)


def bar_chart(
    items: list[tuple[str, int | None, str]],
    *,
    title: str,
    description: str,
    unit: str = "",
    width: int = 640,
    bar_height: int = 18,
    gap: int = 6,
    label_width: int = 96,
) -> BarChart:
    """A horizontal bar chart of ``items`` (label, value, link URL); None counts as 0."""
    top = 8
    plot_width = width - label_width - 48
    values = [value or 0 for _, value, _ in items]
    step = _nice_step(max(values, default=0))
    scale_max = max(step, math.ceil(max(values, default=0) / step) * step)
    bars = [
        Bar(
            label=label,
            value=value or 0,
            y=top + index * (bar_height + gap),
            width=round(plot_width * (value or 0) / scale_max, 1),
            url=url,
        )
        for index, (label, value, url) in enumerate(items)
    ]
    ticks = [
        (tick, round(label_width + plot_width * tick / scale_max, 1))
        for tick in range(0, scale_max + 1, step)
    ]
    height = top + len(items) * (bar_height + gap) + 24
    return BarChart(
        title=title,
        description=description,
        unit=unit,
        bars=bars,
        ticks=ticks,
        width=width,
        height=height,
        label_width=label_width,
        plot_width=plot_width,
        bar_height=bar_height,
        top=top,
    )

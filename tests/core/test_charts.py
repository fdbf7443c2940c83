from core.charts import _nice_step, bar_chart


def test_bar_chart_scales_bars_to_the_largest_value_and_keeps_labels():
    chart = bar_chart(
        [("平", 57, "/a/"), ("川前", 5, ""), ("空", None, "")], title="t", description="d"
    )
    widths = {bar.label: bar.width for bar in chart.bars}
    assert widths["平"] > widths["川前"] > widths["空"] == 0
    assert widths["平"] <= chart.plot_width
    assert chart.ticks[0] == (0, chart.label_width)
    assert chart.ticks[-1][0] >= 57


def test_bar_chart_of_nothing_still_has_an_axis():
    chart = bar_chart([], title="t", description="d")
    assert chart.bars == []
    assert chart.ticks


def test_nice_steps():
    assert _nice_step(57) == 20
    assert _nice_step(299) == 100
    assert _nice_step(0) == 1

"""Charts that read (issue 16 §2): signed axes without −0.00, untruncated legends, flat density, device
markers per type, a 30-day trend with a real y axis, legends for every map layer."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from dashboard import charts
from dashboard.charts.desk import SIGNED_AXIS_LABEL, signed


def test_contribution_changes_never_read_minus_zero():
    assert signed(-0.0001) == "0" and signed(0.0002) == "0" and signed(-0.0123) == "-0.012"
    spec = charts.contribution_chart(
        pl.DataFrame({"axis_label": ["a", "b"], "contribution_change": [-0.001, 0.004]})
    )
    spec = spec.to_dict() if hasattr(spec, "to_dict") else spec
    text = str(spec)
    assert SIGNED_AXIS_LABEL.split("?")[0].strip() in text and "+.2f'" not in text.replace(
        SIGNED_AXIS_LABEL, ""
    )


def test_trend_has_a_y_axis_and_legends_do_not_truncate():
    days = [date(2025, 3, 1) + timedelta(days=i) for i in range(30)]
    trend = pl.DataFrame({"day": days, "cases": list(range(30)), "events": list(range(30))})
    spec = charts.trend_chart(trend, {"cases": "案件", "events": "事件"}, 230, True, "件")
    spec = spec.to_dict() if hasattr(spec, "to_dict") else spec
    assert spec["encoding"]["y"]["title"] == "件" and spec["height"] >= 200
    assert spec["config"]["legend"]["labelLimit"] == 0 and spec["config"]["axis"]["labelFontSize"] >= 16
    series = {f"d{i}": f"部门名称很长的第{i}个部门" for i in range(15)}
    data = pl.DataFrame({"period_label": ["2025-01", "2025-02"], **{k: [0.5, 0.6] for k in series}})
    spec = charts.period_trend_chart(data, "period_label", series, percent=True)
    spec = spec.to_dict() if hasattr(spec, "to_dict") else spec
    assert spec["config"]["legend"]["labelLimit"] == 0
    assert {"color", "strokeDash", "shape"} <= set(spec["encoding"])  # coinciding lines stay apart


def test_density_is_flat_and_devices_are_told_apart():
    bins = pl.DataFrame({"lon": [120.0, 120.01], "lat": [30.0, 30.01], "cases": [3, 5]})
    assert charts.hexagon_layer(bins, "cases").extruded is False
    devices = pl.DataFrame(
        {
            "device_id": ["c1", "c2", "s1"],
            "device_type": ["视频监控", "视频监控", "井盖位移传感器"],
            "device_name": ["a", "b", "c"],
            "grid_code": ["g", "g", "g"],
            "lon": [120.0] * 3,
            "lat": [30.0] * 3,
        }
    )
    layers, items = charts.device_layers(devices)
    assert len(layers) == 2 and [label for _, label in items] == ["视频监控", "井盖位移传感器"]
    assert items[0][0] != items[1][0]
    legend = charts.layer_legend(items, ("积压", "低", "高"))
    assert "视频监控" in legend and "井盖位移传感器" in legend and "linear-gradient" in legend


def test_trend_axis_covers_the_highest_point_and_the_legend_sits_beside_the_plot():
    """The wall's 30-day trend: labels stopped at 8 while a point reached 12, the legend floated above."""
    days = [date(2025, 3, 1) + timedelta(days=i) for i in range(30)]
    cases = [3, 5, 8, 4, 12, *([6] * 25)]
    trend = pl.DataFrame({"day": days, "cases": cases, "events": [1] * 30})
    spec = charts.trend_chart(trend, {"cases": "城运案件", "events": "网格事件"}, 260, True, "件")
    spec = spec.to_dict() if hasattr(spec, "to_dict") else spec
    y = spec["encoding"]["y"]
    labels = y["axis"]["values"]
    assert max(labels) >= 12 and y["scale"]["domain"] == [0, max(labels)] and labels[0] == 0
    assert 3 <= len(labels) <= 7  # a few round labels, each readable at 16 px
    assert spec["encoding"]["color"]["legend"]["orient"] in ("right", "bottom")
    assert spec["encoding"]["color"]["sort"] == ["城运案件", "网格事件"]  # same colours in either language


def test_count_ticks_are_round_and_end_at_or_above_the_top():
    from dashboard.charts.screens import count_ticks

    assert count_ticks(12) == [0, 5, 10, 15]
    assert count_ticks(8) == [0, 2, 4, 6, 8]
    assert count_ticks(41) == [0, 20, 40, 60]
    assert count_ticks(0) == [0, 1] and count_ticks(1) == [0, 1]
    for top in (3, 7, 16, 99, 101, 1234):
        ticks = count_ticks(top)
        assert ticks[-1] >= top and ticks[-2] < top and len(ticks) <= 7


def test_wall_bars_end_under_a_labelled_tick():
    """The wall's 30-day source / category bars ran past the last label (100) to about 110."""
    data = pl.DataFrame({"source": ["视频智能识别", "物联感知", "公众上报"], "cases": [110, 65, 3]})
    spec = charts.bar_chart(data, "source", "cases", 190, True)
    spec = spec.to_dict() if hasattr(spec, "to_dict") else spec
    x = spec["encoding"]["x"]
    assert max(x["axis"]["values"]) >= 110 and x["scale"]["domain"] == [0, max(x["axis"]["values"])]

"""Charts: well-formed, accessible, escaped, deterministic SVG whose shapes follow the data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest

from mkdocs_postmortems.kb_site.charts import (
    DOT_TITLES_UP_TO,
    DOTS_UP_TO,
    bar_chart,
    distribution_chart,
    stacked_bar_chart,
)
from mkdocs_postmortems.kb_site.stats import distribution

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & "quoted"'
MONTHS = ["2025-01", "2025-02", "2025-03"]
SEVERITIES = [("SEV1", [1, 0, 2]), ("SEV2", [0, 3, 5]), ("SEV3", [2, 1, 0])]  # totals 3, 4, 7


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def all_of(root: ET.Element, tag: str) -> list[ET.Element]:
    return list(root.iter(f"{NS}{tag}"))


def texts(root: ET.Element) -> list[str]:
    return [text.text for text in all_of(root, "text")]


def series_segments(root: ET.Element) -> list[ET.Element]:
    """The stacked bars' segments, not the legend swatches."""
    bars = root.find(f"{NS}g[@class='pm-chart__bars']")
    return list(bars.iter(f"{NS}rect"))


def tip(element: ET.Element) -> str:
    return element.find(f"{NS}title").text


def marker(root: ET.Element, name: str) -> list[ET.Element]:
    return [
        rect
        for rect in all_of(root, "rect")
        if rect.get("class") == f"pm-chart__{name}" and rect.find(f"{NS}title") is not None
    ]


def assert_accessible(root: ET.Element, chart_id: str, title: str) -> str:
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert root.get("width") == "100%" and root.get("viewBox").startswith("0 0 640 ")
    assert root.get("class") == "pm-chart"
    first, second = list(root)[:2]
    assert (first.tag, first.get("id"), first.text) == (f"{NS}title", f"{chart_id}-title", title)
    assert (second.tag, second.get("id")) == (f"{NS}desc", f"{chart_id}-desc")
    assert {e.tag for e in root.iter()}.isdisjoint({f"{NS}script", f"{NS}foreignObject", f"{NS}image"})
    assert all(e.get("style") is None and e.get("href") is None for e in root.iter())
    assert all(text.get("fill") == "currentColor" for text in all_of(root, "text"))
    return second.text


def test_stacked_bars_follow_the_data():
    root = parse(stacked_bar_chart("monthly", "Incidents per month", MONTHS, SEVERITIES))
    desc = assert_accessible(root, "monthly", "Incidents per month")
    assert desc.startswith("14 incidents over 3 months; most in 2025-03 (7).")
    segments = series_segments(root)
    assert len(segments) == 6  # one per non-zero count
    assert [tip(rect) for rect in segments][:2] == ["2025-01 · SEV1: 1", "2025-01 · SEV3: 2"]
    assert [rect.get("class") for rect in segments][:2] == ["pm-chart__s0", "pm-chart__s2"]
    assert all(rect.get("fill", "").startswith("#") for rect in segments)
    heights = {}
    for rect in segments:
        heights[rect.get("x")] = heights.get(rect.get("x"), 0) + float(rect.get("height"))
    columns = [heights[x] for x in sorted(heights, key=float)]
    assert columns[2] == max(columns)
    assert columns[0] / columns[2] == pytest.approx(3 / 7, abs=0.01)
    assert columns[1] / columns[2] == pytest.approx(4 / 7, abs=0.01)
    assert {"SEV1", "SEV2", "SEV3", "incidents", *MONTHS} <= set(texts(root))  # legend, axis label, months


def test_tallest_bar_reaches_the_top_gridline():
    root = parse(stacked_bar_chart("c", "t", ["a", "b"], [("x", [10, 4])]))
    tallest = max(series_segments(root), key=lambda rect: float(rect.get("height")))
    top_line = min(float(line.get("y1")) for line in all_of(root, "line"))
    assert float(tallest.get("y")) == pytest.approx(top_line, abs=0.1)
    assert "10" in texts(root)


def test_many_months_are_thinned_but_keep_first_and_last():
    months = [f"{2019 + i // 12}-{i % 12 + 1:02d}" for i in range(84)]
    root = parse(stacked_bar_chart("c", "t", months, [("SEV1", [i % 4 for i in range(84)])]))
    shown = [text for text in texts(root) if re.fullmatch(r"\d{4}-\d\d", text)]
    assert shown[0] == months[0] and shown[-1] == months[-1]
    assert 4 <= len(shown) <= 12
    xs = [float(t.get("x")) for t in all_of(root, "text") if t.text in shown]
    assert min(b - a for a, b in pairwise(xs)) > 7 * 7.2  # no two labels overlap
    assert all(0 <= x <= 640 for x in xs)
    assert len(series_segments(root)) == sum(1 for i in range(84) if i % 4)


def test_distribution_marks_median_and_p90_in_order():
    detect = distribution([1, 2, 3, 4, 5, 8, 13, 21, 60, 400, None])
    root = parse(
        distribution_chart(
            "ttx", "Durations", [("Time to detect", detect), ("Time to resolve", distribution([None, None]))]
        )
    )
    desc = assert_accessible(root, "ttx", "Durations")
    assert desc == (
        "Time to detect: median 6 min, p90 1 h 33 min over 10 values (1 missing); Time to resolve: no data."
    )
    [median], [p90] = marker(root, "median"), marker(root, "p90")
    assert float(median.get("x")) < float(p90.get("x"))
    assert tip(median) == "Time to detect · median: 6 min" and tip(p90) == "Time to detect · p90: 1 h 33 min"
    circles = all_of(root, "circle")
    dots = [c for c in circles if c.find(f"{NS}title") is not None]
    assert len(dots) == 10
    xs = [float(c.get("cx")) for c in dots]
    assert xs == sorted(xs) and xs[0] < float(median.get("x")) < xs[-1]
    labels = texts(root)
    assert "no data" in labels and "median 6 min" in labels and "p90 1 h 33 min" in labels
    assert {"1 min", "10 min", "1 h", "6 h"} <= set(labels) and "1 w" not in labels  # only ticks in range


def test_log_scale_places_ticks_by_ratio():
    root = parse(distribution_chart("c", "t", [("r", distribution([1, 10, 100, 1000]))]))
    ticks = {t.text: float(t.get("x")) for t in all_of(root, "text") if t.text in ("1 min", "10 min", "1 d")}
    decade = ticks["10 min"] - ticks["1 min"]
    assert decade > 0
    assert ticks["1 d"] - ticks["1 min"] == pytest.approx(decade * 3.158, abs=0.5)  # log10(1440)


def test_many_dots_have_no_titles_but_markers_do():
    many = distribution(float(i % 500) for i in range(2000))
    svg = distribution_chart("c", "t", [("Time to resolve", many)])
    root = parse(svg)
    circles = [c for c in all_of(root, "circle") if c.get("class") is None]
    assert len(circles) == DOTS_UP_TO > DOT_TITLES_UP_TO  # 2,000 values: their quantiles, evenly spread
    assert all(c.find(f"{NS}title") is None for c in circles)
    assert len(marker(root, "median")) == 1 and len(marker(root, "p90")) == 1
    assert len(svg) < 2000 * 50  # short markup per dot


def test_bar_chart_lengths_and_values():
    root = parse(
        bar_chart(
            "ttr", "Median time to resolve", [("checkout", 150), ("orders-db", 30), ("search", 0)], unit="minutes"
        )
    )
    desc = assert_accessible(root, "ttr", "Median time to resolve")
    assert desc == "3 bars; highest checkout (2 h 30 min), lowest search (0 s)."
    bars = series_segments(root)
    assert [tip(bar) for bar in bars] == ["checkout: 2 h 30 min", "orders-db: 30 min", "search: 0 s"]
    widths = [float(bar.get("width")) for bar in bars]
    assert widths[0] == max(widths) and widths[1] == pytest.approx(widths[0] / 5, abs=0.1) and widths[2] == 0
    assert {"checkout", "2 h 30 min", "30 min"} <= set(texts(root))


@pytest.mark.parametrize(
    "make",
    [
        lambda label: stacked_bar_chart("c", label, [label], [(label, [2])], y_label=label),
        lambda label: distribution_chart("c", label, [(label, distribution([1, 5, 9]))]),
        lambda label: bar_chart("c", label, [(label, 3.0)], unit=label),
    ],
)
def test_hostile_labels_are_escaped(make):
    svg = make(HOSTILE)
    assert "<script" not in svg
    root = parse(svg)
    assert not all_of(root, "script")
    assert all_of(root, "title")[0].text == HOSTILE
    assert HOSTILE in all_of(root, "desc")[0].text
    assert any(text and HOSTILE.startswith(text.rstrip("…")) for text in texts(root))  # maybe cut to fit
    assert any(HOSTILE in tip(e) for e in root.iter() if e.find(f"{NS}title") is not None and e.tag != f"{NS}svg")


def test_long_labels_are_cut_in_the_picture_but_whole_in_the_tooltip():
    label = "a-service-with-a-remarkably-long-name-" * 4
    root = parse(bar_chart("c", "t", [(label, 1.0)]))
    assert texts(root)[0].endswith("…") and len(texts(root)[0]) < len(label)
    assert tip(series_segments(root)[0]) == f"{label}: 1"


@pytest.mark.parametrize(
    "make",
    [
        lambda: stacked_bar_chart("c", "t", MONTHS, SEVERITIES),
        lambda: distribution_chart("c", "t", [("a", distribution([0.3, 2.25, 7, 1e4])), ("b", distribution([]))]),
        lambda: bar_chart("c", "t", [("a", 1 / 3), ("b", 2 / 3)]),
    ],
)
def test_same_input_same_bytes(make):
    first = make()
    assert first == make()
    assert not re.search(r"\d\.\d\d", first)  # one decimal at most


@pytest.mark.parametrize(
    "svg",
    [
        stacked_bar_chart("e", "Empty", [], []),
        stacked_bar_chart("e", "Empty", MONTHS, []),
        distribution_chart("e", "Empty", []),
        distribution_chart("e", "Empty", [("Time to detect", distribution([None]))]),
        bar_chart("e", "Empty", []),
    ],
)
def test_empty_input_says_no_data(svg):
    root = parse(svg)
    assert assert_accessible(root, "e", "Empty") == "No data."
    assert texts(root) == ["No data"]


def test_bad_input_is_refused():
    """Programming errors are refused; data values never are (see the properties below)."""
    with pytest.raises(ValueError, match="one count"):
        stacked_bar_chart("c", "t", MONTHS, [("SEV1", [1, 2])])
    with pytest.raises(ValueError, match="chart id"):
        bar_chart('c" onload="x', "t", [("a", 1.0)])


def test_a_negative_value_draws_no_bar_and_is_still_written():
    root = parse(bar_chart("c", "t", [("a", -90.0), ("b", 60.0)], unit="minutes"))
    widths = [float(rect.get("width")) for rect in all_of(root, "rect")]
    assert widths[0] == 0 and widths[1] > 0


# --- properties: whatever the values, every chart is well-formed SVG with finite numbers -----------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

ANY_NUMBER = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**30), 10**30))
LABELS = st.text(min_size=1, max_size=30)
_NUMBER_ATTRIBUTES = ("x", "y", "width", "height", "cx", "cy", "x1", "x2", "y1", "y2")


def well_formed(svg: str) -> ET.Element:
    root = parse(svg)
    assert "nan" not in root.get("viewBox").lower() and "inf" not in root.get("viewBox").lower()
    for element in root.iter():
        for name in _NUMBER_ATTRIBUTES if element is not root else ():
            if element.get(name) is not None:
                value = float(element.get(name))
                assert value == value and abs(value) < 1e16, (element.tag, name, value)
    return root


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(LABELS, ANY_NUMBER), max_size=12), st.sampled_from(["", "minutes", "h"]))
def test_bar_chart_draws_any_values(rows, unit):
    well_formed(bar_chart("c", "Title", rows, unit=unit))


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, 40).flatmap(
        lambda n: st.tuples(
            st.lists(LABELS, min_size=n, max_size=n),
            st.lists(st.tuples(LABELS, st.lists(ANY_NUMBER, min_size=n, max_size=n)), max_size=5),
        )
    )
)
def test_stacked_bar_chart_draws_any_counts(data):
    labels, series = data
    root = well_formed(stacked_bar_chart("c", "Title", labels, series))
    heights = [float(rect.get("height")) for rect in all_of(root, "rect")]
    assert all(height >= 0 for height in heights)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(LABELS, st.lists(st.one_of(st.none(), ANY_NUMBER), max_size=30)), max_size=4),
    st.sampled_from(["minutes", "requests"]),
)
def test_distribution_chart_draws_any_durations(rows, unit):
    clean = [
        (label, distribution(v if not isinstance(v, float) or v == v else None for v in values))
        for label, values in rows
    ]
    well_formed(distribution_chart("c", "Title", clean, unit=unit))


def test_small_multiples_draw_a_plot_per_severity_median_solid_p90_dashed_broken_at_a_missing_quarter():
    from mkdocs_postmortems.kb_site.charts import small_multiples_chart

    quarters = ["2024-Q3", "2024-Q2", "2024-Q1"]  # newest first, as the table: drawn left to right as given
    svg = small_multiples_chart(
        "q",
        "Time to resolve per quarter",
        quarters,
        [
            ("SEV1", [90, None, 30], [240, 120, 60]),
            ("SEV2", [10, 20, 30], [15, 25, 35]),
            ("SEV3", [5, 5, 5], [9, 9, 9]),
        ],
    )
    root = parse(svg)
    desc = assert_accessible(root, "q", "Time to resolve per quarter")
    assert "SEV1 median: 2024-Q3 1 h 30 min, 2024-Q1 30 min" in desc and "SEV3 p90" in desc
    panels = [g for g in all_of(root, "g") if g.get("class") == "pm-chart__panel"]
    assert len(panels) == 3  # one small plot each, not six lines in one
    sev1 = panels[0]
    lines = list(sev1.iter(f"{NS}polyline"))
    # the median breaks at 2024-Q2, leaving two single points and no line; the p90 is one dashed line
    assert len(lines) == 1 and lines[0].get("stroke-dasharray")
    assert [tip(c) for c in sev1.iter(f"{NS}circle")][:2] == [
        "2024-Q3 · SEV1 median: 1 h 30 min",
        "2024-Q1 · SEV1 median: 30 min",
    ]
    assert next(t.text for t in sev1.iter(f"{NS}text")) == "SEV1"
    # newest left: the first quarter's points lie left of the last's, in every panel
    for panel in panels:
        xs = [float(c.get("cx")) for c in panel.iter(f"{NS}circle") if tip(c).startswith("2024-Q3")]
        assert xs and all(
            x < min(float(c.get("cx")) for c in panel.iter(f"{NS}circle") if tip(c).startswith("2024-Q1")) for x in xs
        )
    # two columns: the third panel sits below the first, at its left
    assert panels[2].find(f"{NS}rect").get("x") == panels[0].find(f"{NS}rect").get("x")
    assert float(panels[2].find(f"{NS}rect").get("y")) > float(panels[1].find(f"{NS}rect").get("y"))
    # the same scale everywhere: the same tick labels in each panel
    ticks = [sorted(t.text for t in panel.iter(f"{NS}text") if t.get("font-size") == "10") for panel in panels]
    assert ticks[0] == ticks[1] == ticks[2] and ticks[0]
    assert ">No data</text>" in small_multiples_chart("q", "T", quarters, [("SEV1", [None] * 3, [None] * 3)])


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 12).flatmap(
        lambda n: st.tuples(
            st.lists(LABELS, min_size=n, max_size=n),
            st.lists(
                st.tuples(
                    LABELS,
                    st.lists(st.one_of(st.none(), ANY_NUMBER), min_size=n, max_size=n),
                    st.lists(st.one_of(st.none(), ANY_NUMBER), min_size=n, max_size=n),
                ),
                max_size=5,
            ),
        )
    )
)
def test_small_multiples_draw_any_values(data):
    from mkdocs_postmortems.kb_site.charts import small_multiples_chart

    quarters, panels = data
    well_formed(small_multiples_chart("c", "Title", quarters, panels))

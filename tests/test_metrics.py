"""`kb_site/metrics.py`: incidents per month by severity over a bounded window, and response times (detect, mitigate,
resolve) as distributions, overall and per quarter and severity."""

from __future__ import annotations

from dataclasses import replace

from mkdocs_postmortems.kb_site.metrics import (
    MAX_MONTHS,
    month_range,
    monthly_counts,
    quarterly_response,
    quarterly_series,
    response_times,
)
from test_indexes import TODAY, incident

SEVERITIES = ("SEV1", "SEV2", "SEV3")


def test_quiet_months_are_zeros_and_a_severity_without_incidents_has_no_row():
    pms = [incident("a", "2024-01-10", severity="SEV1"), incident("b", "2024-03-02"), incident("c", "2024-03-20")]
    months, rows = monthly_counts(pms, SEVERITIES)
    assert months == ["2024-01", "2024-02", "2024-03"]
    assert rows == [("SEV1", [1, 0, 0]), ("SEV2", [0, 0, 2])]


def test_a_severity_outside_the_scale_is_counted_after_it_and_none_as_unknown():
    pms = [
        incident("a", "2024-01-10", severity="SEV9"),
        incident("b", "2024-01-11", severity=""),
        incident("c", "2024-01-12"),
    ]
    assert monthly_counts(pms, SEVERITIES)[1] == [("SEV2", [1]), ("SEV9", [1]), ("unknown", [1])]


def test_a_limit_ends_the_window_at_the_newest_incident_not_after_today():
    pms = [incident("a", "2023-01-10"), incident("b", "2024-06-01"), incident("typo", "2062-06-01")]
    months, rows = monthly_counts(pms, SEVERITIES, limit=3, today=TODAY)
    assert months == ["2024-04", "2024-05", "2024-06"]
    assert rows == [("SEV2", [0, 0, 1])]  # the incidents outside the window are not counted
    assert monthly_counts([], SEVERITIES) == ([], [])


def test_at_most_the_last_max_months_are_drawn():
    months = month_range("1000-01", "2024-12")
    assert len(months) == MAX_MONTHS and months[-1] == "2024-12" and months[0] == "1975-01"


def test_response_times_are_minutes_since_the_start_with_missing_ones_counted():
    without_detected = replace(incident("b", "2024-02-01"), detected=None)
    (detect_label, detect), (mitigate_label, mitigate), (resolve_label, resolve) = response_times(
        [incident("a", "2024-01-01"), without_detected]
    )
    assert (detect_label, mitigate_label, resolve_label) == ("Time to detect", "Time to mitigate", "Time to resolve")
    assert (detect.values, detect.missing) == ((5.0,), 1)
    assert mitigate.values == (65.0, 65.0) and resolve.values == (180.0, 180.0)


def test_quarters_newest_first_then_severities_in_the_scales_order():
    pms = [
        incident("a", "2024-01-10", severity="SEV2"),
        incident("b", "2024-02-10", severity="SEV1"),
        incident("c", "2024-04-10", severity="SEV2"),
        incident("old", "2023-01-10", severity="SEV1"),
    ]
    found = quarterly_response(pms, SEVERITIES, ["2024-Q2", "2024-Q1"])
    assert [(quarter, severity, detect.count) for quarter, severity, detect, _ in found] == [
        ("2024-Q2", "SEV2", 1),
        ("2024-Q1", "SEV1", 1),
        ("2024-Q1", "SEV2", 1),
    ]
    assert found[0][3].values == (180.0,)


def test_quarterly_series_gives_a_panel_per_severity_aligned_with_the_quarters():
    pms = [
        incident("a", "2024-01-10", severity="SEV2"),
        incident("b", "2024-02-10", severity="SEV1"),
        incident("c", "2024-04-10", severity="SEV2"),
    ]
    quarters = ["2024-Q3", "2024-Q2", "2024-Q1"]  # newest first, and a quarter without incidents
    rows = quarterly_response(pms, SEVERITIES, quarters)
    assert quarterly_series(rows, quarters, 2, SEVERITIES) == [
        ("SEV1", [None, None, 5.0], [None, None, 5.0]),  # in the scale's order, each with its quarters' values
        ("SEV2", [None, 5.0, 5.0], [None, 5.0, 5.0]),
    ]
    assert [panel[1] for panel in quarterly_series(rows, quarters, 3, SEVERITIES)] == [
        [None, None, 180.0],
        [None, 180.0, 180.0],
    ]
    assert [panel[0] for panel in quarterly_series(rows, quarters, 2)] == ["SEV2", "SEV1"]  # no scale: as found
    assert quarterly_series([], quarters, 2) == []

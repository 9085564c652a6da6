"""`kb_site/stats.py`: medians and 90th percentiles by linear interpolation between closest ranks, with missing
timestamps counted apart and small samples flagged, never a bare mean."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given, strategies as st

from mkdocs_postmortems.kb_site.stats import SMALL_SAMPLE, Distribution, distribution, percentile


def test_the_inclusive_method_of_the_docstring():
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([1, 2, 3, 4], 0.9) == pytest.approx(3.7)
    assert percentile([7], 0.9) == 7
    assert percentile([1, 2, 3, 4], 0) == 1 and percentile([1, 2, 3, 4], 1) == 4


def test_no_values_have_no_percentile_and_no_median():
    with pytest.raises(ValueError):
        percentile([], 0.5)
    empty = distribution([None, None])
    assert (empty.count, empty.missing, empty.median, empty.p90) == (0, 2, None, None)


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=50))
def test_the_median_is_the_statistics_modules_and_the_p90_its_inclusive_quantile(values):
    found = distribution(values)
    assert found.median == pytest.approx(statistics.median(values))
    if len(values) > 1:
        assert found.p90 == pytest.approx(statistics.quantiles(values, n=10, method="inclusive")[8])
    assert min(values) <= found.median <= found.p90 <= max(values)


def test_missing_values_are_counted_apart_and_the_rest_sorted():
    found = distribution([30, None, 5, 12.5, None])
    assert found == Distribution((5, 12.5, 30), missing=2)
    assert found.median == 12.5


def test_a_sample_below_the_threshold_is_small():
    assert distribution(range(SMALL_SAMPLE - 1)).is_small
    assert not distribution(range(SMALL_SAMPLE)).is_small

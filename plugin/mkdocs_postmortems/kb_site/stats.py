"""Small, explicit statistics for incident metrics: medians and 90th percentiles, never a bare mean."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SMALL_SAMPLE = 5  # below this many values a median or p90 says little; pages say so


def percentile(ordered: list[float], fraction: float) -> float:
    """The `fraction` quantile of sorted values by linear interpolation between closest ranks
    (the "inclusive" method: the median of [1, 2, 3, 4] is 2.5, its p90 is 3.7)."""
    if not ordered:
        raise ValueError("percentile of no values")
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Distribution:
    """A sample of durations in minutes: sorted `values`, and how many incidents had no value (`missing`)."""

    values: tuple[float, ...]
    missing: int = 0

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def median(self) -> float | None:
        return percentile(list(self.values), 0.5) if self.values else None

    @property
    def p90(self) -> float | None:
        return percentile(list(self.values), 0.9) if self.values else None

    @property
    def is_small(self) -> bool:
        return self.count < SMALL_SAMPLE


def distribution(minutes: Iterable[float | None]) -> Distribution:
    """A `Distribution` from values where None means "timestamp missing"."""
    present, missing = [], 0
    for value in minutes:
        if value is None:
            missing += 1
        else:
            present.append(value)
    return Distribution(tuple(sorted(present)), missing)

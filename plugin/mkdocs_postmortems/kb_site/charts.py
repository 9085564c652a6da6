"""Charts as inline SVG strings: stacked bars per month, duration distributions, horizontal bars.

Pure and deterministic: no MkDocs, no randomness, every number written with at most one decimal, so the
same input gives the same bytes. Every text from the input is escaped. Colours come from CSS classes
(`pm-chart__s0`, `pm-chart__s1`, ... per series; `pm-chart__bar`, `pm-chart__dot`, `pm-chart__median`,
`pm-chart__p90`), each with a default `fill` for pages without the stylesheet; text is `currentColor`,
so the charts follow light and dark themes. Colour is never the only signal: legends and markers carry text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from markupsafe import Markup, escape

from .stats import Distribution

WIDTH = 640  # user units; the SVG scales to its container through viewBox and width="100%"
FONT = 12  # user units
CHAR = FONT * 0.6  # the width of an average character, for fitting labels
PHONE = 1.6  # on a phone the stylesheet draws chart text this much larger: legends and axis labels leave room for it
PALETTE = (
    "#b71c1c",
    "#e65100",
    "#f9a825",
    "#546e7a",
    "#1565c0",
    "#6a1b9a",
    "#2e7d32",
    "#6d4c41",
    "#00838f",
    "#ad1457",
)  # SEV1..4 first; ten, one per category of the example taxonomy
BLUE, ORANGE = "#1565c0", "#e65100"  # defaults for bars and dots, and for the p90 marker
DOT_TITLES_UP_TO = 200  # a row with more values draws bare dots, to keep the page small
DOTS_UP_TO = 400  # a row with more values draws this many, evenly spread over the sorted values (its quantiles)
DURATION_TICKS = (
    (1, "1 min"),
    (10, "10 min"),
    (60, "1 h"),
    (360, "6 h"),
    (1440, "1 d"),
    (10080, "1 w"),
    (43200, "30 d"),
)
# distribution markers: Distribution attribute, legend text, default fill, text baseline below the row's middle
MARKERS = (("median", "median", "currentColor", -17), ("p90", "90th percentile (p90)", ORANGE, 26))
GRID = 'stroke="currentColor" stroke-opacity="0.2"'
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")  # no XML 1.0 character


def _escape(text: object) -> Markup:
    """`text` escaped for SVG: characters XML forbids (a form feed in a label) become U+FFFD, so the chart parses."""
    return escape(_NOT_XML.sub("\ufffd", str(text)))


def _finite(value: float) -> float:
    """A value a chart can draw: NaN as 0, ±inf and anything beyond ±1e15 clamped, so the numbers in the SVG
    stay finite whatever the data (a data error is reported elsewhere; the chart must still draw)."""
    try:
        value = float(value)
    except (TypeError, ValueError, OverflowError):
        return 0.0
    return 0.0 if value != value else max(-1e15, min(value, 1e15))


def _num(value: float) -> str:
    """A coordinate or count with at most one decimal, never "-0"."""
    text = f"{round(_finite(value), 1) + 0.0:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _fmt(value: float, unit: str) -> str:
    """A value for people: minutes as a duration ("45 min", "2.5 h", "3 d"), anything else with its unit."""
    if unit != "minutes":
        return f"{_num(value)} {unit}".strip()
    return duration_text(value)


def duration_text(minutes: float) -> str:
    """Minutes as the pages write every duration, charts and tables alike: `3 d 4 h`, `3 h 49 min`, `45 min`,
    `30 s` under a minute."""
    minutes = max(_finite(minutes), 0.0)
    if minutes < 1:
        return f"{round(minutes * 60)} s"
    whole = int(minutes)
    days, rest = divmod(whole, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {mins} min" if hours else f"{mins} min"


def _fit(text: str, room: float) -> str:
    """`text` cut with an ellipsis to about `room` user units wide; the full text stays in titles and desc."""
    most = max(int(room / CHAR), 2)
    return text if len(text) <= most else text[: most - 1] + "…"


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: float = FONT, extra: str = "") -> str:
    anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
    size_attr = "" if size == FONT else f' font-size="{_num(size)}"'
    return (
        f'<text x="{_num(x)}" y="{_num(y)}"{anchor_attr}{size_attr}{extra} fill="currentColor">'
        f"{_escape(content)}</text>"
    )


def _rect(x: float, y: float, width: float, height: float, cls: str, fill: str, tip: str | None = None) -> str:
    title = "" if tip is None else f"<title>{_escape(tip)}</title>"
    return (
        f'<rect class="{cls}" x="{_num(x)}" y="{_num(y)}" width="{_num(width)}" height="{_num(height)}" '
        f'fill="{fill}">{title}</rect>'
    )


def _series_class(index: int) -> tuple[str, str]:
    return f"pm-chart__s{index}", PALETTE[index % len(PALETTE)]


def _svg(chart_id: str, title: str, desc: str, height: float, parts: Sequence[str]) -> str:
    if not _ID.fullmatch(chart_id):
        raise ValueError(f"chart id {chart_id!r} must be a letter followed by letters, digits, '-' or '_'")
    link_ns = ' xmlns:xlink="http://www.w3.org/1999/xlink"' if "xlink:href" in "".join(parts) else ""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg"{link_ns} id="{chart_id}" class="pm-chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {_num(height)}" '
        f'width="100%" font-size="{FONT}">'
        f'<title id="{chart_id}-title">{_escape(title)}</title><desc id="{chart_id}-desc">{_escape(desc)}</desc>'
    )
    return head + "".join(parts) + "</svg>"


def _no_data(chart_id: str, title: str) -> str:
    return _svg(chart_id, title, "No data.", 40, [_text(WIDTH / 2, 24, "No data", anchor="middle")])


def _legend(entries: Sequence[tuple[str, str]], top: float) -> tuple[list[str], float]:
    """Swatches (markup drawn in a 10×10 box at the origin) with their labels, wrapped into lines;
    returns the markup and the y below the legend."""
    parts, x, y = ['<g class="pm-chart__legend">'], 0.0, top
    for swatch, label in entries:
        advance = 16 + len(label) * CHAR * PHONE + 14
        if x and x + advance > WIDTH:
            x, y = 0.0, y + 18
        parts += [f'<g transform="translate({_num(x)},{_num(y)})">{swatch}</g>', _text(x + 16, y + 10, label)]
        x += advance
    return [*parts, "</g>"], y + 18


def _thin(count: int, room: int) -> list[int]:
    """Which of `count` axis labels to write when about `room` fit: every Nth, always the first and the last."""
    every = max(1, math.ceil(count / max(room, 2)))
    shown = list(range(0, count, every))
    if shown[-1] != count - 1:
        if len(shown) > 1:
            shown[-1] = count - 1  # the last regular label would crowd the final one
        else:
            shown.append(count - 1)
    return shown


def _nice_step(largest: float, ticks: int = 5) -> int:
    """A whole 1, 2 or 5 × 10ⁿ step giving about `ticks` gridlines up to `largest`."""
    raw = max(largest, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return max(1, round(next(m * power for m in (1, 2, 5, 10) if m * power >= raw)))


def stacked_bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    y_label: str = "incidents",
    x_label: str = "months",
) -> str:
    """Vertical bars, one per label (e.g. months "2024-02"), each stacked from the series
    (e.g. ("SEV1", counts per label)). Zero counts draw no segment, and neither do negative ones (counts cannot
    be negative: it draws what it can rather than fail a build); crowded x labels are thinned."""
    for name, counts in series:
        if len(counts) != len(labels):
            raise ValueError(f"series {name!r} needs one count per label ({len(labels)})")
    series = [(name, [max(int(_finite(count)), 0) for count in counts]) for name, counts in series]
    if not labels or not series:
        return _no_data(chart_id, title)
    totals = [sum(counts[i] for _, counts in series) for i in range(len(labels))]
    legend, top = _legend([(_rect(0, 0, 10, 10, *_series_class(s)), name) for s, (name, _) in enumerate(series)], 2)
    left, right, top, plot_height = 44.0, WIDTH - 8.0, top + 8, 180.0
    bottom, step = top + plot_height, _nice_step(max(max(totals), 4))
    y_max = step * max(1, math.ceil(max(max(totals), 4) / step))  # at least 4: a month of 1 is not a full bar
    band = (right - left) / len(labels)
    parts = [
        *legend,
        _text(
            12,
            top + plot_height / 2,
            y_label,
            anchor="middle",
            extra=f' transform="rotate(-90 12 {_num(top + plot_height / 2)})"',
        ),
    ]
    for tick in range(0, y_max + 1, step):
        y = bottom - tick / y_max * plot_height
        parts += [
            f'<line x1="{_num(left)}" x2="{_num(right)}" y1="{_num(y)}" y2="{_num(y)}" {GRID}/>',
            _text(left - 6, y + 4, str(tick), anchor="end"),
        ]
    parts.append('<g class="pm-chart__bars">')
    for i, label in enumerate(labels):
        base = bottom
        for s, (name, counts) in enumerate(series):
            if counts[i]:
                height = counts[i] / y_max * plot_height
                base -= height
                parts.append(
                    _rect(
                        left + (i + 0.15) * band,
                        base,
                        band * 0.7,
                        height,
                        *_series_class(s),
                        tip=f"{label} · {name}: {counts[i]}",
                    )
                )
    parts.append("</g>")
    room = int((right - left) / (max(len(label) for label in labels) * CHAR * PHONE + 8))
    for i in _thin(len(labels), room):
        half = len(labels[i]) * CHAR / 2  # keep the first and last labels inside the picture
        x = min(max(left + (i + 0.5) * band, half), WIDTH - half)
        parts.append(_text(x, bottom + 16, labels[i], anchor="middle"))
    busiest = totals.index(max(totals))
    by_series = ", ".join(f"{name}: {sum(counts)}" for name, counts in series)
    desc = (
        f"{sum(totals)} {y_label} over {len(labels)} {x_label}; most in {labels[busiest]} ({totals[busiest]}). "
        f"{by_series}."
    )
    return _svg(chart_id, title, desc, bottom + 24, parts)


def _log_ticks(low: float, high: float, unit: str) -> list[tuple[float, str]]:
    if unit == "minutes":
        candidates: Sequence[tuple[float, str]] = DURATION_TICKS
    else:
        powers = range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
        candidates = [(10.0**p, f"{10.0**p:g} {unit}".strip()) for p in powers]
    return [(value, name) for value, name in candidates if low <= value <= high]


def _marker_anchor(x: float, left: float, right: float) -> str:
    return "start" if x < left + 40 else "end" if x > right - 40 else "middle"


def distribution_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Distribution]],
    *,
    unit: str = "minutes",
    points: Sequence[Sequence[tuple[str, str]]] | None = None,
) -> str:
    """One horizontal row per label (e.g. "Time to detect"): every value as a small dot, the median and p90
    marked and labelled, on one shared log scale (zero is drawn at the left edge). With `points`, each row's dots
    name and link their incident: per row, (name, href) aligned with `dist.values`. Rows without values say
    "no data"; with more than DOT_TITLES_UP_TO values a row's dots carry no tooltips. A negative value is drawn at
    the left edge, like zero."""
    values = [max(_finite(value), 0.0) for _, dist in rows for value in dist.values]
    if not values:
        return _no_data(chart_id, title)
    positive = [value for value in values if value > 0]
    low = min(positive) / 1.5 if positive else 0.5
    low = min(low, 0.5) if len(positive) < len(values) else low
    high = max(max(values) * 1.5, low * 10)
    left, right, row_height = 150.0, WIDTH - 16.0, 60.0
    span = math.log10(high / low)

    def x_of(value: float) -> float:
        return left + math.log10(min(max(_finite(value), low), high) / low) / span * (right - left)

    marker = '<rect x="0" y="0" width="3" height="10" class="pm-chart__{}" fill="{}"/>'
    parts, top = _legend(
        [(f'<circle cx="5" cy="5" r="3" class="pm-chart__dot" fill="{BLUE}"/>', "incident")]
        + [(marker.format(name, fill), legend) for name, legend, fill, _ in MARKERS],
        2,
    )
    bottom = top + row_height * len(rows)
    for value, name in _log_ticks(low, high, unit):
        x = x_of(value)
        parts += [
            f'<line x1="{_num(x)}" x2="{_num(x)}" y1="{_num(top)}" y2="{_num(bottom)}" {GRID}/>',
            _text(x, bottom + 14, name, anchor="middle"),
        ]
    summary = []
    for i, (label, dist) in enumerate(rows):
        middle = top + i * row_height + row_height / 2
        notes = [f"n={dist.count}"] + ([f"{dist.missing} missing"] if dist.missing else [])
        notes += ["small sample"] if dist.count and dist.is_small else []
        parts += [_text(0, middle - 2, _fit(label, left - 8)), _text(0, middle + 12, ", ".join(notes), size=10)]
        median, p90 = dist.median, dist.p90
        if median is None or p90 is None:  # no values
            parts.append(_text(left, middle + 4, "no data"))
            summary.append(f"{label}: no data")
            continue
        titled = dist.count <= DOT_TITLES_UP_TO
        parts.append(f'<g class="pm-chart__dot" fill="{BLUE}" fill-opacity="0.5">')
        named = points[i] if points is not None and len(points[i]) == len(dist.values) else None
        drawn = (
            dist.values
            if dist.count <= DOTS_UP_TO
            else [dist.values[round(j * (dist.count - 1) / (DOTS_UP_TO - 1))] for j in range(DOTS_UP_TO)]
        )
        for k, value in enumerate(drawn):  # sorted, so neighbours get different heights
            dot = f'<circle cx="{_num(x_of(value))}" cy="{_num(middle + (k % 5 - 2) * 3)}" r="2.5"'
            if named is not None and titled:
                name, href = named[k]
                parts.append(
                    f'<a xlink:href="{_escape(href)}">{dot}><title>{_escape(name)}: {_escape(label.lower())} '
                    f"{_fmt(value, unit)}</title></circle></a>"
                )
            else:
                parts.append(
                    f"{dot}><title>{_escape(label)}: {_fmt(value, unit)}</title></circle>" if titled else dot + "/>"
                )
        parts.append("</g>")
        for name, _, fill, text_offset in MARKERS:
            x, shown = x_of(getattr(dist, name)), _fmt(getattr(dist, name), unit)
            parts += [
                _rect(x - 1.5, middle - 13, 3, 26, f"pm-chart__{name}", fill, tip=f"{label} · {name}: {shown}"),
                _text(x, middle + text_offset, f"{name} {shown}", anchor=_marker_anchor(x, left, right), size=10),
            ]
        summary.append(
            f"{label}: median {_fmt(median, unit)}, p90 {_fmt(p90, unit)} "
            f"over {dist.count} values" + (f" ({dist.missing} missing)" if dist.missing else "")
        )
    return _svg(chart_id, title, "; ".join(summary) + ".", bottom + 22, parts)


def bar_chart(chart_id: str, title: str, rows: Sequence[tuple[str, float]], *, unit: str = "") -> str:
    """Horizontal bars, one per label (e.g. a service and its median time to resolve), the value written at
    the bar end (unit "minutes" writes durations such as "2.5 h"). A negative value draws no bar and says so."""
    rows = [(label, _finite(value)) for label, value in rows]
    if not rows:
        return _no_data(chart_id, title)
    left = min(max(max(len(label) for label, _ in rows) * CHAR + 12, 60.0), 240.0)
    right, bar, gap = WIDTH - 80.0, 18.0, 8.0
    largest = max(max(value for _, value in rows), 0) or 1
    parts = ['<g class="pm-chart__bars">']
    for i, (label, value) in enumerate(rows):
        y, width, shown = 4 + i * (bar + gap), max(value, 0) / largest * (right - left), _fmt(value, unit)
        parts += [
            _text(0, y + 13, _fit(label, left - 12)),
            _rect(left, y, width, bar, "pm-chart__bar", BLUE, tip=f"{label}: {shown}"),
            _text(left + width + 6, y + 13, shown),
        ]
    parts.append("</g>")
    high = max(rows, key=lambda row: row[1])
    low = min(rows, key=lambda row: row[1])
    desc = f"{len(rows)} bars; highest {high[0]} ({_fmt(high[1], unit)}), lowest {low[0]} ({_fmt(low[1], unit)})."
    return _svg(chart_id, title, desc, 4 + len(rows) * (bar + gap) + 4, parts)


def trend_chart(chart_id: str, title: str, quarters: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]) -> str:
    """Incidents per quarter, stacked by root-cause category: the trend table as a picture, its quarters in the
    table's order, left to right."""
    return stacked_bar_chart(chart_id, title, quarters, series, y_label="incidents per category", x_label="quarters")


def small_multiples_chart(
    chart_id: str,
    title: str,
    quarters: Sequence[str],
    panels: Sequence[tuple[str, Sequence[float | None], Sequence[float | None]]],
    *,
    unit: str = "minutes",
    columns: int = 2,
) -> str:
    """One small plot per panel (a severity: its name, medians, p90s, aligned with `quarters`, drawn left to right in
    the order given), `columns` side by side, on one shared log scale: the median a solid line, the p90 dashed. A
    quarter without a value breaks the line; each point names its quarter and value. Several small plots instead of
    one with a line per severity and statistic, which no reader can tell apart."""
    values = [max(_finite(v), 0.1) for _, *rows in panels for row in rows for v in row if v is not None]
    if not quarters or not values:
        return _no_data(chart_id, title)
    low, high = min(values) / 1.5, max(max(values) * 1.5, min(values) * 10)
    span = math.log10(high / low)
    line = '<line x1="0" x2="10" y1="5" y2="5" stroke="currentColor" stroke-width="2"{}/>'
    legend, top = _legend([(line.format(""), "median"), (line.format(' stroke-dasharray="3 2"'), "p90")], 2)
    columns = max(1, min(columns, len(panels)))
    gap, plot_height, head, foot = 24.0, 140.0, 22.0, 24.0
    width = (WIDTH - gap * (columns - 1)) / columns
    ticks = _log_ticks(low, high, unit)
    parts, summary = list(legend), []
    for p, (name, medians, p90s) in enumerate(panels):
        x0 = (p % columns) * (width + gap)
        y0 = top + 8 + (p // columns) * (head + plot_height + foot)
        left, right, bottom = x0 + 72.0, x0 + width - 8.0, y0 + head + plot_height  # room for a phone's tick labels
        cls, fill = _series_class(p)
        step = (right - left) / max(len(quarters) - 1, 1)

        def x_of(i: int, left: float = left, right: float = right, step: float = step) -> float:
            return left + i * step if len(quarters) > 1 else (left + right) / 2

        def y_of(value: float, bottom: float = bottom) -> float:
            return bottom - math.log10(min(max(_finite(value), low), high) / low) / span * plot_height

        parts += [
            '<g class="pm-chart__panel">',
            _rect(x0, y0 + 2, 10, 10, cls, fill),
            _text(x0 + 16, y0 + 12, _fit(name, width - 24)),
        ]
        for value, tick in ticks:
            y = y_of(value)
            parts += [
                f'<line x1="{_num(left)}" x2="{_num(right)}" y1="{_num(y)}" y2="{_num(y)}" {GRID}/>',
                _text(left - 4, y + 4, tick, anchor="end", size=10),
            ]
        for statistic, row, dash in (("median", medians, ""), ("p90", p90s, ' stroke-dasharray="6 4"')):
            segment: list[str] = []
            for i, point in enumerate([*row, None]):
                if point is None:
                    if len(segment) > 1:
                        parts.append(
                            f'<polyline points="{" ".join(segment)}" fill="none" stroke="{fill}" '
                            f'stroke-width="2"{dash}/>'
                        )
                    segment = []
                    continue
                xy = f"{_num(x_of(i))},{_num(y_of(point))}"
                segment.append(xy)
                parts.append(
                    f'<circle class="{cls}" cx="{_num(x_of(i))}" cy="{_num(y_of(point))}" r="3.5" fill="{fill}">'
                    f"<title>{_escape(quarters[i])} · {_escape(name)} {statistic}: {_fmt(point, unit)}</title></circle>"
                )
            shown = ", ".join(f"{q} {_fmt(v, unit)}" for q, v in zip(quarters, row, strict=False) if v is not None)
            summary.append(f"{name} {statistic}: {shown or 'no data'}")
        for i in _thin(len(quarters), int((right - left) / (max(len(q) for q in quarters) * CHAR * PHONE + 8))):
            half = len(quarters[i]) * CHAR / 2
            parts.append(
                _text(min(max(x_of(i), x0 + half), x0 + width - half), bottom + 16, quarters[i], anchor="middle")
            )
        parts.append("</g>")
    rows = math.ceil(len(panels) / columns)
    return _svg(chart_id, title, "; ".join(summary) + ".", top + 8 + rows * (head + plot_height + foot), parts)

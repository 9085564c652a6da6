"""The ends of the calendar, every UTC offset and over-long names: a diagnostic or a page, never an exception.

`9999-12-31` is a common "not yet" placeholder and `0001-01-01` a common "unknown"; each date the core computes
from them (durations, review and action-item deadlines, regulator notices, due dates of `new`, uptime windows,
feeds, the Statuspage API) must stay inside the calendar. A crash of the CLI exits 3, never 1.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import TODAY, VALID, make_policy
from mkdocs_postmortems import cli, load_knowledge_base
from mkdocs_postmortems.build import build_site
from mkdocs_postmortems.dates import add_business_days, iso_z, plus, plus_days
from mkdocs_postmortems.kb_site.metrics import MAX_MONTHS, month_range
from mkdocs_postmortems.kb_site.urls import MAX_SLUG, SiteMap, slugify
from mkdocs_postmortems.render import template_environment
from mkdocs_postmortems.status_site.uptime import uptime_days

NAME = "2024-03-14-edge.md"
FIELDS = ("started", "detected", "mitigated", "resolved")
ENV = template_environment([])


def with_times(**values: str) -> str:
    text = VALID
    for name, value in values.items():
        old = next(line for line in text.split("\n") if line.startswith(f"{name}:"))
        text = text.replace(old, f"{name}: {value}", 1)
    return text


def offset_text(minutes: int) -> str:
    if minutes == 0:
        return "Z"
    sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def timestamp_text(moment: datetime, offset_minutes: int) -> str:
    return f"{moment.date().isoformat()}T{moment:%H:%M:%S}{offset_text(offset_minutes)}"


def everything_of(folder: Path, today: date, public_block: bool = True):
    """Load `folder`, build both sites, render every page: what a build does, without MkDocs."""
    results = []
    for public_site in (False, True):
        policy = make_policy(public_site=public_site)
        kb = load_knowledge_base(folder, policy, today=today, base=folder)
        site = build_site(kb, ENV, [], site_name="Status", site_url="https://status.example/")
        for uri in site.pages:
            site.render(uri)
            site.head_links(uri)
        results.append((kb, site))
    return results


# --- the reader at the ends of the calendar --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:00:00+14:00",
        "0001-01-01T00:00:00+00:01",
        "9999-12-31T23:59:00-00:01",
        "9999-12-31T01:00:00-23:59",
    ],
)
def test_a_timestamp_outside_the_calendar_in_utc_is_a_diagnostic(text, tmp_path, check):
    (tmp_path / NAME).write_text(with_times(started=text), encoding="utf-8")
    found = [(d.code, d.line) for d in check(tmp_path).diagnostics if d.code == "timestamp-range"]
    assert found == [("timestamp-range", 8)]


@pytest.mark.parametrize(
    "text, utc",
    [
        ("0001-01-01T00:00:00Z", datetime(1, 1, 1)),
        ("0001-01-01T14:00:00+14:00", datetime(1, 1, 1)),
        ("9999-12-31T01:00:00Z", datetime(9999, 12, 31, 1)),
        ("9999-12-30T23:59:59-23:59", datetime(9999, 12, 31, 23, 58, 59)),
        ("9999-12-31T23:59:59.999999Z", datetime.max),
    ],
)
def test_the_ends_of_the_calendar_themselves_are_read(text, utc, tmp_path, check):
    (tmp_path / NAME).write_text(with_times(resolved=text), encoding="utf-8")
    pm = check(tmp_path).postmortems[0]
    assert pm.resolved == utc.replace(tzinfo=timezone.utc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    moment=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
    offset=st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59),
)
def test_every_offset_reads_as_the_same_instant_or_a_range_diagnostic(moment, offset, tmp_path_factory, check):
    folder = tmp_path_factory.mktemp("offsets")
    moment = moment.replace(microsecond=0)
    (folder / NAME).write_text(with_times(resolved=timestamp_text(moment, offset)), encoding="utf-8")
    kb = check(folder)
    try:
        expected = moment - timedelta(minutes=offset)
    except OverflowError:
        assert "timestamp-range" in [d.code for d in kb.diagnostics]
    else:
        assert kb.postmortems[0].resolved == expected.replace(tzinfo=timezone.utc)


# --- arithmetic that saturates -----------------------------------------------------------------------------------


def test_day_arithmetic_saturates_at_the_ends_of_the_calendar():
    assert plus_days(date(9999, 12, 30), 30) == date.max
    assert plus_days(date(1, 1, 2), -30) == date.min
    assert plus_days(date(2024, 3, 14), 30) == date(2024, 4, 13)
    last = datetime.max.replace(tzinfo=timezone.utc)
    assert plus(last - timedelta(days=1), timedelta(days=30)) == last
    assert add_business_days(date(9999, 12, 28), 10) == date.max
    assert add_business_days(date(2024, 3, 14), 5) == date(2024, 3, 21)


def test_times_are_written_with_four_digit_years():
    assert iso_z(datetime(1, 1, 1, tzinfo=timezone.utc)) == "0001-01-01T00:00:00Z"
    assert month_range("0001-01", "0001-03") == ["0001-01", "0001-02", "0001-03"]


def test_the_monthly_chart_has_at_most_max_months():
    months = month_range("0001-01", "2026-11")
    assert len(months) == MAX_MONTHS and months[-1] == "2026-11"


@pytest.mark.parametrize("today", [date.min, date(1, 2, 1), date.max, date(9999, 12, 1)])
def test_uptime_windows_at_the_ends_of_the_calendar(today):
    days = uptime_days("Checkout", [], today)
    assert days[-1].day == today
    assert len(days) == min(90, (today - date.min).days + 1)


# --- whole builds with extreme times ------------------------------------------------------------------------------

extreme_moments = st.one_of(
    st.sampled_from(
        [
            datetime.min,
            datetime.max.replace(microsecond=0),
            datetime(9999, 12, 31, 1),
            datetime(1, 1, 1, 23, 59),
            datetime(1970, 1, 1),
        ]
    ),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
)
offsets = st.sampled_from([0, 14 * 60, -(23 * 60 + 59), 23 * 60 + 59, -12 * 60, 60])
extreme_days = st.sampled_from([date.min, date.max, date(9999, 12, 30), date(1, 1, 2), TODAY])


@settings(max_examples=25, deadline=None)
@given(times=st.tuples(*[st.tuples(extreme_moments, offsets)] * 4), due=extreme_days, today=extreme_days)
def test_extreme_times_never_raise_in_the_model_checks_metrics_deadlines_feeds_or_pages(times, due, today):
    values = {
        name: timestamp_text(moment.replace(microsecond=0), offset)
        for name, (moment, offset) in zip(FIELDS, times, strict=True)
    }
    text = with_times(**values).replace("due: 2027-01-31", f"due: {due.isoformat()}")
    text = text.replace("impact:\n", f"published_on: {due.isoformat()}\nimpact:\n", 1)
    text = text.replace(
        "\n---\n\n## Summary",
        "\npublic:\n  title: Slow checkout\n  summary: Checkout was slow.\n"
        "  components: [Checkout]\n  impact: major\n---\n\n## Summary",
        1,
    )
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / NAME).write_text(text, encoding="utf-8")
        (Path(folder) / "2024-03-15-neighbour.md").write_text(VALID, encoding="utf-8")
        for kb, _site in everything_of(Path(folder), today):
            assert len(kb.postmortems) == 2
            for pm in kb.postmortems:
                pm.duration, pm.time_to_detect, pm.time_to_mitigate, pm.time_to_resolve  # noqa: B018


# --- over-long names -------------------------------------------------------------------------------------------


@given(st.text(min_size=0, max_size=600))
def test_slugs_are_bounded_stable_and_ascii(title):
    slug = slugify(title, max_words=64)
    assert 0 < len(slug.encode()) <= MAX_SLUG
    assert slug == slugify(title, max_words=64)
    assert slug.isascii()


def test_two_long_values_with_one_beginning_get_two_slugs():
    site_map = SiteMap("postmortems")
    first, second = site_map.facet("tag", "a" * 260), site_map.facet("tag", "a" * 261)
    assert first != second
    assert all(len(Path(uri).name.encode()) <= MAX_SLUG + 3 for uri in (first, second))


def test_a_260_character_tag_builds(tmp_path):
    (tmp_path / NAME).write_text(
        VALID.replace("services: [checkout]", f"services: [checkout]\ntags: [{'t' * 260}]"), encoding="utf-8"
    )
    (kb, site), _ = everything_of(tmp_path, TODAY)
    assert kb.diagnostics == []
    assert all(len(part.encode()) <= 255 for uri in site.pages for part in uri.split("/"))


# --- the CLI ---------------------------------------------------------------------------------------------------


def test_new_with_the_last_day_of_the_calendar(project):
    result = CliRunner().invoke(
        cli.main, ["new", "Far future", "--severity", "SEV2", "--service", "checkout", "--date", "9999-12-31"]
    )
    assert result.exit_code == 0, result.output
    text = (project / "postmortems" / "9999-12-31-far-future.md").read_text(encoding="utf-8")
    assert "due: 9999-12-31" in text


def test_new_with_a_title_too_long_for_a_file_name(project):
    result = CliRunner().invoke(
        cli.main, ["new", "x" * 300, "--severity", "SEV2", "--service", "checkout", "--date", "2024-03-14"]
    )
    assert result.exit_code == 0, result.output
    (path,) = (project / "postmortems").iterdir()
    assert len(path.name.encode()) <= 11 + MAX_SLUG + 3


def test_a_crash_exits_3_with_the_traceback_and_a_request_to_report_it(project, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("something we did not foresee")

    monkeypatch.setattr("mkdocs_postmortems.cli.check.load_knowledge_base", crash)
    result = CliRunner().invoke(cli.main, ["check"])
    assert result.exit_code == cli.INTERNAL_ERROR == 3
    assert "Traceback" in result.output and "RuntimeError: something we did not foresee" in result.output
    assert "internal error, please report it" in result.output


def test_usage_errors_and_problems_keep_their_exit_codes(project):
    assert CliRunner().invoke(cli.main, ["check", "--today", "never"]).exit_code == 2
    (project / "postmortems" / NAME).write_text(VALID.replace("SEV2", "SEV9"), encoding="utf-8")
    assert CliRunner().invoke(cli.main, ["check"]).exit_code == 1

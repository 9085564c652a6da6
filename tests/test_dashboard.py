"""The home dashboard marker: filled by the core for the plugin and for `postmortems generate`, on any user page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from mkdocs_postmortems.build import JS
from mkdocs_postmortems.kb_site.dashboard import fill_dashboard, live_records
from mkdocs_postmortems.kb_site.urls import DASHBOARD_MARKER
from mkdocs_postmortems.model import Postmortem
from mkdocs_postmortems.site_pages import ASSETS
from site_support import build_site, make_site, postmortem, run_cli

PM = "2024-03-14-checkout-latency"
REVIEW = "2024-05-02-in-review"


def test_a_page_without_the_marker_is_left_alone_and_the_marker_becomes_one_html_block():
    assert fill_dashboard("# Home\n\nText.\n", "<div>\n\n<p>x</p>\n</div>") == "# Home\n\nText.\n"
    filled = fill_dashboard(f"# Home\n\n{DASHBOARD_MARKER}\n\nMore.\n", "<div>\n\n<p>x</p>\n\n</div>\n")
    assert "\n\n<div>\n<p>x</p>\n</div>\n\n" in filled and DASHBOARD_MARKER not in filled
    assert filled.startswith("# Home") and filled.rstrip().endswith("More.")


IMPORTED = "2024-04-01-imported-history"


def sources(tmp_path: Path) -> dict[str, str]:
    imported = postmortem(
        IMPORTED,
        status="imported",
        reviewers=None,
        provenance={"format": "markdown", "source": "notes/x.md", "original_id": "x", "imported_on": "2024-05-01"},
    )
    return {
        f"{PM}.md": postmortem(PM),
        f"{REVIEW}.md": postmortem(REVIEW, status="in-review", title="Still in review"),
        f"{IMPORTED}.md": imported,
    }


def test_the_plugin_fills_the_marker_on_any_user_page(tmp_path):
    config = make_site(
        tmp_path,
        sources(tmp_path),
        docs={"index.md": f"# Home\n\n{DASHBOARD_MARKER}\n", "team/board.md": f"# Board\n\n{DASHBOARD_MARKER}\n"},
    )
    site = build_site(config)
    for page, up in (("index.html", ""), ("team/board/index.html", "../../")):
        html = (site / page).read_text(encoding="utf-8")
        assert 'class="pm-dashboard"' in html and DASHBOARD_MARKER not in html
        waiting = re.search(r'<ul class="pm-dashboard__waiting">(.*?)</ul>', html, re.S).group(1)
        assert f'data-pm-id="{REVIEW}"' in waiting and f'data-pm-id="{PM}"' not in waiting
        assert f'data-pm-id="{IMPORTED}"' not in waiting  # history awaits no review, however old
        assert f'href="{up}postmortems/{REVIEW}/"' in waiting  # links as seen from the page
        assert f'<script src="{up}{JS}"></script>' in html
        assert f'<a href="{up}reviews/">Period reviews</a>' in html
        quarters = re.findall(r'<tr data-quarter="(\d{4}-Q\d)"><td>(<a href="([^"]+)">)?', html)
        assert quarters and all(link == "" for *_, link in quarters)  # 2026's quarters: no incident, no review


def test_a_quarter_with_incidents_links_its_review(example_site):
    html = (example_site / "index.html").read_text(encoding="utf-8")
    quarters = re.findall(r'<tr data-quarter="(\d{4}-Q\d)"><td>(?:<a href="([^"]+)">)?', html)
    assert len(quarters) == 2
    for quarter, link in quarters:  # a link exactly when the site has that quarter's review
        assert (link == f"reviews/{quarter.lower()}/") == (example_site / "reviews" / quarter.lower()).is_dir()
    assert any(link for _, link in quarters)


@pytest.mark.filterwarnings("ignore")
def test_generate_fills_the_marker_in_the_pages_it_copies(tmp_path, monkeypatch):
    make_site(
        tmp_path, sources(tmp_path), docs={"index.md": f"# Home\n\n{DASHBOARD_MARKER}\n", "plain.md": "# Plain\n"}
    )
    monkeypatch.chdir(tmp_path)
    result = run_cli("generate", "out")
    assert result.exit_code == 0, result.output
    home = (tmp_path / "out/docs/index.md").read_text(encoding="utf-8")
    assert 'class="pm-dashboard"' in home and DASHBOARD_MARKER not in home
    assert (tmp_path / "out/docs/plain.md").read_text(encoding="utf-8") == "# Plain\n"
    config = yaml.safe_load((tmp_path / "out/mkdocs.yml").read_text(encoding="utf-8").split("\n", 1)[1])
    assert config["extra_javascript"] == list(ASSETS.scripts)  # every script, each once
    assert all((tmp_path / "out/docs" / script).is_file() for script in ASSETS.scripts)


def test_only_a_marker_on_its_own_line_outside_code_places_the_dashboard():
    from mkdocs_postmortems.kb_site.dashboard import fill_dashboard, has_dashboard
    from mkdocs_postmortems.kb_site.urls import DASHBOARD_MARKER

    quoted = f"Put `{DASHBOARD_MARKER}` on a line.\n\n```\n{DASHBOARD_MARKER}\n```\n"
    assert not has_dashboard(quoted) and fill_dashboard(quoted, "<div>x</div>") == quoted
    placed = f"# Home\n\n{DASHBOARD_MARKER}\n\nMore."
    assert has_dashboard(placed)
    assert fill_dashboard(placed, "<div>\n\nx</div>") == "# Home\n\n\n<div>\nx</div>\n\n\nMore."


def test_the_banner_lists_what_is_live_incidents_first_worst_first_and_no_scheduled_maintenance():
    """`live_records`: each incident not over and each maintenance in progress at the build's time (`moments.py`)."""
    now = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)

    def record(pm_id: str, severity: str = "SEV2", kind: str = "incident", **times) -> Postmortem:
        started = times.pop("started", now - timedelta(hours=2))
        return Postmortem(pm_id, f"{pm_id}.md", pm_id, "ongoing", severity, (), started, kind=kind, **times)

    found = live_records(
        [
            record("sev2"),
            record("sev1", "SEV1"),
            record("over", resolved=now - timedelta(hours=1)),
            record("work", "", "maintenance", resolved=now + timedelta(hours=1)),
            record("planned", "", "maintenance", started=now + timedelta(days=3), resolved=now + timedelta(days=4)),
        ],
        ("SEV1", "SEV2", "SEV3"),
        now,
    )
    assert [(pm.id, state.phase) for pm, state in found] == [
        ("sev1", "ongoing"),
        ("sev2", "ongoing"),
        ("work", "in_progress"),
    ]
    assert found[0][1].summary == "not over: ongoing since 2026-12-07 10:00 UTC"

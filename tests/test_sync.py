"""`sync.py`: a knowledge base's action items against a tracker on 127.0.0.1: drift found and, with `write`, the
tickets' side taken line by line (comments and order kept, a second run changing nothing), tickets that cannot be
read reported and never written, tickets opened for items without a link, and edits that cannot be made line by line
refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mkdocs_postmortems.knowledge import load_knowledge_base
from mkdocs_postmortems.live import EditError
from mkdocs_postmortems.policy import Policy, Tracker
from mkdocs_postmortems.sync import ItemLines, edited, run_sync
from mkdocs_postmortems.trackers import Budget
from tracker_support import GITHUB_NOT_FOUND, TOKEN, Reply, github_issue, serve

TODAY = date(2026, 11, 22)
ENV = {"GITHUB_TOKEN": TOKEN}

RECORD = """\
---
title: Checkout latency during the spring sale
status: published
severity: SEV2
services: [checkout]
authors: [alice]
reviewers: [bob]
started: 2024-03-14T09:50:00Z
resolved: 2024-03-14T11:00:00Z
impact:
  summary: Checkouts took up to 30 seconds for 40 minutes.
action_items:
  # tracked in GitHub
  - title: Size the pool for peak traffic
    owner: "@ana"   # the DBA on call
    priority: P1
    due: 2027-01-31
    status: open    # until the load test passes
    link: URL/larkspur/checkout/issues/12
    addresses: [pool]

  - title: Drop the retry storm
    owner: team-checkout
    priority: P2
    due: 2027-02-28
    status: done
    closed: 2024-04-02  # shipped in 4.2
    link: URL/larkspur/checkout/issues/13
  - title: Write the runbook
    owner: team-checkout
    priority: P3
    due: 2027-03-31
    status: open
    link: URL/larkspur/checkout/issues/14
root_causes:
  - id: pool
    kind: causal
    category: capacity
    summary: The connection pool was sized for normal traffic.
---

## Summary

Text.
"""


@pytest.fixture
def tracker(monkeypatch):
    yield from serve(monkeypatch)


@pytest.fixture
def site(tmp_path, monkeypatch, tracker):
    """A folder with one record whose items link issues 12, 13 and 14 of the tracker; the tests run in it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "postmortems").mkdir()
    path = tmp_path / "postmortems" / "2024-03-14-checkout.md"
    path.write_text(RECORD.replace("URL", tracker.url), encoding="utf-8")
    return path


def policy(url: str, **more) -> Policy:
    return Policy(trackers=(Tracker("github", f"{url}/", api=f"{url}/api", token_env="GITHUB_TOKEN", **more),))


def sync(url: str, **options):
    kb = load_knowledge_base(Path("postmortems"), policy(url, create_in=options.pop("create_in", None)), today=TODAY)
    return run_sync(kb.postmortems, kb.policy, ENV, Budget(timeout=5, total=60, max_wait=0), TODAY, **options)


def issues(tracker, twelve, thirteen, fourteen=None):
    for number, issue in ((12, twelve), (13, thirteen), (14, fourteen or github_issue(14))):
        tracker.on("GET", f"/api/repos/larkspur/checkout/issues/{number}", Reply(200, issue))


def test_items_that_match_their_tickets_have_no_drift_and_nothing_is_written(tracker, site):
    issues(tracker, github_issue(12, logins=["ana"]), github_issue(13, "closed", "completed", "2024-04-02T17:00:00Z"))
    before = site.read_text(encoding="utf-8")
    report = sync(tracker.url)
    assert (report.read, report.drifts, report.not_synced, report.written, report.failed) == (3, [], [], [], False)
    assert site.read_text(encoding="utf-8") == before
    assert len(tracker.seen) == 3


def test_drift_both_ways_is_reported_and_the_file_left_alone_without_write(tracker, site):
    issues(
        tracker,
        github_issue(12, "closed", "completed", "2024-03-30T08:00:00Z", ["bo"]),  # closed there, open here
        github_issue(13, "open", "reopened"),  # open again there, done here
    )
    before = site.read_text(encoding="utf-8")
    report = sync(tracker.url)
    assert [(d.line, d.field, d.ours, d.theirs) for d in report.drifts] == [
        (18, "status", "open", "done"),
        (14, "closed", "", "2024-03-30"),  # no `closed` key: the item's line
        (15, "owner", "@ana", "@bo"),
        (26, "status", "done", "open"),
        (27, "closed", "2024-04-02", ""),
    ]
    assert all(d.diagnostic.code == "action-item-drift" and not d.written for d in report.drifts)
    assert report.failed and site.read_text(encoding="utf-8") == before


def test_write_takes_the_tickets_side_line_by_line_and_a_second_run_changes_nothing(tracker, site):
    issues(
        tracker,
        github_issue(12, "closed", "not_planned", "2024-03-30T08:00:00Z", ["bo"]),
        github_issue(13, "open", "reopened"),
    )
    report = sync(tracker.url, write=True)
    assert [d.written for d in report.drifts] == [True] * 5 and not report.failed
    assert report.written == ["postmortems/2024-03-14-checkout.md"]
    expected = RECORD.replace("URL", tracker.url)
    for old, new in (
        ('    owner: "@ana"   # the DBA on call', '    owner: "@bo"   # the DBA on call'),
        (
            "    status: open    # until the load test passes",
            '    status: wont-do    # until the load test passes\n    closed: 2024-03-30\n    reason: "its ticket says: closed as not planned"',
        ),
        ("issues/12\n", "issues/12\n    synced: 2026-11-22\n"),
        ("    status: done\n    closed: 2024-04-02  # shipped in 4.2\n", "    status: open\n"),
        ("issues/13\n", "issues/13\n    synced: 2026-11-22\n"),
        ("issues/14\n", "issues/14\n    synced: 2026-11-22\n"),
    ):
        assert old in expected
        expected = expected.replace(old, new)
    assert site.read_text(encoding="utf-8") == expected
    again = sync(tracker.url, write=True)
    assert (again.drifts, again.written, again.failed) == ([], [], False)
    assert site.read_text(encoding="utf-8") == expected


def test_a_ticket_that_cannot_be_read_is_reported_and_its_item_never_written(tracker, site):
    issues(
        tracker,
        github_issue(12, "closed", "completed", "2024-03-30T08:00:00Z"),
        github_issue(13, "closed", None, "2024-04-02T10:00:00Z"),
    )
    tracker.on("GET", "/api/repos/larkspur/checkout/issues/14", Reply(404, GITHUB_NOT_FOUND))
    report = sync(tracker.url, write=True)
    ((gone),) = report.not_synced
    assert (gone.line, gone.link.rsplit("/", 1)[1]) == (34, "14")
    assert gone.reason == "not read: gone, or private to the token (HTTP 404 Not Found)"
    text = site.read_text(encoding="utf-8")
    assert text.count("synced: 2026-11-22") == 2 and text.endswith(
        "issues/14\nroot_causes:\n" + RECORD.split("issues/14\nroot_causes:\n")[1]
    )
    assert report.failed


def test_a_refused_token_reads_no_further_ticket(tracker, site):
    tracker.on("GET", "/api/repos/larkspur/checkout/issues/12", Reply(401, {"message": "Bad credentials"}))
    report = sync(tracker.url, write=True)
    assert [n.reason.split(" (")[0] for n in report.not_synced] == ["not read: the token was refused"] * 3
    assert len(tracker.seen) == 1 and report.written == []


def test_create_opens_a_ticket_for_an_open_item_without_a_link_and_writes_it_back(tracker, site):
    site.write_text(
        site.read_text(encoding="utf-8").replace(f"    link: {tracker.url}/larkspur/checkout/issues/14\n", ""),
        encoding="utf-8",
    )
    issues(tracker, github_issue(12, logins=["ana"]), github_issue(13, "closed", "completed", "2024-04-02T17:00:00Z"))
    listing = "/api/repos/larkspur/checkout/issues?state=all&labels=postmortem&per_page=100"
    tracker.on("GET", listing, Reply(200, []))
    tracker.on("POST", "/api/repos/larkspur/checkout/issues", Reply(201, github_issue(14, base=tracker.url)))
    report = sync(tracker.url, create=True, create_in="larkspur/checkout")
    ((created),) = report.created
    assert (created.title, created.link, created.found, created.written) == (
        "Write the runbook",
        f"{tracker.url}/larkspur/checkout/issues/14",
        False,
        True,
    )
    (post,) = [seen for seen in tracker.seen if seen.method == "POST"]
    assert post.body["title"] == "Write the runbook" and "(2024-03-14-checkout)" in post.body["body"]
    assert (
        "    status: open\n"
        f'    link: "{tracker.url}/larkspur/checkout/issues/14"\n    synced: 2026-11-22\nroot_causes:'
        in (site.read_text(encoding="utf-8"))
    )
    assert sync(tracker.url, create=True, create_in="larkspur/checkout").created == []  # it has a link now


def test_create_takes_the_ticket_a_run_before_opened_instead_of_a_second(tracker, site):
    site.write_text(
        site.read_text(encoding="utf-8").replace(f"    link: {tracker.url}/larkspur/checkout/issues/14\n", ""),
        encoding="utf-8",
    )
    issues(tracker, github_issue(12, logins=["ana"]), github_issue(13, "closed", "completed", "2024-04-02T17:00:00Z"))
    earlier = dict(
        github_issue(40, base=tracker.url), title="Write the runbook", body="Action item of ... (2024-03-14-checkout)."
    )
    other = dict(github_issue(41, base=tracker.url), title="Write the runbook", body="... (2025-01-02-other).")
    tracker.on("GET", "/api/repos/larkspur/checkout/issues", Reply(200, [other, earlier]))
    report = sync(tracker.url, create=True, create_in="larkspur/checkout")
    assert [(c.link.rsplit("/", 1)[1], c.found) for c in report.created] == [("40", True)]
    assert tracker.paths("POST") == []


def test_an_edit_that_cannot_be_made_line_by_line_leaves_the_file_and_says_so(tracker, site):
    flow = (
        RECORD.replace("URL", tracker.url)
        .replace(
            "  - title: Write the runbook\n    owner: team-checkout\n    priority: P3\n    due: 2027-03-31\n    status: open\n",
            "  - {title: Write the runbook, owner: team-checkout, priority: P3, due: 2027-03-31, status: open,\n",
        )
        .replace(
            f"    link: {tracker.url}/larkspur/checkout/issues/14\n",
            f"     link: {tracker.url}/larkspur/checkout/issues/14}}\n",
        )
    )
    site.write_text(flow, encoding="utf-8")
    issues(
        tracker,
        github_issue(12, "closed", "completed", "2024-03-30T08:00:00Z"),
        github_issue(13, "closed", None, "2024-04-02T10:00:00Z"),
    )
    report = sync(tracker.url, write=True)
    assert report.written == [] and site.read_text(encoding="utf-8") == flow
    assert {n.reason for n in report.not_synced} == {
        "not written: an action item is written in flow style (`- {...}`); write one key a line (edit it by hand)"
    }


# The line editing on its own


TEXT = """\
---
title: x
action_items:
- title: first   # a comment
  status: open
  notes: |
    a block
    of text
  link: https://example.com/1

# between items
-   title: second
    status: done
    closed: 2024-01-02
---
body
"""


def test_keys_are_set_in_place_inserted_after_their_anchor_and_removed_with_their_lines():
    text = edited(
        TEXT,
        {
            0: {"status": "done", "closed": date(2024, 5, 6), "notes": "short"},
            1: {"closed": None, "status": "open", "synced": date(2026, 1, 2)},
        },
    )
    assert text == TEXT.replace(
        "  status: open\n  notes: |\n    a block\n    of text\n",
        "  status: done\n  closed: 2024-05-06\n  notes: short\n",
    ).replace("    status: done\n    closed: 2024-01-02\n", "    status: open\n    synced: 2026-01-02\n")


def test_what_cannot_be_edited_line_by_line_is_an_edit_error():
    with pytest.raises(EditError, match="flow style"):
        ItemLines("---\naction_items: [{title: x}]\n---\n").items()
    with pytest.raises(EditError, match="first key of its item"):
        edited(TEXT, {0: {"title": None}})
    assert ItemLines("---\ntitle: x\naction_items:\n---\n").items() == []
    assert edited("---\r\naction_items:\r\n  - status: open\r\n---\r\n", {0: {"status": "done"}}) == (
        "---\r\naction_items:\r\n  - status: done\r\n---\r\n"
    )


def test_create_opens_none_past_its_cap_without_create_in_or_when_the_listing_fails(tracker, site):
    site.write_text(
        site.read_text(encoding="utf-8").replace(f"    link: {tracker.url}/larkspur/checkout/issues/14\n", ""),
        encoding="utf-8",
    )
    issues(tracker, github_issue(12, logins=["ana"]), github_issue(13, "closed", "completed", "2024-04-02T17:00:00Z"))
    tracker.on("GET", "/api/repos/larkspur/checkout/issues", Reply(403, {"message": "Resource not accessible"}))
    for options, reason in (
        ({}, "no ticket opened: no tracker has `create_in`"),
        ({"create_in": "larkspur/checkout", "max_create": 0}, "no ticket opened: more than 0 to open in one run"),
        (
            {"create_in": "larkspur/checkout"},
            "no ticket opened: those opened before could not be listed (private, or the token may not read it",
        ),
    ):
        report = sync(tracker.url, create=True, **options)
        ((skipped),) = report.not_synced
        assert (skipped.line, skipped.link) == (29, "") and skipped.reason.startswith(reason)
        assert report.created == [] and report.failed
    assert tracker.paths("POST") == []

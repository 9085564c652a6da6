"""Only what was said: public updates come from `public.updates` or from the status-page posts in
`communications`, each traced to its source, and nothing is made up; the leak gate covers the posts; an ongoing
incident must have something said."""

from __future__ import annotations

from datetime import timezone

import pytest

from conftest import TODAY, VALID, make_policy
from mkdocs_postmortems.knowledge import load_knowledge_base
from mkdocs_postmortems.status_site.public import public_incidents, public_text, public_view
from mkdocs_postmortems.status_site.said import goes_public, said_updates

UTC = timezone.utc
PUBLIC = """public:
  title: Slow checkout
  summary: Checkout was slow.
  components: [Checkout]
"""
POSTS = """communications:
  - audience: internal
    channel: slack
    at: 2024-03-14T09:59:00Z
    summary: Declared in the incident channel; orders-db suspected.
  - audience: customers
    channel: status-page
    at: 2024-03-14T10:02:00Z
    summary: Checkout is slow; we are looking into it.
  - audience: customers
    channel: email
    at: 2024-03-14T10:10:00Z
    summary: Dear customer, an e-mail nobody sees on the status page.
  - audience: customers
    channel: Status Page
    at: 2024-03-14T10:40:00Z
    summary: A fix is in place; checkout is recovering.
  - audience: customers
    channel: statuspage
    at: 2024-03-14T11:05:00Z
    summary: Checkout is back to normal.
"""


def load(tmp_path, text: str, policy=None):
    (tmp_path / "2024-03-14-example.md").write_text(text, encoding="utf-8")
    return load_knowledge_base(tmp_path, policy or make_policy(), today=TODAY, base=tmp_path)


def record(extra: str = PUBLIC + POSTS, status: str = "published") -> str:
    return VALID.replace("status: published", f"status: {status}").replace(
        "---\n\n## Summary", extra + "---\n\n## Summary", 1
    )


def test_status_page_posts_become_the_updates_word_for_word_with_statuses_from_the_timeline(tmp_path):
    [pm] = load(tmp_path, record()).postmortems
    updates = said_updates(pm)
    assert [(u.status, u.at.strftime("%H:%M"), u.body, u.source) for u in updates] == [
        ("investigating", "10:02", "Checkout is slow; we are looking into it.", ("communications", 1, "summary")),
        ("monitoring", "10:40", "A fix is in place; checkout is recovering.", ("communications", 3, "summary")),
        ("resolved", "11:05", "Checkout is back to normal.", ("communications", 4, "summary")),
    ]
    view = public_view(pm, make_policy())
    assert next(u.body for u in view.updates) == "Checkout is back to normal."  # newest first
    text = public_text(view)
    assert text.index("Summary:") < text.index("Updates, newest first:")
    assert "(from communications.4.summary)" in text
    assert "e-mail nobody sees" not in text and "orders-db" not in text  # other channels and audiences stay in


def test_an_explicit_status_wins_and_public_updates_win_over_posts(tmp_path):
    posts = POSTS.replace("    summary: A fix is in place", "    status: identified\n    summary: A fix is in place")
    [pm] = load(tmp_path, record(PUBLIC + posts)).postmortems
    assert [u.status for u in said_updates(pm)] == ["investigating", "identified", "resolved"]
    own = PUBLIC + "  updates:\n    - status: resolved\n      at: 2024-03-14T11:00:00Z\n      body: Fixed.\n" + posts
    [pm] = load(tmp_path, record(own)).postmortems
    assert [(u.body, u.source) for u in said_updates(pm)] == [("Fixed.", ("public", "updates", 0))]


def test_without_posts_or_updates_nothing_is_made_up(tmp_path):
    [pm] = load(tmp_path, record(PUBLIC)).postmortems
    view = public_view(pm, make_policy())
    assert view.updates == ()
    assert public_text(view).endswith("Summary:\n  Checkout was slow.\nUpdates: none posted")


def test_the_last_post_of_an_unresolved_incident_is_not_called_resolved(tmp_path):
    text = record(PUBLIC + POSTS, status="ongoing").replace("resolved: 2024-03-14T11:00:00Z\n", "")
    [pm] = load(tmp_path, text).postmortems
    assert [u.status for u in said_updates(pm)] == ["investigating", "monitoring", "monitoring"]


def test_maintenance_posts_take_maintenance_statuses(tmp_path):
    text = record(PUBLIC + POSTS).replace("title: Checkout", "kind: maintenance\ntitle: Checkout", 1)
    [pm] = load(tmp_path, text).postmortems
    assert [u.status for u in said_updates(pm)] == ["in_progress", "verifying", "completed"]


@pytest.mark.parametrize(
    "status, shown", [("published", True), ("ongoing", True), ("draft", True), ("in-review", True)]
)
def test_what_was_said_stays_public_while_its_postmortem_is_reviewed(tmp_path, status, shown):
    [pm] = load(tmp_path, record(status=status)).postmortems
    assert goes_public(pm) is shown


def test_a_draft_with_nothing_said_stays_internal(tmp_path):
    [pm] = load(tmp_path, record(PUBLIC, status="draft")).postmortems
    assert not goes_public(pm) and public_incidents([pm], make_policy()) == []


def test_a_post_that_names_something_internal_is_a_communication_leak_at_its_line(tmp_path):
    text = record(PUBLIC + POSTS.replace("Checkout is back to normal.", "Checkout is back; alice restarted orders-db."))
    kb = load(tmp_path, text)
    leaks = [(d.code, d.line, d.message) for d in kb.diagnostics if d.code == "communication-leak"]
    line = text.split("\n").index("    summary: Checkout is back; alice restarted orders-db.") + 1
    assert leaks == [
        ("communication-leak", line, "the status-page post 5 names `alice`, a person; the status site publishes it"),
        (
            "communication-leak",
            line,
            "the status-page post 5 names `orders-db`, an internal service; the status site publishes it",
        ),
    ]
    # an internal note may say anything: only posts are published
    assert not [d for d in load(tmp_path, record()).diagnostics if d.code == "communication-leak"]


def test_a_post_and_a_public_summary_know_the_same_people(tmp_path):
    # one gate for both rules: the policy's `blameless_names` are people in a post as in a summary
    policy = make_policy(blameless_names=("Priya Raman",))
    said = "Priya Raman restarted checkout."
    text = record(PUBLIC.replace("Checkout was slow.", said) + POSTS.replace("Checkout is back to normal.", said))
    found = {d.code for d in load(tmp_path, text, policy).diagnostics if "`Priya Raman`" in d.message}
    assert found == {"public-leak", "communication-leak"}


def test_a_component_name_holding_a_service_name_is_no_leak(tmp_path):
    from mkdocs_postmortems.policy import Service

    policy = make_policy(services=(Service("checkout", "", "Checkout"), Service("search", "", "Product search")))
    text = record(PUBLIC + POSTS.replace("Checkout is back to normal.", "Product search is back to normal."))
    assert not [d for d in load(tmp_path, text, policy).diagnostics if d.code == "communication-leak"]


def test_an_ongoing_incident_without_anything_said_is_flagged(tmp_path):
    text = record(PUBLIC, status="ongoing").replace("resolved: 2024-03-14T11:00:00Z\n", "")
    codes = [d.code for d in load(tmp_path, text).diagnostics]
    assert codes == ["ongoing-unsaid"]
    text = record(status="ongoing").replace("resolved: 2024-03-14T11:00:00Z\n", "")
    assert load(tmp_path, text).diagnostics == []

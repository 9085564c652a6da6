"""Review rules: each lifecycle state's needs, deadlines per severity, the checklist rules and blameless wording,
each against a complete published postmortem that passes every rule."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import VALID
from mkdocs_postmortems.checks.checklist import CHECKLIST, checklist_results
from mkdocs_postmortems.checks.communications import communications_owed
from mkdocs_postmortems.checks.families import RULES
from mkdocs_postmortems.checks.review import add_business_days
from mkdocs_postmortems.knowledge import load_knowledge_base
from mkdocs_postmortems.policy import Policy, Service

NAME = "2024-03-14-example.md"
# VALID plus what a published review needs: a systemic cause, `done_when` on the P1 item, `published_on`,
# a note to internal teams, and a P1 item due within 30 days of resolution.
COMPLETE = (
    VALID.replace(
        "    due: 2027-01-31\n", "    due: 2024-04-10\n    done_when: The pool holds twice last year's peak.\n"
    )
    .replace(
        "    addresses: [pool]\n---\n",
        """    addresses: [pool]
  - title: Add the connection pool to the capacity review
    owner: team-sre
    priority: P2
    due: 2024-05-01
    status: done
    closed: 2024-03-14
    addresses: [review]
published_on: 2024-03-19
communications:
  - audience: internal
    channel: slack
    at: 2024-03-14T10:05:00Z
---
""",
    )
    .replace(
        "    summary: The connection pool was sized for normal traffic.\n",
        """    summary: The connection pool was sized for normal traffic.
  - id: review
    kind: systemic
    category: process
    summary: Capacity reviews did not cover connection pools.
""",
    )
)
POLICY = Policy(services=(Service("checkout", "", "Checkout"), Service("orders-db")))
TODAY_AFTER_DUE = date(2024, 4, 1)  # before the P1 item's due date, so it is not overdue


def check(tmp_path, text: str, policy: Policy = POLICY, today: date = TODAY_AFTER_DUE):
    (tmp_path / NAME).write_text(text, encoding="utf-8")
    kb = load_knowledge_base(tmp_path, policy, today=today, base=tmp_path)
    return [(d.code, d.line) for d in kb.diagnostics]


def test_the_complete_baseline_passes_every_rule(tmp_path):
    assert check(tmp_path, COMPLETE) == []


@pytest.mark.parametrize("status", ["draft", "in-review"])
def test_published_only_rules_wait_for_publication(status, tmp_path):
    bare = VALID.replace("status: published", f"status: {status}").replace("priority: P1", "priority: P2")
    assert check(tmp_path, bare, today=date(2024, 3, 15)) == []


def test_drafts_may_lack_sections_and_keep_todos_but_in_review_may_not(tmp_path):
    text = (
        VALID.replace("priority: P1", "priority: P2")
        .replace("## Lessons learned\n\nLoad-test before sales.\n", "")
        .replace("Checkouts took up to 30 seconds for 40 minutes.", "TODO who was affected")
    )
    assert check(tmp_path, text.replace("status: published", "status: draft"), today=date(2024, 3, 15)) == []
    found = check(tmp_path, text.replace("status: published", "status: in-review"), today=date(2024, 3, 15))
    assert found == [("placeholder-left", 13), ("section-missing", 28)]


def test_published_needs_the_key_timestamps_and_its_date(tmp_path):
    text = COMPLETE.replace("mitigated: 2024-03-14T10:30:00Z\n", "").replace("published_on: 2024-03-19\n", "")
    assert check(tmp_path, text) == [("published-date", 3), ("timestamp-missing", 3)]
    early = COMPLETE.replace("published_on: 2024-03-19", "published_on: 2024-03-13")
    assert check(tmp_path, early) == [("published-date", 39)]


@pytest.mark.parametrize("published_on, found", [("2024-03-21", []), ("2024-03-22", [("publish-overdue", 39)])])
def test_publication_deadline_counts_business_days(published_on, found, tmp_path):
    # resolved Thursday 2024-03-14; a SEV2 has 5 business days: Thursday 2024-03-21
    assert add_business_days(date(2024, 3, 14), 5) == date(2024, 3, 21)
    assert check(tmp_path, COMPLETE.replace("published_on: 2024-03-19", f"published_on: {published_on}")) == found


def test_an_unpublished_postmortem_is_overdue_after_the_deadline(tmp_path):
    text = COMPLETE.replace("status: published", "status: in-review")
    assert check(tmp_path, text, today=date(2024, 3, 21)) == []
    assert check(tmp_path, text, today=date(2024, 3, 22)) == [("publish-overdue", 3)]
    quick = Policy(services=POLICY.services, publish_within_business_days={"SEV2": 1})
    assert check(tmp_path, text, quick, today=date(2024, 3, 18)) == [("publish-overdue", 3)]


def test_an_imported_record_has_no_review_and_no_deadline(tmp_path):
    """History nobody reviewed here: no reviewer, section, timestamp or publication date asked of it, and never
    overdue for a publication that is no one's task."""
    bare = (
        VALID.replace("status: published", "status: imported")
        .replace("reviewers: [bob]\n", "")
        .replace("mitigated: 2024-03-14T10:30:00Z\n", "")
        .replace("## Lessons learned\n\nLoad-test before sales.\n", "")
        .replace("Checkouts took up to 30 seconds for 40 minutes.", "TODO who was affected")
        .replace("    due: 2027-01-31\n", "    due: 2099-01-31\n")
    )
    assert check(tmp_path, bare, today=date(2026, 11, 22)) == []
    assert RULES["publish-overdue"].states is not None and not RULES["publish-overdue"].runs_in("imported")
    in_review = bare.replace("status: imported", "status: in-review")
    assert {code for code, _ in check(tmp_path, in_review, today=date(2026, 11, 22))} >= {
        "reviewer-required",
        "section-missing",
        "placeholder-left",
        "publish-overdue",
    }


def test_first_priority_items_must_be_due_within_the_severitys_days(tmp_path):
    late = COMPLETE.replace("    due: 2024-04-10\n", "    due: 2024-04-14\n")  # resolved 2024-03-14 + 30 days = 04-13
    assert check(tmp_path, late) == [("action-item-deadline", 28)]
    assert check(tmp_path, late.replace("severity: SEV2", "severity: SEV3")) == []  # no deadline for SEV3
    assert check(tmp_path, late.replace("priority: P1", "priority: P2")) == []


def test_every_causal_root_cause_needs_an_action_item(tmp_path):
    text = COMPLETE.replace("    addresses: [pool]\n", "    addresses: [review]\n")
    assert check(tmp_path, text) == [("cause-unaddressed", 16)]
    wont_do = COMPLETE.replace(
        "    status: open\n", "    status: wont-do\n    closed: 2024-03-20\n    reason: The pool is being replaced.\n"
    )
    assert check(tmp_path, wont_do) == []  # an explicit, reasoned wont-do addresses it too


def test_first_priority_items_need_done_when(tmp_path):
    text = COMPLETE.replace("    done_when: The pool holds twice last year's peak.\n", "")
    assert check(tmp_path, text) == [("done-when-missing", 25)]


def test_impact_needs_a_number(tmp_path):
    assert check(tmp_path, COMPLETE.replace("  customers_affected: 1200\n", "")) == [("impact-unquantified", 13)]
    requests = COMPLETE.replace("  customers_affected: 1200\n", "  requests_failed: 5000\n")
    assert check(tmp_path, requests) == []


def test_causal_causes_alone_are_too_shallow(tmp_path):
    text = COMPLETE.replace("    kind: systemic\n", "    kind: causal\n")
    assert check(tmp_path, text) == [("root-cause-shallow", 16)]


def test_internal_teams_must_have_been_told(tmp_path):
    text = COMPLETE.replace("  - audience: internal\n", "  - audience: customers\n")
    assert check(tmp_path, text) == [("communication-missing", 3)]


@pytest.mark.parametrize(
    "sentence, flagged",
    [
        ("alice forgot to drain the node before the upgrade.", True),
        ("The on-call engineer failed to notice the alert.", True),
        ("This was human error.", True),
        ("The health check failed to detect the stale replica.", False),
        ("alice drained the node and traffic recovered.", False),
    ],
)
def test_blaming_wording_in_the_body_is_flagged_where_it_is(sentence, flagged, tmp_path):
    text = COMPLETE.replace("The pool was too small.\n", f"The pool was too small.\n{sentence}\n")
    line = COMPLETE.split("\n").index("The pool was too small.") + 2
    assert check(tmp_path, text) == ([("blame-language", line)] if flagged else [])


def test_blaming_wording_in_front_matter_points_at_the_field(tmp_path):
    text = COMPLETE.replace(
        "summary: The connection pool was sized for normal traffic.",
        "summary: bob forgot to resize the connection pool.",
    )
    assert check(tmp_path, text) == [("blame-language", 19)]


def test_a_blameless_ok_comment_silences_its_line_and_the_next(tmp_path):
    quoted = (
        "<!-- blameless-ok: quoting the customer's complaint -->\nThe customer wrote that we should have warned them.\n"
    )
    text = COMPLETE.replace("The pool was too small.\n", "The pool was too small.\n" + quoted)
    assert check(tmp_path, text) == []
    in_yaml = COMPLETE.replace(
        "summary: The connection pool was sized for normal traffic.",
        "summary: bob forgot to resize the pool  # blameless-ok: bob is the pool's name",
    )
    assert check(tmp_path, in_yaml) == []


def test_configured_names_and_phrases(tmp_path):
    text = COMPLETE.replace(
        "The pool was too small.\n", "The pool was too small.\nMallory broke the config, a classic fat finger.\n"
    )
    assert check(tmp_path, text) == []
    policy = Policy(services=POLICY.services, blameless_names=("Mallory",), blameless_phrases=("fat finger",))
    line = COMPLETE.split("\n").index("The pool was too small.") + 2
    assert check(tmp_path, text, policy) == [("blame-language", line), ("blame-language", line)]


def test_every_checklist_rule_exists_and_every_review_code_is_on_the_checklist():
    on_checklist = {code for item in CHECKLIST for code in item.codes}
    assert on_checklist <= set(RULES)
    review_codes = {
        "placeholder-left",
        "timestamp-missing",
        "published-date",
        "publish-overdue",
        "action-item-deadline",
        "cause-unaddressed",
        "done-when-missing",
        "impact-unquantified",
        "root-cause-shallow",
        "communication-missing",
        "blame-language",
        "section-missing",
        "reviewer-required",
    }
    assert review_codes <= on_checklist
    assert all(item.question.endswith("?") for item in CHECKLIST)


def test_checklist_results_tick_items_without_findings(tmp_path):
    (tmp_path / NAME).write_text(COMPLETE.replace("  customers_affected: 1200\n", ""), encoding="utf-8")
    kb = load_knowledge_base(tmp_path, POLICY, today=TODAY_AFTER_DUE, base=tmp_path)
    results = {
        item.title: ([d.code for d in found], checked)
        for item, found, checked in checklist_results(kb.diagnostics, "published")
    }
    assert results["Impact assessed"] == (["impact-unquantified"], True)
    assert all(result == ([], True) for title, result in results.items() if title != "Impact assessed")
    waiting = {item.title for item, _, checked in checklist_results([], "in-review") if not checked}
    # "Reviewed on time" waits too: `published-date` runs only once published
    assert waiting == {
        "Key data collected",
        "Impact assessed",
        "Root cause deep enough",
        "Action plan appropriate",
        "Outcome shared",
        "Reviewed on time",
    }


# --- the communication policy -------------------------------------------------------------------------------------


REGULATED = Policy(services=(Service("checkout", "", "Checkout"), Service("orders-db", regulated=True)))
PUBLIC_BLOCK = "public:\n  title: Slow checkout\n  summary: Checkout was slow.\n  components: [Checkout]\n---\n"


def owed(tmp_path, text: str, policy: Policy = REGULATED) -> list[tuple[str, str]]:
    (tmp_path / NAME).write_text(text, encoding="utf-8")
    [pm] = load_knowledge_base(tmp_path, policy, today=TODAY_AFTER_DUE, base=tmp_path).postmortems
    return [(o.audience, o.state) for o in communications_owed(pm, policy)]


def test_a_public_incident_of_a_listed_severity_owes_customers_a_notice(tmp_path):
    public = COMPLETE.replace("---\n\n## Summary", PUBLIC_BLOCK + "\n## Summary", 1)
    assert owed(tmp_path, public) == [("customers", "missing")]
    assert owed(tmp_path, public.replace("severity: SEV2", "severity: SEV3")) == []
    told = public.replace(
        "  - audience: internal\n",
        "  - audience: customers\n    channel: status-page\n    at: 2024-03-14T10:10:00Z\n  - audience: internal\n",
    )
    assert owed(tmp_path, told) == []
    assert owed(tmp_path, COMPLETE) == []  # nothing public: nothing owed to customers


@pytest.mark.parametrize(
    "report_at, found",
    [
        (None, [("regulators", "missing")]),
        ("2024-03-17T09:58:00Z", []),
        ("2024-03-17T09:59:00Z", [("regulators", "late")]),
    ],
)
def test_a_regulated_service_owes_the_regulator_a_report_in_time(report_at, found, tmp_path):
    text = COMPLETE.replace("services: [checkout]", "services: [checkout, orders-db]")
    if report_at:  # detected 2024-03-14T09:58Z; three days
        text = text.replace(
            "  - audience: internal\n",
            f"  - audience: regulators\n    channel: portal\n    at: {report_at}\n  - audience: internal\n",
        )
    assert owed(tmp_path, text) == found


def test_what_is_owed_is_a_warning_from_review_on(tmp_path):
    text = COMPLETE.replace("services: [checkout]", "services: [checkout, orders-db]")
    assert check(tmp_path, text, REGULATED) == [("communication-owed", 41)]  # the `communications` key
    draft = text.replace("status: published", "status: draft")
    assert check(tmp_path, draft, REGULATED, today=date(2024, 3, 15)) == []

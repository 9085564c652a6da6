"""`kb_site/review_report.py`: a review as Markdown (a table per figure, the previous period beside it, every
definition a footnote, every value of a postmortem escaped) and as JSON (plain values only)."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from mkdocs_postmortems.kb_site.indexes import build_indexes
from mkdocs_postmortems.kb_site.review_report import review_json, review_markdown
from mkdocs_postmortems.kb_site.reviews import Reviewer, quarter
from mkdocs_postmortems.knowledge import KnowledgeBase
from mkdocs_postmortems.policy import Policy, Service
from test_indexes import TODAY, incident

POLICY = Policy(services=(Service("checkout", component="Checkout"),), targets={"Checkout": 99.5})


def review(*pms, policy=POLICY):
    kb = KnowledgeBase(policy, TODAY, list(pms), by_id={pm.id: pm for pm in pms})
    return Reviewer(kb, build_indexes(list(pms), policy, TODAY)).review(quarter(2026, 3))


def test_a_value_of_a_postmortem_is_text_in_the_markdown():
    hostile = replace(incident("a", "2026-07-02", causes=[("c", "causal", "capacity", "")]), title="A | <b>bold</b>")
    again = incident("b", "2026-08-02", causes=[("c", "causal", "capacity", "")], services=("checkout",))
    text = review_markdown(review(hostile, again))
    assert "A \\| \\<b\\>bold\\</b\\>" in text and "<b>" not in text
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert all(len(re.findall(r"(?<!\\)\|", row)) == len(re.findall(r"(?<!\\)\|", rows[0])) for row in rows[:7])


def test_every_section_has_its_table_or_says_it_is_empty():
    text = review_markdown(review())
    assert text.startswith("# Period review: 2026-Q3\n\n2026-07-01 to 2026-09-30, against 2026-Q2 (2026-04-01 to ")
    assert "0 incidents in 2026-Q3, 0 in 2026-Q2." in text
    for empty in ("No incident in either period.", "None.", "No action item was opened.", "Nothing is owed."):
        assert empty in text
    assert "| Checkout | 99.5% | 100.00% | 100.00% | yes |" in text
    notes = re.findall(r"^\[\^(\w+)\]: ", text, re.MULTILINE)
    assert notes == list(review().definitions) and all(f"[^{note}]" in text.split("\n[^")[0] for note in notes)


def test_the_json_is_plain_values():
    data = review_json(review(incident("a", "2026-07-02"), incident("b", "2026-05-02", severity="SEV1")))
    assert json.loads(json.dumps(data)) == data
    assert data["incidents"]["by_severity"] == [
        {"severity": "SEV1", "period": 0, "previous": 1},
        {"severity": "SEV2", "period": 1, "previous": 0},
    ]
    assert data["response_times"][0]["period"] == {"count": 1, "missing": 0, "median_minutes": 5.0, "p90_minutes": 5.0}
    assert data["availability"] == [
        {
            "component": "Checkout",
            "target_percent": 99.5,
            "period_percent": 100.0,
            "previous_percent": 100.0,
            "met": True,
        }
    ]

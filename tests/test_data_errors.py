"""Data errors never break a build or reach customers: a file missing fields is listed, never hidden; a postmortem
with errors is withheld from the public site, and says so; durations are never negative."""

from __future__ import annotations

from pathlib import Path

from conftest import TODAY, VALID, make_policy
from mkdocs_postmortems.diagnostics import Level
from mkdocs_postmortems.kb_site.indexes import build_indexes
from mkdocs_postmortems.kb_site.pages import problem_files
from mkdocs_postmortems.knowledge import load_knowledge_base
from mkdocs_postmortems.policy import Service
from mkdocs_postmortems.render import format_duration, format_minutes
from mkdocs_postmortems.status_site.public import public_incidents

PUBLIC = """\
public:
  title: Checkout was slow
  summary: Some customers could not pay for a while.
  components: [Checkout]
"""
POLICY = make_policy(services=(Service("checkout", "", "Checkout"),))


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def public_postmortem(**replace: str) -> str:
    """VALID with a `public` block, and each `old` text replaced by its `new` one (the block's too)."""
    head, _, rest = VALID.partition("action_items:")
    text = head + PUBLIC + "action_items:" + rest
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def load(folder: Path, policy=POLICY):
    return load_knowledge_base(folder, policy, today=TODAY, base=folder)


def test_a_file_without_status_is_an_error_and_never_a_hidden_draft(tmp_path):
    write(tmp_path, "2024-03-14-checkout.md", VALID.replace("status: published\n", ""))
    kb = load(tmp_path)
    (pm,) = kb.postmortems
    assert ("missing-field", Level.ERROR) in [(d.code, d.level) for d in kb.diagnostics]
    assert pm.status == "" and kb.published() == [pm]  # shown, with its problems, not filed away as a draft
    files = problem_files(kb, build_indexes(kb.published(), kb.policy, kb.today))
    assert [(path, shown.id if shown else None) for path, shown, _ in files] == [
        ("2024-03-14-checkout.md", "2024-03-14-checkout")
    ]


def test_a_draft_with_errors_is_listed_with_its_errors_though_it_has_no_page(tmp_path):
    write(
        tmp_path,
        "2024-03-14-checkout.md",
        VALID.replace("status: published", "status: draft").replace("severity: SEV2", "severity: SEV9"),
    )
    kb = load(tmp_path)
    assert kb.published() == []
    ((_path, shown, problems),) = problem_files(kb, build_indexes(kb.published(), kb.policy, kb.today))
    assert shown is None and [d.code for d in problems] == ["invalid-value"]


def test_a_published_postmortem_with_errors_is_withheld_and_the_diagnostic_names_each_error(tmp_path):
    write(
        tmp_path,
        "2024-03-14-checkout.md",
        public_postmortem(**{"resolved: 2024-03-14T11:00:00Z": "resolved: 2023-10-14T11:00:00Z"}),
    )
    kb = load(tmp_path)
    (pm,) = kb.postmortems
    assert pm.errors == ("timestamp-order",)
    assert public_incidents(kb.postmortems, kb.policy) == []
    (withheld,) = [d for d in kb.diagnostics if d.code == "public-withheld"]
    order = next(d for d in kb.diagnostics if d.code == "timestamp-order")
    assert withheld.level is Level.WARNING and withheld.line == pm.position_of("public")[0]
    assert f"{order.location()} [timestamp-order]" in withheld.message


def test_a_clean_published_postmortem_still_goes_public(tmp_path):
    write(tmp_path, "2024-03-14-checkout.md", public_postmortem())
    kb = load(tmp_path)
    assert [view.id for view in public_incidents(kb.postmortems, kb.policy)] == ["2024-03-14-checkout"]
    assert not [d for d in kb.diagnostics if d.code == "public-withheld"]


def test_an_error_lowered_by_rule_levels_no_longer_withholds(tmp_path):
    write(
        tmp_path,
        "2024-03-14-checkout.md",
        public_postmortem(**{"resolved: 2024-03-14T11:00:00Z": "resolved: 2023-10-14T11:00:00Z"}),
    )
    policy = make_policy(services=POLICY.services, rule_levels={"timestamp-order": "warning"})
    kb = load(tmp_path, policy)
    assert len(public_incidents(kb.postmortems, kb.policy)) == 1


def test_a_resolution_before_the_start_is_no_duration(tmp_path):
    write(
        tmp_path,
        "2024-03-14-checkout.md",
        VALID.replace("mitigated: 2024-03-14T10:30:00Z\n", "").replace(
            "resolved: 2024-03-14T11:00:00Z", "resolved: 2023-10-14T11:00:00Z"
        ),
    )
    (pm,) = load(tmp_path).postmortems
    assert pm.duration is None and pm.time_to_resolve is None
    assert pm.time_to_detect is not None


def test_durations_for_people_are_never_negative_nor_overflow():
    from datetime import timedelta

    assert format_duration(timedelta(days=-153, hours=1)) == ""
    assert format_minutes(-5) == "—" and format_minutes(float("nan")) == "—"
    assert format_minutes(1e30) == "—" and format_minutes(float("inf")) == "—"
    assert format_minutes(90) == "1 h 30 min"

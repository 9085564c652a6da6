"""What goes public, and the leak gate: each class of leak caught at its file:line, and nothing else."""

from __future__ import annotations

import pytest

from cli_support import CONFIG, run
from conftest import TODAY, VALID, make_policy
from mkdocs_postmortems.knowledge import load_knowledge_base
from mkdocs_postmortems.policy import Policy, Service
from mkdocs_postmortems.status_site.leak_gate import LeakGate
from mkdocs_postmortems.status_site.public import public_text, public_view

POLICY = Policy(
    services=(Service("checkout", component="Checkout", public=True), Service("orders-db"), Service("platform-k8s")),
    public_deny=("Project Falcon",),
)
PEOPLE = ("alice", "j.osei", "team-search")
PUBLIC = """public:
  title: Slow checkout
  summary: {summary}
  components: [Checkout]
---
"""


@pytest.mark.parametrize(
    "text, term, what",
    [
        ("The orders-db cluster failed over.", "orders-db", "an internal service"),
        ("Traffic on PLATFORM-K8S was throttled.", "PLATFORM-K8S", "an internal service"),
        ("Alice restarted the database.", "Alice", "a person"),
        ("j.osei rolled it back.", "j.osei", "a person"),
        ("Thanks to team-search for the quick fix.", "team-search", "a person"),
        ("Ask @ops-oncall for details.", "@ops-oncall", "an @mention"),
        ("Tracked in OPS-1234.", "OPS-1234", "a ticket key"),
        (
            "See https://grafana.larkspur.internal/d/checkout for graphs.",
            "grafana.larkspur.internal",
            "an internal host",
        ),
        ("The wiki at wiki.corp has more.", "wiki.corp", "an internal host"),
        ("The host 10.20.3.4 stopped answering.", "10.20.3.4", "a private IP address"),
        ("Requests from 192.168.1.20 timed out.", "192.168.1.20", "a private IP address"),
        ("Part of project falcon.", "project falcon", "a term on the deny list"),
    ],
)
def test_each_class_of_leak_is_found(text, term, what):
    assert [(found, kind) for _, found, kind in LeakGate(POLICY, PEOPLE).find(text)] == [(term, what)]


@pytest.mark.parametrize(
    "text",
    [
        "Checkout was slow for 40 minutes.",  # a service marked public
        "Write to help@larkspur.example for a refund.",  # an e-mail address is no @mention
        "Customers on 8.8.8.8 saw nothing.",  # a public address
        "The orders-dbx and platform-k8s-tools names are someone else's.",  # other words that contain a name
        "Version 10.2.3 of the app is fixed.",  # not an address
        "Our status page at status.larkspur.example has the updates.",  # a public host
    ],
)
def test_public_words_pass_the_gate(text):
    assert LeakGate(POLICY, PEOPLE).find(text) == []


def test_a_service_named_like_a_public_component_passes():
    policy = Policy(services=(Service("search", component="Search"), Service("search-indexer", component="Search")))
    assert [term for _, term, _ in LeakGate(policy, ()).find("Search was stale: the search-indexer lagged.")] == [
        "search-indexer"
    ]


def test_the_ticket_pattern_and_hosts_are_configurable():
    policy = Policy(ticket_pattern=r"INC\d{5}", internal_hosts=("*.lan",))
    gate = LeakGate(policy, ())
    assert [term for _, term, _ in gate.find("INC00042 on nas.lan, not OPS-1 on x.internal")] == ["INC00042", "nas.lan"]


def test_a_leak_is_an_error_at_its_line_and_column(tmp_path):
    summary = "Checkout failed while orders-db restarted."
    text = VALID.replace("---\n\n## Summary", PUBLIC.format(summary=summary) + "\n## Summary", 1)
    (tmp_path / "2024-03-14-example.md").write_text(text, encoding="utf-8")
    kb = load_knowledge_base(tmp_path, make_policy(services=POLICY.services), today=TODAY, base=tmp_path)
    [withheld, leak] = (
        kb.diagnostics
    )  # at the `public` block, above the leak; a leak is an error, so the postmortem is also withheld from the public site
    assert withheld.code == "public-withheld" and f"{leak.location()} [public-leak]" in withheld.message
    assert (leak.code, leak.level.value, leak.line, leak.col) == (
        "public-leak",
        "error",
        29,
        12 + summary.index("orders-db"),
    )
    assert "`orders-db`, an internal service" in leak.message


def test_a_person_named_in_another_postmortem_is_caught(tmp_path):
    other = VALID.replace("authors: [alice]", "authors: [m.schneider]").replace("2024-03-14T", "2024-03-15T")
    text = VALID.replace("---\n\n## Summary", PUBLIC.format(summary="M.Schneider fixed it.") + "\n## Summary", 1)
    (tmp_path / "2024-03-14-example.md").write_text(text, encoding="utf-8")
    (tmp_path / "2024-03-15-other.md").write_text(other, encoding="utf-8")
    kb = load_knowledge_base(tmp_path, make_policy(), today=TODAY, base=tmp_path)
    assert [(d.path, d.code) for d in kb.diagnostics if d.code != "public-withheld"] == [
        ("2024-03-14-example.md", "public-leak")
    ]


def test_the_public_view_is_the_allowlist_only(tmp_path):
    text = VALID.replace("---\n\n## Summary", PUBLIC.format(summary="Checkout was slow.") + "\n## Summary", 1)
    (tmp_path / "2024-03-14-example.md").write_text(text, encoding="utf-8")
    [pm] = load_knowledge_base(tmp_path, make_policy(), today=TODAY, base=tmp_path).postmortems
    assert public_text(public_view(pm, make_policy())) == (
        "Title: Slow checkout\nComponents: Checkout\nImpact: major, 2024-03-14 09:50 UTC – 2024-03-14 10:30 UTC\n"
        "Summary:\n  Checkout was slow.\nUpdates: none posted"
    )  # nothing was posted, so nothing is made up; the window ends at `mitigated`, not `resolved`
    for internal in ("alice", "bob", "team-checkout", "connection pool", "Size the pool"):
        assert internal not in public_text(public_view(pm, make_policy()))


def test_explicit_impact_changes_and_updates_go_public_and_are_gated(tmp_path):
    block = PUBLIC.format(summary="Checkout was slow.").replace(
        "---\n",
        """  impact: critical
  changes: We added capacity; see OPS-7.
  updates:
    - status: investigating
      at: 2024-03-14T10:00:00+01:00
      body: We are looking into slow checkouts.
    - status: resolved
      at: 2024-03-14T11:00:00Z
      body: Fixed by alice.
---
""",
    )
    text = VALID.replace("---\n\n## Summary", block + "\n## Summary", 1)
    (tmp_path / "2024-03-14-example.md").write_text(text, encoding="utf-8")
    kb = load_knowledge_base(tmp_path, make_policy(), today=TODAY, base=tmp_path)
    view = public_view(kb.postmortems[0], make_policy())
    assert (view.impact, view.changes) == ("critical", "We added capacity; see OPS-7.")
    assert [(u.status, u.at.isoformat()) for u in view.updates] == [
        ("resolved", "2024-03-14T11:00:00+00:00"),
        ("investigating", "2024-03-14T09:00:00+00:00"),
    ]
    assert [(d.code, d.line, d.message.split("names ")[1]) for d in kb.diagnostics if d.code == "public-leak"] == [
        ("public-leak", 32, "`OPS-7`, a ticket key [ticket]"),
        ("public-leak", 39, "`alice`, a person [person]"),
    ]


@pytest.mark.parametrize(
    "severity, impact", [("SEV1", "critical"), ("SEV2", "major"), ("SEV3", "minor"), ("SEV4", "minor")]
)
def test_the_impact_defaults_by_severity(severity, impact, tmp_path):
    text = VALID.replace("---\n\n## Summary", PUBLIC.format(summary="Slow.") + "\n## Summary", 1)
    (tmp_path / "2024-03-14-example.md").write_text(text.replace("severity: SEV2", f"severity: {severity}"))
    [pm] = load_knowledge_base(tmp_path, make_policy(), today=TODAY, base=tmp_path).postmortems
    assert public_view(pm, make_policy()).impact == impact


def test_public_diff_prints_what_goes_public_and_fails_on_a_leak(project):
    leaky = VALID.replace("---\n\n## Summary", PUBLIC.format(summary="Tracked in CHK-12.") + "\n## Summary", 1)
    clean = VALID.replace("2024-03-14T", "2024-03-15T")
    (project / "postmortems" / "2024-03-14-leaky.md").write_text(leaky, encoding="utf-8")
    (project / "postmortems" / "2024-03-15-clean.md").write_text(clean, encoding="utf-8")
    result = run("public-diff", "postmortems/2024-03-15-clean.md")
    assert result.exit_code == 0
    assert result.output.splitlines()[:2] == [
        "== postmortems/2024-03-15-clean.md (published) ==",
        "Nothing goes public: no `public` block.",
    ]
    result = run("public-diff")
    assert result.exit_code == 1
    assert "Title: Slow checkout" in result.output and "Summary:\n  Tracked in CHK-12." in result.output
    assert (
        "postmortems/2024-03-14-leaky.md:29:23: error [public-leak] the public summary names `CHK-12`, a ticket key"
        in result.output
    )
    assert CONFIG  # the project fixture wrote it


def test_the_example_knowledge_base_leaks_nothing():
    from pathlib import Path

    import mkdocs.config

    from mkdocs_postmortems.mkdocs_config import policy_from_options

    root = Path(__file__).resolve().parents[1]
    policy = policy_from_options(mkdocs.config.load_config(str(root / "mkdocs.yml")).plugins["postmortems"].config)
    kb = load_knowledge_base(root / "postmortems", policy, today=TODAY, base=root)
    assert [d for d in kb.diagnostics if d.code == "public-leak"] == []
    assert sum(1 for pm in kb.postmortems if pm.public) == 13  # with the ongoing incident and the maintenance


def test_a_revision_moves_the_incidents_update_time_forward(tmp_path):
    block = PUBLIC.format(summary="Checkout was slow.")
    text = VALID.replace("---\n\n## Summary", block + "\n## Summary", 1)
    (tmp_path / "2024-03-14-example.md").write_text(text, encoding="utf-8")
    [pm] = load_knowledge_base(tmp_path, make_policy(), today=TODAY, base=tmp_path).postmortems
    assert public_view(pm, make_policy()).updated.isoformat() == "2024-03-14T10:30:00+00:00"  # ended: mitigated
    revised = text.replace("  components: [Checkout]\n", "  components: [Checkout]\n  revised: 2024-03-20T08:00:00Z\n")
    (tmp_path / "2024-03-14-example.md").write_text(revised, encoding="utf-8")
    [pm] = load_knowledge_base(tmp_path, make_policy(), today=TODAY, base=tmp_path).postmortems
    assert public_view(pm, make_policy()).updated.isoformat() == "2024-03-20T08:00:00+00:00"

"""The held-out deadlines of `fixtures/regulatory/held_out.yaml`, computed by hand from the published texts, against
`regulatory.clocks()` to the minute: each record is written as a file's front matter, with its offsets as given, and
read by the real reader."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from mkdocs_postmortems.dates import iso_z
from mkdocs_postmortems.knowledge import postmortem_from_source
from mkdocs_postmortems.parsing.frontmatter import parse_source
from mkdocs_postmortems.policy import Policy, Service
from mkdocs_postmortems.regulatory import clocks

HELD_OUT = Path(__file__).parent / "fixtures" / "regulatory" / "held_out.yaml"


class _TimesAsWritten(yaml.SafeLoader):
    """A timestamp stays the text it was written as, offset included (`yaml.SafeLoader` would convert it)."""


_TimesAsWritten.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
DATA = yaml.load(HELD_OUT.read_text(encoding="utf-8"), Loader=_TimesAsWritten)
POLICY = Policy(
    services=tuple(Service(service["name"], regulated=tuple(service["regulated"])) for service in DATA["services"]),
    regulatory_regimes=tuple(DATA["regulatory"]["regimes"]),
)
NOW = datetime(2026, 12, 7, tzinfo=timezone.utc)  # states depend on it; deadlines never do


def test_the_held_out_set_covers_every_regime_and_stage():
    covered = {(entry["regime"], entry["stage"]) for record in DATA["records"] for entry in record["expected"]}
    assert covered == {
        ("dora", "initial"),
        ("dora", "intermediate"),
        ("dora", "final"),
        ("nis2", "early-warning"),
        ("nis2", "notification"),
        ("nis2", "final"),
        ("gdpr", "notification"),
        ("sec-8k", "8-k"),
    }
    assert len(DATA["records"]) >= 15


@pytest.mark.parametrize("record", DATA["records"], ids=[record["id"] for record in DATA["records"]])
def test_clocks_match_the_deadlines_computed_by_hand(record):
    path = f"{record['id']}.md"
    front_matter = yaml.safe_dump(record["front_matter"], sort_keys=False, allow_unicode=True)
    pm, problems = postmortem_from_source(
        parse_source(f"---\n{front_matter}---\n\nBody.\n", path), record["id"], path, POLICY
    )
    assert problems == []
    assert pm is not None
    computed = [
        {"regime": clock.regime, "stage": clock.stage, "due": iso_z(clock.due) if clock.due else None}
        for clock in clocks(pm, POLICY, NOW)
    ]
    assert computed == record["expected"]

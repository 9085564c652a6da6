"""The held-out deadlines of `fixtures/regulatory/held_out.yaml` (computed by hand from the published texts, never by
the code) through a built site: one MkDocs build of every record, with the file's plugin options, and its
`/regulatory/deadlines.json` compared with them to the minute, entry by entry."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from mkdocs.config.defaults import MkDocsConfig

from site_support import body, build_site, make_site

HELD_OUT = Path(__file__).parent / "fixtures" / "regulatory" / "held_out.yaml"
EPOCH = "1796644800"  # 2026-12-07 12:00:00 UTC: the states depend on it, the deadlines never do


class _Dumper(yaml.SafeDumper):
    """Writes a time as the file wrote it: its own offset, a `T` between date and time."""


_Dumper.add_representer(
    datetime, lambda dumper, moment: dumper.represent_scalar("tag:yaml.org,2002:timestamp", moment.isoformat())
)
DATA = yaml.safe_load(HELD_OUT.read_text(encoding="utf-8"))


def minute(moment: datetime | str | None) -> str | None:
    """A due time to the minute, in UTC, whichever way it is written (`...Z`, a YAML timestamp)."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


@pytest.fixture(scope="module")
def deadlines(tmp_path_factory) -> dict[tuple[str, str, str], dict]:
    """`deadlines.json` of one build of every held-out record, by (ID, regime, stage)."""
    root = tmp_path_factory.mktemp("held-out")
    records = {
        f"{record['id']}.md": "---\n"
        + yaml.dump(record["front_matter"], Dumper=_Dumper, sort_keys=False, allow_unicode=True)
        + "---\n"
        + body()
        for record in DATA["records"]
    }
    config = make_site(root, records, {"services": DATA["services"], "regulatory": DATA["regulatory"]})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        MkDocsConfig.plugins.plugin_cache.clear()  # a new plugin object, as a new `mkdocs build`
        site = build_site(config)
    entries = json.loads((site / "regulatory" / "deadlines.json").read_text(encoding="utf-8"))["deadlines"]
    return {(entry["id"], entry["regime"], entry["stage"]): entry for entry in entries}


def test_the_export_has_exactly_the_held_out_stages(deadlines):
    expected = {(record["id"], e["regime"], e["stage"]) for record in DATA["records"] for e in record["expected"]}
    assert len(expected) >= 30 and set(deadlines) == expected


@pytest.mark.parametrize("record", DATA["records"], ids=[record["id"] for record in DATA["records"]])
def test_each_due_time_matches_the_one_computed_by_hand_to_the_minute(deadlines, record):
    found = [deadlines[record["id"], e["regime"], e["stage"]] for e in record["expected"]]
    assert [minute(entry["due"]) for entry in found] == [minute(e["due"]) for e in record["expected"]]
    assert {entry["path"] for entry in found} == {f"postmortems/{record['id']}.md"}
    assert all(entry["state"] == "waiting" for entry in found if entry["due"] is None)

"""What goes public, stated once (`said.disclosed`) and checked over the whole product of what can change it:
lifecycle state × kind × which texts a record has × an error × the `public` block's shape, through the built status
site (every file it writes) and `postmortems notify --dry-run`.

Each record carries a marker word in each of its texts; the expected set of markers on the site is computed here from
the promise in docs/publishing.md, independently of the code:

- nothing of a record without a `public` block, or with any error;
- a `published` or `ongoing` record: its public title, summary, changes, and its `public.updates`, else its
  status-page posts;
- a `draft` or `in-review` record with status-page posts: those posts alone, never its review's new text;
- an `imported` record: what a `published` one shows while its text was public already and is as imported (its
  `provenance.already_public`, and a `public_hash` that still matches); else nothing, whatever it claims;
- never a post on another channel, to another audience, nor the postmortem's own title or body;
- nothing of regulatory reporting: each incident's `regulatory` block, every DORA stage reported on time, gives no
  reference, stage, moment or deadline to the site, nor a link to `/regulatory/`.
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from mkdocs_postmortems.knowledge import postmortem_from_source
from mkdocs_postmortems.model import public_fingerprint
from mkdocs_postmortems.parsing.frontmatter import source_from_bytes
from mkdocs_postmortems.policy import Policy, Service
from mkdocs_postmortems.regulatory import STAGES, clocks
from site_support import build_site, make_site, postmortem, run_cli

# `imported` without `already_public`; with it and the hash of the record as written (`public`), of the record before
# one character was edited (`edited`), or without a hash (`claimed`)
STATES = (
    "ongoing",
    "draft",
    "in-review",
    "published",
    "imported",
    "imported-public",
    "imported-edited",
    "imported-claimed",
)
POLICY = Policy(services=(Service("checkout", component="Checkout", regulated=True),), regulatory_regimes=("dora",))
KINDS = ("incident", "maintenance")
SOURCES = (
    "title",
    "summary",
    "changes",
    "update",
    "post",
    "email",
    "internal",
    "internal_title",
    "body",
    "reference",
)


def marker(number: int, source: str) -> str:
    """A word no other text contains, which the leak gate reads as an ordinary word."""
    return f"mark{number:03d}{source.replace('_', '')}x"


def pm_id(number: int) -> str:
    return f"2025-{1 + number % 12:02d}-{1 + number % 27:02d}-record-{number:03d}"


def _at(day: date, minute: str) -> datetime:
    return datetime.fromisoformat(f"{day.isoformat()}T{minute}:00+00:00")


def reported(number: int) -> tuple[dict, list[datetime]]:
    """An incident's `regulatory` block, every DORA stage reported on time with a marker as its reference, and every
    moment it holds or gives, its deadlines worked out by hand (Delegated Regulation 2025/301 art. 5(1)): initial 4 h
    after `classified_major` (before `aware` + 24 h), intermediate 72 h after the initial's submission, final one
    month after the intermediate's (a day of the month up to 27: no month end). Each at a minute no other time of the
    record has."""
    day = date.fromisoformat(pm_id(number)[:10])
    aware, major = _at(day, "10:17"), _at(day, "10:29")
    sent = [_at(day, "11:07"), _at(day + timedelta(days=1), "10:43"), _at(day + timedelta(days=5), "09:11")]
    month = sent[1].replace(year=sent[1].year + sent[1].month // 12, month=sent[1].month % 12 + 1)
    due = [major + timedelta(hours=4), sent[0] + timedelta(hours=72), month]
    block = {
        "aware": aware.isoformat(),
        "classified_major": major.isoformat(),
        "reports": [
            {
                "regime": "dora",
                "stage": stage,
                "submitted": at.isoformat(),
                "reference": f"{marker(number, 'reference')}-{i}",
            }
            for i, (stage, at) in enumerate(zip(("initial", "intermediate", "final"), sent, strict=True))
        ],
    }
    return block, [aware, major, *sent, *due]


def _record(number: int, state: str, kind: str, updates: bool, posts: bool, error: bool, public: str) -> str:
    m = lambda source: marker(number, source)  # noqa: E731
    day = pm_id(number)[:10]
    communications = [
        {"audience": "internal", "channel": "slack", "at": f"{day}T10:00:00Z", "summary": m("internal")},
        {"audience": "customers", "channel": "email", "at": f"{day}T10:01:00Z", "summary": m("email")},
    ]
    if posts:
        communications.append(
            {
                "audience": "customers",
                "channel": "status-page",
                "at": f"{day}T10:02:00Z",
                "summary": f"First post {m('post')}",
            }
        )
    block: object = {
        "title": f"Title {m('title')}",
        "summary": f"Summary {m('summary')}",
        "components": ["Checkout"],
        "changes": f"Changes {m('changes')}",
    }
    if updates:
        block["updates"] = [
            {
                "status": "scheduled" if kind == "maintenance" else "investigating",
                "at": f"{day}T10:03:00Z",
                "body": f"Update {m('update')}",
            }
        ]
    status, _, provenance = state.partition("-") if state.startswith("imported") else (state, "", "")
    values = {"title": f"Internal {m('internal_title')}", "status": status, "communications": communications}
    if kind == "maintenance":
        values["kind"] = "maintenance"
    else:
        values["regulatory"] = reported(number)[0]
    if public == "block":
        values["public"] = block
    elif public == "false":
        values["public"] = False
    if error:
        values["severity"] = "SEV9"  # not on the scale: an error elsewhere in the record
    text = postmortem(pm_id(number), f"## Summary\n\nBody {m('body')}.\n", **values)
    return text if status != "imported" else _as_imported(text, number, provenance)


def _as_imported(text: str, number: int, how: str) -> str:
    """`text` with the provenance an import writes: none of `already_public` (`how` empty), or `already_public`
    with the hash of `text` (`public`), of `text` before a character of what goes public was edited (`edited`), or
    with no hash (`claimed`)."""
    provenance: dict = {"format": "statuspage", "source": "incidents.json", "original_id": f"i{number}"}
    provenance["imported_on"] = "2026-11-22"
    if how:
        provenance["already_public"] = True
    if how in ("public", "edited"):
        before = text.replace("Summary mark", "Summery mark").replace("First post", "First Post")
        path = pm_id(number) + ".md"
        pm, _ = postmortem_from_source(source_from_bytes(before.encode(), path), pm_id(number), path, POLICY)
        provenance["public_hash"] = public_fingerprint(pm)
        text = before if how == "public" else text
    fence = text.index("\n---\n") + 1
    return text[:fence] + yaml.safe_dump({"provenance": provenance}, sort_keys=False) + text[fence:]


CASES = [
    case
    for case in itertools.product(
        STATES, KINDS, (False, True), (False, True), (False, True), ("block", "none", "false")
    )
    if case[-1] == "block" or not case[2]
]  # `updates` exist only inside a block


def expected(state: str, updates: bool, posts: bool, error: bool, public: str) -> set[str]:
    """The sources of a record that customers may see, by the promise (see the module's docstring)."""
    if public != "block" or error:
        return set()
    if state in ("published", "ongoing", "imported-public"):
        return {"title", "summary", "changes", "update" if updates else "post"} - (
            {"post"} if not posts and not updates else set()
        )
    if state.startswith("imported"):
        return set()
    return {"post"} if posts else set()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One public site with every case as a record, and what `notify --dry-run` would send for it."""
    root = tmp_path_factory.mktemp("disclosure")
    records = {f"{pm_id(number)}.md": _record(number, *case) for number, case in enumerate(CASES)}
    hook = {"url": "https://hooks.example/notify", "format": "json"}
    config = make_site(
        root,
        records,
        {
            "services": [{"name": "checkout", "component": "Checkout", "regulated": True}],
            "regulatory": {"regimes": ["dora"]},
            "status_page": {"public_site": True, "webhooks": [hook]},
        },
        {"site_dir": "site-public", "docs_dir": "docs"},
    )
    site = build_site(config).parent / "site-public"
    site_text = "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.suffix != ".gz"
    )
    previous = root / "previous.json"
    previous.write_text(json.dumps({"page": {}, "incidents": []}), encoding="utf-8")
    result = run_cli("notify", "-f", str(config), "--previous", str(previous), "--dry-run")
    assert result.exit_code == 0, result.output
    check = run_cli("check", "-f", str(config), "--format", "json")
    errors = {Path(d["path"]).stem for d in json.loads(check.output)["diagnostics"] if d["level"] == "error"}
    return site_text, result.output, errors


def test_the_cases_without_an_error_have_none_and_those_with_one_have_one(built):
    """The table's premise: `error` is the only source of errors, so a record withheld is withheld for it."""
    _, _, errors = built
    assert errors == {pm_id(number) for number, case in enumerate(CASES) if case[4] or case[5] == "false"}


@pytest.mark.parametrize("number", range(len(CASES)), ids=lambda n: "-".join(map(str, CASES[n])))
def test_a_record_reaches_the_site_and_notify_exactly_as_the_promise_says(built, number):
    site_text, sent, _ = built
    state, kind, updates, posts, error, public = CASES[number]
    want = expected(state, updates, posts, error, public)
    on_site = {source for source in SOURCES if marker(number, source) in site_text}
    assert on_site == want
    in_notify = {source for source in SOURCES if marker(number, source) in sent}
    sent_always = {"title", "update", "post"} if kind == "incident" else set()  # notify reads incidents.json
    assert want & sent_always <= in_notify <= want


def test_the_regulatory_deadlines_searched_for_are_the_records(built):
    """The deadlines worked out by hand are those the knowledge base computes, every stage reported on time (imported
    history has none): the next test searches the site for the right values, and no record is withheld for a
    regulatory error."""
    now = datetime(2026, 12, 7, tzinfo=timezone.utc)
    for number, case in enumerate(CASES):
        if case[1] != "incident":
            continue
        path = f"{pm_id(number)}.md"
        text = _record(number, *case)
        pm, _ = postmortem_from_source(source_from_bytes(text.encode(), path), pm_id(number), path, POLICY)
        assert pm is not None
        found = clocks(pm, POLICY, now)
        expected = [] if pm.status == "imported" else [(due, "submitted") for due in reported(number)[1][5:]]
        assert [(c.due, c.state) for c in found] == expected  # imported history has no clocks


def test_nothing_regulatory_reaches_the_status_site_or_notify(built):
    """No reference (a marker, in the table above), stage, moment, deadline or link to `/regulatory/`, however
    written: ISO 8601, the pages' `2025-01-02 10:17`, iCalendar's `20250102T1017`."""
    site_text, sent, _ = built
    incidents = [number for number, case in enumerate(CASES) if case[1] == "incident"]
    moments = {moment for number in incidents for moment in reported(number)[1]}
    values = {
        f"{moment:{shape}}" for moment in moments for shape in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y%m%dT%H%M")
    }
    values |= {stage.title for stage in STAGES["dora"]} | {"regulatory/", "Regulatory reporting"}
    assert len(values) > 3 * len(incidents)
    assert sorted(value for value in values if value in site_text or value in sent) == []


def test_public_diff_says_what_customers_see_now_and_what_waits_for_publication(built, tmp_path_factory):
    """`public-diff` prints the record's text as it will be once published, after a line saying what is public
    now, by the same rule."""
    config = next(tmp_path_factory.getbasetemp().glob("disclosure*/mkdocs.yml"))
    output = run_cli("public-diff", "-f", str(config)).output
    now = dict(re.findall(r"== \S*?postmortems/([^/\s]+)\.md \(\S+\) ==\n(Now: [^\n]*)", output))
    for number, (state, _, _, posts, error, public) in enumerate(CASES):
        line = now.get(pm_id(number), "")
        if public == "none":
            assert not line
        elif error or public == "false":
            assert line.startswith("Now: withheld")
        elif state in ("published", "ongoing", "imported-public"):
            assert line == "Now: public, as below."
        else:
            shown = posts and not state.startswith("imported")
            assert line.startswith("Now: only its 1 status-page post," if shown else "Now: nothing;")


def test_include_drafts_changes_nothing_customers_see(tmp_path):
    """`include_drafts` shows drafts in the knowledge base; the status site follows `disclosed` alone."""
    number = CASES.index(("in-review", "incident", True, True, False, "block"))
    config = make_site(
        tmp_path,
        {f"{pm_id(number)}.md": _record(number, *CASES[number])},
        {
            "services": [{"name": "checkout", "component": "Checkout"}],
            "include_drafts": True,
            "status_page": {"public_site": True},
        },
        {"site_dir": "site-public"},
    )
    site = build_site(config).parent / "site-public"
    text = "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in site.rglob("*")
        if path.is_file() and path.suffix != ".gz"
    )
    assert {source for source in SOURCES if marker(number, source) in text} == {"post"}

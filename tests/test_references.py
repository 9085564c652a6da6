"""`checks/references.py`: the rules across files. An ID (a file name) is unique across folders, and every `related`
ID names a postmortem, parsed or not, with a "did you mean" for a near miss."""

from __future__ import annotations

from conftest import TODAY, make_policy
from mkdocs_postmortems.checks.references import duplicate_ids, unknown_related
from mkdocs_postmortems.checks.registry import Context
from mkdocs_postmortems.model import Postmortem


def postmortem(pm_id: str, folder: str = "postmortems", **fields) -> Postmortem:
    return Postmortem(
        id=pm_id,
        path=f"{folder}/{pm_id}.md",
        title=pm_id,
        status="published",
        severity="SEV2",
        services=(),
        started=None,
        **fields,
    )


def test_the_second_file_of_an_id_is_reported_and_names_the_first():
    first, again, other = postmortem("2024-01-01-a"), postmortem("2024-01-01-a", "postmortems/2024"), postmortem("b")
    (found,) = duplicate_ids([first, again, other], Context(make_policy(), TODAY))
    assert (found.path, found.code) == ("postmortems/2024/2024-01-01-a.md", "duplicate-id")
    assert "postmortems/2024-01-01-a.md" in found.message


def test_a_related_id_must_name_a_postmortem_and_a_near_miss_is_suggested():
    pm = postmortem(
        "2024-03-01-a",
        related=("2024-01-01-checkout-latency", "2024-01-01-checkout-latncy", "nothing"),
        positions={("related", 1): (5, 5), ("related", 2): (6, 5)},
    )
    known = postmortem("2024-01-01-checkout-latency")
    found = list(unknown_related([pm, known], Context(make_policy(), TODAY)))
    assert [(d.code, d.line) for d in found] == [("unknown-related", 5), ("unknown-related", 6)]
    assert "2024-01-01-checkout-latency" in found[0].hint
    assert found[1].hint == "use the file name of a postmortem, without `.md`"


def test_a_file_that_failed_to_parse_still_counts_as_a_postmortem():
    pm = postmortem("2024-03-01-a", related=("2024-02-01-broken",))
    assert list(unknown_related([pm], Context(make_policy(), TODAY))) != []
    assert list(unknown_related([pm], Context(make_policy(), TODAY, ids={"2024-02-01-broken"}))) == []


def test_past_the_tenth_unknown_of_a_file_no_suggestion_is_looked_for():
    names = tuple(f"2024-01-01-checkout-latncy-{n}" for n in range(12))
    pm = postmortem("2024-03-01-a", related=names)
    known = [postmortem(f"2024-01-01-checkout-latency-{n}") for n in range(12)]
    hints = [d.hint for d in unknown_related([pm, *known], Context(make_policy(), TODAY))]
    assert len(hints) == 12 and all("latency" in hint for hint in hints[:10])
    assert set(hints[10:]) == {"use the file name of a postmortem, without `.md`"}

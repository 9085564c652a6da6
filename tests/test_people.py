"""People: the blameless lint and the leak gate match handles and configured full names, never initials, common
words or organisations; technical wording is not blame."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TODAY, make_policy
from mkdocs_postmortems.checks.blameless import find_blame
from mkdocs_postmortems.knowledge import load_knowledge_base
from mkdocs_postmortems.people import is_person, people
from mkdocs_postmortems.policy import Service
from test_data_errors import public_postmortem


def load(tmp_path: Path, text: str, policy):
    (tmp_path / "2024-03-14-checkout.md").write_text(text, encoding="utf-8")
    return load_knowledge_base(tmp_path, policy, today=TODAY, base=tmp_path)


def codes(kb) -> list[str]:
    return [d.code for d in kb.diagnostics]


SERVICES = (Service("checkout", "", "Checkout", provider="Acme Payments"),)


@pytest.mark.parametrize(
    "name, person",
    [
        ("AN", False),
        ("jb", False),
        ("@al", False),
        ("Will", False),
        ("summer", False),
        ("may", False),
        ("alice", True),
        ("Alice Ng", True),
        ("@bob", True),
    ],
)
def test_who_counts_as_a_person(name, person):
    assert is_person(name) is person


def test_initials_of_a_reviewer_do_not_make_an_update_a_leak_or_blame(tmp_path):
    text = public_postmortem(
        **{
            "reviewers: [bob]": "reviewers: [AN]",
            "summary: Some customers could not pay for a while.": "summary: An update to the payment page failed to load for some customers.",
        }
    )
    kb = load(tmp_path, text, make_policy(services=SERVICES))
    assert "public-leak" not in codes(kb) and "blame-language" not in codes(kb)


def test_a_real_reviewer_is_still_a_leak(tmp_path):
    text = public_postmortem(
        **{"summary: Some customers could not pay for a while.": "summary: bob found that payments failed."}
    )
    assert "public-leak" in codes(load(tmp_path, text, make_policy(services=SERVICES)))


@pytest.mark.parametrize(
    "policy",
    [
        make_policy(services=SERVICES),
        make_policy(services=(Service("checkout", "", "Checkout"),), organisations=("Acme Payments",)),
    ],
)
def test_an_organisation_in_authors_is_no_person(tmp_path, policy):
    text = public_postmortem(
        **{
            "authors: [alice]": "authors: [alice, Acme Payments]",
            "summary: Some customers could not pay for a while.": "summary: Our provider Acme Payments declined cards for an hour.",
        }
    )
    kb = load(tmp_path, text, policy)
    assert "public-leak" not in codes(kb)
    assert "Acme Payments" not in people(kb.postmortems, policy)


def test_without_the_organisation_configured_the_vendor_is_a_person():
    policy = make_policy(services=(Service("checkout", "", "Checkout"),))
    from test_indexes import incident

    assert "Acme Payments" in people([incident("2024-01-01-a", "2024-01-01", authors=("Acme Payments",))], policy)


def test_configured_full_names_are_people():
    policy = make_policy(blameless_names=("Alice Ng",))
    assert people([], policy) == ("Alice Ng",)
    assert find_blame("Alice Ng forgot to drain the node.", names=people([], policy))


@pytest.mark.parametrize(
    "text",
    [
        "We added lazy loading to the images.",
        "Lazy-loaded modules timed out.",
        "lazy initialisation of the pool",
        "the lazy evaluation of the query",
    ],
)
def test_technical_lazy_is_not_blame(text):
    assert find_blame(text) == []


def test_a_lazy_person_is_still_blame():
    assert [f.phrase for f in find_blame("The reviewer was lazy.")] == ["lazy"]

"""`policy.py`: what a team configures, with every default. Catalog lookups, rule levels, built-in leak patterns
that each come with the needles that let the gate skip them, and the company's own domains read from its URLs."""

from __future__ import annotations

import re
from datetime import date

import pytest

from mkdocs_postmortems.diagnostics import Level
from mkdocs_postmortems.policy import (
    CLOUD_PATTERNS,
    CLUSTER_PATTERNS,
    DEFAULT_SEVERITIES,
    PATTERN_NEEDLES,
    Category,
    Policy,
    Service,
    organisation_domain,
    with_own_domains,
)

CATALOG = (
    Service("checkout", component="Checkout", since=date(2024, 1, 1)),
    Service("payments", component="Checkout", since=date(2023, 6, 1)),
    Service("search", component="Search"),
    Service("batch"),
)


def test_the_defaults_follow_the_severity_scale():
    policy = Policy()
    assert policy.severities == DEFAULT_SEVERITIES
    assert policy.action_items_required_for == DEFAULT_SEVERITIES[:2] == policy.customer_notice_for
    assert policy.publish_within_business_days == {"SEV1": 5, "SEV2": 5, "SEV3": 10, "SEV4": 10}
    assert policy.first_priority_due_within_days == {"SEV1": 15, "SEV2": 30}
    assert "capacity" in policy.category_names and policy.service_names == ()


def test_components_in_catalog_order_each_once_and_the_earliest_since():
    policy = Policy(services=CATALOG, categories=(Category("capacity"),))
    assert policy.components == ("Checkout", "Search")
    assert policy.component_since("Checkout") == date(2023, 6, 1)
    assert policy.component_since("Search") is None  # a service behind it has no `since`
    assert policy.component_since("Nothing") is None
    assert policy.service_names == ("checkout", "payments", "search", "batch") and policy.category_names == (
        "capacity",
    )


def test_a_rule_reports_at_its_default_level_unless_the_policy_says_otherwise():
    policy = Policy(rule_levels={"section-missing": Level.ERROR})
    assert policy.level_of("section-missing", Level.WARNING) is Level.ERROR
    assert policy.level_of("timestamp-order", Level.WARNING) is Level.WARNING


@pytest.mark.parametrize("pattern", [*CLOUD_PATTERNS, *CLUSTER_PATTERNS])
def test_every_built_in_pattern_compiles_and_has_its_needles(pattern):
    re.compile(pattern, re.IGNORECASE)
    assert pattern in PATTERN_NEEDLES


@pytest.mark.parametrize(
    "text",
    [
        "arn:aws:s3:::orders-bucket",
        "s3://orders-exports/2024",
        "123456789012",
        "orders.svc.cluster.local",
        "kube-system",
        "pods/checkout-7d9f8b6c5d-x2x9q",
        "i-0abc12345def67890",
        "ip-10-0-3-17.ec2.internal",
    ],
)
def test_a_text_a_built_in_pattern_finds_holds_one_of_its_needles(text):
    found = [
        pattern
        for pattern in (*CLOUD_PATTERNS, *CLUSTER_PATTERNS)
        if re.search(rf"\b(?:{pattern})\b", text, re.IGNORECASE)
    ]
    assert found, text
    for pattern in found:
        needles = PATTERN_NEEDLES[pattern]
        assert needles.search(text) if isinstance(needles, re.Pattern) else any(n in text for n in needles), pattern


@pytest.mark.parametrize(
    "url, domain",
    [
        ("https://git.larkspur.example/ops/postmortems", "larkspur.example"),
        ("https://larkspur.example/", "larkspur.example"),
        ("https://status.shop.co.uk", "shop.co.uk"),
        ("https://larkspur.github.io/postmortems/", None),
        ("https://readthedocs.io", None),
        ("https://10.0.0.5:8000/", None),
        ("http://localhost:8000/", None),
        ("", None),
        (None, None),
    ],
)
def test_the_organisations_domain_of_a_url(url, domain):
    assert organisation_domain(url) == domain


def test_own_domains_are_internal_but_the_domain_its_www_and_the_public_host_are_public():
    policy = with_own_domains(
        Policy(),
        ["https://docs.larkspur.example/", "https://github.com/larkspur/x", None],
        "https://status.larkspur.example/",
    )
    assert policy.internal_domains == ("larkspur.example",)
    assert policy.public_domains == ("larkspur.example", "www.larkspur.example", "status.larkspur.example")
    assert with_own_domains(policy, ["https://larkspur.example"], None) is policy  # already known: unchanged
    assert with_own_domains(Policy(), ["https://github.com/x"], None) == Policy()

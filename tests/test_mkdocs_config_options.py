"""The plugin's options as the core's `Policy`: every option reaches its field, every default is `Policy()`'s, the
defaults computed from the severity scale follow it, and each contradiction is refused with one message naming
the option, as `load_config` (build and CLI) reports it."""

from __future__ import annotations

import ast
import dataclasses
from datetime import date
from pathlib import Path

import pytest
from mkdocs.config import config_options as c

from mkdocs_postmortems import mkdocs_config
from mkdocs_postmortems.diagnostics import Level
from mkdocs_postmortems.mkdocs_config import PostmortemsConfig, declared_options, item_options, policy_from_options
from mkdocs_postmortems.option_fields import option_of
from mkdocs_postmortems.policy import DEFAULT_SECTION_ALIASES, MAX_UPTIME_DAYS, Category, Policy, Service, Webhook


def validated(options: dict) -> PostmortemsConfig:
    """`options` loaded and validated as a build does; a failure raises ValueError with MkDocs' message."""
    config = PostmortemsConfig()
    config.load_dict(options)
    failed, warnings = config.validate()
    if failed:
        raise ValueError("; ".join(str(error) for _, error in failed))
    assert not warnings
    return config


def policy_of(options: dict) -> Policy:
    return policy_from_options(validated(options))


def test_no_options_give_the_core_defaults():
    assert policy_of({}) == Policy()


def _leaves(config_class=PostmortemsConfig):
    """(the config class, option name, option) of every option of `config_class` that sets a field of its value,
    groups flattened."""
    for name, option in config_class._schema:
        if isinstance(option, c.SubConfig):
            yield from _leaves(option.config_class)
        else:
            yield config_class, name, option


@pytest.mark.parametrize(
    "config_class",
    [PostmortemsConfig] + [item_options(option) for _, option in declared_options() if item_options(option)],
    ids=lambda k: k.__name__,
)
def test_each_option_is_declared_once_as_a_field_of_the_core(config_class):
    """No option is written in the adapter: every MkDocs option sets exactly one field of the core's value and
    carries that field's own declaration, and every field of the value is an option."""
    declared = {field.name: option_of(field) for field in dataclasses.fields(config_class.value)}
    assert None not in declared.values()
    leaves = list(_leaves(config_class))
    assert sorted(owner.fields[name] for owner, name, _ in leaves) == sorted(declared)
    for owner, name, option in leaves:
        assert option.doc is declared[owner.fields[name]], name
        assert name == (option.doc.name or owner.fields[name])


def test_each_group_is_the_one_the_core_declares_for_its_fields():
    for path, option in declared_options():
        if isinstance(option, c.SubConfig):
            groups = {leaf.doc.group for _, _, leaf in _leaves(option.config_class)}
            assert [(group.name, group.text) for group in groups] == [(path, option.doc.text)]


def test_the_adapter_writes_no_option_and_checks_only_fields_of_the_core():
    """The config classes of `mkdocs_config.py` have no option in their bodies, and the few checks it adds need
    what the core may not import, on fields that exist."""
    tree = ast.parse(Path(mkdocs_config.__file__).read_text(encoding="utf-8"))
    written = [
        f"{node.name}.{target.id}"
        for node in tree.body
        if isinstance(node, ast.ClassDef) and any(getattr(base, "id", "") == "_Options" for base in node.bases)
        for statement in node.body
        if isinstance(statement, (ast.Assign, ast.AnnAssign))
        for target in (statement.targets if isinstance(statement, ast.Assign) else [statement.target])
        if isinstance(target, ast.Name)
    ]
    assert written == []
    for value, field in mkdocs_config._CHECKS_ABOVE_THE_CORE:
        assert option_of(next(f for f in dataclasses.fields(value) if f.name == field)) is not None


@pytest.mark.parametrize("path,option", list(declared_options()), ids=[path for path, _ in declared_options()])
def test_each_option_is_documented_where_it_is_declared(path, option):
    text = option.doc.text
    assert text[:1].isupper() or text.startswith("`"), path
    assert text.endswith((".", ")")) and "|" not in text, path


EVERY_OPTION = {
    "folder": "incidents",
    "severities": ["S1", "S2", "S3"],
    "services": [
        {
            "name": "api",
            "description": "The API.",
            "component": "API",
            "public": True,
            "regulated": True,
            "since": date(2024, 1, 2),
            "provider": "Acme",
        },
        {"name": "db"},
    ],
    "root_cause_categories": [{"name": "bug", "description": "A bug."}, {"name": "other"}],
    "priorities": ["high", "low"],
    "required_sections": ["Summary", "Impact"],
    "section_aliases": {"Summary": ["TL;DR"]},
    "action_items_required_for": ["S1"],
    "include_drafts": True,
    "rule_levels": {"section-missing": "info", "public-leak": False},
    "review": {"publish_within_business_days": {"S1": 2}, "first_priority_due_within_days": {"S2": 7}},
    "blameless": {"names": ["Ada Lovelace"], "phrases": ["should have known"], "allowed": ["human error budget"]},
    "organisations": ["Acme"],
    "templates_folder": "templates",
    "leak_gate": {
        "ticket_pattern": "INC\\d+",
        "internal_hosts": ["*.lan"],
        "deny": ["Falcon"],
        "internal_domains": ["acme.example"],
        "public_domains": ["status.acme.example"],
        "public_tickets": ["CVE-*"],
        "cloud_patterns": [],
        "cluster_patterns": ["k8s-\\w+"],
        "allow": ["support@acme.example"],
    },
    "communication_policy": {"customers_for": ["S1", "S3"], "regulator_report_within_days": 1},
    "status_page": {
        "public_site": True,
        "history_page_size": 10,
        "uptime_days": 30,
        "webhooks": [
            {"url": "https://hooks.example/x", "format": "slack"},
            {"url_env": "HOOK", "secret_env": "SECRET"},
        ],
    },
    "views": {"trend_quarters": 4, "chart_months": 12, "facet_limit": 5},
}


def test_every_option_reaches_its_field():
    assert policy_of(EVERY_OPTION) == Policy(
        folder="incidents",
        severities=("S1", "S2", "S3"),
        services=(Service("api", "The API.", "API", True, True, date(2024, 1, 2), "Acme"), Service("db")),
        categories=(Category("bug", "A bug."), Category("other")),
        priorities=("high", "low"),
        required_sections=("Summary", "Impact"),
        section_aliases={"Summary": ("TL;DR",)},
        action_items_required_for=("S1",),
        include_drafts=True,
        rule_levels={"section-missing": Level.INFO, "public-leak": Level.OFF},
        publish_within_business_days={"S1": 2},
        first_priority_due_within_days={"S2": 7},
        blameless_names=("Ada Lovelace",),
        organisations=("Acme",),
        blameless_phrases=("should have known",),
        blameless_allowed=("human error budget",),
        templates_folder="templates",
        ticket_pattern="INC\\d+",
        internal_hosts=("*.lan",),
        public_deny=("Falcon",),
        internal_domains=("acme.example",),
        public_domains=("status.acme.example",),
        public_tickets=("CVE-*",),
        cloud_patterns=(),
        cluster_patterns=("k8s-\\w+",),
        public_allow=("support@acme.example",),
        customer_notice_for=("S1", "S3"),
        regulator_report_within_days=1,
        public_site=True,
        history_page_size=10,
        uptime_days=30,
        webhooks=(Webhook("https://hooks.example/x", None, "slack", None), Webhook(None, "HOOK", "json", "SECRET")),
        trend_quarters=4,
        chart_months=12,
        facet_limit=5,
    )


def test_the_defaults_of_a_scale_of_other_names_follow_its_ranks():
    policy = policy_of({"severities": ["critical", "high", "medium", "low", "trivial"]})
    assert policy.action_items_required_for == policy.customer_notice_for == ("critical", "high")
    assert policy.publish_within_business_days == {"critical": 5, "high": 5, "medium": 10, "low": 10}
    assert policy.first_priority_due_within_days == {"critical": 15, "high": 30}
    assert policy.section_aliases == DEFAULT_SECTION_ALIASES


def test_other_required_sections_keep_the_built_in_aliases_unless_set():
    assert policy_of({"required_sections": ["Summary"]}).section_aliases == DEFAULT_SECTION_ALIASES
    assert policy_of({"required_sections": ["Summary"], "section_aliases": {}}).section_aliases == {}


REFUSED = [
    ({"severities": []}, "`severities` must list at least one value"),
    ({"priorities": []}, "`priorities` must list at least one value"),
    (
        {"rule_levels": {"no-such-rule": "off", "another": "info"}},
        "`rule_levels` names unknown rules: another, no-such-rule",
    ),
    (
        {"action_items_required_for": ["SEV9", "SEV0"]},
        "`action_items_required_for` names severities not in `severities`: SEV0, SEV9",
    ),
    (
        {"severities": ["A", "B"], "action_items_required_for": ["SEV1"]},
        "`action_items_required_for` names severities not in `severities`: SEV1",
    ),
    (
        {"communication_policy": {"customers_for": ["SEV7"]}},
        "`communication_policy.customers_for` names severities not in `severities`: SEV7",
    ),
    (
        {"status_page": {"webhooks": [{"url": "https://a.example"}, {}]}},
        "`status_page.webhooks` entry 2 needs exactly one of `url` and `url_env`",
    ),
    (
        {"status_page": {"webhooks": [{"url": "https://a.example", "url_env": "A"}]}},
        "`status_page.webhooks` entry 1 needs exactly one of `url` and `url_env`",
    ),
    (
        {"leak_gate": {"ticket_pattern": "OPS-("}},
        "`leak_gate.ticket_pattern` has `OPS-(`, not a regular expression: missing ), unterminated subpattern at "
        "position 4",
    ),
    (
        {"leak_gate": {"cloud_patterns": ["ok", "[a-"]}},
        "`leak_gate.cloud_patterns` has `[a-`, not a regular expression: unterminated character set at position 0",
    ),
    (
        {"leak_gate": {"cluster_patterns": ["*x"]}},
        "`leak_gate.cluster_patterns` has `*x`, not a regular expression: nothing to repeat at position 0",
    ),
    (
        {"review": {"publish_within_business_days": {"SEV5": 3}}},
        "`review.publish_within_business_days` names severities not in `severities`: SEV5",
    ),
    (
        {"review": {"first_priority_due_within_days": {"P1": 3}}},
        "`review.first_priority_due_within_days` names severities not in `severities`: P1",
    ),
    (
        {"section_aliases": {"Postmortem": ["Retro"]}},
        "`section_aliases` names sections not in `required_sections`: Postmortem",
    ),
    (
        {"required_sections": ["Summary"], "section_aliases": {"Impact": []}},
        "`section_aliases` names sections not in `required_sections`: Impact",
    ),
    (
        {"status_page": {"uptime_days": 0}},
        f"`status_page.uptime_days` is 0; it must be from 1 to {MAX_UPTIME_DAYS} (a year of daily bars per component)",
    ),
    (
        {"status_page": {"uptime_days": MAX_UPTIME_DAYS + 1}},
        f"`status_page.uptime_days` is {MAX_UPTIME_DAYS + 1}; it must be from 1 to {MAX_UPTIME_DAYS} (a year of daily "
        "bars per component)",
    ),
    ({"views": {"trend_quarters": 0}}, "`views.trend_quarters` is 0; it must be at least 1"),
    ({"views": {"chart_months": -1}}, "`views.chart_months` is -1; it must be at least 1"),
    ({"views": {"facet_limit": 0}}, "`views.facet_limit` is 0; it must be at least 1"),
]


@pytest.mark.parametrize("options,message", REFUSED, ids=[message.split(" ")[0] for _, message in REFUSED])
def test_a_contradiction_is_refused_naming_the_option(options, message):
    with pytest.raises(ValueError) as refused:
        validated(options)
    assert str(refused.value) == message

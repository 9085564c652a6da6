"""The plugin's options as a typed MkDocs `Config`, the `Policy` they give the core, and how the CLI reads them from
a config file.

Each option is declared once, here: its type (the MkDocs option), the field of the core's value it sets (its own
name unless `Doc.field` says another), its documentation (`Doc.text`, from which the options table of
`docs/configuration.md` is generated) and what it checks. Its default is the core's: the default of the field it
sets (`Policy()`, `Service`...), or computed from the other options when it is left unset (`Doc.unset`).
`policy_from_options` reads the options along these declarations."""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import yaml
from mkdocs.config import base, config_options as c, load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.utils.yaml import get_yaml_loader

from .catalog import spelling_twins
from .checks.families import RULES
from .diagnostics import Level
from .policy import (
    DEFAULT_FIRST_PRIORITY_DUE_WITHIN_DAYS,
    DEFAULT_PUBLISH_WITHIN_BUSINESS_DAYS,
    DEFAULT_SECTION_ALIASES,
    MAX_UPTIME_DAYS,
    REGIMES,
    TRACKER_KINDS,
    Category,
    Policy,
    Service,
    Tracker,
    Webhook,
    with_own_domains,
)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

Check = Callable[[Any, Mapping], "str | None"]  # (value given, all options) -> what is wrong, or None


@dataclass(frozen=True)
class Doc:
    """What an option is, besides its MkDocs type: `text`, its row's "What it does" in `docs/configuration.md`;
    `field`, the field of the core's value it sets when not the option's own name; `shown`, its default as the docs
    write it when the value would say too little (None, computed) or too much; `unset`, its value computed from all
    the options when it is left unset (its default is then None); `checks` of a value given, each saying what is
    wrong or None; `convert`, the field's value from the option's (lists become tuples otherwise); `keys`, what the
    keys of a mapping are, for its type in the docs."""

    text: str
    field: str | None = None
    shown: str | None = None
    unset: Callable[[Mapping], Any] | None = None
    checks: tuple[Check, ...] = ()
    convert: Callable[[Any], Any] | None = None
    keys: str = "string"


def option(config_option: c.BaseConfigOption, text: str, **doc) -> Any:
    """`config_option` with its `Doc`: `text` and any other of `Doc`'s fields."""
    # MkDocs' option classes have no place for our documentation: it rides on the option as `doc`
    config_option.doc = Doc(text, **doc)  # type: ignore[attr-defined]
    return config_option


class _Options(base.Config):
    """The options of one value of the core (`value`: `Policy`, or an item such as `Service`), each declared with
    `option()`. Each option's default is the default of the field it sets, unless it is computed (`Doc.unset`)."""

    value: ClassVar[type]

    def __init_subclass__(cls, *, value: type, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.value = value
        fields = {field.name: field for field in dataclasses.fields(value)}
        for name, config_option in cls._schema:
            doc = getattr(config_option, "doc", None)
            if doc is None:
                raise TypeError(f"{cls.__name__}.{name}: declare the option with `option()`, which documents it")
            if isinstance(config_option, c.SubConfig) or doc.unset is not None:
                continue  # a group of options of the same value, or a default computed from the other options
            field = fields[doc.field or name]
            if field.default is not dataclasses.MISSING:
                config_option.default = _as_option(field.default)
            elif field.default_factory is not dataclasses.MISSING:
                config_option.default = _as_option(field.default_factory())


def _as_option(value):
    """A default of the core as an option's value: tuples as lists, an item (`Category`) as a mapping."""
    if isinstance(value, (tuple, list)):
        return [_as_option(item) for item in value]
    if dataclasses.is_dataclass(value):
        return {field.name: _as_option(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: _as_option(item) for key, item in value.items()}
    return value


# What a value given is checked for: each returns what is wrong, and the message starts with the option's path.


def _not_empty(value, options) -> str | None:
    return None if value else "must list at least one value"


def _among(other: str, what: str) -> Check:
    """The values (or a mapping's keys) must be among those of option `other`."""

    def check(value, options) -> str | None:
        stray = set(value) - set(options[other])
        return f"names {what} not in `{other}`: {', '.join(sorted(stray))}" if stray else None

    return check


def _known_rules(value, options) -> str | None:
    unknown = set(value) - set(RULES)
    return f"names unknown rules: {', '.join(sorted(unknown))}" if unknown else None


def _regular_expressions(value, options) -> str | None:
    for pattern in [value] if isinstance(value, str) else value:
        try:
            re.compile(pattern)
        except re.error as error:
            return f"has `{pattern}`, not a regular expression: {error}"
    return None


def _one_address(value, options) -> str | None:
    for index, hook in enumerate(value):
        if bool(hook.get("url")) == bool(hook.get("url_env")):
            return f"entry {index + 1} needs exactly one of `url` and `url_env`"
    return None


def _usable_trackers(value, options) -> str | None:
    from .trackers import tracker_problem  # only for a configuration that has trackers: `check` starts without HTTP

    for index, tracker in enumerate(value):
        problem = tracker_problem(Tracker(**tracker))
        if problem:
            return f"entry {index + 1} ({tracker['kind']}): {problem}"
    return None


def _at_least_one(value, options) -> str | None:
    return None if value >= 1 else f"is {value}; it must be at least 1"


def _a_year_of_days(value, options) -> str | None:
    if 1 <= value <= MAX_UPTIME_DAYS:
        return None
    return f"is {value}; it must be from 1 to {MAX_UPTIME_DAYS} (a year of daily bars per component)"


def _one_spelling(value, options) -> str | None:
    """Two services, or two components, that are one name spelt two ways (`Workers`, `work-ers`): postmortems and
    importers would take them for two."""
    config_file = getattr(options, "config_file_path", None)
    for key, repeats, what, fix in (
        ("name", True, "service", "keep one entry, and write its name that way in every postmortem"),
        ("component", False, "component", "spell the component the same way in every service behind it"),
    ):
        for first, second in spelling_twins((service[key] for service in value if service[key]), repeats):
            at_first = _lines_naming(config_file, key, first)
            at_second = at_first[1:] if first == second else _lines_naming(config_file, key, second)
            return (
                f"has the {what} {_named(first, at_first)} and the {what} {_named(second, at_second)}, one name "
                f"however it is spelt (case, `-`, `_`, `.` and spaces do not count): {fix}"
            )
    return None


def _named(name: str, places: list[str]) -> str:
    return f"`{name}`" + (f" ({places[0]})" if places else "")


def _lines_naming(config_file: str | None, key: str, name: str) -> list[str]:
    """`file:line` of each line `key: name` (or `- key: name`) in `config_file` and the files it inherits."""
    line = re.compile(rf"^\s*(?:- +)?{key}: *(['\"]?){re.escape(name)}\1 *(?:#.*)?$")
    found: list[str] = []
    path = Path(config_file) if config_file else None
    for _ in range(_MAX_INHERIT):
        try:
            text = path.read_text(encoding="utf-8") if path else ""
        except (OSError, UnicodeDecodeError):
            break
        found += [f"{path}:{number}" for number, written in enumerate(text.split("\n"), 1) if line.match(written)]
        parent = re.search(r"^INHERIT: *(\S+)", text, re.MULTILINE)
        if path is None or parent is None:
            break
        path = path.parent / parent.group(1)
    return found


# Defaults computed from the other options, whatever the severities are called.


def _two_worst(options) -> list[str]:
    return options["severities"][:2]


def _by_rank(days: tuple[int, ...]) -> Callable[[Mapping], dict[str, int]]:
    return lambda options: dict(zip(options["severities"], days, strict=False))


def _ranked(days: tuple[int, ...]) -> str:
    """`5, 5, 10 and 10`."""
    return " and ".join(filter(None, (", ".join(map(str, days[:-1])), str(days[-1]))))


def _levels(levels: Mapping[str, str]) -> dict[str, Level]:
    return {code: Level(level) for code, level in levels.items()}


def _public_components(value, options) -> str | None:
    """The keys must be components of the service catalog (`services.component`)."""
    components = {service["component"] for service in options["services"] if service["component"]}
    stray = sorted(set(value) - components)
    if stray:
        known = ", ".join(sorted(components)) or "none: give a service a `component`"
        return f"names components not in `services.component`: {', '.join(stray)} (the components: {known})"
    return None


def _percentages(value, options) -> str | None:
    wrong = [f"{name}: {percent}" for name, percent in value.items() if not 0 < percent <= 100]
    return f"must be percentages above 0 and at most 100, not {'; '.join(wrong)}" if wrong else None


def _regimes_configured(value, options) -> str | None:
    """A service's list of regimes must be among `regulatory.regimes`."""
    if value is True or value is False:
        return None
    stray = sorted(set(value) - set(options["regulatory"]["regimes"]))
    return f"names regimes not in `regulatory.regimes`: {', '.join(stray)}" if stray else None


class _Regulated(c.BaseConfigOption):
    """`true`, `false`, or a list of regimes (`[dora, gdpr]`)."""

    type_name = "boolean or list of regimes"  # as the options table writes it

    def run_validation(self, value):
        if isinstance(value, bool):
            return value
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            unknown = sorted(set(value) - set(REGIMES))
            if unknown:
                raise c.ValidationError(f"names unknown regimes {', '.join(unknown)}; known: {', '.join(REGIMES)}")
            return value
        raise c.ValidationError(f"expected `true`, `false` or a list of regimes ({', '.join(REGIMES)}), not {value!r}")


class _Number(c.Type):
    """A number: YAML reads `99.9` as a float and `100` as an integer; both are the float they say, never `true`."""

    def __init__(self, **kwargs):
        super().__init__(float, **kwargs)

    def run_validation(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        return super().run_validation(value)


class _Level(c.Choice):
    """A rule level; YAML 1.1 reads an unquoted `off` as false, which here means `off`."""

    def run_validation(self, value):
        return super().run_validation("off" if value is False else value)


class _Service(_Options, value=Service):
    name = option(c.Type(str), "What postmortems write in `services`.")
    description = option(c.Type(str), "What the service is, for people browsing the configuration.")
    component = option(
        c.Optional(c.Type(str)),
        "The public name customers know it by, if any: `public.components` "
        "may name only these, so an internal service such as `orders-db` has none.",
    )
    public = option(
        c.Type(bool),
        "Whether the service's own name may appear in public text. The "
        "[leak gate](#leak-gate) reports any other catalog name there, except one that is also a "
        "component's name (`checkout` and `Checkout`).",
    )
    regulated = option(
        _Regulated(),
        "An incident that affects it owes regulators reports: `true`, under every regime of `regulatory.regimes` (or, "
        "with none, within `communication_policy.regulator_report_within_days`), or a list of those regimes "
        "(see [regulatory reporting](regulatory.md)).",
        checks=(_regimes_configured,),
    )
    since = option(
        c.Optional(c.Type(date)),
        "The date the service started serving customers. When every service "
        'behind a component has one, the status page shows "no data" for the component\'s days before '
        "the earliest.",
    )
    provider = option(
        c.Optional(c.Type(str)),
        "The vendor that runs it (`Stripe`, `AWS`), if any. Like "
        "`organisations`, it is never matched as a person, so a postmortem imported with the vendor in "
        "`authors` does not make every public text naming the vendor a leak.",
    )


class _Category(_Options, value=Category):
    name = option(c.Type(str), "What `root_causes.category` writes.")
    description = option(c.Type(str), "What the category covers.")


class _Review(_Options, value=Policy):
    publish_within_business_days = option(
        c.Optional(c.DictOfItems(c.Type(int))),
        "The business days (Monday to Friday; no holidays) from `resolved` "
        "by which a postmortem of the severity should be `published` (`publish-overdue`). A severity left out has no "
        "deadline.",
        keys="severity",
        unset=_by_rank(DEFAULT_PUBLISH_WITHIN_BUSINESS_DAYS),
        checks=(_among("severities", "severities"),),
        shown=f"by rank on the scale: {_ranked(DEFAULT_PUBLISH_WITHIN_BUSINESS_DAYS)} days, worst first",
    )
    first_priority_due_within_days = option(
        c.Optional(c.DictOfItems(c.Type(int))),
        "The calendar days from `resolved` within which an open action item "
        "of the first priority must be due (`action-item-deadline`). A severity left out has no deadline.",
        keys="severity",
        unset=_by_rank(DEFAULT_FIRST_PRIORITY_DUE_WITHIN_DAYS),
        checks=(_among("severities", "severities"),),
        shown=f"by rank on the scale: {_ranked(DEFAULT_FIRST_PRIORITY_DUE_WITHIN_DAYS)} days, worst first",
    )


class _Blameless(_Options, value=Policy):
    names = option(
        c.ListOfItems(c.Type(str)),
        "More people's names to watch for (authors, reviewers and owners always are).",
        field="blameless_names",
    )
    phrases = option(c.ListOfItems(c.Type(str)), "More phrases to flag.", field="blameless_phrases")
    allowed = option(c.ListOfItems(c.Type(str)), "Phrases never to flag.", field="blameless_allowed")


class _LeakGate(_Options, value=Policy):
    ticket_pattern = option(
        c.Type(str),
        "A regular expression of a ticket key, matched as a whole word and in any case.",
        checks=(_regular_expressions,),
    )
    internal_hosts = option(
        c.ListOfItems(c.Type(str)), "Globs of host names no customer can reach (private IP addresses always are)."
    )
    deny = option(
        c.ListOfItems(c.Type(str)),
        "Terms that must never go public, such as a project's code name.",
        field="public_deny",
    )
    internal_domains = option(
        c.ListOfItems(c.Type(str)),
        "The company's own domains (`larkspur.example`): every "
        "host under them, and every e-mail address at them, is internal unless allowed. The "
        "domains `site_url` and `repo_url` live under count too.",
    )
    public_domains = option(
        c.ListOfItems(c.Type(str)),
        "Globs of the hosts under `internal_domains` that customers "
        "reach: the status site, the website (`status.larkspur.example`, `larkspur.example`, "
        "`www.larkspur.example`, or `*.cdn.larkspur.example`).",
    )
    public_tickets = option(
        c.ListOfItems(c.Type(str)),
        "Globs (`*` is any text) of keys that look like tickets but "
        "are public, in any case. Setting it replaces the list; `[]` lets none through.",
    )
    cloud_patterns = option(
        c.ListOfItems(c.Type(str)),
        "Regular expressions (matched as whole words, in any case, on "
        "text as the gate reads it) of cloud accounts, resources and buckets. Setting it replaces "
        "the built-ins; `[]` switches them off.",
        checks=(_regular_expressions,),
        shown="the built-in cloud patterns (see [leak gate](#leak-gate))",
    )
    cluster_patterns = option(
        c.ListOfItems(c.Type(str)),
        "The same for cluster names: namespaces, cluster-local addresses, pods and nodes.",
        checks=(_regular_expressions,),
        shown="the built-in cluster patterns (see [leak gate](#leak-gate))",
    )
    allow = option(
        c.ListOfItems(c.Type(str)),
        "Terms that are public whatever a class says "
        "(`support@larkspur.example`, a vendor's product that looks like a ticket).",
        field="public_allow",
    )


class _CommunicationPolicy(_Options, value=Policy):
    customers_for = option(
        c.Optional(c.ListOfItems(c.Type(str))),
        "The severities whose incidents with a `public` "
        "summary owe customers a notice. Each must be one of `severities`.",
        field="customer_notice_for",
        unset=_two_worst,
        checks=(_among("severities", "severities"),),
        shown="the two worst of `severities`",
    )
    regulator_report_within_days = option(
        c.Type(int),
        "How many days after `detected` (or `started`) an incident "
        "that affected a `regulated` service must be reported to the regulator.",
    )


class _Regulatory(_Options, value=Policy):
    regimes = option(
        c.ListOfItems(c.Choice(REGIMES)),
        "The reporting regimes whose clocks apply to `regulated` services: `dora`, `nis2`, `gdpr`, `sec-8k` (see "
        "[regulatory reporting](regulatory.md)). Empty: a regulated service's incident is reported within "
        "`communication_policy.regulator_report_within_days`.",
        field="regulatory_regimes",
    )


class _Webhook(_Options, value=Webhook):
    url = option(c.Optional(c.Type(str)), "The webhook's address; give exactly one of `url` and `url_env`.")
    url_env = option(
        c.Optional(c.Type(str)), "The environment variable that holds the address (Slack's webhook URLs are secrets)."
    )
    format = option(
        c.Choice(("json", "slack")), '`slack` (a Slack-compatible `{"text": ...}`) or `json` (a generic payload).'
    )
    secret_env = option(
        c.Optional(c.Type(str)),
        "For `json`, the environment variable holding the secret that signs "
        "each request (HMAC-SHA256 of the body, in the `X-Postmortems-Signature: sha256=<hex>` "
        "header).",
    )


class _Tracker(_Options, value=Tracker):
    kind = option(
        c.Choice(TRACKER_KINDS), "`github` (GitHub or GitHub Enterprise), `gitlab` or `jira` (Cloud or Data Center)."
    )
    links = option(
        c.Type(str),
        "The start of the action-item `link`s that are its tickets: `https://github.com/`, "
        "`https://gitlab.example.com/`, `https://example.atlassian.net/browse/`.",
    )
    api = option(
        c.Optional(c.Type(str)),
        "The base of its REST API. Default: `https://api.github.com` for github.com, else `/api/v3` (GitHub "
        "Enterprise), `/api/v4` (GitLab) or `/rest/api/3` (Jira Cloud) on the host of `links`; Jira Data Center: "
        "`https://jira.example.com/rest/api/2`.",
        shown="by `kind`, on the host of `links`",
    )
    token_env = option(
        c.Optional(c.Type(str)),
        "The environment variable that holds the API token, which is never written anywhere; none: read without one "
        "(public GitHub repositories only).",
    )
    user_env = option(
        c.Optional(c.Type(str)),
        "Jira Cloud: the environment variable that holds the e-mail of the token's account (Basic authentication); "
        "none: the token is sent as a bearer token (Jira Data Center's personal access tokens).",
    )
    create_in = option(
        c.Optional(c.Type(str)),
        "Where `postmortems sync --create` opens tickets: `owner/repo` (GitHub), the project's path `group/project` "
        "(GitLab), a project key `OPS` (Jira). None: it opens none here.",
    )
    label = option(c.Type(str), "The label of the tickets `--create` opens, by which it finds those it opened before.")
    issue_type = option(c.Type(str), "Jira: the issue type of the tickets `--create` opens.")


class _StatusPage(_Options, value=Policy):
    public_site = option(
        c.Type(bool),
        "`true` builds the [public status site](publishing.md) instead of the "
        "knowledge base, as `mkdocs.public.yml` does.",
    )
    history_page_size = option(c.Type(int), "Incidents and maintenance per history page.")
    uptime_days = option(
        c.Type(int),
        f"Days of uptime bars per component, and of its uptime calendar: from 1 to {MAX_UPTIME_DAYS}.",
        checks=(_a_year_of_days,),
    )
    webhooks = option(
        c.ListOfItems(c.SubConfig(_Webhook)),
        "Where [`postmortems notify`]"
        "(publishing.md#notifying-subscribers-postmortems-notify) sends the updates a deploy adds.",
        checks=(_one_address,),
    )
    targets = option(
        c.DictOfItems(_Number()),
        "The availability each public component should reach, in percent (`{Checkout: 99.9}`): the "
        "[period reviews](period-reviews.md) show each component's availability over the period against it. Each key must "
        "be a `services.component`.",
        keys="component",
        checks=(_public_components, _percentages),
    )


class _Views(_Options, value=Policy):
    trend_quarters = option(
        c.Type(int), "The quarters of the root causes' trend table, newest first.", checks=(_at_least_one,)
    )
    chart_months = option(
        c.Type(int),
        "The months of the metrics page's chart (oldest on the left) and its table "
        "(newest first); the page says how many incidents fall outside them.",
        checks=(_at_least_one,),
    )
    facet_limit = option(
        c.Type(int),
        "The most values per dimension that the filter links above every listing "
        "show: the tags and services with most postmortems, the newest years. A dimension with more "
        "links a page of every value, `/postmortems/<dimension>/`.",
        checks=(_at_least_one,),
    )


class PostmortemsConfig(_Options, value=Policy):
    folder = option(
        c.Type(str),
        "The folder of postmortem files, relative to `mkdocs.yml`: beside `docs/`, not "
        "inside it. Pages are published under `/<folder>/<id>/`; `postmortems new` writes here.",
    )
    severities = option(
        c.ListOfItems(c.Type(str)),
        "The severity scale, worst first. The bundled styles colour `SEV1` to `SEV4`.",
        checks=(_not_empty,),
    )
    services = option(
        c.ListOfItems(c.SubConfig(_Service)),
        "The [service catalog](#service-catalog). Empty: any service name is accepted.",
        checks=(_one_spelling,),
    )
    root_cause_categories = option(
        c.ListOfItems(c.SubConfig(_Category)),
        "The [root-cause taxonomy](#root-cause-taxonomy) for `root_causes.category`.",
        field="categories",
        shown="the built-in categories of the [taxonomy](#root-cause-taxonomy)",
    )
    priorities = option(
        c.ListOfItems(c.Type(str)), "The action-item priority scale, most urgent first.", checks=(_not_empty,)
    )
    required_sections = option(c.ListOfItems(c.Type(str)), "Headings every body must have (`section-missing`).")
    section_aliases = option(
        c.Optional(c.DictOfItems(c.ListOfItems(c.Type(str)))),
        "Other headings that satisfy a "
        "required section. Each key must be one of `required_sections`; setting it replaces the "
        "built-in aliases (`{}` accepts the exact headings only).",
        keys="section",
        unset=lambda options: DEFAULT_SECTION_ALIASES,
        checks=(_among("required_sections", "sections"),),
        shown="the [built-in aliases](#section-aliases)",
    )
    action_items_required_for = option(
        c.Optional(c.ListOfItems(c.Type(str))),
        "Severities whose published "
        "postmortems must have action items (`action-items-missing`). Each must be "
        "one of `severities`.",
        unset=_two_worst,
        checks=(_among("severities", "severities"),),
        shown="the two worst of `severities`",
    )
    include_drafts = option(c.Type(bool), "Also build pages for `status: draft`. Drafts are checked either way.")
    rule_levels = option(
        c.DictOfItems(_Level([level.value for level in Level])),
        "Changes the [level of a rule](#rule-levels). A code that does not exist rejects the configuration.",
        keys="rule code",
        checks=(_known_rules,),
        convert=_levels,
    )
    review = option(
        c.SubConfig(_Review),
        "Deadlines per severity, counted from `resolved` (see [review deadlines](#review-deadlines)).",
    )
    blameless = option(c.SubConfig(_Blameless), "The [blameless-language lint](reviewing.md#blameless-language).")
    organisations = option(
        c.ListOfItems(c.Type(str)),
        "Vendors and organisations (cloud providers, payment "
        "processors, a contractor) that `authors`, owners or text may name: never matched as a "
        "person by the [blameless lint](reviewing.md#blameless-language) or the [leak gate]"
        "(#leak-gate). A service's `services.provider` counts too.",
    )
    templates_folder = option(
        c.Optional(c.Type(str)),
        "A folder, relative to `mkdocs.yml`, of your own `postmortems new --template` templates (`NAME.md`).",
        shown="none (the shipped templates only)",
    )
    leak_gate = option(
        c.SubConfig(_LeakGate),
        "What public text must never contain, besides internal services and "
        "people, and what is public after all (see [leak gate](#leak-gate)).",
    )
    communication_policy = option(
        c.SubConfig(_CommunicationPolicy),
        "Who must be told of an incident, and by when (see [communication policy](#communication-policy)).",
    )
    regulatory = option(
        c.SubConfig(_Regulatory),
        "The regulators' reporting clocks, computed from each postmortem's `regulatory` block (see "
        "[regulatory reporting](regulatory.md)).",
    )
    status_page = option(
        c.SubConfig(_StatusPage), "The public status site and its notifications (see [status page](#status-page))."
    )
    views = option(c.SubConfig(_Views), "How much of a [long history](#long-histories) the cross-incident pages show.")
    trackers = option(
        c.ListOfItems(c.SubConfig(_Tracker)),
        "The ticket trackers whose tickets [`postmortems sync`](trackers.md) compares with the action items. A build "
        "never reads them.",
        checks=(_usable_trackers,),
    )

    def validate(self):
        """Check the options against each other too, so a bad policy fails `load_config` (build and CLI)."""
        failed, warnings = super().validate()
        if not failed:
            try:
                policy_from_options(self)
            except ValueError as error:
                failed.append(("postmortems", c.ValidationError(str(error))))
        return failed, warnings


def policy_from_options(options: Mapping) -> Policy:
    """The `Policy` of type-checked plugin options (a `PostmortemsConfig`): each option's value, or its default
    computed from the others, checked and put into the field it sets.

    Raises ValueError, naming the option, when the options contradict each other, so a typo never switches a rule
    off."""
    return Policy(**_fields(PostmortemsConfig, options, options))


def _fields(config_class: type[_Options], values: Mapping, options: Mapping, prefix: str = "") -> dict[str, Any]:
    """The fields of `config_class.value` that `values`, options of `config_class`, set. `options`: all of them."""
    fields: dict[str, Any] = {}
    for name, config_option in config_class._schema:
        path, value = prefix + name, values[name]
        if isinstance(config_option, c.SubConfig):  # a group: more fields of the same value
            fields |= _fields(config_option.config_class, value, options, f"{path}.")
        else:
            doc: Doc = config_option.doc  # type: ignore[attr-defined]  # option()'s, see there
            fields[doc.field or name] = _field(path, config_option, value, options)
    return fields


def _field(path: str, config_option, value, options: Mapping):
    """One option's value as its field's: computed if unset, else checked; converted."""
    doc: Doc = config_option.doc
    if value is None and doc.unset is not None:
        value = doc.unset(options)
    else:
        for check in doc.checks:
            problem = check(value, options)
            if problem:
                raise ValueError(f"`{path}` {problem}")
    items = item_options(config_option)
    if items is not None:  # a list of items: each a value of its own (`Service`)
        return tuple(items.value(**_fields(items, item, options, f"{path}.")) for item in value)
    return doc.convert(value) if doc.convert else _frozen(value)


def _frozen(value):
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, Mapping):
        return {key: _frozen(item) for key, item in value.items()}
    return value


def item_options(config_option) -> type[_Options] | None:
    """The options of each item of a list of mappings (`services`), else None."""
    config_class = getattr(getattr(config_option, "option_type", None), "config_class", None)
    return config_class if isinstance(config_class, type) and issubclass(config_class, _Options) else None


def declared_options(
    config_class: type[_Options] = PostmortemsConfig, prefix: str = ""
) -> Iterator[tuple[str, c.BaseConfigOption]]:
    """Every option, as (its path such as `leak_gate.deny` or `services.name`, the MkDocs option carrying its
    `Doc`), a group before its options and a list of items before the items' options, in declaration order."""
    for name, config_option in config_class._schema:
        yield prefix + name, config_option
        inner = config_option.config_class if isinstance(config_option, c.SubConfig) else item_options(config_option)
        if inner is not None:
            yield from declared_options(inner, f"{prefix}{name}.")


class ConfigFileError(Exception):
    """A config file the plugin's options cannot be read from; the message names the file and what is wrong."""


class PluginNotEnabled(ConfigFileError):
    """A config file whose chain does not enable the plugin (a program may still enable it by its own arguments)."""


# The options the leak gate knows internal names from: a public build must read them as the knowledge base does.
GATE_OPTIONS = ("folder", "services", "blameless", "organisations", "leak_gate")
_MAX_INHERIT = 16


@dataclass(frozen=True)
class Options:
    """The plugin's options as a config file's whole `INHERIT` chain gives them, and the site and repository URLs
    the company's own domains are read from (`policy.with_own_domains`)."""

    config: PostmortemsConfig
    urls: tuple[str, ...]
    site_url: str | None

    def policy(self) -> Policy:
        return with_own_domains(policy_from_options(self.config), self.urls, self.site_url)


def build_options(options: PostmortemsConfig, config: MkDocsConfig) -> Options:
    """The options a build of `config` uses: those of its config file's whole `INHERIT` chain (`resolved_options`),
    else, for a program that enables the plugin by its own arguments to `load_config`, those MkDocs validated."""
    public_url = config.site_url if options["status_page"]["public_site"] else None
    given = Options(options, (config.site_url or "", config.repo_url or ""), public_url)
    try:
        return resolved_options(Path(config.config_file_path)) if config.config_file_path else given
    except PluginNotEnabled:
        return given


def resolved_options(config_file: Path) -> Options:
    """The plugin's options in `config_file` and the files it inherits (`INHERIT`, `!ENV`), each file's `plugins`
    read as a mapping whether written as a list or a mapping, merged as MkDocs merges mappings. MkDocs itself
    replaces a parent's list of plugins with a child's mapping, or a mapping with a list, dropping the parent's
    options without a word; read so, a public build's leak gate would know no internal name.

    A public build (`status_page.public_site`) must know every internal name the knowledge base knows: its
    `GATE_OPTIONS` must equal those of the knowledge base's config (the nearest file it inherits that builds the
    knowledge base, else `mkdocs.yml` beside it), or this refuses, naming the file to change."""
    chain = config_chain(config_file)
    settings = _merged(chain)
    config = _validated(config_file, _options_of(settings))
    urls = [settings.get("site_url"), settings.get("repo_url")]
    if config["status_page"]["public_site"]:
        knowledge_base = _knowledge_base_of(config_file, chain)
        if knowledge_base is not None:
            path, kb_settings, setters = knowledge_base
            kb_config = _validated(path, _options_of(kb_settings))
            for key in GATE_OPTIONS:
                if _gate_value(key, kb_config, path) != _gate_value(key, config, config_file):
                    setter = next((file for file, options in setters[::-1] if key in options), config_file)
                    raise ConfigFileError(
                        f"{config_file}: the public build must check public text with the knowledge base's "
                        f"`{key}`, but the `postmortems` option `{key}` differs from {path}'s (set in {setter}): "
                        f"remove it from {setter}, which then inherits it, or change it in {path}, which both builds "
                        "read"
                    )
            _own_pages(config_file, settings, path, kb_settings)
            urls += [kb_settings.get("site_url"), kb_settings.get("repo_url")]
    return Options(
        config,
        tuple(url for url in urls if isinstance(url, str)),
        settings.get("site_url") if config["status_page"]["public_site"] else None,
    )


def _own_pages(config_file: Path, settings: dict, kb_file: Path, kb_settings: dict) -> None:
    """Refuse a public build whose `docs_dir` holds the knowledge base's pages: every one of them, which no gate
    reads, would be published."""

    def docs_dir(file: Path, values: dict) -> str:
        return os.path.realpath(Path(file).parent / str(values.get("docs_dir") or "docs"))

    public, internal = docs_dir(config_file, settings), docs_dir(kb_file, kb_settings)
    if internal == public or internal.startswith(public.rstrip(os.sep) + os.sep):
        raise ConfigFileError(
            f"{config_file}: the public build's `docs_dir` holds the pages of {kb_file}'s, and "
            "would publish every one of them: give the status site a folder of its own "
            f"(`docs_dir: docs/public`) and leave it out of {kb_file} (`exclude_docs: /public/`)"
        )


def config_chain(config_file: Path) -> list[tuple[Path, dict]]:
    """Each file of `config_file`'s `INHERIT` chain, the root first, as written, its `plugins` as a mapping."""
    chain: list[tuple[Path, dict]] = []
    path = Path(config_file)
    while True:
        if len(chain) > _MAX_INHERIT or any(os.path.realpath(path) == os.path.realpath(seen) for seen, _ in chain):
            raise ConfigFileError(
                f"{config_file}: `INHERIT` goes round in a loop or deeper than {_MAX_INHERIT} files (at {path})"
            )
        try:
            with open(path, "rb") as source:
                settings = yaml.load(source, Loader=get_yaml_loader()) or {}  # MkDocs' own safe loader
        except OSError as error:
            raise ConfigFileError(f"{path}: {error.strerror or error}") from None
        except (yaml.YAMLError, ValueError) as error:  # !ENV of an unset variable without a default is a ValueError
            raise ConfigFileError(f"{path}: not a valid MkDocs config: {error}") from None
        if not isinstance(settings, dict):
            raise ConfigFileError(f"{path}: a config file must be a mapping of `key: value`")
        settings = dict(settings)
        parent = settings.pop("INHERIT", None)
        if "plugins" in settings:
            settings["plugins"] = _plugin_entries(settings["plugins"])
        chain.append((path, settings))
        if parent is None:
            return chain[::-1]
        path = Path(os.path.normpath(path.parent / str(parent)))


def _merged(chain: list[tuple[Path, dict]]) -> dict:
    merged: dict = {}
    for _, settings in chain:
        merged = _merge(merged, settings)
    return merged


def _merge(base: dict, child: dict) -> dict:
    """`child` over `base`: mappings merged key by key, anything else replaced (as MkDocs merges `INHERIT`)."""
    merged = dict(base)
    for key, value in child.items():
        both = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = _merge(merged[key], value) if both else value
    return merged


def _options_of(settings: dict) -> dict | None:
    """The `postmortems` plugin's options in merged settings, or None when the plugin is not enabled."""
    options = (settings.get("plugins") or {}).get("postmortems")
    if isinstance(options, dict) and options.get("enabled", True) is False:
        return None
    return options


def _validated(config_file: Path, options) -> PostmortemsConfig:
    if options is None:
        raise PluginNotEnabled(f"{config_file} does not enable the `postmortems` plugin")
    if not isinstance(options, dict):
        raise ConfigFileError(
            f"{config_file}: the options of the `postmortems` plugin must be a mapping of `key: value`"
        )
    config = PostmortemsConfig(config_file_path=str(config_file))
    config.load_dict({key: value for key, value in options.items() if key != "enabled"})
    failed, _ = config.validate()
    if failed:
        raise ConfigFileError(
            f"{config_file}: " + "; ".join(f"plugin `postmortems`, option `{key}`: {error}" for key, error in failed)
        )
    return config


def _knowledge_base_of(config_file: Path, chain: list[tuple[Path, dict]]):
    """(path, merged settings, [(file, its plugin options)] of the files after it) of the config that builds the
    knowledge base a public config publishes: the nearest file of its chain whose merged options enable the plugin
    without `public_site`, else a `mkdocs.yml` beside it that does. None when there is neither."""

    def builds_knowledge_base(settings: dict) -> bool:
        options = _options_of(settings)
        return isinstance(options, dict) and not (options.get("status_page") or {}).get("public_site")

    for index in range(len(chain) - 2, -1, -1):
        settings = _merged(chain[: index + 1])
        if builds_knowledge_base(settings):
            later = [(path, (own.get("plugins") or {}).get("postmortems") or {}) for path, own in chain[index + 1 :]]
            return chain[index][0], settings, [(path, o) for path, o in later if isinstance(o, dict)]
    beside = Path(config_file).parent / "mkdocs.yml"
    if beside.is_file() and os.path.realpath(beside) != os.path.realpath(config_file):
        try:
            settings = _merged(config_chain(beside))
        except ConfigFileError:
            return None
        if builds_knowledge_base(settings):
            own = (chain[-1][1].get("plugins") or {}).get("postmortems") or {}
            return beside, settings, [(Path(config_file), own if isinstance(own, dict) else {})]
    return None


def _gate_value(key: str, config: PostmortemsConfig, config_file: Path):
    """An option as plain values, comparable between two files (the folder as a real path)."""
    if key == "folder":
        return os.path.realpath(Path(config_file).parent / config[key])
    return _plain(config[key])


def _plain(value):
    if isinstance(value, base.Config):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _plugin_entries(plugins) -> dict:
    """MkDocs' `plugins` setting, a list (`- name` or `- name: {options}`) or a mapping, as name -> options."""
    if isinstance(plugins, dict):
        return {name: {} if options is None else options for name, options in plugins.items()}
    entries: dict[str, Any] = {}
    for entry in plugins if isinstance(plugins, list) else ():
        if isinstance(entry, str):
            entries[entry] = {}
        elif isinstance(entry, dict) and len(entry) == 1:
            ((name, options),) = entry.items()
            entries[name] = {} if options is None else options
    return entries


def site_config(config_file: Path) -> MkDocsConfig:
    """The site's whole configuration as MkDocs validates it for a build, theme and plugins loaded."""
    mkdocs_log = logging.getLogger("mkdocs")
    level = mkdocs_log.level
    mkdocs_log.setLevel(logging.ERROR)  # only configuration errors; a check prints its own findings
    try:
        config = load_config(str(config_file))
    except MkDocsException as error:  # MkDocs has logged each problem already
        raise ConfigFileError(f"{config_file}: {error}") from None
    finally:
        mkdocs_log.setLevel(level)
    if config.plugins.get("postmortems") is None:
        raise ConfigFileError(f"{config_file} does not enable the `postmortems` plugin")
    return config

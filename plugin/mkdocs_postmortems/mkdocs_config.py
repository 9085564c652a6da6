"""The plugin's options as a typed MkDocs `Config`. Every default is read from the core's `Policy()`, so a default
is written once; `policy_from_options` turns validated options into the `Policy` the core uses."""

from __future__ import annotations

from datetime import date

from mkdocs.config import base
from mkdocs.config import config_options as c

from .diagnostics import Level
from .policy import Policy, policy_from_options

DEFAULTS = Policy()


class _Level(c.Choice):
    """A rule level; YAML 1.1 reads an unquoted `off` as false, which here means `off`."""

    def run_validation(self, value):
        return super().run_validation("off" if value is False else value)


class _Service(base.Config):
    name = c.Type(str)
    description = c.Type(str, default="")
    component = c.Optional(c.Type(str))
    public = c.Type(bool, default=False)
    regulated = c.Type(bool, default=False)
    since = c.Optional(c.Type(date))
    provider = c.Optional(c.Type(str))


class _Category(base.Config):
    name = c.Type(str)
    description = c.Type(str, default="")


class _Review(base.Config):  # default (None): by rank on the severity scale, see policy.py
    publish_within_business_days = c.Optional(c.DictOfItems(c.Type(int)))
    first_priority_due_within_days = c.Optional(c.DictOfItems(c.Type(int)))


class _Blameless(base.Config):
    names = c.ListOfItems(c.Type(str), default=[])
    phrases = c.ListOfItems(c.Type(str), default=[])
    allowed = c.ListOfItems(c.Type(str), default=[])


class _LeakGate(base.Config):
    ticket_pattern = c.Type(str, default=DEFAULTS.ticket_pattern)
    internal_hosts = c.ListOfItems(c.Type(str), default=list(DEFAULTS.internal_hosts))
    deny = c.ListOfItems(c.Type(str), default=[])
    internal_domains = c.ListOfItems(c.Type(str), default=list(DEFAULTS.internal_domains))
    public_domains = c.ListOfItems(c.Type(str), default=list(DEFAULTS.public_domains))
    public_tickets = c.ListOfItems(c.Type(str), default=list(DEFAULTS.public_tickets))
    cloud_patterns = c.ListOfItems(c.Type(str), default=list(DEFAULTS.cloud_patterns))
    cluster_patterns = c.ListOfItems(c.Type(str), default=list(DEFAULTS.cluster_patterns))
    allow = c.ListOfItems(c.Type(str), default=list(DEFAULTS.public_allow))


class _CommunicationPolicy(base.Config):
    customers_for = c.Optional(c.ListOfItems(c.Type(str)))  # default: the two worst severities
    regulator_report_within_days = c.Type(int, default=DEFAULTS.regulator_report_within_days)


class _Webhook(base.Config):
    url = c.Optional(c.Type(str))
    url_env = c.Optional(c.Type(str))
    format = c.Choice(("json", "slack"), default="json")
    secret_env = c.Optional(c.Type(str))


class _StatusPage(base.Config):
    public_site = c.Type(bool, default=DEFAULTS.public_site)  # mkdocs.public.yml: build the public status site instead
    history_page_size = c.Type(int, default=DEFAULTS.history_page_size)
    uptime_days = c.Type(int, default=DEFAULTS.uptime_days)
    webhooks = c.ListOfItems(c.SubConfig(_Webhook), default=[])  # `postmortems notify`


class _Views(base.Config):  # how much of a long history the cross-incident pages show
    trend_quarters = c.Type(int, default=DEFAULTS.trend_quarters)
    chart_months = c.Type(int, default=DEFAULTS.chart_months)
    facet_limit = c.Type(int, default=DEFAULTS.facet_limit)


class PostmortemsConfig(base.Config):
    folder = c.Type(str, default=DEFAULTS.folder)
    severities = c.ListOfItems(c.Type(str), default=list(DEFAULTS.severities))
    services = c.ListOfItems(c.SubConfig(_Service), default=[])
    root_cause_categories = c.ListOfItems(
        c.SubConfig(_Category), default=[{"name": category.name, "description": category.description}
                                         for category in DEFAULTS.categories])
    priorities = c.ListOfItems(c.Type(str), default=list(DEFAULTS.priorities))
    required_sections = c.ListOfItems(c.Type(str), default=list(DEFAULTS.required_sections))
    section_aliases = c.Optional(c.DictOfItems(c.ListOfItems(c.Type(str))))  # default: the built-in aliases
    action_items_required_for = c.Optional(c.ListOfItems(c.Type(str)))  # default: the two worst severities
    include_drafts = c.Type(bool, default=DEFAULTS.include_drafts)
    rule_levels = c.DictOfItems(_Level([level.value for level in Level]), default={})
    review = c.SubConfig(_Review)
    blameless = c.SubConfig(_Blameless)
    organisations = c.ListOfItems(c.Type(str), default=list(DEFAULTS.organisations))
    templates_folder = c.Optional(c.Type(str))
    leak_gate = c.SubConfig(_LeakGate)
    communication_policy = c.SubConfig(_CommunicationPolicy)
    status_page = c.SubConfig(_StatusPage)
    views = c.SubConfig(_Views)

    def validate(self):
        """Check the options against each other too, so a bad policy fails `load_config` (build and CLI)."""
        failed, warnings = super().validate()
        if not failed:
            try:
                policy_from_options(self)
            except ValueError as error:
                failed.append(("postmortems", c.ValidationError(str(error))))
        return failed, warnings

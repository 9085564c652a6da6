"""The front-matter format as data: one table that drives validation, the JSON Schema and the docs test."""

from __future__ import annotations

from dataclasses import dataclass

from .. import policy as p
from ..model import KINDS, UNKNOWABLE
from ..regulatory import STAGES
from .formats import FORMATS

IMPORT_FORMATS = tuple(found.importer for found in FORMATS)  # each foreign format's importer, declared once there


@dataclass(frozen=True)
class Field:
    """One front-matter key.

    `type` is one of: string, integer, boolean, timestamp, date, url, strings, object, objects, and `moment`: a
    timestamp, or a date alone when the time of day is unknown, or `unknown` when it happened at an unknown time.
    `choices` is a tuple of fixed values or the name of a `Policy` attribute that lists them. A required list needs an
    entry, unless `empty_ok`: then `[]` is a statement of its own (a notice that named no component).
    """

    name: str
    type: str
    description: str
    required: bool = False
    choices: tuple[str, ...] | str | None = None
    fields: tuple[Field, ...] = ()
    empty_ok: bool = False


ROOT_CAUSE = (
    Field("id", "string", "Short identifier, unique within the postmortem; action items name it in `addresses`."),
    Field(
        "kind",
        "string",
        "`causal` (made it happen), `contributing` (made it worse) or `systemic` (let it happen).",
        required=True,
        choices=p.ROOT_CAUSE_KINDS,
    ),
    Field(
        "category",
        "string",
        "A category of the configured root-cause taxonomy.",
        required=True,
        choices="category_names",
    ),
    Field("summary", "string", "One or two sentences on the condition, not the person.", required=True),
    Field(
        "service",
        "string",
        "The service where this condition lies, from the catalog (it need not be one that was "
        "affected); default: every service in `services`. Recurring causes are counted per service and category.",
        choices="service_names",
    ),
)

ACTION_ITEM = (
    Field("title", "string", "What will be done, specific enough to verify.", required=True),
    Field("owner", "string", "The team or person accountable for it.", required=True),
    Field(
        "priority",
        "string",
        "A priority of the configured scale (default P1 = most urgent .. P3).",
        required=True,
        choices="priorities",
    ),
    Field("due", "date", "The date it is due, `YYYY-MM-DD`.", required=True),
    Field(
        "status", "string", "`open`, `in-progress`, `done` or `wont-do`.", required=True, choices=p.ACTION_ITEM_STATUSES
    ),
    Field("closed", "date", "The date it became `done` or `wont-do`; tells later postmortems whether a fix held."),
    Field("done_when", "string", "The measurable condition that tells it is done."),
    Field("addresses", "strings", "The `id`s of the root causes this item addresses."),
    Field("link", "url", "The ticket that tracks it (http or https URL)."),
    Field("reason", "string", "Why, for a `wont-do` item."),
    Field(
        "synced",
        "date",
        "The day `postmortems sync --write` last read its ticket and took the ticket's status, `closed` date and owner; "
        "written by `sync`, not by hand.",
    ),
)

COMMUNICATION = (
    Field("audience", "string", "`internal`, `customers` or `regulators`.", required=True, choices=p.AUDIENCES),
    Field("channel", "string", "How they were told: status-page, email, slack, regulator portal...", required=True),
    Field("at", "timestamp", "When, ISO 8601 with an explicit offset.", required=True),
    Field(
        "summary",
        "string",
        "What was said, or a reference to it. A status-page post to customers is "
        "published word for word as an update of the incident (see `public.updates`).",
    ),
    Field(
        "status",
        "string",
        "A status-page post's status; default: from the timeline (`investigating` before "
        "`mitigated`, `monitoring` after, `resolved` for the last post once resolved).",
        choices=p.PUBLIC_UPDATE_STATUSES + p.MAINTENANCE_UPDATE_STATUSES,
    ),
)

IMPACT = (
    Field("summary", "string", "Who was affected and how, in numbers where possible.", required=True),
    Field("customers_affected", "integer", "How many customers were affected."),
    Field("requests_failed", "integer", "How many requests failed."),
    Field("data_loss", "boolean", "Whether any data was lost."),
)

PUBLIC_UPDATE = (
    Field(
        "status",
        "string",
        "`investigating`, `identified`, `monitoring` or `resolved`; for a maintenance "
        "`scheduled`, `in_progress`, `verifying` or `completed`.",
        required=True,
        choices=p.PUBLIC_UPDATE_STATUSES + p.MAINTENANCE_UPDATE_STATUSES,
    ),
    Field("at", "timestamp", "When it was posted, ISO 8601 with an explicit offset.", required=True),
    Field("body", "string", "What customers were told.", required=True),
)

PUBLIC = (
    Field("title", "string", "The title customers see.", required=True),
    Field("summary", "string", "Customer-facing text; no internal names, people or tickets.", required=True),
    Field(
        "components",
        "strings",
        "Public component names from the service catalog; `[]` for a notice that named none (an imported status "
        "entry without affected systems): it shows in the history and feeds, and on no component.",
        required=True,
        choices="components",
        empty_ok=True,
    ),
    Field(
        "impact",
        "string",
        "`minor` (degraded), `major` (partial outage) or `critical` (major outage); default "
        "by severity: the worst is critical, the next major, the others minor.",
        choices=p.PUBLIC_IMPACTS,
    ),
    Field("changes", "string", "What we are changing so that it does not happen again, in customers' words."),
    Field(
        "updates",
        "objects",
        "The updates customers saw during the incident; default: the status-page posts to "
        "customers in `communications`; without either, the status site shows the summary and the window and no "
        "update.",
        fields=PUBLIC_UPDATE,
    ),
    Field(
        "revised",
        "timestamp",
        "When the public text was last corrected after publication; feeds and the API "
        "report it as the incident's update time, so readers fetch the new text.",
    ),
    Field(
        "allow",
        "strings",
        "Terms the leak gate lets through in this public text because they are truly "
        "public (a vendor's product, a public CVE); never shown.",
    ),
)

REGULATORY_REPORT = (
    Field("regime", "string", "The regime it was made under.", required=True, choices=p.REGIMES),
    Field(
        "stage",
        "string",
        "The regime's stage it fulfils: for `dora` `initial`, `intermediate` (give each updated one) or `final`; for "
        "`nis2` `early-warning`, `notification` or `final`; for `gdpr` `notification`; for `sec-8k` `8-k`.",
        required=True,
        choices=tuple(dict.fromkeys(stage.name for stages in STAGES.values() for stage in stages)),
    ),
    Field("submitted", "timestamp", "When it was submitted, ISO 8601 with an explicit offset.", required=True),
    Field("reference", "string", "The regulator's reference for it, e.g. the case number its portal gave."),
)

NOT_REPORTABLE = (
    Field("regime", "string", "The regime whose reports this incident does not owe.", required=True, choices=p.REGIMES),
    Field("reason", "string", "Why, e.g. the threshold of the regime's text it does not meet.", required=True),
)

REGULATORY = (
    Field(
        "aware",
        "timestamp",
        "When the entity became aware of the incident, ISO 8601 with an explicit offset; default: `detected`, "
        "else `started`. DORA, NIS2 and GDPR count from it.",
    ),
    Field(
        "classified_major",
        "timestamp",
        "DORA: when the incident was classified as a major ICT-related incident; the initial notification is due 4 h "
        "after it, no later than 24 h after `aware`.",
    ),
    Field(
        "materiality_determined",
        "timestamp",
        "SEC: when the incident was determined to be material; Form 8-K is due by the end of the fourth business day "
        "after, US Eastern time.",
    ),
    Field(
        "personal_data",
        "boolean",
        "GDPR: whether it is a personal data breach; `false` stops GDPR's clock, unknown (absent) keeps it running.",
    ),
    Field("reports", "objects", "The reports made to regulators, one per stage submitted.", fields=REGULATORY_REPORT),
    Field(
        "not_reportable",
        "objects",
        "The regimes this incident owes no report under, each with its reason.",
        fields=NOT_REPORTABLE,
    ),
)

WRONG_FACT = (
    Field("field", "string", "The key the value was meant for, e.g. `resolved`.", required=True),
    Field("value", "string", "The value as the source gave it.", required=True),
    Field("reason", "string", "Why it was left out of the record.", required=True),
)

PROVENANCE = (
    Field("format", "string", "The importer that wrote the record.", required=True, choices=IMPORT_FORMATS),
    Field("source", "string", "The original file's path or URL.", required=True),
    Field("original_id", "string", "The record's ID in the source; re-importing it updates this file.", required=True),
    Field("imported_on", "date", "The day it was imported.", required=True),
    Field(
        "already_public",
        "boolean",
        "Its text was taken from a public status page, so it was public already: while the record is `imported` and "
        "its `public_hash` matches, the status site publishes it as it was, and the leak gate's findings in it are "
        "warnings.",
    ),
    Field(
        "content_hash",
        "string",
        "The hash of the file as imported; a re-import overwrites the file only while it matches (or with `--force`).",
    ),
    Field(
        "public_hash",
        "string",
        "The hash of what the status site shows of it, as imported from a public status page; while it matches, that "
        "text stays public as it was (see `already_public`).",
    ),
    Field(
        "unknown",
        "strings",
        "Facts the source did not have; the rules that require them accept them, and "
        "pages show them as unknown. Remove an entry once you fill the fact in.",
        choices=UNKNOWABLE,
    ),
    Field("wrong", "objects", "Values the source gave that the record leaves out, with the reason.", fields=WRONG_FACT),
)

POSTMORTEM = (
    Field("title", "string", "What happened, in a short internal title.", required=True),
    Field(
        "kind",
        "string",
        "`incident` (the default) or `maintenance`: planned work, its window `started` to "
        "`resolved`; it needs no severity, impact, root causes, action items or review sections, and is not "
        "downtime.",
        choices=KINDS,
    ),
    Field(
        "status",
        "string",
        "`ongoing` (live on the status page as it happens), `draft`, `in-review` or `published`; `imported`: "
        "history `postmortems import` wrote from another tool, never reviewed here.",
        required=True,
        choices=p.STATUSES,
    ),
    Field(
        "severity",
        "string",
        "A severity of the configured scale (default SEV1 = worst .. SEV4).",
        required=True,
        choices="severities",
    ),
    Field(
        "services",
        "strings",
        "Affected services, at least one, each from the service catalog.",
        required=True,
        choices="service_names",
    ),
    Field("authors", "strings", "Who wrote the review.", required=True),
    Field("reviewers", "strings", "Who reviewed it; at least one once `in-review` or `published`."),
    Field(
        "started",
        "moment",
        "When impact started, ISO 8601 with an explicit offset (or a date alone when the time of day is unknown).",
        required=True,
    ),
    Field("detected", "moment", "When we knew; not before `started`."),
    Field("mitigated", "moment", "When impact stopped for users; not before `detected`."),
    Field("resolved", "moment", "When the incident was closed; not before `mitigated`."),
    Field("published_on", "date", "The day the review was signed off and `status` set to `published`."),
    Field("impact", "object", "Who and what was affected.", required=True, fields=IMPACT),
    Field("root_causes", "objects", "Causal, contributing and systemic factors.", fields=ROOT_CAUSE),
    Field("action_items", "objects", "What we will change: specific, owned, prioritised and due.", fields=ACTION_ITEM),
    Field("related", "strings", "IDs (file names without `.md`) of related postmortems."),
    Field("tags", "strings", "Free-form labels for browsing."),
    Field("communications", "objects", "Who was told, how and when.", fields=COMMUNICATION),
    Field("public", "object", "Present when a summary may go to customers.", fields=PUBLIC),
    Field(
        "regulatory",
        "object",
        "What the regulators are owed: the moments their clocks count from, the reports made, the regimes ruled out "
        "(internal only).",
        fields=REGULATORY,
    ),
    Field("provenance", "object", "Where an imported record came from (`postmortems import`).", fields=PROVENANCE),
)


def field_paths(fields: tuple[Field, ...] = POSTMORTEM, prefix: str = "") -> list[str]:
    """Every documented key as a dotted path (`action_items.due`), in order."""
    paths = []
    for field in fields:
        path = prefix + field.name
        paths.append(path)
        paths.extend(field_paths(field.fields, path + "."))
    return paths


# The accepted forms, shared by the reader and the JSON Schema so both accept exactly the same text
# on every Python version: `2024-03-14T09:58:00Z`, `2024-03-14 10:58+01:00`, `+0100`, optional seconds and fraction.
# Unnamed groups only: JSON Schema patterns are ECMA-262 regexes. Groups: 1 fraction, 2 offset.
DATE_PART = r"\d{4}-\d{2}-\d{2}"
TIME_PART = r"[T ]\d{2}:\d{2}(?::\d{2}(\.\d+)?)?"
OFFSET_PART = r"([Zz]|[+-]\d{2}:?\d{2})"
TIMESTAMP_PATTERN = f"^{DATE_PART}{TIME_PART}{OFFSET_PART}$"
DATE_PATTERN = f"^{DATE_PART}$"
MOMENT_PATTERN = f"^(?:{DATE_PART}(?:{TIME_PART}{OFFSET_PART})?|unknown)$"

_JSON_TYPES: dict[str, dict[str, object]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer", "minimum": 0},
    "boolean": {"type": "boolean"},
    "timestamp": {"type": "string", "format": "date-time", "pattern": TIMESTAMP_PATTERN},
    "date": {"type": "string", "format": "date", "pattern": DATE_PATTERN},
    "moment": {"type": "string", "pattern": MOMENT_PATTERN},
    "url": {"type": "string", "format": "uri", "pattern": "^https?://"},
}


def json_schema(policy: p.Policy) -> dict:
    """The front matter as a JSON Schema (draft 2020-12), with the policy's scales and catalogs as enums."""
    schema = _object_schema(POSTMORTEM, policy)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://mkdocs-postmortems.example/schema/postmortem.json",
        "title": "Postmortem front matter",
        **schema,
    }


def _object_schema(fields: tuple[Field, ...], policy: p.Policy) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: _field_schema(f, policy) for f in fields},
    }


def _field_schema(field: Field, policy: p.Policy) -> dict:
    choices = choices_of(field, policy)
    if field.type == "object":
        schema = _object_schema(field.fields, policy)
    elif field.type == "objects":
        schema = {"type": "array", "items": _object_schema(field.fields, policy)}
    elif field.type == "strings":
        item = {"type": "string", **({"enum": list(choices)} if choices else {})}
        schema = {"type": "array", "items": item, **({"minItems": 1} if field.required and not field.empty_ok else {})}
    else:
        schema = dict(_JSON_TYPES[field.type], **({"enum": list(choices)} if choices else {}))
    return {"description": field.description, **schema}


def choices_of(field: Field, policy: p.Policy) -> tuple[str, ...]:
    """The allowed values of `field` under `policy`; empty when anything goes (e.g. no catalog configured)."""
    if isinstance(field.choices, str):
        return tuple(getattr(policy, field.choices))
    return field.choices or ()

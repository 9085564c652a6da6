"""A source's own keys read as ours: a catalog's YAML front matter (`frontmatter`) or a page's metadata lines
(`markdown`: Pelican's `Title:`, `Date:`...).

Which of their keys gives which of our fields is, for each field we fill, the key `--map OURS=THEIRS` names, else
the first of its usual names the file has (`GUESSES`: `started` from `started`, `start`, `date`, `created`...),
compared without case or separators (`Created_At` is `created-at`). The report says which key gave each field, and
whether it was guessed. A value that does not translate (a severity outside the configured scale, a service outside
the catalog, a time of day without a zone) is left out of the field and said; every key that gives no field is kept,
as written, for the body (`Keys.left`): nothing is invented, nothing dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from ..model import KINDS
from ..policy import Policy
from .times import Zone, dates_in, season_note, written

# our field -> their usual names for it, most specific first
GUESSES: dict[str, tuple[str, ...]] = {
    "title": ("title", "name", "subject", "headline"),
    "kind": ("kind", "type"),
    "severity": ("severity", "sev", "severity level", "incident severity"),
    "services": ("services", "service", "affected services", "affected", "components", "component", "systems"),
    "authors": ("authors", "author", "written by"),
    "reviewers": ("reviewers", "reviewer", "reviewed by", "approvers"),
    "started": (
        "started",
        "started at",
        "start",
        "start time",
        "incident date",
        "date",
        "occurred",
        "occurred at",
        "created",
        "created at",
    ),
    "detected": ("detected", "detected at", "detection"),
    "mitigated": ("mitigated", "mitigated at", "mitigation"),
    "resolved": ("resolved at", "resolved", "resolvedwhen", "ended", "ended at", "end", "end time"),
    "published_on": ("published on", "published", "pubdate"),
    "impact.summary": ("impact", "customer impact", "summary", "description"),
    "tags": ("tags", "labels", "categories", "category", "keywords"),
}
TIMES = ("started", "detected", "mitigated", "resolved")


def normal(key: str) -> str:
    """A key compared without case or separators: `Created_At`, `created-at` and `created at` are one."""
    return re.sub(r"[\s_-]+", " ", key.strip().casefold())


@dataclass
class Keys:
    """What a source's keys gave: our `fields` (YAML-ready, `impact.summary` nested), the `moments` of its times
    (with their own offset; a `date` for a day alone), where each came from (`mapped`), what a person should see
    (`needs`), our fields the map named that the file lacked (`missing`), and their keys that gave nothing (`left`,
    to keep in the body as written)."""

    fields: dict = field(default_factory=dict)
    moments: dict[str, datetime | date] = field(default_factory=dict)
    mapped: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    left: dict = field(default_factory=dict)


def unknown_targets(key_map: Mapping[str, str]) -> list[str]:
    """The fields of `key_map` (OURS=THEIRS) that no source key can fill."""
    return [ours for ours in key_map if ours not in GUESSES]


def read_keys(
    values: Mapping[str, object],
    key_map: Mapping[str, str] | None,
    policy: Policy,
    today: date,
    zone: Zone | None = None,
) -> Keys:
    """Our fields from a source's `values`, by `key_map` (OURS=THEIRS) and the usual names; times without a zone
    of their own are read in `zone` (the record's stated zone) when there is one."""
    found = Keys()
    by_normal = {normal(key): key for key in values}
    used: set[str] = set()
    for ours, guesses in GUESSES.items():
        named = (key_map or {}).get(ours)
        if named is not None:
            given = named if named in values else by_normal.get(normal(named))
            if given is None:
                found.missing.append(ours)
                found.needs.append(f"`--map {ours}={named}`: this file has no `{named}`")
                continue
            candidates, how = [given], ""
        else:  # the first of its usual names whose value gives the field
            candidates = [by_normal[g] for g in guesses if g in by_normal and by_normal[g] not in used]
            how = " (guessed)"
        failed = []
        for theirs in candidates:
            value = values[theirs]
            if value is None or value == "" or value == []:
                continue
            at = len(found.mapped)
            problem = _fill(found, ours, theirs, value, policy, today, zone)
            if problem:
                failed.append(f"`{theirs}` {_shown(value)}: {problem}; kept in the body")
                continue
            used.add(theirs)
            found.mapped.insert(at, f"{ours} from `{theirs}`{how}")
            break
        else:
            found.needs += failed
    left = found.left
    found.left = {key: left.get(key, value) for key, value in values.items() if key in left or key not in used}
    return found


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return f"`{text[:60]}`" if "`" not in text else f"“{text[:60]}”"


def _fill(found: Keys, ours: str, theirs: str, value: object, policy: Policy, today: date, zone: Zone | None) -> str:
    """Put `value` into `found` as our field `ours`; the reason it cannot be, or an empty string."""
    if ours in TIMES or ours == "published_on":
        return _time(found, ours, theirs, value, today, zone)
    if ours in ("services", "authors", "reviewers", "tags"):
        names = _names(value)
        if names is None:
            return "not a name or a list of names"
        if ours == "services":
            return _services(found, theirs, value, names, policy)
        found.fields[ours] = names
        return ""
    if not isinstance(value, str):
        return "not text"
    text = value.strip()
    if ours == "title" or ours == "impact.summary":
        if ours == "title":
            found.fields["title"] = text
        else:
            found.fields["impact"] = {"summary": text}
        return ""
    if ours == "severity":
        matching = [name for name in policy.severities if normal(name).replace(" ", "") == _compact(text)]
        if not matching:
            return f"not a severity of the scale ({', '.join(policy.severities)})"
        found.fields["severity"] = matching[0]
        return ""
    if text.casefold() not in KINDS:
        return f"not a kind ({', '.join(KINDS)})"
    found.fields["kind"] = text.casefold()
    return ""


def _compact(text: str) -> str:
    return re.sub(r"[\s_-]+", "", text.casefold())


def _names(value: object) -> list[str] | None:
    """A name or names: a list of strings, or one string, split at commas."""
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        items = value
    else:
        return None
    names = list(dict.fromkeys(item.strip() for item in items if item.strip()))
    return names or None


def _services(found: Keys, theirs: str, value: object, names: list[str], policy: Policy) -> str:
    """The catalog's services among `names` (by name or public component); the others said, and their key kept."""
    by_name = {service.name: service.name for service in policy.services}
    by_name.update({service.component: service.name for service in policy.services if service.component})
    known = list(dict.fromkeys(by_name[name] for name in names if name in by_name))
    others = ", ".join(f"`{name}`" for name in names if name not in by_name)
    if not known:
        return f"{others} not in the service catalog (add them and import again)"
    found.fields["services"] = known
    if others:
        found.needs.append(
            f"`{theirs}`: {others} not in the service catalog, so not in `services`; add and import again"
        )
        found.left[theirs] = value
    return ""


def _time(found: Keys, ours: str, theirs: str, value: object, today: date, zone: Zone | None) -> str:
    """A time field: a date alone, or a date and time with its zone (its own, else the record's)."""
    if not isinstance(value, str):
        return "not a time"
    text = value.strip()
    dates = dates_in(text, today)
    if not dates or dates[0].start != 0:
        return "not a date this importer reads"
    when = dates[0]
    day = when.day
    assert day is not None  # `dates_in` finds dates
    moment = when.moment(zone) if ours != "published_on" else None
    found.needs += list(when.notes)
    if moment is None:
        found.fields[ours], found.moments[ours] = day.isoformat(), day
        if when.clock is not None and ours != "published_on":
            found.needs.append(
                f"`{theirs}` {_shown(value)} has a time of day but no zone: kept the day; "
                "write the time with its offset"
            )
        return ""
    found.fields[ours], found.moments[ours] = written(moment), moment
    used = when.zone or zone
    if when.zone is None and zone is not None:
        found.mapped.append(f"`{theirs}` read in {zone.label}, the zone the record states")
    note = season_note(moment, used) if used else ""
    if note:
        found.needs.append(note)
    return ""

"""`postmortems new`: a new draft postmortem from a template, shipped or the team's own.

Shipped templates are `templates/new/NAME.md`; a team adds or overrides them with `NAME.md` files in the
configured `templates_folder`. Every template gets the same variables (`template_variables`) and renders with
`StrictUndefined`, so a misspelt variable fails with the template's file and line instead of writing a blank.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import jinja2
import yaml

from .dates import iso_z, plus_days
from .model import Postmortem
from .parsing.frontmatter import parse_source
from .parsing.markdown import body_headings
from .parsing.schema import REGULATORY
from .policy import Policy
from .regulatory import KEYS, regimes_of
from .render import TEMPLATES

SHIPPED = TEMPLATES / "new"
DEFAULT_TEMPLATE = "default"
LIGHT_TEMPLATE = "lightweight"

GUIDANCE = {
    "Summary": "Two or three sentences: what happened, the impact, how it ended.",
    "Impact": "Who was affected and how, for how long, in numbers: users, requests, orders, money, SLOs.",
    "Timeline": "UTC times from the first cause to resolution: | Time (UTC) | Event |. Include detection and each decision.",
    "Root cause analysis": "Why it happened and why it was not caught earlier. Describe system conditions, not people.",
    "Resolution": "What stopped the impact, and what restored full service.",
    "Lessons learned": "What went well, what went wrong, where we got lucky.",
}
_DESCRIPTION = re.compile(r"\A\{#-?\s*(.*?)\s*-?#\}", re.DOTALL)


class TemplateError(Exception):
    """A template that cannot be used: an unknown name, or a file Jinja cannot load or render (with file:line)."""


@dataclass(frozen=True)
class Template:
    """A `postmortems new` template: its name, its file, and whether it is shipped or the team's."""

    name: str
    path: Path
    shipped: bool
    overrides: bool = False  # a team template with the name of a shipped one

    @property
    def description(self) -> str:
        """The template's opening Jinja comment `{# ... #}`, on one line; empty without one."""
        try:
            head = self.path.read_text(encoding="utf-8", errors="replace")[:1000]
        except OSError:
            return ""
        match = _DESCRIPTION.match(head)
        return " ".join(match.group(1).split()) if match else ""


def find_templates(folder: Path | None = None) -> dict[str, Template]:
    """Templates by name, sorted: the shipped ones, then each `NAME.md` in `folder`, replacing a shipped `NAME`."""
    found = {path.stem: Template(path.stem, path, shipped=True) for path in SHIPPED.glob("*.md")}
    if folder is not None:
        for path in folder.glob("*.md"):
            if path.is_file() and not path.name.startswith("."):
                found[path.stem] = Template(path.stem, path, shipped=False, overrides=path.stem in found)
    return dict(sorted(found.items()))


def pick_template(name: str, folder: Path | None = None) -> Template:
    """The template called `name`; TemplateError naming the available ones if there is none."""
    templates = find_templates(folder)
    if name not in templates:
        raise TemplateError(f"no template `{name}`; available: {', '.join(templates)}")
    return templates[name]


def yaml_scalar(value: str) -> str:
    """`value` as a YAML scalar: plain when it reads back as the same string, else double-quoted."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/ -]*", value) and yaml.safe_load(value) == value:
        return value
    return '"' + _UNQUOTABLE.sub(_escape, value) + '"'


# What a YAML double-quoted scalar cannot hold as it is: quotes, backslashes, and characters outside YAML's
# printable set or that YAML reads as line breaks (U+0085, U+2028, U+2029) or a byte order mark (U+FEFF).
# (JSON's escapes are no substitute: YAML rejects the surrogate pairs JSON writes for an emoji.)
_UNQUOTABLE = re.compile(r'["\\]|[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]')
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if "\ud800" <= char <= "\udfff":  # a byte of a command line that was not UTF-8: no YAML (or file) can hold it
        return "\\ufffd"
    return _ESCAPES.get(char) or (f"\\x{ord(char):02x}" if ord(char) <= 0xFF else f"\\u{ord(char):04x}")


def _yaml_filter(value) -> str:
    return yaml_scalar(str(value))  # str() of a StrictUndefined raises, naming the missing variable


def template_variables(
    title: str, severity: str, services: list[str], author: str, day: date, policy: Policy, detected: str = ""
) -> dict:
    """What every template may use; the first category and priority are placeholders, `detected` an ISO time or
    empty."""
    return dict(
        title=title,
        severity=severity,
        severities=policy.severities,
        services=services,
        author=author,
        day=day.isoformat(),
        detected=detected,
        due=plus_days(day, 30).isoformat(),
        category=(policy.category_names or ("TODO-category",))[0],
        categories=policy.category_names,
        priority=policy.priorities[0],
        priorities=policy.priorities,
        sections=policy.required_sections,
        guidance=GUIDANCE,
    )


def new_postmortem(
    title: str,
    severity: str,
    services: list[str],
    author: str,
    day: date,
    policy: Policy,
    template: Template | None = None,
    detected: datetime | None = None,
    regulatory: str = "",
) -> str:
    """The text of a new draft postmortem for `day` from `template` (default: the shipped `default`), with the
    `regulatory` block (`regulatory_block`) last in its front matter when there is one."""
    template = template or pick_template(DEFAULT_TEMPLATE)
    folders = [str(template.path.parent)] + ([] if template.shipped else [str(SHIPPED)])  # includes: own folder first
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders), undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
    env.filters["yaml"] = _yaml_filter
    variables = template_variables(title, severity, services, author, day, policy, iso_z(detected) if detected else "")
    try:
        text = env.get_template(template.path.name).render(variables)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(f"{error.filename or template.path}:{error.lineno}: {error.message}") from None
    except UnicodeDecodeError:
        raise TemplateError(f"{template.path}: not UTF-8 text") from None
    except Exception as error:  # while rendering: undefined variables, failing filters
        where = _template_frame(error, folders)
        if where is None:
            raise
        raise TemplateError(f"{where.filename}:{where.lineno}: {error}") from None
    text = text.strip() + "\n"  # a template's opening `{# description #}` leaves a blank line before `---`
    return _closing.sub(lambda end: regulatory + end.group(), text, count=1) if regulatory else text


_closing = re.compile(r"(?<=\n)---[ \t]*$", re.MULTILINE)  # the line that closes the front matter

_HINTS = {field.name: field.description.split(";")[0] for field in REGULATORY}  # its first clause


def regulatory_regimes(services: list[str], policy: Policy) -> tuple[str, ...]:
    """The regimes a new record naming `services` is owed reports under, as the clocks decide it (`regimes_of`)."""
    return regimes_of(Postmortem("new", "", "", "draft", "", tuple(services), None), policy)


def regulatory_block(regimes: tuple[str, ...], values: Mapping[str, datetime | bool | None]) -> str:
    """The front matter's `regulatory` block for `regimes`: each key their clocks count from, with its value from
    `values` or commented out when it has none, each with its schema description as a hint."""
    lines = [f"regulatory:               # owed under {', '.join(regimes)}: see docs/regulatory-reporting.md"]
    for key, used_by in KEYS.items():
        if set(used_by) & set(regimes):
            value = values.get(key)
            written = f"{key}: {_yaml_value(value)}" if value is not None else f"# {key}:"
            lines.append(f"  {written:<32} # {_HINTS[key]}")
    lines += [
        "  reports: []               # - {regime: REGIME, stage: STAGE, submitted: TIME, reference: THEIRS}",
        "  # not_reportable:         # - {regime: REGIME, reason: why this incident owes it no report}",
    ]
    return "\n".join(lines) + "\n"


def _yaml_value(value: datetime | bool) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else iso_z(value)


def _template_frame(error: Exception, folders: list[str]) -> traceback.FrameSummary | None:
    """The innermost traceback frame in a template file (Jinja rewrites frames to template lines)."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if any(frame.filename.startswith(folder) for folder in folders)
    ]
    return frames[-1] if frames else None


def missing_sections(text: str, policy: Policy) -> list[str]:
    """The configured `required_sections` a draft's body has no heading for (`check` warns once it is in review)."""
    source, _ = parse_source(text, "draft")
    if source is None:  # front matter `check` rejects: it says so itself
        return []
    present = {heading.casefold() for heading in body_headings(source.body)}
    return [section for section in policy.required_sections if section.casefold() not in present]

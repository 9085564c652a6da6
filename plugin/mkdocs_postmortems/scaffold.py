"""`postmortems new`: a new postmortem file with every field and section, ready to fill in."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import jinja2
import yaml

from .policy import Policy
from .render import TEMPLATES

GUIDANCE = {
    "Summary": "Two or three sentences: what happened, the impact, how it ended.",
    "Impact": "Who was affected and how, for how long, in numbers: users, requests, orders, money, SLOs.",
    "Timeline": "UTC times from the first cause to resolution: | Time (UTC) | Event |. Include detection and each decision.",
    "Root cause analysis": "Why it happened and why it was not caught earlier. Describe system conditions, not people.",
    "Resolution": "What stopped the impact, and what restored full service.",
    "Lessons learned": "What went well, what went wrong, where we got lucky.",
}


def yaml_scalar(value: str) -> str:
    """`value` as a YAML scalar: plain when it reads back as the same string, else double-quoted."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/ -]*", value) and yaml.safe_load(value) == value:
        return value
    return json.dumps(value)  # a JSON string is a valid YAML double-quoted scalar


def new_postmortem(title: str, severity: str, services: list[str], author: str, day: date, policy: Policy) -> str:
    """The text of a new draft postmortem for `day`, naming the first category and priority as placeholders."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), keep_trailing_newline=True)
    env.filters["yaml"] = yaml_scalar
    return env.get_template("new.md").render(
        title=title, severity=severity, severities=policy.severities, services=services, author=author,
        day=day.isoformat(), due=(day + timedelta(days=30)).isoformat(),
        category=(policy.category_names or ('TODO-category',))[0], categories=policy.category_names,
        priority=policy.priorities[0], priorities=policy.priorities,
        sections=policy.required_sections, guidance=GUIDANCE,
    ).rstrip("\n") + "\n"

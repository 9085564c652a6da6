"""Postmortem pages as HTML fragments from Jinja templates; users override them from their theme's custom_dir."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Iterable

import jinja2
import markupsafe

from .diagnostics import Diagnostic, Level
from .knowledge import KnowledgeBase
from .model import Postmortem

TEMPLATES = Path(__file__).parent / "templates"
UrlFor = Callable[[str], "str | None"]  # postmortem ID -> URL relative to the current page, None if not built


def template_environment(override_dirs: Iterable[str] = ()) -> jinja2.Environment:
    """A Jinja environment that looks in `override_dirs` first, then in the templates shipped here."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*override_dirs, str(TEMPLATES)]),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(utc=format_utc, iso=format_iso, duration=format_duration, code=inline_code)
    return env


def inline_code(text: str) -> markupsafe.Markup:
    """Escape `text`, then show its `backticked` parts as <code>: diagnostics quote keys and values that way."""
    return markupsafe.Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(markupsafe.escape(text))))


def format_utc(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def format_iso(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def format_duration(span: timedelta | None) -> str:
    """`1 h 12 min`, `3 d 4 h`, `45 min`; empty when unknown."""
    if span is None:
        return ""
    minutes = int(span.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def problems_of(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics a reader should see on the page: errors and warnings."""
    return [d for d in diagnostics if d.level in (Level.ERROR, Level.WARNING)]


def render_header(env: jinja2.Environment, pm: Postmortem, diagnostics: list[Diagnostic]) -> str:
    """The card above a postmortem's body: severity, status, services, times, and any problems."""
    return env.get_template("postmortems/header.html").render(pm=pm, problems=problems_of(diagnostics))


def render_details(env: jinja2.Environment, pm: Postmortem, kb: KnowledgeBase, url_for: UrlFor) -> str:
    """What follows the body: root causes, action items, communications and related postmortems."""
    return env.get_template("postmortems/details.html").render(
        pm=pm, today=kb.today, by_id=kb.by_id, url_for=url_for)


def render_index(env: jinja2.Environment, kb: KnowledgeBase, url_for: UrlFor) -> str:
    """The `/postmortems/` listing, newest first, and every file that could not become a page."""
    by_path = kb.diagnostics_by_path()
    shown = kb.published()
    return env.get_template("postmortems/index.html").render(
        postmortems=shown,
        problems={pm.id: len(problems_of(by_path.get(pm.path, ()))) for pm in shown},
        rejected=[(path, problems_of(by_path.get(path, ()))) for path in kb.rejected],
        url_for=url_for,
    )

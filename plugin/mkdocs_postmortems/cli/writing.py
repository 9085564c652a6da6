"""The commands that write records by hand: `new` and its `templates`, and `incident open/update/resolve`, which
run a live incident from the record itself."""

from __future__ import annotations

import getpass
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from ..diagnostics import Level
from ..kb_site.urls import slugify
from ..knowledge import load_knowledge_base
from ..policy import PUBLIC_IMPACTS, Policy
from ..status_site.public import public_text, public_view
from .check import format_text, print_similar
from .options import ConfigError, config_option, load_policy, parse_day


def _templates_folder(policy: Policy, config_file: Path | None) -> Path | None:
    """The configured `templates_folder`, relative to the config file like `docs_dir`; a usage error if missing."""
    if not policy.templates_folder:
        return None
    folder = Path(config_file or "mkdocs.yml").parent / policy.templates_folder
    if not folder.is_dir():
        raise ConfigError(f"`templates_folder`: {folder} is not a folder")
    return folder


def _parse_moment(ctx, param, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"`{value}` is not a time such as 2026-12-01T18:04:00Z") from None
    if moment.tzinfo is None:
        raise click.BadParameter(f"`{value}` has no UTC offset; add `Z` or e.g. `+01:00`")
    return moment.astimezone(timezone.utc)


@click.command()
@click.argument("title")
@click.option("--severity", required=True, help="One of the configured severities, e.g. SEV2.")
@click.option("--service", "services", multiple=True, required=True, help="An affected service (repeatable).")
@click.option("--author", default=getpass.getuser, show_default="your login name", help="Who writes it.")
@click.option("--date", "day", callback=parse_day, metavar="DATE", help="The UTC date impact started (default: today).")
@click.option(
    "--template",
    "template_name",
    metavar="NAME",
    help="The template to write from (default: `default`; `lightweight` for a short review; "
    "`postmortems templates` lists them).",
)
@click.option(
    "--detected",
    callback=_parse_moment,
    metavar="TIME",
    help="When we knew, ISO 8601 with an offset: `detected`, and `regulatory.aware` for a regulated service.",
)
@click.option(
    "--interactive/--no-interactive",
    default=None,
    help="Ask for the `regulatory` block when a service is regulated (default: when standard input is a terminal).",
)
@config_option
def new(title, severity, services, author, day, template_name, detected, interactive, config_file):
    """Write a new draft postmortem from a template; never overwrites a file. When a service it names is regulated
    under a configured regime, the draft has a `regulatory` block: asked for at a terminal, else `aware` from
    --detected and a commented hint for each other key."""
    from ..scaffold import (
        DEFAULT_TEMPLATE,
        LIGHT_TEMPLATE,
        TemplateError,
        missing_sections,
        new_postmortem,
        pick_template,
        regulatory_block,
        regulatory_regimes,
    )

    policy, folder = load_policy(config_file)
    templates_folder = _templates_folder(policy, config_file)
    if severity not in policy.severities:
        raise click.BadParameter(f"`{severity}` is not one of {', '.join(policy.severities)}", param_hint="--severity")
    unknown = [s for s in services if policy.service_names and s not in policy.service_names]
    if unknown:
        raise click.BadParameter(f"not in the service catalog: {', '.join(unknown)}", param_hint="--service")
    try:
        template = pick_template(template_name or DEFAULT_TEMPLATE, templates_folder)
    except TemplateError as error:
        raise click.BadParameter(str(error), param_hint="--template") from None
    day = day or datetime.now(timezone.utc).date()
    path = folder / f"{day.isoformat()}-{slugify(title)}.md"
    if path.exists() or path.is_symlink():
        raise click.ClickException(f"{path} already exists; pick another title or edit that file")
    regimes = regulatory_regimes(list(services), policy)
    if interactive is None:
        interactive = sys.stdin.isatty()
    answers = _ask_regulatory(regimes, detected) if regimes and interactive else {"aware": detected}
    block = regulatory_block(regimes, answers) if regimes else ""
    try:
        text = new_postmortem(title, severity, list(services), author, day, policy, template, detected, block)
    except TemplateError as error:
        raise ConfigError(f"template `{template.name}`: {error}") from None
    folder.mkdir(parents=True, exist_ok=True)
    write_new(path, text)
    click.echo(f"wrote {path}; fill in the TODOs, then run `postmortems check {path}`")
    kb = load_knowledge_base(folder, policy)  # the past incidents whose words its title uses
    print_similar(
        [pm for pm in kb.postmortems if Path(pm.path).resolve() == path.resolve()],
        kb.postmortems,
        lambda pm: "Similar past incidents:",
    )
    missing = missing_sections(text, policy)
    if missing:
        click.echo(
            f"note: the draft has no {', '.join(f'“{s}”' for s in missing)} section; `required_sections` asks "
            f"for it, so `check` warns once it is in review",
            err=True,
        )
    if template_name is None and severity not in policy.action_items_required_for:
        click.echo(
            f"tip: a {severity} may need only a short review: `--template {LIGHT_TEMPLATE}` "
            f"(`postmortems templates` lists them all)",
            err=True,
        )


def _ask_regulatory(regimes: tuple[str, ...], detected: datetime | None) -> dict:
    """The `regulatory` moments the clocks of `regimes` count from, asked one by one; empty answers leave them out."""
    from ..regulatory import KEYS

    click.echo(f"A service it names is regulated: reports are owed under {', '.join(regimes)}.", err=True)
    questions = {
        "aware": "When did we become aware of it? (empty: the detection time)",
        "classified_major": "DORA: when was it classified as major? (empty: not yet)",
        "materiality_determined": "SEC: when was it determined material? (empty: not yet)",
    }
    answers: dict = {}
    for key, question in questions.items():
        if set(KEYS[key]) & set(regimes):
            answers[key] = click.prompt(
                question + " ISO 8601 with an offset",
                default="",
                show_default=False,
                value_proc=lambda text: _parse_moment(None, None, text.strip() or None),
                err=True,
            )
    answers["aware"] = answers.get("aware") or detected
    if "gdpr" in regimes:
        breach = click.prompt(
            "GDPR: is it a personal data breach?",
            type=click.Choice(["yes", "no", "unknown"]),
            default="unknown",
            err=True,
        )
        answers["personal_data"] = {"yes": True, "no": False}.get(breach)
    return answers


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text`, never through a link and never over a file: `O_EXCL` refuses anything already at
    `path` (a dangling link included, which a plain write would follow out of the folder), `O_NOFOLLOW` a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags, 0o666)
    except FileExistsError:
        raise click.ClickException(f"{path} already exists; pick another title or edit that file") from None
    except OSError as error:
        raise click.ClickException(f"cannot create {path}: {error.strerror or error}") from None
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as file:
        file.write(text)


@click.command()
@config_option
def templates(config_file):
    """List the templates of `new`: shipped, and from the configured `templates_folder`."""
    from ..scaffold import find_templates

    policy, _ = load_policy(config_file)
    for template in find_templates(_templates_folder(policy, config_file)).values():
        origin = f"shipped, {template.path}" if template.shipped else str(template.path)
        click.echo(f"{template.name}: {origin}{', overrides the shipped one' if template.overrides else ''}")
        if template.description:
            click.echo(f"    {template.description}")


at_option = click.option(
    "--at",
    "at",
    callback=_parse_moment,
    metavar="TIME",
    help="When the update was posted, ISO 8601 with an offset (default: now).",
)


@click.group()
def incident():
    """Run a live incident on the status page from the record itself: open it, post updates, resolve it. Each
    command appends a timestamped status-page post to the file, checks the file and prints what goes public;
    commit and deploy the status site to publish it. The same file later becomes the postmortem."""


def _commit_edit(path: Path, text: str, before: str | None, policy: Policy, folder: Path) -> None:
    """Write `text` to `path`, check it with the whole knowledge base, and put `before` back (or remove a new
    file) when the check finds an error: a command never leaves an invalid record behind."""
    path.write_text(text, encoding="utf-8")
    kb = load_knowledge_base(folder, policy)
    shown = {str(path), os.path.relpath(path)}
    found = [d for d in kb.diagnostics if d.path in shown or Path(d.path).resolve() == path.resolve()]
    for diagnostic in found:
        click.echo(format_text(diagnostic), err=True)
    if any(d.level is Level.ERROR for d in found):
        if before is None:
            path.unlink()
        else:
            path.write_text(before, encoding="utf-8")
        raise click.ClickException(f"{path} was left unchanged: fix the errors above and run the command again")
    pm = next((pm for pm in kb.postmortems if Path(pm.path).resolve() == path.resolve()), None)
    view = public_view(pm, policy) if pm else None
    if view is not None:
        click.echo(public_text(view))


def _live_record(path: Path, policy: Policy):
    from ..knowledge import load_postmortem

    pm, problems = load_postmortem(path, str(path), policy)
    if pm is None:
        raise click.ClickException(f"{path} cannot be read: {problems[0].message if problems else 'no front matter'}")
    return pm


@incident.command("open")
@click.argument("title")
@click.option(
    "--component",
    "components",
    multiple=True,
    required=True,
    help="An affected public component, as the catalog names it (repeatable).",
)
@click.option(
    "--impact",
    type=click.Choice(PUBLIC_IMPACTS),
    required=True,
    help="minor (degraded), major (partial outage) or critical (major outage).",
)
@click.option("--message", required=True, help="The first post customers read: what they see, not why.")
@click.option(
    "--status", type=click.Choice(["investigating", "identified"]), default="investigating", show_default=True
)
@click.option("--severity", help="Default: by impact (critical: the worst severity, major: the next...).")
@click.option("--service", "services", multiple=True, help="An affected service (default: the components' services).")
@click.option("--author", default=getpass.getuser, show_default="your login name")
@click.option("--started", callback=_parse_moment, metavar="TIME", help="When impact started (default: --at).")
@at_option
@config_option
def incident_open(title, components, impact, message, status, severity, services, author, started, at, config_file):
    """Open a live incident: a new `status: ongoing` record with its first post. Prints the file's path."""
    from ..live import Post, open_record, severity_for

    policy, folder = load_policy(config_file)
    unknown = [name for name in components if policy.components and name not in policy.components]
    if unknown:
        raise click.BadParameter(
            f"not a public component: {', '.join(unknown)} (components: {', '.join(policy.components)})",
            param_hint="--component",
        )
    severity = severity or severity_for(impact, policy)
    if severity not in policy.severities:
        raise click.BadParameter(f"`{severity}` is not one of {', '.join(policy.severities)}", param_hint="--severity")
    services = list(services) or [s.name for s in policy.services if s.component in components]
    if not services:
        raise click.BadParameter(
            "name the affected services: no catalog service has these components", param_hint="--service"
        )
    at = at or datetime.now(timezone.utc)
    started = started or at
    path = folder / f"{started.date().isoformat()}-{slugify(title)}.md"
    if path.exists():
        raise click.ClickException(f"{path} already exists: post to it with `postmortems incident update {path}`")
    folder.mkdir(parents=True, exist_ok=True)
    text = open_record(
        title, list(components), services, impact, severity, author, Post(status, at, message), started, policy
    )
    _commit_edit(path, text, None, policy, folder)
    click.echo(f"opened {path}; commit it and deploy the status site")


def _post(
    path: Path, status: str, message: str, at: datetime | None, config_file: Path | None, timeline: tuple[str, ...] = ()
) -> None:
    from ..live import EditError, Post, add_post, set_time

    policy, folder = load_policy(config_file)
    pm = _live_record(path, policy)
    at = at or datetime.now(timezone.utc)
    if pm.is_maintenance:
        status = {
            "identified": "in_progress",
            "investigating": "in_progress",
            "monitoring": "verifying",
            "resolved": "completed",
        }.get(status, status)
    before = path.read_text(encoding="utf-8")
    try:
        text = add_post(before, Post(status, at, message), bool(pm.public and pm.public.updates))
        for key in timeline:
            if getattr(pm, key) is None:
                text = set_time(text, key, at)
    except EditError as error:
        raise click.ClickException(f"{path}: {error}") from None
    _commit_edit(path, text, before, policy, folder)
    click.echo(f"posted `{status}` to {path}; commit it and deploy the status site")


@incident.command("update")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--status",
    type=click.Choice(["investigating", "identified", "monitoring", "scheduled", "in_progress", "verifying"]),
    required=True,
)
@click.option("--message", required=True, help="What customers read now.")
@click.option("--mitigated", is_flag=True, help="Impact stopped for users at this update: set `mitigated`.")
@at_option
@config_option
def incident_update(file, status, message, mitigated, at, config_file):
    """Post an update to a live incident (or maintenance): appends it to the record's `communications`."""
    _post(file, status, message, at, config_file, ("mitigated",) if mitigated else ())


@incident.command("resolve")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--message", required=True, help="The last post, e.g. what customers may need to do now.")
@at_option
@config_option
def incident_resolve(file, message, at, config_file):
    """Resolve a live incident: posts `resolved` (a maintenance: `completed`) and sets `resolved`. The record
    stays on the status site; write its postmortem in the same file next (`status: draft`)."""
    _post(file, "resolved", message, at, config_file, ("resolved",))

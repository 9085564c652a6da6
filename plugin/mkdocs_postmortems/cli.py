"""The `postmortems` command: click options in, core functions out (the same core the plugin calls).

What only some commands need (the site builder, the generator, the scaffold and their templates) is imported by
those commands, so `check`, which a pre-commit hook runs on every commit, starts without them."""

from __future__ import annotations

import getpass
import json
import logging
import os
import sys
import time
import traceback
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path

import click

from .pull_requests.changes import (ChangesError, changed_paths, changed_postmortems, diagnostics_of_changes,
                                    knowledge_base_of_changes, merge_base, text_at)
from .diagnostics import Diagnostic, Level, log_line
from .knowledge import discover, load_knowledge_base
from .policy import PUBLIC_IMPACTS, Policy, policy_from_options
from .status_site.public import public_text, public_view
from .kb_site.urls import slugify
from .importers import FORMATS, import_sources
from .importers.records import report_text
from .parsing.schema import json_schema
from .pull_requests.comment import render_pr_summary

_GITHUB_COMMAND = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}
INTERNAL_ERROR = 3  # a bug of ours, not a problem in a postmortem (1) nor a usage error (2)


class ConfigError(click.ClickException):
    """A config file that cannot be used: a usage error (exit 2), not a problem in a postmortem (exit 1)."""

    exit_code = 2


def load_policy(config_file: Path | None) -> tuple[Policy, Path]:
    """The policy configured in `config_file` (via MkDocs' own config loading) and the postmortems folder.

    With no `config_file` given: `mkdocs.yml` if there is one, else the defaults and `./postmortems`.
    """
    if config_file is None:
        config_file = Path("mkdocs.yml")
        if not config_file.exists():
            return Policy(), Path("postmortems")
    policy = policy_from_options(_plugin_options(config_file))
    return policy, config_file.parent / policy.folder


def _plugin_options(config_file: Path):
    """The plugin's options in `config_file`, read by MkDocs' own YAML loader (`INHERIT`, `!ENV`) and validated by
    the plugin's own `PostmortemsConfig`, as a build validates them, without loading the theme and every other
    plugin, which a check does not need (`_site_config` does, for the commands that build)."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    from .mkdocs_config import PostmortemsConfig

    try:
        with open(config_file, "rb") as source:
            settings = yaml_load(source)
    except (OSError, ConfigurationError) as error:
        raise ConfigError(f"{config_file}: {error}") from None
    options = _plugin_entries(settings.get("plugins") if isinstance(settings, dict) else None).get("postmortems")
    if isinstance(options, dict) and options.get("enabled", True) is False:
        options = None
    if options is None:
        raise ConfigError(f"{config_file} does not enable the `postmortems` plugin")
    if not isinstance(options, dict):
        raise ConfigError(f"{config_file}: the options of the `postmortems` plugin must be a mapping of `key: value`")
    options = {key: value for key, value in options.items() if key != "enabled"}
    config = PostmortemsConfig(config_file_path=str(config_file))
    config.load_dict(options)
    failed, _ = config.validate()
    if failed:
        raise ConfigError(f"{config_file}: " + "; ".join(f"plugin `postmortems`, option `{key}`: {error}"
                                                          for key, error in failed))
    return config


def _plugin_entries(plugins) -> dict:
    """MkDocs' `plugins` setting, a list (`- name` or `- name: {options}`) or a mapping, as name -> options."""
    if isinstance(plugins, dict):
        return {name: {} if options is None else options for name, options in plugins.items()}
    entries = {}
    for entry in plugins if isinstance(plugins, list) else ():
        if isinstance(entry, str):
            entries[entry] = {}
        elif isinstance(entry, dict) and len(entry) == 1:
            (name, options), = entry.items()
            entries[name] = {} if options is None else options
    return entries


def _site_config(config_file: Path):
    """The site's configuration as MkDocs validates it for a build; a usage error if it cannot be used."""
    from mkdocs.config import load_config  # the CLI is an adapter: MkDocs validates the options as in a build
    from mkdocs.exceptions import MkDocsException

    mkdocs_log = logging.getLogger("mkdocs")
    level = mkdocs_log.level
    mkdocs_log.setLevel(logging.ERROR)  # only configuration errors; a check prints its own findings
    try:
        config = load_config(str(config_file))
    except MkDocsException as error:  # MkDocs has logged each problem already
        raise ConfigError(f"{config_file}: {error}") from None
    finally:
        mkdocs_log.setLevel(level)
    if config.plugins.get("postmortems") is None:
        raise ConfigError(f"{config_file} does not enable the `postmortems` plugin")
    return config


def _parse_day(ctx, param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"`{value}` is not a date YYYY-MM-DD") from None


config_option = click.option("-f", "--config-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                             help="The MkDocs config with the plugin's options (default: ./mkdocs.yml if present).")


class Commands(click.Group):
    """The commands, each run so that a crash is told apart from "problems found": an unexpected exception prints
    its traceback and a request to report it, and exits `INTERNAL_ERROR`, never 1, which a CI step reads as
    "the postmortems have problems"."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:  # `postmortems check | head`: click closes quietly
            raise
        except Exception:
            click.echo(traceback.format_exc(), err=True, nl=False)
            click.echo(f"postmortems: internal error, please report it to the mkdocs-postmortems maintainers with the "
                       f"traceback above and the command you ran (exit {INTERNAL_ERROR}).", err=True)
            ctx.exit(INTERNAL_ERROR)


@click.group(cls=Commands)
@click.version_option(package_name="mkdocs-postmortems")
def main():
    """Validate and scaffold postmortems kept as Markdown with YAML front matter."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@config_option
@click.option("--format", "output", type=click.Choice(["text", "github", "json"]), default="text", show_default=True,
              help="github = GitHub Actions annotations on the PR diff.")
@click.option("--strict", is_flag=True, help="Fail on warnings too, like `mkdocs build --strict`.")
@click.option("--today", callback=_parse_day, metavar="DATE", help="Judge due dates against DATE (YYYY-MM-DD).")
@click.option("--changed-since", metavar="REF",
              help="Only postmortems changed since where HEAD's branch left REF (e.g. origin/main), and the "
                   "problems elsewhere that involve them. Not with PATHS.")
@click.option("--whole-folder", is_flag=True,
              help="With PATHS: load the whole configured folder, so facts across files (people, IDs, related) are "
                   "known, but report only the problems of PATHS and those elsewhere that involve them (the "
                   "pre-commit hook's way).")
def check(paths, config_file, output, strict, today, changed_since, whole_folder):
    """Check postmortems (default: the configured folder). Exit 0 clean, 1 problems, 2 usage error.

    With --changed-since REF, as in a pull request against REF: the whole folder is loaded as usual, but
    only the problems of files changed since the merge base of REF and HEAD are reported (committed,
    staged, unstaged or untracked, deleted ones included), plus the problems in other files that involve a
    changed or deleted postmortem: a `related` entry naming it, a `duplicate-id` with it. The count is of
    the changed files that still exist. A REF git does not know, or no git repository, is a usage error.
    """
    if changed_since is not None and paths:
        raise click.UsageError("give PATHS or --changed-since, not both")
    policy, folder = load_policy(config_file)
    changed = None
    if changed_since is not None:
        with _git_answers("--changed-since"):
            changed = changed_paths(_repository(config_file), changed_since, folder)
    files = None
    if paths:
        found = (file for path in paths for file in (discover(path) if path.is_dir() else [path]))
        files = list({file.resolve(): file for file in found}.values())  # each file once, however named
    if whole_folder and files is not None:
        changed, files = files, None
    if changed is not None:  # only what the change involves is parsed: flat in the size of the knowledge base
        kb = knowledge_base_of_changes(folder, policy, changed, today=today)
        diagnostics, checked = diagnostics_of_changes(kb, changed), sum(1 for path in changed if path.exists())
    else:
        kb = load_knowledge_base(folder, policy, today=today, paths=files)
        diagnostics, checked = kb.diagnostics, len(kb.postmortems) + len(kb.rejected)
    sys.exit(report(diagnostics, checked, output, strict))


def report(diagnostics: list[Diagnostic], checked: int, output: str = "text", strict: bool = False) -> int:
    """Print the diagnostics as `check` does; the exit code: 1 on errors (or warnings with `strict`), else 0."""
    errors, warnings = (sum(1 for d in diagnostics if d.level is level) for level in (Level.ERROR, Level.WARNING))
    if output == "json":
        click.echo(json.dumps({"postmortems": checked, "errors": errors, "warnings": warnings,
                               "diagnostics": [d.as_dict() for d in diagnostics]}, indent=2))
    else:
        for diagnostic in diagnostics:
            click.echo(format_github(diagnostic) if output == "github" else format_text(diagnostic))
        click.echo(f"{checked} postmortems, {errors} errors, {warnings} warnings",
                   err=output == "github")
    return 1 if errors or (strict and warnings) else 0


def format_text(d: Diagnostic) -> str:
    """`path:line:col: level [code] message` and the hint on the next line; each value on one line, so no value
    (a title with a newline) can start a line of its own, such as a GitHub Actions `::error` command."""
    text = log_line(f"{d.location()}: {d.level.value} [{d.code}] {d.message}")
    return f"{text}\n    hint: {log_line(d.hint)}" if d.hint else text


def format_github(d: Diagnostic) -> str:
    """A GitHub Actions workflow command that annotates the line in the PR diff."""
    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    message = f"{d.message}. {d.hint}" if d.hint else d.message
    return (f"::{_GITHUB_COMMAND[d.level]} file={prop(d.path)},line={d.line},col={d.col},"
            f"title={prop(d.code)}::{data(message)}")


def _templates_folder(policy: Policy, config_file: Path | None) -> Path | None:
    """The configured `templates_folder`, relative to the config file like `docs_dir`; a usage error if missing."""
    if not policy.templates_folder:
        return None
    folder = Path(config_file or "mkdocs.yml").parent / policy.templates_folder
    if not folder.is_dir():
        raise ConfigError(f"`templates_folder`: {folder} is not a folder")
    return folder


@main.command()
@click.argument("title")
@click.option("--severity", required=True, help="One of the configured severities, e.g. SEV2.")
@click.option("--service", "services", multiple=True, required=True, help="An affected service (repeatable).")
@click.option("--author", default=getpass.getuser, show_default="your login name", help="Who writes it.")
@click.option("--date", "day", callback=_parse_day, metavar="DATE", help="The UTC date impact started (default: today).")
@click.option("--template", "template_name", metavar="NAME",
              help="The template to write from (default: `default`; `lightweight` for a short review; "
                   "`postmortems templates` lists them).")
@config_option
def new(title, severity, services, author, day, template_name, config_file):
    """Write a new draft postmortem from a template; never overwrites a file."""
    from .scaffold import DEFAULT_TEMPLATE, LIGHT_TEMPLATE, TemplateError, missing_sections, new_postmortem, pick_template

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
    try:
        text = new_postmortem(title, severity, list(services), author, day, policy, template)
    except TemplateError as error:
        raise ConfigError(f"template `{template.name}`: {error}") from None
    folder.mkdir(parents=True, exist_ok=True)
    write_new(path, text)
    click.echo(f"wrote {path}; fill in the TODOs, then run `postmortems check {path}`")
    missing = missing_sections(text, policy)
    if missing:
        click.echo(f"note: the draft has no {', '.join(f'“{s}”' for s in missing)} section; `required_sections` asks "
                   f"for it, so `check` warns once it is in review", err=True)
    if template_name is None and severity not in policy.action_items_required_for:
        click.echo(f"tip: a {severity} may need only a short review: `--template {LIGHT_TEMPLATE}` "
                   f"(`postmortems templates` lists them all)", err=True)


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


@main.command()
@config_option
def templates(config_file):
    """List the templates of `new`: shipped, and from the configured `templates_folder`."""
    from .scaffold import find_templates

    policy, _ = load_policy(config_file)
    for template in find_templates(_templates_folder(policy, config_file)).values():
        origin = f"shipped, {template.path}" if template.shipped else str(template.path)
        click.echo(f"{template.name}: {origin}{', overrides the shipped one' if template.overrides else ''}")
        if template.description:
            click.echo(f"    {template.description}")


@main.command("public-diff")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@config_option
def public_diff(paths, config_file):
    """Print exactly what would go public for the given postmortems (default: all), with every leak the gate
    finds. Exit 0 clean, 1 when public text leaks, 2 usage error."""
    policy, folder = load_policy(config_file)
    kb = load_knowledge_base(folder, policy)  # the whole folder: the people the gate knows come from all of it
    wanted = {file.resolve() for path in paths for file in (discover(path) if path.is_dir() else [path])}
    shown = [pm for pm in kb.postmortems if not wanted or Path(pm.path).resolve() in wanted]
    leaks = [d for d in kb.diagnostics if d.code in ("public-leak", "communication-leak")]
    for pm in shown:
        view = public_view(pm, policy)
        click.echo(f"== {pm.path} ({pm.status}) ==")
        click.echo(public_text(view) if view else "Nothing goes public: no `public` block.")
        for leak in (d for d in leaks if d.path == pm.path):
            click.echo(format_text(leak))
        click.echo("")
    shown_paths = {pm.path for pm in shown}
    sys.exit(1 if any(leak.path in shown_paths for leak in leaks) else 0)


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


at_option = click.option("--at", "at", callback=_parse_moment, metavar="TIME",
                         help="When the update was posted, ISO 8601 with an offset (default: now).")


@main.group()
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
    from .knowledge import load_postmortem
    pm, problems = load_postmortem(path, str(path), policy)
    if pm is None:
        raise click.ClickException(f"{path} cannot be read: {problems[0].message if problems else 'no front matter'}")
    return pm


@incident.command("open")
@click.argument("title")
@click.option("--component", "components", multiple=True, required=True,
              help="An affected public component, as the catalog names it (repeatable).")
@click.option("--impact", type=click.Choice(PUBLIC_IMPACTS), required=True,
              help="minor (degraded), major (partial outage) or critical (major outage).")
@click.option("--message", required=True, help="The first post customers read: what they see, not why.")
@click.option("--status", type=click.Choice(["investigating", "identified"]), default="investigating",
              show_default=True)
@click.option("--severity", help="Default: by impact (critical: the worst severity, major: the next...).")
@click.option("--service", "services", multiple=True, help="An affected service (default: the components' services).")
@click.option("--author", default=getpass.getuser, show_default="your login name")
@click.option("--started", callback=_parse_moment, metavar="TIME", help="When impact started (default: --at).")
@at_option
@config_option
def incident_open(title, components, impact, message, status, severity, services, author, started, at, config_file):
    """Open a live incident: a new `status: ongoing` record with its first post. Prints the file's path."""
    from .live import Post, open_record, severity_for
    policy, folder = load_policy(config_file)
    unknown = [name for name in components if policy.components and name not in policy.components]
    if unknown:
        raise click.BadParameter(f"not a public component: {', '.join(unknown)} (components: "
                                 f"{', '.join(policy.components)})", param_hint="--component")
    severity = severity or severity_for(impact, policy)
    if severity not in policy.severities:
        raise click.BadParameter(f"`{severity}` is not one of {', '.join(policy.severities)}", param_hint="--severity")
    services = list(services) or [s.name for s in policy.services if s.component in components]
    if not services:
        raise click.BadParameter("name the affected services: no catalog service has these components",
                                 param_hint="--service")
    at = at or datetime.now(timezone.utc)
    started = started or at
    path = folder / f"{started.date().isoformat()}-{slugify(title)}.md"
    if path.exists():
        raise click.ClickException(f"{path} already exists: post to it with `postmortems incident update {path}`")
    folder.mkdir(parents=True, exist_ok=True)
    text = open_record(title, list(components), services, impact, severity, author, Post(status, at, message),
                       started, policy)
    _commit_edit(path, text, None, policy, folder)
    click.echo(f"opened {path}; commit it and deploy the status site")


def _post(path: Path, status: str, message: str, at: datetime | None, config_file: Path | None,
          timeline: tuple[str, ...] = ()) -> None:
    from .live import EditError, Post, add_post, set_time
    policy, folder = load_policy(config_file)
    pm = _live_record(path, policy)
    at = at or datetime.now(timezone.utc)
    if pm.is_maintenance:
        status = {"identified": "in_progress", "investigating": "in_progress", "monitoring": "verifying",
                  "resolved": "completed"}.get(status, status)
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
@click.option("--status", type=click.Choice(["investigating", "identified", "monitoring", "scheduled", "in_progress",
                                             "verifying"]), required=True)
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


@main.command()
@click.option("--previous", "previous_source", required=True, metavar="PATH_OR_URL",
              help="The previous deploy's api/v2/incidents.json, e.g. https://status.example.com/api/v2/incidents.json.")
@click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The new build (default: the config's site_dir, e.g. site-public).")
@click.option("--dry-run", is_flag=True, help="Print what would be sent to each webhook; send nothing.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, metavar="SECONDS",
              help="How long each request may take.")
@click.option("--retries", type=click.IntRange(min=0, max=10), default=3, show_default=True,
              help="Retries after a network error, a timeout, 429 or a 5xx.")
@click.option("--backoff", type=click.FloatRange(min=0), default=1.0, show_default=True, metavar="SECONDS",
              help="The wait before the first retry; it doubles each time, up to 30 s.")
@config_option
def notify(previous_source, site_dir, dry_run, timeout, retries, backoff, config_file):
    """For CI after a deploy of the status site: send the updates the new build added since the previous
    deploy to the webhooks of `status_page.webhooks`. Exit 0 when every webhook got them (or nothing changed),
    1 when a webhook failed after its retries or a document could not be read, 2 usage error."""
    from .status_site import notify as hooks
    config_file = config_file or Path("mkdocs.public.yml")
    if not config_file.is_file():
        raise ConfigError(f"{config_file} not found: give the status site's config with -f/--config-file")
    config = _site_config(config_file)
    policy = policy_from_options(config.plugins["postmortems"].config)
    current_path = (site_dir or Path(config.site_dir)) / "api" / "v2" / "incidents.json"
    try:
        current = hooks.read_document(str(current_path), timeout)
        if current is None:
            raise click.ClickException(f"{current_path} not found: build the status site first")
        previous = hooks.read_document(previous_source, timeout)
    except hooks.NotifyError as error:
        raise click.ClickException(str(error)) from None
    if previous is None:
        click.echo(f"{previous_source} not found: a first deploy, so there is nothing to compare; nothing sent")
        return
    found = hooks.changes(previous, current)
    if not found:
        click.echo("nothing changed in the public feed; nothing sent")
        return
    if not policy.webhooks:
        click.echo(f"{len(found)} change(s), but `status_page.webhooks` lists no webhook; nothing sent")
        return
    click.echo(f"{len(found)} change(s) since the previous deploy")
    failed = 0
    for number, webhook in enumerate(policy.webhooks, 1):
        body = hooks.payload(webhook, current.get("page", {}), found)
        try:
            url = hooks.webhook_url(webhook, os.environ)
            headers = hooks.webhook_headers(webhook, body, os.environ)
        except hooks.NotifyError as error:
            click.echo(f"webhook {number}: {error}", err=True)
            failed += 1
            continue
        name = f"webhook {number} ({webhook.format}{', ' + webhook.url_env if webhook.url_env else ''})"
        if dry_run:
            click.echo(f"{name}: would POST {len(body)} bytes{' (signed)' if headers else ''}:")
            click.echo(body.decode("utf-8"))
            continue
        try:
            attempts = hooks.send(url, body, headers, timeout, retries, backoff,
                                  log=lambda message, name=name: click.echo(f"{name}: {message}", err=True))
            click.echo(f"{name}: sent ({attempts} attempt{'s' if attempts != 1 else ''})")
        except hooks.NotifyError as error:
            click.echo(f"{name}: failed: {error}", err=True)
            failed += 1
    if failed:
        raise click.ClickException(f"{failed} of {len(policy.webhooks)} webhook(s) failed; the others were sent")


@main.command("import")
@click.argument("format_name", metavar="FORMAT", type=click.Choice(sorted(FORMATS)))
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@config_option
@click.option("--dry-run", is_flag=True, help="Report what would be written; write nothing.")
@click.option("--force", is_flag=True, help="Overwrite records a person edited since they were imported.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--today", callback=_parse_day, metavar="DATE", help="The import date (default: today, UTC).")
def import_command(format_name, sources, config_file, dry_run, force, output, today):
    """Import records from another tool into the configured folder: `cstate` (a cState site or its
    content/issues), `statuspage` (Statuspage API v2 JSON exports) or `markdown` (postmortems without front
    matter). Re-running updates the same files; a file edited since its import is kept unless --force.
    Prints a report per file, and the services to add to mkdocs.yml. Exit 0 when every source was imported,
    1 when some need a person first, 2 usage error."""
    policy, folder = load_policy(config_file)
    today = today or datetime.now(timezone.utc).date()
    reports = import_sources(format_name, list(sources), folder, policy, today, dry_run=dry_run, force=force)
    catalog = FORMATS[format_name].catalog
    snippet = catalog(sources, policy) if catalog else ""
    if output == "json":
        click.echo(json.dumps({"files": [r.as_dict() for r in reports], "catalog": snippet}, indent=2))
    else:
        click.echo(report_text(reports))
        if snippet:
            click.echo("\nAdd these services to the `postmortems` plugin in mkdocs.yml, then import again:\n")
            click.echo("\n".join("      " + line for line in snippet.rstrip().split("\n")))
    sys.exit(1 if any(r.action == "skipped" for r in reports) else 0)


@main.command()
@config_option
def schema(config_file):
    """Print the front matter's JSON Schema, with the configured scales and catalogs."""
    policy, _ = load_policy(config_file)
    click.echo(json.dumps(json_schema(policy), indent=2))


@main.command("pr-summary")
@click.option("--base", "ref", required=True, metavar="REF", help="What the pull request merges into, e.g. origin/main.")
@click.option("--format", "output", type=click.Choice(["markdown"]), default="markdown", show_default=True,
              help="markdown = GitHub-flavoured, for a pull-request comment.")
@click.option("--today", callback=_parse_day, metavar="DATE", help="Judge due dates against DATE (YYYY-MM-DD).")
@config_option
def pr_summary(ref, output, today, config_file):
    """Print a pull-request comment on the postmortems changed since the merge base of REF and HEAD.

    For each one added, modified or deleted: its state and severity and how they changed, what the checks
    found, the reviewer checklist, the action items added, changed, closed or removed and the root causes
    added or removed, and what would go public. The comment starts with `<!-- postmortems-pr-summary -->`
    so a workflow can find and update it. Exit 0 once printed, whatever the checks found; 2 on usage errors.
    """
    policy, folder = load_policy(config_file)
    repo = _repository(config_file)
    with _git_answers("--base"):
        base = merge_base(repo, ref)
        changed = changed_paths(repo, base, folder)
        kb = load_knowledge_base(folder, policy, today=today)
        changes, other_files = changed_postmortems(kb, changed, lambda path: text_at(repo, base, path))
    click.echo(render_pr_summary(changes, other_files), nl=False)


@main.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@config_option
@click.option("--strict", is_flag=True, help="Fail on warnings too, like `mkdocs build --strict`.")
@click.option("--today", callback=_parse_day, metavar="DATE", help="Judge due dates against DATE (YYYY-MM-DD).")
@click.option("--watch", is_flag=True, help="Keep running, and generate again whenever the postmortems, the docs or "
                                            "the configuration change (for `zensical serve -f OUT/mkdocs.yml`).")
@click.option("--interval", type=click.FloatRange(min=0.1), default=1.0, show_default=True, metavar="SECONDS",
              help="With --watch: how often to look for changes.")
def generate(out, config_file, strict, today, watch, interval):
    """Write a complete site source into OUT for an engine without plugins: `OUT/docs/` (your docs and every
    generated page and file) and `OUT/mkdocs.yml`, then e.g. `zensical build -f OUT/mkdocs.yml`.

    Reports the problems `check` reports and exits like it: 0 clean, 1 problems (or a leak refused by the public
    build, which writes nothing), 2 usage error. OUT must be outside the site's sources, and new, empty or
    written by `generate` before.
    """
    config_file = config_file or Path("mkdocs.yml")
    if not config_file.is_file():
        raise ConfigError(f"{config_file} not found: run in the site's folder or give -f/--config-file")
    if not watch:
        sys.exit(_generate_once(config_file, out, strict, today))
    watched = _watched(config_file)
    seen = _signature(watched)  # before generating: an edit made meanwhile triggers the next run
    _generate_once(config_file, out, strict, today)
    click.echo(f"watching {', '.join(map(str, watched))}; Ctrl-C stops", err=True)
    try:
        while True:
            time.sleep(interval)
            now = _signature(watched)
            if now != seen:
                seen = now
                try:
                    _generate_once(config_file, out, strict, today)
                except click.ClickException as error:  # a broken config while editing: say so, keep watching
                    error.show()
    except KeyboardInterrupt:
        sys.exit(0)


def _generate_once(config_file: Path, out: Path, strict: bool, today: date | None) -> int:
    from .build import PublishRefused
    from .generator import GenerateError, SiteSource, generate as generate_site_source, read_config
    from .render import template_environment

    config = _site_config(config_file)
    policy = policy_from_options(config.plugins["postmortems"].config)
    custom_dir = config.theme.custom_dir
    source = SiteSource(config_file, read_config(config_file), Path(config.docs_dir), config_file.parent / policy.folder,
                        [Path(custom_dir)] if custom_dir else [])
    kb = load_knowledge_base(source.folder, policy, today=today)
    try:
        written, warnings = generate_site_source(kb, source, template_environment(config.theme.dirs), out,
                                                 config.use_directory_urls, config.site_name, config.site_url or "")
    except GenerateError as error:
        raise ConfigError(str(error)) from None
    except PublishRefused as refusal:
        report(kb.diagnostics, len(kb.postmortems) + len(kb.rejected))
        click.echo(f"error: {refusal}", err=True)
        return 1
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    code = report(kb.diagnostics, len(kb.postmortems) + len(kb.rejected), strict=strict)
    click.echo(f"wrote {out} ({len(written)} files): build it with `zensical build -f {out / 'mkdocs.yml'}`", err=True)
    return code


def _watched(config_file: Path) -> list[Path]:
    """What a site source is made from: the config (and what it inherits), docs_dir, the postmortems folder and
    the theme's custom_dir."""
    from .generator import inherited

    config = _site_config(config_file)
    policy = policy_from_options(config.plugins["postmortems"].config)
    paths = [config_file, Path(config.docs_dir), config_file.parent / policy.folder]
    return paths + inherited(config_file) + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])


def _signature(paths: list[Path]) -> frozenset:
    """Every file below `paths` with its size and modification time: a change to any of them changes it."""
    found = set()
    for top in paths:
        walked = [(str(top), [], [""])] if top.is_file() else os.walk(top)
        for folder, _, names in walked:
            for name in names:
                path = os.path.join(folder, name) if name else folder
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                found.add((path, stat.st_size, stat.st_mtime_ns))
    return frozenset(found)


def _repository(config_file: Path | None) -> Path:
    """Where to ask git: the folder of the config file (the current one by default)."""
    return config_file.parent if config_file else Path(".")


@contextmanager
def _git_answers(option: str):
    """What git cannot answer (no repository, an unknown ref) is a usage error of `option`: exit 2."""
    try:
        yield
    except ChangesError as error:
        raise click.BadParameter(str(error), param_hint=option) from None


if __name__ == "__main__":
    main()

"""The `postmortems` command: click options in, core functions out (the same core the plugin calls)."""

from __future__ import annotations

import getpass
import json
import logging
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import click

from .diagnostics import Diagnostic, Level
from .knowledge import discover, load_knowledge_base
from .policy import Policy, policy_from_options
from .scaffold import new_postmortem
from .site import slugify
from .schema import json_schema

_GITHUB_COMMAND = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


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
    plugin = config.plugins.get("postmortems")
    if plugin is None:
        raise ConfigError(f"{config_file} does not enable the `postmortems` plugin")
    policy = policy_from_options(plugin.config)
    return policy, config_file.parent / policy.folder


def _parse_day(ctx, param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"`{value}` is not a date YYYY-MM-DD") from None


config_option = click.option("-f", "--config-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                             help="The MkDocs config with the plugin's options (default: ./mkdocs.yml if present).")


@click.group()
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
def check(paths, config_file, output, strict, today):
    """Check postmortems (default: the configured folder). Exit 0 clean, 1 problems, 2 usage error."""
    policy, folder = load_policy(config_file)
    files = None
    if paths:
        found = (file for path in paths for file in (discover(path) if path.is_dir() else [path]))
        files = list({file.resolve(): file for file in found}.values())  # each file once, however named
    kb = load_knowledge_base(folder, policy, today=today, paths=files)
    checked = len(kb.postmortems) + len(kb.rejected)
    errors, warnings = kb.count(Level.ERROR), kb.count(Level.WARNING)
    if output == "json":
        click.echo(json.dumps({"postmortems": checked, "errors": errors, "warnings": warnings,
                               "diagnostics": [d.as_dict() for d in kb.diagnostics]}, indent=2))
    else:
        for diagnostic in kb.diagnostics:
            click.echo(format_github(diagnostic) if output == "github" else format_text(diagnostic))
        click.echo(f"{checked} postmortems, {errors} errors, {warnings} warnings",
                   err=output == "github")
    sys.exit(1 if errors or (strict and warnings) else 0)


def format_text(d: Diagnostic) -> str:
    """`path:line:col: level [code] message` and the hint on the next line."""
    text = f"{d.location()}: {d.level.value} [{d.code}] {d.message}"
    return f"{text}\n    hint: {d.hint}" if d.hint else text


def format_github(d: Diagnostic) -> str:
    """A GitHub Actions workflow command that annotates the line in the PR diff."""
    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    message = f"{d.message}. {d.hint}" if d.hint else d.message
    return (f"::{_GITHUB_COMMAND[d.level]} file={prop(d.path)},line={d.line},col={d.col},"
            f"title={prop(d.code)}::{data(message)}")


@main.command()
@click.argument("title")
@click.option("--severity", required=True, help="One of the configured severities, e.g. SEV2.")
@click.option("--service", "services", multiple=True, required=True, help="An affected service (repeatable).")
@click.option("--author", default=getpass.getuser, show_default="your login name", help="Who writes it.")
@click.option("--date", "day", callback=_parse_day, metavar="DATE", help="The UTC date impact started (default: today).")
@config_option
def new(title, severity, services, author, day, config_file):
    """Write a new draft postmortem from the template; never overwrites a file."""
    policy, folder = load_policy(config_file)
    if severity not in policy.severities:
        raise click.BadParameter(f"`{severity}` is not one of {', '.join(policy.severities)}", param_hint="--severity")
    unknown = [s for s in services if policy.service_names and s not in policy.service_names]
    if unknown:
        raise click.BadParameter(f"not in the service catalog: {', '.join(unknown)}", param_hint="--service")
    day = day or datetime.now(timezone.utc).date()
    path = folder / f"{day.isoformat()}-{slugify(title)}.md"
    if path.exists():
        raise click.ClickException(f"{path} already exists; pick another title or edit that file")
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(new_postmortem(title, severity, list(services), author, day, policy), encoding="utf-8")
    click.echo(f"wrote {path}; fill in the TODOs, then run `postmortems check {path}`")


@main.command()
@config_option
def schema(config_file):
    """Print the front matter's JSON Schema, with the configured scales and catalogs."""
    policy, _ = load_policy(config_file)
    click.echo(json.dumps(json_schema(policy), indent=2))


if __name__ == "__main__":
    main()

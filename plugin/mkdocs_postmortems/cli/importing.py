"""`postmortems import`: records from another tool, written into the configured folder."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from ..importers import IMPORTERS, import_sources
from ..importers.records import report_text
from .options import config_option, load_policy, parse_day


def parse_key_map(ctx, param, value: str | None) -> dict[str, str]:
    """`ours=theirs,...` as a mapping; a pair without `=` or with an empty side is a usage error."""
    pairs: dict[str, str] = {}
    for pair in filter(None, (part.strip() for part in (value or "").split(","))):
        ours, sep, theirs = (side.strip() for side in pair.partition("="))
        if not (sep and ours and theirs):
            raise click.BadParameter(f"`{pair}` is not OURS=THEIRS (e.g. `started=date`)")
        pairs[ours] = theirs
    return pairs


def _formats() -> str:
    """`cstate` (what it reads), `statuspage` (...) or `markdown` (...): every importer, in the registry's order."""
    named = [f"`{name}` ({importer.format.reads})" for name, importer in IMPORTERS.items()]
    return ", ".join(named[:-1]) + " or " + named[-1] if len(named) > 1 else "".join(named)


@click.command(
    "import",
    help=f"""Import records from another tool into the configured folder: {_formats()}.
    Re-running updates the same files; a file edited since its import is kept unless --force. Prints a report per
    file, and the services to add to mkdocs.yml. Exit 0 when every source was imported, 1 when some need a person
    first, 2 usage error.""",
)
@click.argument("format_name", metavar="FORMAT", type=click.Choice(sorted(IMPORTERS)))
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@config_option
@click.option("--dry-run", is_flag=True, help="Report what would be written; write nothing.")
@click.option("--force", is_flag=True, help="Overwrite records a person edited since they were imported.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--today", callback=parse_day, metavar="DATE", help="The import date (default: today, UTC).")
@click.option(
    "--map",
    "key_map",
    callback=parse_key_map,
    metavar="OURS=THEIRS,...",
    help="The source's own front-matter keys for ours, e.g. `--map started=date,title=name`.",
)
def import_command(format_name, sources, config_file, dry_run, force, output, today, key_map):
    policy, folder = load_policy(config_file)
    today = today or datetime.now(timezone.utc).date()
    reports = import_sources(
        format_name, list(sources), folder, policy, today, dry_run=dry_run, force=force, key_map=key_map
    )
    catalog = IMPORTERS[format_name].catalog
    snippet = catalog(sources, policy) if catalog else ""
    if output == "json":
        click.echo(json.dumps({"files": [r.as_dict() for r in reports], "catalog": snippet}, indent=2))
    else:
        click.echo(report_text(reports))
        if snippet:
            click.echo("\nAdd these services to the `postmortems` plugin in mkdocs.yml, then import again:\n")
            click.echo("\n".join("      " + line for line in snippet.rstrip().split("\n")))
    sys.exit(1 if any(r.action == "skipped" for r in reports) else 0)

"""`postmortems import`: records from another tool, written into the configured folder, and with `--add-services`
the services they name written into the catalog first (`postmortems init --from` runs the same)."""

from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import click
import yaml

from ..catalog import CatalogEditError, Plan, add_services, plan
from ..importers import IMPORTERS, FileReport, import_sources
from ..importers.records import catalog_snippet, report_text
from ..policy import Policy, Service
from .options import ConfigError, config_option, format_option, load_policy, parse_day


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
    file, and the services to add to mkdocs.yml (--add-services adds them). Exit 0 when every source was imported, 1
    when some need a person first, 2 usage error.""",
)
@click.argument("format_name", metavar="FORMAT", type=click.Choice(sorted(IMPORTERS)))
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@config_option
@click.option(
    "--add-services",
    is_flag=True,
    help="First add the services the sources name that the catalog lacks to the plugin's `services:` in the config "
    "file (its comments and order kept; a catch-all such as `All systems` is no service), then import with them.",
)
@click.option("--dry-run", is_flag=True, help="Report what would be written; write nothing.")
@click.option("--force", is_flag=True, help="Overwrite records a person edited since they were imported.")
@format_option("text", "json")
@click.option("--today", callback=parse_day, metavar="DATE", help="The import date (default: today, UTC).")
@click.option(
    "--map",
    "key_map",
    callback=parse_key_map,
    metavar="OURS=THEIRS,...",
    help="The source's own front-matter keys for ours, e.g. `--map started=date,title=name`.",
)
def import_command(format_name, sources, config_file, add_services, dry_run, force, output, today, key_map):
    if add_services and config_file is None:
        config_file = Path("mkdocs.yml")
    imported = run_import(
        format_name,
        list(sources),
        config_file,
        today or datetime.now(timezone.utc).date(),
        add_services=add_services,
        dry_run=dry_run,
        force=force,
        key_map=key_map,
    )
    echo_imported(imported, output)
    sys.exit(imported.exit_code)


@dataclass(frozen=True)
class Imported:
    """What an import did: a report per record or source; the importer's catalog proposal (`plan`: what the
    catalog lacks, and what was left out and why); the config file the services were added to, if they were."""

    reports: list[FileReport]
    catalog: Plan
    added_to: Path | None = None

    @property
    def exit_code(self) -> int:
        return 1 if any(report.action == "skipped" for report in self.reports) else 0

    def snippet(self) -> str:
        """The services still to add to mkdocs.yml, as YAML; empty once added."""
        added = () if self.added_to else self.catalog.added
        return catalog_snippet((e["name"], e.get("description", ""), e.get("component", "")) for e in added)


def run_import(
    format_name: str,
    sources: list[Path],
    config_file: Path | None,
    today: date,
    *,
    add_services: bool = False,
    dry_run: bool = False,
    force: bool = False,
    key_map: dict[str, str] | None = None,
) -> Imported:
    """Import `sources` into the folder `config_file` configures; with `add_services`, first add the services
    they name that the catalog lacks to `config_file`, so that the records are checked against them."""
    if add_services and (config_file is None or not config_file.is_file()):
        raise ConfigError(
            f"--add-services writes the services into {config_file or 'mkdocs.yml'}, which does not exist: "
            "`postmortems init` writes one, or name yours with -f"
        )
    policy, folder = load_policy(config_file)
    proposed = yaml.safe_load(IMPORTERS[format_name].proposal(sources, policy, key_map) or "{}")
    proposal = plan(proposed.get("services") or [], policy.services)
    added_to = None
    if add_services and proposal.added and config_file:
        policy, folder = _add_to_catalog(config_file, proposal.added, policy, dry_run)
        added_to = config_file
    reports = import_sources(format_name, sources, folder, policy, today, dry_run=dry_run, force=force, key_map=key_map)
    return Imported(reports, proposal, added_to)


def _add_to_catalog(config_file: Path, entries: tuple[dict, ...], policy: Policy, dry_run: bool) -> tuple[Policy, Path]:
    """Write `entries` into `config_file`'s catalog (in a dry run, only into the policy) and read it back; a
    config the edit leaves invalid is put back as it was."""
    raw = config_file.read_bytes()
    before = raw.decode("utf-8", errors="replace").replace("\r\n", "\n")
    try:
        after = add_services(before, entries, str(config_file))
    except CatalogEditError as error:
        raise ConfigError(str(error)) from None
    if dry_run:
        fields = {field.name for field in dataclasses.fields(Service)}
        services = tuple(Service(**{k: v for k, v in e.items() if k in fields}) for e in entries)
        return dataclasses.replace(policy, services=policy.services + services), config_file.parent / policy.folder
    config_file.write_bytes(after.replace("\n", "\r\n").encode() if b"\r\n" in raw else after.encode())
    try:
        return load_policy(config_file)
    except ConfigError:
        config_file.write_bytes(raw)
        raise


def echo_imported(imported: Imported, output: str = "text") -> None:
    """The report of an import: JSON, or a line per service added or left out, then a line per file."""
    left_out = [{"service": entry, "reason": reason} for entry, reason in imported.catalog.left_out]
    if output == "json":
        added = list(imported.catalog.added) if imported.added_to else []
        files = [report.as_dict() for report in imported.reports]
        click.echo(
            json.dumps({"files": files, "catalog": imported.snippet(), "added": added, "left_out": left_out}, indent=2)
        )
        return
    for entry in imported.catalog.added if imported.added_to else ():
        component = f" (component {entry['component']})" if entry.get("component") else ""
        click.echo(f"added to {imported.added_to}: the service `{entry['name']}`{component}")
    for entry, reason in imported.catalog.left_out:
        click.echo(f"left out of the catalog: `{entry.get('component') or entry['name']}`: {reason}")
    click.echo(report_text(imported.reports))
    snippet = imported.snippet()
    if snippet:
        click.echo(
            "\nAdd these services to the `postmortems` plugin in mkdocs.yml (or import again with --add-services, "
            "which adds them):\n"
        )
        click.echo("\n".join("      " + line for line in snippet.rstrip().split("\n")))

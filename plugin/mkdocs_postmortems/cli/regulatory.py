"""`postmortems regulatory`: the regulators' stage reports, drafted from a postmortem (`regulatory_report.py`)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..knowledge import discover, load_knowledge_base, load_postmortem
from ..moments import build_moment
from ..policy import REGIMES
from ..regulatory_report import NotApplicable, ReportError, draft, report_json, report_markdown
from .options import config_option, format_option, load_policy, parse_day


@click.group()
def regulatory():
    """The regulators' reports of an incident: DORA, NIS2, GDPR art. 33 and SEC Form 8-K Item 1.05, as configured in
    `regulatory.regimes` for the services `services[].regulated` names (see docs/regulatory-reporting.md)."""


@regulatory.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--regime", required=True, type=click.Choice(REGIMES), help="The regime whose report it is.")
@click.option(
    "--stage",
    required=True,
    metavar="STAGE",
    help="dora: initial, intermediate, final; nis2: early-warning, notification, final; gdpr: notification; "
    "sec-8k: 8-k.",
)
@format_option("markdown", "json", help="Markdown, a section per field, or JSON.")
@click.option(
    "--output",
    "destination",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    metavar="PATH",
    help="Write the report to PATH instead of printing it.",
)
@click.option("--today", callback=parse_day, metavar="DATE", help="Judge the clocks as on DATE (YYYY-MM-DD).")
@config_option
def report(file, regime, stage, output, destination, today, config_file):
    """Draft REGIME's STAGE report on the postmortem FILE: the fields of the published text in its order, each filled
    from the record where it says it (times, services, impact, root causes, recurring causes from the knowledge
    base, action items with owners and due dates, this stage's clock, earlier reports' references), and what is still
    missing with the front-matter key that would fill it. Exit 1 if FILE cannot be read or REGIME does not apply to
    it, 2 on a usage error."""
    policy, folder = load_policy(config_file)
    now = build_moment(today)
    pm, problems = load_postmortem(file, str(file), policy) if file.is_file() else (None, [])
    if pm is None:
        reason = problems[0].message if problems else "no such file"
        raise click.ClickException(f"{file} cannot be read: {reason}")
    rest = [path for path in discover(folder) if path.resolve() != file.resolve()]  # FILE is read once, above
    others = load_knowledge_base(folder, policy, today=now.date(), paths=rest).postmortems if rest else []
    try:
        drafted = draft(pm, policy, regime, stage, now, others)
    except NotApplicable as error:
        raise click.ClickException(str(error)) from None
    except ReportError as error:
        raise click.BadParameter(str(error), param_hint="--stage") from None
    text = (
        json.dumps(report_json(drafted), indent=2, ensure_ascii=False) + "\n"
        if output == "json"
        else report_markdown(drafted)
    )
    if destination is None:
        click.echo(text, nl=False)
        return
    try:
        destination.write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write {destination}: {error.strerror or error}") from None
    click.echo(f"wrote {destination}: {len(drafted.missing)} of {len(drafted.fields)} fields still missing", err=True)

"""`postmortems report`: a period's review against the period before it, as Markdown or JSON."""

from __future__ import annotations

import json

import click

from ..kb_site.indexes import build_indexes
from ..kb_site.review_report import review_json, review_markdown
from ..kb_site.reviews import Reviewer, parse_period, shown_postmortems, span
from ..knowledge import load_knowledge_base
from .options import config_option, format_option, load_policy, parse_day


@click.command()
@click.option("--period", metavar="PERIOD", help="A quarter (2026-Q3), a month (2026-09) or a year (2026).")
@click.option("--from", "start", callback=parse_day, metavar="DATE", help="With --to: the first day of the period.")
@click.option("--to", "end", callback=parse_day, metavar="DATE", help="With --from: the last day of the period.")
@config_option
@format_option("markdown", "json", help="Markdown with the definitions as footnotes, or JSON.")
@click.option("--today", callback=parse_day, metavar="DATE", help="Make the report as on DATE (YYYY-MM-DD).")
def report(period, start, end, config_file, output, today):
    """Review a period against the one before it: incidents by severity and by service, time to detect, mitigate
    and resolve, recurring causes, action items opened, closed and overdue and their completion by owner, fixes
    that did not hold, communications owed, and each public component's availability against its target
    (`status_page.targets`). The period before a quarter, month or year is the one of the same kind before it;
    before --from/--to, as many days just before. Every figure's definition is printed with it."""
    if (period is None) == (start is None and end is None):
        raise click.UsageError("give --period, or --from and --to")
    if period is None and (start is None or end is None):
        raise click.UsageError("give both --from and --to")
    try:
        chosen = parse_period(period) if period is not None else span(start, end)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--period" if period is not None else "--from/--to") from None
    policy, folder = load_policy(config_file)
    kb = load_knowledge_base(folder, policy, today=today)
    review = Reviewer(kb, build_indexes(shown_postmortems(kb), policy, kb.today)).review(chosen)
    if output == "json":
        click.echo(json.dumps(review_json(review), indent=2, ensure_ascii=False))
    else:
        click.echo(review_markdown(review), nl=False)

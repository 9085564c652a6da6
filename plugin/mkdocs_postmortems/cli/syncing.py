"""`postmortems sync`: the action items against the tickets they link to, in the configured trackers."""

from __future__ import annotations

import json
import os
import sys

import click

from ..knowledge import load_knowledge_base
from .options import ConfigError, config_option, format_option, load_policy, parse_day, seconds_option


@click.command()
@config_option
@format_option(
    "text", "json", help="json: {drift: [{path, line, link, field, ours, theirs}], not_synced, created, written}."
)
@click.option(
    "--write",
    is_flag=True,
    help="Take the tickets' side in the front matter (status, closed, owner) and record each item's `synced` day, "
    "line by line, for a commit to review.",
)
@click.option(
    "--create",
    is_flag=True,
    help="Open a ticket for each open action item without a `link`, in the first tracker with `create_in`, and "
    "write its link.",
)
@click.option(
    "--max-create",
    type=click.IntRange(min=0, max=1000),
    default=20,
    show_default=True,
    help="With --create: the most tickets one run opens.",
)
@seconds_option("--timeout", 10.0, "How long one request may take in all.", minimum=0.1, maximum=300)
@seconds_option(
    "--max-time",
    300.0,
    "How long the whole run may take; tickets not read by then are reported, not synced.",
    minimum=1,
)
@seconds_option(
    "--max-wait",
    60.0,
    "The most time spent waiting for rate limits in all; a tracker that asks for more is not read further.",
)
@click.option("--today", callback=parse_day, metavar="DATE", help="The day to write in `synced` (default: today, UTC).")
def sync(config_file, output, write, create, max_create, timeout, max_time, max_wait, today):
    """Compare each action item of the folder with the ticket it links to in the configured `trackers` (GitHub,
    GitLab, Jira): status, closed date and owner. Reports each drift (`action-item-drift`) and each ticket that could not be read
    (gone, private, unreachable, rate limited), which never changes the file.

    Exit 0 when the items match their tickets (or --write made them match), 1 when drift is left or a ticket could
    not be read, 2 usage error. Builds never read a tracker: run this on a schedule and commit what --write changes.
    """
    from ..sync import run_sync
    from ..trackers import Budget, redact, secrets_of

    policy, folder = load_policy(config_file)
    if not policy.trackers:
        raise ConfigError("no `trackers` are configured: add them to the plugin's options (see docs/trackers.md)")
    kb = load_knowledge_base(folder, policy, today=today)
    budget = Budget(timeout=timeout, total=max_time, max_wait=max_wait)
    report = run_sync(
        kb.postmortems, policy, os.environ, budget, kb.today, write=write, create=create, max_create=max_create
    )
    secrets = secrets_of(policy.trackers, os.environ)

    def say(text: str, err: bool = False) -> None:
        click.echo(redact(text, secrets), err=err)

    if output == "json":
        say(
            json.dumps(
                {
                    "drift": [each.as_dict() for each in report.drifts],
                    "not_synced": [each.as_dict() for each in report.not_synced],
                    "created": [each.as_dict() for each in report.created],
                    "written": report.written,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for each in report.created:
            verb = "found the ticket opened before" if each.found else "opened"
            say(f"{each.path}:{each.line}: {verb} {each.link} for “{each.title}”")
        for drift in report.drifts:
            say(
                drift.diagnostic.text()
                + ("\n    written: the file now says what the ticket says" if drift.written else "")
            )
        for missing in report.not_synced:
            say(f"{missing.path}:{missing.line}: {missing.link or 'no link'}: {missing.reason}")
        for path in report.written:
            say(f"wrote {path}")
        say(
            f"{report.read} action items read from their tickets, {len(report.drifts)} drifts"
            f"{f' ({sum(d.written for d in report.drifts)} written)' if write else ''}, "
            f"{len(report.not_synced)} not synced"
            + (f", {report.untracked} linking no configured tracker" if report.untracked else ""),
            err=False,
        )
    sys.exit(1 if report.failed else 0)

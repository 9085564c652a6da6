"""The commands that load a site's whole MkDocs config: `notify`, after a deploy of the status site, and
`generate`, a site source for an engine without plugins (once, or again on every change with `--watch`)."""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

import click

from ..knowledge import load_knowledge_base
from .check import report
from .options import ConfigError, config_option, parse_day, seconds_option, site_of


@click.command()
@click.option(
    "--previous",
    "previous_source",
    required=True,
    metavar="PATH_OR_URL",
    help="The previous deploy's api/v2/incidents.json, e.g. https://status.example.com/api/v2/incidents.json.",
)
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The new build (default: the config's site_dir, e.g. site-public).",
)
@click.option("--dry-run", is_flag=True, help="Print what would be sent to each webhook; send nothing.")
@seconds_option(
    "--timeout",
    10.0,
    "How long one request may take in all, from resolving the host to its last byte (not per read).",
    minimum=0.1,
)
@click.option(
    "--retries",
    type=click.IntRange(min=0, max=10),
    default=3,
    show_default=True,
    help="Retries after a network error, a timeout, 429 or a 5xx.",
)
@seconds_option("--backoff", 1.0, "The wait before the first retry; it doubles each time, up to 30 s.")
@config_option
def notify(previous_source, site_dir, dry_run, timeout, retries, backoff, config_file):
    """For CI after a deploy of the status site: send the updates the new build added since the previous
    deploy to the webhooks of `status_page.webhooks`.

    Exit 0 when every webhook got them (or nothing changed); 1 when a webhook failed after its retries, or a document
    could not be read or is not an incidents.json; 2 usage error, such as a `--previous` URL that is not http(s) or a
    webhook whose URL or secret cannot be used (then nothing is sent). Reading `--previous` takes at most TIMEOUT,
    each webhook at most (RETRIES + 1) x TIMEOUT plus the waits between attempts. No message shows a webhook's URL,
    a secret, or the user, password or query of the `--previous` URL.
    """
    from ..status_site import notify as hooks

    if hooks.is_url(previous_source):
        problem = hooks.url_problem(previous_source)
        if problem:
            raise click.BadParameter(
                f"the URL {problem} (not shown: it may hold credentials)", param_hint="'--previous'"
            )
    elif hooks.looks_like_a_url(previous_source) and not os.path.lexists(previous_source):
        raise click.BadParameter(
            "names no file, and looks like a URL without its scheme (not shown: it may hold "
            "credentials); write it with https:// or give the path of a file",
            param_hint="'--previous'",
        )
    previous_shown = hooks.shown_source(previous_source)
    config_file = config_file or Path("mkdocs.public.yml")
    if not config_file.is_file():
        raise ConfigError(f"{config_file} not found: give the status site's config with -f/--config-file")
    config, policy = site_of(config_file)
    targets, problems = hooks.targets(policy.webhooks, os.environ)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        raise ConfigError(f"{len(problems)} of {len(policy.webhooks)} webhook(s) cannot be used; nothing sent")
    current_path = (site_dir or Path(config.site_dir)) / "api" / "v2" / "incidents.json"
    try:
        current = hooks.read_document(str(current_path), timeout)
        if current is None:
            raise click.ClickException(f"{current_path} not found: build the status site first")
        previous = hooks.read_document(previous_source, timeout)
    except hooks.NotifyError as error:
        raise click.ClickException(str(error)) from None
    if previous is None:
        click.echo(f"{previous_shown} not found: a first deploy, so there is nothing to compare; nothing sent")
        return
    found = hooks.changes(previous, current)
    if not found:
        click.echo("nothing changed in the public feed; nothing sent")
        return
    if not targets:
        click.echo(f"{len(found)} change(s), but `status_page.webhooks` lists no webhook; nothing sent")
        return
    click.echo(f"{len(found)} change(s) since the previous deploy")
    failed = 0
    for target in targets:
        body = hooks.payload(target.webhook, current.get("page") or {}, found)
        headers = target.headers(body)
        if dry_run:
            click.echo(f"{target.name}: would POST {len(body)} bytes{' (signed)' if headers else ''}:")
            click.echo(body.decode("utf-8"))
            continue
        try:
            attempts = hooks.send(
                target.url,
                body,
                headers,
                timeout,
                retries,
                backoff,
                log=lambda message, name=target.name: click.echo(f"{name}: {message}", err=True),
            )
            click.echo(f"{target.name}: sent ({attempts} attempt{'s' if attempts != 1 else ''})")
        except hooks.NotifyError as error:
            click.echo(f"{target.name}: failed: {error}", err=True)
            failed += 1
    if failed:
        raise click.ClickException(f"{failed} of {len(targets)} webhook(s) failed; the others were sent")


@click.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@config_option
@click.option("--strict", is_flag=True, help="Fail on warnings too, like `mkdocs build --strict`.")
@click.option("--today", callback=parse_day, metavar="DATE", help="Judge due dates against DATE (YYYY-MM-DD).")
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running, and generate again whenever the postmortems, the docs or "
    "the configuration change (for `zensical serve -f OUT/mkdocs.yml`).",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=1.0,
    show_default=True,
    metavar="SECONDS",
    help="With --watch: how often to look for changes.",
)
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
    from ..build import PublishRefused
    from ..generator import GenerateError, SiteSource, generate as generate_site_source, read_config
    from ..render import template_environment

    config, policy = site_of(config_file)
    custom_dir = config.theme.custom_dir
    source = SiteSource(
        config_file,
        read_config(config_file),
        Path(config.docs_dir),
        config_file.parent / policy.folder,
        [Path(custom_dir)] if custom_dir else [],
    )
    # display paths relative to the site's folder, as the plugin has them: pages and exports that show a file agree
    kb = load_knowledge_base(source.folder, policy, base=config_file.parent, today=today)
    try:
        written, warnings = generate_site_source(
            kb,
            source,
            template_environment(config.theme.dirs),
            out,
            config.use_directory_urls,
            config.site_name,
            config.site_url or "",
        )
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
    from ..generator import inherited

    config, policy = site_of(config_file)
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

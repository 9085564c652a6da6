"""The commands that read postmortems and change nothing: `check` and its output formats, `public-diff`, `schema`
and `pr-summary`."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from ..diagnostics import Diagnostic, Level
from ..knowledge import KnowledgeBase, discover, load_knowledge_base
from ..model import Postmortem
from ..policy import Policy
from ..pull_requests.changes import (
    ChangesError,
    blob_ids,
    changed_paths,
    changed_postmortems,
    diagnostics_of_changes,
    knowledge_base_of_changes,
    merge_base,
    text_at,
)
from ..pull_requests.scan_cache import ScanCache, cache_file
from .options import config_option, format_option, load_policy, parse_day

_GITHUB_COMMAND = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@config_option
@format_option("text", "github", "json", help="github = GitHub Actions annotations on the PR diff.")
@click.option("--strict", is_flag=True, help="Fail on warnings too, like `mkdocs build --strict`.")
@click.option("--today", callback=parse_day, metavar="DATE", help="Judge due dates against DATE (YYYY-MM-DD).")
@click.option(
    "--changed-since",
    metavar="REF",
    help="Only postmortems changed since where HEAD's branch left REF (e.g. origin/main), and the "
    "problems elsewhere that involve them. Not with PATHS.",
)
@click.option(
    "--whole-folder",
    is_flag=True,
    help="With PATHS: load the whole configured folder, so facts across files (people, IDs, related) are "
    "known, but report only the problems of PATHS and those elsewhere that involve them (the "
    "pre-commit hook's way).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="With --changed-since: neither read nor write the scans of unchanged files kept in the user's "
    "cache folder ($XDG_CACHE_HOME or ~/.cache, mkdocs-postmortems/).",
)
def check(paths, config_file, output, strict, today, changed_since, whole_folder, no_cache):
    """Check postmortems (default: the configured folder). Exit 0 clean, 1 problems, 2 usage error.

    With --changed-since REF, as in a pull request against REF: only the files changed since the merge
    base of REF and HEAD, and those naming them, are parsed (the others are scanned for the people and
    dates the rules across files need; each scan is kept in the user's cache folder by git blob, so the next
    run reads no unchanged file), and only the problems of the changed files are reported (committed,
    staged, unstaged or untracked, deleted ones included), plus the problems in other files that involve a
    changed or deleted postmortem: a `related` entry naming it, a `duplicate-id` with it. The count is of
    the changed files that still exist. A REF git does not know, or no git repository, is a usage error.
    """
    if changed_since is not None and paths:
        raise click.UsageError("give PATHS or --changed-since, not both")
    policy, folder = load_policy(config_file)
    changed = scans = None
    if changed_since is not None:
        repo = _repository(config_file)
        with _git_answers("--changed-since"):
            base = merge_base(repo, changed_since)
            changed = changed_paths(repo, base, folder)
            scans = ScanCache(None if no_cache else cache_file(repo), blob_ids(repo, base, folder))
    files = given = None
    if paths:
        found = (file for path in paths for file in (discover(path) if path.is_dir() else [path]))
        files = given = list({file.resolve(): file for file in found}.values())  # each file once, however named
    if whole_folder and files is not None:
        changed, files = files, None
    if changed is not None:  # only what the change involves is parsed; the other files are scanned
        kb = knowledge_base_of_changes(folder, policy, changed, today=today, scans=scans)
        diagnostics, checked = (
            diagnostics_of_changes(kb, changed),
            sum(1 for path in changed if os.path.lexists(path) and not os.path.isdir(path)),
        )
    else:
        kb = load_knowledge_base(folder, policy, today=today, paths=files)
        diagnostics, checked = kb.diagnostics, len(kb.postmortems) + len(kb.rejected)
    code = report(diagnostics, checked, output, strict)
    if output == "text" and changed_since is None:
        _similar_to_what_is_checked(kb, folder, policy, today, given)
    sys.exit(code)


def _similar_to_what_is_checked(
    kb: KnowledgeBase, folder: Path, policy: Policy, today: date | None, given: list[Path] | None
) -> None:
    """After `check`'s text: the past incidents most like each draft (of the whole folder) or each file given, among
    every postmortem of the folder: a check of files given loads the others for it, each file read once."""
    if given is None:
        shown, corpus = [pm for pm in kb.postmortems if pm.status == "draft"], kb.postmortems
    else:
        wanted = {path.resolve() for path in given}
        shown = [pm for pm in kb.postmortems if Path(pm.path).resolve() in wanted]
        others = [path for path in discover(folder) if path.resolve() not in wanted] if shown else []
        corpus = shown + (load_knowledge_base(folder, policy, today=today, paths=others).postmortems if others else [])
    if shown:
        print_similar(shown, corpus, lambda pm: f"Similar past incidents for {pm.path}:")


def print_similar(shown: list[Postmortem], corpus: list[Postmortem], heading: Callable[[Postmortem], str]) -> None:
    """For each of `shown`, the postmortems of `corpus` whose text is closest to its own (`similarity.closest`, from
    `WORTH_SHOWING`), under `heading(pm)`: title, ID, score and the words they share; nothing for one with none."""
    from ..similarity import WORTH_SHOWING, SimilarityIndex, closest

    index = SimilarityIndex(corpus)
    for pm in shown:
        found = closest(index.most_similar(pm.id), WORTH_SHOWING)
        if found:
            click.echo(heading(pm))
        for similar in found:
            title = " ".join(similar.title.split())  # one line: a title never starts a line of its own
            click.echo(f"  - {title} ({similar.id}), {similar.score:.2f}: {', '.join(similar.shared_words)}")


def report(diagnostics: list[Diagnostic], checked: int, output: str = "text", strict: bool = False) -> int:
    """Print the diagnostics as `check` does; the exit code: 1 on errors (or warnings with `strict`), else 0."""
    errors, warnings = (sum(1 for d in diagnostics if d.level is level) for level in (Level.ERROR, Level.WARNING))
    if output == "json":
        click.echo(
            json.dumps(
                {
                    "postmortems": checked,
                    "errors": errors,
                    "warnings": warnings,
                    "diagnostics": [d.as_dict() for d in diagnostics],
                },
                indent=2,
            )
        )
    else:
        for diagnostic in diagnostics:
            click.echo(format_github(diagnostic) if output == "github" else format_text(diagnostic))
        click.echo(f"{checked} postmortems, {errors} errors, {warnings} warnings", err=output == "github")
    return 1 if errors or (strict and warnings) else 0


def format_text(d: Diagnostic) -> str:
    """`path:line:col: level [code] message` and the hint on the next line (`Diagnostic.text`, whose headline the
    plugin logs too); each value on one line, so no value (a title with a newline) can start a line of its own, such
    as a GitHub Actions `::error` command."""
    return d.text()


def format_github(d: Diagnostic) -> str:
    """A GitHub Actions workflow command that annotates the line in the PR diff."""

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    message = f"{d.message}. {d.hint}" if d.hint else d.message
    return (
        f"::{_GITHUB_COMMAND[d.level]} file={prop(d.path)},line={d.line},col={d.col},"
        f"title={prop(d.code)}::{data(message)}"
    )


@click.command("public-diff")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@config_option
def public_diff(paths, config_file):
    """Print exactly what would go public for the given postmortems (default: all), with every leak the gate
    finds. Exit 0 clean, 1 when public text leaks, 2 usage error."""
    from ..status_site.public import public_text, public_view

    policy, folder = load_policy(config_file)
    kb = load_knowledge_base(folder, policy)  # the whole folder: the people the gate knows come from all of it
    wanted = {file.resolve() for path in paths for file in (discover(path) if path.is_dir() else [path])}
    shown = [pm for pm in kb.postmortems if not wanted or Path(pm.path).resolve() in wanted]
    leaks = [d for d in kb.diagnostics if d.code in ("public-leak", "communication-leak")]
    said = [d for d in kb.diagnostics if d.code in ("public-leak", "communication-leak", "already-public-leak")]
    for pm in shown:
        view = public_view(pm, policy)
        click.echo(f"== {pm.path} ({pm.status}) ==")
        if view is not None:
            click.echo(_public_now(pm))
        click.echo(public_text(view) if view else "Nothing goes public: no `public` block.")
        for finding in (d for d in said if d.path == pm.path):  # text public already: said, never failing
            click.echo(format_text(finding))
        click.echo("")
    shown_paths = {pm.path for pm in shown}
    sys.exit(1 if any(leak.path in shown_paths for leak in leaks) else 0)


def _public_now(pm) -> str:
    """What customers see of `pm` at the next deploy (`said.disclosed`), before the text of what it will show."""
    from ..status_site.said import disclosed, posts

    if pm.errors:
        return "Now: withheld, it has errors (see `postmortems check`). Once they are fixed:"
    shown = disclosed(pm)
    if shown == "record":
        return "Now: public, as below."
    if shown == "posts":
        count = len(posts(pm))
        return (
            f"Now: only its {count} status-page post{'s' if count != 1 else ''}, shown already; the rest goes "
            "public once it is published:"
        )
    return "Now: nothing; once it is published:"


@click.command()
@config_option
def schema(config_file):
    """Print the front matter's JSON Schema, with the configured scales and catalogs."""
    from ..parsing.schema import json_schema

    policy, _ = load_policy(config_file)
    click.echo(json.dumps(json_schema(policy), indent=2))


@click.command("pr-summary")
@click.option(
    "--base", "ref", required=True, metavar="REF", help="What the pull request merges into, e.g. origin/main."
)
@format_option("markdown", help="markdown = GitHub-flavoured, for a pull-request comment.")
@click.option("--today", callback=parse_day, metavar="DATE", help="Judge due dates against DATE (YYYY-MM-DD).")
@config_option
def pr_summary(ref, output, today, config_file):
    """Print a pull-request comment on the postmortems changed since the merge base of REF and HEAD.

    For each one added, modified or deleted: its state and severity and how they changed, what the checks
    found, the reviewer checklist, the action items added, changed, closed or removed and the root causes
    added or removed, and what would go public. The comment starts with `<!-- postmortems-pr-summary -->`
    so a workflow can find and update it. Exit 0 once printed, whatever the checks found; 2 on usage errors.
    """
    from ..pull_requests.comment import render_pr_summary
    from ..similarity import LOOKS_LIKE, SimilarityIndex, closest

    policy, folder = load_policy(config_file)
    repo = _repository(config_file)
    with _git_answers("--base"):
        base = merge_base(repo, ref)
        changed = changed_paths(repo, base, folder)
        kb = load_knowledge_base(folder, policy, today=today)
        index = SimilarityIndex(kb.postmortems)
        changes, other_files = changed_postmortems(
            kb,
            changed,
            lambda path: text_at(repo, base, path),
            similar_to=lambda pm_id: closest(index.most_similar(pm_id), LOOKS_LIKE),
        )
    click.echo(render_pr_summary(changes, other_files), nl=False)


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

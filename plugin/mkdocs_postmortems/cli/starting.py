"""`postmortems init`: a new knowledge base in one command, and a history imported into it in the same step."""

from __future__ import annotations

import getpass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import click

from ..importers import IMPORTERS
from .importing import echo_imported, run_import
from .options import parse_day
from .writing import write_new


class InitCommand(click.Command):
    """`--from FORMAT SOURCE...`: a click option takes a fixed number of values, so the sources (every argument
    after the format, up to the next option) are taken out of the arguments here, into `ctx.meta`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        args = list(args)
        sources: list[str] = []
        for index, argument in enumerate(args):
            if argument == "--":
                break
            if argument == "--from" or argument.startswith("--from="):
                end = index + (1 if "=" in argument else 2)
                while end < len(args) and not args[end].startswith("-"):
                    sources.append(args.pop(end))
                break
        ctx.meta["init_sources"] = [Path(source) for source in sources]
        return super().parse_args(ctx, args)


def _requirement() -> str:
    from ..starter import PACKAGE, requirement

    distribution = metadata.distribution(PACKAGE)
    return requirement(distribution.version, distribution.read_text("direct_url.json"))


@click.command(cls=InitCommand)
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="Your company's or team's name, in the sites' titles (default: the folder's name).")
@click.option("--empty", is_flag=True, help="An empty service catalog and no first postmortem.")
@click.option(
    "--from",
    "format_name",
    type=click.Choice(sorted(IMPORTERS)),
    metavar="FORMAT SOURCE...",
    help="Import a history from another tool (as `postmortems import FORMAT SOURCE... --add-services`) instead of "
    "writing the example: its services become the catalog.",
)
@click.option("--author", default=getpass.getuser, show_default="your login name", help="The first postmortem's.")
@click.option(
    "--today",
    callback=parse_day,
    metavar="DATE",
    help="Today, UTC: the first postmortem's date, or the import's (default: today).",
)
@click.pass_context
def init(ctx, folder, name, empty, format_name, author, today):
    """Write a new knowledge base into FOLDER (default: here) that checks and builds as written: mkdocs.yml and
    mkdocs.public.yml, the home page, a first postmortem, requirements.txt, a CI workflow and a pre-commit hook.
    Writes nothing if any of those files exists (exit 1). With --from, exit 1 also when a source needs a person
    first, as `import` says; exit 2 on a usage error."""
    from ..starter import starter_files

    sources = ctx.meta["init_sources"]
    if format_name and not sources:
        raise click.BadParameter("name the sources to import after the format", param_hint="--from")
    missing = [str(source) for source in sources if not source.exists()]
    if missing:
        raise click.BadParameter(f"no such file or folder: {', '.join(missing)}", param_hint="--from")
    today = today or datetime.now(timezone.utc).date()
    name = name or folder.absolute().resolve().name or "Our"
    files = starter_files(name, today, author, _requirement(), example=not (empty or format_name))
    taken = [folder / file.path for file in files if _taken(folder, file.path)]
    for path in taken:
        click.echo(f"exists: {path}", err=True)
    if taken:
        raise click.ClickException(
            f"{len(taken)} of the files init writes exist{'s' if len(taken) == 1 else ''} in {folder}; it wrote "
            "nothing, and never writes over a file: init a new folder, or move those files aside"
        )
    for file in files:
        path = folder / file.path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise click.ClickException(f"cannot create {path.parent}: {error.strerror or error}") from None
        write_new(path, file.text)
        click.echo(f"wrote {path}: {file.about}")
    exit_code = 0
    if format_name:
        imported = run_import(format_name, sources, folder / "mkdocs.yml", today, add_services=True)
        echo_imported(imported)
        exit_code = imported.exit_code
    here = "" if folder.absolute() == Path.cwd() else f"cd {folder} && "
    click.echo(f"\nNext: `{here}mkdocs serve` to browse it, `postmortems new` to write a postmortem.")
    ctx.exit(exit_code)


def _taken(folder: Path, relative: str) -> bool:
    """Whether anything is at `relative` (a dangling link too), or a file stands where one of its folders goes."""
    path = folder / relative
    if path.exists() or path.is_symlink():
        return True
    return any(parent.exists() and not parent.is_dir() for parent in path.parents)


__all__ = ["init"]

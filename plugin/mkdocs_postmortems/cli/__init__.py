"""The `postmortems` command: click options in, core functions out (the same core the plugin calls).

Each command's module is imported when that command runs (or `--help` lists them all), and what only some commands
need (the site builder, the generator, the scaffold, the importers and their templates) is imported by those
commands, so `check`, which a pre-commit hook runs on every commit, starts without them."""

from __future__ import annotations

import sys
import traceback
from collections import UserDict
from importlib import import_module

import click

INTERNAL_ERROR = 3  # a bug of ours, not a problem in a postmortem (1) nor a usage error (2)


class LazyCommands(UserDict):
    """Command name -> command, given as `"module:attribute"` in this package and imported the first time it is
    asked for: every name is known (to `--help`, "did you mean"), but running one command loads only its module."""

    def __getitem__(self, name: str) -> click.Command:
        command = self.data[name]
        if isinstance(command, str):
            module, attribute = command.split(":")
            command = self.data[name] = getattr(import_module(f".{module}", __name__), attribute)
        return command


class Commands(click.Group):
    """The commands, each run so that a crash is told apart from "problems found": an unexpected exception prints
    its traceback and a request to report it, and exits `INTERNAL_ERROR`, never 1, which a CI step reads as
    "the postmortems have problems"."""

    def invoke(self, ctx: click.Context):
        for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 prints as `�`, never a crash
            reconfigure = getattr(stream, "reconfigure", None)  # io.TextIOWrapper's; not every stream has it
            if callable(reconfigure) and getattr(stream, "errors", "") == "strict":
                reconfigure(errors="replace")
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:  # `postmortems check | head`: click closes quietly
            raise
        except Exception:
            click.echo(traceback.format_exc(), err=True, nl=False)
            click.echo(
                f"postmortems: internal error, please report it to the mkdocs-postmortems maintainers with the "
                f"traceback above and the command you ran (exit {INTERNAL_ERROR}).",
                err=True,
            )
            ctx.exit(INTERNAL_ERROR)


@click.group(
    cls=Commands,
    commands=LazyCommands(
        {
            "init": "starting:init",
            "check": "check:check",
            "public-diff": "check:public_diff",
            "schema": "check:schema",
            "pr-summary": "check:pr_summary",
            "new": "writing:new",
            "templates": "writing:templates",
            "incident": "writing:incident",
            "import": "importing:import_command",
            "notify": "publishing:notify",
            "sync": "syncing:sync",
            "generate": "publishing:generate",
            "report": "reporting:report",
            "regulatory": "regulatory:regulatory",
        }
    ),
)
@click.version_option(package_name="mkdocs-postmortems")
def main():
    """Validate and scaffold postmortems kept as Markdown with YAML front matter."""


__all__ = ["main"]

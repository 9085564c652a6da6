"""What the commands share: `-f/--config-file` and the policy and folder it configures, the `DATE` values, and the
`SECONDS` limits of the commands that talk to other hosts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..policy import Policy


class ConfigError(click.ClickException):
    """A config file that cannot be used: a usage error (exit 2), not a problem in a postmortem (exit 1)."""

    exit_code = 2


def load_policy(config_file: Path | None) -> tuple[Policy, Path]:
    """The policy configured in `config_file` (its options read as a build reads them) and the postmortems folder.

    With no `config_file` given: `mkdocs.yml` if there is one, else the defaults and `./postmortems`. The options
    are those of the whole `INHERIT` chain, as a build reads them (`mkdocs_config.resolved_options`).
    """
    if config_file is None:
        config_file = Path("mkdocs.yml")
        if not config_file.exists():
            return Policy(), Path("postmortems")
    from ..mkdocs_config import ConfigFileError, resolved_options

    try:
        policy = resolved_options(config_file).policy()
    except ConfigFileError as error:
        raise ConfigError(str(error)) from None
    return policy, config_file.parent / policy.folder


def site_of(config_file: Path):
    """(the whole config as MkDocs validates it for a build, the policy a build of it uses), for the commands that
    build or read a built site. A usage error if the file cannot be used."""
    from ..mkdocs_config import ConfigFileError, resolved_options, site_config

    try:
        return site_config(config_file), resolved_options(config_file).policy()
    except ConfigFileError as error:
        raise ConfigError(str(error)) from None


def parse_day(ctx, param, value: str | None) -> date | None:
    """The `DATE` of an option (`--today`, `--date`), YYYY-MM-DD; a usage error if it is not one."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"`{value}` is not a date YYYY-MM-DD") from None


config_option = click.option(
    "-f",
    "--config-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The MkDocs config with the plugin's options (default: ./mkdocs.yml if present).",
)


def seconds_option(flag: str, default: float, help: str, minimum: float = 0.0, maximum: float | None = None):
    """A `SECONDS` limit such as `--timeout`: a number of seconds within [minimum, maximum], its default shown."""
    return click.option(
        flag,
        type=click.FloatRange(min=minimum, max=maximum),
        default=default,
        show_default=True,
        metavar="SECONDS",
        help=help,
    )


def format_option(*formats: str, help: str | None = None):
    """`--format` among `formats`, the first the default, given to the command as `output`."""
    return click.option(
        "--format", "output", type=click.Choice(formats), default=formats[0], show_default=True, help=help
    )

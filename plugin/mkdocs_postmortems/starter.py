"""`postmortems init`: the files of a new knowledge base that works as written, as `mkdocs new` writes a site.

`starter_files()` gives each file's path and text, and what it is for; the command only refuses to write over
anything and writes them. The templates are `templates/init/`: the configs (`mkdocs.yml`, with the service catalog
and the date-driven rules at `info`, so that main does not turn red overnight on dates alone; `mkdocs.public.yml`,
which inherits it and passes the public build's gate), the home page with the dashboard, the status site's About
page, the pull-request workflow, a pre-commit hook that runs the installed `postmortems` (`repo: local`) and a
`.gitignore`; `requirements.txt` says where this mkdocs-postmortems was installed from (`requirement()`). The first
postmortem is a draft written by `postmortems new`'s own template (`scaffold.new_postmortem`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import jinja2

from .kb_site.urls import slugify
from .policy import Policy, Service
from .render import TEMPLATES
from .scaffold import new_postmortem, yaml_scalar

INIT = TEMPLATES / "init"
PACKAGE = "mkdocs-postmortems"
EXAMPLE_TITLE = "Our first postmortem"
EXAMPLE_SERVICE = Service(
    "website", "The customer-facing website: an example, to replace with your own services.", "Website"
)


@dataclass(frozen=True)
class StarterFile:
    """A file `postmortems init` writes: its path in the knowledge base (`/`-separated), its text, what it is."""

    path: str
    text: str
    about: str


# (path written, template in templates/init/, rendered with Jinja (else copied as it is), what it is)
_FILES = (
    ("mkdocs.yml", "mkdocs.yml", True, "the knowledge base's site: the plugin, its service catalog, rule levels"),
    ("mkdocs.public.yml", "mkdocs.public.yml", True, "the public status site, which inherits mkdocs.yml"),
    ("docs/index.md", "index.md", True, "the home page, with the dashboard"),
    ("docs/public/about.md", "about.md", False, "the status site's About page"),
    (".github/workflows/postmortems.yml", "workflow.yml", False, "checks and builds each pull request, and comments"),
    (".pre-commit-config.yaml", "pre-commit-config.yaml", False, "`postmortems check` before each commit"),
    (".gitignore", "gitignore", False, "keeps the built sites out of git"),
)


def starter_files(name: str, today: date, author: str, requirement: str, example: bool = True) -> list[StarterFile]:
    """Every file of a new knowledge base for `name` (a company or team), in the order they are reported; with
    `example`, a catalog of one service and a first postmortem (a draft dated `today` by `author`), else an empty
    catalog and an empty postmortems folder. `requirement` is `requirements.txt`'s text (`requirement()`)."""
    services = (EXAMPLE_SERVICE,) if example else ()
    variables = dict(name=name, site_name=f"{name} postmortems", status_name=f"{name} status", services=services)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(INIT)), undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
    env.filters["yaml"] = lambda value: yaml_scalar(str(value))
    files = [
        StarterFile(path, env.get_template(template).render(variables) if rendered else _read(template), about)
        for path, template, rendered, about in _FILES
    ]
    files.insert(4, StarterFile("requirements.txt", requirement, "what CI and everyone install: mkdocs-postmortems"))
    policy = Policy(services=services)
    if example:
        severity = policy.severities[min(2, len(policy.severities) - 1)]
        text = new_postmortem(EXAMPLE_TITLE, severity, [EXAMPLE_SERVICE.name], author, today, policy)
        path = f"{policy.folder}/{today.isoformat()}-{slugify(EXAMPLE_TITLE)}.md"
        files.append(StarterFile(path, text, "a first postmortem: a draft to fill in (checked, not shown yet)"))
    else:  # the folder must exist (`folder-missing`), and git keeps no empty folder
        files.append(StarterFile(f"{policy.folder}/.gitkeep", "", "keeps the postmortems folder, empty, in git"))
    return files


def _read(template: str) -> str:
    return (INIT / template).read_text(encoding="utf-8")


def requirement(version: str, direct_url: str | None) -> str:
    """`requirements.txt` naming this mkdocs-postmortems as it was installed (`direct_url`, the installed
    distribution's PEP 610 `direct_url.json`, None when it came from a package index): the same version from an
    index, the same commit of the same repository, or the same archive. One installed from a folder cannot be
    installed so elsewhere: the file says so, and what to write instead."""
    head = f"# The {PACKAGE} this knowledge base is built with; CI installs it from here (pin what you tested).\n"
    try:
        origin = json.loads(direct_url) if direct_url else {}
    except ValueError:
        origin = {}
    url = origin.get("url", "") if isinstance(origin, dict) else ""
    vcs = origin.get("vcs_info") if isinstance(origin, dict) else None
    if isinstance(vcs, dict) and url and vcs.get("commit_id"):
        return f"{head}{PACKAGE} @ {vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}\n"
    if url and "archive_info" in origin and not url.startswith("file:"):
        return f"{head}{PACKAGE} @ {url}\n"
    if url:  # a folder or a file of the machine that ran `postmortems init`
        return (
            f"{head}# It was installed from a folder of the machine that ran `postmortems init`, which CI cannot reach:\n"
            f"# name where to install it from instead, such as\n"
            f"#   {PACKAGE} @ git+https://<your git host>/<owner>/{PACKAGE}@<tag or commit>\n"
            f"{PACKAGE}=={version}\n"
        )
    return f"{head}{PACKAGE}=={version}\n"


__all__ = ["EXAMPLE_SERVICE", "StarterFile", "requirement", "starter_files"]

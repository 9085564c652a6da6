"""The documentation matches the code: fields, diagnostic codes, plugin options, Quick start, links."""

from __future__ import annotations

import json
import os
import re
import shlex
from datetime import date
from pathlib import Path

import pytest
import yaml
from mkdocs.config import config_options as c

from docs_support import DOCS, FENCE, README, ROOT, code_blocks, read, section, tables
from mkdocs_postmortems.checks.families import RULES
from mkdocs_postmortems.kb_site import urls as site
from mkdocs_postmortems.mkdocs_config import PostmortemsConfig, declared_options, item_options
from mkdocs_postmortems.parsing import schema
from site_support import build_site, run_cli

# Targets that do not exist in the repository but are fine to link to.
GENERATED = {
    DOCS / uri
    for uri in (  # pages the plugin generates
        "postmortems/index.md",
        site.ROOT_CAUSES,
        site.ACTION_ITEMS,
        site.SERVICES,
        site.METRICS,
        site.COMMUNICATIONS,
    )
}
# Screenshots the browser tests write with UPDATE_SCREENSHOTS=1; the README shows them.
SCREENSHOTS = {
    DOCS / "images" / "postmortem-page.png",
    DOCS / "images" / "postmortem-index.png",
}

TYPE_NAMES = {
    "string": "string",
    "strings": "list of strings",
    "object": "mapping",
    "objects": "list of mappings",
    "integer": "integer ≥ 0",
    "boolean": "boolean",
    "timestamp": "timestamp",
    "moment": "time",
    "date": "date",
    "url": "URL",
}

_BACKTICKED = re.compile(r"^`([^`]+)`$")


def without_code(text: str) -> str:
    """`text` without fenced code blocks and inline code, where links are only examples."""
    return re.sub(r"`[^`\n]*`", "", FENCE.sub("", text))


def first_column(table_rows: list[list[str]]) -> list[str]:
    """The backticked names in the first column of `table_rows`."""
    names = []
    for row in table_rows:
        match = _BACKTICKED.match(row[0])
        assert match, f"first cell is not a `name`: {row[0]!r}"
        names.append(match.group(1))
    return names


def rows_of(path: Path, first_header: str) -> dict[str, list[str]]:
    """Rows of every table in `path` whose first header is `first_header`, keyed by their `name`."""
    rows: dict[str, list[str]] = {}
    for header, body in tables(read(path)):
        if header[0] != first_header:
            continue
        for name, row in zip(first_column(body), body, strict=True):
            assert name not in rows, f"{path.name}: `{name}` is in two rows"
            rows[name] = dict(zip(header, row, strict=True))
    return rows


def schema_fields(fields=schema.POSTMORTEM, prefix=""):
    for field in fields:
        yield prefix + field.name, field
        yield from schema_fields(field.fields, prefix + field.name + ".")


# (a) The front-matter reference lists exactly the schema's fields, with their types and requiredness.


def test_reference_lists_every_field_and_no_stale_one():
    documented = set(rows_of(DOCS / "reference.md", "Key"))
    paths = set(schema.field_paths())
    assert not paths - documented, f"fields missing from docs/reference.md: {sorted(paths - documented)}"
    assert not documented - paths, f"docs/reference.md documents fields the schema lacks: {sorted(documented - paths)}"


@pytest.mark.parametrize("path,field", list(schema_fields()), ids=[p for p, _ in schema_fields()])
def test_reference_row_matches_field(path, field):
    row = rows_of(DOCS / "reference.md", "Key").get(path)
    assert row is not None, f"`{path}` has no row in docs/reference.md"
    assert row["Type"] == TYPE_NAMES[field.type]
    assert row["Required"].startswith("yes") == field.required, f"`{path}` Required: {row['Required']!r}"
    if isinstance(field.choices, tuple):
        for value in field.choices:
            assert f"`{value}`" in row["Allowed values"], f"`{path}` does not list `{value}`"
    elif isinstance(field.choices, str):
        assert "configuration.md" in row["Allowed values"], f"`{path}` should link its configured set"


# (b) The reference's diagnostic table lists exactly the codes, with their default levels.


def test_reference_lists_every_code_with_its_level():
    rows = rows_of(DOCS / "reference.md", "Code")
    assert set(rows) == set(RULES), (
        f"missing: {sorted(set(RULES) - set(rows))}; stale: {sorted(set(rows) - set(RULES))}"
    )
    for code, rule in RULES.items():
        assert rows[code]["Default level"] == rule.level.value, code
        assert rows[code]["Meaning"] == rule.summary, code


# (c) The configuration page's options table is generated from the options' declarations (the core's fields in
# `policy.py`, from which `mkdocs_config.py` derives its options), its prose names no option that does not exist,
# and its example is a valid configuration.

CONFIGURATION = DOCS / "configuration.md"
OPTIONS_START = (
    "<!-- The table is generated from the options declared in policy.py: "
    "UPDATE_DOCS=1 python3 -m pytest tests/test_docs.py -k options_table -->\n\n"
)
OPTIONS_END = "\n\n<!-- end of the generated table -->"
_TYPE_NAMES = {str: "string", int: "integer", float: "number", bool: "boolean", date: "date"}


def _type_of(option, keys: str = "string") -> str:
    """An option's type as the options table writes it."""
    if isinstance(option, c.Optional):
        return _type_of(option.option, keys)
    if isinstance(option, c.SubConfig):
        return "`{" + ", ".join(name for name, _ in option.config_class._schema) + "}`"
    if isinstance(option, c.ListOfItems):
        inner = _type_of(option.option_type)
        return f"list of {inner if inner.startswith('`') else inner + 's'}"
    if isinstance(option, c.DictOfItems):
        return f"mapping of {keys} to {_type_of(option.option_type)}"
    if isinstance(option, c.Choice):
        choices = [f"`{choice}`" for choice in option.choices]
        return ", ".join(choices[:-1]) + f" or {choices[-1]}"
    return getattr(option, "type_name", None) or _TYPE_NAMES[option._type]


def _shown(default) -> str:
    """A default as the options table writes it: `[a, b]`, `false`, `{}`, `postmortems`."""
    if isinstance(default, bool):
        return str(default).lower()
    if isinstance(default, list):
        return "[" + ", ".join(map(str, default)) + "]"
    if isinstance(default, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in default.items()) + "}"
    return str(default) if default != "" else '""'


def _default_of(option) -> str:
    if option.doc.shown is not None:
        return option.doc.shown
    if isinstance(option, c.SubConfig):
        return ""  # its options' defaults follow it
    if option.default is None:
        return "none" if isinstance(option, c.Optional) else "required"
    return f"`{_shown(option.default)}`"


def options_table() -> str:
    """Every option, a group or a list of items followed by its own options, as the configuration page shows it."""
    lines = ["| Option | Type | Default | What it does |", "| --- | --- | --- | --- |"]
    for path, option in declared_options():
        cells = (f"`{path}`", _type_of(option, option.doc.keys), _default_of(option), option.doc.text)
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def test_the_options_table_is_generated_from_the_declarations():
    text = read(CONFIGURATION)
    assert text.count(OPTIONS_START) == 1 and text.count(OPTIONS_END) == 1, "the table's markers are missing"
    before, rest = text.split(OPTIONS_START)
    table, after = rest.split(OPTIONS_END)
    if os.environ.get("UPDATE_DOCS") and table != options_table():
        CONFIGURATION.write_text(before + OPTIONS_START + options_table() + OPTIONS_END + after, encoding="utf-8")
        table = options_table()
    assert table == options_table(), "the options table is stale: run the command in its marker to regenerate it"


def test_the_options_table_lists_every_option_once():
    rows = rows_of(CONFIGURATION, "Option")
    paths = [path for path, _ in declared_options()]
    assert len(paths) == len(set(paths)) and list(rows) == paths
    assert {"leak_gate.ticket_pattern", "services.name", "status_page.webhooks.secret_env"} <= set(rows)


def test_the_configuration_page_names_no_option_that_does_not_exist():
    """A prose mention of `group.option` (`leak_gate.deny`) is a declared option: renaming one fails here."""
    paths = {path for path, _ in declared_options()}
    groups = {
        path
        for path, option in declared_options()
        if isinstance(option, c.SubConfig) or item_options(option) is not None
    }
    named = {
        name
        for name in re.findall(r"`((?:\w+\.)+\w+)`", FENCE.sub("", read(CONFIGURATION)))
        if not name.endswith((".html", ".md", ".yml"))
    }  # file names, such as the template `services.html`
    stale = {name for name in named if name.rpartition(".")[0] in groups and name not in paths}
    assert not stale, f"docs/configuration.md names options that do not exist: {sorted(stale)}"


class _AnyTagLoader(yaml.SafeLoader):
    """Loads mkdocs.yml even where it uses tags such as `!ENV` or `!!python/name:`."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _plugin_options(config: dict) -> dict:
    plugins = config.get("plugins", [])
    if isinstance(plugins, dict):  # MkDocs takes plugins as a mapping too
        plugins = [{name: options} for name, options in plugins.items()]
    for plugin in plugins:
        if isinstance(plugin, dict) and "postmortems" in plugin:
            return plugin["postmortems"] or {}
    raise AssertionError("no postmortems plugin in the configuration")


def test_configuration_example_is_the_example_site():
    text = read(DOCS / "configuration.md")
    blocks = [
        b
        for b in re.findall(r"^```yaml\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
        if "- postmortems:\n      folder:" in b
    ]
    assert len(blocks) == 1, "docs/configuration.md should show the example site's plugin configuration once"
    example = _plugin_options(yaml.safe_load(blocks[0]))
    assert example == _plugin_options(yaml.load(read(ROOT / "mkdocs.yml"), Loader=_AnyTagLoader))
    config = PostmortemsConfig()
    config.load_dict(example)
    failed, warnings = config.validate()
    assert not failed and not warnings


# (d) README's Quick start is two one-line shell commands, and every relative link resolves.


def test_readme_quick_start_has_two_commands():
    text = read(README)
    match = re.search(r"^## Quick start\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, "README.md has no `## Quick start` section"
    blocks = re.findall(r"^```(?:sh|bash|shell|console)\n(.*?)^```", match.group(1), re.MULTILINE | re.DOTALL)
    assert len(blocks) == 2, f"Quick start should have exactly two shell commands, has {len(blocks)}"
    for block in blocks:
        lines = [line for line in block.strip().split("\n") if line.strip()]
        assert len(lines) == 1, f"each Quick start command is a single line: {block!r}"
    assert "mkdocs serve" in blocks[0] or "mkdocs build" in blocks[0]
    assert "pytest" in blocks[1] and ".[test]" in blocks[1]


def _links(text: str) -> list[str]:
    text = without_code(text)
    inline = re.findall(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", text)
    references = re.findall(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", text, re.MULTILINE)
    return inline + references


def _markdown_files() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


@pytest.mark.parametrize("page", _markdown_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_resolve(page):
    broken = []
    for target in _links(read(page)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("#"):
            continue  # http:, mailto:, or an anchor on the same page
        path = (page.parent / target.split("#", 1)[0]).resolve()
        if path in GENERATED:
            continue
        if not path.exists():
            broken.append(target)
    assert not broken, f"{page.relative_to(ROOT)} links to missing files: {broken}"


def test_readme_shows_both_screenshots():
    links = _links(read(README))
    for screenshot in SCREENSHOTS:
        assert screenshot.relative_to(ROOT).as_posix() in links


# (g) The review guide's checklist and example PR summary follow the code.


def test_review_guide_lists_the_checklist_as_the_code_has_it():
    from mkdocs_postmortems.checks.checklist import CHECKLIST
    from mkdocs_postmortems.pull_requests.comment import MARKER

    text = read(DOCS / "reviewing.md")
    ((header, body),) = [(h, b) for h, b in tables(text) if h[0] == "Item"]
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert list(rows) == [item.title for item in CHECKLIST]
    for item in CHECKLIST:
        assert rows[item.title]["The reviewer asks"] == item.question
        assert set(re.findall(r"`([a-z-]+)`", rows[item.title]["Checked by"])) == set(item.codes)
        assert f"**{item.title}**: {item.question}" in text  # as the example summary shows it
    assert MARKER in text


def test_the_plugin_defaults_are_the_core_defaults():
    """Defaults are written once, in `Policy`: an empty plugin configuration gives exactly `Policy()`."""
    from mkdocs_postmortems.mkdocs_config import policy_from_options
    from mkdocs_postmortems.policy import Policy

    config = PostmortemsConfig()
    config.load_dict({})
    failed, _ = config.validate()
    assert failed == []
    assert policy_from_options(config) == Policy()


def test_the_architecture_names_every_module_of_the_package():
    package = ROOT / "plugin" / "mkdocs_postmortems"
    text = read(DOCS / "architecture.md")
    for module in sorted(package.rglob("*.py")):
        relative = module.relative_to(package).as_posix()
        if module.name == "__init__.py" and relative != "checks/__init__.py":
            assert f"{module.parent.name}/" in text or module.parent == package, relative
            continue
        assert module.name in text, f"docs/architecture.md does not say what {relative} holds"


def test_readme_lists_every_command():
    from mkdocs_postmortems.cli import main

    ((_header, body),) = [(h, b) for h, b in tables(read(ROOT / "README.md")) if h[0] == "Command"]
    listed = {re.match(r"`postmortems ([a-z-]+)", row[0]).group(1) for row in body}
    assert listed == set(main.commands), f"missing: {set(main.commands) - listed}; stale: {listed - set(main.commands)}"


# (h) Getting started: every snippet of the README's own-site section and of docs/getting-started.md runs as written.

GETTING_STARTED = DOCS / "getting-started.md"
IMPORT_FIXTURES = ROOT / "tests" / "fixtures" / "import"


def _own_site() -> str:
    return section(read(README), "## Your own knowledge base")


def test_the_readme_and_getting_started_install_the_same_way():
    (readme,) = [block for block in code_blocks(_own_site(), "sh") if "postmortems init" in block]
    assert code_blocks(section(read(GETTING_STARTED), "## Install"), "sh") == [readme]


def test_the_install_snippet_installs_this_repository_and_init_writes_a_site_that_builds(tmp_path, monkeypatch):
    """The clone is this repository (`.ci/run` builds and installs its wheel, so `pip install` of it works); the
    commands after the install run as written, `mkdocs serve` as the strict build it serves."""
    clone, install, start, serve = code_blocks(section(read(GETTING_STARTED), "## Install"), "sh")[0].splitlines()
    url, folder = re.fullmatch(r"git clone (<[^>]+>) ([\w-]+)", clone).groups()
    assert "URL" in url and install == f"python3 -m pip install ./{folder}"
    pyproject = read(ROOT / "pyproject.toml")
    assert f'name = "{folder}"' in pyproject and 'postmortems = "mkdocs_postmortems.cli:main"' in pyproject
    monkeypatch.chdir(tmp_path)
    program, *arguments = shlex.split(start)
    result = run_cli(*arguments)
    assert program == "postmortems" and result.exit_code == 0, result.output
    (site_folder,) = re.fullmatch(r"cd ([\w-]+) && mkdocs serve", serve).groups()
    assert build_site(tmp_path / site_folder / "mkdocs.yml", strict=True).joinpath("index.html").is_file()
    assert "Acme postmortems" in read(tmp_path / site_folder / "docs" / "index.md")


def test_the_own_site_snippet_builds_with_only_the_files_it_names(tmp_path):
    """`postmortems/` beside `docs/`, which has an `index.md`: nothing else."""
    (config,) = [block for block in code_blocks(_own_site(), "yaml") if "postmortems:" in block]
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Postmortems\n", encoding="utf-8")
    (tmp_path / "postmortems").mkdir()
    check = run_cli("check", "--strict", "-f", str(tmp_path / "mkdocs.yml"))
    assert check.exit_code == 0, check.output
    assert (build_site(tmp_path / "mkdocs.yml", strict=True) / "postmortems" / "index.html").is_file()


def test_the_table_of_files_is_what_init_writes():
    from mkdocs_postmortems.starter import starter_files

    ((_, rows),) = [(h, b) for h, b in tables(read(GETTING_STARTED)) if h[0] == "File"]
    written = [file.path for file in starter_files("Acme", date(2026, 11, 22), "alice", "x\n")]
    assert first_column(rows) == [path.replace("2026-11-22", "<today>") for path in written]


def test_init_from_a_history_runs_as_written(tmp_path, monkeypatch):
    (line,) = code_blocks(section(read(GETTING_STARTED), "## Bring your history"), "sh")[0].splitlines()
    monkeypatch.chdir(tmp_path)
    program, *arguments = shlex.split(line)
    assert program == "postmortems" and arguments[-1] == "../status-site"
    result = run_cli(*arguments[:-1], str(IMPORT_FIXTURES / "cstate"), "--today", "2026-11-22")
    assert result.exit_code == 1 and "4 written" in result.output  # two entries of the fixture need a person
    check = run_cli("check", "--strict", "-f", str(tmp_path / arguments[1] / "mkdocs.yml"), "--today", "2026-11-22")
    assert check.exit_code == 0, check.output


def test_add_services_gives_the_documented_config_and_report(tmp_path, monkeypatch):
    text = section(read(GETTING_STARTED), "## Bring your history")
    line = code_blocks(text, "sh")[1].strip()
    before, after = code_blocks(text, "yaml")
    (report,) = code_blocks(text, "text")
    components = json.loads(read(IMPORT_FIXTURES / "statuspage" / "components.json"))
    components["components"] += [{"name": name, "group": False} for name in ("All Systems", "web-site")]
    named = {component["name"] for component in components["components"]}
    assert {"API", "Website", "All Systems", "web-site"} == named and all(f"`{name}`" in text for name in named)
    (tmp_path / "components.json").write_text(json.dumps(components), encoding="utf-8")
    (tmp_path / "incidents.json").write_bytes((IMPORT_FIXTURES / "statuspage" / "incidents.json").read_bytes())
    (tmp_path / "mkdocs.yml").write_text(before, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    program, *arguments = shlex.split(line)
    result = run_cli(*arguments, "--today", "2026-11-22")
    assert program == "postmortems" and result.exit_code == 1, result.output  # components.json holds no incident
    assert "components.json: skipped" in result.output and "1 skipped, 2 written" in result.output
    assert read(tmp_path / "mkdocs.yml") == after
    assert result.output.startswith(report)


def test_the_catalog_refusal_is_what_check_prints(tmp_path, monkeypatch):
    text = section(read(CONFIGURATION), "## Service catalog")
    (config,) = code_blocks(text, "yaml")
    (error,) = code_blocks(text, "text")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli("check")
    assert result.exit_code == 2 and result.output == error


def test_the_pre_commit_example_is_the_hook_init_writes():
    from mkdocs_postmortems.starter import INIT

    (example,) = [block for block in code_blocks(read(DOCS / "reviewing.md"), "yaml") if "repos:" in block]
    assert yaml.safe_load(example) == yaml.safe_load(read(INIT / "pre-commit-config.yaml"))
    assert "repo: local" in example

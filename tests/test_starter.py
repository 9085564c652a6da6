"""`starter.py`, the files `postmortems init` writes: which, their text for any name, the example through `new`'s
template, `requirements.txt` for each way the package can be installed, and the templates kept in step with the
repository's own workflow and hook, and shipped in the wheel. (`tests/test_starting.py` builds what they make.)"""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from fnmatch import fnmatch

import pytest
import yaml

from mkdocs_postmortems.catalog import plugin_services
from mkdocs_postmortems.mkdocs_config import GATE_OPTIONS
from mkdocs_postmortems.policy import Policy
from mkdocs_postmortems.scaffold import new_postmortem
from mkdocs_postmortems.starter import EXAMPLE_SERVICE, INIT, PACKAGE, requirement, starter_files
from site_support import REPO

DAY = date(2026, 11, 22)
REQUIREMENT = "mkdocs-postmortems==0.1.0\n"
# What `postmortems init` writes, in the order it reports them, and the first postmortem (`tests/test_starting.py`)
WRITTEN = (
    "mkdocs.yml",
    "mkdocs.public.yml",
    "docs/index.md",
    "docs/public/about.md",
    "requirements.txt",
    ".github/workflows/postmortems.yml",
    ".pre-commit-config.yaml",
    ".gitignore",
)
EXAMPLE = "postmortems/2026-11-22-our-first-postmortem.md"


def files(name: str = "Acme", example: bool = True) -> dict[str, str]:
    return {file.path: file.text for file in starter_files(name, DAY, "alice", REQUIREMENT, example)}


def test_every_file_a_knowledge_base_needs_and_what_each_is():
    written = starter_files("Acme", DAY, "alice", REQUIREMENT)
    assert [file.path for file in written] == [*WRITTEN, EXAMPLE]
    assert all(file.about and file.text.endswith("\n") for file in written)
    assert [file.path for file in starter_files("Acme", DAY, "alice", REQUIREMENT, example=False)][-1] == (
        "postmortems/.gitkeep"
    )
    assert "<!-- postmortems:dashboard -->" in files()["docs/index.md"]


def test_the_first_postmortem_is_what_postmortems_new_writes():
    policy = Policy(services=(EXAMPLE_SERVICE,))
    expected = new_postmortem("Our first postmortem", "SEV3", ["website"], "alice", DAY, policy)
    assert files()["postmortems/2026-11-22-our-first-postmortem.md"] == expected


def test_the_catalog_has_the_example_service_or_none():
    assert plugin_services(files()["mkdocs.yml"]) == [
        {"name": "website", "description": EXAMPLE_SERVICE.description, "component": "Website"}
    ]
    empty = files(example=False)
    assert plugin_services(empty["mkdocs.yml"]) == [] and empty["postmortems/.gitkeep"] == ""


@pytest.mark.parametrize("name", ["Acme", 'Quokka: "ops" #1', "yes", "Ünïcode & co", "- dash"])
def test_a_name_is_written_so_that_yaml_reads_it_back(name):
    written = files(name)
    assert yaml.safe_load(written["mkdocs.yml"])["site_name"] == f"{name} postmortems"
    assert yaml.safe_load(written["mkdocs.public.yml"])["site_name"] == f"{name} status"
    assert written["docs/index.md"].startswith(f"# {name} postmortems\n")


def test_date_driven_rules_cannot_turn_main_red_overnight():
    options = yaml.safe_load(files()["mkdocs.yml"])["plugins"]["postmortems"]
    assert options["rule_levels"] == {"action-item-overdue": "info", "publish-overdue": "info"}


def test_the_public_config_inherits_and_sets_nothing_the_gate_reads():
    public = yaml.safe_load(files()["mkdocs.public.yml"])
    assert public["INHERIT"] == "mkdocs.yml" and public["docs_dir"] == "docs/public"
    assert public["plugins"] == {"search": {"enabled": False}, "postmortems": {"status_page": {"public_site": True}}}
    assert not set(GATE_OPTIONS) & set(public["plugins"]["postmortems"])
    assert yaml.safe_load(files()["mkdocs.yml"])["exclude_docs"] == "/public/"


# --- requirements.txt -------------------------------------------------------------------------------------------


def _line(text: str) -> str:
    (line,) = [line for line in text.splitlines() if line and not line.startswith("#")]
    return line


@pytest.mark.parametrize(
    "direct_url, line",
    [
        (None, "mkdocs-postmortems==0.1.0"),
        (
            {"url": "https://git.example.com/sre/mkdocs-postmortems", "vcs_info": {"vcs": "git", "commit_id": "ab12"}},
            "mkdocs-postmortems @ git+https://git.example.com/sre/mkdocs-postmortems@ab12",
        ),
        (
            {"url": "https://files.example.com/mkdocs_postmortems-0.1.0.tar.gz", "archive_info": {}},
            "mkdocs-postmortems @ https://files.example.com/mkdocs_postmortems-0.1.0.tar.gz",
        ),
        ("not json", "mkdocs-postmortems==0.1.0"),
    ],
)
def test_requirements_name_the_package_as_it_was_installed(direct_url, line):
    text = requirement(
        "0.1.0", direct_url if direct_url is None or isinstance(direct_url, str) else json.dumps(direct_url)
    )
    assert _line(text) == line and text.startswith(f"# The {PACKAGE} ")


def test_a_package_installed_from_a_folder_says_what_ci_needs_instead_and_names_no_local_path():
    text = requirement("0.1.0", json.dumps({"url": "file:///home/alice/src/mkdocs-postmortems", "dir_info": {}}))
    assert _line(text) == "mkdocs-postmortems==0.1.0"
    assert "CI cannot reach" in text and "git+https://" in text and "/home/alice" not in text


# --- the templates -------------------------------------------------------------------------------------------


def test_the_workflow_is_the_repositorys_own_but_for_what_it_installs():
    ours = yaml.safe_load(files()[".github/workflows/postmortems.yml"])
    repository = yaml.safe_load((REPO / ".github" / "workflows" / "postmortems.yml").read_text(encoding="utf-8"))
    trigger = ours[True]["pull_request"]["paths"]
    assert trigger.pop(trigger.index("requirements.txt")) == "requirements.txt"
    (install,) = [step for step in ours["jobs"]["review"]["steps"] if step.get("name") == "Install"]
    assert install["run"] == "python -m pip install -r requirements.txt"
    install["run"] = "python -m pip install ."
    assert ours == repository


def test_the_pre_commit_hook_is_the_shipped_hook_run_from_the_installed_command():
    (repo,) = yaml.safe_load(files()[".pre-commit-config.yaml"])["repos"]
    (hook,) = repo["hooks"]
    (shipped,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert repo["repo"] == "local" and hook.pop("language") == "system" and shipped.pop("language") == "python"
    shipped.pop("description")
    assert hook == shipped


def test_every_template_is_shipped_in_the_wheel():
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")  # tomllib is 3.11's; the package runs on 3.10
    section = pyproject.split("[tool.setuptools.package-data]", 1)[1]
    globs = ast.literal_eval(re.search(r"^mkdocs_postmortems = (\[.*?\])", section, re.MULTILINE | re.DOTALL).group(1))
    package = INIT.parent.parent
    for path in INIT.iterdir():
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch(relative, glob) for glob in globs), relative


def test_the_templates_name_no_fictional_host():
    for text in files().values():
        assert not re.search(r"larkspur|git\.\w+\.example", text, re.IGNORECASE)

"""`scaffold.py`, `postmortems new --template`: the shipped templates, a team's own in `templates_folder`, and hostile
input."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import CONFIG, check_json, run
from mkdocs_postmortems.knowledge import load_knowledge_base
from mkdocs_postmortems.parsing.frontmatter import parse_source
from mkdocs_postmortems.parsing.markdown import body_headings
from mkdocs_postmortems.policy import Policy
from mkdocs_postmortems.scaffold import SHIPPED

SHIPPED_NAMES = ("default", "lightweight")
DAY = "2026-11-20"

# A team template: the same variables as the shipped ones, and a section of its own.
TEAM = """\
{# Our own: one cause, and a Customer contact section. #}
---
title: {{ title|yaml }}
status: draft
severity: {{ severity|yaml }}
services: [{{ services|map("yaml")|join(", ") }}]
authors: [{{ author|yaml }}]
started: {{ day }}T00:00:00Z
impact:
  summary: TODO
root_causes:
  - {id: cause-1, kind: causal, category: {{ category|yaml }}, summary: TODO}
---
{% for section in sections %}
## {{ section }}
{% endfor %}
## Customer contact
"""


def new(title: str = "Search down", *options: str, severity: str = "SEV3"):
    return run(
        "new", title, "--severity", severity, "--service", "checkout", "--author", "alice", "--date", DAY, *options
    )


def written(project: Path) -> Path:
    (path,) = (project / "postmortems").iterdir()
    return path


def sections_of(path: Path) -> list[str]:
    source, problems = parse_source(path.read_text(encoding="utf-8"), path.name)
    assert source is not None, problems
    return body_headings(source.body)


def with_templates(project: Path, **templates: str) -> Path:
    """Configure `templates_folder: pm-templates` holding `templates` (name -> text)."""
    (project / "mkdocs.yml").write_text(CONFIG + "      templates_folder: pm-templates\n")
    folder = project / "pm-templates"
    folder.mkdir(exist_ok=True)
    for name, text in templates.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return folder


# --- the shipped templates ----------------------------------------------------------------------------


def test_the_shipped_templates():
    assert tuple(sorted(path.stem for path in SHIPPED.glob("*.md"))) == SHIPPED_NAMES


@pytest.mark.parametrize("template", SHIPPED_NAMES)
def test_each_shipped_template_writes_a_draft_check_accepts(template, project):
    result = new("Checkout: latency during the Spring Sale!", "--template", template)
    assert result.exit_code == 0, result.output
    code, report = check_json("--strict")
    assert (code, report["errors"], report["warnings"]) == (0, 0, 0), report
    assert "TODO" in written(project).read_text(encoding="utf-8")


def test_default_is_the_default_template(project):
    assert new().exit_code == 0
    default = written(project).read_text(encoding="utf-8")
    written(project).unlink()
    assert new("Search down", "--template", "default").exit_code == 0
    assert written(project).read_text(encoding="utf-8") == default


def test_lightweight_has_fewer_sections_and_fields(project):
    assert new("Heavy", "--template", "default").exit_code == 0
    assert new("Light", "--template", "lightweight").exit_code == 0
    heavy, light = (project / f"postmortems/{DAY}-{name}.md" for name in ("heavy", "light"))
    assert sections_of(heavy) == list(Policy().required_sections)
    assert sections_of(light) == list(Policy().required_sections)  # every required section, a line each
    heavy_lines, light_lines = (len(path.read_text().splitlines()) for path in (heavy, light))
    assert light_lines < heavy_lines
    # a light follow-up takes the least urgent priority, so no first-priority deadline applies
    assert "priority: P3" in light.read_text()


def test_new_says_which_required_sections_a_draft_lacks(project):
    (project / "pm-templates").mkdir()
    fixed = TEAM.replace("{% for section in sections %}\n## {{ section }}\n{% endfor %}\n", "## Summary\n")
    (project / "pm-templates" / "short.md").write_text(fixed)
    (project / "mkdocs.yml").write_text(CONFIG + "      templates_folder: pm-templates\n")
    result = new("Short", "--template", "short")
    assert result.exit_code == 0
    assert "no “Impact”, “Timeline”, “Root cause analysis”, “Resolution”, “Lessons learned” section" in result.stderr
    for template in SHIPPED_NAMES:  # the shipped ones have every configured section
        assert "no “" not in new(f"Full {template}", "--template", template).stderr


def test_a_low_severity_gets_a_tip_about_the_lightweight_template(project):
    assert "--template lightweight" in new("Minor", severity="SEV3").stderr
    assert "tip:" not in new("Major", severity="SEV2").stderr  # SEV1 and SEV2 need action items: not low
    assert "tip:" not in new("Chosen", "--template", "default", severity="SEV4").stderr


def test_the_tip_follows_the_configured_scale(project):
    (project / "mkdocs.yml").write_text(
        CONFIG + "      severities: [critical, major, minor]\n      action_items_required_for: [critical]\n"
    )
    assert "tip:" not in new("A", severity="critical").stderr
    assert "tip:" in new("B", severity="minor").stderr


# --- templates of a team's own ----------------------------------------------------------------------


def test_a_template_in_templates_folder_is_used(project):
    with_templates(project, team=TEAM)
    result = new("Search down", "--template", "team")
    assert result.exit_code == 0, result.output
    assert sections_of(written(project)) == [*Policy().required_sections, "Customer contact"]
    assert check_json()[1]["errors"] == 0


def test_a_template_with_a_shipped_name_overrides_it(project):
    with_templates(project, default=TEAM)
    assert new().exit_code == 0  # no --template: the team's `default`
    assert sections_of(written(project))[-1] == "Customer contact"


def test_templates_says_where_each_comes_from(project):
    with_templates(project, default=TEAM, team=TEAM.replace("Our own", "The team's"))
    result = run("templates")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines == [
        f"default: {Path('pm-templates/default.md')}, overrides the shipped one",
        "    Our own: one cause, and a Customer contact section.",
        f"lightweight: shipped, {SHIPPED / 'lightweight.md'}",
        "    A short review for a low-severity incident (SEV3, SEV4): one cause, one follow-up, a line per section.",
        f"team: {Path('pm-templates/team.md')}",
        "    The team's: one cause, and a Customer contact section.",
    ]
    assert not list((project / "postmortems").iterdir())  # listing writes nothing


def test_templates_without_a_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("templates")
    assert result.exit_code == 0
    assert [line.split(":")[0] for line in result.stdout.splitlines() if not line.startswith(" ")] == list(
        SHIPPED_NAMES
    )
    assert not (tmp_path / "postmortems").exists()


def test_templates_folder_is_relative_to_the_config_file(project, tmp_path_factory, monkeypatch):
    with_templates(project, team=TEAM)
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    result = run(
        "new",
        "Search down",
        "--severity",
        "SEV3",
        "--service",
        "checkout",
        "--template",
        "team",
        "-f",
        str(project / "mkdocs.yml"),
        "--date",
        DAY,
    )
    assert result.exit_code == 0, result.output
    assert sections_of(written(project))[-1] == "Customer contact"


def test_unknown_template_is_a_usage_error_listing_the_names(project):
    with_templates(project, team=TEAM)
    result = new("Search down", "--template", "lightwieght")
    assert result.exit_code == 2
    assert "no template `lightwieght`; available: default, lightweight, team" in result.output
    assert not list((project / "postmortems").iterdir())


def test_a_missing_templates_folder_is_a_usage_error(project):
    (project / "mkdocs.yml").write_text(CONFIG + "      templates_folder: nowhere\n")
    result = new()
    assert result.exit_code == 2
    assert "nowhere is not a folder" in result.output


@pytest.mark.parametrize(
    "text, line, message",
    [
        (TEAM.replace("{{ title|yaml }}", "{{ titel|yaml }}"), 3, "'titel' is undefined"),
        (TEAM.replace("{{ category|yaml }}", "{{ policy.categories[0] }}"), 12, "'policy' is undefined"),
        (TEAM.replace("{% for section in sections %}", "{% for section in %}"), 14, "Expected an expression"),
    ],
)
def test_a_broken_template_fails_with_its_file_and_line(text, line, message, project):
    with_templates(project, team=text)
    result = new("Search down", "--template", "team")
    assert result.exit_code == 2
    assert f"{Path('pm-templates/team.md')}:{line}: " in result.output
    assert message in result.output
    assert not list((project / "postmortems").iterdir())


def test_a_broken_include_names_the_included_file(project):
    with_templates(project, team="{% include 'part.md' %}\n", part="---\n{{ nope }}\n")
    result = new("Search down", "--template", "team")
    assert result.exit_code == 2
    assert f"{Path('pm-templates/part.md')}:2: 'nope' is undefined" in result.output


# --- hostile input ------------------------------------------------------------------------------------------

HOSTILE_TITLES = [
    "yes",
    "null",
    "~",
    "123",
    "1e3",
    "2026-11-20",
    "- a list item",
    "key: value",
    "Checkout: down",
    "# not a comment",
    "trailing #comment",
    "'single' quotes",
    '"double" quotes',
    "[a, b]",
    "{a: 1}",
    "&anchor and *alias",
    "!tag",
    "@at and `backtick`",
    "| literal",
    "> folded",
    "% directive",
    "---",
    "...",
    'Café "down" #1: 100% \\ broken',
    "line\nbreak",
    "tab\tinside",
    "{{ title }} {% raw %}",
    "a: b: c, d",
    "? complex key",
    "emoji 🔥 — dash",
    "mid\u2028line\x85nel\ufeffbom\x7fdel",
]


@pytest.mark.parametrize("template", SHIPPED_NAMES)
@pytest.mark.parametrize("title", HOSTILE_TITLES, ids=range(len(HOSTILE_TITLES)))
def test_hostile_titles_stay_valid_yaml(title, template, project):
    result = run(
        "new",
        "--severity",
        "SEV3",
        "--service",
        "checkout",
        "--author",
        "O'Neil: #1",
        "--date",
        DAY,
        "--template",
        template,
        "--",
        title,
    )  # `--`: a title may start with `-`
    assert result.exit_code == 0, result.output
    code, report = check_json()
    assert (code, report["errors"]) == (0, 0), report
    (pm,) = load_knowledge_base(project / "postmortems", Policy()).postmortems
    assert (pm.title, pm.authors) == (title, ("O'Neil: #1",))


@pytest.mark.parametrize("template", SHIPPED_NAMES)
def test_hostile_services_and_scales_stay_valid_yaml(template, project):
    (project / "mkdocs.yml").write_text(
        CONFIG.replace("- name: orders-db", "- name: 'orders: db #2'") + '      severities: ["S1: outage", "- S2"]\n'
        '      priorities: ["P1 #now", "yes"]\n'
    )
    result = run(
        "new",
        "Search down",
        "--severity",
        "- S2",
        "--service",
        "orders: db #2",
        "--author",
        "a",
        "--date",
        DAY,
        "--template",
        template,
    )
    assert result.exit_code == 0, result.output
    code, report = check_json("--strict")
    assert (code, report["diagnostics"]) == (0, [])


def test_a_title_that_is_not_utf8_gets_a_replacement_character(project):
    # on POSIX, Python decodes command-line bytes that are not UTF-8 to lone surrogates
    result = run("new", "Caf\udce9 down", "--severity", "SEV3", "--service", "checkout", "--date", DAY)
    assert result.exit_code == 0, result.output
    assert check_json()[1]["errors"] == 0
    (pm,) = load_knowledge_base(project / "postmortems", Policy()).postmortems
    assert pm.title == "Caf\ufffd down"


# --- the `regulatory` block, when a service `new` names is regulated ---------------------------------------------


def regulated_project(project: Path) -> Path:
    from test_cli_regulatory import REGULATED  # checkout regulated under every regime of [dora, gdpr]

    (project / "mkdocs.yml").write_text(REGULATED)
    return project


def regulatory_of(project: Path):
    (pm,) = load_knowledge_base(project / "postmortems", Policy()).postmortems
    return pm.regulatory


def test_a_regulated_service_gets_the_block_with_aware_from_the_detection_and_hints(project):
    regulated_project(project)
    result = new("Checkout down", "--detected", "2026-11-20T10:58:00+01:00")
    assert result.exit_code == 0, result.output
    text = written(project).read_text(encoding="utf-8")
    assert "\ndetected: 2026-11-20T09:58:00Z " in text
    block = text.split("\nregulatory:", 1)[1].split("\n---\n", 1)[0]
    assert "owed under dora, gdpr" in block
    assert "\n  aware: 2026-11-20T09:58:00Z " in block
    assert "\n  # classified_major: " in block and "# DORA: when the incident was classified as a major" in block
    assert "\n  # personal_data: " in block and "materiality_determined" not in block  # no sec-8k configured
    assert regulatory_of(project).aware.isoformat() == "2026-11-20T09:58:00+00:00"
    _, report = check_json(str(written(project)))
    assert report["errors"] == 0 and "regulatory-unreported" not in {d["code"] for d in report["diagnostics"]}


def test_without_a_detection_time_aware_is_a_hint_too(project):
    regulated_project(project)
    assert new("Checkout down").exit_code == 0
    assert "\n  # aware: " in written(project).read_text(encoding="utf-8")
    assert regulatory_of(project).aware is None


def test_at_a_terminal_new_asks_for_the_block(project):
    regulated_project(project)
    answers = "\n".join(("soon", "", "2026-11-20T10:30:00Z", "yes")) + "\n"  # a time it re-asks, then the detection's
    result = run_with_input(answers, "Checkout down", "--detected", "2026-11-20T09:58:00Z", "--interactive")
    assert result.exit_code == 0, result.output
    assert "`soon` is not a time such as 2026-12-01T18:04:00Z" in result.stderr
    block = regulatory_of(project)
    assert (block.aware.isoformat(), block.classified_major.isoformat(), block.personal_data) == (
        "2026-11-20T09:58:00+00:00",
        "2026-11-20T10:30:00+00:00",
        True,
    )


def test_an_unregulated_service_gets_no_block_and_no_question(project):
    regulated_project(project)
    result = run_with_input(
        "", "Orders slow", "--service", "orders-db", "--detected", "2026-11-20T09:58:00Z", "--interactive"
    )
    assert result.exit_code == 0, result.output
    text = next(p for p in (project / "postmortems").iterdir()).read_text(encoding="utf-8")
    assert "regulatory" not in text and "regulated" not in result.stderr


def run_with_input(answers: str, title: str, *options: str):
    from click.testing import CliRunner

    from mkdocs_postmortems.cli import main

    service = () if "--service" in options else ("--service", "checkout")
    arguments = ["new", title, "--severity", "SEV3", *service, "--author", "alice", "--date", DAY, *options]
    return CliRunner().invoke(main, arguments, input=answers, catch_exceptions=False)

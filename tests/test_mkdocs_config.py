"""Config shapes cannot weaken the leak gate: whatever form `plugins:` takes in each file and however `INHERIT`
chains them, the public build, `check -f` and `public-diff -f` read the knowledge base's catalog, people and leak
settings, or refuse with a message naming the file to change. The README's and publishing.md's snippets are built
as written."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from docs_support import DOCS, README, read
from mkdocs_postmortems.mkdocs_config import ConfigFileError, resolved_options
from site_support import postmortem, run_cli

PM = "2025-05-01-orders-slow"
LEAKY = {
    "title": "Slow orders",
    "summary": "The orders-db primary was overloaded, so orders were slow.",
    "components": ["Checkout"],
}
CLEAN = {"title": "Slow orders", "summary": "Placing an order was slow for some customers.", "components": ["Checkout"]}
SERVICES = [{"name": "checkout", "component": "Checkout"}, {"name": "orders-db"}]
KB_OPTIONS = {"services": SERVICES, "rule_levels": {"publish-overdue": "info", "action-item-overdue": "info"}}


def _plugins(form: str, options: dict, search: dict | None = None) -> object:
    """`plugins:` as a list (`- postmortems: {...}`) or a mapping (`postmortems: {...}`)."""
    if form == "list":
        return [{"search": search} if search else "search", {"postmortems": options}]
    return {"search": search or {}, "postmortems": options}


def write(root: Path, name: str, settings: dict) -> Path:
    path = root / name
    path.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return path


def knowledge_base(root: Path, public: dict, form: str = "mapping") -> Path:
    (root / "docs" / "public").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "docs" / "public" / "about.md").write_text("# About\n", encoding="utf-8")
    (root / "postmortems").mkdir(exist_ok=True)
    (root / "postmortems" / f"{PM}.md").write_text(postmortem(PM, public=public), encoding="utf-8")
    return write(
        root,
        "mkdocs.yml",
        {
            "site_name": "KB",
            "repo_url": "https://git.quokka.example/sre/kb",
            "theme": {"name": "material", "font": False},
            "exclude_docs": "/public/",
            "plugins": _plugins(form, KB_OPTIONS),
        },
    )


def public_config(root: Path, form: str, inherit: str | None = "mkdocs.yml", **options) -> Path:
    settings = {"INHERIT": inherit} if inherit else {}
    settings |= {
        "site_name": "Status",
        "site_url": "https://status.quokka.example/",
        "docs_dir": "docs/public",
        "site_dir": "site-public",
        "repo_url": None,
        "plugins": _plugins(form, {"status_page": {"public_site": True}, **options}, {"enabled": False}),
    }
    return write(root, "mkdocs.public.yml", settings)


class _Messages(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def public_build(config: Path) -> Path | str:
    """The public site's folder, or the errors the refusal logged and raised."""
    messages, logger = _Messages(), logging.getLogger("mkdocs")
    logger.addHandler(messages)
    try:
        build(load_config(str(config)))
    except (PluginError, Abort) as error:
        return "\n".join([*messages.messages, str(error)])
    finally:
        logger.removeHandler(messages)
    return config.parent / "site-public"


FORMS = [("list", "mapping"), ("mapping", "list"), ("list", "list"), ("mapping", "mapping")]


@pytest.mark.parametrize("kb_form, public_form", FORMS)
def test_every_plugins_form_gives_the_public_build_the_knowledge_base_gate(tmp_path, kb_form, public_form):
    knowledge_base(tmp_path, LEAKY, kb_form)
    config = public_config(tmp_path, public_form)
    options = resolved_options(config)
    assert [s["name"] for s in options.config["services"]] == ["checkout", "orders-db"]
    assert options.config["status_page"]["public_site"] is True
    refused = public_build(config)
    assert isinstance(refused, str) and "orders-db" in refused
    assert not (tmp_path / "site-public").exists()
    check = run_cli("check", "-f", str(config))
    assert check.exit_code == 1 and "[public-leak]" in check.output and "orders-db" in check.output
    diff = run_cli("public-diff", "-f", str(config))
    assert diff.exit_code == 1 and "orders-db" in diff.output


def test_the_documented_setup_publishes_its_components_and_refuses_a_leak(tmp_path):
    """The README's own-site snippet as mkdocs.yml and publishing.md's as mkdocs.public.yml, as written."""
    [kb] = [
        b for b in re.findall(r"^```yaml\n(.*?)^```", read(README), re.MULTILINE | re.DOTALL) if "postmortems:" in b
    ]
    [public] = [
        b
        for b in re.findall(r"^```yaml\n(.*?)^```", read(DOCS / "publishing.md"), re.MULTILINE | re.DOTALL)
        if b.startswith("INHERIT: mkdocs.yml")
    ]
    knowledge_base(tmp_path, CLEAN)
    (tmp_path / "mkdocs.yml").write_text(kb, encoding="utf-8")
    config = tmp_path / "mkdocs.public.yml"
    config.write_text(public, encoding="utf-8")
    site = public_build(config)
    assert isinstance(site, Path), site
    components = json.loads((site / "api" / "v2" / "components.json").read_text(encoding="utf-8"))["components"]
    assert [c["name"] for c in components] == ["Checkout"]
    (tmp_path / "postmortems" / f"{PM}.md").write_text(postmortem(PM, public=LEAKY), encoding="utf-8")
    refused = public_build(config)
    assert isinstance(refused, str) and "orders-db" in refused
    assert run_cli("public-diff", "-f", str(config)).exit_code == 1


def test_a_chain_of_three_files_and_env_values_are_read_as_mkdocs_reads_them(tmp_path, monkeypatch):
    monkeypatch.setenv("QUOKKA_DENY", "project-hydra")
    knowledge_base(tmp_path, {**CLEAN, "summary": "Project-Hydra slowed orders."})
    (tmp_path / "mkdocs.yml").rename(tmp_path / "base.yml")
    (tmp_path / "mkdocs.yml").write_text(
        "INHERIT: base.yml\nplugins:\n  - search\n  - postmortems:\n      leak_gate:\n"
        "        deny: [!ENV QUOKKA_DENY]\n",
        encoding="utf-8",
    )
    config = public_config(tmp_path, "list")
    options = resolved_options(config)
    assert list(options.config["leak_gate"]["deny"]) == ["project-hydra"]
    assert [s["name"] for s in options.config["services"]] == ["checkout", "orders-db"]
    refused = public_build(config)
    assert isinstance(refused, str) and "project-hydra" in refused.casefold()


@pytest.mark.parametrize(
    "override",
    [
        {"services": [{"name": "checkout", "component": "Checkout"}]},
        {"leak_gate": {"allow": ["orders-db"]}},
        {"blameless": {"names": []}, "folder": "elsewhere"},
    ],
)
def test_a_public_config_that_changes_what_the_gate_knows_is_refused_naming_the_file(tmp_path, override):
    knowledge_base(tmp_path, LEAKY)
    (tmp_path / "elsewhere").mkdir()
    config = public_config(tmp_path, "mapping", **override)
    with pytest.raises(ConfigFileError) as refusal:
        resolved_options(config)
    message = str(refusal.value)
    assert f"set in {config}" in message and "mkdocs.yml" in message
    assert message.split("option `")[1].split("`")[0] in override
    assert isinstance(public_build(config), str)
    for command in ("check", "public-diff"):
        result = run_cli(command, "-f", str(config))
        assert result.exit_code == 2 and "Traceback" not in result.output and str(config) in result.output


def test_a_public_config_without_inherit_must_agree_with_the_mkdocs_yml_beside_it(tmp_path):
    knowledge_base(tmp_path, LEAKY)
    config = public_config(tmp_path, "list", inherit=None, services=[{"name": "checkout", "component": "Checkout"}])
    with pytest.raises(ConfigFileError, match="`services` differs"):
        resolved_options(config)
    config = public_config(tmp_path, "list", inherit=None, **KB_OPTIONS)
    assert [s["name"] for s in resolved_options(config).config["services"]] == ["checkout", "orders-db"]


def test_the_organisation_domains_come_from_both_configs(tmp_path):
    """The public config drops `repo_url`; the knowledge base's still says which domain is the company's."""
    knowledge_base(tmp_path, CLEAN)
    policy = resolved_options(public_config(tmp_path, "mapping")).policy()
    assert "quokka.example" in policy.internal_domains
    assert {"status.quokka.example", "quokka.example", "www.quokka.example"} <= set(policy.public_domains)


@pytest.mark.parametrize(
    "text, error",
    [
        ("INHERIT: mkdocs.public.yml\n", "loop"),
        ("INHERIT: missing.yml\n", "missing.yml"),
        ("plugins: [postmortems: {folder: x}\n", "valid"),
        ("- a list\n", "mapping"),
    ],
)
def test_a_broken_chain_is_one_clear_error(tmp_path, text, error):
    config = tmp_path / "mkdocs.public.yml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigFileError, match=error):
        resolved_options(config)
    result = run_cli("check", "-f", str(config))
    assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.parametrize("docs_dir", ["docs", ".", "docs/"])
def test_a_public_build_over_the_knowledge_base_pages_is_refused(tmp_path, docs_dir):
    """The knowledge base's own pages (manuals, runbooks) would all be published, and no gate reads them."""
    knowledge_base(tmp_path, CLEAN)
    config = public_config(tmp_path, "mapping")
    config.write_text(
        config.read_text(encoding="utf-8").replace("docs_dir: docs/public", f"docs_dir: {docs_dir}"), encoding="utf-8"
    )
    with pytest.raises(ConfigFileError, match="docs_dir"):
        resolved_options(config)
    assert isinstance(public_build(config), str) and not (tmp_path / "site-public").exists()


# --- one name however it is spelt -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "services, named",
    [
        ([{"name": "workers"}, {"name": "Work_ers"}], ["the service `workers` (", "the service `Work_ers` ("]),
        ([{"name": "api"}, {"name": "api"}], ["the service `api` (", "the service `api` ("]),
        (
            [{"name": "a", "component": "Checkout"}, {"name": "b", "component": "check-out"}],
            ["the component `Checkout` (", "the component `check-out` ("],
        ),
    ],
)
def test_names_that_differ_only_in_case_or_separators_are_refused_naming_both_lines(tmp_path, services, named):
    knowledge_base(tmp_path, CLEAN)
    config = tmp_path / "mkdocs.yml"
    write(tmp_path, "mkdocs.yml", {"site_name": "KB", "plugins": {"postmortems": {"services": services}}})
    lines = config.read_text(encoding="utf-8").split("\n")
    with pytest.raises(ConfigFileError) as refusal:
        resolved_options(config)
    message = str(refusal.value)
    places = re.findall(rf"\({re.escape(str(config))}:(\d+)\)", message)
    assert all(part in message for part in named) and len(places) == 2 and places[0] != places[1]
    for place, service in zip(places, services, strict=True):  # each names the line that spells it
        assert (service.get("component") or service["name"]) in lines[int(place) - 1]
    assert "case, `-`, `_`, `.` and spaces do not count" in message
    result = run_cli("check", "-f", str(config))
    assert result.exit_code == 2 and "Traceback" not in result.output and named[1] in result.output
    refused = public_build(config)
    assert isinstance(refused, str) and named[1] in refused


def test_services_may_share_one_component_spelt_one_way(tmp_path):
    knowledge_base(tmp_path, CLEAN)
    services = [{"name": "checkout", "component": "Checkout"}, {"name": "orders-db", "component": "Checkout"}]
    config = write(tmp_path, "mkdocs.yml", {"site_name": "KB", "plugins": {"postmortems": {"services": services}}})
    assert [s["name"] for s in resolved_options(config).config["services"]] == ["checkout", "orders-db"]


def test_a_twin_in_an_inherited_file_is_named_in_that_file(tmp_path):
    knowledge_base(tmp_path, CLEAN)
    (tmp_path / "base.yml").write_text(
        "plugins:\n  postmortems:\n    services:\n      - name: Workers\n      - name: workers\n", encoding="utf-8"
    )
    config = tmp_path / "mkdocs.yml"
    config.write_text("INHERIT: base.yml\nsite_name: KB\n", encoding="utf-8")
    with pytest.raises(
        ConfigFileError, match=r"`Workers` \(.*base\.yml:4\) and the service `workers` \(.*base\.yml:5\)"
    ):
        resolved_options(config)


REFERENCE = "DORA-2025-0501-7"
REPORTED = {
    "reports": [{"regime": "dora", "stage": "initial", "submitted": "2025-05-01T12:00:00Z", "reference": REFERENCE}]
}


@pytest.mark.parametrize(
    "kb_form, public_form, inherit",
    [("list", "mapping", True), ("mapping", "list", False), ("list", "list", False), ("mapping", "mapping", True)],
)
def test_every_config_shape_keeps_regulatory_reporting_off_the_public_site(tmp_path, kb_form, public_form, inherit):
    """With `INHERIT` or a public config of its own beside `mkdocs.yml`, and either form of `plugins:`, a record's
    regulatory block reaches no file of the status site, and a public text naming its report's reference is refused
    by the build, `check -f` and `public-diff -f`."""
    knowledge_base(tmp_path, CLEAN, kb_form)
    source = tmp_path / "postmortems" / f"{PM}.md"
    source.write_text(postmortem(PM, public=CLEAN, regulatory=REPORTED), encoding="utf-8")
    options = {} if inherit else KB_OPTIONS
    config = public_config(tmp_path, public_form, "mkdocs.yml" if inherit else None, **options)
    site = public_build(config)
    assert isinstance(site, Path), site
    written = [path.read_bytes() for path in site.rglob("*") if path.is_file()]
    assert written and not [text for text in written if REFERENCE.encode() in text or b"regulatory/" in text]
    leaky = {**CLEAN, "summary": f"Placing an order was slow; we reported it as {REFERENCE}."}
    source.write_text(postmortem(PM, public=leaky, regulatory=REPORTED), encoding="utf-8")
    refused = public_build(config)
    assert isinstance(refused, str) and REFERENCE in refused and "regulatory" in refused
    check = run_cli("check", "-f", str(config))
    assert check.exit_code == 1 and "[public-leak]" in check.output and REFERENCE in check.output
    diff = run_cli("public-diff", "-f", str(config))
    assert diff.exit_code == 1 and REFERENCE in diff.output

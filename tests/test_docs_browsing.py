"""The browsing docs match the code: export keys and CSV columns, promised URLs, stated numbers, and the
templates, macros and filters docs/configuration.md lists.

The records come from the example knowledge base (postmortems/ with the policy of mkdocs.yml); the URLs are
checked against one build of the example site.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2
import pytest
from mkdocs.config import load_config

from docs_support import DOCS, FENCE, README, ROOT, read, tables
from mkdocs_postmortems.kb_site import exports, urls as site
from mkdocs_postmortems.kb_site.exports import CSV_COLUMNS, action_item_record, postmortem_record
from mkdocs_postmortems.kb_site.indexes import build_indexes
from mkdocs_postmortems.kb_site.stats import SMALL_SAMPLE, Distribution
from mkdocs_postmortems.knowledge import load_knowledge_base
from mkdocs_postmortems.mkdocs_config import policy_from_options
from mkdocs_postmortems.render import TEMPLATES, template_environment
from mkdocs_postmortems.similarity import TOP_K

BROWSING = DOCS / "browsing.md"
HOME = DOCS / "index.md"

# The four cross-incident pages the home page must link to, as MkDocs source URIs.
NEW_PAGES = (site.ROOT_CAUSES, site.ACTION_ITEMS, site.SERVICES, site.METRICS)
# A JSON value's type as docs/browsing.md writes it in the Type column.
JSON_TYPES = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
    "object": dict,
}

_BACKTICKED = re.compile(r"^`([^`]+)`$")


def documented(first_header: str) -> list[dict[str, str]]:
    """The rows of every table in docs/browsing.md whose first header is `first_header`, in order, each with its
    backticked name under `name`."""
    rows = []
    for header, body in tables(read(BROWSING)):
        if header[0] != first_header:
            continue
        for cells in body:
            match = _BACKTICKED.match(cells[0])
            assert match, f"docs/browsing.md: first cell is not a `name`: {cells[0]!r}"
            rows.append({"name": match.group(1), **dict(zip(header, cells, strict=True))})
    return rows


def key_paths(value, prefix: str, opaque: frozenset[str] = frozenset()):
    """Dotted paths of every key in `value`, descending into objects and lists of objects, not below `opaque`."""
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path
            if path not in opaque:
                yield from key_paths(inner, path, opaque)
    elif isinstance(value, list):
        for inner in value:
            yield from key_paths(inner, prefix, opaque)


def values_at(value, path: list[str]):
    """Every value at a dotted path, through lists."""
    if not path:
        yield value
    elif isinstance(value, list):
        for inner in value:
            yield from values_at(inner, path)
    elif isinstance(value, dict) and path[0] in value:
        yield from values_at(value[path[0]], path[1:])


def type_allows(documented_type: str, value) -> bool:
    for word in documented_type.split(" or "):
        if word.startswith("list of"):
            if isinstance(value, list):
                return True
        elif isinstance(value, JSON_TYPES[word]) and not (word in ("integer", "number") and isinstance(value, bool)):
            return True
    return False


# --------------------------------------------------------------------------------------------------
# The example: its knowledge base through the core, and one build of its site


@pytest.fixture(scope="module")
def config():
    return load_config(str(ROOT / "mkdocs.yml"))


@pytest.fixture(scope="module")
def indexes(config):
    policy = policy_from_options(config.plugins["postmortems"].config)
    kb = load_knowledge_base(ROOT / policy.folder, policy, base=ROOT)
    return build_indexes(kb.published(), policy, kb.today)


@pytest.fixture(scope="module")
def records(indexes):
    def url_of(pm_id: str) -> str:
        return f"postmortems/{pm_id}/"

    postmortems = [postmortem_record(pm, indexes, url_of) for pm in indexes.postmortems]
    items = [action_item_record(entry, url_of) for entry in indexes.action_items]
    assert any(record["root_causes"] for record in postmortems), "the example needs root causes to check their keys"
    assert items, "the example needs action items to check their keys"
    return postmortems, items


@pytest.fixture(scope="module")
def built(example_site):
    return example_site  # built once per session (conftest)


# --------------------------------------------------------------------------------------------------
# The export formats


def test_every_json_key_is_documented_and_no_documented_key_is_stale(records):
    postmortems, items = records
    produced = {"version", "as_of", "postmortems", "action_items"}
    # A postmortem's action items are the action-items.json records, documented once under `action_items.`.
    produced |= set(key_paths({"postmortems": postmortems}, "", frozenset({"postmortems.action_items"})))
    produced |= set(key_paths({"action_items": items}, ""))
    names = [row["name"] for row in documented("Key")]
    assert len(names) == len(set(names)), f"docs/browsing.md documents a key twice: {names}"
    assert not produced - set(names), f"keys missing from docs/browsing.md: {sorted(produced - set(names))}"
    assert not set(names) - produced, (
        f"docs/browsing.md documents keys the exports lack: {sorted(set(names) - produced)}"
    )


def test_a_postmortems_action_items_are_action_item_records(records):
    postmortems, items = records
    nested = {key for record in postmortems for item in record["action_items"] for key in item}
    assert nested == set(items[0])


def test_documented_types_match_the_built_files(built):
    files = {
        "postmortems": json.loads(read(built / "postmortems" / "index.json")),
        "action_items": json.loads(read(built / "action-items" / "action-items.json")),
    }
    assert files["postmortems"]["version"] == files["action_items"]["version"] == exports.FORMAT_VERSION
    for row in documented("Key"):
        path = row["name"].split(".")
        sources = [files[path[0]]] if path[0] in files else list(files.values())
        values = [value for source in sources for value in values_at(source, path)]
        assert values, f"`{row['name']}` is in no built file"
        wrong = [value for value in values if not type_allows(row["Type"], value)]
        assert not wrong, f"`{row['name']}` is documented as {row['Type']!r} but is {wrong[0]!r}"


def test_the_explorers_index_fields_are_documented_in_order(built):
    assert [row["name"] for row in documented("Row field")] == list(exports.POSTMORTEM_COLUMNS)
    assert [row["name"] for row in documented("Item field")] == list(exports.ACTION_ITEM_COLUMNS)
    for uri, columns in (
        ("postmortems/explore.json", exports.POSTMORTEM_COLUMNS),
        ("action-items/explore.json", exports.ACTION_ITEM_COLUMNS),
    ):
        assert tuple(json.loads(read(built / uri))["columns"]) == columns


def test_the_explorers_own_parameter_is_documented():
    script = read(ROOT / "plugin" / "mkdocs_postmortems" / "assets" / "explorer.js")
    assert 'params.set("text"' in script and 'params.get("q")' in script  # written `text`, `q` read for old links
    assert "`text` for the text" in " ".join(read(BROWSING).split())


def test_csv_columns_are_documented_in_order(built):
    assert [row["name"] for row in documented("Column")] == list(CSV_COLUMNS)
    header = (built / "action-items" / "action-items.csv").read_bytes().decode("utf-8").split("\r\n", 1)[0]
    assert header == ",".join(CSV_COLUMNS)


def test_the_formula_guard_is_documented():
    text = " ".join(read(BROWSING).split())
    section = text[text.index("### `action-items.csv`") :]
    names = {"\t": "a tab", "\r": "a carriage return"}
    for start in exports._FORMULA_START:
        shown = names.get(start, f"`{start}`")
        assert shown in section, f"docs/browsing.md does not say that a cell starting with {start!r} is guarded"
    assert "leading `'`" in section


# --------------------------------------------------------------------------------------------------
# The pages


def _urls(text: str) -> set[str]:
    """Every backticked site path, such as `/root-causes/`, `/services/<service>/` or `/postmortems/index.json`
    (a page ends in `/`, perhaps with a `#fragment`; a file in `.json`, `.csv` or `.html`)."""
    site_path = r"/[A-Za-z0-9_.<>/-]*(?:/|\.json|\.csv|\.html)(?:#[A-Za-z0-9_<>-]+)?"
    return set(re.findall(f"`({site_path})`", FENCE.sub("", text)))


def _page_file(built: Path, path: str) -> list[Path]:
    """The built files a URL path (with `<placeholders>`) can be."""
    pattern = path.strip("/") + ("/index.html" if path.endswith("/") else "")
    pattern = re.sub(r"<[^>]+>", "*", pattern.lstrip("/"))
    return sorted(built.glob(pattern)) if "*" in pattern else [p for p in [built / pattern] if p.is_file()]


@pytest.mark.parametrize("doc", [BROWSING, README], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_promised_url_exists_in_the_example_build(built, doc):
    urls = _urls(read(doc))
    assert urls, f"{doc.name} promises no URL"
    for url in sorted(urls):
        path, _, fragment = url.partition("#")
        pages = _page_file(built, path)
        assert pages, f"{doc.name} promises {url}, which the example build does not have"
        if fragment:
            anchor = '[^"]+'.join(re.escape(part) for part in re.split(r"<[^>]+>", fragment))
            assert any(re.search(f'id="{anchor}"', read(p)) for p in pages), f"no anchor for {url}"


def test_every_page_in_the_nav_and_every_filter_is_documented():
    urls = _urls(read(BROWSING))
    for uri in ("postmortems/index.md", *NEW_PAGES):
        assert "/" + uri.removesuffix("index.md") in urls, f"docs/browsing.md does not describe {uri}"
    for dimension in site.FACETS:
        assert any(url.startswith(f"/postmortems/{dimension}/<") for url in urls), f"no URL for the {dimension} filter"
    for uri in (site.ACTION_ITEMS_JSON, site.ACTION_ITEMS_CSV, "postmortems/index.json"):
        assert f"/{uri}" in urls, f"docs/browsing.md does not name /{uri}"


def test_home_page_links_to_the_new_pages_and_the_guide(built):
    links = re.findall(r"\]\(([^)\s]+)\)", read(HOME))
    for target in (*NEW_PAGES, "browsing.md"):
        assert target in links, f"docs/index.md does not link to {target}"
    home = read(built / "index.html")
    for uri in NEW_PAGES:
        assert f'href="{uri.removesuffix("index.md")}"' in home, f"the built home page does not link to {uri}"


def test_readme_links_the_browsing_guide():
    assert "(docs/browsing.md)" in read(README)


# --------------------------------------------------------------------------------------------------
# The numbers the guide states, and the templates docs/configuration.md lists


def test_stated_numbers_are_the_codes():
    text = read(BROWSING)
    assert f"up to {TOP_K} other postmortems" in text
    assert f"fewer than {SMALL_SAMPLE} values" in text
    sample = Distribution((1.0, 2.0, 3.0, 4.0))
    assert f"the median is {sample.median:g}" in text and f"the p90 is {sample.p90:g}" in text


def test_configuration_lists_every_template():
    shipped = {path.name for path in (TEMPLATES / "postmortems").glob("*.html")}
    listed = set(re.findall(r"`overrides/postmortems/([\w.-]+\.html)`", read(DOCS / "configuration.md")))
    assert listed == shipped, f"missing: {sorted(shipped - listed)}; stale: {sorted(listed - shipped)}"


def test_configuration_names_every_macro_and_filter():
    text = read(DOCS / "configuration.md")
    for macro in re.findall(r"\{%-?\s*macro\s+(\w+)\(", read(TEMPLATES / "postmortems" / "macros.html")):
        assert f"`{macro}`" in text, f"docs/configuration.md does not name the macro `{macro}`"
    for name in set(template_environment().filters) - set(jinja2.Environment().filters):
        assert f"`{name}`" in text, f"docs/configuration.md does not name the filter `{name}`"

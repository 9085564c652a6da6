"""`render.py`'s templates with blocks: each page's template is a thin file extending `postmortems/base/<name>.html`,
whose named blocks a site's `overrides/postmortems/<name>.html` replaces one at a time (extending the base, since
extending its own name would extend itself). Replacing one block changes that block in the built site and nothing else.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest
import tomllib
import yaml

from mkdocs_postmortems.render import TEMPLATES, template_environment
from site_support import REPO, build_site, make_site, page, postmortem, snapshot

PM = "2024-03-14-checkout-latency"
SHIPPED = TEMPLATES / "postmortems"
THEME = {"name": "material", "custom_dir": "overrides", "font": False}
CAUSES = """\
{% extends "postmortems/base/details.html" %}
{% block root_causes %}
<h2 id="root-causes">Root causes</h2>
<p class="our-causes">{{ pm.root_causes|length }} causes, {{ pm.root_causes|map(attribute="category")|join(" and ") }}.
</p>
{% endblock %}
"""
BANNER = """\
{% extends "postmortems/base/status.html" %}
{% block banner %}
<div class="our-banner">{{ description }}: {{ unresolved|length }} open, {{ components|length }} components</div>
{% endblock %}
"""


def site_with(root: Path, overrides: dict[str, str]) -> Path:
    """A site of one postmortem with a public block, whose service is a public component (so `/status/` lists it),
    built with `overrides/postmortems/<name>` as given."""
    config = make_site(
        root,
        {
            f"{PM}.md": postmortem(
                PM, public={"title": "Slow checkout", "summary": "Checkout was slow.", "components": ["Checkout"]}
            )
        },
        config={"theme": THEME},
    )
    mkdocs = yaml.safe_load(config.read_text(encoding="utf-8"))
    mkdocs["plugins"][1]["postmortems"]["services"][0].update(component="Checkout", public=True)
    config.write_text(yaml.safe_dump(mkdocs, sort_keys=False), encoding="utf-8")
    (root / "overrides" / "postmortems").mkdir(parents=True)
    for name, text in overrides.items():
        (root / "overrides" / "postmortems" / name).write_text(text, encoding="utf-8")
    return build_site(config, strict=True)


def between(html: str, start: str, end: str) -> str:
    """The part of `html` from `start` to the first `end` after it, both included."""
    first = html.index(start)
    return html[first : html.index(end, first) + len(end)]


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The same sources built with the shipped templates and with two overrides of one block each."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1748764800")  # one build clock: "last updated" is the same in both
    try:
        shipped = site_with(tmp_path_factory.mktemp("shipped"), {})
        overridden = site_with(tmp_path_factory.mktemp("overridden"), {"details.html": CAUSES, "status.html": BANNER})
    finally:
        mp.undo()
    return snapshot(shipped), snapshot(overridden)


def test_replacing_the_root_causes_block_changes_that_section_of_the_postmortem_page_only(sites):
    shipped, overridden = (site[f"postmortems/{PM}/index.html"].decode() for site in sites)
    ours = '<h2 id="root-causes">Root causes</h2>\n<p class="our-causes">2 causes, capacity and monitoring-gap.\n</p>\n'
    theirs = between(shipped, '<h2 id="root-causes">', "</table>\n</div>\n")
    assert 'class="pm-root-causes' in theirs and shipped.count(theirs) == 1
    assert overridden == shipped.replace(theirs, ours)


def test_replacing_the_banner_block_changes_that_part_of_the_status_page_only(sites):
    shipped, overridden = (site["status/index.html"].decode() for site in sites)
    theirs = between(shipped, '<div class="pm-status__banner', "</div>\n")
    assert "All Systems Operational" in theirs
    assert overridden == shipped.replace(
        theirs, '<div class="our-banner">All Systems Operational: 0 open, 1 components</div>\n'
    )


def test_no_other_page_changes(sites):
    shipped, overridden = sites
    changed = {"status/index.html", f"postmortems/{PM}/index.html", "search/search_index.json"}
    assert shipped.keys() == overridden.keys() and changed <= shipped.keys()
    assert [name for name in shipped if name not in changed and shipped[name] != overridden[name]] == []


def test_a_block_keeps_the_page_around_it_and_can_add_to_the_shipped_content(tmp_path):
    """`postmortem.html` itself: the card replaced, the body and the tables below it kept; `super()` keeps the
    shipped content of a block and adds to it."""
    site = site_with(
        tmp_path,
        {
            "postmortem.html": '{% extends "postmortems/base/postmortem.html" %}\n'
            '{% block header %}<div class="our-card">{{ pm.title }}</div>\n{% endblock %}\n',
            "details.html": '{% extends "postmortems/base/details.html" %}\n'
            '{% block action_items %}{{ super() }}<p class="our-note">Ask #incidents.</p>\n'
            "{% endblock %}\n",
        },
    )
    html = page(site, PM)
    assert '<div class="our-card">Incident 2024-03-14-checkout-latency</div>' in html and 'class="pm-card"' not in html
    assert html.index("our-card") < html.index("Summary of the incident.") < html.index('class="pm-root-causes')
    assert html.index('class="pm-root-causes') < html.index('id="action-items"') < html.index('class="our-note"')


# --- the shipped templates ---------------------------------------------------------------------------------------


THIN = sorted(path.name for path in SHIPPED.glob("*.html") if (SHIPPED / "base" / path.name).exists())


def test_every_page_template_has_blocks_in_a_base_it_extends():
    partials = {"filters.html", "item-row.html", "macros.html", "row.html"}  # included or imported, never a page
    assert set(THIN) == {path.name for path in SHIPPED.glob("*.html")} - partials
    for name in THIN:
        text = (SHIPPED / name).read_text(encoding="utf-8")
        assert text.rstrip().endswith(f'{{% extends "postmortems/base/{name}" %}}'), name
        assert text.count("{%") == 1, f"{name} holds more than its `extends`: put it in base/{name}"


@pytest.mark.parametrize("name", THIN)
def test_a_thin_template_lists_its_bases_blocks_in_order(name):
    listed = re.findall(
        r"^     ( *)([a-z_]+) {2,}\S",
        (SHIPPED / name).read_text(encoding="utf-8").split("#}")[0].split("Blocks of", 1)[1],
        re.MULTILINE,
    )
    blocks = re.findall(r"\{%-? block (\w+) %\}", (SHIPPED / "base" / name).read_text(encoding="utf-8"))
    assert [block for _, block in listed] == blocks and len(set(blocks)) == len(blocks)


def test_the_wheel_ships_every_template_and_asset():
    """`package-data` in pyproject.toml names what the wheel holds besides code: a template it misses renders in a
    checkout and fails in every installed site."""
    package = TEMPLATES.parent
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["mkdocs_postmortems"]
    shipped = {path for pattern in patterns for path in package.glob(pattern)}
    files = {
        path
        for folder in ("templates", "assets")
        for path in (package / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert sorted(path.relative_to(package).as_posix() for path in files - shipped) == []


# --- the stylesheets ---------------------------------------------------------------------------------------------


def declarations(css: str, context: str = "") -> list[tuple[str, str, str]]:
    """(at-rules around it, selector, property) of every declaration of `css`, one per selector of a list."""
    found, at = [], 0
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    while (start := css.find("{", at)) >= 0:
        head = css[at:start].strip()
        depth, end = 1, start + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        body = css[start + 1 : end - 1]
        if head.startswith("@"):
            found += declarations(body, f"{context}{head} ")
        else:
            selectors = [" ".join(s.split()) for s in re.split(r",(?![^()]*\))", head)]
            found += [
                (context, selector, declaration.split(":")[0].strip())
                for selector in selectors
                for declaration in body.split(";")
                if ":" in declaration
            ]
        at = end
    return found


@pytest.mark.parametrize("name", ["postmortems.css", "feed.css"])
def test_no_rule_sets_a_property_its_stylesheet_sets_already(name):
    """A colour declared twice is one that was changed in one place only: the later one wins, unseen."""
    found = declarations((TEMPLATES.parent / "assets" / name).read_text(encoding="utf-8"))
    twice = sorted({item for item in found if found.count(item) > 1})
    assert len(found) > 20 and twice == []


def test_each_status_colour_is_declared_once_per_scheme():
    found = declarations((TEMPLATES.parent / "assets" / "postmortems.css").read_text(encoding="utf-8"))
    status = [
        (selector, prop)
        for _, selector, prop in found
        if prop.startswith("--pm-status-") and prop != "--pm-status-accent"
    ]
    light = {prop for selector, prop in status if selector == ":root"}
    dark = {prop for selector, prop in status if selector == '[data-md-color-scheme="slate"]'}
    assert len(status) == len(light) + len(dark) and dark == {prop for prop in light if prop.endswith("-text")}
    slate = '[data-md-color-scheme="slate"] .pm-status'
    slate_rules = [selector for _, selector, _ in found if selector.startswith(slate)]
    assert slate_rules == []  # the dark scheme changes the properties, never a status rule


@pytest.mark.parametrize(
    "text, html, inline",
    [
        (
            "Plain <your-host> **text**\n\nTwo.",
            "<p>Plain &lt;your-host&gt; **text**</p>\n<p>Two.</p>",
            "Plain &lt;your-host&gt; **text**\n\nTwo.",
        ),
        ("We found <b>it</b>.", "<p>We found <b>it</b>.</p>", "We found <b>it</b>."),
        ("<ul><li>one</li></ul>", "<ul><li>one</li></ul>", "<ul><li>one</li></ul>"),
        (
            "<b>x</b><script>alert(1)</script>",
            "<p>&lt;b&gt;x&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>",
            "&lt;b&gt;x&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
        ),
    ],
)
def test_the_public_text_filters_render_as_status_site_html_text_decides(text, html, inline):
    """`|public_html` and `|public_inline`, which the status templates use for public text (`html_text`)."""
    env = template_environment()
    assert env.from_string("{{ text|public_html }}").render(text=text) == html
    assert env.from_string("{{ text|public_inline }}").render(text=text) == inline


def test_a_template_is_compiled_once_per_process_and_again_when_it_is_edited(tmp_path, monkeypatch):
    compiled: list[str] = []
    compile_ = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return compile_(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    override = tmp_path / "postmortems"
    override.mkdir()
    (override / "row.html").write_text("first {{ x }}", encoding="utf-8")
    assert template_environment([str(tmp_path)]).get_template("postmortems/row.html").render(x=1) == "first 1"
    assert template_environment([str(tmp_path)]).get_template("postmortems/row.html").render(x=2) == "first 2"
    (override / "row.html").write_text("edited {{ x }}", encoding="utf-8")
    assert template_environment([str(tmp_path)]).get_template("postmortems/row.html").render(x=3) == "edited 3"
    assert compiled == ["postmortems/row.html", "postmortems/row.html"]  # the first, and the edited one

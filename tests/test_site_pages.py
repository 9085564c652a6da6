"""`site_pages.py`: what every engine is handed of a site's pages, decided once. Each page's URL as MkDocs makes it,
its title escaped, its search flag and front matter, the sections of the HTML around it, and the assets every page
links, added once however often a site is configured."""

from __future__ import annotations

import pytest

from mkdocs_postmortems.site_pages import ASSETS, CSS, JS, SEARCH_JS, Rendered, SitePage, TocEntry, page_url


@pytest.mark.parametrize(
    "uri, directory_urls, url",
    [
        ("postmortems/2024-03-14-x.md", True, "postmortems/2024-03-14-x/"),
        ("postmortems/2024-03-14-x.md", False, "postmortems/2024-03-14-x.html"),
        ("postmortems/index.md", True, "postmortems/"),
        ("postmortems/README.md", False, "postmortems/index.html"),
        ("index.md", True, "./"),
        ("index.md", False, "index.html"),
        ("action-items/action-items.csv", True, "action-items/action-items.csv"),
        ("services/c++ & more.md", True, "services/c%2B%2B%20%26%20more/"),
    ],
)
def test_a_pages_url_is_the_one_mkdocs_makes(uri, directory_urls, url):
    assert page_url(uri, directory_urls) == url


def test_a_pages_front_matter_is_decided_once():
    searchable = SitePage("postmortems/a.md", 'Slow <b> & "x"', "body")
    assert searchable.title_html == "Slow &lt;b&gt; &amp; &quot;x&quot;"
    assert searchable.front_matter({"title": "theirs"}) == {"title": searchable.title_html}
    listing = SitePage("root-causes/index.md", "Root causes", searchable=False, user_page=True)
    assert listing.front_matter({}) == {"title": "Root causes", "search": {"exclude": True}}
    assert listing.front_matter({"title": "Why"}) == {"title": "Why", "search": {"exclude": True}}


def test_the_sections_are_found_once_and_a_nested_one_stays_html_in_markdown():
    after = '<h2 id="a">A &amp; B</h2>\n<div>\n<h2 id="b">B</h2>\n</div>\n<h2 id="c">C</h2>\n'
    rendered = Rendered("<p>card</p>", after)
    assert rendered.toc == (TocEntry("a", "A &amp; B"), TocEntry("b", "B"), TocEntry("c", "C"))
    assert rendered.after_with_sections(lambda entry: f"## {entry.title}") == (
        '## A &amp; B\n<div>\n<h2 id="b">B</h2>\n</div>\n## C\n'
    )


def test_the_html_goes_around_the_page_in_place_of_the_compact_search_text():
    rendered = Rendered("<div>card</div>", "<table>items</table>")
    assert rendered.around("<p>body</p>") == "<div>card</div><p>body</p><table>items</table>"
    assert rendered.around("<p>s</p><p>body</p><p>t</p>", ("<p>s</p>", "<p>t</p>")) == rendered.around("<p>body</p>")


def test_the_assets_are_added_once():
    css, js = ["mine.css"], []
    for _ in range(2):
        ASSETS.add_to(css, js)
    assert css == ["mine.css", CSS] and js[0] == JS and js == list(ASSETS.scripts) and SEARCH_JS not in js


def test_the_search_script_is_linked_only_where_pagefind_serves_search_and_always_copied():
    css, js = [], []
    for _ in range(2):
        ASSETS.add_to(css, js, search=True)
    assert js == [*ASSETS.scripts, SEARCH_JS] and SEARCH_JS in ASSETS.files()


def test_the_assets_are_files_of_the_package():
    assert {CSS, JS, SEARCH_JS} <= set(ASSETS.files()) == {CSS, *ASSETS.scripts, *ASSETS.search}
    assert all(path.is_file() and path.stat().st_size > 0 for path in ASSETS.files().values())

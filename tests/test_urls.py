"""`kb_site/urls.py`: where every generated page of the internal site lives. Slugs are ASCII, bounded and stable;
two values that slug alike get pages of their own."""

from __future__ import annotations

import re

from hypothesis import given, strategies as st

from mkdocs_postmortems.kb_site.urls import MAX_SLUG, SiteMap, slugify


def test_a_title_becomes_its_first_words_in_lower_case_ascii():
    assert slugify("Checkout latency during the Spring Sale!") == "checkout-latency-during-the-spring-sale"
    assert slugify("Café ☕ déjà vu") == "cafe-deja-vu"
    assert slugify("one two three four five six seven") == "one-two-three-four-five-six"
    assert slugify("one two three", max_words=2) == "one-two"
    assert slugify("!!! ☕") == "incident"


def test_a_long_slug_is_cut_and_ends_with_a_hash_of_the_whole():
    first, second = slugify("word " * 40 + "alpha", max_words=50), slugify("word " * 40 + "omega", max_words=50)
    assert len(first) == len(second) <= MAX_SLUG
    assert first != second and first[:-9] == second[:-9]
    assert re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{8}", first)
    assert slugify("word " * 40 + "alpha", max_words=50) == first  # stable


@given(st.text(max_size=300))
def test_any_text_gives_a_bounded_ascii_slug(text):
    slug = slugify(text, max_words=100)
    assert 0 < len(slug) <= MAX_SLUG and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)


def test_values_that_slug_alike_get_pages_of_their_own_and_keep_them():
    site = SiteMap("postmortems")
    assert site.service("C++") == "services/c.md"
    assert site.service("c") == "services/c-2.md"
    assert site.service("C++") == "services/c.md"  # asked again, the same page
    assert site.service("Index") == "services/index-2.md"  # never the services page itself
    assert site.facet("tag", "c") == "postmortems/tag/c.md"  # another folder, its own names


def test_every_page_lives_under_the_postmortems_folder_or_its_own_section():
    site = SiteMap("incidents")
    assert (site.index, site.index_json) == ("incidents/index.md", "incidents/index.json")
    assert site.postmortem("2024-03-14-checkout") == "incidents/2024-03-14-checkout.md"
    assert site.facet("severity", "SEV1") == "incidents/severity/sev1.md"
    assert site.facet_values("tag") == "incidents/tag/index.md"
    assert site.owner("Team Checkout") == "action-items/owner/team-checkout.md"
    assert site.category("config-change") == "root-causes/config-change.md"

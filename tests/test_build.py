"""`build.py`: the public site refuses its own pages when they name what the leak gate keeps in, under MkDocs and
`postmortems generate` alike: `docs/public/about.md` is published as written, like a postmortem's public text."""

from __future__ import annotations

import pytest

from site_support import build_site, make_site, postmortem, run_cli
from test_mkdocs_config import public_build

PM = "2025-05-01-orders-slow"
BLOCK = {"title": "Slow orders", "summary": "Placing an order was slow.", "components": ["Checkout"]}


def status_site(root, about: str):
    return make_site(
        root,
        {f"{PM}.md": postmortem(PM, public=BLOCK)},
        {
            "services": [{"name": "checkout", "component": "Checkout"}, {"name": "orders-db"}],
            "status_page": {"public_site": True},
        },
        {"site_dir": "site-public"},
        docs={"about.md": about},
    )


@pytest.mark.parametrize(
    "about, found",
    [
        ("Our orders_db runs in two regions.\n", "orders_db"),
        ("Ask [alice](mailto:alice@corp.internal) for details.\n", "alice"),
        ("The console is at 10.2.3.4.\n", "10.2.3.4"),
    ],
)
def test_a_status_site_page_naming_something_internal_is_refused_by_both_builds(tmp_path, about, found):
    config = status_site(tmp_path, "# About\n\n" + about)
    refused = public_build(config)
    assert isinstance(refused, str) and "about.md:3:" in refused and found in refused
    assert not (tmp_path / "site-public").exists()
    result = run_cli("generate", "-f", str(config), str(tmp_path / "out"))
    assert result.exit_code == 1 and "about.md:3:" in result.output and not (tmp_path / "out").exists()


def test_a_status_site_page_in_plain_public_words_is_published(tmp_path):
    site = build_site(status_site(tmp_path, "# About\n\nCheckout and delivery status, updated as we learn more.\n"))
    assert "updated as we learn more" in (site.parent / "site-public" / "about" / "index.html").read_text()


def test_a_status_site_page_whose_front_matter_title_names_something_internal_is_refused(tmp_path):
    """MkDocs strips a page's front matter before the plugin sees its Markdown; the title is published all the same."""
    config = status_site(tmp_path, "---\ntitle: About orders-db\n---\n\n# About\n\nPlain words.\n")
    refused = public_build(config)
    assert isinstance(refused, str) and "about.md:2:" in refused and "orders-db" in refused


def test_a_docs_page_at_the_address_of_a_generated_page_is_a_warning_not_a_silent_drop(tmp_path, caplog):
    config = make_site(
        tmp_path,
        {"2024-03-01-outage": postmortem("2024-03-01-outage")},
        docs={"index.md": "# Home\n", "services.md": "# Our services\n", "services-guide.md": "# A guide\n"},
    )
    with caplog.at_level("WARNING"):
        build_site(config)
    said = [record.getMessage() for record in caplog.records if "is published at" in record.getMessage()]
    assert len(said) == 1, said
    assert "docs/services.md is published at /services/" in said[0]
    assert "move it to docs/services/index.md" in said[0]

"""The knowledge base's pages end to end: small sites built with MkDocs' own API, the HTML they produce checked. What
is MkDocs' own (the nav, rebuilds, watching) is in tests/test_plugin.py.

Every site is written into `tmp_path` (mkdocs.yml, docs/, postmortems/) and built with
`mkdocs.commands.build.build`, exactly as `mkdocs build` does, so these tests see what a reader sees.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml
from mkdocs.exceptions import Abort

from site_support import (
    IMG,
    SCRIPT,
    SECTIONS,
    body,
    build_site,
    front_matter,
    index,
    index_links,
    listed_ids,
    make_site,
    nav_links,
    page,
    postmortem,
    resolve,
    run_cli,
    section,
)

# --------------------------------------------------------------------------------------------------
# One postmortem page


def test_postmortem_page_has_header_card_body_and_front_matter_tables(tmp_path):
    pm_id = "2024-03-14-checkout-latency"
    extra = "\nThe checkout queue filled with *slow* requests while the zebra-pool drained.\n"
    config = make_site(
        tmp_path,
        {
            f"{pm_id}.md": postmortem(
                pm_id,
                body(extra=extra),
                services=["checkout", "payments"],
                severity="SEV1",
                resolved="2024-03-15T12:00:00Z",
            )
        },
    )
    site = build_site(config, strict=True)
    html = page(site, pm_id)

    card = html[html.index('<div class="pm-card"') : html.index("</dl>")]
    assert 'data-severity="SEV1"' in card
    assert re.search(r'title="Severity">SEV1<', card)
    assert re.search(r'title="Status">published<', card)
    assert re.search(r'title="Service">checkout<', card) and re.search(r'title="Service">payments<', card)
    assert '<time datetime="2024-03-14T09:58:00Z">2024-03-14 09:58 UTC</time>' in card
    assert re.search(r"<dt>Time to detect</dt><dd>7 min</dd>", card)
    assert re.search(r"<dt>Time to mitigate</dt><dd>1 h 12 min</dd>", card)
    assert re.search(r"<dt>Time to resolve</dt><dd>1 d 2 h</dd>", card)
    assert "1,200 customers affected" in html

    assert "<h1>Incident 2024-03-14-checkout-latency</h1>" in html
    assert "<title>Incident 2024-03-14-checkout-latency - Test postmortems</title>" in html
    assert '<h2 id="root-cause-analysis">Root cause analysis</h2>' in html
    assert "<em>slow</em> requests while the zebra-pool drained" in html

    causes = section(html, "pm-root-causes")
    assert '<h2 id="root-causes">Root causes</h2>' in html
    flat = re.sub(r">\s+<", "><", causes)
    assert re.search(
        r'<tr id="cause-pool"><td class="pm-col-kind"[^>]*>causal</td><td class="pm-col-category"[^>]*><a href="[^"]*root-causes/#category-capacity">capacity</a></td>',
        flat,
    )
    assert "sized for last year&#39;s peak traffic" in causes
    assert re.search(
        r'<tr id="cause-alert"><td class="pm-col-kind"[^>]*>contributing</td><td class="pm-col-category"[^>]*><a [^>]*>monitoring-gap</a>',
        flat,
    )

    items = section(html, "pm-action-items")
    assert '<h2 id="action-items">Action items</h2>' in html
    assert '<a href="https://tracker.example/CHK-1">Size the pool from load tests</a>' in items
    assert "Done when: The pool survives twice last peak." in items
    assert re.search(r'Addresses: <a href="#cause-pool"><code>pool</code></a>', items)
    # Action, then status and due date (what a reader scans for), then owner (a link to their page) and priority
    assert re.search(
        r'pm-badge--open">open</span></td>\s*<td class="pm-col-due" data-label="Due">2099-01-31</td>\s*'
        r'<td class="pm-col-owner" data-label="Owner"><a href="[^"]*action-items/owner/team-checkout/">'
        r'team-checkout</a></td>\s*<td class="pm-col-priority" data-label="Priority">P1</td>',
        items,
    )
    assert 'pm-badge--open">open<' in items and 'pm-badge--done">done<' in items
    assert "overdue" not in items
    # The header card comes before the body, the tables after it.
    assert html.index('class="pm-card"') < html.index('id="summary"') < html.index('id="root-causes"')
    assert (site / "assets" / "postmortems" / "postmortems.css").is_file()
    assert 'href="../../assets/postmortems/postmortems.css"' in html
    assert (site / "assets" / "postmortems" / "postmortems.js").is_file()
    assert 'src="../../assets/postmortems/postmortems.js"' in html


def test_overdue_action_item_is_flagged_on_the_page(tmp_path):
    pm_id = "2024-03-14-checkout-latency"
    items = front_matter(pm_id)["action_items"]
    items[0]["due"] = "2024-04-01"
    config = make_site(
        tmp_path,
        {f"{pm_id}.md": postmortem(pm_id, action_items=items)},
        options={"rule_levels": {"action-item-overdue": "info"}},
    )
    html = page(build_site(config, strict=True), pm_id)
    assert 'pm-badge--overdue">overdue<' in html


# --------------------------------------------------------------------------------------------------
# The index


def test_index_lists_published_postmortems_newest_first_with_working_links(tmp_path):
    files = {
        "2023-12-01-old-outage.md": postmortem("2023-12-01-old-outage", severity="SEV3", status="in-review"),
        "2024-06-30-newest-outage.md": postmortem("2024-06-30-newest-outage", severity="SEV1"),
        "2024-02-10-middle-outage.md": postmortem("2024-02-10-middle-outage", services=["search"]),
        "2024-07-01-draft-outage.md": postmortem("2024-07-01-draft-outage", status="draft"),
        # Same day as another one: the order must still be total (ties by ID).
        "2024-02-10-another-outage.md": postmortem("2024-02-10-another-outage", started="2024-02-10T09:58:00Z"),
    }
    site = build_site(make_site(tmp_path, files), strict=True)
    html = index(site)

    assert listed_ids(html) == [
        "2024-06-30-newest-outage",
        "2024-02-10-another-outage",
        "2024-02-10-middle-outage",
        "2023-12-01-old-outage",
    ]
    assert "4 postmortems, newest first." in html
    for href in index_links(html):
        assert resolve(site, "postmortems/", href).is_file(), href
    assert "2024-07-01-draft-outage" not in html
    assert not (site / "postmortems" / "2024-07-01-draft-outage").exists()
    row = html[html.index("2024-06-30-newest-outage/") :]
    row = row[: row.index("</tr>")]
    assert "Incident 2024-06-30-newest-outage</a>" in row and "pm-badge--sev1" in row and "1 h 12 min" in row
    assert '<time datetime="2024-06-30T09:58:00Z">2024-06-30</time>' in html
    # The index is a page of the site, linked from the home page's navigation.
    assert any(
        resolve(site, "", href) == site / "postmortems" / "index.html"
        for href in nav_links((site / "index.html").read_text(encoding="utf-8"))
    )


def test_related_postmortems_link_to_their_pages(tmp_path):
    files = {
        "2024-01-05-first.md": postmortem("2024-01-05-first"),
        "2024-02-05-second.md": postmortem("2024-02-05-second", related=["2024-01-05-first"]),
    }
    site = build_site(make_site(tmp_path, files), strict=True)
    html = page(site, "2024-02-05-second")
    related = section(html, "pm-related", "</ul>")
    href = re.search(r'<a href="([^"]*2024-01-05-first[^"]*)"', related).group(1)
    assert "Incident 2024-01-05-first" in related
    assert resolve(site, "postmortems/2024-02-05-second/", href) == site / "postmortems/2024-01-05-first/index.html"


@pytest.mark.parametrize("include_drafts", [False, True])
def test_drafts_are_published_only_when_included(tmp_path, include_drafts):
    files = {
        "2024-03-01-published.md": postmortem("2024-03-01-published"),
        "2024-03-02-draft.md": postmortem("2024-03-02-draft", status="draft", reviewers=[]),
    }
    options = {"include_drafts": True} if include_drafts else {}
    site = build_site(make_site(tmp_path, files, options), strict=True)
    assert (site / "postmortems/2024-03-01-published/index.html").is_file()
    assert (site / "postmortems/2024-03-02-draft/index.html").is_file() is include_drafts
    assert listed_ids(index(site)) == (["2024-03-02-draft"] if include_drafts else []) + ["2024-03-01-published"]
    search = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert ("postmortems/2024-03-02-draft/" in search) is include_drafts


# --------------------------------------------------------------------------------------------------
# Problems: strict builds fail, other builds show them


BAD_ID = "2024-04-02-bad"
PROBLEM_CASES = {
    # an error: a severity outside the scale
    "error": {f"{BAD_ID}.md": postmortem(BAD_ID, severity="SEV9")},
    # only a warning: a required section is missing
    "warning": {f"{BAD_ID}.md": postmortem(BAD_ID, body(SECTIONS[:-1]))},
    # an error and a warning in one file
    "both": {f"{BAD_ID}.md": postmortem(BAD_ID, body(SECTIONS[1:]), reviewers=[])},
}


@pytest.mark.parametrize("case", sorted(PROBLEM_CASES))
def test_strict_build_fails_on_a_file_with_problems(tmp_path, case):
    files = {"2024-04-01-good.md": postmortem("2024-04-01-good"), **PROBLEM_CASES[case]}
    config = make_site(tmp_path, files)
    with pytest.raises(Abort):
        build_site(config, strict=True)


@pytest.mark.parametrize("case", sorted(PROBLEM_CASES))
def test_non_strict_build_shows_the_problems_on_the_page(tmp_path, monkeypatch, case):
    files = {"2024-04-01-good.md": postmortem("2024-04-01-good"), **PROBLEM_CASES[case]}
    config = make_site(tmp_path, files)
    site = build_site(config)

    html = page(site, BAD_ID)
    notice = re.search(r'<div class="admonition warning pm-problems" role="alert">(.*?)</div>', html, re.S)
    assert notice, "no problems notice on the page"
    count = int(re.search(rf"(\d+) problems? in postmortems/{BAD_ID}\.md", notice.group(1)).group(1))
    assert count == notice.group(1).count("<li>") >= 1
    # The page shows what `postmortems check` reports for the file: the same number of errors and warnings.
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "--format", "json", "-f", "mkdocs.yml")
    reported = [
        d
        for d in json.loads(result.stdout)["diagnostics"]
        if d["path"] == f"postmortems/{BAD_ID}.md" and d["level"] in ("error", "warning")
    ]
    assert count == len(reported)
    for d in reported:
        assert f"<code>{d['code']}</code>" in notice.group(1)
        assert f"<code>postmortems/{BAD_ID}.md:{d['line']}:{d['col']}</code>" in notice.group(1)
    # The index flags it; the good one has no notice.
    row = index(site)[index(site).index(f"{BAD_ID}/") :]
    row = row[: row.index("</tr>")]
    assert f'pm-badge--problems">{count} problem{"s" if count != 1 else ""}</span>' in row
    assert "pm-problems" not in page(site, "2024-04-01-good")


def test_unreadable_files_are_listed_on_the_index_and_nothing_else_breaks(tmp_path):
    files = {
        "2024-05-01-good.md": postmortem("2024-05-01-good"),
        "2024-05-02-binary.md": b"---\ntitle: x\n---\n\x00\x01\x02\xff\xfe binary",
        "2024-05-03-latin1.md": postmortem("2024-05-03-latin1").encode("utf-8").replace(b"Incident", b"Incid\xe9nt"),
        "2024-05-04-no-front-matter.md": "# Just a heading\n",
        "notes.txt": "not a postmortem\n",
    }
    config = make_site(tmp_path, files)
    site = build_site(config)

    html = index(site)
    assert listed_ids(html) == ["2024-05-01-good"]
    section = html[html.index('<h2 id="files-with-problems">4 files with problems</h2>') :]
    assert "4 files in the postmortems folder have problems; 4 of them have no page" in section
    for name, code in [
        ("2024-05-02-binary.md", "binary-file"),
        ("2024-05-03-latin1.md", "encoding"),
        ("2024-05-04-no-front-matter.md", "front-matter-missing"),
        ("notes.txt", "not-markdown"),
    ]:
        assert f"<li><code>postmortems/{name}</code>" in section
        assert f"<code>{code}</code>" in section
    assert "pm-problems" not in page(site, "2024-05-01-good")
    for stem in ("2024-05-02-binary", "2024-05-03-latin1", "2024-05-04-no-front-matter", "notes"):
        assert not (site / "postmortems" / stem).exists()
    assert (site / "index.html").is_file() and (site / "search" / "search_index.json").is_file()
    with pytest.raises(Abort):
        build_site(config, strict=True)


def test_empty_or_missing_folder_still_gives_an_index(tmp_path):
    config = make_site(tmp_path, {})
    site = build_site(config, strict=True)
    assert "0 postmortems, newest first." in index(site)
    (tmp_path / "postmortems").rmdir()
    site = build_site(config)
    assert "0 postmortems, newest first." in index(site)
    with pytest.raises(Abort):  # a missing folder is most likely a typo in `folder`: strict says so
        build_site(config, strict=True)


# --------------------------------------------------------------------------------------------------
# Escaping


def test_everything_from_front_matter_is_escaped(tmp_path):
    pm_id = "2024-03-14-hostile"
    title = f"Outage {SCRIPT} {IMG}"
    values = front_matter(
        pm_id,
        title=title,
        severity=f"SEV2{SCRIPT}",
        authors=[f"eve {SCRIPT}"],
        reviewers=[IMG],
        tags=[IMG, "ok"],
        related=[f"nope{IMG}"],
        impact={"summary": f"Impact {SCRIPT}{IMG}"},
        root_causes=[{"id": f"c1{IMG}", "kind": "causal", "category": "capacity", "summary": f"Cause {SCRIPT}"}],
        action_items=[
            {
                "title": f"Fix {SCRIPT}",
                "owner": f"team {IMG}",
                "priority": "P1",
                "due": "2099-01-01",
                "status": "wont-do",
                "closed": "2024-03-20",
                "reason": IMG,
                "done_when": SCRIPT,
                "addresses": [f"c1{IMG}"],
                "link": 'https://x.example/a"onmouseover="alert(1)',
            }
        ],
        communications=[{"audience": "customers", "channel": IMG, "at": "2024-03-14T10:00:00Z", "summary": SCRIPT}],
    )
    text = f"---\n{yaml.safe_dump(values, sort_keys=False)}---\n{body()}"
    site = build_site(make_site(tmp_path, {f"{pm_id}.md": text, "2024-03-15-fine.md": postmortem("2024-03-15-fine")}))
    html = page(site, pm_id)

    for name, content in [
        ("page", html),
        ("index", index(site)),
        ("home", (site / "index.html").read_text(encoding="utf-8")),
        ("other", page(site, "2024-03-15-fine")),
    ]:
        assert "<script>alert(" not in content, name
        assert "<img src=x" not in content, name
        assert '"><img' not in content, name
        assert '"onmouseover="' not in content, name
        assert "&amp;lt;" not in content and "&amp;#" not in content, f"{name} is escaped twice"
    title_html = (
        "Outage &lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
    )
    assert re.search(r"<title>Outage &lt;script&gt;alert\((&quot;|&#34;)xss", html)
    assert f"<h1>{title_html}</h1>" in html
    assert "Impact &lt;script&gt;" in html and "Cause &lt;script&gt;" in html and "Fix &lt;script&gt;" in html
    assert "team &#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'id="cause-c1&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in html
    assert 'href="https://x.example/a&#34;onmouseover=&#34;alert(1)"' in html
    # The invalid severity and the unknown related ID are reported, also escaped.
    assert "pm-problems" in html and "SEV2&lt;script&gt;" in html
    assert "Outage &lt;script&gt;" in index(site)


# --------------------------------------------------------------------------------------------------
# Templates


def test_a_theme_custom_dir_overrides_a_template(tmp_path):
    pm_id = "2024-03-14-custom"
    config = make_site(
        tmp_path,
        {f"{pm_id}.md": postmortem(pm_id, title="Custom <b>title</b>")},
        config={"theme": {"name": "material", "font": False, "custom_dir": "overrides"}},
    )
    override = tmp_path / "overrides" / "postmortems" / "header.html"
    override.parent.mkdir(parents=True)
    override.write_text(
        '<div class="our-card">{{ pm.severity }} · {{ pm.title }} · {{ pm.started|iso }}</div>\n', encoding="utf-8"
    )
    site = build_site(config, strict=True)
    html = page(site, pm_id)
    assert '<div class="our-card">SEV2 · Custom &lt;b&gt;title&lt;/b&gt; · 2024-03-14T09:58:00Z</div>' in html
    assert 'class="pm-card"' not in html
    assert 'class="pm-root-causes' in html  # the other templates still come from the package
    assert 'class="pm-index' in index(site)


# --------------------------------------------------------------------------------------------------
# The CLI and the plugin agree


AGREEMENT_CASES = {
    "good": {"2024-06-01-good.md": postmortem("2024-06-01-good")},
    **PROBLEM_CASES,
    "binary": {"2024-06-02-binary.md": b"\x00\x01"},
}


@pytest.mark.parametrize("case", sorted(AGREEMENT_CASES))
def test_postmortems_check_and_a_strict_build_agree(tmp_path, monkeypatch, case):
    config = make_site(tmp_path, {"2024-06-01-good.md": postmortem("2024-06-01-good"), **AGREEMENT_CASES[case]})
    monkeypatch.chdir(tmp_path)
    check = run_cli("check", "--strict", "-f", "mkdocs.yml")
    assert check.exit_code in (0, 1), check.output
    try:
        build_site(config, strict=True)
        built = True
    except Abort:
        built = False
    assert built is (check.exit_code == 0), check.output
    assert built is (case == "good")
    # Without --strict, `check` fails exactly when there are errors, as a non-strict build logs them.
    errors = run_cli("check", "-f", "mkdocs.yml")
    assert (errors.exit_code == 0) is (case in ("good", "warning")), errors.output

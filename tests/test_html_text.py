"""`status_site/html_text.py`: which public text is markup, the allowlist, each surface's rendering (HTML, one line,
plain text, the API's body), a Statuspage update's fragment as our text, and hostile fragments neutralised with the
sanitiser never handed more than its limits."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings, strategies as st

from mkdocs_postmortems.status_site import html_text
from mkdocs_postmortems.status_site.html_text import (
    LINK_REL,
    MAX_CHARS,
    MAX_DEPTH,
    TAGS,
    api_body,
    as_html,
    as_inline_html,
    as_text,
    from_fragment,
    is_markup,
    sanitise,
)

REL = f' rel="{LINK_REL}"'


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML fragment."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text = ""
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data


def assert_safe(fragment: str) -> None:
    """Only allowlisted tags; on a link only an absolute http(s) or mailto `href` and our `rel`; nothing else."""
    shown = fragment[:200]
    for tag, attributes in Elements(fragment).tags:
        assert tag in TAGS, shown
        allowed = {"href", "rel"} if tag == "a" else set()
        assert set(attributes) <= allowed, shown
        if tag == "a":
            assert attributes["rel"] == LINK_REL
            assert re.match(r"(https?|mailto):", attributes.get("href", "https:"), re.IGNORECASE), shown
    assert not re.search(r"<\s*/?\s*(script|style|img|iframe|svg)\b", fragment, re.IGNORECASE), shown


# --- which text is markup --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, markup",
    [
        ("We are investigating.", False),
        ("Latency < 5 s and AT&T is fine", False),  # a `<` that starts no tag
        ("Requests to <your-domain>/api failed", False),  # a tag the allowlist does not have: text as written
        ("**bold** stays two asterisks", False),
        ("<p>Fixed.</p>", True),
        ("We are <b>adding</b> capacity.", True),
        ('<ul><li><strong>API</strong></li><li><a href="https://x.example">status</a></li></ul>', True),
        ("Line one<br>Line two<br/>", True),
        ("<b>bold</b><script>alert(1)</script>", False),  # anything else, and the whole text is shown as written
        ("<b>bold</b><!-- a comment -->", False),
        ("<b>bold</b> <span>span</span>", False),
        ("<b>bold</b> and an unclosed <b", False),
        ('<a href="x<y">link</a>', False),  # a `<` inside a tag: no tag the scan can read
        ("<b>" * MAX_DEPTH, True),
        ("<b>" * (MAX_DEPTH + 1), False),
        ("<p>" * (MAX_DEPTH + 1) + "<li>" * 100, True),  # they close themselves: no depth
        ("<p>" + "x" * MAX_CHARS + "</p>", False),
    ],
)
def test_markup_is_text_whose_every_tag_the_allowlist_keeps(text, markup):
    assert is_markup(text) is markup


# --- the allowlist -----------------------------------------------------------------------------------------------


def test_the_allowlist_keeps_its_tags_and_web_and_mail_links_and_nothing_else():
    fragment = (
        '<p onclick="x()" style="color:red" class="c" id="i">Para</p><ul><li><strong>S</strong> <b>B</b> <em>E</em> '
        "<i>I</i> <code>C</code></li></ol><pre>pre</pre><blockquote>Q</blockquote><br>"
        '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" title="t">web</a> '
        '<a href="MAILTO:ops@example.com">mail</a> <a href="javascript:alert(1)">js</a> '
        '<a href=" JaVaScRiPt:alert(1)">js2</a> <a href="data:text/html,x">data</a> <a href="/relative">rel</a> '
        '<a href="//evil.example/x">proto</a> <a href="java&#x73;cript:alert(1)">entity</a>'
        "<script>alert(1)</script><style>p{}</style><svg><text>svg</text></svg><img src=x onerror=alert(1)>"
        "<iframe>frame</iframe><!-- comment --><span>span</span><div>div</div>"
    )
    cleaned = sanitise(fragment)
    assert_safe(cleaned)
    assert [tag for tag, _ in Elements(cleaned).tags] == [
        *("p", "ul", "li", "strong", "b", "em", "i", "code", "pre", "blockquote", "br"),
        *("a",) * 8,
    ]
    hrefs = [attributes.get("href") for tag, attributes in Elements(cleaned).tags if tag == "a"]
    assert hrefs == ["https://example.com/a?b=1&c=2", "MAILTO:ops@example.com", *[None] * 6]
    text = Elements(cleaned).text
    assert "alert" not in text and "p{}" not in text and "svg" not in text and "frame" not in text
    assert "span" in text and "div" in text  # an element we do not keep keeps its text


# --- each surface ------------------------------------------------------------------------------------------------


def test_plain_text_is_escaped_with_a_paragraph_at_each_blank_line_as_it_always_was():
    text = 'First <script>alert(1)</script> & "quotes".\r\n\r\nSecond\nline.\n\n\n'
    assert as_html(text) == (
        "<p>First &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;.</p>\n<p>Second\nline.</p>"
    )
    assert (
        as_inline_html(text)
        == "First &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;.\r\n\r\nSecond\nline.\n\n\n"
    )
    assert as_text(text) == text and api_body(text) == text


def test_markup_of_inline_tags_gets_its_paragraphs_at_blank_lines_like_text():
    text = "We found it.<br>A fix is <b>rolling out</b>.\n\nSee <a href='https://status.example.com'>status</a>."
    assert as_html(text) == (
        f'<p>We found it.<br>A fix is <b>rolling out</b>.</p><p>See <a href="https://status.example.com"{REL}>'
        "status</a>.</p>"
    )
    assert as_inline_html(text) is None  # two paragraphs: the blocks after the label
    assert as_inline_html("A fix is <b>rolling out</b>.") == "A fix is <b>rolling out</b>."
    assert api_body(text) == (
        f'We found it.<br>A fix is <b>rolling out</b>.\n\nSee <a href="https://status.example.com"{REL}>status</a>.'
    )


def test_markup_in_blocks_is_kept_as_its_blocks():
    text = "<p>Fixed &amp; monitored.</p>\n<ul>\n<li><strong>API</strong></li>\n<li>Web</li>\n</ul>"
    assert as_html(text) == text
    assert as_inline_html(text) is None and as_inline_html("<p>One <em>para</em>.</p>") == "One <em>para</em>."


def test_markup_as_text_keeps_its_structure_and_link_targets():
    text = (
        "<p>We are investigating &amp; fixing.</p><ul><li><strong>API</strong>: errors</li>"
        '<li>Web: <a href="https://example.com/x?a=1&amp;b=2">status</a></li><li><a href="https://example.com">'
        "https://example.com</a></li></ul><ol><li>one</li><li>two<ul><li>nested</li></ul></li></ol>"
        '<p>Mail <a href="mailto:ops@example.com">ops@example.com</a>.<br>Next line.</p><pre>code\n  indented</pre>'
    )
    assert as_text(text) == (
        "We are investigating & fixing.\n\n- API: errors\n- Web: status (https://example.com/x?a=1&b=2)\n"
        "- https://example.com\n\n1. one\n2. two\n  - nested\n\nMail ops@example.com.\nNext line.\n\ncode\n  indented"
    )


def test_hand_written_markup_with_anything_else_is_shown_as_written_everywhere():
    text = "We are <b>adding</b> capacity <script>alert(1)</script>"
    assert as_html(text) == "<p>We are &lt;b&gt;adding&lt;/b&gt; capacity &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert api_body(text) == text and as_text(text) == text


def test_hand_written_markup_is_sanitised_on_every_surface():
    text = '<b onmouseover="steal()">Fixed</b>: <a href="javascript:alert(1)">details</a>'
    for rendered in (as_html(text), as_inline_html(text), api_body(text)):
        assert_safe(str(rendered))
        assert "Fixed" in rendered and "details" in rendered
    assert as_text(text) == "Fixed: details"


# --- a Statuspage update as our text -----------------------------------------------------------------------------

SOURCE = (
    "<p>We identified the cause &amp; rolled back.</p><ul><li><strong>API</strong>: recovered</li>"
    '<li><a href="https://status.example.com/x" target="_blank">Details</a></li></ul>'
)


@pytest.mark.parametrize(
    "body, text, removed",
    [
        ("We are investigating.", "We are investigating.", []),
        ("  AT&amp;T customers cannot log in.  ", "AT&T customers cannot log in.", []),  # plain text says it all
        (SOURCE, SOURCE.replace(' target="_blank"', REL), []),
        ("Line one\nLine two\n\nPara two", "<p>Line one<br>Line two</p><p>Para two</p>", []),  # line breaks show
        ("We found it.<br>\nA fix is <b>out</b>.", "<p>We found it.<br>A fix is <b>out</b>.</p>", []),  # one break
        (
            "Affected:\n\n<ul>\n<li>API</li>\n</ul>\nMore soon.\nThanks.",
            "<p>Affected:</p><ul>\n<li>API</li>\n</ul><p>More soon.<br>Thanks.</p>",
            [],
        ),
        ("&lt;b&gt; is shown as written", "<p>&lt;b&gt; is shown as written</p>", []),  # the source showed `<b>`
        ("<p>unclosed <b>bold", "<p>unclosed <b>bold</b></p>", []),
        (
            '<script>alert(1)</script>Fixed <img src=x onerror="alert(2)"> <a href="javascript:x()">here</a>',
            f"<p>Fixed  <a{REL}>here</a></p>",
            ["<img>", "<script> and its content", "onerror", "javascript: link"],
        ),
        ("<style>p{}</style><span>Fixed.</span>", "Fixed.", ["<span>", "<style> and its content"]),
        ("<script>only()</script>", "", ["<script> and its content"]),
    ],
)
def test_a_statuspage_body_becomes_text_that_shows_as_the_source_did(body, text, removed):
    assert from_fragment(body) == (text, removed)
    assert is_markup(text) or "<" not in text
    assert from_fragment(text)[0] == text  # importing it again changes nothing


def test_the_import_writes_no_literal_tag_and_nothing_unsafe():
    text, _ = from_fragment(SOURCE + "<br><p>Next <i>step</i>.</p><script>x</script>")
    rendered = str(as_html(text))
    assert_safe(rendered)
    assert "&lt;" not in rendered and "<strong>API</strong>" in rendered


# --- hostile fragments ---------------------------------------------------------------------------------------------

HOSTILE = {
    "deep": "<div>" * 100_000 + "deep" + "</div>" * 100_000,
    "deep allowlisted": "<blockquote>" * 50_000 + "quote",
    "deep lists": "<ul><li>" * 50_000 + "item",
    "huge": "<p>" + "word " * 1_000_000 + "</p>",
    "unclosed comments": "<!--" * 200_000,
    "attributes": "<a " + 'x="y" ' * 200_000,
    "open brackets": "<a" * 500_000,
    "entities": "&amp;" * 500_000,
    "misnested within the limits": "<b><p></b></p>" * 6_000,
}


@pytest.fixture
def sanitised(monkeypatch) -> list[str]:
    """Every fragment handed to the sanitiser (nh3), to check none is beyond the limits."""
    seen: list[str] = []
    real = html_text.nh3.clean

    def clean(fragment, **options):
        seen.append(fragment)
        return real(fragment, **options)

    monkeypatch.setattr(html_text.nh3, "clean", clean)
    return seen


def within_limits(fragment: str) -> bool:
    return len(fragment) <= 2 * MAX_CHARS and html_text._depth(html_text._tags(fragment)) <= MAX_DEPTH


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_fragment_is_neutralised_and_the_sanitiser_never_sees_more_than_its_limits(name, sanitised):
    fragment = HOSTILE[name]
    text, removed = from_fragment(fragment)
    for rendered in (as_html(text), as_html(fragment), as_inline_html(fragment) or ""):
        assert_safe(str(rendered))
    for source in (fragment, text):  # the API's body: sanitised markup, or text as written (Statuspage's is either)
        assert_safe(api_body(source)) if is_markup(source) else api_body(source) == source
    as_text(fragment), as_text(text)
    assert all(within_limits(seen) for seen in sanitised)
    if len(fragment.strip()) > MAX_CHARS or html_text._depth(html_text._tags(fragment)) > MAX_DEPTH:
        assert removed[0].startswith("its HTML is too")
    assert is_markup(text) or "<" not in text


def test_words_that_read_as_tags_stay_text_and_a_huge_one_is_cut_within_the_limits():
    deep = "<div>" * (MAX_DEPTH + 1) + "&lt;script&gt;alert(1)&lt;/script&gt; &amp;"
    assert from_fragment(deep) == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;</p>",
        ["its HTML is too deeply nested to keep: its text alone is kept"],
    )
    text, removed = from_fragment("<b>" + "&lt;" * MAX_CHARS)
    assert is_markup(text) and len(text) <= MAX_CHARS and text.count("&lt;") == (MAX_CHARS - 7) // 5
    assert removed == [
        "its HTML is too long to keep: its text alone is kept",
        f"its text is cut to its first {(MAX_CHARS - 7) // 5:,} characters",
    ]
    assert from_fragment("<b>" + "word " * MAX_CHARS)[0] == ("word " * MAX_CHARS).strip()  # no `<`: kept whole


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<p><blockquote></blockquote><br>", "<p></p><blockquote></blockquote><p><br></p>"),  # a block ends a `<p>`
        ("<!--<blockquote>--></p><b>", "<p></p><p><b></b></p>"),  # a tag inside a comment is no tag
        ("<div><br>", "<p><br></p>"),  # what a removed block holds joins the runs around it
        ("<p>a<div>b</div>c", "<p>a</p><p>b</p><p>c</p>"),
        ("<table><tr><td>x</td><td>z</td></tr></table>y", "<p>x</p><p>z</p><p>y</p>"),  # each cell a paragraph
        ("<h2>Update</h2>Fixed.\nMonitoring.", "<p>Update</p><p>Fixed.<br>Monitoring.</p>"),
        ("<li><table><li>", "<li></li><li></li>"),
        (
            "<p>Fixed\n  now.</p>",
            "Fixed now.",
        ),  # a line break inside a paragraph shows as a space  # HTML moves the second item before the table: settled
    ],
)
def test_html_that_its_parser_moves_imports_as_it_showed_and_imports_again_unchanged(fragment, text):
    assert from_fragment(fragment)[0] == text
    assert from_fragment(text)[0] == text


TOKENS = st.sampled_from(
    [
        *(f"<{tag}>" for tag in TAGS),
        *(f"</{tag}>" for tag in TAGS),
        '<a href="https://example.com">',
        '<a href="javascript:alert(1)">',
        '<a href="/relative" onclick="x()">',
        "<script>alert(1)</script>",
        "<style>*{}</style>",
        "<img src=x onerror=alert(1)>",
        "<span>",
        "<!-- c -->",
        "<!--",
        "-->",
        *("<div>", "</div>", "<table>", "</table>", "<td>", "<h1>", "<hr>", "<dt>"),
        "&amp;",
        "&lt;b&gt;",
        "&#x3c;script&#x3e;",
        "<",
        ">",
        "\n",
        "\n\n",
        "text",
        " ",
        '"',
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=40).map("".join))
def test_any_fragment_imports_to_text_that_renders_safely_and_imports_again_unchanged(fragment):
    text, _ = from_fragment(fragment)
    assert is_markup(text) or "<" not in text  # no HTML that was not sanitised, wherever the text goes
    for rendered in (as_html(text), as_inline_html(text) or "", api_body(text)):
        assert_safe(str(rendered))
    if is_markup(text) or "&" not in text:  # plain text with `&copy;` in it is no fragment: the page showed that
        assert from_fragment(text)[0] == text

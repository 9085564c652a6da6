"""Public text that holds HTML, decided once for every surface it reaches: the status pages, the feeds, the
Statuspage API, the maintenance calendar, `postmortems notify`, and the knowledge base's page of an imported record.

Statuspage's update bodies are HTML fragments (`<p>`, `<ul><li><strong>…`, `<br>`, `<a href>`, `&amp;`) or plain
text whose line breaks show. **The choice:** a record keeps such text as sanitised HTML, and every surface sanitises
it again as it renders it. It is not converted to Markdown: public text is not Markdown (a hand-written `**` is shown
as the two asterisks it is), and the sanitised HTML is the text customers saw, which the leak gate reads both as
written (link targets included) and as rendered. `from_fragment` is the import side: a foreign fragment as our text.

A public text is **markup** (`is_markup`) when it has at least one tag, every tag in it is one of `TAGS`, it has no
comment, declaration or other `<` that starts no tag, it is at most `MAX_CHARS` long and nests at most `MAX_DEPTH`
elements. Markup is shown as HTML through the allowlist (`sanitise`: those tags; on a link only `href`, and only an
http, https or mailto one, with `rel="noopener noreferrer nofollow"`; every other attribute dropped, `<script>`,
`<style>` and the like with their content). Any other text is plain text and is shown exactly as written, as it
always was: a blank line starts a paragraph, and a `<script>` or `<img onerror>` in it is shown as the characters it
is. So no text is ever rendered unsanitised (it is markup, sanitised, or text, escaped), and none is half-rendered,
with part of what a person wrote silently dropped.

Surfaces: `as_html` (pages and feeds), `as_inline_html` (one line of the status page or a feed entry, when the text
is one paragraph), `as_text` (the calendar and notify: paragraphs, `- ` list items, `text (url)` links) and
`api_body` (the Statuspage API's `body`: the sanitised fragment for markup, the text as written otherwise, as
Statuspage gives either). Hostile input costs bounded time: the checks are linear scans (no pattern here can scan
past the next `<`), the sanitiser (html5ever, whose cost grows with nesting depth) sees only text within the limits,
and each result is cached per text, since one update reaches a dozen files.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from functools import lru_cache, wraps
from html.parser import HTMLParser
from typing import TypeVar

import nh3
from markupsafe import Markup, escape

TAGS = frozenset({"p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "a", "code", "pre", "blockquote"})
BLOCKS = frozenset({"p", "ul", "ol", "li", "pre", "blockquote"})  # the allowlisted tags that are paragraphs' peers
LINK_SCHEMES = ("http", "https", "mailto")
LINK_REL = "noopener noreferrer nofollow"
# Removed with everything inside them: what they hold is code, styles or another document, never text to read.
WITH_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math", "textarea", "title"}
)
MAX_CHARS = 100_000  # a longer text is never read as markup (a status update is a few hundred characters)
MAX_DEPTH = 32  # nor one that nests deeper: the sanitiser's time grows with depth (100,000 levels: 20 s)
SETTLE = 3  # passes an import may take to give a text that imports to itself (one, but for HTML's odd nestings)
CACHED = 8192  # texts whose renderings are kept: every update of a long history, on every surface

# A tag, its attributes written as HTML allows; no part of it may contain `<`, so no match scans past the next one.
_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s\"'<>/=]+(?:\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'|[^\s\"'=<>`]+))?)*)\s*(/?)>"
)
_OPENING = re.compile(r"<[A-Za-z/!?]")  # every `<` an HTML parser would read as the start of something
_ATTRIBUTE = re.compile(r"([^\s\"'<>/=]+)(?:\s*=\s*(\"[^\"<]*\"|'[^'<]*'|[^\s\"'=<>`]+))?")
_HREF = re.compile(r'\shref="([^"]*)"')
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
_LINE_BREAK = re.compile(r"(?:<br\s*/?>)?[ \t]*\n")  # a line break, and a `<br>` written just before it
_ONE_PARAGRAPH = re.compile(r"<p>((?:(?!</?p>|<(?:ul|ol|li|pre|blockquote)\b)(?s:.))*)</p>")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_CLOSES_ITSELF = frozenset({"p", "li"})  # a second one closes the first: they never nest on their own
# Elements that end a run of text: outside them, Statuspage's line breaks make paragraphs and breaks.
_FLOW = BLOCKS | {
    *("div", "table", "hr", "dl", "section", "article", "header", "footer", "figure", "address", "center"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "form", "fieldset", "nav", "aside", "main", "details", "menu"),
    *("caption", "thead", "tbody", "tfoot", "tr", "td", "th", "dt", "dd", "summary", "figcaption"),
}


Rendered = TypeVar("Rendered")


def _cached(render: Callable[[str], Rendered]) -> Callable[[str], Rendered]:
    """`render`, its results kept for the last `CACHED` texts of up to `MAX_CHARS` (a longer one is rendered each
    time: the cache would hold a copy of it)."""
    kept = lru_cache(maxsize=CACHED)(render)

    @wraps(render)
    def cached(text: str) -> Rendered:
        return kept(text) if len(text) <= MAX_CHARS else render(text)

    return cached


def _tags(text: str) -> list[re.Match[str]]:
    return list(_TAG.finditer(text))


def _name(tag: re.Match[str]) -> str:
    return tag.group(2).lower()


def _depth(tags: Iterable[re.Match[str]]) -> int:
    """How deep `tags` nest at most, counting an element never closed as open to the end (an overestimate: it is a
    bound)."""
    depth = deepest = 0
    for tag in tags:
        name = _name(tag)
        if name in _VOID or name in _CLOSES_ITSELF:
            continue
        depth = max(depth - 1, 0) if tag.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


@_cached
def is_markup(text: str) -> bool:
    """Whether `text` is shown as HTML (see the module's docstring); linear in its length."""
    if "<" not in text or len(text) > MAX_CHARS:
        return False
    tags = _tags(text)
    return (
        bool(tags)
        and len(tags) == len(_OPENING.findall(text))
        and all(_name(tag) in TAGS for tag in tags)
        and _depth(tags) <= MAX_DEPTH
    )


def sanitise(fragment: str) -> str:
    """`fragment` through the allowlist. Call it on markup, or on text within `MAX_CHARS` and `MAX_DEPTH`: its time
    grows with nesting."""
    cleaned = nh3.clean(
        fragment,
        tags=set(TAGS),
        clean_content_tags=set(WITH_CONTENT),
        attributes={"*": set(), "a": {"href"}},
        url_schemes=set(LINK_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    # nh3 keeps relative links (`/path`, `//host/path`): a status text links only to absolute http(s) and mailto.
    cleaned = _HREF.sub(lambda match: match.group(0) if _absolute(html.unescape(match.group(1))) else "", cleaned)
    # A parser drops the line break that opens a `<pre>`: one that is text of it is written twice, as HTML says, so
    # sanitising the result again gives the same.
    return cleaned.replace("<pre>\n", "<pre>\n\n")


def _absolute(url: str) -> bool:
    scheme, colon, _ = url.partition(":")
    return bool(colon) and scheme.lower() in LINK_SCHEMES


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _plain_paragraphs(text: str) -> Markup:
    return Markup("\n").join(
        Markup("<p>{}</p>").format(paragraph.strip()) for paragraph in _lines(text).split("\n\n") if paragraph.strip()
    )


@_cached
def as_html(text: str) -> Markup:
    """`text` as HTML blocks: markup sanitised (its runs of text and inline tags made paragraphs at blank lines, as
    plain text's are), any other text escaped, a paragraph at each blank line."""
    if not is_markup(text):
        return _plain_paragraphs(text)
    text = _lines(text)
    if not any(_name(tag) in BLOCKS for tag in _tags(text)):
        text = "".join(f"<p>{part}</p>" for part in _BLANK_LINE.split(text.strip()) if part.strip())
    return Markup(sanitise(text))


@_cached
def as_inline_html(text: str) -> Markup | None:
    """`text` as the content of one paragraph (after a label, as the status banner and a feed entry show an update):
    markup that is one paragraph, its content; plain text, escaped whole; other markup None (show `as_html`)."""
    if not is_markup(text):
        return escape(text)
    found = _ONE_PARAGRAPH.fullmatch(str(as_html(text)))
    return None if found is None else Markup(found.group(1))


@_cached
def api_body(text: str) -> str:
    """The Statuspage API's `body` of an update whose text is `text`: the sanitised fragment when it is markup, else
    the text as written (Statuspage's body is either)."""
    return sanitise(_lines(text)) if is_markup(text) else text


@_cached
def as_text(text: str) -> str:
    """`text` as plain text, for the calendar and chat: markup's paragraphs and list items on lines of their own
    (`- item`, `1. item`), links as `text (url)`, entities decoded; any other text as written."""
    if not is_markup(text):
        return text
    reader = _TextReader()
    reader.feed(str(as_html(text)))
    reader.close()
    return reader.text()


class _TextReader(HTMLParser):
    """Sanitised HTML (only `TAGS`, well formed) as plain text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [next number] for `ol`, [] for `ul`
        self.links: list[tuple[str, int]] = []  # per open link: its href and where its text starts
        self.pre = 0

    def _break(self, lines: int) -> None:
        """End the line, and leave `lines` - 1 blank lines, unless the text ends so already."""
        tail = "".join(self.parts[-lines - 1 :])
        have = len(tail) - len(tail.rstrip("\n"))
        if have < lines:
            self.parts.append("\n" * (lines - have))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol"):
            self._break(1 if self.lists else 2)
            self.lists.append([1] if tag == "ol" else [])
        elif tag in ("p", "blockquote", "pre"):
            self._break(2)
            self.pre += tag == "pre"
        elif tag == "li":
            self._break(1)
            numbering = self.lists[-1] if self.lists else []
            marker = f"{numbering[0]}." if numbering else "-"
            if numbering:
                numbering[0] += 1
            self.parts.append("  " * max(len(self.lists) - 1, 0) + marker + " ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.parts)))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._break(1 if self.lists else 2)
        elif tag in ("p", "blockquote", "pre"):
            self._break(2)
            self.pre -= tag == "pre"
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            shown = "".join(self.parts[start:]).strip()
            if href and href.removeprefix("mailto:") != shown:
                self.parts.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
            if not self.parts or self.parts[-1].endswith("\n"):
                data = data.lstrip(" ")
        self.parts.append(data)

    def text(self) -> str:
        lines = [line.rstrip(" ") for line in "".join(self.parts).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


# --------------------------------------------------------------------------------------------------
# Import: a foreign fragment as our text


def from_fragment(fragment: str) -> tuple[str, list[str]]:
    """A foreign HTML fragment whose line breaks show (as Statuspage shows an update: outside block elements, a
    blank line starts a paragraph and a line break breaks the line) as our public text, and what the allowlist
    removed from it (`<script>`, `onclick`, a `javascript:` link...). The text is plain when that says it all (no
    tag, entity or line break left), else sanitised markup; beyond `MAX_CHARS` or `MAX_DEPTH`, its words alone. It
    is always markup or text without a `<`, so that nothing in it is HTML that was not sanitised, wherever it goes,
    and markup imported again gives it back: where HTML's parsing moves what was written (a `<li>` inside a
    `<table>` lands before it), the import is repeated on its result until it settles, or its words alone are kept.
    (Plain text is no fragment: `&copy;` in it is the six characters the page showed.)"""
    text, removed = _imported(fragment)
    if not is_markup(text):
        return text, removed
    for _ in range(SETTLE):
        again, _ = _imported(text)
        if again == text:
            return text, removed
        text = again
    return _text_alone(_lines(fragment), removed)


def _imported(fragment: str) -> tuple[str, list[str]]:
    """`from_fragment` in one pass."""
    fragment = _lines(fragment).strip()
    if not any(char in fragment for char in "<&\n"):
        return fragment, []
    long = len(fragment) > MAX_CHARS
    fragment = _without_comments(fragment)
    tags = _tags(fragment)
    removed = _removed(tags)
    if long or _depth(tags) > MAX_DEPTH:
        limit = "long" if long else "deeply nested"
        words, notes = _words(fragment)
        return words, [f"its HTML is too {limit} to keep: its text alone is kept", *notes]
    cleaned = sanitise(_with_line_breaks(fragment, tags))
    single = re.fullmatch(r"<p>([^<]*)</p>", cleaned)
    if single is not None and "<" not in html.unescape(single.group(1)):  # `AT&amp;T is down` is `AT&T is down`
        lines = (line.strip() for line in html.unescape(single.group(1)).split("\n"))
        return " ".join(line for line in lines if line), removed  # a line break in a paragraph shows as a space
    if cleaned and not is_markup(cleaned):  # sanitised HTML that would show as text (a `<` in a link's target)
        return _text_alone(fragment, removed)
    return cleaned, removed


def _text_alone(fragment: str, removed: list[str]) -> tuple[str, list[str]]:
    """`fragment`'s words alone, for HTML that cannot be kept as it showed, and what was removed from it."""
    words, notes = _words(fragment)
    return words, [*removed, "its HTML cannot be kept as it showed: its text alone is kept", *notes]


def _with_line_breaks(fragment: str, tags: list[re.Match[str]]) -> str:
    """`fragment` with each run of text and inline tags outside block elements made paragraphs at its blank lines and
    given a `<br>` at each other line break; what is inside a block element is left as it is. `tags` nest at most
    `MAX_DEPTH` deep."""
    parts: list[str] = []
    run: list[str] = []
    open_blocks: list[str] = []  # the block elements open here, innermost last
    position = 0

    def flush() -> None:
        text = "".join(run).strip()
        run.clear()
        parts.extend(f"<p>{_LINE_BREAK.sub('<br>', part)}</p>" for part in _BLANK_LINE.split(text) if part.strip())

    for tag in tags:
        (parts if open_blocks else run).append(fragment[position : tag.start()])
        position = tag.end()
        name = _name(tag)
        if name not in _FLOW:
            (parts if open_blocks else run).append(tag.group(0))
            continue
        if not open_blocks:
            flush()
        parts.append(tag.group(0))
        if tag.group(1):  # an end tag closes its element and whatever is open inside it
            if name in open_blocks:
                del open_blocks[len(open_blocks) - 1 - open_blocks[::-1].index(name) :]
        else:
            _close_paragraph(open_blocks)
            if name in _CLOSES_ITSELF and open_blocks and open_blocks[-1] == name:
                open_blocks.pop()
            if name in BLOCKS:  # another (a `<div>`) is removed, and what it holds joins the runs around it
                open_blocks.append(name)
    (parts if open_blocks else run).append(fragment[position:])
    flush()
    return "".join(parts)


def _close_paragraph(open_blocks: list[str]) -> None:
    """Close an open `<p>` as HTML does when a block element starts inside it (`<p><ul>` is `<p></p><ul>`)."""
    if "p" in open_blocks:
        del open_blocks[open_blocks.index("p") :]


def _removed(tags: list[re.Match[str]]) -> list[str]:
    """What of `tags` the allowlist drops that a reader would care about: elements (and their content, for
    `WITH_CONTENT`), event handlers and links to anything but the web or mail."""
    elements = sorted({_name(tag) for tag in tags if _name(tag) not in TAGS})
    handlers, links = set(), set()
    for tag in tags:
        for name, value in _ATTRIBUTE.findall(tag.group(3)):
            name = name.lower()
            if name.startswith("on"):
                handlers.add(name)
            elif name == "href" and _name(tag) == "a":
                target = html.unescape(value.strip("\"'")).strip()
                if not _absolute(target):
                    links.add(target.partition(":")[0].lower() + ":" if ":" in target else "a relative")
    found = [f"<{name}>" + (" and its content" if name in WITH_CONTENT else "") for name in elements]
    found += sorted(handlers)
    found += [f"{scheme} link" for scheme in sorted(links)]
    return found


def _without_comments(fragment: str) -> str:
    """`fragment` without its comments (one never closed runs to the end, as HTML reads it), in linear time, so that
    a tag written inside a comment is not taken for one."""
    kept, position = [], 0
    while (start := fragment.find("<!--", position)) != -1:
        kept.append(fragment[position:start])
        end = fragment.find("-->", start + 4)
        position = len(fragment) if end == -1 else end + 3
    kept.append(fragment[position:])
    return "".join(kept)


def _words(fragment: str) -> tuple[str, list[str]]:
    """The text of `fragment` without its tags and comments, entities decoded, in linear time whatever it holds: plain
    text, or one escaped paragraph of markup when it has a `<` (`&lt;b&gt;` was shown as `<b>`), cut to fit within
    `MAX_CHARS`; and a note when it was cut."""
    words = html.unescape(_TAG.sub(" ", _without_comments(fragment))).strip()
    if "<" not in words:
        return words, []
    escaped, cut, room = html.escape(words, quote=False), [], MAX_CHARS - len("<p></p>")
    if len(escaped) > room:
        words = words[: room // 5]  # a character escaped is at most 5 (`&amp;`)
        escaped, cut = html.escape(words, quote=False), [f"its text is cut to its first {len(words):,} characters"]
    return f"<p>{escaped}</p>", cut

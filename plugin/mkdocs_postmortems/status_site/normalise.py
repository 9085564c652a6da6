"""Text as the leak gate reads it: one canonical spelling of what a reader sees, with a map back to the original.

A reviewer got `ops‐123` (U+2010), `al\u200bice`, `аlice` (Cyrillic а), `&#64;alice` and `Project\\n  Falcon` past
a gate that matched the text as written. `normalise` therefore, in one pass over the text:

- decodes HTML entities (`&#64;`, `&#x41;`, `&amp;`);
- applies Unicode compatibility decomposition (NFKD: fullwidth `ｏｐｓ`, ligatures, superscripts) and drops
  combining marks, so `é` and `e` + U+0301 both read `e`;
- drops format and control characters (zero-width space and joiners, soft hyphen, word joiner, bidi controls);
- folds look-alike letters to Latin (`CONFUSABLES`: the Cyrillic and Greek letters that look like Latin ones)
  and look-alike hyphens to `-`;
- case-folds;
- collapses every run of whitespace (line breaks included) to one space, and joins a word hyphenated across a line
  break (`orders-⏎db` reads `orders-db`).

Each character of the result remembers the span of the original it came from, so a finding names the original
line, column and term as written. The work is linear in the text; plain ASCII runs are copied in bulk.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

# Look-alike letters, folded to the Latin letter they imitate (after case-folding, so lower case suffices; capitals
# case-fold to these). Cyrillic, then Greek, then a few Latin-extended forms.
CONFUSABLES = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k", "м": "m", "н": "h",
    "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l",
    "ɡ": "g",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j", "ζ": "z",
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h",
}
# Hyphen look-alikes (NFKD already maps U+2011 to U+2010 and fullwidth `－` to `-`). The em dash is prose, not one.
HYPHENS = frozenset("\u2010\u2011\u2012\u2013\u2043\u2212\ufe58\ufe63\uff0d\u02d7")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")
# A token of the original: a run of printable ASCII words (no `&`, single spaces), an HTML entity, a run of whitespace, or one
# other character.
_TOKEN = re.compile(r"[!-%'-~]+(?: [!-%'-~]+)*|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});|\s+|.", re.S)


@dataclass(frozen=True)
class Normalised:
    """`text` as the gate reads it; character `i` of it came from `original[starts[i]:ends[i]]`."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original that characters `start:end` of the normalised text came from."""
        return self.starts[start], self.ends[end - 1]

    def written(self, start: int, end: int) -> str:
        """The original text behind characters `start:end`, as written."""
        begin, finish = self.span(start, end)
        return self.original[begin:finish]


def fold(text: str) -> str:
    """`text` as the gate reads it, without the map: for the terms a pattern is built from."""
    return normalise(text).text.strip()


def _fold_char(char: str) -> str:
    """One character of the original, folded: decomposed, marks and format characters dropped, look-alikes to
    Latin, case-folded. May be empty or longer than one character (`ß` reads `ss`)."""
    out = []
    for part in unicodedata.normalize("NFKD", char):
        category = unicodedata.category(part)
        if category in ("Mn", "Me", "Cf", "Cc", "Cs", "Co", "Cn") and not part.isspace():
            continue
        if part in HYPHENS:
            out.append("-")
            continue
        for folded in part.casefold():
            if unicodedata.category(folded) != "Mn":
                out.append(CONFUSABLES.get(folded, folded))
    return "".join(out)


def normalise(original: str) -> Normalised:
    """`original` as the gate reads it, with the map back (see the module's docstring)."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def space(start: int, end: int, breaks_line: bool) -> None:
        last = chars[-1][-1] if chars else ""
        if not chars or last == " ":
            if chars:
                ends[-1] = end
            return
        if breaks_line and last == "-":  # `orders-` at a line's end, `db` on the next: one word
            return
        chars.append(" ")
        starts.append(start)
        ends.append(end)

    for token in _TOKEN.finditer(original):
        piece, start, end = token.group(), token.start(), token.end()
        first = piece[0]
        if first.isspace():
            space(start, end, any(c in _LINE_BREAKS for c in piece))
            continue
        if len(piece) > 1 and first != "&":  # plain ASCII: lower case is its case-folding
            chars.append(piece.lower())  # one string for the run; `text` joins them
            starts.extend(range(start, end))
            ends.extend(range(start + 1, end + 1))
            continue
        decoded = html.unescape(piece) if first == "&" and len(piece) > 1 else piece
        for char in decoded:
            for folded in (_fold_char(char) if not char.isascii() or char.isupper() or not char.isprintable()
                           else char):
                if folded.isspace():
                    space(start, end, char in _LINE_BREAKS)
                else:
                    chars.append(folded)
                    starts.append(start)
                    ends.append(end)
    text = "".join(chars)
    return Normalised(original, text, tuple(starts), tuple(ends))

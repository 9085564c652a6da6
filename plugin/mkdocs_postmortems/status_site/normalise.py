"""Text as the leak gate reads it: one canonical spelling of what a reader sees, with a map back to the original.

A reviewer got `ops‐123` (U+2010), `al\u200bice`, `аlice` (Cyrillic а), `&#64;alice` and `Project\\n  Falcon` past
a gate that matched the text as written, and then `\u202ebd-sredro\u202c`, which a browser shows as `orders-db`.
`normalise` therefore, in one pass over the text:

- decodes HTML entities (`&#64;`, `&#x41;`, `&amp;`);
- applies Unicode compatibility decomposition (NFKD: fullwidth `ｏｐｓ`, ligatures, superscripts) and drops
  combining marks, so `é` and `e` + U+0301 both read `e`;
- drops format and control characters (zero-width space and joiners, soft hyphen, word joiner, bidi controls,
  tag characters), and reads letters that show as blank space (the Hangul fillers, U+2800) as a space;
- folds look-alike letters to Latin (`CONFUSABLES`: the Cyrillic and Greek letters that look like Latin ones)
  and look-alike hyphens to `-`;
- case-folds;
- collapses every run of whitespace (line breaks included) to one space, and joins a word hyphenated across a line
  break (`orders-⏎db` reads `orders-db`);
- notes the characters that make text show something other than what it says (`Normalised.hidden`): every
  bidirectional control, tag characters outside an emoji flag, and a run of variation selectors.

`displayed` reads the same text in the order a browser shows it: where a bidirectional control (an override, an
embedding or an isolate) turns part of it around, the Unicode bidirectional algorithm (UAX #9, `display_order`)
puts it back in the order a customer sees, and the result is folded as above.

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
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "һ": "h",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "ѕ": "s",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "ӏ": "l",
    "ɡ": "g",
    "α": "a",
    "β": "b",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "μ": "u",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ω": "w",
    "ϲ": "c",
    "ϳ": "j",
    "ζ": "z",
    "ı": "i",
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ħ": "h",
}
# Hyphen look-alikes (NFKD already maps U+2011 to U+2010 and fullwidth `－` to `-`). The em dash is prose, not one.
HYPHENS = frozenset("\u2010\u2011\u2012\u2013\u2043\u2212\ufe58\ufe63\uff0d\u02d7")
# Letters and symbols that show as nothing but blank space: the Hangul fillers and the blank Braille pattern.
BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# The bidirectional controls: embeddings, overrides, isolates and their ends, and the three marks. Each can make a
# browser show characters in another order than they are written (`display_order`).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_RIGHT_TO_LEFT = frozenset("\u202b\u202e\u2067\u2068")  # RLE, RLO, RLI, FSI: what follows may show turned around
_BLACK_FLAG = "\U0001f3f4"  # the one emoji that tag characters follow (the flags of England, Scotland, Wales)
# What each kind of hidden character is, for `Normalised.hidden`.
HIDDEN = {
    "bidi": "a bidirectional control character, which can make text display differently from how it reads",
    "tags": "invisible tag characters, which carry text no reader sees",
    "selectors": "a run of variation selectors, which carry data no reader sees",
}
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")
# A token of the original: a run of printable ASCII words (no `&`, single spaces), an HTML entity, a run of
# whitespace, or one other character.
_TOKEN = re.compile(
    r"[!-%'-~]+(?: [!-%'-~]+)*|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});|\s+|.", re.S
)


@dataclass(frozen=True)
class Normalised:
    """`text` as the gate reads it; character `i` of it came from `original[starts[i]:ends[i]]`. `hidden` holds the
    spans of the original whose characters hide or turn text around, with their kind (a key of `HIDDEN`);
    `turned` says whether a bidirectional control may show part of the text in another order (see `displayed`)."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    hidden: tuple[tuple[int, int, str], ...] = ()
    turned: bool = False

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original that characters `start:end` of the normalised text came from (in a displayed
        reading, from the first to the last of them as written)."""
        if self.starts[start] <= self.starts[end - 1]:  # in the order written: the common case
            return self.starts[start], self.ends[end - 1]
        return min(self.starts[start:end]), max(self.ends[start:end])

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
    if char in BLANKS:
        return " "
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


def _is_selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


class _Reader:
    """The folded characters of a text, each with the span of the original it came from, and the hidden ones."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.hidden: list[list] = []
        self.turned = False
        self._flag = False  # inside an emoji tag sequence (a black flag and its tags)
        self._selectors = -1  # where the current run of variation selectors starts in the original, or -1

    def space(self, start: int, end: int, breaks_line: bool) -> None:
        chars = self.chars
        last = chars[-1][-1] if chars else ""
        if not chars or last == " ":
            if chars:
                self.ends[-1] = end
            return
        if breaks_line and last == "-":  # `orders-` at a line's end, `db` on the next: one word
            return
        chars.append(" ")
        self.starts.append(start)
        self.ends.append(end)

    def ascii(self, piece: str, start: int, end: int) -> None:
        """A run of printable ASCII: lower case is its case-folding."""
        self.chars.append(piece.lower())  # one string for the run; `text` joins them
        self.starts.extend(range(start, end))
        self.ends.extend(range(start + 1, end + 1))
        self._flag, self._selectors = False, -1

    def char(self, char: str, start: int, end: int) -> None:
        """One decoded character that came from `original[start:end]`."""
        if not char.isascii():
            self._note(char, start, end)
        elif self._flag or self._selectors >= 0:
            self._flag, self._selectors = False, -1
        for folded in _fold_char(char) if not char.isascii() or char.isupper() or not char.isprintable() else char:
            if folded.isspace():
                self.space(start, end, char in _LINE_BREAKS)
            else:
                self.chars.append(folded)
                self.starts.append(start)
                self.ends.append(end)

    def _note(self, char: str, start: int, end: int) -> None:
        """Keep `char` in `hidden` if it hides or turns text around."""
        code = ord(char)
        kind = None
        if char in BIDI_CONTROLS:
            kind = "bidi"
            self.turned = self.turned or char in _RIGHT_TO_LEFT
        elif 0xE0000 <= code <= 0xE007F:
            if not self._flag:
                kind = "tags"
            elif code == 0xE007F:  # CANCEL TAG ends the flag
                self._flag = False
        elif _is_selector(code):
            if self._selectors >= 0:
                kind, start = "selectors", self._selectors  # the first selector of a run is an emoji's; the rest hide
            else:
                self._selectors = start
        if not 0xE0000 <= code <= 0xE007F:
            self._flag = char == _BLACK_FLAG
        if not _is_selector(code):
            self._selectors = -1
        if kind:
            hidden = self.hidden
            if hidden and hidden[-1][2] == kind and hidden[-1][1] >= start:
                hidden[-1][1] = end  # one finding for a run
            else:
                hidden.append([start, end, kind])

    def result(self, original: str) -> Normalised:
        return Normalised(
            original,
            "".join(self.chars),
            tuple(self.starts),
            tuple(self.ends),
            tuple((start, end, kind) for start, end, kind in self.hidden),
            self.turned,
        )


def _decoded(original: str):
    """(character, start, end) for each character of `original` with its HTML entities decoded."""
    for token in _TOKEN.finditer(original):
        piece, start, end = token.group(), token.start(), token.end()
        if piece[0] == "&" and len(piece) > 1:
            for char in html.unescape(piece):
                yield char, start, end
        else:
            for offset, char in enumerate(piece):
                yield char, start + offset, start + offset + 1


def normalise(original: str) -> Normalised:
    """`original` as the gate reads it, with the map back (see the module's docstring)."""
    reader = _Reader()
    _read(reader, original, 0, len(original))
    return reader.result(original)


def _read(reader: _Reader, original: str, begin: int, finish: int) -> None:
    """Feed `original[begin:finish]` to `reader`, token by token."""
    for token in _TOKEN.finditer(original, begin, finish):
        piece, start, end = token.group(), token.start(), token.end()
        first = piece[0]
        if first.isspace():
            reader.space(start, end, any(c in _LINE_BREAKS for c in piece))
        elif len(piece) > 1 and first != "&":
            reader.ascii(piece, start, end)
        else:
            for char in html.unescape(piece) if first == "&" and len(piece) > 1 else piece:
                reader.char(char, start, end)


_MARKUP = re.compile(r"<!--.*?(?:-->|\Z)|</?[A-Za-z][^<>]{0,200}>", re.S)


def without_markup(original: str) -> Normalised | None:
    """`original` as the gate reads it with its HTML tags and comments left out (`orders<b></b>-db`), as a feed
    reader or mail client that renders HTML in a title shows it; None when it has none."""
    spans = [match.span() for match in _MARKUP.finditer(original)] if "<" in original else []
    if not spans:
        return None
    reader, position = _Reader(), 0
    for start, end in [*spans, (len(original), len(original))]:
        _read(reader, original, position, start)
        position = end
    return reader.result(original)


def displayed(original: str, read: Normalised | None = None) -> Normalised | None:
    """`original` as the gate reads it in the order a browser shows it (`display_order`), or None when no
    bidirectional control can turn any of it around (`read`, the text's `normalise`, says so without a second
    look)."""
    if not (read or normalise(original)).turned:
        return None
    decoded = list(_decoded(original))
    order = display_order("".join(char for char, _, _ in decoded))
    if order == list(range(len(decoded))):
        return None
    reader = _Reader()
    run: list[str] = []  # lower-case printable ASCII written in a row and shown in the same order: copied in bulk
    run_start = run_end = -1
    for index in order:
        char, start, end = decoded[index]
        if "!" <= char <= "~" and not char.isupper() and end == start + 1:
            if start != run_end:
                if run:
                    reader.ascii("".join(run), run_start, run_end)
                run, run_start = [], start
            run.append(char)
            run_end = end
            continue
        if run:
            reader.ascii("".join(run), run_start, run_end)
            run, run_end = [], -1
        if char.isspace():
            reader.space(start, end, char in _LINE_BREAKS)
        else:
            reader.char(char, start, end)
    if run:
        reader.ascii("".join(run), run_start, run_end)
    return reader.result(original)


# The Unicode bidirectional algorithm (UAX #9), as a browser applies it to a paragraph of the status site: the base
# direction is left to right (the page's), line breaks inside a paragraph are spaces (HTML), a blank line or a
# paragraph separator starts a new paragraph. Left out: line wrapping (L1 applies to the paragraph's end only) and
# mirrored glyphs (L4: a bracket at a right-to-left level shows its mirror image), which move no letter.
_MAX_DEPTH = 125
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n|[\x1c-\x1e\x85\u2029]")
_STRONG = {"L": "L", "R": "R", "AL": "R", "EN": "R", "AN": "R"}  # as N1 sees them
_NEUTRAL = frozenset({"B", "S", "WS", "ON"})
# BD14–BD15: paired brackets (BidiBrackets.txt), each opening one with its closing one; U+2329 and U+3008 are one.
_OPENING = (
    "([{\u0f3a\u0f3c\u169b\u2045\u207d\u208d\u2308\u230a\u2329\u2768\u276a\u276c\u276e\u2770\u2772\u2774"
    "\u27c5\u27e6\u27e8\u27ea\u27ec\u27ee\u2983\u2985\u2987\u2989\u298b\u298d\u298f\u2991\u2993\u2995\u2997"
    "\u29d8\u29da\u29fc\u2e22\u2e24\u2e26\u2e28\u2e55\u2e57\u2e59\u2e5b\u3008\u300a\u300c\u300e\u3010\u3014"
    "\u3016\u3018\u301a\ufe59\ufe5b\ufe5d\uff08\uff3b\uff5b\uff5f\uff62"
)
_CLOSING = (
    ")]}\u0f3b\u0f3d\u169c\u2046\u207e\u208e\u2309\u230b\u232a\u2769\u276b\u276d\u276f\u2771\u2773\u2775"
    "\u27c6\u27e7\u27e9\u27eb\u27ed\u27ef\u2984\u2986\u2988\u298a\u298c\u2990\u298e\u2992\u2994\u2996\u2998"
    "\u29d9\u29db\u29fd\u2e23\u2e25\u2e27\u2e29\u2e56\u2e58\u2e5a\u2e5c\u3009\u300b\u300d\u300f\u3011\u3015"
    "\u3017\u3019\u301b\ufe5a\ufe5c\ufe5e\uff09\uff3d\uff5d\uff60\uff63"
)
_PAIRS = {**{opening: index for index, opening in enumerate(_OPENING)}, "\u3008": _OPENING.index("\u2329")}
_CLOSES = {**{closing: index for index, closing in enumerate(_CLOSING)}, "\u3009": _OPENING.index("\u2329")}


def display_order(text: str) -> list[int]:
    """The indices of `text`'s characters, left to right as a browser shows them, without the controls the
    algorithm removes (embeddings, overrides, their ends and other boundary-neutral characters). Linear in the
    text: a paragraph without a right-to-left control keeps its order."""
    order: list[int] = []
    start = 0
    for paragraph_end in [match.end() for match in _PARAGRAPH.finditer(text)] + [len(text)]:
        paragraph = text[start:paragraph_end]
        if any(control in paragraph for control in _RIGHT_TO_LEFT):
            order.extend(start + index for index in _paragraph_order(paragraph))
        else:  # no letter of a left-to-right script moves without a right-to-left control
            order.extend(range(start, paragraph_end))
        start = paragraph_end
    return order


def _paragraph_order(text: str) -> list[int]:
    types = [unicodedata.bidirectional(char) or "L" for char in text]
    types = ["WS" if kind == "B" else kind for kind in types]  # a line break inside a paragraph of HTML is a space
    initiators = [kind in ("LRI", "RLI", "FSI") for kind in types]
    levels, kept, matching = _explicit_levels(types)
    runs: list[list[int]] = []  # BD7: level runs
    for index in kept:
        if runs and levels[runs[-1][-1]] == levels[index]:
            runs[-1].append(index)
        else:
            runs.append([index])
    run_at = {run[0]: run for run in runs}
    continued = set(matching.values())  # BD13: a run that starts at a matched PDI continues its initiator's sequence
    sequences = []
    for run in runs:
        if run[0] in continued:
            continue
        sequence = list(run)
        while initiators[sequence[-1]] and sequence[-1] in matching and matching[sequence[-1]] in run_at:
            sequence += run_at[matching[sequence[-1]]]
        sequences.append(sequence)
    embedding = list(levels)  # before I1–I2 raise some characters
    position = {index: at for at, index in enumerate(kept)}
    for sequence in sequences:  # X10
        level = embedding[sequence[0]]
        first, last = position[sequence[0]], position[sequence[-1]]
        before = embedding[kept[first - 1]] if first else 0
        unmatched = initiators[sequence[-1]] and sequence[-1] not in matching
        after = embedding[kept[last + 1]] if last + 1 < len(kept) and not unmatched else 0
        _resolve(
            text,
            sequence,
            types,
            levels,
            "R" if max(level, before) % 2 else "L",
            "R" if max(embedding[sequence[-1]], after) % 2 else "L",
        )
    for index in reversed(kept):  # L1: trailing whitespace and isolate controls at the paragraph's level
        if unicodedata.bidirectional(text[index]) not in ("WS", "B", "S", "LRI", "RLI", "FSI", "PDI"):
            break
        levels[index] = 0
    return _reorder(kept, levels)


def _explicit_levels(types: list[str]) -> tuple[list[int], list[int], dict[int, int]]:
    """X1–X9: each character's embedding level (overrides applied to `types`), the characters kept, and each
    isolate initiator's matching PDI."""
    count = len(types)
    matching: dict[int, int] = {}  # BD9: an isolate initiator and its PDI
    opened: list[int] = []
    for index, kind in enumerate(types):
        if kind in ("LRI", "RLI", "FSI"):
            opened.append(index)
        elif kind == "PDI" and opened:
            matching[opened.pop()] = index

    def right_to_left(initiator: int) -> bool:
        """P2–P3 for an FSI: its first strong character, nested isolates skipped; each character is looked at by
        the innermost FSI around it only, so the whole is linear."""
        index, end = initiator + 1, matching.get(initiator, count)
        while index < end:
            kind = types[index]
            if kind in ("L", "R", "AL"):
                return kind != "L"
            index = matching.get(index, count) + 1 if kind in ("LRI", "RLI", "FSI") else index + 1
        return False

    levels = [0] * count
    kept: list[int] = []
    stack: list[tuple[int, str, bool]] = [(0, "", False)]  # (level, override, isolate)
    overflow_isolates = overflow_embeddings = valid_isolates = 0
    for index, kind in enumerate(types):
        level, override, _ = stack[-1]
        if kind in ("RLE", "LRE", "RLO", "LRO"):
            new = (level + 1) | 1 if kind[0] == "R" else (level + 2) & ~1
            if new <= _MAX_DEPTH and not overflow_isolates and not overflow_embeddings:
                stack.append((new, {"RLO": "R", "LRO": "L"}.get(kind, ""), False))
            elif not overflow_isolates:
                overflow_embeddings += 1
            levels[index] = level
            continue
        if kind == "PDF":
            if not overflow_isolates:
                if overflow_embeddings:
                    overflow_embeddings -= 1
                elif not stack[-1][2] and len(stack) > 1:
                    stack.pop()
            levels[index] = level
            continue
        if kind == "BN":
            levels[index] = level
            continue
        if kind in ("RLI", "LRI", "FSI"):
            levels[index] = level
            types[index] = override or "ON"
            right = kind == "RLI" or (kind == "FSI" and right_to_left(index))
            new = (level + 1) | 1 if right else (level + 2) & ~1
            if new <= _MAX_DEPTH and not overflow_isolates and not overflow_embeddings:
                valid_isolates += 1
                stack.append((new, "", True))
            else:
                overflow_isolates += 1
        elif kind == "PDI":
            if overflow_isolates:
                overflow_isolates -= 1
            elif valid_isolates:
                overflow_embeddings = 0
                while not stack[-1][2]:
                    stack.pop()
                stack.pop()
                valid_isolates -= 1
            level, override, _ = stack[-1]
            levels[index] = level
            types[index] = override or "ON"
        else:
            levels[index] = level
            if override:
                types[index] = override
        kept.append(index)
    return levels, kept, matching


def _resolve(text: str, run: list[int], types: list[str], levels: list[int], sos: str, eos: str) -> None:
    """W1–W7, N0–N2 and I1–I2 on one isolating run sequence."""
    kinds = [types[index] for index in run]
    previous = sos
    for at, kind in enumerate(kinds):  # W1
        if kind == "NSM":
            kinds[at] = previous
        previous = kinds[at]
    strong = sos
    for at, kind in enumerate(kinds):  # W2, W3
        if kind in ("L", "R", "AL"):
            strong = kind
        elif kind == "EN" and strong == "AL":
            kinds[at] = "AN"
        if kind == "AL":
            kinds[at] = "R"
    for at in range(1, len(kinds) - 1):  # W4
        kind, left, right = kinds[at], kinds[at - 1], kinds[at + 1]
        if (kind == "ES" and left == right == "EN") or (kind == "CS" and left == right and left in ("EN", "AN")):
            kinds[at] = left
    at = 0
    while at < len(kinds):  # W5
        if kinds[at] != "ET":
            at += 1
            continue
        end = at
        while end < len(kinds) and kinds[end] == "ET":
            end += 1
        if (at and kinds[at - 1] == "EN") or (end < len(kinds) and kinds[end] == "EN"):
            kinds[at:end] = ["EN"] * (end - at)
        at = end
    kinds = ["ON" if kind in ("ES", "ET", "CS") else kind for kind in kinds]  # W6
    strong = sos
    for at, kind in enumerate(kinds):  # W7
        if kind in ("L", "R"):
            strong = kind
        elif kind == "EN" and strong == "L":
            kinds[at] = "L"
    level = levels[run[0]]  # the same for every character of the sequence
    embedding = "R" if level % 2 else "L"
    _brackets(text, run, types, kinds, embedding, sos)
    at = 0
    while at < len(kinds):  # N1, N2
        if kinds[at] not in _NEUTRAL:
            at += 1
            continue
        end = at
        while end < len(kinds) and kinds[end] in _NEUTRAL:
            end += 1
        left = _STRONG.get(kinds[at - 1], embedding) if at else sos
        right = _STRONG.get(kinds[end], embedding) if end < len(kinds) else eos
        kinds[at:end] = [left if left == right else embedding] * (end - at)
        at = end
    for index, kind in zip(run, kinds, strict=True):  # I1, I2
        if level % 2 == 0:
            levels[index] = level + (1 if kind == "R" else 2 if kind in ("AN", "EN") else 0)
        else:
            levels[index] = level + (1 if kind in ("L", "AN", "EN") else 0)


def _brackets(text: str, run: list[int], types: list[str], kinds: list[str], embedding: str, sos: str) -> None:
    """N0: a pair of brackets takes the direction of what it encloses, or of what precedes it (BD16: at most 63
    open at once). Whether a pair encloses a strong type is read from counts, so the whole stays linear."""
    pairs: list[tuple[int, int]] = []  # (at, at) of each pair's opening and closing bracket
    opened: list[tuple[int, int]] = []  # (the pair's index, at) of each bracket still open
    for at, index in enumerate(run):
        if kinds[at] != "ON":
            continue
        char = text[index]
        if char in _PAIRS:
            if len(opened) == 63:
                break
            opened.append((_PAIRS[char], at))
        elif char in _CLOSES and opened:
            for depth in range(len(opened) - 1, -1, -1):
                if opened[depth][0] == _CLOSES[char]:
                    pairs.append((opened[depth][1], at))
                    del opened[depth:]
                    break
    if not pairs:
        return
    counts = {"L": [0], "R": [0]}  # strong types up to each position, numbers as R
    for kind in kinds:
        strong = _STRONG.get(kind) if kind != "ON" else None
        for direction, count in counts.items():
            count.append(count[-1] + (strong == direction))
    opposite = "L" if embedding == "R" else "R"
    for opening, closing in sorted(pairs):
        inside = {direction: count[closing] - count[opening + 1] for direction, count in counts.items()}
        if inside[embedding]:
            direction = embedding
        elif inside[opposite]:
            at, before = opening - 1, sos
            while at >= 0:
                if kinds[at] in _STRONG:
                    before = _STRONG[kinds[at]]
                    break
                at -= 1
            direction = opposite if before == opposite else embedding
        else:
            continue
        for at in (opening, closing):
            kinds[at] = direction
            at += 1
            while at < len(run) and types[run[at]] == "NSM":
                kinds[at] = direction
                at += 1


def _reorder(kept: list[int], levels: list[int]) -> list[int]:
    """L2: from the highest level down to the lowest odd one, turn around every run at that level or higher. Each
    run is a node of a tree; a node is shown turned around when an odd number of its own and its ancestors'
    levels turn it, so every character is placed once."""
    if not kept:
        return []
    lowest = max(1, min(levels[index] for index in kept) | 1)

    class Node:
        __slots__ = ("children", "high", "low")

        def __init__(self, low: int, high: int, children: list):
            self.low, self.high, self.children = low, high, children

    root = Node(0, 0, [])
    stack = [root]
    for index in kept:
        level = levels[index]
        while stack[-1].low > level:
            stack.pop()
        top = stack[-1]
        if top.high > level:  # the open run holds higher levels: split it at this one
            inner = Node(level + 1, top.high, top.children)
            top.high, top.children = level, [inner]
        elif top.high < level:
            node = Node(top.high + 1, level, [])
            top.children.append(node)
            stack.append(node)
            top = node
        top.children.append(index)
    order: list[int] = []

    def place(node: Node, turned: bool) -> None:
        turns = max(0, node.high - max(node.low, lowest) + 1)
        turned ^= bool(turns % 2)
        for child in reversed(node.children) if turned else node.children:
            if isinstance(child, Node):
                place(child, turned)
            else:
                order.append(child)

    place(root, False)
    return order

"""Similar incidents by what they say: for each postmortem, the others whose text is closest to its own.

What is compared (`FIELDS`): the title, the impact's summary, each root cause's summary and category (a term of
its own), and the body's "Summary" and "Lessons learned" sections, as `terms.terms` reads them (stop words
dropped, synonyms folded, Snowball stems). Placeholders (`TODO ...`, HTML comments), fenced code and web addresses
are left out, and the words of a record's own services count a quarter (`SERVICE_WEIGHT`): a text says what
happened, the services say where, and another list already finds incidents of the same service.

How: TF-IDF with a dampened idf (`IDF_POWER`) and `1 + ln tf`, each field scaled to its weight whatever its length
(a long summary does not drown the title), each record's vector of unit length, a score the cosine of two
vectors (0 to 1). A word no other record uses is left out: it cannot be shared, only dilute the rest.

One pass over the records builds the inverted index (term -> the records that use it, with their weights); each
record then walks the postings of its own terms only, so records that share no term are never compared. A term in
more than `COMMON_SHARE` of the records (once that is over `COMMON_FLOOR` records), or in more than `MAX_POSTINGS`,
is never walked: it adds its share of the score to the `RERANK` best candidates the rarer terms found. A record so
walks at most `MAX_POSTINGS` postings per term: the work grows with the number of records, not with its square.

Deterministic: the same records give the same lists, ties broken by ID; no model, no network, no randomness.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from .model import Postmortem
from .parsing.markdown import code_lines
from .terms import terms

TOP_K = 5  # similar incidents listed per postmortem (its page, the export)
LOOKS_LIKE = 0.3  # the score from which `pr-summary` asks "same cause?"
WORTH_SHOWING = 0.1  # the score from which `new` and `check` print a past incident
SHARED_WORDS = 5  # words shown per similar incident, those that weigh most in the score first
# What is compared, and how much each weighs against the others.
FIELDS = {"title": 2.0, "impact": 1.0, "root causes": 2.0, "category": 1.0, "summary": 1.0, "lessons": 1.0}
SECTIONS = ("summary", "lessons")  # the body's sections compared: those whose heading starts with these words
SERVICE_WEIGHT = 0.25  # a word of the record's own services counts this much
IDF_POWER = 0.5  # the square root of BM25's idf: a rare word weighs about 3 times a common one, not 12
WALK_BUDGET = 1000  # postings a record walks at most, through its rarest terms first
RERANK = 50  # the best candidates the walked terms found, which the terms not walked then score too

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^\W*TODO\b")
_CATEGORY = "\0"  # how a root-cause category starts as a term: no word does


@dataclass(frozen=True)
class Similar:
    """Another postmortem like this one: its ID and title, the cosine of their texts (0 to 1, 4 decimals) and the
    words both use, as this one writes them, those that weigh most first."""

    id: str
    title: str
    score: float
    shared_words: tuple[str, ...]


def similar_incidents(postmortems: Sequence[Postmortem], k: int = TOP_K) -> dict[str, list[Similar]]:
    """For each postmortem's ID, up to `k` others, most similar first (ties by ID); a postmortem that shares no
    word with any other has an empty list. The pages list these, the export gives their IDs."""
    index = SimilarityIndex(postmortems)
    return {pm.id: index.most_similar(pm.id, k) for pm in postmortems}


def texts(pm: Postmortem) -> Iterator[tuple[str, str]]:
    """`(field, text)` for each text of `pm` that `FIELDS` compares; placeholders (`TODO ...`) left out, and the
    category of a root cause that is one."""
    said = [("title", pm.title), ("impact", pm.impact.summary)]
    for cause in pm.root_causes:
        said += [("root causes", cause.summary), ("category", cause.category)] if _said(cause.summary) else []
    yield from ((field, text) for field, text in said if _said(text))
    yield from body_sections(pm.body)


def _said(text: str) -> bool:
    return bool(text.strip()) and not _PLACEHOLDER.match(text)


def body_sections(body: str) -> Iterator[tuple[str, str]]:
    """`(name, text)` for each section of a Markdown body whose heading starts with one of `SECTIONS`: the lines up
    to the next heading of its level or above, without fenced code, HTML comments, web addresses or `TODO` lines."""
    lines = _COMMENT.sub("", body).split("\n")
    name, level, kept = "", 0, list[str]()
    for line, code in zip(lines, code_lines(lines), strict=True):
        heading = None if code else _HEADING.match(line)
        if heading and (not name or len(heading.group(1)) <= level):
            if name:
                yield name, "\n".join(kept)
            words = heading.group(2).strip().lower()
            name = next((section for section in SECTIONS if words.startswith(section)), "")
            level, kept = len(heading.group(1)), []
        elif name and not code and not _PLACEHOLDER.match(line):
            kept.append(_URL.sub(" ", line))
    if name:
        yield name, "\n".join(kept)


def closest(similar: Iterable[Similar], threshold: float, limit: int = 3) -> list[Similar]:
    """Of `similar` (one record's list, best first), the first `limit` whose score reaches `threshold`: what `new`
    and `check` print (`WORTH_SHOWING`) and `pr-summary` asks about (`LOOKS_LIKE`)."""
    return [found for found in similar if found.score >= threshold][:limit]


def _read(pm: Postmortem) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """`pm`'s terms, per field each term's count (a word of its own services a quarter), and how it writes each
    term most often (the first way, of equally frequent ones)."""
    fields: dict[str, dict[str, float]] = {}
    written: Counter[tuple[str, str]] = Counter()  # (a way a term is written, the term) -> how often, first seen first
    own = {term for service in pm.services for _, term in terms(service.replace("-", " "))}
    for field, text in texts(pm):
        counts = fields.setdefault(field, {})
        if field == "category":
            counts[_CATEGORY + text] = counts.get(_CATEGORY + text, 0.0) + 1  # a term of its own, never a word
            continue
        pairs = list(terms(text))
        written.update(pairs)
        for term, count in Counter(term for _, term in pairs).items():
            counts[term] = counts.get(term, 0.0) + count * (SERVICE_WEIGHT if term in own else 1.0)
    most: dict[str, tuple[str, int]] = {}  # term -> its most frequent way, and how often
    for (word, term), count in written.items():
        if count > most.get(term, ("", 0))[1]:
            most[term] = word, count
    return fields, {term: word for term, (word, _) in most.items()}


def _tf(count: float) -> float:
    """A term's weight from its weighted count: `1 + ln` above 1, so ten mentions weigh 3.3 times one, not ten."""
    return 1 + math.log(count) if count > 1 else count


def _norm(weights: Iterable[float]) -> float:
    return math.sqrt(sum(w * w for w in weights)) or 1.0


class SimilarityIndex:
    """Every record's term vector and the inverted index over them, built in one pass; `most_similar` asks it."""

    def __init__(self, postmortems: Sequence[Postmortem]) -> None:
        self.postmortems = list(postmortems)
        self._ids = [pm.id for pm in self.postmortems]
        self._position: dict[str, int] = {}
        for position, pm_id in enumerate(self._ids):
            self._position.setdefault(pm_id, position)
        read = [_read(pm) for pm in self.postmortems]
        self._surfaces = [surfaces for _, surfaces in read]
        frequency: Counter[str] = Counter(
            term for fields, _ in read for term in {t for f in fields.values() for t in f}
        )
        total = len(self.postmortems)
        idf = {term: math.log(1 + (total - df + 0.5) / (df + 0.5)) ** IDF_POWER for term, df in frequency.items()}
        self.vectors: list[dict[str, float]] = []  # per record: term -> weight, of unit length, heaviest first
        self.postings: dict[str, tuple[list[int], list[float]]] = {}  # term -> the records using it, their weights
        for position, (fields, _) in enumerate(read):
            raw: dict[str, float] = {}
            for field, counts in fields.items():  # each field scaled to its weight, however long it is
                weights = {term: _tf(tf) * idf[term] for term, tf in counts.items() if tf > 0 and frequency[term] > 1}
                scale = FIELDS[field] / _norm(weights.values())
                for term, weight in weights.items():
                    raw[term] = raw.get(term, 0.0) + weight * scale
            norm = _norm(raw.values())
            vector = {term: w / norm for term, w in sorted(raw.items(), key=lambda tw: (-tw[1], tw[0]))}
            self.vectors.append(vector)
            for term, weight in vector.items():
                records, weights_ = self.postings.setdefault(term, ([], []))
                records.append(position)
                weights_.append(weight)

    def most_similar(self, pm_id: str, k: int = TOP_K) -> list[Similar]:
        """Up to `k` other records most similar to the record `pm_id` (the first of that ID), best first; ties by
        ID. Records of the same ID are never listed (`duplicate-id` says so elsewhere)."""
        position = self._position.get(pm_id)
        if position is None:
            return []
        vector = self.vectors[position]
        walked, common = self.plan(vector)
        scores: defaultdict[int, float] = defaultdict(float)
        for term in walked:
            records, weights = self.postings[term]
            weight = vector[term]
            for other, other_weight in zip(records, weights, strict=True):
                scores[other] += weight * other_weight
        ids = self._ids
        candidates = [other for other in scores if ids[other] != pm_id]
        if common:  # the terms not walked score the best candidates the others found
            candidates = heapq.nsmallest(RERANK, candidates, key=lambda other: (-scores[other], ids[other], other))
            weighted = [(term, vector[term]) for term in common]
            for other in candidates:
                other_get = self.vectors[other].get
                scores[other] += sum(weight * other_get(term, 0.0) for term, weight in weighted)
        best = heapq.nsmallest(k, candidates, key=lambda other: (-round(scores[other], 9), ids[other], other))
        return [self._similar(position, other, scores[other]) for other in best]

    def plan(self, vector: dict[str, float]) -> tuple[list[str], list[str]]:
        """The terms of `vector` whose postings a record walks, its words rarest first within `WALK_BUDGET` postings,
        and those it does not walk, which only score the candidates the others found: the words too common to walk,
        and the root-cause categories (two records alike in a category alone are not alike)."""
        walked, common, budget = [], [], WALK_BUDGET
        for term in sorted(vector, key=lambda term: (len(self.postings[term][0]), term)):
            size = len(self.postings[term][0])
            if size > budget or term.startswith(_CATEGORY):  # past the budget: this term and every later word
                common.append(term)
            else:
                walked.append(term)
                budget -= size
        return walked, common

    def _similar(self, position: int, other: int, score: float) -> Similar:
        vector, other_vector, surfaces = self.vectors[position], self.vectors[other], self._surfaces[position]
        shared = sorted(
            ((weight * other_vector[term], term) for term, weight in vector.items() if term in other_vector),
            key=lambda share: (-share[0], share[1]),
        )
        words = tuple(surfaces[term] for _, term in shared if term in surfaces)[:SHARED_WORDS]
        pm = self.postmortems[other]
        return Similar(pm.id, pm.title, round(min(score, 1.0), 4), words)

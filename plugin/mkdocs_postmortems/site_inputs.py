"""What each page of one build is made from, as values a rebuild compares with the last build's (`site_builds`): a
page whose inputs did not change need not be written again (`mkdocs serve --dirty`), and when no postmortem's facts
changed (`everything`), the cross-incident pages, which show every postmortem's facts but never a body, are reused
whole. The core never compares a page's HTML, only what it is made from."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping

from .kb_site.indexes import Indexes
from .knowledge import KnowledgeBase
from .model import Postmortem
from .render import PageSpec, Rows

_FACTS = tuple(f.name for f in dataclasses.fields(Postmortem) if f.compare and f.name != "body")


def facts(pm: Postmortem) -> tuple:
    """Everything of a postmortem but its body: what the pages about other postmortems may show of it."""
    return tuple(getattr(pm, name) for name in _FACTS)


class Facts:
    """Each postmortem's facts, computed once per build (the postmortems live as long as the site)."""

    def __init__(self) -> None:
        self._found: dict[int, tuple] = {}

    def of(self, pm: Postmortem) -> tuple:
        found = self._found.get(id(pm))
        if found is None:
            found = self._found[id(pm)] = facts(pm)
        return found


def everything(
    kb: KnowledgeBase, known: Facts, site_name: str, directory_urls: bool, user_uris: Collection[str]
) -> tuple:
    """What every cross-incident page may show: each postmortem's facts (not its body), every diagnostic, and the
    settings of the site. Equal to the last build's: its cross-incident pages, rows and exports may be reused."""
    return (
        tuple(map(known.of, kb.postmortems)),
        tuple(kb.diagnostics),
        tuple(kb.rejected),
        site_name,
        kb.today,
        kb.policy,
        directory_urls,
        frozenset(user_uris),
    )


class PageInputs:
    """What each page's HTML is made from, as a value to compare with the previous build's: equal means the same
    HTML, under the same configuration, templates and `today` (`SiteBuilds`' key). `epoch` is the last build's when no
    postmortem's facts changed, else a new object, equal to nothing."""

    def __init__(
        self,
        kb: KnowledgeBase,
        known: Facts,
        shown: tuple,
        epoch: object,
        postmortems: Mapping[str, Postmortem],
        specs: Mapping[str, PageSpec],
        indexes: Indexes | None = None,
        rows: Rows | None = None,
    ):
        self.kb, self.known, self.everything, self.epoch = kb, known, shown, epoch
        self.postmortems, self.specs, self.indexes, self.rows = postmortems, specs, indexes, rows
        self._shape: tuple | None = None

    def of(self, uri: str):
        """Page `uri`'s inputs. A postmortem page depends on its file, its diagnostics, its action items' state and
        the postmortems it links to; a facet page on the postmortems it lists and the filter counts; every other page
        on the whole knowledge base. Files are known by `KnowledgeBase.stamps`; without them no two builds' inputs
        are equal."""
        pm = self.postmortems.get(uri)
        if pm is not None:
            # A page links and lists much of the rest (related, similar, owners, categories, filter pages): it is
            # the same only when no fact of any postmortem changed (`epoch`) and its own file did not.
            similar = tuple(self.indexes.similar.get(pm.id, [])) if self.indexes is not None else ()
            diagnostics = tuple(self.kb.diagnostics_by_path().get(pm.path, []))
            return ("postmortem", self._stamp(pm), diagnostics, self.epoch, similar)  # a body's words move others
        spec = self.specs.get(uri)
        if spec is None:
            return None
        if spec.template == "facet" and self.indexes is not None:
            problems = self.rows.problems if self.rows else {}
            return (
                "facet",
                spec.title,
                self._facet_shape(self.indexes),
                tuple((self.known.of(pm), problems.get(pm.id, 0)) for pm in spec.context["postmortems"]),
            )
        return ("everything", spec.title, self.everything)

    def _stamp(self, pm: Postmortem):
        """A postmortem's file as of this build (size, mtime, display path) and its errors; a fresh object, equal
        to nothing, where the file's stamp is unknown."""
        stamp = self.kb.stamps.get(pm.path)
        return object() if stamp is None else (pm.path, stamp, pm.errors)

    def _facet_shape(self, indexes: Indexes) -> tuple:
        if self._shape is None:
            self._shape = tuple(
                (dimension, tuple((value, len(pms)) for value, pms in values.items()))
                for dimension, values in indexes.facets.items()
            )
        return self._shape

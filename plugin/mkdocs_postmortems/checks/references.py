"""Rules across files: every ID is unique, and every `related` ID names a postmortem. One pass and a set lookup
per reference, so they stay linear in the number of postmortems."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Level
from ..model import Postmortem
from ..parsing.reader import did_you_mean
from .registry import Context, Scope, diagnostic, rule


@rule("duplicate-id", Level.ERROR, "Two files have the same name in different folders.", scope=Scope.KNOWLEDGE_BASE)
def duplicate_ids(postmortems: list[Postmortem], ctx: Context) -> Iterator[Diagnostic]:
    first_path: dict[str, str] = {}
    for pm in postmortems:
        if pm.id in first_path:
            yield diagnostic(
                pm,
                (),
                "duplicate-id",
                f"another file is also named `{pm.id}.md`: {first_path[pm.id]}",
                "IDs are file names and must be unique across folders; rename one",
            )
        first_path.setdefault(pm.id, pm.path)


@rule("unknown-related", Level.ERROR, "`related` names a postmortem that does not exist.", scope=Scope.KNOWLEDGE_BASE)
def unknown_related(postmortems: list[Postmortem], ctx: Context) -> Iterator[Diagnostic]:
    known = ctx.ids.union(pm.id for pm in postmortems)
    for pm in postmortems:
        for index, other in enumerate(pm.related):
            if other not in known:
                otherwise = "use the file name of a postmortem, without `.md`"
                # difflib costs a pass over every ID: only for the first few per file
                hint = did_you_mean(other, known, otherwise) if index < 10 else otherwise
                yield diagnostic(
                    pm,
                    ("related", index),
                    "unknown-related",
                    f"`related` names `{other}`, which is not a postmortem",
                    hint,
                )

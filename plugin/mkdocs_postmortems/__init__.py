"""mkdocs-postmortems: a postmortem knowledge base kept in git, validated and published with MkDocs.

The core (model, parsing, rules, knowledge base, rendering) imports nothing from MkDocs;
`plugin.py` and `cli/` are thin adapters over it.
"""

from .diagnostics import Diagnostic
from .knowledge import KnowledgeBase, load_knowledge_base
from .model import ActionItem, Postmortem, RootCause
from .policy import Policy

__all__ = [
    "ActionItem",
    "Diagnostic",
    "KnowledgeBase",
    "Policy",
    "Postmortem",
    "RootCause",
    "load_knowledge_base",
]

"""The rules a postmortem is checked against: one module per rule family, each rule declared once in the registry
(`registry.py`), the families listed and run in `families.py`. This package's own module loads none of them, so
a family outside it (`status_site/leak_gate.py`) imports the registry without loading the families back."""

from __future__ import annotations

from .registry import Context, Rule, Scope

__all__ = ["Context", "Rule", "Scope"]

"""The status badge: `badge.svg` (flat, shields.io-like, the status in words) and `badge.json` (a shields.io
endpoint: `https://img.shields.io/endpoint?url=…/badge.json`). The colours meet WCAG AA (4.5:1) with the text
drawn on them, and the words alone tell the status."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

LABEL = "status"
# (background, text) by Statuspage indicator; each pair has a contrast of at least 4.5:1.
COLOURS = {
    "none": ("#1b5e20", "#ffffff"),
    "minor": ("#f9a825", "#000000"),
    "major": ("#bf360c", "#ffffff"),
    "critical": ("#b71c1c", "#ffffff"),
}
SHIELDS_COLOURS = {"none": "brightgreen", "minor": "yellow", "major": "orange", "critical": "red"}
_GREY = ("#455a64", "#ffffff")


def _width(text: str) -> int:
    """A generous width for `text` at 11 px Verdana-like type, so nothing is clipped."""
    return 12 + sum(8 if char.isupper() or char in "mwMW" else 7 for char in text)


def badge_svg(indicator: str, description: str) -> str:
    """A 20 px high badge: `status | All Systems Operational`, with a <title> for screen readers."""
    background, foreground = COLOURS.get(indicator, _GREY)
    left, right = _width(LABEL), _width(description)
    total = left + right
    text = escape(description)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{LABEL}: {text}">'
        f"<title>{LABEL}: {text}</title>"
        f'<rect width="{left}" height="20" fill="{_GREY[0]}"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{background}"/>'
        f'<g font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">'
        f'<text x="{left / 2}" y="14" fill="{_GREY[1]}">{LABEL}</text>'
        f'<text x="{left + right / 2}" y="14" fill="{foreground}">{text}</text></g></svg>\n'
    )


def badge_json(indicator: str, description: str) -> str:
    """The shields.io endpoint schema (`schemaVersion` 1)."""
    return (
        json.dumps(
            {
                "schemaVersion": 1,
                "label": LABEL,
                "message": description,
                "color": SHIELDS_COLOURS.get(indicator, "lightgrey"),
            },
            indent=2,
        )
        + "\n"
    )

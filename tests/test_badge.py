"""`status_site/badge.py`: the status badge in words, as SVG and as a shields.io endpoint, with text that meets WCAG
AA (4.5:1) on every background it is drawn on."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from mkdocs_postmortems.status_site.badge import COLOURS, badge_json, badge_svg
from mkdocs_postmortems.status_site.statuspage import DESCRIPTIONS

SVG = "{http://www.w3.org/2000/svg}"


def contrast(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two `#rrggbb` colours, computed here from the definition."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_badge_says_the_status_in_words_with_contrast():
    svg = badge_svg("major", "Partial System Outage")
    assert (
        svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
        and "<title>status: Partial System Outage</title>" in svg
    )
    assert "Partial System Outage</text>" in svg and 'fill="#bf360c"' in svg
    assert json.loads(badge_json("none", "All Systems Operational")) == {
        "schemaVersion": 1,
        "label": "status",
        "message": "All Systems Operational",
        "color": "brightgreen",
    }
    assert "&lt;b&gt;" in badge_svg("none", "<b>")


@pytest.mark.parametrize("indicator", sorted(DESCRIPTIONS))
def test_every_status_is_a_well_formed_badge_whose_text_meets_4_5_to_1(indicator):
    root = ET.fromstring(badge_svg(indicator, DESCRIPTIONS[indicator]))
    assert root.get("role") == "img" and root.get("aria-label") == f"status: {DESCRIPTIONS[indicator]}"
    assert root.find(f"{SVG}title").text == f"status: {DESCRIPTIONS[indicator]}"
    backgrounds = [rect.get("fill") for rect in root.iter(f"{SVG}rect")]
    texts = list(root.iter(f"{SVG}text"))
    assert [text.text for text in texts] == ["status", DESCRIPTIONS[indicator]]
    for background, text in zip(backgrounds, texts, strict=True):
        assert contrast(background, text.get("fill")) >= 4.5, (indicator, background, text.get("fill"))


def test_the_colours_of_every_indicator_meet_4_5_to_1():
    assert {indicator: contrast(*pair) >= 4.5 for indicator, pair in COLOURS.items()} == dict.fromkeys(COLOURS, True)


def test_an_unknown_indicator_is_grey_and_a_longer_status_a_wider_badge():
    assert json.loads(badge_json("maintenance", "Under maintenance"))["color"] == "lightgrey"
    root = ET.fromstring(badge_svg("maintenance", "Under maintenance"))
    assert {rect.get("fill") for rect in root.iter(f"{SVG}rect")} == {"#455a64"}
    width = int(ET.fromstring(badge_svg("none", "Up")).get("width"))
    assert int(ET.fromstring(badge_svg("none", "All Systems Operational")).get("width")) > width

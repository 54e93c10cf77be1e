"""Text on coloured fills reads: each map tile's and heat cell's ink is the one the contrast
rule picks for its fill, at 4.5:1 or more (WCAG 2.x AA for normal text)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import coiin
from coiin.charts.contrast import DARK_INK, LIGHT_INK, contrast_ratio, ink_for

STATIC = Path(coiin.__file__).resolve().parent
SITE_CSS = (STATIC / "static" / "coiin" / "site.css").read_text()
HEAT_CSS = (STATIC / "improvement" / "static" / "improvement" / "improvement.css").read_text()


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    # WebAIM's checker: #767676 on white is 4.54:1, the lightest grey that passes AA.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert ink_for("#08519c") == LIGHT_INK and ink_for("#c6dbef") == DARK_INK
    with pytest.raises(ValueError, match="expected #rrggbb"):
        contrast_ratio("#fff", "#000")


def _fills(css: str, classes: list[str]) -> dict[str, str]:
    variables = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    fills = {}
    for name in classes:
        value = re.search(rf"\.{name}\s*\{{[^}}]*background:\s*(#[0-9a-fA-F]{{6}}|var\(--[\w-]+\))",
                          css).group(1)
        fills[name] = variables[value[6:-1]] if value.startswith("var(") else value
    return fills


def _tile_ink(css: str, name: str) -> str:
    """The text colour a tile of this fill class gets: its own rule, else .tile a's."""
    for selectors, colour in re.findall(r"([^{}]+)\{[^}]*?(?<![-\w])color:\s*(#[0-9a-fA-F]{6})",
                                        css):
        if re.search(rf"\.{name} a\b", selectors):
            return colour
    return re.search(r"\.tile a \{[^}]*?(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", css).group(1)


MAP_FILLS = ["q0", "q1", "q2", "q3", "q4", "sig-improving", "sig-deteriorating", "sig-common",
             "nodata", "cohort-2012", "cohort-2013", "cohort-2014"]


@pytest.mark.parametrize("name", MAP_FILLS)
def test_each_map_tile_has_the_ink_its_fill_calls_for(name):
    fill = _fills(SITE_CSS, [name])[name]
    ink = _tile_ink(SITE_CSS, name).lower()
    ink = "#ffffff" if ink == "#fff" else ink
    assert ink == ink_for(fill), f".{name} on {fill}: ink {ink}, should be {ink_for(fill)}"
    assert contrast_ratio(fill, ink) >= 4.5, f".{name}: {contrast_ratio(fill, ink):.2f}:1"


def test_every_heat_cell_with_text_reads():
    cells = re.findall(
        r"\.heat-(\d+) \{ background: (#[0-9a-f]{6});(?: color: (#[0-9a-f]{3,6});)? \}", HEAT_CSS)
    assert len(cells) == 10
    for level, fill, ink in cells:
        ink = {"": "#1d2433", "#fff": "#ffffff"}.get(ink, ink)  # "": the page's --ink
        assert contrast_ratio(fill, ink) >= 4.5, f"heat-{level}: {contrast_ratio(fill, ink):.2f}"

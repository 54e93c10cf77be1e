"""Driver diagram layout (pure): columns, parents level with their children, no overlaps,
escaped text, exports."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

from coiin.improvement.diagram import (
    BOX_W,
    COL_GAP,
    MARGIN,
    Node,
    as_csv,
    as_tree,
    layout,
    render_svg,
    wrap,
)

NODES = [
    Node(1, "primary", "Safe sleep practice in birthing hospitals", measure="Measure: SS-CRIB"),
    Node(2, "secondary", "Nurses model safe sleep", parent=1),
    Node(3, "change", "Crib audits with feedback to each unit every month", parent=2),
    Node(4, "change", "Nurse training on the AAP 2016 recommendations", parent=2),
    Node(5, "secondary", "Families learn safe sleep before discharge", parent=1),
    Node(6, "primary", "Safe sleep messages <everywhere> & always"),
]


def boxes_by_id(lay):
    return {b.id: b for b in lay.boxes}


def test_columns_run_aim_primary_secondary_change():
    lay = layout("Reduce sleep-related infant deaths by 10 % by 2017", NODES)
    b = boxes_by_id(lay)
    assert b[None].x == MARGIN
    assert b[1].x == MARGIN + BOX_W + COL_GAP
    assert b[2].x == b[5].x == MARGIN + 2 * (BOX_W + COL_GAP)
    assert b[3].x == MARGIN + 3 * (BOX_W + COL_GAP)
    assert lay.width == b[3].x + BOX_W + MARGIN


def test_a_parent_sits_level_with_the_middle_of_its_children():
    b = boxes_by_id(layout("Aim", NODES))
    assert abs(b[2].middle - (b[3].y + b[4].y + b[4].height) / 2) < 0.01
    assert b[3].y + b[3].height < b[4].y  # siblings one below the other


def test_no_two_boxes_in_a_column_overlap_and_all_fit_the_page():
    many = [Node(i, "primary", f"Driver {i} " * (i % 5 + 1)) for i in range(1, 9)]
    many += [Node(100 + i, "secondary", "A secondary driver with a longer text " * 2,
                  parent=i) for i in range(1, 9) for _ in range(1)]
    lay = layout("Aim", many)
    for column in range(4):
        col = sorted((b for b in lay.boxes if b.column == column), key=lambda b: b.y)
        for upper, lower in zip(col, col[1:], strict=False):
            assert upper.y + upper.height <= lower.y
    assert all(b.y + b.height <= lay.height for b in lay.boxes)


def test_text_wraps_inside_the_box():
    lines = wrap("Implement hospital safe sleep policies and audit cribs monthly on every unit")
    assert len(lines) > 1
    assert all(len(line) <= 28 for line in lines)


def test_one_connector_per_parent_child_pair():
    lay = layout("Aim", NODES)
    assert len(lay.connectors) == 2 + 2 + 2  # aim→2 primaries, 1→2 secondaries, 2→2 ideas


def test_svg_is_well_formed_escaped_and_black_on_white():
    svg = render_svg(layout("Aim & more", NODES), title="Driver diagram: Aim", standalone=True)
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output; parsing proves the escaping
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}tspan"))
    assert "<everywhere> & always" in texts
    assert "style=" not in svg  # presentation attributes only (the CSP forbids inline CSS)
    assert 'fill="#ffffff"' in svg and 'stroke="#000000"' in svg
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Driver diagram: Aim"


def test_an_empty_diagram_still_draws_its_aim():
    lay = layout("", [])
    assert [b.lines for b in lay.boxes] == [["No aim yet."]]


def test_exports_keep_the_tree():
    tree = as_tree("Aim", NODES)
    assert json.loads(json.dumps(tree))["drivers"][0]["children"][0]["children"][1]["text"] \
        == "Nurse training on the AAP 2016 recommendations"
    rows = list(csv.DictReader(io.StringIO(as_csv("Aim", NODES))))
    assert [(r["level"], r["kind"]) for r in rows[:4]] == [
        ("0", "aim"), ("1", "primary"), ("2", "secondary"), ("3", "change")]
    assert rows[1]["measure"] == "Measure: SS-CRIB"
    assert as_csv("=HYPERLINK()", []).splitlines()[1].endswith("'=HYPERLINK(),")


def test_the_column_headings_are_the_callers():
    lay = layout("Reduce sleep-related infant deaths", NODES)
    spanish = ("Objetivo", "Impulsores primarios", "Impulsores secundarios", "Ideas de cambio")
    svg = render_svg(lay, title="Diagrama", headings=spanish)
    assert all(f">{h}</text>" in svg for h in spanish)
    assert ">Primary drivers</text>" not in svg

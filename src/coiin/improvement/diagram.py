"""Driver diagram layout and drawing. Pure Python: no Django.

Columns, left to right: the aim, primary drivers, secondary drivers, change ideas. Each
box is as tall as its wrapped text; a parent sits level with the middle of its children;
elbow connectors join a parent's right edge to each child's left edge. The SVG is black
on white with light tints, readable when printed in grey, and fits a landscape page.
"""

from __future__ import annotations

import csv
import io
import textwrap
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from coiin.spreadsheet import safe_cell

KINDS = ("aim", "primary", "secondary", "change")
HEADINGS = ("Aim", "Primary drivers", "Secondary drivers", "Change ideas")
BOX_W = 210
COL_GAP = 44
MARGIN = 16
HEAD_H = 28
PAD = 8
FONT = 12
LINE_H = 15
SMALL = 10
V_GAP = 12
CHAR_W = 0.56 * FONT  # an average glyph of a sans-serif face at FONT px
FILLS = {"aim": "#e6edf7", "primary": "#eef5ee", "secondary": "#ffffff", "change": "#fbf6e9"}
STROKES = {"aim": 2.5, "primary": 2.0, "secondary": 1.2, "change": 1.2}


@dataclass(frozen=True)
class Node:
    """A box to draw: ``parent`` is another node's id, or None under the aim."""

    id: int
    kind: str
    text: str
    parent: int | None = None
    measure: str = ""  # e.g. "Measure: SS-CRIB"
    href: str = ""
    lang: str = ""  # the language its text was written in


@dataclass
class Box:
    id: int | None  # None for the aim
    kind: str
    column: int
    x: float
    y: float
    width: float
    height: float
    lines: list[str]
    note: str = ""
    href: str = ""
    lang: str = ""

    @property
    def middle(self) -> float:
        return self.y + self.height / 2


@dataclass
class Layout:
    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)
    connectors: list[tuple[float, float, float, float]] = field(default_factory=list)


def wrap(text: str, width: float = BOX_W) -> list[str]:
    chars = max(int((width - 2 * PAD) / CHAR_W), 8)
    return textwrap.wrap(text.strip(), chars, break_long_words=True) or [""]


def _height(lines: list[str], note: str) -> float:
    return 2 * PAD + LINE_H * len(lines) + (SMALL + 4 if note else 0)


def _column(kind: str) -> int:
    return KINDS.index(kind) if kind in KINDS else 3


def layout(aim: str, nodes: Sequence[Node], aim_lang: str = "") -> Layout:
    """Place every box. Nodes keep their given order among siblings; a node whose parent
    is missing hangs from the aim in its own kind's column."""
    ids = {n.id for n in nodes}
    children: dict[int | None, list[Node]] = defaultdict(list)
    for n in nodes:
        children[n.parent if n.parent in ids else None].append(n)
    out = Layout(width=2 * MARGIN + 4 * BOX_W + 3 * COL_GAP, height=0)
    top = MARGIN + HEAD_H
    cursor = top

    def place(node: Node) -> Box:
        nonlocal cursor
        column = _column(node.kind)
        lines = wrap(node.text)
        h = _height(lines, node.measure)
        start = cursor
        kids = [place(c) for c in children.get(node.id, [])]
        if kids:
            mid = (kids[0].y + kids[-1].y + kids[-1].height) / 2
            y = max(start, mid - h / 2)
        else:
            y = start
        box = Box(node.id, node.kind, column, _x(column), y, BOX_W, h, lines, node.measure,
                  node.href, node.lang)
        out.boxes.append(box)
        for kid in kids:
            out.connectors.append((box.x + BOX_W, box.middle, kid.x, kid.middle))
        cursor = max(cursor, y + h + V_GAP)
        return box

    roots = [place(n) for n in children.get(None, [])]
    lines = wrap(aim or "No aim yet.")
    h = _height(lines, "")
    if roots:
        mid = (min(r.y for r in roots) + max(r.y + r.height for r in roots)) / 2
        y = max(top, mid - h / 2)
    else:
        y = top
    aim_box = Box(None, "aim", 0, _x(0), y, BOX_W, h, lines, lang=aim_lang if aim else "")
    out.boxes.insert(0, aim_box)
    for r in roots:
        out.connectors.append((aim_box.x + BOX_W, aim_box.middle, r.x, r.middle))
    out.height = max([cursor, y + h + V_GAP] + [b.y + b.height + V_GAP for b in out.boxes]) \
        + MARGIN
    return out


def _x(column: int) -> float:
    return MARGIN + column * (BOX_W + COL_GAP)


def _n(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def render_svg(lay: Layout, *, title: str, standalone: bool = False,
               headings: Sequence[str] = HEADINGS) -> str:
    """The diagram as SVG markup (every text escaped), with a title for screen readers and
    the columns' ``headings`` (in the reader's language: the caller translates them)."""
    w, h = _n(lay.width), _n(lay.height)
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    # With links inside it is a group (an image may not hold focusable parts).
    role = "group" if any(b.href for b in lay.boxes) else "img"
    parts = [f'<svg{ns} viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="{role}" '
             f'aria-labelledby="dd-title" class="driver-diagram" '
             f'font-family="Helvetica, Arial, sans-serif">',
             f'<title id="dd-title">{escape(title)}</title>',
             f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>']
    for column, heading in enumerate(headings):
        parts.append(f'<text x="{_n(_x(column) + BOX_W / 2)}" y="{_n(MARGIN + 14)}" '
                     f'text-anchor="middle" font-size="13" font-weight="bold" '
                     f'fill="#000000">{escape(heading)}</text>')
    parts.append('<g fill="none" stroke="#333333" stroke-width="1.2">')
    for x1, y1, x2, y2 in lay.connectors:
        xm = x1 + COL_GAP / 2
        parts.append(f'<path d="M{_n(x1)} {_n(y1)}H{_n(xm)}V{_n(y2)}H{_n(x2)}"/>')
    parts.append("</g>")
    for b in lay.boxes:
        dash = ' stroke-dasharray="4 3"' if b.kind == "change" else ""
        shape = [f'<g class="dd-{b.kind}">',
                 f'<rect x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(b.width)}" '
                 f'height="{_n(b.height)}" rx="6" fill="{FILLS[b.kind]}" stroke="#000000" '
                 f'stroke-width="{STROKES[b.kind]}"{dash}/>']
        weight = ' font-weight="bold"' if b.kind in ("aim", "primary") else ""
        shape.append(f'<text x="{_n(b.x + PAD)}" y="{_n(b.y + PAD + FONT)}" '
                     f'font-size="{FONT}" fill="#000000"{weight}'
                     + (f' lang="{escape(b.lang)}"' if b.lang else "") + ">")
        for i, line in enumerate(b.lines):
            dy = "0" if i == 0 else str(LINE_H)
            shape.append(f'<tspan x="{_n(b.x + PAD)}" dy="{dy}">{escape(line)}</tspan>')
        shape.append("</text>")
        if b.note:
            shape.append(f'<text x="{_n(b.x + PAD)}" y="{_n(b.y + b.height - PAD)}" '
                         f'font-size="{SMALL}" fill="#333333">{escape(b.note)}</text>')
        shape.append("</g>")
        if b.href:
            shape = [f"<a href={quoteattr(b.href)}>", *shape, "</a>"]
        parts.extend(shape)
    parts.append("</svg>")
    return "\n".join(parts)


def as_tree(aim: str, nodes: Sequence[Node]) -> dict[str, object]:
    """The diagram as nested data (for the JSON export)."""
    children: dict[int | None, list[Node]] = defaultdict(list)
    ids = {n.id for n in nodes}
    for n in nodes:
        children[n.parent if n.parent in ids else None].append(n)

    def branch(n: Node) -> dict[str, object]:
        return {"id": n.id, "kind": n.kind, "text": n.text, "measure": n.measure,
                "children": [branch(c) for c in children.get(n.id, [])]}

    return {"aim": aim, "drivers": [branch(n) for n in children.get(None, [])]}


CSV_COLUMNS = ["id", "parent_id", "level", "kind", "text", "measure"]


def as_csv(aim: str, nodes: Sequence[Node]) -> str:
    """One row per box in reading order (depth first), the aim first."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerow(["", "", 0, "aim", safe_cell(aim), ""])
    children: dict[int | None, list[Node]] = defaultdict(list)
    ids = {n.id for n in nodes}
    for n in nodes:
        children[n.parent if n.parent in ids else None].append(n)

    def walk(parent: int | None, level: int) -> None:
        for n in children.get(parent, []):
            writer.writerow([n.id, n.parent or "", level, n.kind, safe_cell(n.text), n.measure])
            walk(n.id, level + 1)

    walk(None, 1)
    return out.getvalue()

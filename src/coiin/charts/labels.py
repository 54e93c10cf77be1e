"""Placing short text labels beside points so that no two labels overlap (the team codes on
a funnel plot, where teams of similar size and value crowd together).

Pure geometry in pixels: each label is a box of a given size anchored at its left-middle;
it goes at the first spot, tried in rings of growing distance around its point, where it
overlaps neither a label already placed nor a point, nor leaves the plot. Points are
placed from the top down, so a crowded cluster fans out in order. Far enough out a free
spot always exists, so every label is placed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

GAP = 5.0  # from a point's centre to the nearest edge of its label, at the first ring
POINT_RADIUS = 4.0  # a drawn point's half-width (Vega-Lite's size 60 is about 8 px)
RINGS = 60
STEP = 6.0  # how much farther each ring is


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def intersects(self, other: Box) -> bool:
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)

    def inside(self, width: float, height: float) -> bool:
        return self.left >= 0 and self.top >= 0 and self.right <= width \
            and self.bottom <= height


def text_size(text: str, font_size: float = 9.0) -> tuple[float, float]:
    """A generous box for ``text`` in a sans-serif font: 0.65 em a character, 1.25 em high."""
    return len(text) * font_size * 0.65 + 2, font_size * 1.25


def _candidates(x: float, y: float, w: float, h: float) -> list[tuple[float, float]]:
    """Top-left corners to try, nearest first: right, left, above, below, then diagonals,
    then the same ring by ring further out."""
    out: list[tuple[float, float]] = []
    for ring in range(RINGS):
        d = GAP + ring * STEP
        spots = [(x + d, y - h / 2), (x - d - w, y - h / 2),
                 (x - w / 2, y - d - h), (x - w / 2, y + d),
                 (x + d, y - d - h), (x + d, y + d), (x - d - w, y - d - h), (x - d - w, y + d)]
        if ring:  # between the eight directions, as the ring grows
            for k in range(16):
                angle = 2 * math.pi * (k + 0.5) / 16
                spots.append((x + d * math.cos(angle) - w / 2, y - d * math.sin(angle) - h / 2))
        out.extend(spots)
    return out


def place_labels(points: Sequence[tuple[float, float]], sizes: Sequence[tuple[float, float]],
                 width: float, height: float) -> list[Box]:
    """Each label's box, for points (x, y) in pixels (y down) in a width × height plot."""
    markers = [Box(x - POINT_RADIUS, y - POINT_RADIUS, 2 * POINT_RADIUS, 2 * POINT_RADIUS)
               for x, y in points]
    placed: dict[int, Box] = {}
    for i in sorted(range(len(points)), key=lambda i: (points[i][1], points[i][0])):
        (x, y), (w, h) = points[i], sizes[i]
        chosen = None
        fallback = None
        for left, top in _candidates(x, y, w, h):
            box = Box(left, top, w, h)
            if any(box.intersects(b) for b in placed.values()) \
                    or any(box.intersects(m) for m in markers):
                continue
            if box.inside(width, height):
                chosen = box
                break
            fallback = fallback or box  # free, though beyond the plot's edge
        if chosen is None:
            chosen = fallback or _beyond([*placed.values(), *markers], x, w, h)
        placed[i] = chosen
    return [placed[i] for i in range(len(points))]


def _beyond(boxes: Sequence[Box], x: float, w: float, h: float) -> Box:
    """Below every box so far: free by construction (not reached in practice)."""
    return Box(x, max((b.bottom for b in boxes), default=0.0) + 1, w, h)

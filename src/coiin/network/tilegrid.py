"""Where each jurisdiction's square sits on the tile-grid map (row, column).

A grid of 12 columns laid out like the US map, with the territories and freely
associated states in a row of their own: the Pacific ones to the left, the Caribbean
ones to the right.

Only the 59 states, DC, territories and freely associated states have a square. Any other
jurisdiction (a tribal nation, a city health department, a new grouping) is *listed* beside
the map with the same colours and status: every page with the map calls ``lay_out``, which
splits its tiles into the placed and the listed, and never fails on an unknown code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

TILE_POSITIONS: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (0, 11),
    "WI": (1, 6), "VT": (1, 10), "NH": (1, 11),
    "WA": (2, 1), "ID": (2, 2), "MT": (2, 3), "ND": (2, 4), "MN": (2, 5), "IL": (2, 6),
    "MI": (2, 7), "NY": (2, 9), "MA": (2, 10),
    "OR": (3, 1), "NV": (3, 2), "WY": (3, 3), "SD": (3, 4), "IA": (3, 5), "IN": (3, 6),
    "OH": (3, 7), "PA": (3, 8), "NJ": (3, 9), "CT": (3, 10), "RI": (3, 11),
    "CA": (4, 1), "UT": (4, 2), "CO": (4, 3), "NE": (4, 4), "MO": (4, 5), "KY": (4, 6),
    "WV": (4, 7), "VA": (4, 8), "MD": (4, 9), "DE": (4, 10),
    "AZ": (5, 2), "NM": (5, 3), "KS": (5, 4), "AR": (5, 5), "TN": (5, 6), "NC": (5, 7),
    "SC": (5, 8), "DC": (5, 9),
    "OK": (6, 4), "LA": (6, 5), "MS": (6, 6), "AL": (6, 7), "GA": (6, 8),
    "HI": (7, 0), "TX": (7, 4), "FL": (7, 9),
    "GU": (9, 0), "MP": (9, 1), "AS": (9, 2), "FM": (9, 3), "MH": (9, 4), "PW": (9, 5),
    "PR": (9, 9), "VI": (9, 10),
}
GRID_COLUMNS = 12
GRID_ROWS = 10


def position(postal_code: str) -> tuple[int, int] | None:
    """The square of a jurisdiction on the map, or None when it has none (it is listed)."""
    return TILE_POSITIONS.get(postal_code.upper())


def lay_out(items: Iterable[T], code: Callable[[T], str]) -> tuple[list[T], list[T]]:
    """Split ``items`` into those with a square on the map and those listed beside it.

    ``code`` gives an item's jurisdiction code; both lists keep the items' order.
    """
    placed: list[T] = []
    listed: list[T] = []
    for item in items:
        (placed if position(code(item)) is not None else listed).append(item)
    return placed, listed

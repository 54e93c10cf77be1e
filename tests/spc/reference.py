"""Helpers to load the SPC reference cases kept in tests/data/spc."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

# The cases live in the repository, so a bare clone runs them.
REF = Path(__file__).resolve().parents[1] / "data" / "spc"
IHI = REF / "ihi"
REL_TOL = 1e-9
ABS_TOL = 1e-12  # only matters for values that are exactly 0 in the reference


def load_index() -> list[dict[str, Any]]:
    """Cases listed in index.json."""
    return json.loads((REF / "index.json").read_text(encoding="utf-8"))["cases"]


def load_expected(name: str) -> dict[str, Any]:
    """The expected JSON of a case."""
    return json.loads((REF / name).read_text(encoding="utf-8"))


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str | None]]]:
    """Columns and rows of a case CSV; empty cells become None."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = [{k: (v if v != "" else None) for k, v in row.items()} for row in reader]
        return list(reader.fieldnames or []), rows


def close(actual: float | None, expected: float | None) -> bool:
    """Relative tolerance 1e-9; None must match None."""
    if expected is None or actual is None:
        return expected is None and actual is None
    return math.isclose(actual, expected, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def assert_close(actual: float | None, expected: float | None, what: str) -> None:
    """Assert with a message naming the value."""
    assert close(actual, expected), f"{what}: got {actual!r}, expected {expected!r}"

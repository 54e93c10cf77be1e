"""Command line: `coiin suppress TABLE.csv [--threshold 10] [--suppress-zero] --json`.

TABLE.csv has a header with the columns ``row``, ``col`` and ``count`` (others are ignored):
one line per cell of a two-way table, every row/col combination exactly once. The row totals,
column totals and grand total are published too, so they are suppressed like any cell.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from .suppression import (
    DEFAULT_THRESHOLD,
    SuppressionError,
    SuppressionResult,
    suppress,
    two_way_table,
)

PROG = "coiin suppress"
COLUMNS = ("row", "col", "count")


class _InputError(Exception):
    """Bad command-line input (exit code 2)."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Primary and complementary small-number suppression of a two-way table.",
    )
    p.add_argument("file", metavar="TABLE.csv", help="CSV with columns row,col,count")
    p.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD, metavar="N",
                   help="suppress counts from 1 to N-1; protect each by at least N "
                        f"(default {DEFAULT_THRESHOLD})")
    p.add_argument("--suppress-zero", action="store_true", help="suppress zero counts too")
    p.add_argument("--method", choices=("auto", "greedy", "exact"), default="auto",
                   help="how complementary cells are chosen (default auto)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def _read(path: Path) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    """Row labels, column labels (first-seen order) and counts, or _InputError saying where."""
    try:
        fh = path.open(newline="", encoding="utf-8-sig")
    except OSError as e:
        raise _InputError(f"cannot read {path}: {e.strerror or e}") from None
    counts: dict[tuple[str, str], int] = {}
    first_line: dict[tuple[str, str], int] = {}
    with fh:
        try:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            if not header:
                raise _InputError(f"{path} is empty; expected a header row,col,count")
            reader.fieldnames = header
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise _InputError(
                    f"{path}: missing column{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(missing)}; the header is: {', '.join(header)}"
                )
            for rec in reader:
                if not any((v or "").strip() for v in rec.values() if isinstance(v, str)):
                    continue  # blank line
                line = reader.line_num
                row, col = (rec["row"] or "").strip(), (rec["col"] or "").strip()
                raw = (rec["count"] or "").strip()
                where = f"{path} line {line} (row {row!r}, col {col!r})"
                if not row or not col:
                    raise _InputError(f"{where}: row and col must not be empty")
                try:
                    value = int(raw)
                except ValueError:
                    raise _InputError(
                        f"{where}: count {raw!r} is not a whole number"
                    ) from None
                if value < 0:
                    raise _InputError(f"{where}: count {value} is negative")
                if (row, col) in counts:
                    raise _InputError(
                        f"{where}: duplicate cell, already given on line "
                        f"{first_line[(row, col)]}"
                    )
                counts[(row, col)] = value
                first_line[(row, col)] = line
        except (csv.Error, UnicodeDecodeError) as e:
            raise _InputError(f"cannot parse {path}: {e}") from None
    if not counts:
        raise _InputError(f"{path} has no data rows")
    rows = list(dict.fromkeys(r for r, _ in counts))
    cols = list(dict.fromkeys(c for _, c in counts))
    for r in rows:
        for c in cols:
            if (r, c) not in counts:
                # A missing combination could be a zero or a value left out; guessing either
                # could reveal a cell, so refuse.
                raise _InputError(f"{path}: missing cell (row {r!r}, col {c!r})")
    return rows, cols, counts


def to_dict(result: SuppressionResult, rows: list[str], cols: list[str]) -> dict[str, Any]:
    """The JSON document: cells in table order, then row, column and grand totals."""
    cells = [
        {
            "row": r,
            "col": c,
            "count": result.published(("cell", r, c)),
            "suppressed": result.suppressed(("cell", r, c)),
            "reason": result.reasons[("cell", r, c)],
        }
        for r in rows
        for c in cols
    ]
    totals: list[dict[str, Any]] = []
    for name, labels in (("row", rows), ("col", cols)):
        for label in labels:
            key = (name, label)
            totals.append({name: label, "count": result.published(key),
                           "suppressed": result.suppressed(key)})
    grand = ("grand",)
    totals.append({"grand": True, "count": result.published(grand),
                   "suppressed": result.suppressed(grand)})
    return {"cells": cells, "totals": totals}


def _print_table(result: SuppressionResult, rows: list[str], cols: list[str],
                 out: TextIO) -> None:
    def show(key: Any) -> str:
        value = result.published(key)
        if value is not None:
            return str(value)
        return "*" if result.reasons.get(key) != "complementary" else "**"

    head = ["", *cols, "total"]
    body = [[r, *(show(("cell", r, c)) for c in cols), show(("row", r))] for r in rows]
    body.append(["total", *(show(("col", c)) for c in cols), show(("grand",))])
    widths = [max(len(str(line[i])) for line in [head, *body]) for i in range(len(head))]
    for line in [head, *body]:
        print("  ".join(str(x).rjust(w) for x, w in zip(line, widths, strict=True)), file=out)
    print(file=out)
    print(f"* primary (1 to {result.threshold - 1}), ** complementary: "
          f"{len(result.primary)} primary, {len(result.complementary)} complementary "
          f"(hiding {result.hidden_total}). From what is shown, each suppressed cell could "
          f"be anywhere in a range at least {result.threshold} wide.", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `coiin suppress` with the arguments after `suppress`; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as e:  # argparse already printed usage and the error to stderr
        return int(e.code or 0) if not isinstance(e.code, str) else 2
    try:
        if args.threshold < 1:
            raise _InputError("--threshold must be at least 1")
        rows, cols, counts = _read(Path(args.file))
        result = suppress(two_way_table(counts, rows, cols), threshold=args.threshold,
                          suppress_zero=args.suppress_zero, method=args.method)
    except (_InputError, SuppressionError) as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(to_dict(result, rows, cols), ensure_ascii=False))
    else:
        _print_table(result, rows, cols, sys.stdout)
    return 0

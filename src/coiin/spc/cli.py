"""Command line: `coiin spc FILE.csv --chart CHART --x COL --y COL [...] --json`."""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .chart import RULE_SETS, Chart, qic
from .errors import SPCInputError
from .limits import CHARTS
from .mdc import DIRECTIONS
from .summary import CHART_NAMES, format_x

PROG = "coiin spc"


class _UsageError(Exception):
    """Bad command-line arguments (exit code 2)."""


def _index_list(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected 1-based subgroup numbers separated by commas, got {text!r}"
        ) from None
    if not values:
        raise argparse.ArgumentTypeError("expected at least one subgroup number")
    return values


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Compute an SPC chart (qicharts2 / Making Data Count rules) from a CSV file.",
    )
    p.add_argument("file", metavar="FILE.csv", help="CSV file with a header row")
    p.add_argument("--chart", required=True, choices=CHARTS, help="chart type")
    p.add_argument("--x", metavar="COL", help="column with dates or labels (default: row order)")
    p.add_argument("--y", metavar="COL", required=True, help="column with values or numerators")
    p.add_argument("--n", metavar="COL", help="column with denominators / subgroup sizes")
    p.add_argument("--freeze", type=int, metavar="K", help="baseline: the first K subgroups")
    p.add_argument("--part", type=_index_list, metavar="K1,K2,...",
                   help="phase boundaries: a new part starts after each subgroup K")
    p.add_argument("--exclude", type=_index_list, metavar="I,J,...",
                   help="subgroups left out of the estimates (still plotted and tested)")
    p.add_argument("--multiply", type=float, default=1.0, metavar="M",
                   help="multiply y, centre line and limits by M (e.g. 1000)")
    p.add_argument("--rules", choices=RULE_SETS, default="anhoej", help="special-cause rule set")
    p.add_argument("--direction", choices=DIRECTIONS, help="direction of improvement")
    p.add_argument("--target", type=float, metavar="T", help="target value (assurance icon)")
    p.add_argument("--no-screen", action="store_true",
                   help="do not screen large moving ranges (I, T, P', U' and MDC charts)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]], list[int]]:
    """Header, rows and the file line number of each row (for error messages)."""
    try:
        fh = path.open(newline="", encoding="utf-8-sig")
    except OSError as e:
        raise _UsageError(f"cannot read {path}: {e.strerror or e}") from None
    with fh:
        try:
            reader = csv.reader(fh)
            header = next(reader, None)
            if not header:
                raise _UsageError(f"{path} is empty; expected a header row")
            header = [h.strip() for h in header]
            rows: list[dict[str, str]] = []
            lines: list[int] = []
            for record in reader:
                if not any(cell.strip() for cell in record):
                    continue  # blank line
                if len(record) != len(header):
                    raise _UsageError(
                        f"{path} line {reader.line_num}: {len(record)} fields, "
                        f"but the header has {len(header)}"
                    )
                rows.append(dict(zip(header, record, strict=True)))
                lines.append(reader.line_num)
        except (csv.Error, UnicodeDecodeError) as e:
            raise _UsageError(f"cannot parse {path}: {e}") from None
    return header, rows, lines


def _column(name: str | None, header: list[str], path: Path, option: str) -> str | None:
    if name is None:
        return None
    if name not in header:
        raise _UsageError(
            f"{option}: column {name!r} not found in {path}; columns are: {', '.join(header)}"
        )
    return name


def _fmt(v: float | None) -> str:
    return "" if v is None else f"{v:.6g}"


def _print_table(chart: Chart, out: TextIO) -> None:
    name = CHART_NAMES.get(chart.chart, chart.chart)
    print(f"{name} ({chart.rules} rules), {len(chart.points)} subgroups", file=out)
    head = ["x", "y", "n", "cl", "lcl", "ucl", "signal", "part"]
    rows = []
    for p in chart.points:
        flags = []
        if p.sigma_signal:
            flags.append("outside limits")
        if p.special_cause_flag:
            flags.append(p.special_cause_type or "special cause")
        if not p.include:
            flags.append("excluded")
        if not p.baseline:
            flags.append("after baseline")
        rows.append([format_x(p, chart), _fmt(p.y), _fmt(p.n), _fmt(p.cl), _fmt(p.lcl),
                     _fmt(p.ucl), "; ".join(flags), str(p.part)])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip(), file=out)
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip(), file=out)
    print(file=out)
    for run in chart.runs:
        print(
            f"part {run.part}: {run.n_useful} useful of {run.n_obs}; longest run "
            f"{run.longest_run} (max {run.longest_run_max}); crossings {run.n_crossings} "
            f"(min {run.n_crossings_min}); runs signal: {'yes' if run.runs_signal else 'no'}",
            file=out,
        )
    if chart.variation:
        print(f"variation: {chart.variation}; assurance: {chart.assurance or '-'}", file=out)
    print(file=out)
    print(chart.summary, file=out)


def _data_error(err: SPCInputError, path: Path, lines: list[int], columns: dict[str, str]) -> str:
    """Say where bad data is: file line, input row and CSV column."""
    msg = str(err)
    if err.row is not None and 1 <= err.row <= len(lines):
        msg = re.sub(r"^row \d+: ", "", msg)
        col = columns.get(err.field or "", err.field)
        where = f"{path} line {lines[err.row - 1]} (data row {err.row})"
        return f"{where}, column {col!r}: {msg}" if col else f"{where}: {msg}"
    return f"{path}: {msg}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run `coiin spc` with the arguments after `spc`; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as e:  # argparse already printed usage and the error to stderr
        return int(e.code or 0) if not isinstance(e.code, str) else 2
    path = Path(args.file)
    lines: list[int] = []
    columns: dict[str, str] = {}
    try:
        header, rows, lines = _read_csv(path)
        xcol = _column(args.x, header, path, "--x")
        ycol = _column(args.y, header, path, "--y")
        ncol = _column(args.n, header, path, "--n")
        columns = {k: v for k, v in (("x", xcol), ("y", ycol), ("n", ncol)) if v}
        if not rows:
            raise _UsageError(f"{path} has no data rows")
        result = qic(
            [r[ycol] for r in rows] if ycol else [],
            [r[ncol] for r in rows] if ncol else None,
            [r[xcol] for r in rows] if xcol else None,
            chart=args.chart,
            freeze=args.freeze,
            part=args.part,
            exclude=args.exclude,
            multiply=args.multiply,
            screen_mr=not args.no_screen,
            rules=args.rules,
            direction=args.direction,
            target=args.target,
        )
    except _UsageError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except SPCInputError as e:
        print(f"{PROG}: error: {_data_error(e, path, lines, columns)}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, allow_nan=False))
    else:
        _print_table(result, sys.stdout)
    return 0

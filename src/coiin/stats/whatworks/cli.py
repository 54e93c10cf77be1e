"""Command line: `coiin what-works DATA.csv --adoptions ADOPTIONS.csv --direction up|down`.

DATA.csv has the columns ``team``, ``period`` and either ``numerator`` and ``denominator``
(the measure is their ratio, estimated as a proportion unless ``--multiply`` is given) or
``value``; periods are ``YYYY-MM`` or ``YYYY-Qn``, one frequency per run. A blank number is
a period not reported. ADOPTIONS.csv has ``team``, ``change`` and ``adopted`` (the first
period of adoption, same frequency); teams absent from it never adopted that change. The
changes of one run are shown together, so their verdicts are adjusted for the false
discovery rate across them (Benjamini–Hochberg at 5 %).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .estimator import estimate_effect
from .model import Estimate, Observation, adjust_for_many

PROG = "coiin what-works"
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)


class _InputError(Exception):
    """Bad command-line input (exit code 2)."""


@dataclass
class _Rows:
    """What a CSV file says, with where each thing was said."""

    path: Path
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, column -> stripped text)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="The effect of adopting each change idea on one measure, estimated "
                    "against teams that had not (yet) adopted it.",
        epilog="The changes of one run are shown together, so their verdicts are adjusted "
               "for the false discovery rate across them (Benjamini–Hochberg, 5 %).")
    p.add_argument("data", metavar="DATA.csv",
                   help="team,period,numerator,denominator (or team,period,value)")
    p.add_argument("--adoptions", required=True, metavar="ADOPTIONS.csv",
                   help="team,change,adopted (first period of adoption)")
    p.add_argument("--direction", required=True, choices=("up", "down"),
                   help="the good direction of the measure")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--multiply", type=float, default=None, metavar="K",
                   help="show estimates multiplied by K (e.g. 100 for percentage points)")
    return p


def _read(path: Path, required: Sequence[str], one_of: Sequence[Sequence[str]] = ()
          ) -> _Rows:
    """The rows of a CSV file with the ``required`` columns and every column of at least one
    of the ``one_of`` sets."""
    try:
        fh = path.open(newline="", encoding="utf-8-sig")
    except OSError as e:
        raise _InputError(f"cannot read {path}: {e.strerror or e}") from None
    with fh:
        try:
            reader = csv.reader(fh)
            header = [h.strip() for h in next(reader, [])]
            if not any(header):
                raise _InputError(f"{path} is empty; expected a header {','.join(required)}")
            missing = [c for c in required if c not in header]
            if missing:
                raise _InputError(
                    f"{path} line 1: missing column{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(missing)}; the header is: {', '.join(header)}")
            if one_of and not any(set(cols) <= set(header) for cols in one_of):
                raise _InputError(
                    f"{path} line 1: missing columns "
                    f"{' (or '.join(', '.join(cols) for cols in one_of)}"
                    f"{')' * (len(one_of) - 1)}; the header is: {', '.join(header)}")
            rows = []
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue  # blank line
                if len(cells) > len(header):
                    raise _InputError(f"{path} line {reader.line_num}: {len(cells)} fields, "
                                      f"but the header has {len(header)}")
                cells = [c.strip() for c in cells] + [""] * (len(header) - len(cells))
                rows.append((reader.line_num, dict(zip(header, cells, strict=True))))
        except (csv.Error, UnicodeDecodeError) as e:
            raise _InputError(f"cannot parse {path}: {e}") from None
    if not rows:
        raise _InputError(f"{path} has no data rows")
    return _Rows(path, header, rows)


def _period(text: str, where: str, freq: list[tuple[str, str]]) -> int:
    """The period's integer index; ``freq`` holds the frequency seen first, and where."""
    if m := _MONTH.match(text):
        kind, index = "monthly", int(m.group(1)) * 12 + int(m.group(2)) - 1
    elif m := _QUARTER.match(text):
        kind, index = "quarterly", int(m.group(1)) * 4 + int(m.group(2)) - 1
    else:
        raise _InputError(f"{where}: {text!r} is not a period YYYY-MM or YYYY-Qn")
    if not freq:
        freq.append((kind, where))
    elif freq[0][0] != kind:
        raise _InputError(f"{where}: {text!r} is {kind}, but periods are {freq[0][0]} "
                          f"(first at {freq[0][1]}); one frequency per run")
    return index


def _number(text: str, where: str) -> float | None:
    if not text:
        return None
    try:
        v = float(text)
    except ValueError:
        raise _InputError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(v):
        raise _InputError(f"{where}: {text!r} is not a finite number")
    return v


def _observations(data: _Rows, freq: list[tuple[str, str]]) -> list[Observation]:
    ratio = "numerator" in data.header and "denominator" in data.header
    seen: dict[tuple[str, int], int] = {}
    out = []
    for line, rec in data.rows:
        at = f"{data.path} line {line}"
        team = rec["team"]
        if not team:
            raise _InputError(f"{at}, column team: empty")
        period = _period(rec["period"], f"{at}, column period", freq)
        if (team, period) in seen:
            raise _InputError(f"{at}, columns team/period: duplicate team-period "
                              f"({team}, {rec['period']}), already on line {seen[team, period]}")
        seen[team, period] = line
        if ratio:
            num = _number(rec["numerator"], f"{at}, column numerator")
            den = _number(rec["denominator"], f"{at}, column denominator")
            for name, v in (("numerator", num), ("denominator", den)):
                if v is not None and v < 0:
                    raise _InputError(f"{at}, column {name}: {v:g} is negative")
            if (num is None) != (den is None):
                raise _InputError(f"{at}, columns numerator/denominator: give both or neither")
            out.append(Observation(team, period, numerator=num, denominator=den))
        else:
            out.append(Observation(team, period,
                                   value=_number(rec["value"], f"{at}, column value")))
    return out


def _adoptions(rows: _Rows, teams: set[str], data_path: Path, freq: list[tuple[str, str]]
               ) -> dict[str, dict[str, int]]:
    by_change: dict[str, dict[str, int]] = {}
    where_seen: dict[tuple[str, str], int] = {}
    for line, rec in rows.rows:
        at = f"{rows.path} line {line}"
        team, change = rec["team"], rec["change"]
        if not team:
            raise _InputError(f"{at}, column team: empty")
        if team not in teams:
            raise _InputError(f"{at}, column team: unknown team {team!r} (not in {data_path})")
        if not change:
            raise _InputError(f"{at}, column change: empty")
        if not rec["adopted"]:
            raise _InputError(f"{at}, column adopted: empty; give the first period of adoption "
                              "or leave the team out")
        if (team, change) in where_seen:
            raise _InputError(f"{at}, columns team/change: {team!r} adopting {change!r} is "
                              f"already on line {where_seen[team, change]}")
        where_seen[team, change] = line
        period = _period(rec["adopted"], f"{at}, column adopted", freq)
        by_change.setdefault(change, {})[team] = period
    return by_change


def to_dict(results: list[tuple[str, Estimate]], multiply: float = 1.0) -> dict[str, Any]:
    """The JSON document, estimates multiplied by ``multiply``."""
    def k(v: float | None) -> float | None:
        return None if v is None else v * multiply

    return {"changes": [
        {"change": change, "estimate": k(e.estimate), "ci_low": k(e.ci_low),
         "ci_high": k(e.ci_high), "adopters": e.adopters, "comparison": e.comparison,
         "pretrend_p": e.pretrend_p, "verdict": str(e.verdict),
         "event_study": [{"event_time": p.event_time, "estimate": k(p.estimate),
                          "ci_low": k(p.ci_low), "ci_high": k(p.ci_high)}
                         for p in e.event_study]}
        for change, e in results]}


def _print_table(results: list[tuple[str, Estimate]], multiply: float, out: TextIO) -> None:
    def f(v: float | None, scale: float = multiply) -> str:
        return "-" if v is None else f"{v * scale:.4g}"

    head = ["change", "estimate", "95% CI", "adopters", "comparison", "pretrend p", "q",
            "sustained", "verdict"]
    body = [[c, f(e.estimate),
             "-" if e.ci_low is None else f"{f(e.ci_low)} to {f(e.ci_high)}",
             str(e.adopters), str(e.comparison), f(e.pretrend_p, 1), f(e.q_value, 1),
             {True: "yes", False: "no", None: "-"}[e.sustained], str(e.verdict)]
            for c, e in results]
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
    for line in [head, *body]:
        print("  ".join(x.ljust(w) if i == 0 else x.rjust(w)
                        for i, (x, w) in enumerate(zip(line, widths, strict=True))), file=out)
    print(file=out)
    for c, e in results:
        print(f"{c}: {e.reason}", file=out)
    if multiply != 1:
        print(f"\nThe table's estimates are multiplied by {multiply:g}; the sentences keep "
              "the measure's own units.", file=out)
    print("Event studies (effect by periods since adoption): --json", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `coiin what-works` with the arguments after `what-works`; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as e:  # argparse already printed usage and the error to stderr
        return int(e.code or 0) if not isinstance(e.code, str) else 2
    try:
        multiply = 1.0 if args.multiply is None else args.multiply
        if not math.isfinite(multiply) or multiply <= 0:
            raise _InputError("--multiply must be a positive number")
        data_path = Path(args.data)
        data = _read(data_path, ("team", "period"), (("numerator", "denominator"), ("value",)))
        freq: list[tuple[str, str]] = []
        observations = _observations(data, freq)
        adoptions = _adoptions(_read(Path(args.adoptions), ("team", "change", "adopted")),
                               {o.team for o in observations if isinstance(o.team, str)},
                               data_path, freq)
    except _InputError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    names = list(adoptions)
    estimates = adjust_for_many([
        estimate_effect(observations, adoptions[c], direction=args.direction) for c in names])
    results = list(zip(names, estimates, strict=True))
    if args.json:
        print(json.dumps(to_dict(results, multiply), ensure_ascii=False))
    else:
        _print_table(results, multiply, sys.stdout)
    return 0

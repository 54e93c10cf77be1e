"""`coiin suppress TABLE.csv` (coiin.stats.cli.main): JSON shape, table output, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coiin.stats.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _csv(tmp_path: Path, text: str) -> str:
    path = tmp_path / "table.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_json_has_exactly_the_specified_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(tmp_path, "row,col,count\nAL,2016-01,3\nAL,2016-02,20\nGA,2016-01,15\n"
                          "GA,2016-02,40\n")
    code, out, err = _run(capsys, path, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data == {
        "cells": [
            {"row": "AL", "col": "2016-01", "count": None, "suppressed": True,
             "reason": "primary"},
            {"row": "AL", "col": "2016-02", "count": None, "suppressed": True,
             "reason": "complementary"},
            {"row": "GA", "col": "2016-01", "count": None, "suppressed": True,
             "reason": "complementary"},
            {"row": "GA", "col": "2016-02", "count": None, "suppressed": True,
             "reason": "complementary"},
        ],
        "totals": [
            {"row": "AL", "count": 23, "suppressed": False},
            {"row": "GA", "count": 55, "suppressed": False},
            {"col": "2016-01", "count": 18, "suppressed": False},
            {"col": "2016-02", "count": 60, "suppressed": False},
            {"grand": True, "count": 78, "suppressed": False},
        ],
    }
    assert [list(c) for c in data["cells"]] == [["row", "col", "count", "suppressed",
                                                  "reason"]] * 4


def test_published_cells_keep_their_count_and_a_null_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(tmp_path, "row,col,count\na,x,12\na,y,30\nb,x,4\nb,y,3\n")
    code, out, _ = _run(capsys, path, "--json")
    assert code == 0
    data = json.loads(out)
    by_cell = {(c["row"], c["col"]): c for c in data["cells"]}
    assert by_cell[("b", "x")]["reason"] == "primary"
    assert by_cell[("b", "y")]["reason"] == "primary"
    for cell in data["cells"]:
        assert (cell["count"] is None) == cell["suppressed"]
        assert (cell["reason"] is None) == (not cell["suppressed"])
        assert cell["reason"] in (None, "primary", "complementary")
    totals = {next(iter(t)): t for t in data["totals"] if "row" in t and t["row"] == "b"}
    assert totals["row"]["suppressed"] and totals["row"]["count"] is None  # 4 + 3 = 7
    for total in data["totals"]:
        assert (total["count"] is None) == total["suppressed"]


def test_threshold_option_changes_what_is_primary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(tmp_path, "row,col,count\na,x,12\na,y,30\nb,x,14\nb,y,33\n")
    code, out, _ = _run(capsys, path, "--json")
    assert not any(c["suppressed"] for c in json.loads(out)["cells"])
    code, out, _ = _run(capsys, path, "--threshold", "13", "--json")
    assert code == 0
    cells = json.loads(out)["cells"]
    assert cells[0]["reason"] == "primary"
    assert sum(c["suppressed"] for c in cells) == 4


def test_text_output_marks_primary_and_complementary_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(tmp_path, "row,col,count\na,x,3\na,y,20\nb,x,15\nb,y,40\n")
    code, out, _ = _run(capsys, path)
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split() == ["a", "*", "**", "23"]
    assert lines[3].split() == ["total", "18", "60", "78"]
    assert "1 primary, 3 complementary" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("row,col,count\na,x,12\na,y,2.5\n",
         "line 3 (row 'a', col 'y'): count '2.5' is not a whole"),
        ("row,col,count\na,x,12\na,y,-4\n", "(row 'a', col 'y'): count -4 is negative"),
        ("row,col,count\na,x,12\nb,x,abc\n", "(row 'b', col 'x'): count 'abc'"),
        ("row,column,count\na,x,12\n", "missing column col"),
        ("row,col,n\na,x,12\n", "missing column count"),
        ("row,col,count\na,x,12\na,y,30\na,x,14\n",
         "line 4 (row 'a', col 'x'): duplicate cell, already given on line 2"),
        ("row,col,count\na,x,12\na,y,30\nb,x,14\n", "missing cell (row 'b', col 'y')"),
        ("row,col,count\n", "no data rows"),
    ],
)
def test_bad_input_exits_2_and_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    code, out, err = _run(capsys, _csv(tmp_path, text), "--json")
    assert code == 2
    assert out == ""
    assert message in err
    assert err.startswith("coiin suppress: error:")


def test_missing_file_and_bad_options_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, str(tmp_path / "nope.csv"))
    assert code == 2
    assert "cannot read" in err
    path = _csv(tmp_path, "row,col,count\na,x,12\n")
    code, _, err = _run(capsys, path, "--threshold", "0")
    assert code == 2
    assert "--threshold must be at least 1" in err
    code, _, err = _run(capsys, path, "--threshold", "ten")
    assert code == 2
    assert "invalid int value" in err

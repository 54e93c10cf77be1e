"""End-to-end tests of `coiin spc` (coiin.spc.cli.main) on reference CSVs and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from coiin.spc.cli import main

from .reference import REF, assert_close, load_expected


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_matches_reference_p_chart_with_exclude_and_part(
    capsys: pytest.CaptureFixture[str],
) -> None:
    exp = load_expected("qic_p_montgomery_ex7.1_exclude_part.expected.json")
    code, out, err = _run(
        capsys, str(REF / exp["input_csv"]), "--chart", "p", "--x", "sample", "--y", "count",
        "--n", "size", "--exclude", "15,23", "--part", "30", "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == ["chart", "points", "runs", "summary"]
    assert data["chart"] == "p"
    expected_points = exp["computed"]["points"]
    assert len(data["points"]) == len(expected_points)
    for got, e in zip(data["points"], expected_points, strict=True):
        assert list(got) == ["x", "y", "n", "cl", "lcl", "ucl", "lcl_2s", "ucl_2s",
                             "sigma_signal", "part", "baseline", "include"]
        assert got["x"] == e["x"]
        for mine, theirs in (("y", "y"), ("n", "n"), ("cl", "cl"), ("lcl", "lcl"),
                             ("ucl", "ucl"), ("lcl_2s", "lcl_95"), ("ucl_2s", "ucl_95")):
            assert_close(got[mine], e[theirs], f"point {e['x']} {mine}")
        for flag in ("sigma_signal", "part", "baseline", "include"):
            assert got[flag] == e[flag]
    runs = [{k: v for k, v in r.items() if k not in ("facet1", "facet2")}
            for r in exp["computed"]["runs_analysis"]]
    assert data["runs"] == runs
    assert data["summary"].startswith("Part 1 (from 1): ")


def test_json_run_chart_dates_and_nulls(capsys: pytest.CaptureFixture[str]) -> None:
    exp = load_expected("qic_run_cdi_freeze24.expected.json")
    code, out, _ = _run(
        capsys, str(REF / exp["input_csv"]), "--chart", "run", "--x", "month", "--y", "n",
        "--freeze", "24", "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["points"][0]["x"] == "2012-11-01"
    assert data["points"][0]["lcl"] is None and data["points"][0]["ucl"] is None
    assert [p["cl"] for p in data["points"]] == [e["cl"] for e in exp["computed"]["points"]]
    assert [p["baseline"] for p in data["points"]] == [
        e["baseline"] for e in exp["computed"]["points"]
    ]
    (runs,) = data["runs"]
    assert runs["longest_run"] == 15 and runs["runs_signal"] is True
    assert data["summary"].startswith("Downward shift: 15 points below the centre line from")


def test_json_mdc(capsys: pytest.CaptureFixture[str]) -> None:
    exp = load_expected("ptd_synthetic_rules_fix12_decrease.expected.json")
    code, out, err = _run(
        capsys, str(REF / exp["input_csv"]), "--chart", "i", "--x", "date", "--y", "y",
        "--freeze", "12", "--rules", "mdc", "--direction", "decrease", "--target", "20", "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["variation"] == "special_cause_improvement"
    assert data["assurance"] == "consistent_pass"
    for got, e in zip(data["points"], exp["computed"]["points"], strict=True):
        assert got["special_cause_flag"] is e["special_cause_flag"]
        assert got["point_type"] == e["point_type"]
        assert_close(got["ucl"], e["upl"], "upl")
        assert_close(got["lcl_2s"], e["near_lpl_2sigma"], "near lpl")


def test_no_screen_option(capsys: pytest.CaptureFixture[str]) -> None:
    exp = load_expected("qic_i_screened_vs_unscreened.expected.json")
    code, out, _ = _run(capsys, str(REF / exp["input_csv"]), "--chart", "i", "--y", "y",
                        "--no-screen", "--json")
    assert code == 0
    first = json.loads(out)["points"][0]
    assert_close(first["ucl"], exp["computed"]["unscreened"]["ucl"], "unscreened ucl")


def test_multiply_option(capsys: pytest.CaptureFixture[str]) -> None:
    exp = load_expected("qic_u_cdi_part24.expected.json")
    code, out, _ = _run(capsys, str(REF / exp["input_csv"]), "--chart", "u", "--x", "month",
                        "--y", "n", "--n", "days", "--part", "24", "--multiply", "10000",
                        "--json")
    assert code == 0
    pts = json.loads(out)["points"]
    for got, e in zip(pts, exp["computed"]["points"], strict=True):
        assert_close(got["cl"], e["cl"], "cl")
        assert_close(got["y"], e["y"], "y")


def test_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(REF / "qic_c_montgomery_ex7.3_exclude_freeze.csv"),
                        "--chart", "c", "--x", "sample", "--y", "count", "--exclude", "6,20",
                        "--freeze", "26")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("C chart")
    assert "outside limits; excluded" in out
    assert "part 1: 44 useful of 44" in out
    assert "2 points below the lower limit" not in out
    assert "1 point below the lower limit (6)" in out


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("csv_text", "args", "message"),
    [
        ("m,d\n2020-01-01,3\n2020-02-01,-1\n2020-03-01,4\n", ["--chart", "c", "--x", "m",
         "--y", "d"], "line 3 (data row 2), column 'd': y is -1"),
        ("m,d,n\n2020-01-01,3,10\n2020-02-01,12,10\n", ["--chart", "p", "--x", "m", "--y", "d",
         "--n", "n"], "line 3 (data row 2), column 'd': y (12) is above n (10)"),
        ("m,d\n1,3\n2,abc\n", ["--chart", "i", "--x", "m", "--y", "d"],
         "line 3 (data row 2), column 'd': y is 'abc', not a number"),
        ("m,d\n1,3\n2,0\n", ["--chart", "t", "--x", "m", "--y", "d"],
         "column 'd': y is 0; a t chart needs times between events above 0"),
        ("m,d\n1,3\n2,4\n", ["--chart", "i", "--x", "m", "--y", "d", "--freeze", "5"],
         "freeze = 5 is longer than the series (2 subgroups)"),
        ("m,d\n1,3\n", ["--chart", "i", "--x", "m", "--y", "d"],
         "an i chart needs at least 2 non-missing baseline points, got 1"),
        ("m,d\n1,3\n2,4\n", ["--chart", "i", "--x", "nope", "--y", "d"],
         "--x: column 'nope' not found"),
        ("m,d\n1,3\n2,4\n", ["--chart", "p", "--x", "m", "--y", "d"],
         "a p chart needs denominators (n)"),
        ("m,d\n1,3\n2,4\n3,5\n", ["--chart", "i", "--x", "m", "--y", "d", "--exclude", "9"],
         "exclude: subgroup 9 is outside 1..3"),
    ],
)
def test_bad_input_exits_2_with_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, csv_text: str, args: list[str],
    message: str,
) -> None:
    code, out, err = _run(capsys, _write(tmp_path, csv_text), *args, "--json")
    assert code == 2
    assert out == ""
    assert message in err, err
    assert err.startswith("coiin spc: error: ")


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, str(tmp_path / "absent.csv"), "--chart", "i", "--y", "y")
    assert code == 2
    assert "cannot read" in err and "absent.csv" in err


def test_bad_arguments(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _write(tmp_path, "x,y\n1,2\n")
    code, _, err = _run(capsys, path, "--chart", "zz", "--y", "y")
    assert code == 2 and "invalid choice" in err
    code, _, err = _run(capsys, path, "--chart", "i", "--y", "y", "--part", "a,b")
    assert code == 2 and "--part" in err


def test_python_dash_m_entry_point() -> None:
    import subprocess
    import sys

    proc = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [sys.executable, "-m", "coiin.spc", str(REF / "qic_run_monotone20.csv"), "--chart",
         "run", "--y", "y", "--json"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    assert data["runs"][0]["longest_run"] == 10

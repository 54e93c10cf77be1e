"""Every case in the shared SPC reference folder, matched to relative tolerance 1e-9."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pytest

from coiin.spc import (
    longest_run_max,
    n_crossings_min,
    qic,
    runcharter_signals,
)

from .reference import REF, assert_close, close, load_expected, load_index, read_csv

CASES = load_index()


def test_reference_folder_present() -> None:
    assert REF.is_dir(), f"reference cases not found at {REF}"
    assert len(CASES) == 61


def _column(param: object, columns: list[str]) -> str | None:
    # Parameters name columns, sometimes followed by a description: "age (individual values)".
    if isinstance(param, str) and param.split()[0] in columns:
        return param.split()[0]
    return None


def _index_list(value: object) -> list[int] | int | None:
    if isinstance(value, list):
        return [int(v) for v in value]
    if isinstance(value, int):
        return value
    return None  # {} stands for NULL in the case files


def _check_point(got: dict[str, Any], exp: dict[str, Any], where: str) -> None:
    assert got["x"] == exp["x"], f"{where} x"
    assert got["part"] == exp["part"], f"{where} part"
    assert got["baseline"] is exp["baseline"], f"{where} baseline"
    assert got["include"] is exp["include"], f"{where} include"
    assert got["sigma_signal"] is exp["sigma_signal"], f"{where} sigma_signal"
    for mine, theirs in (("y", "y"), ("cl", "cl"), ("lcl", "lcl"), ("ucl", "ucl"),
                         ("lcl_2s", "lcl_95"), ("ucl_2s", "ucl_95")):
        assert_close(got[mine], exp[theirs], f"{where} {mine}")
    if "n" in exp:
        assert_close(got["n"], exp["n"], f"{where} n")


def _check_runs(got: dict[str, Any], exp: dict[str, Any], where: str) -> None:
    for key in ("part", "n_obs", "n_useful", "longest_run", "longest_run_max", "n_crossings",
                "n_crossings_min", "runs_signal"):
        assert got[key] == exp[key], f"{where} {key}: got {got[key]}, expected {exp[key]}"


def _run_qic_case(case: dict[str, Any]) -> None:
    exp = load_expected(case["expected_json"])
    params = exp["parameters"]
    columns, rows = read_csv(REF / exp["input_csv"])
    chart = exp["chart"].split()[0]
    xcol = _column(params.get("x"), columns)
    ycol = _column(params.get("y"), columns)
    ncol = _column(params.get("n"), columns)
    assert ycol is not None
    if xcol == "hospital" and "hospital_order" in columns:
        # reorder(hospital, days): the categorical x is ordered by the hospital_order column.
        rows.sort(key=lambda r: int(r["hospital_order"] or 0))
    facet_cols = [f.strip() for f in params.get("facets", "").split("~") if f.strip()]
    groups: dict[tuple[str, str], list[dict[str, str | None]]] = defaultdict(list)
    for r in rows:
        key = tuple(str(r[c]) for c in facet_cols) + ("1",) * (2 - len(facet_cols))
        groups[key].append(r)  # type: ignore[index]

    kwargs: dict[str, Any] = {
        "chart": chart,
        "freeze": _index_list(params.get("freeze")),
        "part": _index_list(params.get("part")),
        "exclude": _index_list(params.get("exclude")),
        "multiply": params.get("multiply", 1),
    }
    computed = exp["computed"]
    points_by_facet: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for p in computed["points"]:
        points_by_facet[(str(p.get("facet1", "1")), str(p.get("facet2", "1")))].append(p)
    runs_by_facet: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in computed["runs_analysis"]:
        runs_by_facet[(str(r["facet1"]), str(r["facet2"]))].append(r)
    assert set(points_by_facet) == set(groups)

    results = {}
    for key, facet_rows in groups.items():
        y = [r[ycol] for r in facet_rows]
        n = [r[ncol] for r in facet_rows] if ncol else None
        x = [r[xcol] for r in facet_rows] if xcol else None
        res = qic(y, n, x, **kwargs).to_dict()
        results[key] = res
        expected_points = points_by_facet[key]
        assert len(res["points"]) == len(expected_points), f"{key} number of points"
        for i, (g, e) in enumerate(zip(res["points"], expected_points, strict=True)):
            _check_point(g, e, f"{case['case']} {key} point {i + 1}")
        assert len(res["runs"]) == len(runs_by_facet[key])
        for g, e in zip(res["runs"], runs_by_facet[key], strict=True):
            _check_runs(g, e, f"{case['case']} {key} runs part {e['part']}")

    # Summary rows: CL and the average limits per facet and part, and the signal counts.
    for s in computed["summary"]:
        key = (str(s["facet1"]), str(s["facet2"]))
        pts = [p for p in results[key]["points"] if p["part"] == s["part"]]
        for mine, theirs in (("cl", "CL"), ("lcl", "aLCL"), ("ucl", "aUCL")):
            vals = [p[mine] for p in pts if p[mine] is not None]
            assert_close(float(np.mean(vals)) if vals else None, s[theirs], f"{key} {theirs}")
        assert sum(p["sigma_signal"] for p in pts) == s["sigma_signal_count"]
    if len(groups) == 1:
        (only,) = results.values()
        flagged = [i + 1 for i, p in enumerate(only["points"]) if p["sigma_signal"]]
        assert flagged == computed["sigma_signal_points_1based"]
        _check_fixtures(exp, only)
    if "unscreened" in computed:
        _check_unscreened(computed["unscreened"], groups, ycol, kwargs)


def _check_fixtures(exp: dict[str, Any], res: dict[str, Any]) -> None:
    """The package's own test fixtures (.rds), where the case file quotes them."""
    stated = exp.get("stated_by_source")
    fv = stated.get("fixture_values") if isinstance(stated, dict) else None
    if not isinstance(fv, dict):
        return
    pts = res["points"]
    for key in ("cl", "lcl", "ucl", "y"):
        for i, (p, v) in enumerate(zip(pts, fv[key], strict=True)):
            assert_close(p[key], v, f"fixture {key} point {i + 1}")
    assert [p["sigma_signal"] for p in pts] == fv["sigma_signal"]
    by_part = {r["part"]: r for r in res["runs"]}
    assert [by_part[p["part"]]["runs_signal"] for p in pts] == fv["runs_signal"]
    assert by_part[1]["longest_run"] == fv["longest_run"]
    assert by_part[1]["n_crossings"] == fv["n_crossings"]


def _check_unscreened(
    unscreened: dict[str, Any], groups: dict[Any, Any], ycol: str, kwargs: dict[str, Any]
) -> None:
    (rows,) = groups.values()
    res = qic([r[ycol] for r in rows], screen_mr=False, **kwargs)
    assert_close(res.points[0].cl, unscreened["cl"], "unscreened cl")
    assert_close(res.points[0].lcl, unscreened["lcl"], "unscreened lcl")
    assert_close(res.points[0].ucl, unscreened["ucl"], "unscreened ucl")
    flagged = [i + 1 for i, p in enumerate(res.points) if p.sigma_signal]
    assert flagged == unscreened["sigma_signal_points_1based"]


PTD_COLUMNS = {"period": ("breaches", "attendances"), "x": ("y",), "date": ("data", "y")}


def _run_ptd_case(case: dict[str, Any]) -> None:
    exp = load_expected(case["expected_json"])
    params = exp["parameters"] if isinstance(exp["parameters"], dict) else {}
    columns, rows = read_csv(REF / exp["input_csv"])
    xcol = next(c for c in PTD_COLUMNS if c in columns)
    ycol = next(c for c in PTD_COLUMNS[xcol] if c in columns)
    x = [r[xcol] for r in rows]
    rebase = params.get("rebase")
    rebase = [rebase] if isinstance(rebase, str) else (rebase or [])
    # A rebase date starts a new group: the part boundary is the point just before it.
    ordered = sorted(x, key=str)
    part = [ordered.index(d) for d in rebase] or None
    target = params.get("target")
    res = qic(
        [r[ycol] for r in rows],
        x=x,
        chart="i",
        rules="mdc",
        part=part,
        freeze=params.get("fix_after_n_points"),
        screen_mr=params.get("screen_outliers", True),
        direction=params.get("improvement_direction", "increase"),
        target=target if isinstance(target, int | float) else None,
    )
    computed = exp["computed"]
    assert len(res.points) == len(computed["points"])
    for i, (p, e) in enumerate(zip(res.points, computed["points"], strict=True)):
        where = f"{case['case']} point {i + 1}"
        assert p.to_dict()["x"] == e["x"], where
        assert p.part - 1 == e["rebase_group"], where
        assert_close(p.y, e["y"], f"{where} y")
        assert_close(p.cl, e["mean"], f"{where} mean")
        assert_close(p.lcl, e["lpl"], f"{where} lpl")
        assert_close(p.ucl, e["upl"], f"{where} upl")
        assert_close(p.lcl_2s, e["near_lpl_2sigma"], f"{where} near_lpl")
        assert_close(p.ucl_2s, e["near_upl_2sigma"], f"{where} near_upl")
        assert p.sigma_signal is e["outside_limits"], where
        assert p.special_cause_type == e["special_cause_type"], where
        assert p.special_cause_flag is e["special_cause_flag"], where
        assert p.point_type == e["point_type"], where
        assert p.y is not None and p.cl is not None
        assert int(np.sign(p.y - p.cl)) == e["relative_to_mean"], where
    for g in computed["groups"]:
        p = next(p for p in res.points if p.part - 1 == g["rebase_group"])
        assert_close(p.cl, g["mean"], "group mean")
        assert_close(p.lcl, g["lpl"], "group lpl")
        assert_close(p.ucl, g["upl"], "group upl")
    (facet,) = computed["per_facet"]
    assert res.variation == facet["variation_icon_point_type_of_last_point"]
    assert res.assurance == facet["assurance_type"]
    flagged = [i + 1 for i, p in enumerate(res.points) if p.special_cause_flag]
    assert flagged == facet["special_cause_points_1based"]
    if "special_cause_types" in facet:
        types = [res.points[i - 1].special_cause_type for i in flagged]
        assert types == facet["special_cause_types"]
    warned = {e["rebase_group"] for e in computed["points"] if e["short_group_warning"]}
    assert len(res.warnings) == len(warned)
    d = res.to_dict()
    assert d["variation"] == res.variation and "assurance" in d
    assert set(d["points"][0]) >= {"special_cause_flag", "point_type"}


def _run_runcharter_case(case: dict[str, Any]) -> None:
    exp = load_expected(case["expected_json"])
    _, rows = read_csv(REF / exp["input_csv"])
    by_group: dict[str, list[dict[str, str | None]]] = defaultdict(list)
    for r in rows:
        by_group[str(r["grp"])].append(r)
    params = exp["parameters"]
    for direction in params["direction"]:
        got = []
        for grp, grows in sorted(by_group.items()):
            segs = runcharter_signals(
                [r["y"] for r in grows],
                [r["date"] for r in grows],
                med_rows=params["med_rows"],
                runlength=params["runlength"],
                direction=direction,
            )
            for s in segs:
                d = s.to_dict()
                got.append({
                    "grp": grp, "median": d["median"], "start_date": d["start"],
                    "end_date": d["end"], "extend_to": d["extend_to"], "run_type": d["run_type"],
                })

        def key(r: dict[str, Any]) -> tuple[str, str, str]:
            return (r["run_type"] != "baseline", r["grp"], r["start_date"])

        expected = sorted(exp["stated_by_source"][direction], key=key)
        got.sort(key=key)
        assert len(got) == len(expected), direction
        for g, e in zip(got, expected, strict=True):
            assert close(g.pop("median"), e["median"]), (direction, e)
            assert g == {k: v for k, v in e.items() if k != "median"}, direction


def _run_critical_values(case: dict[str, Any]) -> None:
    exp = load_expected(case["expected_json"])
    assert len(exp["table"]) == 200
    for row in exp["table"]:
        n = row["n_useful"]
        assert longest_run_max(n) == row["longest_run_max"], n
        assert n_crossings_min(n) == row["n_crossings_min"], n


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_reference_case(case: dict[str, Any]) -> None:
    name = case["case"]
    if name.startswith("qic_"):
        _run_qic_case(case)
    elif name.startswith("ptd_"):
        _run_ptd_case(case)
    elif name == "runcharter_signals":
        _run_runcharter_case(case)
    elif name == "anhoej_critical_values":
        _run_critical_values(case)
    else:  # pragma: no cover - a new kind of case must get a runner
        pytest.fail(f"no runner for case {name}")


def test_every_case_has_a_runner() -> None:
    kinds = {c["case"].split("_")[0] for c in CASES}
    assert kinds <= {"qic", "ptd", "runcharter", "anhoej"}

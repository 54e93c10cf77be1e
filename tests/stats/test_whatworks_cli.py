"""`coiin what-works DATA.csv --adoptions ADOPTIONS.csv --direction up|down`: output and errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from coiin.cli import main as coiin_main
from coiin.stats.whatworks.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _data(tmp_path: Path, *, quarterly: bool = False) -> tuple[str, str]:
    """16 teams × 36 months (or quarters): teams A0-A5 adopt "audit" (+10 points) at
    staggered periods, B0-B3 adopt "poster" (no effect)."""
    rng = np.random.default_rng(0)
    lines = ["team,period,numerator,denominator"]
    adopt = {f"A{i}": 14 + 2 * i for i in range(6)}
    poster = {f"B{i}": 15 + 3 * i for i in range(4)}
    teams = [*adopt, *poster, *(f"C{i}" for i in range(6))]
    for team in teams:
        level = rng.uniform(0.3, 0.5)
        for t in range(36):
            p = level + 0.003 * t + (0.1 if team in adopt and t >= adopt[team] else 0)
            den = 200
            lines.append(f"{team},{_label(t, quarterly)},{rng.binomial(den, p)},{den}")
    data = tmp_path / "data.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = ["team,change,adopted"]
    rows += [f"{t},audit,{_label(g, quarterly)}" for t, g in adopt.items()]
    rows += [f"{t},poster,{_label(g, quarterly)}" for t, g in poster.items()]
    adoptions = tmp_path / "adoptions.csv"
    adoptions.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return str(data), str(adoptions)


def _label(t: int, quarterly: bool) -> str:
    return f"{2012 + t // 4}-Q{t % 4 + 1}" if quarterly else f"{2012 + t // 12}-{t % 12 + 1:02d}"


def test_json_has_exactly_the_specified_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, adoptions = _data(tmp_path)
    code, out, err = _run(capsys, data, "--adoptions", adoptions, "--direction", "up", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert list(doc) == ["changes"]
    assert [c["change"] for c in doc["changes"]] == ["audit", "poster"]
    for c in doc["changes"]:
        assert list(c) == ["change", "estimate", "ci_low", "ci_high", "adopters", "comparison",
                           "pretrend_p", "verdict", "event_study"]
        assert c["event_study"]
        for p in c["event_study"]:
            assert list(p) == ["event_time", "estimate", "ci_low", "ci_high"]
    audit, poster = doc["changes"]
    assert audit["verdict"] == "improvement" and audit["adopters"] == 6
    assert audit["ci_low"] < 0.1 < audit["ci_high"]  # a proportion, not points
    assert poster["verdict"] in ("no_evidence", "not_enough_data", "pretrend")


def test_multiply_scales_estimates_and_quarters_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, adoptions = _data(tmp_path, quarterly=True)
    args = (data, "--adoptions", adoptions, "--direction", "up", "--json")
    _, plain, _ = _run(capsys, *args)
    code, scaled, err = _run(capsys, *args, "--multiply", "100")
    assert code == 0, err
    a, b = json.loads(plain)["changes"][0], json.loads(scaled)["changes"][0]
    assert b["estimate"] == pytest.approx(100 * a["estimate"])
    assert b["event_study"][-1]["ci_high"] == pytest.approx(100 * a["event_study"][-1]["ci_high"])
    assert b["adopters"] == a["adopters"]


def test_value_columns_and_the_readable_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, adoptions = _data(tmp_path)
    lines = Path(data).read_text().splitlines()
    values = ["team,period,value"] + [
        f"{t},{p},{int(n) / int(d) * 100}" for t, p, n, d in (x.split(",") for x in lines[1:])]
    Path(data).write_text("\n".join(values) + "\n")
    code, out, err = _run(capsys, data, "--adoptions", adoptions, "--direction", "up")
    assert code == 0, err
    head, audit, poster = out.splitlines()[:3]
    assert head.split()[:3] == ["change", "estimate", "95%"]
    assert audit.startswith("audit") and audit.endswith("improvement")
    assert poster.startswith("poster")
    assert "audit: Adopting teams changed by +" in out
    assert "--json" in out


def test_dispatched_from_the_coiin_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, adoptions = _data(tmp_path)
    code = coiin_main(["what-works", data, "--adoptions", adoptions, "--direction", "down",
                       "--json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["changes"][0]["verdict"] == "worsening"


@pytest.mark.parametrize(("which", "edit", "message"), [
    ("data", lambda s: s.replace("team,period,numerator,denominator", "team,period,numerator"),
     "data.csv line 1: missing columns numerator, denominator (or value)"),
    ("data", lambda s: s.replace("team,period", "group,period"),
     "data.csv line 1: missing column team"),
    ("data", lambda s: s.replace("A0,2012-03,", "A0,2012-02,", 1),
     "data.csv line 4, columns team/period: duplicate team-period (A0, 2012-02), already on "
     "line 3"),
    ("data", lambda s: s.replace("A0,2012-03,", "A0,2012-Q1,", 1),
     "data.csv line 4, column period: '2012-Q1' is quarterly, but periods are monthly "
     "(first at "),
    ("data", lambda s: s.replace("A0,2012-03,", "A0,2012-13,", 1),
     "data.csv line 4, column period: '2012-13' is not a period YYYY-MM or YYYY-Qn"),
    ("data", lambda s: s.replace(",200\n", ",two hundred\n", 1),
     "data.csv line 2, column denominator: 'two hundred' is not a number"),
    ("data", lambda s: s.replace(",200\n", ",-200\n", 1),
     "data.csv line 2, column denominator: -200 is negative"),
    ("adoptions", lambda s: s + "Z9,audit,2013-01\n",
     "adoptions.csv line 12, column team: unknown team 'Z9' (not in"),
    ("adoptions", lambda s: s.replace("A1,audit,2013-05", "A1,audit,2013-Q2"),
     "adoptions.csv line 3, column adopted: '2013-Q2' is quarterly, but periods are monthly "
     "(first at "),
    ("adoptions", lambda s: s + "A1,audit,2014-01\n",
     "adoptions.csv line 12, columns team/change: 'A1' adopting 'audit' is already on line 3"),
    ("adoptions", lambda s: s.replace("A1,audit,2013-05", "A1,audit,"),
     "adoptions.csv line 3, column adopted: empty"),
    ("adoptions", lambda s: s.replace("team,change,adopted", "team,idea,adopted"),
     "adoptions.csv line 1: missing column change"),
])
def test_bad_input_names_file_row_and_column_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], which: str, edit: object,
    message: str,
) -> None:
    data, adoptions = _data(tmp_path)
    path = Path(data if which == "data" else adoptions)
    path.write_text(edit(path.read_text()))  # type: ignore[operator]
    code, out, err = _run(capsys, data, "--adoptions", adoptions, "--direction", "up")
    assert code == 2
    assert out == ""
    assert err.startswith("coiin what-works: error: ")
    assert message in err, err


def test_unreadable_files_and_bad_options_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, adoptions = _data(tmp_path)
    code, _, err = _run(capsys, str(tmp_path / "none.csv"), "--adoptions", adoptions,
                        "--direction", "up")
    assert code == 2 and "cannot read" in err and "none.csv" in err
    code, _, err = _run(capsys, data, "--adoptions", adoptions, "--direction", "sideways")
    assert code == 2 and "--direction" in err
    code, _, err = _run(capsys, data, "--adoptions", adoptions, "--direction", "up",
                        "--multiply", "0")
    assert code == 2 and "--multiply must be a positive number" in err
    Path(data).write_text("")
    code, _, err = _run(capsys, data, "--adoptions", adoptions, "--direction", "up")
    assert code == 2 and "data.csv is empty" in err

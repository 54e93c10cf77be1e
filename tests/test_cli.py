"""The ``coiin`` console command wraps Django management."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# The command runs with this process's DATABASE_URL: in both passes (tests/conftest.py).
pytestmark = pytest.mark.database_url


def coiin(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COIIN_DEV": "1"}
    return subprocess.run([sys.executable, "-m", "coiin.cli", *args], env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=120)


def test_coiin_runs_django_management_commands():
    result = coiin("check")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_coiin_lists_its_own_commands():
    result = coiin("help")
    for command in ("demo", "serve", "load_teams", "migrate", "createsuperuser"):
        assert command in result.stdout


def test_coiin_help_lists_every_command_the_readme_names():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The `coiin` command", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"^\| `coiin ([a-z_-]+)", section, re.MULTILINE))
    assert {"spc", "suppress", "import-data", "db_worker", "report"} <= named
    listed = set(re.findall(r"^    (\S+)$", coiin("help").stdout, re.MULTILINE))
    assert {n.replace("-", "_") for n in named} <= listed


def test_coiin_help_of_a_command_without_django():
    result = coiin("help", "spc")
    assert result.returncode == 0, result.stderr
    assert "usage: coiin spc" in result.stdout


def test_console_script_is_installed():
    script = os.path.join(os.path.dirname(sys.executable), "coiin")
    assert os.access(script, os.X_OK)


def test_coiin_spc_needs_no_database_and_prints_json(tmp_path):
    import json
    from pathlib import Path

    csv = Path(__file__).resolve().parent / "data" / "spc" / "qic_p_cabg_mortality.csv"
    env = {k: v for k, v in os.environ.items() if k != "COIIN_DEV"}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # never touched
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "coiin.cli", "spc", str(csv), "--chart", "p", "--x", "month",
         "--y", "deaths", "--n", "n", "--json"],
        env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    chart = json.loads(result.stdout)
    assert chart["chart"] == "p"
    assert len(chart["points"]) == 36
    assert chart["runs"][0]["n_crossings_min"] == 13


def test_coiin_suppress_prints_the_json_other_tools_read(tmp_path):
    import json

    table = tmp_path / "t.csv"
    table.write_text("row,col,count\nGA,2015,3\nGA,2016,25\nTX,2015,40\nTX,2016,38\n")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "coiin.cli", "suppress", str(table), "--json"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    cells = {(c["row"], c["col"]): c for c in out["cells"]}
    assert cells[("GA", "2015")] == {"row": "GA", "col": "2015", "count": None,
                                     "suppressed": True, "reason": "primary"}
    # One small cell in a 2x2 table with published totals takes the other three with it.
    assert all(c["suppressed"] for c in out["cells"])

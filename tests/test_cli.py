"""The ``coiin`` console command wraps Django management."""

from __future__ import annotations

import os
import subprocess
import sys


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


def test_console_script_is_installed():
    script = os.path.join(os.path.dirname(sys.executable), "coiin")
    assert os.access(script, os.X_OK)

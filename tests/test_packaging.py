"""A non-editable install carries every file the app reads: templates, static files, the
demo's data and the reports' fonts are all named by pyproject.toml's package-data."""

from __future__ import annotations

import glob
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "coiin"


def test_package_data_covers_every_file_that_is_not_python():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["coiin"]
    shipped = {Path(p) for pattern in patterns
               for p in glob.glob(str(PACKAGE / pattern), recursive=True)}
    needed = {p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
              and "__pycache__" not in p.parts}
    assert needed, "no data files found: the package moved?"
    assert sorted(str(p.relative_to(PACKAGE)) for p in needed - shipped) == []

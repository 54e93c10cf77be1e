from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "vitals"
CDC_CLEAN = DATA / "cdc_nchs_infant_mortality_by_state.csv"
CDC_RAW = DATA / "cdc_nchs_sos_infant_mortality_by_state_RAW.csv"
NVSS = DATA / "nvss_live_births_by_state_2012_2021.csv"
WONDER = DATA / "wonder_lbd_california_2021_sample.txt"


@pytest.fixture
def write(tmp_path):
    """A file of these lines in the test's folder."""

    def make(name: str, *lines: str) -> Path:
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return make

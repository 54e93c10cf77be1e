"""The demo's official figures: CDC/NCHS state infant deaths and NVSS births, loaded into
the vital statistics store as ``coiin vitals import`` would load them.

These are the real published files (``data/README.md`` says where each came from), the
same figures the demo's teams report as their annual totals (``figures.STATE_FIGURES``
and ``STATE_DEATHS``). They go in through ``coiin.vitals.services.load_file``, the one
writer of official figures: a file loaded before (same SHA-256) changes nothing, so a
second demo run adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coiin.vitals import services

DATA = Path(__file__).resolve().parent / "data"
# In load order: the deaths (with CDC's published rates), then the births.
FILES = ("cdc_nchs_infant_mortality_by_state.csv", "nvss_live_births_by_state_2012_2021.csv")


def load_vitals_demo(log: Callable[[str], None] = print) -> list[services.LoadResult]:
    """Load the demo's official figure files; each already loaded changes nothing.

    Raises ``services.LoadRefused`` if a file disagrees with figures already stored."""
    results = []
    for name in FILES:
        path = DATA / name
        result = services.load_file(data=path.read_bytes(), file_name=path.name)
        log(f"Official figures: {result.summary()}")
        results.append(result)
    return results

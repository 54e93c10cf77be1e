"""The demo's public site: the measures backbone staff would publish."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coiin.measures.models import Measure
from coiin.network.models import User
from coiin.reports.public.publication import Level, publish

# Published measures whose every figure the demo made up (IMR's totals are real).
SYNTHETIC = {"PTB", "SS-BACK"}


def publish_demo(log: Callable[[str], Any] = print) -> None:
    """Publish the demo's measures (idempotent): IMR and PTB per jurisdiction and per
    network, the national IMR, and back-sleep (SS-BACK) per network.

    Each is labelled as the demo made it: IMR's totals are CDC's and NVSS's real figures
    but its race/ethnicity strata are synthetic (labelled so if they are ever published);
    PTB and SS-BACK are synthetic throughout."""
    wanted = [("IMR", Level.JURISDICTION), ("IMR", Level.NETWORK), ("IMR", Level.NATIONAL),
              ("PTB", Level.JURISDICTION), ("PTB", Level.NETWORK),
              ("SS-BACK", Level.NETWORK)]
    measures = {m.code: m for m in Measure.objects.filter(code__in={c for c, _ in wanted})}
    user = User.objects.filter(network_role=User.NetworkRole.BACKBONE).order_by("pk").first()
    for code, level in wanted:
        if code not in measures:
            log(f"Not published: no measure {code}.")
            continue
        publish(measure=measures[code], level=level, user=user, note="Demo publication",
                synthetic=code in SYNTHETIC, synthetic_strata=True)
        log(f"Published {code} ({Level(level).label.lower()}).")

"""The demo's publication of measures to the public site."""

from __future__ import annotations

from coiin.demo import publication
from coiin.reports.models import PublishedMeasure


def test_publish_demo_is_idempotent(catalog, backbone):
    lines: list[str] = []
    publication.publish_demo(log=lines.append)
    publication.publish_demo(log=lines.append)
    assert PublishedMeasure.objects.count() == 6
    assert set(PublishedMeasure.objects.filter(measure__code="SS-BACK")
               .values_list("level", flat=True)) == {"network"}
    assert lines[0].startswith("Published IMR")


def test_the_demo_labels_what_it_made_up(catalog, backbone):
    publication.publish_demo(log=lambda _: None)
    flags = {(p.measure.code, p.level): (p.synthetic, p.synthetic_strata)
             for p in PublishedMeasure.objects.select_related("measure")}
    # IMR's totals are CDC's and NVSS's; its race strata are synthetic.
    assert flags[("IMR", "jurisdiction")] == (False, True)
    assert flags[("PTB", "network")][0] and flags[("SS-BACK", "network")][0]

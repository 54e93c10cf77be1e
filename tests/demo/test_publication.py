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

"""The entry and review page draws each measure's recent series from the stored chart
summaries, with the chart's centre line and limits, in a fixed number of queries."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from coiin.measures import services as reporting
from coiin.measures.models import Measure

URL = "/networks/safe-sleep/ga/data/2016-12/"


def _queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_review_page_draws_the_stored_chart_beside_each_value_in_fixed_queries(
        client, crib_data, team, faculty):
    client.force_login(faculty)
    reporting.choose_measures(team=team, measures=[crib_data])
    one, html = _queries(client)
    spark = re.search(r'<svg class="spark".*?</svg>', html, re.S).group(0)
    # December 2015 to November 2016 (32 to 44 of 50), with the chart's centre line and
    # limits; December (42 of 50) is within them.
    assert 'aria-label="Earlier results from 64 to 88; the chart&#x27;s latest limits' in spark
    assert 'class="centre"' in spark and spark.count('class="limit"') == 2
    assert '<circle class="now"' in spark

    monthly = list(Measure.objects.filter(frequency="monthly").exclude(pk=crib_data.pk))
    reporting.choose_measures(team=team, measures=[crib_data, *monthly])
    many, html = _queries(client)
    assert html.count('<output class="result">') > 10
    assert many == one

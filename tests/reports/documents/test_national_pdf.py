"""The national report made fast without changing what it says: the PDF draws each chart
from the very SVG the HTML shows, the report is built from its inputs without a query, the
series and completeness worked out in batch equal the same worked out one by one, and the
queries do not grow with the number of teams."""
# ruff: noqa: F811  (the fixtures are the other national report tests' own, imported)

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import subprocess
import sys
from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coiin.measures import services as reporting
from coiin.measures.models import Submission
from coiin.measures.periods import Frequency, Period, periods_between
from coiin.network.models import LearningNetwork
from coiin.reports.documents import team as documents
from coiin.reports.documents.common import (
    completeness,
    index_submissions,
    measure_from,
    pooled_chart,
    series,
    series_by_measure,
)
from coiin.reports.documents.national import national_context, national_inputs
from coiin.reports.documents.network import network_inputs

from ..pdftools import fonts, open_pdf, text
from .test_network_national import (  # noqa: F401
    JUNE,
    _media,
    _small_rows,
    catalog,
    data_lead,
    join,
    put,
    reference,
    safe_sleep,
    small,
    small_rows,
)

# The same shared network as the other national report tests (one set of rows for both
# modules when they follow one another on one worker).
pytestmark = pytest.mark.xdist_group("network-national-reports")

SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
IMG = re.compile(r'<img alt="" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)">')


def test_pdf_draws_each_chart_from_the_svg_the_html_shows(small):
    html = documents.html_of(national_context(national_inputs(JUNE)))
    charts = SVG.findall(html)
    assert len(charts) == 2  # Safe Sleep's pooled crib audits, and the national one
    for_pdf = documents.svgs_as_images(html)
    assert "<svg" not in for_pdf
    images = [base64.b64decode(data).decode() for data in IMG.findall(for_pdf)]
    assert images == charts
    # Nothing else changes.
    assert IMG.sub(lambda _m: "", for_pdf) == SVG.sub(lambda _m: "", html)


def test_pdf_charts_keep_their_text(small):
    pdf = open_pdf(documents.render(national_context(national_inputs(JUNE)), "pdf"))
    everything = text(pdf)
    assert "Common cause" in everything  # the charts' legend, drawn from the SVG
    # The charts' text in the shipped font too, not a system font found by the fallback:
    # the same on every server, and one font family to embed.
    used = set().union(*(fonts(pdf[i]) for i in range(len(pdf))))
    assert used == {"CoIIN-Sans", "CoIIN-Sans-Bold"}


def test_report_is_built_from_its_inputs_without_a_query(small):
    inputs = national_inputs(JUNE)
    with CaptureQueriesContext(connection) as queries:
        documents.html_of(national_context(inputs))
    assert len(queries) == 0


def test_series_in_one_pass_equal_series_one_measure_at_a_time(small, safe_sleep):
    inputs = network_inputs(safe_sleep, JUNE)  # crib audits (monthly) and IMR (quarterly)
    measures = [measure_from(m) for m in inputs["measures"]]
    assert len(measures) == 2
    batch = series_by_measure(inputs["values"], measures)
    for m in measures:
        assert dict(batch[m.code]) == dict(series(inputs["values"], m))
    assert sum(len(obs) for by_team in batch.values() for obs in by_team.values()) == len(
        inputs["values"])


def _completeness_one_by_one(team, statuses, last, read_on, due_days):
    """The count as the report made it before due periods were shared between teams."""
    mine = statuses.get(team["id"], {})
    due = submitted = on_time = 0
    for f in team["frequencies"]:
        freq = Frequency(f)
        first = Period.containing(dt.date.fromisoformat(team["joined_on"]), freq)
        final = Period.containing(last.end, freq)
        if final.end > last.end:
            final = final.previous()
        for p in periods_between(first, final) if first <= final else []:
            if p.due_date(due_days) > read_on:
                continue
            due += 1
            status, on = mine.get((f, p.start.isoformat()), (None, None))
            if status in Submission.SHOWN_STATUSES:
                submitted += 1
                on_time += on is not None and dt.date.fromisoformat(on) <= p.due_date(due_days)
    return due, submitted, on_time


def test_completeness_equals_the_count_one_team_at_a_time(small):
    inputs = national_inputs(JUNE)
    statuses = index_submissions(inputs["submissions"])
    seen = defaultdict(set)
    # Days the data were read on, each making different periods due; each asked twice,
    # in a different order, so a shared answer can never be a stale one.
    days = [dt.date(2015, 7, 1), dt.date(2015, 8, 1), dt.date(2016, 1, 1), dt.date(2015, 8, 1),
            dt.date(2015, 7, 1)]
    for read_on in days:
        for last in (JUNE, Period.parse("2015-03"), Period.parse("2015-12")):
            for team in inputs["teams"]:
                for due_days in (15, 30):
                    got = completeness(team, statuses, last, read_on, due_days)
                    want = _completeness_one_by_one(team, statuses, last, read_on, due_days)
                    assert (got.due, got.submitted, got.on_time) == want
                    seen[read_on].add(want)
    assert len(seen) == 3 and all(len(answers) > 1 for answers in seen.values())


def test_queries_for_the_whole_report_do_not_grow_with_teams(small, jurisdictions, networks,
                                                            catalog, data_lead):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            documents.html_of(national_context(national_inputs(JUNE)))
        return len(queries)

    count()  # once-a-process lookups (content types and the like) out of the way
    before = count()
    for code in ("AL", "FL", "LA", "AR"):
        t = join(jurisdictions, networks, code, dt.date(2015, 1, 1))
        reporting.choose_measures(team=t, measures=[catalog["SS-CRIB"], catalog["IMR"]])
        put(t, catalog["SS-CRIB"], "2015-02", 20, 50, data_lead)
        put(t, catalog["IMR"], "2015-Q1", 2, 800, data_lead)
    inputs = national_inputs(JUNE)
    assert len(inputs["teams"]) == 7
    assert count() == before


def test_pooled_chart_sums_numerators_and_denominators(small, catalog):
    inputs = national_inputs(JUNE)
    imr = next(m for m in (measure_from(s) for s in inputs["measures"]) if m.code == "IMR")
    by_team = series_by_measure(inputs["values"], [imr])["IMR"]
    chart, teams = pooled_chart(LearningNetwork(name="National"), imr, by_team)
    # Georgia 3/1000 in Q1; Georgia 2/1100 and Texas 5/900 in Q2: 7 per 2,000 births.
    assert teams == {"2015-Q1": 1, "2015-Q2": 2}
    assert [(o.numerator, o.denominator) for o in chart.observations] == [(3, 1000),
                                                                         (7, 2000)]
    assert [p.y for p in chart.chart.points] == pytest.approx([3.0, 3.5])
    assert pooled_chart(LearningNetwork(name="National"), catalog["SS-CRIB"], {}) == (None, {})


def test_making_the_national_report_loads_no_dashboard_and_no_scipy():
    """A fresh ``coiin report`` process pays for every import: the report needs neither the
    dashboards (which the stored summaries serve) nor scipy (their funnel plots, and the
    suppression search of public releases, which its disparities do not use), nor openpyxl
    unless it makes a sheet."""
    code = ("import sys, django; django.setup(); "
            "import coiin.reports.documents.national, coiin.reports.documents.snapshots; "
            "import coiin.reports.equity; "  # the disparities, imported when they are read
            "print(sorted(m for m in sys.modules if m in ('scipy', 'openpyxl') "
            "or m.startswith('coiin.reports.dashboards.network')))")
    env = {**os.environ, "COIIN_DEV": "1", "DJANGO_SETTINGS_MODULE": "coiin.settings"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,  # noqa: S603
                          text=True, check=True)
    assert done.stdout.strip() == "[]"

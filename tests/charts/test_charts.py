"""Team charts: the right chart type, saved settings that change the limits, downloads."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest

from coiin.charts import services
from coiin.charts.building import choose_chart, team_charts
from coiin.charts.models import ChartPhase, ChartSettings
from coiin.charts.vega import spc_spec
from coiin.measures import services as reporting
from coiin.measures.models import Goal, Measure
from coiin.measures.periods import Period
from coiin.measures.validation import Entry
from tests.conftest import fixtures_from_when, georgia_safe_sleep, shared_rows

from .conftest import AFTER, BEFORE, report_crib


def make_crib() -> SimpleNamespace:
    """Georgia's two years of crib audits (conftest.py) with the fixtures they are made of
    (team, chosen, data_lead, backbone; tests/conftest.py), made once for the tests that ask
    for ``crib_data``: they come after the module's other tests and follow one another on one
    worker, and what one writes (a setting, a note, a phase) is rolled back after it."""
    rows = georgia_safe_sleep("data_lead", "backbone")
    rows.crib = report_crib(rows.team, rows.catalog, rows.data_lead)
    return rows


_crib_rows, crib_rows = shared_rows("crib_rows", make_crib)
pytestmark = pytest.mark.xdist_group("team-charts")


@pytest.fixture
def crib_data(crib_rows) -> Measure:
    return crib_rows.crib


globals().update(fixtures_from_when("crib_rows", "crib_data", "team", "chosen", "data_lead",
                                     "backbone"))


def test_chart_type_follows_the_measure(catalog):
    assert choose_chart(catalog["SS-CRIB"], 11, 50) == "run"
    assert choose_chart(catalog["SS-CRIB"], 12, 50) == "p"
    assert choose_chart(catalog["PT-EED"], 12, 2500) == "pp"
    # Survey estimates (PRAMS, BRFSS) never get control limits.
    for code in ("SS-BACK", "SS-SURFACE", "SS-BEDDING", "PC-WELLWOMAN"):
        assert catalog[code].is_survey
        assert choose_chart(catalog[code], 24, 2500) == "run"
    assert not catalog["SS-CRIB"].is_survey and not catalog["IMR"].is_survey
    assert choose_chart(catalog["IMR"], 12, 300) == "u"
    assert choose_chart(catalog["IMR"], 20, 30000) == "up"
    assert choose_chart(catalog["SC-QUITLINE"], 12, None) == "i"
    assert choose_chart(catalog["SD-BW-RATIO"], 12, 5) == "i"


def test_drafts_never_reach_a_chart(team, chosen, catalog, data_lead):
    sub = reporting.submission_for(team, Period.parse("2015-01"))
    reporting.save_values(submission=sub, user=data_lead, expected_version=0,
                          entries=[Entry(catalog["SS-CRIB"], "2015-01", numerator="3",
                                         denominator="5")], today=dt.date(2015, 2, 2))
    assert team_charts(team, [catalog["SS-CRIB"]])[0].chart is None


def test_spc_spec_handles_labels_as_x():
    rows = [{"x": "A", "label": "A", "y": 1, "cl": 1, "lcl": None, "ucl": None, "part": 1,
             "signal": "Common cause", "numerator": None, "denominator": None}]
    from coiin.charts.vega import ChartMeta

    spec = spc_spec(rows, ChartMeta(title="t"))
    assert spec["layer"][0]["encoding"]["x"]["type"] == "ordinal"


def test_strata_get_their_own_charts_on_the_measure_page(client, lead, team, chosen, catalog,
                                                         data_lead):
    from coiin.measures.models import Stratum

    team.joined_on = dt.date(2012, 1, 1)
    team.save()
    black = Stratum.objects.get(kind="race_ethnicity", code="nh-black")
    white = Stratum.objects.get(kind="race_ethnicity", code="nh-white")
    period = Period.parse("2013-Q1")
    for i in range(12):
        sub = reporting.submission_for(team, period)
        day = period.end + dt.timedelta(days=3)
        deaths_b, deaths_w = 20 + i % 3, 10 + i % 2
        reporting.save_values(submission=sub, user=data_lead, expected_version=sub.version,
                              today=day, entries=[
            Entry(catalog["IMR"], period.label, numerator=str(deaths_b + deaths_w),
                  denominator="5000", confirm="ok"),
            Entry(catalog["IMR"], period.label, stratum=black, numerator=str(deaths_b),
                  denominator="1500", confirm="ok"),
            Entry(catalog["IMR"], period.label, stratum=white, numerator=str(deaths_w),
                  denominator="3500", confirm="ok")])
        reporting.submit(submission=sub, user=data_lead, today=day)
        period = period.next()
    client.force_login(lead)
    response = client.get("/networks/safe-sleep/ga/charts/IMR/")
    html = response.content.decode()
    assert "By race/ethnicity" in html
    assert [s.code for s, _ in response.context["strata"]] == ["nh-white", "nh-black"]
    assert 'id="spec-stratum-nh-black"' in html


def test_a_survey_measure_says_why_it_has_no_limits(team, catalog):
    from coiin.charts.building import TeamChart

    note = TeamChart(team=team, measure=catalog["SS-BACK"], observations=[]).note
    assert note.startswith("PRAMS figures are weighted survey estimates")
    assert "run chart" in note
    assert TeamChart(team=team, measure=catalog["IMR"], observations=[]).note == ""
    from coiin.charts.building import chart_types_for

    assert chart_types_for(catalog["SS-BACK"]) == ["run"]  # a team cannot pick limits for it


def test_a_shift_is_found_and_said_in_words(team, crib_data):
    tc = team_charts(team, [crib_data])[0]
    assert tc.chart_type == "p"
    assert len(tc.chart.points) == 24
    assert tc.chart.runs[0].runs_signal
    assert tc.chart.points[0].y == pytest.approx(60.0)  # multiplied to a percentage
    assert tc.summary  # the words under the chart
    signals = {row["signal"] for row in tc.spec["data"]["values"]}
    assert "Part of a run or shift" in signals


def test_a_baseline_freezes_the_limits_and_changes_them(team, crib_data, lead):
    before = team_charts(team, [crib_data])[0].chart.points[0].cl
    services.set_baseline(team=team, measure=crib_data, baseline_end=dt.date(2015, 12, 1),
                          user=lead, reason="Before the crib programme")
    tc = team_charts(team, [crib_data])[0]
    assert tc.chart.points[0].cl == pytest.approx(sum(BEFORE) / (12 * 50) * 100)
    assert tc.chart.points[0].cl != pytest.approx(before)
    assert [p.baseline for p in tc.chart.points].count(True) == 12
    record = ChartSettings.history.latest("history_date")
    assert (record.history_user, record.history_change_reason) == (lead,
                                                                    "Before the crib programme")


def test_a_long_reason_is_kept_whole_and_its_history_row_fits_its_column(team, crib_data,
                                                                         lead):
    reason = "Baseline: the months before the hospital safe sleep policy was adopted; " * 3
    services.set_baseline(team=team, measure=crib_data, baseline_end=dt.date(2015, 12, 1),
                          user=lead, reason=reason.strip())
    assert ChartSettings.objects.get(team=team, measure=crib_data).reason == reason.strip()
    kept = ChartSettings.history.latest("history_date").history_change_reason
    assert len(kept) == 100 and kept.endswith("…") and reason.startswith(kept[:-1])


def test_a_phase_gives_each_part_its_own_centre_line(team, crib_data, lead):
    services.add_phase(team=team, measure=crib_data, starts=dt.date(2016, 1, 1), user=lead,
                       reason="Crib programme in all hospitals")
    tc = team_charts(team, [crib_data])[0]
    assert {p.part for p in tc.chart.points} == {1, 2}
    assert tc.chart.points[0].cl == pytest.approx(sum(BEFORE) / 600 * 100)
    assert tc.chart.points[-1].cl == pytest.approx(sum(AFTER) / 600 * 100)
    assert any(m["text"].startswith("New phase: Crib programme")
               for layer in tc.spec["layer"] if "data" in layer
               for m in layer["data"]["values"] if "text" in m)


def test_an_excluded_point_is_drawn_but_left_out_of_the_limits(team, crib_data, lead):
    services.add_exclusion(team=team, measure=crib_data, period_start=dt.date(2015, 3, 1),
                           user=lead, reason="Audit tool changed that month")
    tc = team_charts(team, [crib_data])[0]
    assert [p.include for p in tc.chart.points].count(False) == 1
    assert tc.spec["data"]["values"][2]["signal"] == "Excluded"


def test_rules_setting_is_used(team, crib_data, faculty):
    services.set_rules(team=team, measure=crib_data, rules="ihi", user=faculty)
    assert team_charts(team, [crib_data])[0].chart.rules == "ihi"


def test_goal_line_is_ten_percent_better_than_baseline(team, crib_data, lead):
    Goal.objects.create(team=team, measure=crib_data, kind="relative", value=10)
    tc = team_charts(team, [crib_data])[0]
    goal_layers = [layer for layer in tc.spec["layer"] if "data" in layer
                   and layer["data"]["values"][0].get("label", "").startswith("Goal")]
    cl = tc.chart.points[0].cl
    assert goal_layers[0]["data"]["values"][0]["v"] == pytest.approx(cl * 1.1)


def test_spec_is_valid_vega_lite_and_renders_on_the_server(team, crib_data):
    import vl_convert as vlc

    spec = team_charts(team, [crib_data])[0].spec
    svg = vlc.vegalite_to_svg({**spec, "width": 600})
    assert svg.startswith("<svg") and svg.count("<path") > 5
    json.dumps(spec)  # plain data all the way down


def test_dashboard_page(client, data_lead, team, crib_data, django_assert_max_num_queries):
    client.force_login(data_lead)
    with django_assert_max_num_queries(20):
        response = client.get("/networks/safe-sleep/ga/charts/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="spec-SS-CRIB"' in html and "vendor/vega-embed.js" in html
    assert "The data as a table (24 periods)" in html
    assert "'unsafe-eval'" in response["Content-Security-Policy"]
    assert "Waiting for submitted data" in html  # measures without data are listed


def test_dashboard_queries_do_not_grow_with_measures(client, data_lead, team, chosen,
                                                     crib_data, catalog,
                                                     django_assert_max_num_queries):
    client.force_login(data_lead)
    reporting.choose_measures(team=team, measures=list(catalog.values()))
    with django_assert_max_num_queries(20):
        client.get("/networks/safe-sleep/ga/charts/")


def test_chart_page_saves_a_baseline_through_the_form(client, lead, team, crib_data):
    client.force_login(lead)
    url = "/networks/safe-sleep/ga/charts/SS-CRIB/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"form": "baseline", "baseline_end": "2015-12-01",
                                 "reason": "Pre-intervention year"})
    assert response.status_code == 302
    assert ChartSettings.objects.get().baseline_end == dt.date(2015, 12, 1)
    bad = client.post(url, {"form": "phase", "starts": "2030-01-01", "reason": ""})
    assert bad.status_code == 400
    assert set(bad.context["forms"]["phase"].errors) == {"starts", "reason"}


@pytest.mark.parametrize(("name", "status"), [("member", 403), ("funder", 403),
                                              ("outsider", 404)])
def test_who_may_change_chart_settings(as_persona, name, status, team, crib_data):
    response = as_persona(name).post("/networks/safe-sleep/ga/charts/SS-CRIB/",
                                     {"form": "rules", "rules": "ihi"})
    assert response.status_code == status
    assert not ChartSettings.objects.exists()


def test_other_teams_cannot_see_the_charts(as_persona, team, crib_data):
    assert as_persona("outsider").get("/networks/safe-sleep/ga/charts/").status_code == 404
    assert as_persona("funder").get("/networks/safe-sleep/ga/charts/").status_code == 200


@pytest.mark.parametrize(("fmt", "kind", "start"), [("csv", "text/csv", b"period,"),
                                                     ("svg", "image/svg+xml", b"<svg"),
                                                     ("png", "image/png", b"\x89PNG")])
def test_downloads(client, data_lead, team, crib_data, fmt, kind, start):
    client.force_login(data_lead)
    response = client.get(f"/networks/safe-sleep/ga/charts/SS-CRIB.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(kind)
    assert response.content.startswith(start)
    if fmt == "csv":
        lines = response.content.decode().splitlines()
        assert len(lines) == 25 and lines[1].startswith("2015-01,30,50,60,")


def test_signal_direction_and_sustained_improvement(team, crib_data):
    from coiin.charts.building import signal_direction, sustained_improvement

    tc = team_charts(team, [crib_data])[0]
    assert signal_direction(tc) == "improving"
    assert sustained_improvement(tc)  # the year-two run lasts to the latest point


def test_dashboard_pages_the_measures_with_data_and_lists_those_waiting(
        client, data_lead, team, chosen, crib_data, catalog, monkeypatch):
    from coiin.charts import views

    sub = reporting.submission_for(team, Period.parse("2017-01"))
    reporting.save_values(submission=sub, user=data_lead, expected_version=sub.version,
                          entries=[Entry(catalog["SS-EDU"], "2017-01", numerator="30",
                                         denominator="50")], today=dt.date(2017, 2, 3))
    reporting.submit(submission=sub, user=data_lead, today=dt.date(2017, 2, 3))
    monkeypatch.setattr(views, "MEASURES_PER_PAGE", 1)
    client.force_login(data_lead)
    url = "/networks/safe-sleep/ga/charts/"
    first, second = client.get(url), client.get(url + "?page=2")
    assert (first.context["pages"], second.context["page"]) == (2, 2)
    shown = [tc.measure.code for page in (first, second) for tc, _ in page.context["cards"]]
    assert sorted(shown) == ["SS-CRIB", "SS-EDU"]
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()
    assert client.get(url + "?page=9").context["page"] == 2
    waiting = {m.code for m in first.context["waiting"]}
    assert waiting == {m.code for m in chosen} - {"SS-CRIB", "SS-EDU"}
    # Table cells are written as floatformat:"-2" writes them.
    crib = next(rows for page in (first, second) for tc, rows in page.context["cards"]
                if tc.measure.code == "SS-CRIB")
    assert crib[0]["label"] == "2015-01" and crib[0]["value"] == f"{BEFORE[0] * 2}"


def test_one_settings_form_suggests_the_split_and_saves_it_with_its_reason(client, lead, team,
                                                                            crib_data):
    client.force_login(lead)
    url = "/networks/safe-sleep/ga/charts/SS-CRIB/"
    assert client.get(url).context["suggested"] is None  # a shift, but no recorded change
    services.add_annotation(team=team, measure=crib_data, on=dt.date(2015, 12, 1),
                            text="Crib programme announced", user=lead)
    page = client.get(url)
    html = page.content.decode()
    controls = html[html.index('id="chart-settings"'):]
    assert controls.count("<form") == 3  # the settings, a note, dismissing the suggestion
    assert html.count(">Rule set<") == 1
    # The note is the lead's words, marked with the language they wrote it in.
    assert ('after a recorded change (Dec 1, 2015: <span lang="en">Crib programme '
            'announced</span>)') in html
    suggested = page.context["suggested"].period
    assert suggested is not None and not page.context["forms"]["settings"].initial["new_phase"]
    split = client.get(url, {"split": suggested.start.isoformat()})
    assert split.context["forms"]["settings"].initial["new_phase"] == suggested.start.isoformat()
    # Nothing changed, or a phase without a reason: refused, nothing written.
    nothing = client.post(url, {"form": "settings", "rules": "anhoej"})
    assert nothing.status_code == 400 and "Nothing was changed." in nothing.content.decode()
    bad = client.post(url, {"form": "settings", "rules": "ihi",
                            "new_phase": suggested.start.isoformat(), "reason": ""})
    assert bad.status_code == 400 and "reason" in bad.context["forms"]["settings"].errors
    assert not ChartSettings.objects.exists() and not ChartPhase.objects.exists()
    done = client.post(url, {"form": "settings", "rules": "anhoej",
                             "new_phase": suggested.start.isoformat(),
                             "reason": "Crib programme began"})
    assert done.status_code == 302
    phase = ChartPhase.objects.get()
    assert (phase.starts, phase.reason) == (suggested.start, "Crib programme began")
    tc = team_charts(team, [crib_data])[0]
    assert "Crib programme began" in tc.summary and "deterioration" not in tc.summary
    # Written in English: the card's sentence quotes it so marked, to a Spanish reader too.
    assert phase.language == "en"
    client.cookies["django_language"] = "es"
    card = client.get("/networks/safe-sleep/ga/charts/", headers={"accept-language": "es"})
    assert '<span lang="en">Crib programme began</span>' in card.content.decode()


def test_a_note_longer_than_its_field_is_refused_on_every_database(lead, team, crib_data):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.add_annotation(team=team, measure=crib_data, on=dt.date(2015, 3, 10),
                                text="x" * 121, user=lead)
    assert "text" in exc.value.message_dict


def test_markers_are_numbered_and_listed_goals_rounded_and_the_x_axis_titled(
        client, lead, team, crib_data):
    services.add_annotation(team=team, measure=crib_data, on=dt.date(2015, 3, 10),
                            text="New audit form in every hospital, long label " * 2,
                            user=lead)
    services.add_phase(team=team, measure=crib_data, starts=dt.date(2016, 1, 1), user=lead,
                       reason="Crib programme began")
    services.add_annotation(team=team, measure=crib_data, on=dt.date(2030, 1, 1),
                            text="Beyond the data", user=lead)
    Goal.objects.create(team=team, measure=crib_data, kind=Goal.Kind.ABSOLUTE,
                        value="71.23456")
    tc = team_charts(team, [crib_data])[0]
    assert [(m.number, m.kind) for m in tc.markers] == [(1, "note"), (2, "phase")]
    layers = [sub for layer in tc.spec["layer"] for sub in layer.get("layer", [layer])]
    texts = [sub for sub in layers if sub["mark"]["type"] == "text"]
    numbers = next(t for t in texts if t["encoding"]["text"]["field"] == "n")
    assert "angle" not in numbers["mark"]  # a number over its rule, never a cut label
    goal = next(layer for layer in tc.spec["layer"] if "data" in layer
                and layer["data"]["values"] and "label" in layer["data"]["values"][0])
    assert goal["data"]["values"][0]["label"] == "Goal 71.2"
    assert tc.spec["layer"][0]["encoding"]["x"]["title"] == "Month"
    client.force_login(lead)
    html = client.get("/networks/safe-sleep/ga/charts/SS-CRIB/").content.decode()
    assert 'class="chart-markers' in html and "New phase: Crib programme began" in html


def test_the_team_chooses_a_chart_type_that_suits_the_measure_with_a_reason(
        client, lead, team, crib_data, catalog):
    from coiin.charts.building import chart_types_for
    from coiin.charts.models import ChartSummary

    assert chart_types_for(crib_data) == ["run", "i", "p", "pp"]
    assert chart_types_for(catalog["IMR"]) == ["run", "i", "u", "up"]
    client.force_login(lead)
    url = "/networks/safe-sleep/ga/charts/SS-CRIB/"
    bad = client.post(url, {"form": "settings", "chart_type": "u", "rules": "anhoej",
                            "reason": "x"})
    assert bad.status_code == 400 and "chart_type" in bad.context["forms"]["settings"].errors
    no_reason = client.post(url, {"form": "settings", "chart_type": "i", "rules": "anhoej"})
    assert no_reason.status_code == 400
    done = client.post(url, {"form": "settings", "chart_type": "i", "rules": "anhoej",
                             "reason": "Denominators vary more than binomial"})
    assert done.status_code == 302
    tc = team_charts(team, [crib_data])[0]
    assert tc.chart_type == "i" and tc.name == "XmR (individuals) chart"
    record = ChartSettings.history.latest("history_date")
    assert record.history_change_reason == "Denominators vary more than binomial"
    assert ChartSummary.objects.get(scope="team", team=team, measure=crib_data).chart_type == "i"


def test_a_suggested_split_can_be_dismissed_and_the_dismissal_undone(client, lead, team,
                                                                    crib_data):
    from coiin.charts.models import DismissedSplit

    client.force_login(lead)
    url = "/networks/safe-sleep/ga/charts/SS-CRIB/"
    services.add_annotation(team=team, measure=crib_data, on=dt.date(2015, 12, 1),
                            text="Crib programme announced", user=lead)
    suggested = client.get(url).context["suggested"]
    starts = suggested.period.start.isoformat()
    assert client.post(url, {"form": "dismiss-split", "starts": "2015-03-01"}
                       ).status_code == 404  # not what is suggested
    assert client.post(url, {"form": "dismiss-split", "starts": starts}).status_code == 302
    page = client.get(url)
    html = page.content.decode()
    assert 'id="suggested-split"' not in html and 'id="dismissed-split"' in html
    dismissed = DismissedSplit.objects.get()
    assert (dismissed.starts.isoformat(), dismissed.dismissed_by) == (starts, lead)
    assert client.post(url, {"form": "undo-dismiss", "id": "x"}).status_code == 404
    assert client.post(url, {"form": "undo-dismiss", "id": dismissed.pk}).status_code == 302
    assert not DismissedSplit.objects.exists()
    assert 'id="suggested-split"' in client.get(url).content.decode()

"""A chart's fixed words in the reader's language: the signals (in the legend and in every
point's row alike, so colours and shapes still match), the tooltips' and axes' titles, the
goal's and target's labels and the chart's kind; the data's own names stay as they are, and
the spec given is left alone (it may be a stored one)."""

from __future__ import annotations

import copy

from django.utils import translation

from coiin.charts.spec_language import in_language, kind_name, word

SPEC = {
    "title": "Tasa de mortalidad infantil: u′ chart (Laney)",
    "data": {"values": [{"x": "2017-01-01", "signal": "Common cause", "team": "Georgia"},
                        {"x": "2017-04-01", "signal": "Outside the limits", "team": "Common"}]},
    "layer": [
        {"encoding": {"x": {"field": "x", "title": "Quarter"},
                      "tooltip": [{"field": "cl", "title": "Centre line"},
                                  {"field": "team", "title": "Team"}],
                      "color": {"field": "signal", "scale": {
                          "domain": ["Common cause", "Outside the limits",
                                     "Part of a run or shift", "Excluded"]}}}},
        {"data": {"values": [{"v": 6, "label": "National target 6"}]},
         "layer": [{"encoding": {"text": {"field": "label"}}}]},
    ],
}


def test_a_spec_in_spanish():
    before = copy.deepcopy(SPEC)
    with translation.override("es"):
        out = in_language(SPEC)
    assert SPEC == before
    assert out["title"] == "Tasa de mortalidad infantil: Gráfico u′ (Laney)"
    assert [r["signal"] for r in out["data"]["values"]] == ["Causa común", "Fuera de los límites"]
    # The names in the data are not words of the chart.
    assert [r["team"] for r in out["data"]["values"]] == ["Georgia", "Common"]
    encoding = out["layer"][0]["encoding"]
    assert encoding["x"]["title"] == "Trimestre"
    assert [t["title"] for t in encoding["tooltip"]] == ["Línea central", "Equipo"]
    domain = encoding["color"]["scale"]["domain"]
    assert domain[:2] == ["Causa común", "Fuera de los límites"]
    assert {r["signal"] for r in out["data"]["values"]} <= set(domain)
    assert out["layer"][1]["data"]["values"][0]["label"] == "Meta nacional 6"


def test_a_spec_in_english_is_unchanged():
    with translation.override("en"):
        assert in_language(SPEC) == SPEC
    assert in_language(None) is None


def test_kinds_and_funnel_places_in_spanish():
    with translation.override("es"):
        assert kind_name("Run chart") == "Gráfico de corrida"
        assert kind_name("a chart of our own") == "a chart of our own"
        assert word("above 99.8%") == "sobre los límites (99.8 %)"
        assert word("inside") == "dentro de los límites"


def test_a_title_given_as_an_object_is_translated_too():
    with translation.override("es"):
        out = in_language({"title": {"text": "IMR: p chart", "anchor": "start"},
                           "description": "IMR: p chart"})
    # The description names the drawn chart for screen readers.
    assert out == {"title": {"text": "IMR: Gráfico p", "anchor": "start"},
                   "description": "IMR: Gráfico p"}


def test_the_phase_markers_a_chart_writes_read_in_the_readers_language():
    from types import SimpleNamespace

    from coiin.charts.spec_language import marker
    from coiin.charts.templatetags.chart_language import chart_marker

    frozen = ("Baseline frozen up to June 2016: later points are judged against its centre "
              "line and limits")
    spec = {"layer": [{"data": {"values": [
        {"on": "2016-07-01", "text": "New phase: safe-sleep bundle", "kind": "phase"},
        {"on": "2016-07-01", "text": frozen, "kind": "phase"},
        {"on": "2016-08-01", "text": "New phase: written by a team", "kind": "note"}]}}]}
    with translation.override("en"):
        assert marker("New phase: safe-sleep bundle") == "New phase: safe-sleep bundle"
        assert marker(frozen) == frozen
        assert in_language(spec) == spec
    with translation.override("es"):
        assert marker("New phase: safe-sleep bundle") == "Nueva fase: safe-sleep bundle"
        assert marker(frozen) == ("Línea de base congelada hasta June 2016: los puntos "
                                  "posteriores se juzgan con su línea central y sus límites")
        rows = in_language(spec)["layer"][0]["data"]["values"]
        assert rows[0]["text"] == "Nueva fase: safe-sleep bundle"
        assert rows[1]["text"].startswith("Línea de base congelada hasta June 2016")
        # A team's own note is left as written, whatever it starts with.
        assert rows[2]["text"] == "New phase: written by a team"
        phase = SimpleNamespace(text="New phase: safe-sleep bundle", kind="phase")
        note = SimpleNamespace(text="New phase: written by a team", kind="note")
        assert chart_marker(phase) == "Nueva fase: safe-sleep bundle"
        assert chart_marker(note) == "New phase: written by a team"


def test_a_screen_reader_hears_each_point_in_the_reader_s_language():
    """Vega-Lite describes each mark in English (its type and "field: value" pairs): in
    Spanish, each point's description is calculated from its tooltip's translated titles,
    its role is named in Spanish, and the marks and guides with only generated English
    (lines, labels, axes, legends) are kept from screen readers."""
    from coiin.charts.spec_language import DESCRIPTION
    from coiin.charts.vega import ChartMeta, spc_spec

    rows = [{"x": "2017-01-01", "y": 4.5, "cl": 5.0, "lcl": 1.0, "ucl": 9.0, "part": 1,
             "label": "2017-01", "numerator": 9, "denominator": 200, "signal": "Common cause"}]
    spec = spc_spec(rows, ChartMeta(title="IMR: p chart", unit="per 1,000", target=6.0))
    with translation.override("en"):
        assert in_language(spec) == spec  # Vega's own English descriptions
    with translation.override("es"):
        out = in_language(spec)
    assert out["description"] == "IMR: Gráfico p"
    assert out["config"]["axis"]["aria"] is False and out["config"]["legend"]["aria"] is False
    units = []

    def walk(node):
        if "mark" in node:
            units.append(node)
        for sub in node.get("layer", []):
            walk(sub)

    walk(out)
    points = [u for u in units if u["mark"]["type"] == "point"]
    assert points and all(u["encoding"]["description"] == {"field": DESCRIPTION}
                          for u in points)
    assert all(u["mark"]["ariaRoleDescription"] == "punto" for u in points)
    (calc,) = [t for t in points[0]["transform"] if t.get("as") == DESCRIPTION]
    assert '"Per\\u00edodo: "' in calc["calculate"] and '"Se\\u00f1al: "' in calc["calculate"]
    assert "Period:" not in calc["calculate"]
    lines = [u for u in units if u["mark"]["type"] == "line"]
    assert lines and all(u["mark"]["aria"] is False for u in lines)
    # Every mark a screen reader reaches has a description of its own.
    assert all(u["mark"].get("aria") is False or "description" in u["encoding"]
               for u in units)


def test_a_small_multiple_s_rows_say_their_signals_in_the_words_of_the_shared_legend():
    rows = [{"x": "2017-01-01", "y": 3.0, "signal": "Common cause"},
            {"x": "2017-02-01", "y": 9.0, "signal": "Outside the limits"}]
    with translation.override("es"):
        out = in_language(rows)
    assert [r["signal"] for r in out] == ["Causa común", "Fuera de los límites"]
    assert rows[0]["signal"] == "Common cause"  # the rows given are left alone

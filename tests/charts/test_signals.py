"""Plain signal sentences: a shift first, the rule detail on demand, and the level before a
shift never called a deterioration."""

from __future__ import annotations

import datetime as dt

from coiin.charts.signals import describe, plain_summary, suggested_split
from coiin.spc import qic

MONTHS = [dt.date(2012 + i // 12, i % 12 + 1, 1) for i in range(36)]
LABELS = [m.strftime("%b %Y") for m in MONTHS]
# 14 months around 40 %, then 22 around 60 %: a crib audit before and after a policy.
LOW = [40, 42, 38, 41, 39, 43, 40, 37, 42, 41, 39, 40, 38, 41]
HIGH = [58, 61, 60, 62, 59, 63, 60, 57, 61, 62, 60, 59, 61, 58, 60, 62, 61, 59, 60, 63, 58, 61]
N = [100] * 36


def test_one_line_across_a_shift_calls_the_baseline_the_level_before_not_worse():
    chart = qic(LOW + HIGH, N, chart="p", x=MONTHS, direction="increase", multiply=100)
    assert "deterioration" in chart.summary  # the rule detail, judged on one line
    text = plain_summary(chart, LABELS)
    assert "points in a row above the centre line from Mar 2013: a shift up (better)" in text
    assert "the level before the shift" in text
    assert "worse" not in text and "deterioration" not in text
    assert suggested_split(chart) == 14


def test_with_a_phase_each_part_is_judged_on_its_own_line():
    chart = qic(LOW + HIGH, N, chart="p", x=MONTHS, direction="increase", multiply=100,
                part=[14])
    parts = describe(chart, LABELS)
    assert [p.first_label for p in parts] == ["Jan 2012", "Mar 2013"]
    text = plain_summary(chart, LABELS, ["New safe sleep policy"])
    assert text.startswith("Before Mar 2013, only random variation")
    assert "From Mar 2013 (New safe sleep policy), only random variation" in text
    assert "worse" not in text and suggested_split(chart) is None


def test_a_late_drop_is_worse_and_the_good_early_level_is_not_an_improvement():
    chart = qic(HIGH[:14] + LOW + LOW[:8], N, chart="p", x=MONTHS, direction="increase",
                multiply=100)
    text = plain_summary(chart, LABELS)
    assert "a shift down (worse)" in text
    assert "better" not in text


def test_common_cause_reads_as_random_variation():
    chart = qic(LOW * 2 + LOW[:8], N, chart="p", x=MONTHS, direction="increase", multiply=100)
    assert plain_summary(chart, LABELS) == (
        "Only random variation: no shift and no point outside the limits.")


def test_a_phase_that_starts_with_a_long_run_shifts_after_it():
    # The baseline below, then the change building up: the run is the level before.
    chart = qic(LOW[:12] + [50, 58, 60, 61, 59], [100] * 17, chart="p",
                x=MONTHS[:17], direction="increase", multiply=100)
    text = plain_summary(chart, LABELS[:17])
    assert "12 points in a row below the centre line up to Dec 2012, higher after: a shift " \
        "up (better)" in text
    assert "worse" not in text


def _direction(chart):
    from coiin.charts.building import TeamChart, signal_direction
    from coiin.measures.models import Measure
    from coiin.network.models import Team

    return signal_direction(TeamChart(Team(), Measure(direction="up"), [], chart=chart))


def test_an_improving_chart_never_reads_as_deteriorating_from_its_baseline():
    """The demo's crib audit: a 2012–2013 baseline (one month's audit far below its own
    line), then the policy and a new phase whose first months sit higher. The baseline
    dip is among the latest six points but judged on the earlier phase's line: it says
    nothing of where the chart is now."""
    low = LOW[:-2] + [20, 41]  # a bad month near the end of the baseline
    y = low + HIGH[:3]
    chart = qic(y, N[:17], chart="p", x=MONTHS[:17], direction="increase", multiply=100,
                part=[14])
    assert chart.points[12].sigma_signal and chart.points[12].part == 1
    assert _direction(chart) == "common"  # not "deteriorating"
    # One line across the whole shift: improving, the baseline read as the level before.
    whole = qic(LOW + HIGH, N, chart="p", x=MONTHS, direction="increase", multiply=100)
    assert _direction(whole) == "improving"
    assert "deterioration" not in plain_summary(whole, LABELS)


def test_the_sentences_follow_the_reader_s_language():
    from django.utils import translation

    chart = qic(LOW + HIGH, N, chart="p", x=MONTHS, direction="increase", multiply=100,
                part=[14])
    with translation.override("es"):
        text = plain_summary(chart, LABELS, ["Nueva política"])
        shift = plain_summary(qic(LOW + HIGH, N, chart="p", x=MONTHS, direction="increase",
                                  multiply=100), LABELS)
    assert text.startswith("Antes de Mar 2013, solo variación aleatoria")
    assert "Desde Mar 2013 (Nueva política), solo variación aleatoria" in text
    assert "puntos seguidos por encima de la línea central desde Mar 2013: un desplazamiento " \
        "hacia arriba (mejor)" in shift


def test_a_chart_on_the_ihi_rules_reads_in_plain_words_in_the_reader_s_language():
    from django.utils import translation

    chart = qic(LOW + HIGH, N, chart="run", x=MONTHS, rules="ihi", direction="increase",
                multiply=100)
    with translation.override("en"):
        english = plain_summary(chart, LABELS)
    with translation.override("es"):
        spanish = plain_summary(chart, LABELS)
    assert english.startswith("Shift: 15 points below the centre line from Jan 2012 to Mar "
                              "2013. Shift: 6 points above the centre line from Apr 2013 to "
                              "Sep 2013")
    assert english.endswith("Too few runs (8; 13 to 25 expected).")
    assert "Desplazamiento: 6 puntos por encima de la línea central de Apr 2013 a Sep " \
        "2013" in spanish and "Muy pocas rachas (8; se esperaban de 13 a 25)" in spanish
    assert "Shift" not in spanish and "points" not in spanish
    steady = [41, 38, 43, 44, 39, 36, 42, 45, 40, 37, 46, 38, 41, 44, 35, 43]
    flat = qic(steady, [100] * 16, chart="run", x=MONTHS[:16], rules="ihi")
    with translation.override("es"):
        assert plain_summary(flat, LABELS) == \
            "Ningún desplazamiento, tendencia ni número inusual de rachas."
    assert plain_summary(flat, LABELS) == "No shift, trend or unusual number of runs."


def test_a_chart_without_data_or_that_cannot_be_drawn_says_so_in_the_reader_s_language():
    from django.utils import translation

    from coiin.charts.signals import cannot_draw, no_data

    assert no_data() == "No data reported yet."
    assert cannot_draw("too few points") == "This chart cannot be drawn: too few points"
    with translation.override("es"):
        assert no_data() == "Aún no se han reportado datos."
        assert cannot_draw("x", yet=True) == "Este gráfico aún no se puede trazar: x."


def test_the_engine_s_reasons_and_the_survey_note_are_in_the_reader_s_language():
    """The engine says what is wrong in English with a code and its values; the chart
    says it in the reader's language (an error without a code keeps the engine's words)."""
    import pytest
    from django.utils import translation

    from coiin.charts.said import word
    from coiin.charts.signals import cannot_draw, cannot_draw_said, survey_note
    from coiin.spc import SPCInputError
    from coiin.spc.events import event_chart

    with pytest.raises(SPCInputError) as above:
        qic([5, 50, 6], [40, 40, 40], chart="p")
    assert above.value.code == "above_n" and above.value.params["row"] == 2
    with pytest.raises(SPCInputError) as few:
        event_chart("t", [MONTHS[0], MONTHS[1]])
    stored = cannot_draw_said(above.value)
    assert cannot_draw(above.value) == word(stored) == (
        "This chart cannot be drawn: row 2: the numerator (50) is above the denominator "
        "(40); a proportion cannot exceed 1")
    with translation.override("es"):
        assert word(stored) == (
            "Este gráfico no se puede trazar: fila 2: el numerador (50) es mayor que el "
            "denominador (40); una proporción no puede ser mayor que 1")
        assert cannot_draw(few.value, yet=True) == (
            "Este gráfico aún no se puede trazar: se necesitan al menos dos intervalos "
            "entre eventos.")
        assert cannot_draw(SPCInputError("odd")).endswith(": odd")
        with pytest.raises(SPCInputError) as short:
            qic(LOW, chart="i", rules="mdc", freeze=3)
        assert cannot_draw(short.value).endswith(
            "reglas NHS Making Data Count necesita al menos 12 puntos")
        note = survey_note("PRAMS (Pregnancy Risk Assessment Monitoring System)")
    assert note.startswith("Las cifras de PRAMS son estimaciones ponderadas")
    assert note.endswith("intervalo de confianza del 95 %.")
    assert survey_note("PRAMS").endswith("its 95 % confidence interval.")


def test_the_rule_detail_is_the_engine_s_summary_in_the_reader_s_language():
    """The engine words its summary in English from phrases; the chart says the same
    phrases in the reader's language (and in English, exactly the engine's words)."""
    from django.utils import translation

    from coiin.charts.spc_words import rule_detail

    charts = [qic(LOW + HIGH, N, chart="p", x=MONTHS, direction="increase", multiply=100),
              qic(LOW + HIGH, N, chart="p", x=MONTHS, direction="increase", multiply=100,
                  part=[14]),
              qic(LOW + HIGH, N, chart="i", rules="mdc", direction="increase", target=50),
              qic(LOW + HIGH, N, chart="run", x=MONTHS, rules="ihi")]
    for chart in charts:
        with translation.override("en"):
            assert rule_detail(chart) == chart.summary
    with translation.override("es"):
        shift = rule_detail(charts[0])
        parts = rule_detail(charts[1])
        mdc = rule_detail(charts[2])
        ihi = rule_detail(charts[3])
    assert shift.startswith("Desplazamiento hacia arriba (mejora): 22 puntos por encima de la "
                            "línea central desde 2013-03")
    assert parts.startswith("Parte 1 (desde 2012-01): ") and "Parte 2 (desde 2013-03)" in parts
    assert "punto 15" in mdc and "causa especial: mejora" in mdc and "la meta 50" in mdc
    assert "Desplazamiento: 15 puntos por debajo de la línea central" in ihi
    for text in (shift, parts, mdc, ihi):
        assert "points" not in text and "shift" not in text.lower().replace("desplaz", "")

"""A change idea's estimated effect read in the reader's language: the estimator gives its
reasons as codes with their values, stored as such, and worded when read; an estimate
stored with English words only still shows."""

from __future__ import annotations

import dataclasses
import json

from django.utils import translation

from coiin.improvement import effects
from coiin.improvement.models import ChangeIdea
from coiin.measures.models import Measure
from coiin.stats import whatworks as ww


def _effect(est: ww.Estimate) -> effects.Effect:
    idea = ChangeIdea(title="Auditorías de cunas")
    measure = Measure(code="SS-CRIB", name="Cunas seguras", type=Measure.Type.RATIO,
                      multiplier=100)
    return effects.Effect(idea, measure, True, est)


def _few_adopters() -> ww.Estimate:
    why = ww.Reason("few_adopters", {"adopters": 2, "need": 3, "no_baseline": 1,
                                     "min_pre": 3, "skip": 3, "late": 0, "before": 0})
    return ww.Estimate(None, None, None, None, None, 2, 5, None, ww.Verdict.NOT_ENOUGH_DATA,
                       ww.english([why]), None, (), reasons=(why,))


def test_not_enough_data_reads_in_spanish_with_its_reasons():
    e = _effect(_few_adopters())
    with translation.override("es"):
        said = e.sentence
    assert said == ("Auditorías de cunas: no hay suficientes datos para estimar su efecto en "
                    "cunas seguras. No hay suficientes equipos que adoptaron la idea: se "
                    "pueden comparar 2 equipos que la adoptaron; se necesitan 3; 1 la "
                    "adoptaron con menos de 3 períodos informados antes de los 3 períodos "
                    "justo anteriores a la adopción.")
    with translation.override("en"):
        assert e.sentence == ("Auditorías de cunas: not enough data to estimate its effect on "
                              "cunas seguras. Not enough adopting teams: 2 adopting teams can "
                              "be compared; 3 are needed; 1 adopted with fewer than 3 periods "
                              "reported before the 3 periods just before adoption.")


def test_every_reason_the_estimator_gives_is_worded_in_spanish():
    values = {"most": 2, "need": 3, "with_baseline": 4, "adopters": 2, "no_baseline": 1,
              "min_pre": 3, "skip": 3, "late": 1, "before": 1, "spans_compared": 1,
              "spans": 3, "span": 3, "first": -12, "last": -4, "p": 0.012,
              "estimate": 0.05, "level": 0.95, "ci_low": 0.01, "ci_high": 0.09,
              "comparison": 20, "tests": 12, "q_value": 0.06, "q": 0.05}
    for code in ww.CODES:
        est = dataclasses.replace(_few_adopters(), reasons=(ww.Reason(code, values),))
        with translation.override("es"):
            spanish = effects.effect_words.reasons(est)
        with translation.override("en"):
            english = effects.effect_words.reasons(est)
        assert english == ww.english(est.reasons), code
        assert spanish and spanish != english, code


def test_the_estimate_is_stored_as_facts_and_worded_when_read():
    est = _few_adopters()
    stored = json.loads(json.dumps(effects._dump(est)))  # as the JSON field keeps it
    assert "reason" not in stored
    assert stored["reasons"] == [{"code": "few_adopters", "values": dict(est.reasons[0].values)}]
    again = effects._load(stored)
    assert again.reasons == est.reasons and again.reason == est.reason


def test_an_estimate_stored_with_english_words_only_still_shows():
    old = effects._dump(_few_adopters())
    del old["reasons"]
    old["reason"] = "Not enough adopting teams: 2 adopting teams can be compared."
    est = effects._load(old)
    assert est.verdict is ww.Verdict.NOT_ENOUGH_DATA and est.reasons == ()
    with translation.override("en"):
        assert _effect(est).sentence.endswith(
            "cunas seguras. Not enough adopting teams: 2 adopting teams can be compared.")
    with translation.override("es"):
        # The English words are left out; the sentence says what the verdict means.
        assert _effect(est).sentence == ("Auditorías de cunas: no hay suficientes datos "
                                         "para estimar su efecto en cunas seguras.")


def test_an_improvement_reads_in_spanish():
    est = ww.Estimate(0.081, 0.04, 0.12, 0.02, 0.001, 12, 20, 0.6, ww.Verdict.IMPROVEMENT,
                      "", True, (), reasons=())
    e = _effect(est)
    with translation.override("es"):
        assert e.sentence == ("Los equipos que adoptaron Auditorías de cunas mejoraron su "
                              "cunas seguras 8.1 puntos porcentuales más que los equipos que "
                              "aún no la habían adoptado (IC 95 % 4.0 a 12.0; 12 equipos que "
                              "la adoptaron, 20 de comparación).")
        assert e.sustained_words.startswith("Sostenida: ")
        assert e.shown_ci == "4.0 a 12.0"


def test_on_a_page_a_title_shown_for_want_of_spanish_is_marked_english():
    est = _few_adopters()
    e = _effect(est)
    e.idea = ChangeIdea(title_en="Crib audits <night>")
    e.measure = Measure(code="SS-CRIB", name_en="Safe cribs", name_es="Cunas seguras",
                        type=Measure.Type.RATIO, multiplier=100)
    with translation.override("es"):
        html = e.sentence_html
    assert html.startswith('<span lang="en">Crib audits &lt;night&gt;</span>: no hay '
                           "suficientes datos para estimar su efecto en cunas seguras. ")
    with translation.override("en"):
        assert e.sentence_html.startswith("Crib audits &lt;night&gt;: not enough data to "
                                          "estimate its effect on safe cribs. ")

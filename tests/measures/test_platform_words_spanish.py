"""Words the platform writes itself on the data pages (the entry page's spark line, the
workflow history, a goal's description) in the reader's language: Spanish for a Spanish
reader, English unchanged for everyone else."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone, translation

from coiin.measures import services
from coiin.measures.entry import Spark
from coiin.measures.models import Submission, SubmissionEvent
from coiin.measures.periods import Frequency, Period


@pytest.fixture
def period(settings):
    """Last month: open for entry today."""
    settings.REPORTING_GRACE_DAYS = 60
    return Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()


def test_the_spark_lines_label_reads_in_the_readers_language():
    plain = Spark.of([2.0, 4.5], 3.0)
    charted = Spark("", 0, 10, 5, False, 2, 4.5, 1.25, 8, lower="0,1", upper="0,2")
    assert plain is not None
    with translation.override("en"):
        assert plain.label == "Earlier results from 2 to 4.5"
        assert charted.label == ("Earlier results from 2 to 4.5; "
                                 "the chart's latest limits 1.25 to 8")
    with translation.override("es"):
        assert plain.label == "Resultados anteriores de 2 a 4.5"
        assert charted.label == ("Resultados anteriores de 2 a 4.5; "
                                 "los límites más recientes del gráfico, de 1.25 a 8")


def test_a_workflow_steps_action_and_statuses_read_in_the_readers_language():
    step = SubmissionEvent(action="submitted", from_status="draft", to_status="submitted")
    kept = SubmissionEvent(action="exception", from_status="draft", to_status="draft")
    with translation.override("en"):
        assert step.labels == ("submitted", "Draft", "Submitted")
        assert kept.labels[0] == "kept open"
    with translation.override("es"):
        assert step.labels == ("enviado", "Borrador", "Enviado")
        assert kept.labels[0] == "mantenido abierto"


def test_the_history_and_entry_pages_name_the_steps_in_spanish(client, data_lead, team,
                                                                 chosen, period):
    submission = services.submission_for(team, period)
    SubmissionEvent.objects.create(submission=submission, by=data_lead, action="submitted",
                                   from_status="draft", to_status="submitted")
    Submission.objects.filter(pk=submission.pk).update(status="submitted")
    client.force_login(data_lead)
    url = f"/networks/safe-sleep/ga/data/{period.label}/"
    english = client.get(url + "history/").content.decode()
    assert "<strong>Submitted</strong> (Draft → Submitted)" in english
    data_lead.language = "es"
    data_lead.save(update_fields=["language"])
    history = client.get(url + "history/").content.decode()
    assert "<strong>Enviado</strong> (Borrador → Enviado)" in history
    assert "(draft → submitted)" not in history
    entry = client.get(url).content.decode()
    assert "<strong>Enviado</strong>" in entry and "<strong>Submitted</strong>" not in entry


def test_a_goals_description_reads_in_the_readers_language(client, lead, team, chosen,
                                                             catalog):
    client.force_login(lead)
    client.post("/networks/safe-sleep/ga/data/goals/", {
        "measure": catalog["SS-CRIB"].pk, "kind": "relative", "value": "10",
        "baseline_start": "2014-07-01", "baseline_end": "2015-06-30"})
    goal = team.goals.get()
    with translation.override("en"):
        assert goal.describe() == "≥10 % relative improvement over baseline"
    with translation.override("es"):
        assert goal.describe() == "≥10 % de mejora relativa sobre la línea de base"
        goal.kind, goal.value = goal.Kind.ABSOLUTE, Decimal("80")
        assert goal.describe().startswith("alcanzar 80")
    lead.language = "es"
    lead.save(update_fields=["language"])
    page = client.get("/networks/safe-sleep/ga/data/").content.decode()
    assert "≥10 % de mejora relativa sobre la línea de base" in page

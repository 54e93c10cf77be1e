"""The texts the models give people (choice labels, names of things, units) in the reader's
language: the labels are marked in the models themselves, so a page shows
``get_..._display`` as it is, with no table of labels in the templates."""

from __future__ import annotations

from django.utils import translation

from coiin.measures.models import Measure
from coiin.storyboards.models import Storyboard
from coiin.vitals.models import Item, SourceKind, Status, VitalFigure


def _both(make):
    with translation.override("en"):
        english = str(make())
    with translation.override("es"):
        spanish = str(make())
    return english, spanish


def test_vital_statistics_items_statuses_and_sources_read_in_spanish():
    entry = VitalFigure(item=Item.INFANT_DEATHS, status=Status.PROVISIONAL,
                        source_kind=SourceKind.OFFICE)
    assert _both(entry.get_item_display) == ("Infant deaths (under 1 year)",
                                             "Muertes infantiles (menores de 1 año)")
    assert _both(entry.get_status_display) == ("Provisional", "Provisional")
    assert _both(lambda: Status.FINAL.label) == ("Final", "Final")
    assert _both(entry.get_source_kind_display) == (
        "Jurisdiction vital records office (entered)",
        "Oficina de estadísticas vitales de la jurisdicción (ingresado)")


def test_storyboard_statuses_read_in_spanish():
    board = Storyboard(status=Storyboard.Status.DRAFT)
    assert _both(board.get_status_display) == ("Draft", "Borrador")
    board.status = Storyboard.Status.PUBLISHED
    assert _both(board.get_status_display) == ("Published", "Publicado")
    board.status = Storyboard.Status.CHANGES_REQUESTED
    assert _both(board.get_status_display) == ("Changes requested", "Cambios solicitados")


def test_a_measure_s_frequency_reads_in_spanish():
    measure = Measure(frequency="half_yearly")
    assert _both(measure.get_frequency_display) == ("Half-yearly", "Semestral")
    measure.frequency = "quarterly"
    assert _both(measure.get_frequency_display) == ("Quarterly", "Trimestral")

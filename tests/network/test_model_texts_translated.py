"""The texts the models give people (choice labels, the names of things) in the reader's
language: the labels are marked in the models themselves, so a page shows
``get_..._display`` as it is, with no table of labels in the templates."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise

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


def test_the_names_of_things_read_in_spanish_in_the_admin_and_in_errors():
    from django.apps import apps

    assert _both(lambda: Measure._meta.verbose_name) == ("measure", "medida")
    assert _both(lambda: Measure._meta.verbose_name_plural) == ("measures", "medidas")
    assert _both(lambda: Storyboard._meta.verbose_name_plural) == ("storyboards", "storyboards")
    assert _both(lambda: VitalFigure._meta.verbose_name) == ("vital figure", "cifra vital")
    assert _both(lambda: apps.get_app_config("measures").verbose_name) == (
        "Measures and data reporting", "Medidas y reporte de datos")
    named = [m for m in apps.get_models() if m.__module__.startswith("coiin.")
             and not m.__module__.startswith("coiin.network.")
             and not m.__name__.startswith("Historical")]
    assert len(named) >= 60
    with translation.override("es"):
        left = [m.__name__ for m in named if not isinstance(
            m._meta.original_attrs.get("verbose_name"), Promise)]
    assert not left, f"models without a translated name: {left}"


@pytest.mark.django_db
def test_a_repeated_measure_code_is_refused_in_the_reader_s_language(catalog):
    imr = Measure.objects.get(code="IMR")
    twin = Measure(code=imr.code, name="Twin", level=imr.level, type=imr.type,
                   data_source="x")
    for language, said in (("es", "Ya existe Medida con este Código."),
                           ("en", "Measure with this Code already exists.")):
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                twin.validate_unique()
            assert refused.value.message_dict["code"] == [said]  # made as it is read

"""The measure catalog's texts in each language (django-modeltranslation): ``name_en`` and
``name_es`` beside ``name``, and so on; reading ``measure.name`` gives the reader's language,
else English; the unit ("per 1,000 live births") too. The definition's history keeps every
language's text too."""

from modeltranslation.translator import TranslationOptions, translator

from .models import Measure

TRANSLATED = ("name", "numerator_definition", "denominator_definition", "unit")


class MeasureTranslation(TranslationOptions):
    fields = TRANSLATED


translator.register(Measure, MeasureTranslation)
# Each saved version copies every column of the measure, the per-language ones included.
translator.register(Measure.history.model, MeasureTranslation)  # type: ignore[attr-defined]

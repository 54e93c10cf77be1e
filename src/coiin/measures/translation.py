"""The measure catalog's texts in each language (django-modeltranslation): ``name_en`` and
``name_es`` beside ``name``, and so on; reading ``measure.name`` gives the reader's language,
else English; the unit ("per 1,000 live births"), the data source, the target's source and
the definition's source too. The definition's history keeps every language's text too. A
stratum's label ("Non-Hispanic Black") likewise."""

from modeltranslation.translator import TranslationOptions, translator

from .models import Measure, Stratum

TRANSLATED = ("name", "numerator_definition", "denominator_definition", "unit", "data_source",
              "target_source", "source")


class MeasureTranslation(TranslationOptions):
    fields = TRANSLATED


class StratumTranslation(TranslationOptions):
    fields = ("label",)


translator.register(Measure, MeasureTranslation)
# Each saved version copies every column of the measure, the per-language ones included.
translator.register(Measure.history.model, MeasureTranslation)  # type: ignore[attr-defined]
translator.register(Stratum, StratumTranslation)

"""The network's own texts in each language (django-modeltranslation): ``name_en`` and
``name_es`` beside ``name``, and so on, for the cohorts and the learning networks; reading
``network.name`` gives the reader's language, else English (the pages mark that with the
``|translated`` filter). Jurisdictions keep their own names in every language."""

from modeltranslation.translator import TranslationOptions, register

from .models import Cohort, LearningNetwork

COHORT_TEXTS = ("name", "description")
NETWORK_TEXTS = ("name", "short_name", "aim", "description")


@register(Cohort)
class CohortTranslation(TranslationOptions):
    fields = COHORT_TEXTS


@register(LearningNetwork)
class LearningNetworkTranslation(TranslationOptions):
    fields = NETWORK_TEXTS

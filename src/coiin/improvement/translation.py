"""The change packages' texts in each language (django-modeltranslation): ``title_en`` and
``title_es`` beside ``title``, and so on; reading ``idea.title`` gives the reader's language,
else English."""

from modeltranslation.translator import TranslationOptions, register

from .models import ChangeIdea

TRANSLATED = ("title", "description", "evidence")


@register(ChangeIdea)
class ChangeIdeaTranslation(TranslationOptions):
    fields = TRANSLATED

"""The change package in Spanish: an idea's Spanish title where it has one, else its English
text marked as English; the demo's ideas carry their Spanish titles."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.utils import translation

from coiin.demo.content import PACKAGES, spanish_titles
from coiin.improvement import services
from coiin.improvement.models import ChangeIdea

pytestmark = pytest.mark.django_db

SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-PR,es;q=0.9"}
PACKAGE = "/networks/safe-sleep/improvement/change-package/"


def test_every_demo_idea_has_a_spanish_title():
    titles = spanish_titles()
    wanted = {(slug, idea.key) for slug, pkg in PACKAGES.items() for idea in pkg.ideas}
    assert set(titles) == wanted
    assert all(len(title) <= ChangeIdea._meta.get_field("title_es").max_length
               for title in titles.values())


def test_the_change_package_in_spanish_marks_what_is_still_english(client, idea, other_idea):
    ChangeIdea.objects.filter(pk=idea.pk).update(
        title_es="Auditorías de cunas en los hospitales de parto")
    page = client.get(PACKAGE, **SPANISH_BROWSER)
    html = page.content.decode()
    assert ">Auditorías de cunas en los hospitales de parto</a>" in html
    # No Spanish description yet: the English one, marked.
    assert ('<p><span lang="en">Audit infant sleep environments on the newborn unit every '
            'month.</span> <span class="muted small untranslated">') in html

    detail = client.get(f"{PACKAGE}{idea.pk}/", **SPANISH_BROWSER)
    assert "<h1>Auditorías de cunas en los hospitales de parto</h1>" in detail.content.decode()

    english = client.get(PACKAGE).content.decode()
    assert ">Crib audits in birthing hospitals</a>" in english
    assert "untranslated" not in english


def test_an_idea_written_in_english_keeps_its_english_columns(idea):
    idea.refresh_from_db()
    assert idea.title_en == "Crib audits in birthing hospitals" and idea.title_es is None


def test_an_edit_in_spanish_writes_spanish_and_leaves_english_alone(idea):
    network = idea.learning_network
    english = {"title": idea.title, "description": idea.description, "evidence": idea.evidence}
    with translation.override("es"):
        # Sent back as the form showed it (English, no Spanish yet): still untranslated.
        services.save_change_idea(network=network, idea=idea, **english)
        idea.refresh_from_db()
        assert (idea.title_es, idea.description_es, idea.evidence_es) == (None, None, None)
        services.save_change_idea(network=network, idea=idea, **english | {
            "title": "Auditorías de cunas en los hospitales de parto"})
    idea.refresh_from_db()
    assert idea.title_es == "Auditorías de cunas en los hospitales de parto"
    assert idea.title_en == "Crib audits in birthing hospitals" and idea.description_es is None
    with translation.override("en"):
        assert ChangeIdea.objects.get(pk=idea.pk).title == "Crib audits in birthing hospitals"


def _edit_form(client, idea) -> dict[str, str]:
    """The edit form's fields as a browser sends them back: a textarea's line breaks as
    CR LF, each text as the form showed it."""
    page = client.get(f"{PACKAGE}{idea.pk}/edit/", **SPANISH_BROWSER).content.decode()
    out = {}
    for name in ("title", "description", "evidence", "resources"):
        found = (re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
                 or re.search(rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', page,
                              re.S))
        out[name] = unescape(found.group(1)).replace("\r\n", "\n").replace("\n", "\r\n") \
            if found else ""
    return out


def test_saving_the_edit_form_in_spanish_keeps_a_shown_fallback_untranslated(client, idea,
                                                                             backbone):
    ChangeIdea.objects.filter(pk=idea.pk).update(
        description_en="Audit infant sleep environments.\n\nEvery month, on the newborn unit.")
    idea.refresh_from_db()
    client.force_login(backbone)
    sent = _edit_form(client, idea)
    assert sent["description"].startswith("Audit infant sleep environments.\r\n")
    saved = client.post(f"{PACKAGE}{idea.pk}/edit/", sent, **SPANISH_BROWSER)
    assert saved.status_code == 302
    idea.refresh_from_db()
    assert (idea.title_es, idea.description_es, idea.evidence_es) == (None, None, None)
    page = client.get(f"{PACKAGE}{idea.pk}/", **SPANISH_BROWSER).content.decode()
    assert '<span lang="en">Crib audits in birthing hospitals</span>' in page \
        or '<h1 lang="en">Crib audits in birthing hospitals' in page

    # A real Spanish edit goes to the Spanish column, the English one untouched.
    sent["description"] = "Auditar el entorno de sueño\r\ncada mes."
    client.post(f"{PACKAGE}{idea.pk}/edit/", sent, **SPANISH_BROWSER)
    idea.refresh_from_db()
    assert idea.description_es == "Auditar el entorno de sueño\ncada mes."
    assert idea.description_en.startswith("Audit infant sleep environments.\n\nEvery")
    assert (idea.title_es, idea.evidence_es) == (None, None)

"""A moderator's move of a post between spaces is recorded as facts (the two spaces) and
worded when read, in the reader's language; a team space's name reads in the reader's
language wherever its team is at hand (the post page's log, the digest)."""

from __future__ import annotations

import pytest
from django.utils import translation

from coiin.community import services
from coiin.community.models import ModerationAction, Space
from tests.community.conftest import post_in


def speaks(person, language: str):
    person.language = language
    person.save(update_fields=["language"])
    return person


@pytest.fixture
def moved(lead, faculty, team_space, network_space):
    post = post_in(team_space, lead)
    services.moderate(post=post, action="move", by=faculty, reason="Of wider interest",
                      to_space=network_space)
    return post


def test_the_record_keeps_the_spaces_not_words(moved, team_space, network_space):
    row = ModerationAction.objects.get()
    assert (row.from_space, row.to_space, row.detail) == (team_space, network_space, "")


def test_the_move_reads_in_the_reader_s_language(moved):
    row = ModerationAction.objects.select_related(*ModerationAction.SPACES).get()
    with translation.override("es"):
        assert row.shown() == "de Equipo Sueño seguro de Georgia a SMSL/SUID y sueño seguro"
    with translation.override("en"):
        assert row.shown() == "from Georgia Safe Sleep team to SIDS/SUID and Safe Sleep"


def test_the_post_page_s_log_in_spanish(client, moved, faculty):
    client.force_login(speaks(faculty, "es"))
    page = client.get(moved.get_absolute_url()).content.decode()
    log = page.split('<h3>Registro</h3>')[1].split("</ol>")[0]
    assert "(de Equipo Sueño seguro de Georgia a SMSL/SUID y sueño seguro)" in log
    assert " team" not in log and "Safe Sleep" not in log


def test_a_deleted_space_and_an_older_record_still_read(moved, team_space, faculty):
    ModerationAction.objects.update(from_space=None)
    with translation.override("es"):
        row = ModerationAction.objects.select_related(*ModerationAction.SPACES).get()
        assert row.shown() == "de un espacio ya eliminado a SMSL/SUID y sueño seguro"
    ModerationAction.objects.update(detail="from A to B")
    assert ModerationAction.objects.get().shown() == "from A to B"


def test_a_team_space_s_name_reads_in_spanish_unless_it_was_renamed(team_space):
    with translation.override("es"):
        plain = Space.objects.get(pk=team_space.pk)
        assert plain.name == "Georgia Safe Sleep team"  # stored as made, in English
        assert plain.display_name == "Equipo Sueño seguro de Georgia"  # its team looked up
        named = Space.objects.select_related("team__jurisdiction",
                                             "team__learning_network").get(pk=team_space.pk)
        assert named.display_name == "Equipo Sueño seguro de Georgia"
        named.name = "Georgia's own room"
        assert named.display_name == "Georgia's own room"


def test_older_moves_recorded_in_words_keep_their_spaces_after_the_migration(
        lead, faculty, team_space, network_space):
    from importlib import import_module

    from django.apps import apps

    step = import_module("coiin.community.migrations.0008_moves_keep_their_spaces")
    post = post_in(team_space, lead)
    older = ModerationAction.objects.create(
        post=post, action="move", actor=faculty, reason="Of wider interest",
        detail=f"from {team_space.name} to {network_space.name}")
    unknown = ModerationAction.objects.create(post=post, action="move", actor=faculty,
                                              reason="x", detail="from Nowhere to Elsewhere")
    step.spaces_from_words(apps, None)
    older.refresh_from_db()
    unknown.refresh_from_db()
    assert (older.from_space, older.to_space, older.detail) == (team_space, network_space, "")
    assert (unknown.from_space, unknown.detail) == (None, "from Nowhere to Elsewhere")

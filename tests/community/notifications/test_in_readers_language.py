"""Every community notification is worded in its reader's language (their profile's;
English where they chose none): the inbox item, the e-mail sent at once and the digest.
Two people told about the same thing each read it in their own language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coiin.community import services
from coiin.community.events import services as events
from coiin.community.notifications import services as notifications
from coiin.community.notifications.models import Notification
from coiin.community.ta import services as ta
from coiin.network import services as network_services
from coiin.network.models import FacultyAssignment, TeamMembership
from tests.community.conftest import post_in
from tests.conftest import make_user


def speaks(person, language: str):
    person.language = language
    person.save(update_fields=["language"])
    return person


def texts(person, kind: str) -> list[str]:
    return list(Notification.objects.filter(user=person, kind=kind)
                .order_by("pk").values_list("text", flat=True))


def mail_to(person):
    [message] = [m for m in mail.outbox if m.to == [person.email]]
    return message


class TestMentions:
    def test_one_post_mentions_a_spanish_and_an_english_reader(
            self, lead, member, faculty, team_space, django_capture_on_commit_callbacks):
        speaks(faculty, "es")
        with django_capture_on_commit_callbacks(execute=True):
            post_in(team_space, lead, title="Auditorías nocturnas",
                    body="@fay.faculty and @max.member, what do you think?")
        assert texts(faculty, "mention") == [
            "Lena Lead le mencionó en la publicación “Auditorías nocturnas”"]
        assert texts(member, "mention") == [
            "Lena Lead mentioned you in the post “Auditorías nocturnas”"]
        spanish, english = mail_to(faculty), mail_to(member)
        assert spanish.subject == ("CoIIN: Lena Lead le mencionó en la publicación "
                                   "“Auditorías nocturnas”")
        assert "Hola, Fay Faculty:" in spanish.body
        assert "le mencionó en la publicación" in spanish.body
        assert "mentioned you" not in spanish.body and "Hello" not in spanish.body
        assert english.subject == ("CoIIN: Lena Lead mentioned you in the post "
                                   "“Auditorías nocturnas”")
        assert "Hello Max Member," in english.body and "mentioned you in the post" in english.body
        assert "mencionó" not in english.body

    def test_a_mention_in_a_comment_and_a_reply_to_a_spanish_author(
            self, lead, member, faculty, team_space, django_capture_on_commit_callbacks):
        speaks(member, "es")
        post = post_in(team_space, member, title="Sacos de dormir")
        with django_capture_on_commit_callbacks(execute=True):
            services.add_comment(post=post, author=lead, body="Good idea, @fay.faculty?")
        assert texts(member, "reply") == [
            "Lena Lead respondió a su publicación “Sacos de dormir”"]
        assert texts(faculty, "mention") == [
            "Lena Lead mentioned you in a comment on “Sacos de dormir”"]
        speaks(faculty, "es")
        services.add_comment(post=post, author=lead, body="And now, @fay.faculty?")
        assert texts(faculty, "mention")[-1] == (
            "Lena Lead le mencionó en un comentario sobre “Sacos de dormir”")

    def test_an_answer_is_told_in_each_readers_language(self, lead, member, faculty,
                                                        team_space):
        speaks(lead, "es")
        question = post_in(team_space, lead, title="¿Qué auditar?", kind="question")
        answer = services.add_comment(post=question, author=member, body="Cribs.")
        services.mark_answered(post=question, comment=answer, by=faculty)
        assert texts(lead, "answer") == ["Su pregunta “¿Qué auditar?” ya tiene respuesta"]
        assert texts(member, "answer") == [
            "Your comment was marked as the answer to “¿Qué auditar?”"]


class TestOtherKinds:
    def test_a_report_reaches_each_moderator_in_their_language(self, lead, faculty, team,
                                                              network_space):
        other = make_user("ola.other@example.org")
        FacultyAssignment.objects.create(learning_network=team.learning_network, user=other)
        speaks(faculty, "es")
        post = post_in(network_space, lead, title="Spam")
        services.report(post=post, by=lead, reason="Off topic")
        [spanish] = texts(faculty, "report")
        assert spanish.startswith("Se denunció una publicación en ") and "“Spam”" in spanish
        assert texts(other, "report")[0].startswith("A post was reported in ")

    def test_technical_assistance_follows_each_reader(self, team, lead, faculty,
                                                      django_capture_on_commit_callbacks):
        speaks(faculty, "es")
        with django_capture_on_commit_callbacks(execute=True):
            request = ta.open_request(team=team, by=lead, topic="Línea de base",
                                      description="¿Cuál usamos?")
        [note] = texts(faculty, "ta")
        assert note.startswith("Nueva solicitud de asistencia técnica de ")
        assert note.endswith(": Línea de base")
        assert mail_to(faculty).subject.startswith("CoIIN: Nueva solicitud")
        ta.reply(request=request, by=faculty, body="Use the first 12 months.")
        assert texts(lead, "ta") == ["New reply on your TA request: Línea de base"]
        ta.set_status(request=request, by=faculty, status="resolved")
        assert texts(lead, "ta")[-1] == "Your TA request is now “Resolved”: Línea de base"
        speaks(lead, "es")
        ta.set_status(request=request, by=faculty, status="waiting")
        assert texts(lead, "ta")[-1].startswith(
            "Su solicitud de asistencia técnica está ahora en el estado “")

    def test_a_cancelled_event_is_told_in_each_readers_language(self, team, faculty, lead,
                                                               member):
        start = timezone.now() + dt.timedelta(days=10)
        detail = events.schedule_event(
            network=team.learning_network, by=faculty, format="webinar",
            title="Webinar", starts_at=start, ends_at=start + dt.timedelta(hours=1))
        speaks(lead, "es")
        events.rsvp(detail=detail, user=lead, answer="going")
        events.rsvp(detail=detail, user=member, answer="maybe")
        events.cancel_event(detail=detail, by=faculty)
        assert texts(lead, "event") == ["“Webinar” se canceló"]
        assert texts(member, "event") == ["“Webinar” is cancelled"]

    def test_the_digest_names_the_kinds_of_post_and_the_spaces_in_the_readers_language(
            self, lead, member, team_space, wide, mailoutbox,
            django_capture_on_commit_callbacks):
        speaks(member, "es")
        now = timezone.now()
        post_in(team_space, lead, title="Ideas para el otoño", kind="question")
        post_in(wide, lead, title="Bienvenida", kind="win")
        with django_capture_on_commit_callbacks(execute=True):
            notifications.send_digests(now=now + dt.timedelta(minutes=1), log=lambda _: None)
        digest = mail_to(member)
        assert "- Pregunta: Ideas para el otoño (Lena Lead) [Equipo Sueño seguro de Georgia]" \
            in digest.body
        assert "Question:" not in digest.body and " team]" not in digest.body
        assert "- Logro: Bienvenida (Lena Lead) [Toda la red]" in digest.body


class TestCost:
    @pytest.mark.parametrize("count", [1, 4])
    def test_telling_many_people_costs_as_many_queries_as_telling_one(
            self, lead, team, team_space, count, django_capture_on_commit_callbacks):
        people = []
        for i in range(count):
            person = make_user(f"reader{i}.many@example.org", language="es" if i % 2 else "")
            network_services.add_member(team=team, user=person,
                                        role=TeamMembership.Role.MEMBER)
            people.append(person)
        people = list(type(lead).objects.filter(pk__in=[p.pk for p in people]))
        post = post_in(team_space, lead, title="Hello")
        ContentType.objects.get_for_model(post)  # cached from here on, as in a running site
        with CaptureQueriesContext(connection) as queries:
            notifications.notify_mentions(post=post, people=people, by=lead)
        # One insert and one read of the e-mail preferences (the languages come with the
        # people), whatever their number.
        assert len(queries) == 2, [q["sql"] for q in queries]
        assert len(Notification.objects.filter(kind="mention")) == count


def test_the_inbox_of_a_spanish_reader_reads_in_spanish(client, lead, faculty, team_space):
    speaks(faculty, "es")
    post_in(team_space, lead, title="Auditorías", body="@fay.faculty?")
    Notification.objects.update(created_at=dt.datetime(2026, 12, 4, 17, 38, tzinfo=dt.UTC))
    client.force_login(faculty)
    page = client.get("/community/inbox/").content.decode()
    assert "Lena Lead le mencionó en la publicación “Auditorías”" in page
    assert "4 Dic 2026, " in page and "Dec 4" not in page and "Dic 4" not in page

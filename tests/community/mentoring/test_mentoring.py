"""Peer mentoring: bright spots checked by hand on small series, suggestions, the request
→ accept/decline → meetings flow, access per persona and the what-works hook.

Crib audits of 50 infants a month, 24 months (p chart, Anhøj run limit for 24 useful
points: round(log2(24)) + 3 = 8):

* GA holds: 12 months at ~60 %, then 12 at ~84 %. The centre line is ~72 %; the last 12
  points are all above it: a run of 12 > 8 and >= 6 -- a bright spot.
* TX too short: 21 months at ~60 %, then 3 at 90 % (beyond the upper limit: an
  improvement signal), but the run above the line is only 3 long -- not a bright spot.
* MS wrong way: 12 months at ~84 %, then 12 at ~60 %: a run of 12 below the line; the
  measure wants up, so this is deterioration -- not a bright spot, and MS is a team
  without improvement that is offered GA as a mentor.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from coiin.charts import building as charting
from coiin.community.mentoring import services as mentoring
from coiin.community.mentoring.models import MentorPairing
from coiin.community.notifications.models import Notification
from coiin.demo.network import load_reference
from coiin.improvement import services as improvement
from coiin.measures import services as reporting
from coiin.measures.catalog import load_catalog
from coiin.measures.periods import Period
from coiin.measures.validation import Entry
from coiin.network import services as network_services
from coiin.network.models import TeamMembership
from tests.conftest import make_user, shared_rows

pytestmark = pytest.mark.xdist_group("mentoring")

LOW = [30, 32, 29, 31, 30, 28, 33, 30, 31, 29, 30, 32]
HIGH = [42, 41, 43, 42, 41, 42, 44, 41, 42, 43, 42, 41]
SERIES = {
    "GA": LOW + HIGH,
    "TX": LOW + LOW[:9] + [45, 46, 45],
    "MS": HIGH + LOW,
}


def report(team, measure, user, values):
    period = Period.parse("2015-01")
    for num in values:
        sub = reporting.submission_for(team, period)
        day = period.end + dt.timedelta(days=3)
        reporting.save_values(submission=sub, user=user, expected_version=sub.version,
                              entries=[Entry(measure, period.label, numerator=str(num),
                                             denominator="50", confirm="ok")], today=day)
        reporting.submit(submission=sub, user=user, today=day)
        period = period.next()


def save_idea(networks):
    return improvement.save_change_idea(
        network=networks["safe-sleep"], title="Crib audits in birthing hospitals",
        description="Audit every month.", evidence="AAP 2016.")


def report_teams(jurisdictions, networks, team, crib, data_lead, idea) -> dict:
    """GA (the shared personas' team), TX and MS on the crib audit; GA adopted the idea in
    November 2015, before its run began in January 2016."""
    out = {"GA": team}
    for code in ("TX", "MS"):
        out[code] = network_services.join_network(jurisdiction=jurisdictions[code],
                                                  learning_network=networks["safe-sleep"])
    for code, t in out.items():
        reporting.choose_measures(team=t, measures=[crib])
        network_services.add_member(team=t, user=data_lead, role="data_lead")
        report(t, crib, data_lead, SERIES[code])
    improvement.set_status(team=team, change_idea=idea, status="testing",
                           on=dt.date(2015, 11, 2), user=data_lead)
    return out


def load_teams() -> SimpleNamespace:
    """report_teams() on the shared fixtures made as tests/conftest.py makes them
    (reference, catalog, team, data_lead) and the idea."""
    jurisdictions, networks = load_reference()
    catalog = load_catalog()
    team = network_services.join_network(jurisdiction=jurisdictions["GA"],
                                         learning_network=networks["safe-sleep"])
    data_lead = make_user("dara.data@example.org")
    network_services.add_member(team=team, user=data_lead, role=TeamMembership.Role.DATA_LEAD)
    idea = save_idea(networks)
    out = report_teams(jurisdictions, networks, team, catalog["SS-CRIB"], data_lead, idea)
    return SimpleNamespace(reference=(jurisdictions, networks), catalog=catalog, team=team,
                           data_lead=data_lead, idea=idea, teams=out)


# The three teams' two years of data are made once for the mentoring tests, which follow one
# another on one worker (what a test writes is rolled back after it). The shared fixtures
# they are made of (reference, catalog, team, data_lead) and the idea are these rows.
_mentoring_rows, mentoring_rows = shared_rows("mentoring_rows", load_teams)


@pytest.fixture
def reference(mentoring_rows):
    return mentoring_rows.reference


@pytest.fixture
def catalog(mentoring_rows):
    return mentoring_rows.catalog


@pytest.fixture
def team(mentoring_rows):
    return mentoring_rows.team


@pytest.fixture
def data_lead(mentoring_rows):
    return mentoring_rows.data_lead


@pytest.fixture
def crib(catalog):
    return catalog["SS-CRIB"]


@pytest.fixture
def idea(mentoring_rows):
    return mentoring_rows.idea


@pytest.fixture
def teams(mentoring_rows):
    return dict(mentoring_rows.teams)


@pytest.fixture
def ms_lead(teams):
    user = make_user("mia.mslead@example.org")
    network_services.add_member(team=teams["MS"], user=user, role="lead")
    return user


# -- bright spots -------------------------------------------------------------------------

def test_bright_spots_on_hand_checked_series(teams, crib):
    held = {code: mentoring.held_periods(mentoring.chart_for(t, crib))
            for code, t in teams.items()}
    assert held == {"GA": 12, "TX": 0, "MS": 0}
    tx = mentoring.chart_for(teams["TX"], crib)
    assert charting.signal_direction(tx) == "improving"  # improving, but too short
    assert charting.trailing_run(tx.chart) == (1, 3)
    ms = mentoring.chart_for(teams["MS"], crib)
    assert charting.trailing_run(ms.chart) == (-1, 12)  # long, but the wrong way
    assert charting.signal_direction(ms) == "deteriorating"


def test_a_sustained_run_shorter_than_six_is_not_a_bright_spot(monkeypatch, teams, crib):
    tc = mentoring.chart_for(teams["GA"], crib)
    monkeypatch.setattr(charting, "trailing_run", lambda chart: (1, 5))
    monkeypatch.setattr(charting, "sustained_improvement", lambda tc: True)
    assert mentoring.held_periods(tc) == 0


def test_the_team_without_improvement_is_offered_the_bright_spot(teams, crib, idea):
    (spot,) = mentoring.suggestions_for(teams["MS"])
    assert spot.team == teams["GA"] and spot.measure == crib
    assert spot.since == dt.date(2016, 1, 1)
    assert spot.ideas == [idea]
    assert "for the last 12 periods (since January 2016)" in spot.sentence
    # The improving team (TX) and the bright spot itself get no suggestions.
    assert mentoring.suggestions_for(teams["TX"]) == []
    assert mentoring.suggestions_for(teams["GA"]) == []


# -- the flow -----------------------------------------------------------------------------

def test_request_accept_and_meetings(teams, crib, idea, ms_lead, lead):
    pairing = mentoring.request_introduction(mentee=teams["MS"], mentor=teams["GA"],
                                             measure=crib, by=ms_lead, message="Help!")
    assert pairing.status == "requested" and list(pairing.change_ideas.all()) == [idea]
    assert Notification.objects.filter(user=lead, kind="mentoring").exists()
    with pytest.raises(ValidationError):
        mentoring.request_introduction(mentee=teams["MS"], mentor=teams["GA"],
                                       measure=crib, by=ms_lead)
    with pytest.raises(ValidationError):
        mentoring.record_meeting(pairing=pairing, by=ms_lead, on=dt.date(2017, 2, 1),
                                 notes="Too early")
    with pytest.raises(PermissionDenied):
        mentoring.answer_request(pairing=pairing, by=ms_lead, accept=True)
    mentoring.answer_request(pairing=pairing, by=lead, accept=True)
    assert Notification.objects.filter(user=ms_lead, kind="mentoring").exists()
    mentoring.record_meeting(pairing=pairing, by=ms_lead, on=dt.date(2017, 2, 1),
                             notes="Walked through GA's audit form.",
                             learned="Night-shift audits catch more unsafe cribs.")
    assert pairing.meetings.count() == 1
    (shown,) = mentoring.pairings_for_change_idea(idea)
    assert shown.learned == "Night-shift audits catch more unsafe cribs."


def test_decline(teams, crib, ms_lead, lead):
    pairing = mentoring.request_introduction(mentee=teams["MS"], mentor=teams["GA"],
                                             measure=crib, by=ms_lead)
    mentoring.answer_request(pairing=pairing, by=lead, accept=False)
    assert pairing.status == "declined"
    with pytest.raises(ValidationError):
        mentoring.answer_request(pairing=pairing, by=lead, accept=True)
    assert mentoring.pairings_for_change_idea(pairing.change_ideas.first()) == []


def test_only_suggested_mentors_may_be_asked(teams, crib, ms_lead):
    with pytest.raises(ValidationError):
        mentoring.request_introduction(mentee=teams["MS"], mentor=teams["TX"],
                                       measure=crib, by=ms_lead)


def test_an_outsider_may_not_ask_on_a_teams_behalf(teams, crib, outsider):
    with pytest.raises(PermissionDenied):
        mentoring.request_introduction(mentee=teams["MS"], mentor=teams["GA"],
                                       measure=crib, by=outsider)


# -- pages and access ---------------------------------------------------------------------

@pytest.mark.parametrize(("persona", "status"), [
    ("anonymous", 302), ("stranger", 404), ("outsider", 404), ("member", 200),
    ("faculty", 200), ("backbone", 200)])
def test_suggestions_page_per_persona(as_persona, teams, persona, status):
    url = reverse("community:mentor_suggestions", args=[teams["GA"].pk])
    assert as_persona(persona).get(url).status_code == status


def test_suggestions_show_the_chart_only_to_those_who_may_see_its_data(
        client, teams, ms_lead, faculty):
    url = reverse("community:mentor_suggestions", args=[teams["MS"].pk])
    client.force_login(ms_lead)
    html = client.get(url).content.decode()
    assert "Georgia" in html and "Crib audits in birthing hospitals" in html
    assert "See the chart" not in html  # MS may not see GA's data
    assert "Request an introduction" in html
    client.force_login(faculty)
    html = client.get(url).content.decode()
    assert "See the chart" in html  # faculty see every team's data in their network
    assert "Request an introduction" not in html


def test_pairing_pages(client, teams, crib, ms_lead, lead, member, outsider):
    client.force_login(ms_lead)
    response = client.post(reverse("community:mentor_request"), {
        "mentee": teams["MS"].pk, "mentor": teams["GA"].pk, "measure": crib.pk})
    pairing = MentorPairing.objects.get()
    assert response.status_code == 302 and response["Location"] == pairing.get_absolute_url()
    answer = reverse("community:pairing_answer", args=[pairing.pk])
    assert client.get(answer).status_code == 405
    assert client.post(answer, {"answer": "accept"}).status_code == 403  # not the mentor
    client.force_login(member)  # a GA member, not its lead
    assert client.post(answer, {"answer": "accept"}).status_code == 403
    client.force_login(outsider)
    assert client.get(pairing.get_absolute_url()).status_code == 404
    client.force_login(lead)
    client.post(answer, {"answer": "accept"})
    pairing.refresh_from_db()
    assert pairing.status == "accepted"
    client.post(reverse("community:pairing_meeting", args=[pairing.pk]),
                {"on": "2017-03-01", "notes": "First call", "learned": "Audit nightly."})
    html = client.get(pairing.get_absolute_url()).content.decode()
    assert "First call" in html and "Audit nightly." in html


def test_a_team_improving_only_as_much_as_everyone_else_is_not_a_bright_spot(crib):
    months = [dt.date(2015 + i // 12, i % 12 + 1, 1) for i in range(24)]
    rise = {d: (60.0 if i < 12 else 84.0) for i, d in enumerate(months)}
    flat = {d: 60.0 for d in months}
    same = [dict(rise), dict(rise), dict(rise)]  # a trend every team shares
    assert mentoring.beyond_others(crib, rise, same, 12) == (False, 0.0)
    bright, beyond = mentoring.beyond_others(crib, rise, [flat, flat, dict(rise)], 12)
    assert bright and beyond == pytest.approx(24.0)
    half = {d: (60.0 if i < 12 else 72.0) for i, d in enumerate(months)}
    # Others rose half as much (12 of its 24 points): just enough (RELATIVE_SHARE 0.5).
    assert mentoring.beyond_others(crib, rise, [half, half], 12) == (True, 12.0)
    # Too few others to compare with: its own chart decides.
    assert mentoring.beyond_others(crib, rise, [flat], 12) == (True, None)


# -- in each reader's language ------------------------------------------------------------

def test_each_step_is_told_in_the_readers_language_and_the_evidence_read_in_theirs(
        client, teams, crib, ms_lead, lead, member):
    """The mentor team's lead reads Spanish, the asking team's lead English; the sentence
    saying why the pairing was asked for is worded for whoever reads the page."""
    lead.language = "es"
    lead.save(update_fields=["language"])
    pairing = mentoring.request_introduction(mentee=teams["MS"], mentor=teams["GA"],
                                             measure=crib, by=ms_lead)
    [asked] = Notification.objects.filter(user=lead, kind="mentoring")
    assert asked.text.startswith("Mississippi") and " pide a Georgia" in asked.text
    assert "que le sirva de mentor en " in asked.text and "asks" not in asked.text
    mentoring.answer_request(pairing=pairing, by=lead, accept=True)
    [answered] = Notification.objects.filter(user=ms_lead, kind="mentoring")
    assert answered.text.startswith("Georgia") and answered.text.endswith(
        "accepted your mentoring request")
    assert pairing.evidence_facts["held"] == 12 and pairing.evidence_facts["since"]
    client.force_login(ms_lead)
    english = client.get(pairing.get_absolute_url()).content.decode()
    assert "has held a sustained improvement in" in english
    client.force_login(lead)
    spanish = client.get(pairing.get_absolute_url()).content.decode()
    assert "has held a sustained improvement" not in spanish
    with translation.override("es"):
        assert pairing.evidence_sentence() in spanish.replace("&#x27;", "'")
    mentoring.close_pairing(pairing=pairing, by=ms_lead, learned="Audit at night.")
    [closed] = Notification.objects.filter(user=lead, kind="mentoring").exclude(pk=asked.pk)
    assert closed.text.startswith("Mia Mslead cerró la mentoría de Georgia")
    assert Notification.objects.get(user=member, kind="mentoring").text.startswith(
        "Mia Mslead closed the mentoring pairing of Georgia")


def test_a_pairing_asked_before_the_figures_were_kept_shows_its_stored_sentence(
        teams, crib, ms_lead):
    pairing = mentoring.request_introduction(mentee=teams["MS"], mentor=teams["GA"],
                                             measure=crib, by=ms_lead)
    MentorPairing.objects.filter(pk=pairing.pk).update(evidence_facts={},
                                                      evidence="Stored long ago.")
    pairing.refresh_from_db()
    assert pairing.evidence_sentence() == "Stored long ago."

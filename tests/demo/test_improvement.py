"""The demo improvement work: every network has its aim, diagram and change package; the
improving teams adopted an idea just before their data improved; loading twice adds
nothing; and what works finds sustained improvement in the synthetic data."""

from __future__ import annotations

import datetime as dt

import pytest

from coiin.demo.content import PACKAGES
from coiin.demo.improvement import NOTE, load_improvement_demo
from coiin.demo.measures import load_demo_data, trajectories
from coiin.demo.network import DemoLoader, choose_networks, load_reference
from coiin.improvement.models import (
    Adoption,
    AdoptionStatus,
    Aim,
    Attendance,
    ChangeIdea,
    Driver,
    DriverDiagram,
    Event,
    PDSACycle,
    ProgressScore,
)
from coiin.improvement.whatworks import Verdict, what_works
from coiin.network.models import LearningNetwork, Team

SOME = ["GA", "MS", "VT", "OH", "CA", "NM", "WI", "TX", "LA", "MI", "NY", "AL"]


def quiet(_: str) -> None:
    pass


@pytest.fixture
def demo(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    loader = DemoLoader(quiet)
    jurisdictions, networks = load_reference()
    national = loader.national_organisations()
    loader.backbone_and_funder(national)
    loader.faculty(networks, national)
    spread = choose_networks(sorted(jurisdictions))
    for code in SOME:
        loader.jurisdiction_teams(jurisdictions[code], [networks[s] for s in spread[code]])
    loader.demo_logins(jurisdictions, networks, national)
    load_demo_data(log=quiet)
    started = dt.datetime.now()  # noqa: DTZ005 - a duration only
    counts = load_improvement_demo(log=quiet)
    return counts, (dt.datetime.now() - started).total_seconds()  # noqa: DTZ005


def snapshot():
    return {model.__name__: sorted(model.objects.values_list(*fields)) for model, fields in [
        (ChangeIdea, ("pk", "title", "updated_at")), (Aim, ("pk", "what", "updated_at")),
        (Driver, ("pk", "text", "position")), (Adoption, ("pk", "status", "adopted_on")),
        (AdoptionStatus, ("pk", "status", "on")), (PDSACycle, ("pk", "team_id", "number")),
        (ProgressScore, ("pk", "score")), (Event, ("pk", "title")),
        (Attendance, ("pk", "attended")), (DriverDiagram, ("pk", "updated_at"))]}


def test_every_network_has_an_aim_a_diagram_and_a_change_package(demo):
    counts, seconds = demo
    assert seconds < 10
    for network in LearningNetwork.objects.all():
        pkg = PACKAGES[network.slug]
        assert 5 <= network.change_ideas.count() == len(pkg.ideas) <= 8
        assert all(i.evidence for i in network.change_ideas.all())
        assert Aim.objects.filter(learning_network=network).exists()
        diagram = DriverDiagram.objects.get(learning_network=network)
        kinds = set(Driver.objects.filter(diagram=diagram).values_list("kind", flat=True))
        assert kinds == {"primary", "secondary", "change"}
        assert diagram.aim is not None
        assert Event.objects.filter(learning_network=network, kind="learning_session",
                                    starts__year=2016).count() == 2


def test_loading_twice_changes_nothing(demo):
    before = snapshot()
    assert load_improvement_demo(log=quiet) == {}
    assert snapshot() == before


def test_improving_teams_began_testing_an_idea_just_before_their_data_improved(demo):
    teams = list(Team.objects.select_related("jurisdiction", "learning_network").order_by(
        "jurisdiction__postal_code", "learning_network__position"))
    paths = trajectories(teams)
    for team in teams:
        adopted = sorted(a.adopted_on for a in team.adoptions.all() if a.adopted_on)
        if paths[team.pk] == "improving":
            start = max(dt.date(2012, 1, 1), team.joined_on.replace(day=1))
            # The synthetic data move from the 13th month; the idea was adopted in the 12th.
            assert adopted and (adopted[0] - start).days in range(330, 345)
            assert team.pdsa_cycles.count() >= 2
            scores = list(team.progress_scores.filter(rater="team").order_by("month")
                          .values_list("score", flat=True))
            assert scores[-1] > scores[0]


def test_synthetic_text_says_so(demo):
    assert all(NOTE in c.learned and NOTE in c.objective for c in PDSACycle.objects.all())
    assert all(NOTE in s.note for s in ProgressScore.objects.all())
    assert all(NOTE in e.description for e in Event.objects.all())


def test_what_works_finds_sustained_improvement_in_the_demo(demo):
    results = what_works(list(LearningNetwork.objects.all()))
    verdicts = [a.verdict for r in results for a in r.adoptions]
    assert verdicts.count(Verdict.SUSTAINED) >= 1
    assert Verdict.NO_SIGNAL in verdicts  # some adopted ideas without improvement
